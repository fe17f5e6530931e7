package exercises

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// lesson03Run is a small stand-in for the lesson's main run: its network and split, but
// narrow layers and 2 training steps, so that the checks of exercises 1 and 2 train in a
// second.
func lesson03Run(classes []string) Lesson03 {
	return Lesson03{
		Network: cnn.Config{FrontEnd: spectro.FrontEndOptions{Hop: 1024, NumMels: 32},
			StemChannels: 4, StageChannels: []int{8}, Classes: classes},
		Split:        dataset.NestedSplitOptions{Test: 0.3, Validation: 0.2, Seed: 1},
		MainRun:      cnn.TrainOptions{Steps: 2, BatchSize: 8, LearningRate: 3e-3, Seed: 1},
		Augmentation: cnn.Augment{TimeShiftFrames: 5},
	}
}

// check runs l's checks and returns what they print.
func check(t *testing.T, l Lesson03) string {
	t.Helper()
	var out bytes.Buffer
	if err := l.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestLesson03Blank: blank answers print "not yet" for each of the six checks and train
// nothing (they pass with no data directory at all).
func TestLesson03Blank(t *testing.T) {
	old := Datasets
	Datasets = filepath.Join(t.TempDir(), "none")
	defer func() { Datasets = old }()
	out := check(t, lesson03Run([]string{"a", "b"}))
	if n := strings.Count(out, "not yet"); n != 6 || !strings.Contains(out, "0 of 6 checks pass") {
		t.Errorf("blank answers: %d lines say not yet, want 6:\n%s", n, out)
	}
}

// TestLesson03Answers checks right answers from independent references, a wrong one, and
// a missing data directory.
func TestLesson03Answers(t *testing.T) {
	useRepositoryDatasets(t, "synth-birds")
	table, err := dataset.ReadLabelCSV(filepath.Join(Datasets, "synth-birds", "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	l := lesson03Run(table.Classes)

	// Exercise 3, by hand: the network ends in global pooling, so its parameter count is
	// the small network's; a full-size image is 130 × 64 against 65 × 32, 4 times the values.
	small, classifier := cnn.MustNew(l.Network, 1).NumParameters()
	l.FullSizeParameters, l.PixelRatio = small+classifier, 4

	// Exercise 4, a second way: the bird from the file name (r0000_<species>_i<n>.wav),
	// the groups counted with a map.
	birdOf := func(r dataset.Row) string {
		name := strings.TrimSuffix(filepath.Base(r.File), ".wav")
		return name[strings.Index(name, "_")+1:]
	}
	byBird, err := dataset.StratifiedGroupSplit(table, dataset.SplitOptions{Train: 0.7, Test: 0.3, Seed: 1, Group: birdOf})
	if err != nil {
		t.Fatal(err)
	}
	birds := map[string]bool{}
	for _, r := range byBird.Test {
		birds[birdOf(table.Rows[r])] = true
	}
	l.ByBirdTestRecordings, l.ByBirdTestBirds = len(byBird.Test), len(birds)
	if out := check(t, l); !strings.Contains(out, "4 of 6 checks pass") || strings.Count(out, "✓") != 4 {
		t.Errorf("right answers to exercises 3 and 4:\n%s", out)
	}

	wrong := l
	wrong.ByBirdTestBirds++
	if out := check(t, wrong); !strings.Contains(out, "✗ exercise 4: birds in the test part: not yet") ||
		!strings.Contains(out, "✓ exercise 4: test recordings") {
		t.Errorf("one wrong answer to exercise 4:\n%s", out)
	}

	missing := l
	old := Datasets
	Datasets = filepath.Join(t.TempDir(), "moved")
	err = missing.CheckTo(&bytes.Buffer{})
	Datasets = old
	if err == nil || !strings.Contains(err.Error(), filepath.Join("moved", "synth-birds", "labels.csv")) {
		t.Errorf("a missing data directory: error %v, want one naming labels.csv there", err)
	}

	if testing.Short() {
		t.Skip("exercises 1 and 2 train the network twice more")
	}
	// Exercises 1 and 2, a second way: train through cnn directly, count right test
	// images by Classify.
	percent := func(seed uint64, augment cnn.Augment) float64 {
		split := dataset.MustNestedSplit(table, l.Split)
		m := cnn.MustNew(l.Network, seed)
		c := m.MustLoadCorpus(filepath.Join(Datasets, "synth-birds"), table, split)
		o := l.MainRun
		o.Augment, o.Seed = augment, seed
		cnn.MustTrain(m, c.Train, c.Validation, o)
		right := 0
		for i, class := range m.MustClassify(c.Test) {
			if class == c.Test.Labels.Index[i] {
				right++
			}
		}
		return 100 * float64(right) / float64(c.Test.Len())
	}
	l.NoAugmentationPercent, l.Seed2Percent = percent(1, cnn.Augment{}), percent(2, l.Augmentation)
	if out := check(t, l); !strings.Contains(out, "all 6 checks pass") {
		t.Errorf("right answers to every exercise:\n%s", out)
	}
	l.Seed2Percent += 100.0 / 36 // one test recording more
	if out := check(t, l); !strings.Contains(out, "✗ exercise 2") {
		t.Errorf("exercise 2 off by one test recording:\n%s", out)
	}
}
