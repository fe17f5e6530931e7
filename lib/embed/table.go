package embed

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// EmbedTable embeds the clips of a label table: Vectors[i] and Keys[i] belong to
// t.Rows[i]. Each row's file (relative to dir, as dataset.ResolveFile reads it) is embedded
// by EmbedFiles with o, once however many rows name it, and a row takes the clip of its
// file that starts at the row's start (within a millisecond). A file that cannot be read, or
// a row where no clip of the model starts, is an error naming it: a lesson that reads
// every row's embedding must not quietly miss one. With o.CacheDir set, a second call
// reads everything back from the cache.
func EmbedTable(model zoo.Model, dir string, t *dataset.LabelTable, o Options) (*Embeddings, error) {
	found, err := embedRowClips(model, t, t.AllRows(), func(row dataset.Row) (string, error) {
		return dataset.ResolveFile(dir, row.File), nil
	}, o)
	if err != nil {
		return nil, err
	}
	all := found.all
	out := &Embeddings{Model: all.Model, Layer: all.Layer, Pooling: all.Pooling, Dropped: all.Dropped, Warnings: all.Warnings,
		Keys: make([]Key, len(t.Rows)), Vectors: make([][]float32, len(t.Rows))}
	for i, row := range t.Rows {
		j := found.clips[i]
		if j < 0 {
			return nil, fmt.Errorf("embed: label table row %d (%s at %g s): no clip of model %s starts there", i+1, found.paths[i], row.StartSeconds, all.Model)
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
