package pretrain

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

func TestClipsPerSecond(t *testing.T) {
	for _, tc := range []struct {
		batch int
		last  cnn.Record
		want  float64
	}{
		{32, cnn.Record{Step: 100, ElapsedSeconds: 50}, 64},
		{8, cnn.Record{Step: 3, ElapsedSeconds: 0.5}, 48},
		{32, cnn.Record{Step: 0, ElapsedSeconds: 0}, 0},
		{32, cnn.Record{Step: 10, ElapsedSeconds: 0}, 0},
	} {
		if got := ClipsPerSecond(tc.batch, tc.last); got != tc.want {
			t.Errorf("ClipsPerSecond(%d, %+v) = %v, want %v", tc.batch, tc.last, got, tc.want)
		}
	}
}

// TestSaveWeightsAndRecord saves a tiny network and its record and reads both back.
func TestSaveWeightsAndRecord(t *testing.T) {
	dir := t.TempDir()
	model, err := cnn.New(cnn.Config{
		FrontEnd:     spectro.FrontEndOptions{ClipSeconds: 0.5, NFFT: 512, Hop: 256, NumMels: 16},
		StemChannels: 4, StageChannels: []int{8, 8}, Classes: []string{"a", "b"},
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sha, size, err := SaveWeights(dir, model)
	if err != nil {
		t.Fatal(err)
	}
	weights, err := os.ReadFile(filepath.Join(dir, cnn.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	if sha != cnn.Digest(weights) || size != len(weights) || size == 0 {
		t.Errorf("SaveWeights = %s, %d; the file has %s, %d bytes", sha, size, cnn.Digest(weights), len(weights))
	}
	if _, err := cnn.LoadFSDigest(os.DirFS(dir), cnn.WeightsFile, sha); err != nil {
		t.Errorf("the saved weights do not load with their digest: %v", err)
	}

	rec := Record{Name: "tiny", Config: model.Config(), WeightsSHA256: sha, WeightsBytes: size, Notes: "a\nb"}
	if err := WriteRecord(dir, rec); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(data), "}\n") || !strings.Contains(string(data), "\n  \"name\": \"tiny\"") ||
		back.Name != rec.Name || back.WeightsSHA256 != sha || back.WeightsBytes != size || back.Notes != rec.Notes {
		t.Errorf("record.json reads back as %+v:\n%s", back, data)
	}
	if err := WriteRecord(dir, Record{Name: "diverged", FinalValLoss: math.NaN()}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("WriteRecord of a NaN loss (JSON has no NaN): error %v, want one naming NaN", err)
	}
	if _, _, _, err := LoadCheckpoint(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadCheckpoint of a folder without a checkpoint: %v, want fs.ErrNotExist", err)
	}
}
