package cnn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCheckpointDamaged: a checkpoint or weights file changed after it was
// written — one flipped bit in a weight, one changed digit of the header, a cut
// end — is refused with "checkpoint damaged" naming the file, by Train (resume),
// LoadFS and CheckpointHistory alike; it is never loaded or resumed silently.
func TestCheckpointDamaged(t *testing.T) {
	cfg := tinyConfig(SingleLabel)
	m := MustNew(cfg, 2)
	data := bandsData(m, 16, 1)
	dir := t.TempDir()
	o := TrainOptions{Steps: 4, BatchSize: 8, EvalEvery: 2, Seed: 1, CheckpointDir: dir, StopAfterStep: 2}
	if _, err := Train(m, data, Dataset{}, o); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, CheckpointFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := bytes.Index(good, []byte(`"dropout":0.2`))
	if headerEnd < 0 {
		t.Fatalf("no dropout in the header of %s", path)
	}
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"a flipped bit in the last weight", func(b []byte) []byte { b[len(b)-sha256.Size-2] ^= 0x10; return b }},
		{"a changed digit in the header", func(b []byte) []byte { b[headerEnd+len(`"dropout":0.`)] = '9'; return b }},
		{"a cut end", func(b []byte) []byte { return b[:len(b)-100] }},
		{"a flipped bit in the checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.damage(bytes.Clone(good)), 0o644); err != nil {
				t.Fatal(err)
			}
			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "checkpoint damaged") || !strings.Contains(err.Error(), path) {
					t.Errorf("%s: error %v, want %q naming %s", what, err, "checkpoint damaged", path)
				}
			}
			o.StopAfterStep = 0
			_, err := Train(MustNew(cfg, 2), data, Dataset{}, o)
			check("resume", err)
			_, err = LoadFS(os.DirFS(dir), CheckpointFile)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), CheckpointFile) {
				t.Errorf("LoadFS: error %v, want %q naming %s", err, "checkpoint damaged", CheckpointFile)
			}
			_, _, err = CheckpointHistory(path)
			check("CheckpointHistory", err)
		})
	}
	// Undamaged, it resumes.
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Train(MustNew(cfg, 2), data, Dataset{}, o); err != nil {
		t.Errorf("undamaged checkpoint: %v", err)
	}
}

// TestFormatV1: a file of format v1 (no checksum, as birds-v1's shipped
// weights) is refused by LoadFS and by Train's resume with a message saying
// why, and loads with LoadFSDigest against its SHA-256 — not against another.
func TestFormatV1(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 3)
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, WeightsFile)
	v2, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(v2, []byte(fileMagic)) {
		t.Fatalf("Save wrote %q…, want format v2", v2[:len(fileMagic)])
	}
	// The same file as the code before checksums wrote it.
	v1 := append([]byte(fileMagicV1), v2[len(fileMagic):len(v2)-sha256.Size]...)
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); !errors.Is(err, ErrNoChecksum) || !strings.Contains(err.Error(), WeightsFile) {
		t.Errorf("LoadFS of a v1 file: error %v, want %v naming the file", err, ErrNoChecksum)
	}
	loaded, err := LoadFSDigest(os.DirFS(dir), WeightsFile, Digest(v1))
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(loaded, ExtractorScope), weights(m, ExtractorScope)) || !sameWeights(weights(loaded, ClassifierScope), weights(m, ClassifierScope)) {
		t.Error("the v1 file loaded with its digest has other weights")
	}
	if _, err := LoadFSDigest(os.DirFS(dir), WeightsFile, Digest(v2)); !errors.Is(err, ErrDamaged) {
		t.Errorf("LoadFSDigest with another digest: error %v, want %v", err, ErrDamaged)
	}
	// A v1 checkpoint is not resumed.
	ckpt := t.TempDir()
	if err := os.WriteFile(filepath.Join(ckpt, CheckpointFile), v1, 0o644); err != nil {
		t.Fatal(err)
	}
	data := bandsData(m, 8, 1)
	_, err = Train(MustNew(tinyConfig(SingleLabel), 3), data, Dataset{}, TrainOptions{Steps: 2, BatchSize: 8, CheckpointDir: ckpt})
	if !errors.Is(err, ErrNoChecksum) || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("resume from a v1 checkpoint: error %v, want %v saying what to do", err, ErrNoChecksum)
	}
}

// TestReadConfigFS: the configuration read from a file's header alone is the
// one the loaded model holds (defaults filled in), for weights of format v2 and
// v1 (one of them with a default left out) and for a checkpoint; a file that is not a CNN file, or whose header is
// cut or claims more bytes than the file holds, is an error naming the file.
func TestReadConfigFS(t *testing.T) {
	cfg := tinyConfig(MultiLabel)
	cfg.Dropout = 0 // the default, 0.2, is filled in
	m := MustNew(cfg, 4)
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	v2, err := os.ReadFile(filepath.Join(dir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte(fileMagicV1), v2[len(fileMagic):len(v2)-sha256.Size]...)
	ckptDir := t.TempDir()
	o := TrainOptions{Steps: 2, BatchSize: 8, Seed: 1, CheckpointDir: ckptDir}
	if _, err := Train(MustNew(cfg, 4), bandsData(m, 8, 1), Dataset{}, o); err != nil {
		t.Fatal(err)
	}
	ckpt, err := os.ReadFile(filepath.Join(ckptDir, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	// A v1 file whose header leaves the dropout to the default, as files
	// written before a field existed leave it.
	headerLen := binary.LittleEndian.Uint64(v2[len(fileMagic):])
	oldHeader := bytes.Replace(v2[len(fileMagic)+8:len(fileMagic)+8+int(headerLen)], []byte(`"dropout":0.2`), []byte(`"dropout":0`), 1)
	v1NoDefaults := binary.LittleEndian.AppendUint64([]byte(fileMagicV1), uint64(len(oldHeader)))
	v1NoDefaults = append(append(v1NoDefaults, oldHeader...), v2[len(fileMagic)+8+int(headerLen):len(v2)-sha256.Size]...)
	hugeHeader := bytes.Clone(v2)
	hugeHeader[len(fileMagic)+7] = 0x7f
	fsys := fstest.MapFS{
		"v2":          {Data: v2},
		"v1":          {Data: v1},
		"v1-defaults": {Data: v1NoDefaults},
		"checkpoint":  {Data: ckpt},
		"not-cnn":     {Data: []byte("RIFF....WAVEfmt and more bytes")},
		"short":       {Data: []byte(fileMagic[:5])},
		"cut-header":  {Data: v2[:len(fileMagic)+8+20]},
		"huge-header": {Data: hugeHeader},
	}
	for _, tc := range []struct {
		path    string
		wantErr string
	}{
		{"v2", ""},
		{"v1", ""},
		{"v1-defaults", ""},
		{"checkpoint", ""},
		{"not-cnn", "not a dawnchorus CNN file"},
		{"short", "not a dawnchorus CNN file"},
		{"cut-header", "header of"},
		{"huge-header", "header of"},
		{"missing", "file does not exist"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := ReadConfigFS(fsys, tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), tc.path) {
					t.Errorf("error %v, want %q naming %s", err, tc.wantErr, tc.path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, m.Config()) {
				t.Errorf("config %+v, the model's is %+v", got, m.Config())
			}
		})
	}
}
