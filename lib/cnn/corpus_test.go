package cnn

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// toneCorpus writes n 0.5 s tones, one file each, whose pitch gives the class (1, 2.5 or
// 5 kHz, in turn) and returns the directory and the label table.
func toneCorpus(t *testing.T, m *Model, n int) (string, *dataset.LabelTable) {
	t.Helper()
	rate := m.FrontEnd().Options.SampleRateHz
	dir := t.TempDir()
	table := &dataset.LabelTable{Classes: m.Config().Classes}
	for i := range n {
		class := i % 3
		f := []float64{1000, 2500, 5000}[class]
		tone := make([]float32, rate/2)
		for j := range tone {
			tone[j] = float32(0.2 * (1 + 0.1*float64(i)) * math.Sin(2*math.Pi*f*float64(j)/float64(rate)))
		}
		file := fmt.Sprintf("t%02d.wav", i)
		if err := audio.WriteWAV(filepath.Join(dir, file), [][]float32{tone}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		labels := make([]int, 3)
		labels[class] = 1
		table.Rows = append(table.Rows, dataset.Row{File: file, EndSeconds: 0.5, Labels: labels})
	}
	return dir, table
}

// TestCorpus checks LoadCorpus against TableDataset part by part, Select against the
// parts' own images (Dataset.Image), Classify against the argmax of PredictImages by hand,
// AccuracyGap's estimates against Evaluate's accuracies, and the errors.
func TestCorpus(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	dir, table := toneCorpus(t, m, 12)
	split := dataset.Split{Train: []int{0, 1, 2, 3, 4, 5}, Validation: []int{6, 7, 8}, Test: []int{9, 10, 11}}
	c, err := m.LoadCorpus(dir, table, split)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		got  Dataset
		rows []int
	}{{c.Train, split.Train}, {c.Validation, split.Validation}, {c.Test, split.Test}} {
		want := m.MustTableDataset(dir, table, part.rows)
		if !slices.Equal(part.got.Images, want.Images) || !reflect.DeepEqual(part.got.Labels, want.Labels) {
			t.Errorf("rows %v: the corpus's part differs from TableDataset's", part.rows)
		}
	}
	size := len(c.Train.Images) / c.Train.Len()
	if got := c.Train.Image(2); !slices.Equal(got, c.Train.Images[2*size:3*size]) {
		t.Error("Image(2) is not the third image")
	}

	selected, err := c.Select([]int{10, 1, 7})
	if err != nil {
		t.Fatal(err)
	}
	wantImages := slices.Concat(c.Test.Image(1), c.Train.Image(1), c.Validation.Image(1))
	if !slices.Equal(selected.Images, wantImages) || !slices.Equal(selected.Labels.Index, []int{1, 1, 1}) {
		t.Errorf("Select(10, 1, 7): labels %v, or images not those of the parts", selected.Labels.Index)
	}
	if _, err := c.Select([]int{12}); err == nil || !strings.Contains(err.Error(), "row 12") {
		t.Errorf("a row in no part: error %v", err)
	}
	twice := c
	twice.Split.Test = append(slices.Clone(c.Split.Test[:len(c.Split.Test)-1]), c.Split.Train[0])
	if _, err := twice.Select([]int{1}); err == nil || !strings.Contains(err.Error(), "two parts") {
		t.Errorf("a row in two parts: error %v", err)
	}

	if _, err := MustNew(tinyConfig(SingleLabel), 1).LoadCorpus(filepath.Join(dir, "gone"), table, split); err == nil ||
		!strings.Contains(err.Error(), "gone") || !strings.Contains(err.Error(), "training part") {
		t.Errorf("a missing directory: error %v, want one naming it and the part", err)
	}

	// Train a little, so that the accuracies are not all equal.
	if _, err := Train(m, c.Train, c.Validation, TrainOptions{Steps: 6, BatchSize: 6, LearningRate: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	scores, err := m.PredictImages(c.Test.Images)
	if err != nil {
		t.Fatal(err)
	}
	classes := m.MustClassify(c.Test)
	for i, row := range scores {
		for k := range row {
			if row[k] > row[classes[i]] {
				t.Errorf("test image %d: class %d, but class %d scores higher", i, classes[i], k)
			}
		}
	}
	groups := make([]string, len(table.Rows))
	for i := range groups {
		groups[i] = fmt.Sprint(i / 2) // pairs of rows: 0-1, 2-3, …, 6-7 spans training and validation
	}
	gap, err := c.AccuracyGap(m, split.Train, metrics.BootstrapConfig{Seed: 1, Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	_, trainAccuracy := m.MustEvaluate(c.Train)
	_, valAccuracy := m.MustEvaluate(c.Validation)
	if math.Abs(gap.Train.Estimate-trainAccuracy) > 1e-6 || math.Abs(gap.Validation.Estimate-valAccuracy) > 1e-6 ||
		math.Abs(gap.Difference.Estimate-(trainAccuracy-valAccuracy)) > 1e-6 {
		t.Errorf("gap %v, want training %v and validation %v as Evaluate measures them", gap, trainAccuracy, valAccuracy)
	}
	wantString := fmt.Sprintf("training %s, validation %s: a gap of %.1f points [%.1f, %.1f]", gap.Train.Percent(),
		gap.Validation.Percent(), 100*gap.Difference.Estimate, 100*gap.Difference.Lower, 100*gap.Difference.Upper)
	if gap.String() != wantString || strings.Contains(gap.String(), "] [") {
		t.Errorf("String() = %q", gap.String())
	}
	if _, err := c.AccuracyGap(m, split.Train, metrics.BootstrapConfig{Groups: groups[:3]}); err == nil || !strings.Contains(err.Error(), "3 group keys") {
		t.Errorf("groups of the wrong length: error %v", err)
	}
	if _, err := m.Classify(Dataset{Images: c.Test.Images, Labels: c.Test.Labels, Layer: "stem"}); err == nil {
		t.Error("Classify took a dataset of layer outputs")
	}
}

// TestWeightsDigest: the digest is the SHA-256 of the file Save writes, equal for two
// models of the same seed and different for another seed.
func TestWeightsDigest(t *testing.T) {
	a, b, other := MustNew(tinyConfig(SingleLabel), 3), MustNew(tinyConfig(SingleLabel), 3), MustNew(tinyConfig(SingleLabel), 4)
	dir := t.TempDir()
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	got := a.MustWeightsDigest()
	if got != Digest(data) {
		t.Errorf("digest %s, want the saved file's %s", got, Digest(data))
	}
	if b.MustWeightsDigest() != got {
		t.Error("two models of seed 3: different digests")
	}
	if other.MustWeightsDigest() == got {
		t.Error("seeds 3 and 4: the same digest")
	}
}
