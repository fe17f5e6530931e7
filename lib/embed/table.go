package embed

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// EmbedTable embeds the clips of a label table: Vectors[i] and Keys[i] belong to
// t.Rows[i]. Each row's file (relative to dir, as dataset.ResolveFile reads it) is embedded
// by EmbedFiles with o, once however many rows name it, and a row takes the clip of its
// file that starts at the row's start (to the millisecond). A file that cannot be read, or
// a row where no clip of the model starts, is an error naming it: a lesson that reads
// every row's embedding must not quietly miss one. With o.CacheDir set, a second call
// reads everything back from the cache.
func EmbedTable(model zoo.Model, dir string, t *dataset.LabelTable, o Options) (*Embeddings, error) {
	type clipStart struct {
		file    string
		startMs int64
	}
	at := func(start float64) int64 { return int64(math.Round(start * 1000)) }
	var paths []string
	seen := map[string]bool{}
	for _, row := range t.Rows {
		if path := dataset.ResolveFile(dir, row.File); !seen[path] {
			seen[path] = true
			paths = append(paths, path)
		}
	}
	all, err := EmbedFiles(model, paths, o)
	if err != nil {
		return nil, err
	}
	if err := all.FailuresError(); err != nil {
		return nil, err
	}
	index := make(map[clipStart]int, len(all.Keys))
	for j, k := range all.Keys {
		index[clipStart{k.File, at(k.StartSeconds)}] = j
	}
	out := &Embeddings{Model: all.Model, Layer: all.Layer, Pooling: all.Pooling, Dropped: all.Dropped, Warnings: all.Warnings,
		Keys: make([]Key, len(t.Rows)), Vectors: make([][]float32, len(t.Rows))}
	for i, row := range t.Rows {
		path := dataset.ResolveFile(dir, row.File)
		j, ok := index[clipStart{path, at(row.StartSeconds)}]
		if !ok {
			return nil, fmt.Errorf("embed: label table row %d (%s at %g s): no clip of model %s starts there", i+1, path, row.StartSeconds, all.Model)
		}
		out.Keys[i], out.Vectors[i] = all.Keys[j], all.Vectors[j]
	}
	return out, nil
}

// MustEmbedTable is [EmbedTable] for notebooks: it panics on error.
func MustEmbedTable(model zoo.Model, dir string, t *dataset.LabelTable, o Options) *Embeddings {
	e, err := EmbedTable(model, dir, t, o)
	if err != nil {
		panic(err)
	}
	return e
}
