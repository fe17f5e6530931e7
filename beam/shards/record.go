package shards

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/npy"
)

// Dir is the subfolder of the output folder that holds the shards' files.
const Dir = "shards"

// ManifestName is the manifest's file name in the output folder.
const ManifestName = "manifest.json"

// Record is a finished shard's <ID>.json: the shard, the keys of its rows (in
// the order of the .npy's rows), the sound that gave no clip, and the .npy's
// size and digest.
type Record struct {
	Shard   Shard
	Model   string
	Layer   string
	Rows    int
	Dim     int
	Keys    []embed.Key
	Dropped []embed.Dropped `json:",omitempty"`
	// NPYSHA256 is the hex SHA-256 of <ID>.npy's bytes.
	NPYSHA256 string
}

// Paths returns the .npy and .json paths of shard id under the output folder out.
func Paths(out, id string) (npy, record string) {
	base := filepath.Join(out, Dir, id)
	return base + ".npy", base + ".json"
}

// Write writes a shard's embeddings under out: the .npy, then the record,
// each atomically (see the package doc).
func Write(out string, s Shard, e *embed.Embeddings) (Record, error) {
	if err := os.MkdirAll(filepath.Join(out, Dir), 0o755); err != nil {
		return Record{}, err
	}
	npyPath, recPath := Paths(out, s.ID)
	dim := e.Dim()
	flat := make([]float32, 0, e.Len()*dim)
	for _, v := range e.Vectors {
		flat = append(flat, v...)
	}
	var buf bytes.Buffer
	if err := npy.Encode(&buf, flat, e.Len(), dim); err != nil {
		return Record{}, fmt.Errorf("shards: %s: %w", s, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	if err := atomicfile.WriteFile(npyPath, buf.Bytes()); err != nil {
		return Record{}, fmt.Errorf("shards: %s: %w", s, err)
	}
	rec := Record{Shard: s, Model: e.Model, Layer: e.Layer, Rows: e.Len(), Dim: dim, Keys: e.Keys, Dropped: e.Dropped,
		NPYSHA256: hex.EncodeToString(sum[:])}
	data, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return Record{}, err
	}
	if err := atomicfile.WriteFile(recPath, append(data, '\n')); err != nil {
		return Record{}, fmt.Errorf("shards: %s: %w", s, err)
	}
	return rec, nil
}

// Finished reports whether shard s is finished under out: its record is there,
// names the same shard, and its .npy has the digest and shape the record
// names. ok is false with a nil error when the shard is simply not there (or
// only its .npy is: a crash between the two writes); a damaged or mismatched
// pair is an error naming the file, and the shard is not done.
func Finished(out string, s Shard) (rec Record, ok bool, err error) {
	rec, err = ReadRecord(out, s.ID)
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, err
	}
	if rec.Shard != s {
		return Record{}, false, fmt.Errorf("shards: %s names shard %+v, not %+v", recPathOf(out, s.ID), rec.Shard, s)
	}
	return rec, true, nil
}

func recPathOf(out, id string) string { _, r := Paths(out, id); return r }

// ReadRecord reads and checks shard id's record and .npy digest under out.
func ReadRecord(out, id string) (Record, error) {
	npyPath, recPath := Paths(out, id)
	data, err := os.ReadFile(recPath)
	if err != nil {
		return Record{}, err
	}
	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil {
		return Record{}, fmt.Errorf("shards: %s: %w", recPath, err)
	}
	if rec.Shard.ID != id || len(rec.Keys) != rec.Rows {
		return Record{}, fmt.Errorf("shards: %s: record of shard %.12s with %d keys for %d rows", recPath, rec.Shard.ID, len(rec.Keys), rec.Rows)
	}
	npyBytes, err := os.ReadFile(npyPath)
	if err != nil {
		return Record{}, fmt.Errorf("shards: %s has no vectors: %w", recPath, err)
	}
	if sum := sha256.Sum256(npyBytes); hex.EncodeToString(sum[:]) != rec.NPYSHA256 {
		return Record{}, fmt.Errorf("shards: %s: SHA-256 %x, the record %s says %s", npyPath, sum, recPath, rec.NPYSHA256)
	}
	return rec, nil
}

