// Package jsoncache keeps a computed value in a JSON file, so that a slow result (a
// model's scores, a trained baseline) is computed once and read back by later notebook
// cells, which are separate programs, and by later runs.
//
// The file is the cache's only state: delete it to compute again. It is written
// atomically (lib/atomicfile), so a run stopped halfway leaves either no file or a whole
// one. A file that does not decode into the value's type is computed again and replaced
// (it is left by another version of the code, say); a failed computation writes nothing.
// The caller puts in the file's name whatever the value depends on (a model's digest,
// say), as the lessons do.
package jsoncache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// Load returns the value stored in path as JSON, or, when the file is missing or does not
// decode, computes it, stores it in path (creating its folder) and returns it.
func Load[T any](path string, compute func() (T, error)) (T, error) {
	var value T
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if json.Unmarshal(data, &value) == nil {
			return value, nil
		}
		value = *new(T) // a partial decode must not leak into the recomputed value
	case !errors.Is(err, fs.ErrNotExist):
		return value, fmt.Errorf("jsoncache: %w", err)
	}
	value, err = compute()
	if err != nil {
		return value, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return value, fmt.Errorf("jsoncache: %w", err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error { return json.NewEncoder(w).Encode(value) })
	if err != nil {
		return value, fmt.Errorf("jsoncache: storing %s: %w", path, err)
	}
	return value, nil
}

// MustLoad is [Load] for notebooks, with a computation that panics on error.
func MustLoad[T any](path string, compute func() T) T {
	value, err := Load(path, func() (T, error) { return compute(), nil })
	if err != nil {
		panic(err)
	}
	return value
}
