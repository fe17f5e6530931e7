package exercises

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// Lesson03 holds the answers to lesson 03's exercises (training a CNN on synth-birds),
// and what the notebook's main run is, which the checks of exercises 1 and 2 train again.
type Lesson03 struct {
	// NoAugmentationPercent is exercise 1: the test accuracy (%) of the main run without
	// augmentation (seed 1), as the notebook prints it.
	NoAugmentationPercent float64
	// Seed2Percent is exercise 2: the test accuracy (%) of the main run, augmented, with
	// seed 2 for the initial weights and for training.
	Seed2Percent float64
	// FullSizeParameters is exercise 3: the network's parameter count (feature extractor
	// and classifier) on the course's full-size images.
	FullSizeParameters int
	// PixelRatio is exercise 3: how many times as many values a full-size image has as
	// one of Network's front end.
	PixelRatio float64
	// ByBirdTestRecordings and ByBirdTestBirds are exercise 4: how many recordings and
	// how many birds the test part holds when Split's test part (its fraction and seed)
	// is grouped by bird instead of by recording.
	ByBirdTestRecordings, ByBirdTestBirds int

	// Network is the lesson's network (its Config), Split its split of synth-birds, MainRun
	// the options of its main run and Augmentation the lesson's augmentation: exercise 1
	// trains MainRun with no augmentation and seed 1, exercise 2 with Augmentation and
	// seed 2 (MainRun's checkpoint, stop and progress are left out). They are passed in,
	// not fixed here, because they are the lesson's choices.
	Network      cnn.Config
	Split        dataset.NestedSplitOptions
	MainRun      cnn.TrainOptions
	Augmentation cnn.Augment
}

// MustCheck prints the checks to standard output (the cell's output) and panics when the
// course's data cannot be read.
func (l Lesson03) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}

// CheckTo prints one line per answer to w: ✓, or "not yet" with a hint. A blank (zero)
// answer is not checked, so nothing is trained for it. An error says which file of the
// course's data (under Datasets) could not be read.
func (l Lesson03) CheckTo(w io.Writer) error {
	check := selfcheck.NewTo(w)
	notYet := math.NaN() // what an unchecked blank answer is compared with
	expected := func(answer float64, compute func() (float64, error)) (float64, error) {
		if answer == 0 {
			return notYet, nil
		}
		return compute()
	}
	noAugmentation, err := expected(l.NoAugmentationPercent, func() (float64, error) {
		return l.testPercent(1, cnn.Augment{})
	})
	if err != nil {
		return err
	}
	check.Near("exercise 1: test accuracy without augmentation (%)", l.NoAugmentationPercent,
		noAugmentation, 0.05,
		"Augment: cnn.Augment{} in trainOptions, then rerun from \"Training, in two sittings\"")
	seed2, err := expected(l.Seed2Percent, func() (float64, error) {
		return l.testPercent(2, l.Augmentation)
	})
	if err != nil {
		return err
	}
	check.Near("exercise 2: test accuracy with seed 2 (%)", l.Seed2Percent, seed2, 0.05,
		"Seed: 2 in trainOptions and newNetwork(2) in mainRun")

	parameters, ratio, err := l.fullSize()
	if err != nil {
		return err
	}
	check.Equal("exercise 3: parameters on full-size images", l.FullSizeParameters, parameters,
		"cnn.MustNew with FrontEnd: spectro.FrontEndOptions{}, then NumParameters (add both parts)")
	check.Near("exercise 3: values per full-size image / per small one", l.PixelRatio, ratio, 0.05,
		"multiply the two numbers of FrontEnd().Shape() of each")

	recordings, birds := -1, -1
	if l.ByBirdTestRecordings != 0 || l.ByBirdTestBirds != 0 {
		if recordings, birds, err = l.byBird(); err != nil {
			return err
		}
	}
	check.Equal("exercise 4: test recordings, split by bird", l.ByBirdTestRecordings, recordings,
		"Group: a bird is a species and its individual, cutaites_foaris_i0")
	check.Equal("exercise 4: birds in the test part", l.ByBirdTestBirds, birds,
		"count the distinct groups among the test rows")
	check.Done()
	return nil
}

// corpusDir is synth-birds under Datasets.
func corpusDir() string { return filepath.Join(Datasets, "synth-birds") }

// labels reads synth-birds' label table.
func labels() (*dataset.LabelTable, error) {
	return dataset.ReadLabelCSV(filepath.Join(corpusDir(), "labels.csv"))
}

// testPercent trains a fresh Network (initial weights from seed) with MainRun, seed and
// augment, without a checkpoint, and returns its test accuracy on clean images (%).
func (l Lesson03) testPercent(seed uint64, augment cnn.Augment) (float64, error) {
	table, err := labels()
	if err != nil {
		return 0, err
	}
	split, err := dataset.NestedSplit(table, l.Split)
	if err != nil {
		return 0, err
	}
	m, err := cnn.New(l.Network, seed)
	if err != nil {
		return 0, err
	}
	c, err := m.LoadCorpus(corpusDir(), table, split)
	if err != nil {
		return 0, err
	}
	o := l.MainRun
	o.Augment, o.Seed = augment, seed
	o.CheckpointDir, o.StopAfterStep, o.Progress = "", 0, nil
	if _, err := cnn.Train(m, c.Train, c.Validation, o); err != nil {
		return 0, err
	}
	_, accuracy, err := m.Evaluate(c.Test)
	return 100 * accuracy, err
}

// fullSize returns the parameter count of Network on full-size images (the front end's
// defaults) and how many times as many values such an image has as one of Network's.
func (l Lesson03) fullSize() (parameters int, ratio float64, err error) {
	small, err := cnn.New(l.Network, 1)
	if err != nil {
		return 0, 0, fmt.Errorf("exercises: lesson 03's network: %w", err)
	}
	fullConfig := l.Network
	fullConfig.FrontEnd = spectro.FrontEndOptions{}
	full, err := cnn.New(fullConfig, 1)
	if err != nil {
		return 0, 0, fmt.Errorf("exercises: lesson 03's network on full-size images: %w", err)
	}
	extractor, classifier := full.NumParameters()
	size := func(m *cnn.Model) float64 {
		return float64(m.FrontEnd().Shape()[0] * m.FrontEnd().Shape()[1])
	}
	return extractor + classifier, size(full) / size(small), nil
}

// byBird returns how many recordings and how many birds the test part of Split holds when
// it is grouped by bird (synth.RecordingMetadata.Bird) instead of by recording.
func (l Lesson03) byBird() (recordings, birds int, err error) {
	table, err := labels()
	if err != nil {
		return 0, 0, err
	}
	meta, err := synth.ReadCorpusMetadata(corpusDir())
	if err != nil {
		return 0, 0, err
	}
	birdOf := synth.BirdsByFile(meta)
	for _, r := range table.Rows {
		if _, ok := birdOf[r.File]; !ok {
			return 0, 0, fmt.Errorf("%s: no bird for %s in %s", corpusDir(), r.File, "metadata.csv")
		}
	}
	split, err := dataset.StratifiedGroupSplit(table, dataset.SplitOptions{Train: 1 - l.Split.Test,
		Test: l.Split.Test, Seed: l.Split.Seed, Group: func(r dataset.Row) string { return birdOf[r.File] }})
	if err != nil {
		return 0, 0, err
	}
	test := dataset.Split{Test: split.Test}
	birds, err = test.CheckGroups(table, func(r dataset.Row) string { return birdOf[r.File] })
	return len(split.Test), birds, err
}