// ReadVectors reads a done shard's vectors, checked against its record.
func ReadVectors(out string, rec Record) ([][]float32, error) {
	npyPath, _ := Paths(out, rec.Shard.ID)
	npyBytes, err := os.ReadFile(npyPath)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(npyBytes); hex.EncodeToString(sum[:]) != rec.NPYSHA256 {
		return nil, fmt.Errorf("shards: %s: SHA-256 %x, its record says %s", npyPath, sum, rec.NPYSHA256)
	}
	array, err := npy.Decode(npyBytes)
	if err != nil {
		return nil, fmt.Errorf("shards: %s: %w", npyPath, err)
	}
	values, err := array.Float32()
	if err != nil {
		return nil, fmt.Errorf("shards: %s: %w", npyPath, err)
	}
	shape := array.Shape
	if len(shape) != 2 || shape[0] != rec.Rows || (rec.Rows > 0 && shape[1] != rec.Dim) {
		return nil, fmt.Errorf("shards: %s: shape %v, its record says (%d, %d)", npyPath, shape, rec.Rows, rec.Dim)
	}
	vecs := make([][]float32, rec.Rows)
	for i := range vecs {
		vecs[i] = values[i*rec.Dim : (i+1)*rec.Dim : (i+1)*rec.Dim]
	}
	return vecs, nil
}

// RemoveTemporary deletes the temporary files that a killed writer left in
// out's shards folder (lib/atomicfile's ".<name>.tmp…"). Call it only while
// no pipeline writes to out.
func RemoveTemporary(out string) (removed int, err error) {
	entries, err := os.ReadDir(filepath.Join(out, Dir))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp") {
			if err := os.Remove(filepath.Join(out, Dir, name)); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}

// Failure is one element of the pipeline's error output: a file that could not
// be planned, or a shard that could not be embedded or written.
type Failure struct {
	File      string
	FileIndex int
	// Shard is the failed shard's index in its file, −1 when the file failed
	// before it was cut into shards.
	Shard int
	Error string
}

// Manifest is the output folder's manifest.json, written when a run ends: the
// settings, every input file with its shards in order, and the failures.
type Manifest struct {
	Settings Resolved
	Files    []FileEntry
	Failures []Failure `json:",omitempty"`
	// Computed and Skipped count this run's shards embedded and found already
	// done.
	Computed, Skipped int
}

// FileEntry is one input file in the manifest: its shards' IDs, in order,
// when all of them are done (Complete), and its rows.
type FileEntry struct {
	File          string
	ContentSHA256 string `json:",omitempty"`
	Shards        []string
	Rows          int
	Complete      bool
}

// Done is one element of the pipeline's main output: a shard whose files are
// written, and whether this run computed it or found it done.
type Done struct {
	Shard    Shard
	Rows     int
	Computed bool
}

// BuildManifest assembles the manifest of a run over files (the inputs, in
// order) from its done shards and failures; a file is Complete when all of
// its shards are done and none failed.
func BuildManifest(r Resolved, files []string, done []Done, failures []Failure) Manifest {
	m := Manifest{Settings: r, Files: make([]FileEntry, len(files))}
	for i, f := range files {
		m.Files[i].File = f
	}
	byFile := make([][]Done, len(files))
	for _, d := range done {
		if d.Shard.FileIndex >= 0 && d.Shard.FileIndex < len(files) {
			byFile[d.Shard.FileIndex] = append(byFile[d.Shard.FileIndex], d)
		}
		if d.Computed {
			m.Computed++
		} else {
			m.Skipped++
		}
	}
	failed := make(map[int]bool)
	for _, f := range failures {
		failed[f.FileIndex] = true
	}
	for i, ds := range byFile {
		sort.Slice(ds, func(a, b int) bool { return ds[a].Shard.Index < ds[b].Shard.Index })
		e := &m.Files[i]
		for _, d := range ds {
			e.Shards = append(e.Shards, d.Shard.ID)
			e.Rows += d.Rows
			e.ContentSHA256 = d.Shard.ContentSHA256
		}
		e.Complete = !failed[i] && len(ds) > 0 && len(ds) == ds[0].Shard.NumShards
	}
	m.Failures = append([]Failure(nil), failures...)
	sort.Slice(m.Failures, func(a, b int) bool {
		fa, fb := m.Failures[a], m.Failures[b]
		if fa.FileIndex != fb.FileIndex {
			return fa.FileIndex < fb.FileIndex
		}
		return fa.Shard < fb.Shard
	})
	return m
}

// WriteManifest writes m to out/manifest.json atomically.
func WriteManifest(out string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(out, ManifestName), append(data, '\n'))
}

// ReadManifest reads out/manifest.json.
func ReadManifest(out string) (Manifest, error) {
	path := filepath.Join(out, ManifestName)
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("shards: %s: %w", path, err)
	}
	return m, nil
}
