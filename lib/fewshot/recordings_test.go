package fewshot

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
)

// TestCompareKeepsRecordingsApart: with several clips per recording (spelt
// several ways), a test clip never shares its recording with a training
// clip: 4 classes × 6 recordings × 2 clips, 1 clip per class for training,
// leave 48 − 4 − 4 siblings = 40 test clips.
func TestCompareKeepsRecordingsApart(t *testing.T) {
	lt := &dataset.LabelTable{Classes: []string{"a", "b", "c", "d"}}
	for r := range 24 {
		for k := range 2 {
			labels := make([]uint8, 4)
			labels[r%4] = 1
			file := fmt.Sprintf("rec%02d.wav", r)
			if k == 1 {
				file = "./" + file
			}
			lt.Rows = append(lt.Rows, dataset.Row{File: file, StartSeconds: float64(3 * k), EndSeconds: float64(3*k + 3), Labels: labels})
		}
	}
	vectors := make([][]float32, len(lt.Rows))
	for i := range vectors {
		vectors[i] = []float32{float32(i), float32(lt.Rows[i].ClassOf())}
	}
	var fitted, predicted [][]int
	c, err := Compare(lt, []FeatureSet{{"v", vectors}}, Options{PerClass: 1, Seeds: []uint64{1, 2, 3},
		NewClassifier: func() classify.Classifier { return spy{&fitted, &predicted, 4} }})
	if err != nil {
		t.Fatal(err)
	}
	for s := range fitted {
		trainFiles := map[string]bool{}
		for _, r := range fitted[s] {
			trainFiles[dataset.CanonicalFile(lt.Rows[r].File)] = true
		}
		for _, r := range predicted[s] {
			if trainFiles[dataset.CanonicalFile(lt.Rows[r].File)] {
				t.Errorf("seed %d: test row %d (%s) shares its recording with a training clip", s, r, lt.Rows[r].File)
			}
		}
		if len(fitted[s]) != 4 || len(predicted[s]) != 40 {
			t.Errorf("seed %d: %d training and %d test clips, want 4 and 40", s, len(fitted[s]), len(predicted[s]))
		}
	}
	if c.TestClips != 40 {
		t.Errorf("TestClips %d, want 40", c.TestClips)
	}
}

// TestEmbedRowsSpellings: rows naming one file as x.wav, ./x.wav and by its
// absolute path embed the same clips, and the keys name the file canonically.
func TestEmbedRowsSpellings(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, filepath.Join(dir, "a.wav"), 0.25, 0.5)
	lt := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{
		{File: "./a.wav", StartSeconds: 0, EndSeconds: 1, Labels: []uint8{1}},
		{File: filepath.Join(dir, "a.wav"), StartSeconds: 1, EndSeconds: 2, Labels: []uint8{1}},
	}}
	e, err := EmbedRows(fakeModel{}, "some/other/dir", lt, nil, embed.Options{})
	if err == nil {
		t.Fatalf("a relative name under the wrong folder embedded: %+v", e)
	}
	lt.Rows[0].File = "a.wav/../a.wav"
	e, err = EmbedRows(fakeModel{}, dir, lt, nil, embed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []float32{e.Vectors[0][0], e.Vectors[1][0]}; !slices.Equal(got, []float32{0.25, 0.5}) {
		t.Errorf("means %v, want 0.25 and 0.5", got)
	}
	if e.Keys[0].File != "a.wav" || e.Keys[1].File != filepath.ToSlash(filepath.Join(dir, "a.wav")) {
		t.Errorf("keys %+v, want a.wav and the absolute path", e.Keys)
	}
}

// TestHandcraftedAbsolutePath: a row naming its file by an absolute path is
// read from there, not from under dir.
func TestHandcraftedAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	const rate = 22050
	samples := make([]float32, rate)
	for n := range samples {
		samples[n] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(n)/rate))
	}
	path := filepath.Join(dir, "tone.wav")
	if err := audio.WriteWAV(path, [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	lt := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{{File: path, StartSeconds: 0, EndSeconds: 1, Labels: []uint8{1}}}}
	if _, vectors, err := Handcrafted("elsewhere", lt, nil, features.Options{BandLowHz: 1000, BandHighHz: 10000}, ""); err != nil || len(vectors) != 1 {
		t.Errorf("Handcrafted of an absolute path: %v", err)
	}
}

// TestCompareReportsNonConvergence: fits that stop at their iteration limit
// are counted in the result and noted in its table; converged ones are not.
func TestCompareReportsNonConvergence(t *testing.T) {
	lt := table(t, 3, 12)
	vectors := make([][]float32, len(lt.Rows))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range vectors {
		vectors[i] = []float32{float32(i % 3), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
	}
	for _, c := range []struct {
		maxIter, wantUnconverged int
	}{{2, 3}, {0, 0}} {
		comparison, err := Compare(lt, []FeatureSet{{"v", vectors}}, Options{PerClass: 4, Seeds: []uint64{1, 2, 3},
			NewClassifier: func() classify.Classifier {
				return classify.NewLogisticRegression(classify.LogisticOptions{MaxIter: c.maxIter})
			}})
		if err != nil {
			t.Fatal(err)
		}
		r := comparison.Results[0]
		if r.Unconverged != c.wantUnconverged || len(r.Iterations) != 3 {
			t.Errorf("MaxIter %d: %d unconverged, iterations %v; want %d of 3 fits", c.maxIter, r.Unconverged, r.Iterations, c.wantUnconverged)
		}
		if note := strings.Contains(comparison.String(), "stopped at their iteration limit"); note != (c.wantUnconverged > 0) {
			t.Errorf("MaxIter %d: table notes non-convergence: %v\n%s", c.maxIter, note, comparison)
		}
	}
}
