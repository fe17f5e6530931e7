package zoo_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/pretrain"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/synth"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// heldOutClips renders n clips of each of the first species of the first
// families of the catalogue the shipped model was pretrained on: species it
// never saw (the first 3 of every family are held out).
func heldOutClips(t *testing.T, families, perSpecies int, seed uint64) (clips [][]float32, labels []int) {
	t.Helper()
	cat, err := synth.NewCatalogue(1, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	for f := 0; f < families; f++ {
		for s := 0; s < 3; s++ {
			species := f*8 + s
			for i := 0; i < perSpecies; i++ {
				rec, err := cat.Record(seed<<20+uint64(species*1000+i), synth.RecordingOptions{
					DurationSeconds: 3, SampleRateHz: 22050, SNRdB: 10,
					Foreground: []synth.Voice{{Species: species, Individual: i % 3}},
				})
				if err != nil {
					t.Fatal(err)
				}
				clips = append(clips, rec.Samples)
				labels = append(labels, f*3+s)
			}
		}
	}
	return clips, labels
}

func TestBirdsV1Info(t *testing.T) {
	found := false
	for _, e := range zoo.List() {
		found = found || (e.Name == zoo.BirdsV1 && e.Description != "")
	}
	if !found {
		t.Fatalf("zoo.List() = %v, want %s with a description", zoo.List(), zoo.BirdsV1)
	}
	m, err := zoo.Load(zoo.BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info()
	if info.Name != zoo.BirdsV1 || info.SampleRateHz != 22050 || info.ClipSeconds != 3 || info.EmbeddingSize != 128 ||
		info.Spectrogram.NumMels != 64 || info.Spectrogram.NFFT != 1024 || info.Spectrogram.HopLength != 512 {
		t.Errorf("Info = %+v", info)
	}
	if got := strings.Join(info.Layers, ","); got != "stem,stage1,stage2,stage3,embedding" {
		t.Errorf("Layers = %s", got)
	}
	if info.TrainingData == "" || info.Licence == "" || info.Description == "" {
		t.Errorf("TrainingData %q, Licence %q, Description %q: want all filled", info.TrainingData, info.Licence, info.Description)
	}
	// The classes are the 200 pretraining species: none of the first 3 of a family.
	cat, err := synth.NewCatalogue(1, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Classes) != 200 {
		t.Errorf("%d classes, want 200", len(info.Classes))
	}
	classes := map[string]bool{}
	for _, c := range info.Classes {
		classes[c] = true
	}
	for _, sp := range cat.Species {
		held := sp.Index-sp.Family*8 < 3
		if classes[sp.Code] == held {
			t.Errorf("species %d %s (family %d): in the classes %v, want %v", sp.Index, sp.Code, sp.Family, classes[sp.Code], !held)
		}
	}
	weights, err := os.ReadFile("models/birds-v1/" + cnn.WeightsFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(weights)
	if info.Digest != hex.EncodeToString(sum[:]) {
		t.Errorf("Digest %s, want the SHA-256 of the weights %x", info.Digest, sum)
	}
	// The shipped weights themselves, as pretrained (lib/zoo/models/birds-v1/record.json).
	if shipped := "ed309ba9e3fb13a6ec308199c7ab1357b0304b6b7c9aab7df4c07119def94c9c"; info.Digest != shipped {
		t.Errorf("Digest %s, want the shipped weights' %s", info.Digest, shipped)
	}
	if len(weights) > 4<<20 {
		t.Errorf("weights are %d bytes, want a few MB at most", len(weights))
	}
}

func TestBirdsV1Embed(t *testing.T) {
	m := zoo.MustLoad(zoo.BirdsV1)
	clips, _ := heldOutClips(t, 1, 2, 1)
	embed := func(o zoo.EmbedOptions) [][]float32 {
		t.Helper()
		e, err := m.Embed(clips, 22050, o)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := embed(zoo.EmbedOptions{}), embed(zoo.EmbedOptions{})
	if len(a) != len(clips) || len(a[0]) != 128 {
		t.Fatalf("embeddings %d × %d, want %d × 128", len(a), len(a[0]), len(clips))
	}
	nonZero := 0
	for i := range a {
		for j, v := range a[i] {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || v != b[i][j] {
				t.Fatalf("embedding [%d][%d] = %v then %v: want finite and the same", i, j, v, b[i][j])
			}
			if v != 0 {
				nonZero++
			}
		}
	}
	if nonZero < len(a)*128/4 {
		t.Errorf("only %d non-zero values of %d", nonZero, len(a)*128)
	}
	if dropped := embed(zoo.EmbedOptions{Training: true, Seed: 1}); equal(dropped, a) {
		t.Error("Training: true gives the inference embedding")
	}
	if stage := embed(zoo.EmbedOptions{Layer: "stage2", Pooling: cnn.MaxPooling}); len(stage[0]) != 64 {
		t.Errorf("stage2 has %d channels, want 64", len(stage[0]))
	}
	if _, err := m.Embed([][]float32{make([]float32, 3*22050+1)}, 22050, zoo.EmbedOptions{}); err == nil || !strings.Contains(err.Error(), "clip 0") {
		t.Errorf("a clip longer than 3 s: error %v", err)
	}
}

func equal(a, b [][]float32) bool {
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestBirdsV1Transfer checks the point of pretraining: on species held out of
// it, a nearest-centroid classifier with 10 clips per class does much better on
// the pretrained embedding than on a randomly initialised network's.
func TestBirdsV1Transfer(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds 180 clips twice")
	}
	const families, train, perClass = 4, 10, 15
	clips, labels := heldOutClips(t, families, perClass, 7)
	pretrained := zoo.MustLoad(zoo.BirdsV1)
	shipped := zoo.MustLoadCNN(zoo.BirdsV1)
	random := cnn.MustNew(shipped.Config(), 12345)
	accuracy := func(embed func([][]float32) ([][]float32, error)) float64 {
		e, err := embed(clips)
		if err != nil {
			t.Fatal(err)
		}
		return nearestCentroidAccuracy(e, labels, families*3, perClass, train)
	}
	pre := accuracy(func(c [][]float32) ([][]float32, error) { return pretrained.Embed(c, 22050, zoo.EmbedOptions{}) })
	rnd := accuracy(func(c [][]float32) ([][]float32, error) { return random.Embed(c, cnn.EmbedOptions{}) })
	t.Logf("held-out species, %d classes, %d clips per class: nearest centroid accuracy %.3f pretrained, %.3f random network", families*3, train, pre, rnd)
	if pre < rnd+0.10 {
		t.Errorf("pretrained %.3f vs random %.3f: want at least 10 points better", pre, rnd)
	}
}

// nearestCentroidAccuracy standardises the embeddings (per dimension, with the
// training rows' statistics), fits one centroid per class on the first train
// rows of each class's perClass rows, and scores the others.
func nearestCentroidAccuracy(e [][]float32, labels []int, classes, perClass, train int) float64 {
	dim := len(e[0])
	mean, sd := make([]float64, dim), make([]float64, dim)
	n := 0
	for i := range e {
		if i%perClass < train {
			n++
			for j, v := range e[i] {
				mean[j] += float64(v)
			}
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := range e {
		if i%perClass < train {
			for j, v := range e[i] {
				sd[j] += (float64(v) - mean[j]) * (float64(v) - mean[j])
			}
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j]/float64(n)) + 1e-6
	}
	z := func(v []float32) []float64 {
		out := make([]float64, dim)
		for j := range v {
			out[j] = (float64(v[j]) - mean[j]) / sd[j]
		}
		return out
	}
	centroids := make([][]float64, classes)
	for c := range centroids {
		centroids[c] = make([]float64, dim)
	}
	for i := range e {
		if i%perClass < train {
			for j, v := range z(e[i]) {
				centroids[labels[i]][j] += v / float64(train)
			}
		}
	}
	hits, total := 0, 0
	for i := range e {
		if i%perClass < train {
			continue
		}
		x := z(e[i])
		best, bestDist := -1, math.Inf(1)
		for c, centroid := range centroids {
			d := 0.0
			for j := range x {
				d += (x[j] - centroid[j]) * (x[j] - centroid[j])
			}
			if d < bestDist {
				best, bestDist = c, d
			}
		}
		if best == labels[i] {
			hits++
		}
		total++
	}
	return float64(hits) / float64(total)
}

// TestShippedRecordCommit checks that birds-v1's training record names a commit of
// this repository's history, measured on a clean tree, so the code that trained the
// shipped weights can be found.
func TestShippedRecordCommit(t *testing.T) {
	raw, err := zoo.Record(zoo.BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	var rec pretrain.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.GitCommit == "" || strings.HasSuffix(rec.GitCommit, "-dirty") {
		t.Errorf("record.json's commit %q: want a clean one (make pretrain on a committed tree)", rec.GitCommit)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if err := runrecord.InHistory(rec.GitCommit); err != nil {
		t.Errorf("record.json: %v", err)
	}
}
