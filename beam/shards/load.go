package shards

import (
	"errors"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// ReadFile returns the rows of a complete file of the manifest, in clip
// order, from its shards' files (each checked against its record).
func ReadFile(out string, f FileEntry) (*embed.Embeddings, error) {
	if !f.Complete {
		return nil, fmt.Errorf("shards: %s is not complete in %s's manifest", f.File, out)
	}
	e := &embed.Embeddings{}
	for _, id := range f.Shards {
		rec, err := ReadRecord(out, id)
		if err != nil {
			return nil, err
		}
		if rec.Shard.File != f.File {
			return nil, fmt.Errorf("shards: shard %.12s of %s's manifest entry belongs to %s", id, f.File, rec.Shard.File)
		}
		vecs, err := ReadVectors(out, rec)
		if err != nil {
			return nil, err
		}
		e.Model, e.Layer = rec.Model, rec.Layer
		e.Keys = append(e.Keys, rec.Keys...)
		e.Vectors = append(e.Vectors, vecs...)
		e.Dropped = append(e.Dropped, rec.Dropped...)
	}
	if len(e.Keys) != f.Rows {
		return nil, fmt.Errorf("shards: %s: %d rows in its shards, the manifest says %d", f.File, len(e.Keys), f.Rows)
	}
	return e, nil
}

// Merge returns every complete file's rows of the run in out, in input order
// and clip order within a file — what embed.EmbedFiles returns for the same
// files, failed files left out (listed in the result's Failures, as
// EmbedFiles lists files it cannot read). Save it with Embeddings.Save for
// lib/embed's .npy + keys format.
func Merge(out string) (*embed.Embeddings, Manifest, error) {
	m, err := ReadManifest(out)
	if err != nil {
		return nil, m, err
	}
	e := &embed.Embeddings{Model: m.Settings.Model, Layer: m.Settings.Layer, Pooling: m.Settings.Pooling}
	for _, f := range m.Files {
		if !f.Complete {
			e.Failures = append(e.Failures, failureOf(m, f))
			continue
		}
		fe, err := ReadFile(out, f)
		if err != nil {
			return nil, m, err
		}
		e.Keys = append(e.Keys, fe.Keys...)
		e.Vectors = append(e.Vectors, fe.Vectors...)
		e.Dropped = append(e.Dropped, fe.Dropped...)
	}
	return e, m, nil
}

func failureOf(m Manifest, f FileEntry) (fe audio.FileError) {
	var errs []error
	for _, x := range m.Failures {
		if x.File == f.File {
			errs = append(errs, errors.New(x.Error))
		}
	}
	if len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: not every shard is done (%d of them are)", f.File, len(f.Shards)))
	}
	fe.Path, fe.Err = f.File, errors.Join(errs...)
	return fe
}

// DBSettings are the settings a database's model is stored with: those that
// change the vectors (not the shard length, which does not).
func DBSettings(r Resolved) any {
	return struct {
		Engine, Digest                 string
		Layer, Pooling                 string
		BatchSize                      int
		Training                       bool
		Seed                           uint64
		SampleRateHz                   int
		ClipSeconds, Overlap, MinFinal float64
		Final                          int
	}{r.Engine, r.Digest, r.Layer, r.Pooling.String(), r.BatchSize, r.Training, r.Seed, r.SampleRateHz, r.ClipSeconds, r.OverlapSeconds, r.MinFinalSeconds, int(r.Final)}
}

// LoadStats counts what Load did.
type LoadStats struct {
	// Added recordings and their windows; Present: recordings the database
	// already had for this model (left as they were); Incomplete: files of
	// the manifest with failed or missing shards (not loaded).
	Added, Windows, Present, Incomplete int
}

// Load adds every complete file of the run in out to db, one recording (with
// its content SHA-256 and duration) and all of its windows per transaction,
// under the model named by the run's settings. Files the database already has
// for that model are skipped, so Load can be run again after a crash or after
// a later run added files.
func Load(out string, db *embeddb.DB) (LoadStats, error) {
	var st LoadStats
	m, err := ReadManifest(out)
	if err != nil {
		return st, err
	}
	// The model's dimension, from the first shard with rows.
	dim := 0
	for _, f := range m.Files {
		if f.Complete && f.Rows > 0 {
			for _, id := range f.Shards {
				if rec, err := ReadRecord(out, id); err != nil {
					return st, err
				} else if rec.Rows > 0 {
					dim = rec.Dim
					break
				}
			}
			break
		}
	}
	if dim == 0 {
		return st, fmt.Errorf("shards: %s: no complete file has a window; nothing to load", out)
	}
	model, err := db.AddModel(m.Settings.Model, DBSettings(m.Settings), dim)
	if err != nil {
		return st, err
	}
	for _, f := range m.Files {
		if !f.Complete {
			st.Incomplete++
			continue
		}
		e, err := ReadFile(out, f)
		if err != nil {
			return st, err
		}
		if ok, err := db.Embedded(f.File, model); err != nil {
			return st, err
		} else if ok {
			st.Present++
			continue
		}
		rec, err := ReadRecord(out, f.Shards[0])
		if err != nil {
			return st, err
		}
		windows := make([]embeddb.Window, e.Len())
		for i, k := range e.Keys {
			windows[i] = embeddb.Window{StartSeconds: k.StartSeconds, EndSeconds: k.EndSeconds, Embedding: e.Vectors[i]}
		}
		dur := rec.Shard.DurationSeconds
		if dur < 0 {
			dur = 0
		}
		_, err = db.AddRecording(embeddb.Recording{File: f.File, ContentSHA256: f.ContentSHA256, DurationSeconds: dur}, model, windows)
		if errors.Is(err, embeddb.ErrAlreadyEmbedded) {
			st.Present++
			continue
		}
		if err != nil {
			return st, err
		}
		st.Added++
		st.Windows += len(windows)
	}
	return st, nil
}
