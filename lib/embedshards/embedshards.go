// Package embedshards is the folder format of an archive's embeddings outside
// the database: one pair of files per recording, so that many processes (the
// dawnchorus command's embed -npy, Apache Beam workers) can write a folder
// side by side and a killed run resumes where it stopped.
//
// # Layout
//
//	DIR/model.json          {"model": name, "settings": {...}}: what made every shard
//	DIR/<shard>.npy         the recording's windows: an (n, dim) float32 array (numpy.save's format 1.0)
//	DIR/<shard>.csv         their keys, one row per array row: file,start_time,end_time (seconds)
//
// <shard> is the recording's path as given, made relative (a leading "/" is
// dropped, ".." becomes "__"), so that DIR mirrors the archive's folders:
// recordings/site1/a.wav gives DIR/recordings/site1/a.wav.npy and .csv. Both
// files are written atomically, the .npy first: a shard whose .csv exists is
// complete (Done), and a kill leaves at most an .npy without its .csv, which
// the next run writes again. A recording with no window has a 0 × 0 array and
// a header-only .csv. lib/embed reads a shard back (embed.Read), and numpy
// and pandas read it directly.
package embedshards

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// ManifestName is the file in DIR that names the model and its settings.
const ManifestName = "model.json"

// Manifest says what made a folder's shards.
type Manifest struct {
	Model    string         `json:"model"`
	Settings map[string]any `json:"settings"`
}

// Dir is a folder of shards, opened for one model and settings.
type Dir struct {
	Path     string
	Manifest Manifest
}

// Open opens (creating when missing) the folder path for shards of the given
// model and settings. A folder holding shards of another model or other
// settings is an error naming both.
func Open(path string, m Manifest) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("embedshards: %w", err)
	}
	// Round-trip through JSON so that settings compare as they are stored.
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("embedshards: %s: %w", path, err)
	}
	var want Manifest
	if err := json.Unmarshal(data, &want); err != nil {
		return nil, fmt.Errorf("embedshards: %s: %w", path, err)
	}
	manifest := filepath.Join(path, ManifestName)
	old, err := os.ReadFile(manifest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := atomicfile.WriteFile(manifest, append(data, '\n')); err != nil {
			return nil, fmt.Errorf("embedshards: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("embedshards: %w", err)
	default:
		var have Manifest
		if err := json.Unmarshal(old, &have); err != nil {
			return nil, fmt.Errorf("embedshards: %s: %w", manifest, err)
		}
		if have.Model != want.Model || !reflect.DeepEqual(have.Settings, want.Settings) {
			return nil, fmt.Errorf("embedshards: %s holds shards of model %s %v, not of %s %v: use another folder",
				path, have.Model, have.Settings, want.Model, want.Settings)
		}
	}
	return &Dir{Path: path, Manifest: want}, nil
}

// ShardName is the shard's path in the folder for a recording's path, without
// the .npy/.csv ending.
func ShardName(file string) string {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(file)), "/")
	var kept []string
	for _, p := range parts {
		switch p {
		case "", ".":
			continue
		case "..":
			p = "__"
		}
		kept = append(kept, p)
	}
	return filepath.Join(kept...)
}

func (d *Dir) prefix(file string) string { return filepath.Join(d.Path, ShardName(file)) }

// Done reports whether a recording's shard is complete.
func (d *Dir) Done(file string) (bool, error) {
	_, err := os.Stat(d.prefix(file) + ".csv")
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Put writes a recording's shard: the .npy, then the .csv that marks it done.
func (d *Dir) Put(f archive.File) error {
	e := &embed.Embeddings{Model: d.Manifest.Model}
	for _, w := range f.Windows {
		e.Keys = append(e.Keys, embed.Key{File: f.Path, StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds})
		e.Vectors = append(e.Vectors, w.Embedding)
	}
	prefix := d.prefix(f.Path)
	if err := os.MkdirAll(filepath.Dir(prefix), 0o755); err != nil {
		return fmt.Errorf("embedshards: %w", err)
	}
	if err := e.Save(prefix); err != nil {
		return fmt.Errorf("embedshards: %s: %w", f.Path, err)
	}
	return nil
}

// Read returns every complete shard of the folder, in the lexical order of
// their paths, as one set of embeddings with their keys.
func (d *Dir) Read() (*embed.Embeddings, error) {
	var csvs []string
	err := filepath.WalkDir(d.Path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(p, ".csv") && !strings.HasPrefix(e.Name(), ".") {
			csvs = append(csvs, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedshards: %w", err)
	}
	slices.Sort(csvs)
	out := &embed.Embeddings{Model: d.Manifest.Model}
	for _, c := range csvs {
		prefix := strings.TrimSuffix(c, ".csv")
		keys, err := embed.ReadKeysCSV(c)
		if err != nil {
			return nil, fmt.Errorf("embedshards: %s: %w", c, err)
		}
		if len(keys) == 0 {
			continue
		}
		e, err := embed.Read(prefix)
		if err != nil {
			return nil, fmt.Errorf("embedshards: %w", err)
		}
		out.Keys, out.Vectors = append(out.Keys, e.Keys...), append(out.Vectors, e.Vectors...)
	}
	return out, nil
}
