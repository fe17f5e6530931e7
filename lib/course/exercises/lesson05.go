package exercises

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
)

// Lesson05 holds the answers to lesson 05's exercises 5 to 7 (exercises 1 to 4 compare
// tables the student prints), and the models' scores they are about: the notebook
// computed and cached them, so they are passed in, not recomputed here.
type Lesson05 struct {
	// WeakestRecallWidth is exercise 5: the width (upper − lower) of the 95 % bootstrap
	// interval (BootstrapConfig{Seed: 1}, test clips resampled) of the logistic
	// regression's test recall on its weakest species (the lowest test recall; the first
	// on a tie).
	WeakestRecallWidth float64
	// MLPECE5 and MLPECE20 are exercise 6: the MLP's expected calibration error on the
	// test clips with 5 and with 20 bins.
	MLPECE5, MLPECE20 float64
	// HonestF1OneClip is exercise 7: the test macro F1 (the estimate) of the multi-label
	// logistic regression with each species' best-F1 threshold chosen on the first
	// validation recording of that species only.
	HonestF1OneClip float64

	// Logistic, MLP and Sigmoid are the lesson's scores: allScores()[0] (embeddings +
	// logistic regression), allScores()[1] (embeddings + MLP) and the multi-label
	// logistic regression's (sig), on the validation and test clips of the lesson's split.
	Logistic, MLP, Sigmoid classify.SplitScores
}

// lesson05Split is the lesson's split of synth-transfer: the first 40 recordings of each
// species, by recording into train (50 %), validation (25 %) and test (25 %), seed 1.
func lesson05Split() (*dataset.LabelTable, dataset.Split, error) {
	path := filepath.Join(Datasets, "synth-transfer", "labels.csv")
	if _, err := os.Stat(path); err != nil {
		return nil, dataset.Split{}, fmt.Errorf("exercises: lesson 05 reads %s (run make setup): %w", path, err)
	}
	full, err := dataset.ReadLabelCSV(path)
	if err != nil {
		return nil, dataset.Split{}, fmt.Errorf("exercises: %w", err)
	}
	half, _, err := dataset.FirstPerClass(full, 40)
	if err != nil {
		return nil, dataset.Split{}, fmt.Errorf("exercises: %s: %w", path, err)
	}
	s, err := dataset.StratifiedGroupSplit(half, dataset.SplitOptions{Train: 0.5, Validation: 0.25, Test: 0.25, Seed: 1})
	return half, s, err
}

// lesson05Expected holds the values the answers are checked against.
type lesson05Expected struct {
	weakestRecallWidth, mlpECE5, mlpECE20, honestF1OneClip float64
}

// expected computes the exercises' values from the scores passed in and the lesson's split.
func (l Lesson05) expected() (lesson05Expected, error) {
	table, s, err := lesson05Split()
	if err != nil {
		return lesson05Expected{}, err
	}
	testClasses, validationClasses := table.ClassesOf(s.Test), table.ClassesOf(s.Validation)
	for _, c := range []struct {
		name   string
		scores [][]float64
		want   int
	}{
		{"Logistic.Test", l.Logistic.Test, len(s.Test)}, {"MLP.Test", l.MLP.Test, len(s.Test)},
		{"Sigmoid.Test", l.Sigmoid.Test, len(s.Test)}, {"Sigmoid.Validation", l.Sigmoid.Validation, len(s.Validation)},
	} {
		if len(c.scores) != c.want {
			return lesson05Expected{}, fmt.Errorf("exercises: Lesson05.%s has %d rows of scores, want the lesson's %d (pass allScores() and sig)", c.name, len(c.scores), c.want)
		}
	}
	var e lesson05Expected
	// Exercise 5: the weakest species' recall, bootstrapped over the test clips.
	report, err := metrics.SingleLabelReport(l.Logistic.Test, testClasses)
	if err != nil {
		return e, fmt.Errorf("exercises: Lesson05.Logistic: %w", err)
	}
	weakest := 0
	for k, r := range report.PerClass {
		if r.Recall < report.PerClass[weakest].Recall {
			weakest = k
		}
	}
	recall, err := metrics.Bootstrap(len(testClasses), func(clips []int) (float64, error) {
		r, err := metrics.SingleLabelReport(metrics.Rows(l.Logistic.Test, clips), metrics.Rows(testClasses, clips))
		return r.PerClass[weakest].Recall, err
	}, metrics.BootstrapConfig{Seed: 1})
	if err != nil {
		return e, fmt.Errorf("exercises: exercise 5: %w", err)
	}
	e.weakestRecallWidth = recall.Upper - recall.Lower
	// Exercise 6: the MLP's ECE at 5 and 20 bins.
	for _, c := range []struct {
		bins int
		to   *float64
	}{{5, &e.mlpECE5}, {20, &e.mlpECE20}} {
		if *c.to, err = metrics.ECE(c.bins)(l.MLP.Test, testClasses); err != nil {
			return e, fmt.Errorf("exercises: Lesson05.MLP: %w", err)
		}
	}
	// Exercise 7: thresholds chosen on each species' first validation recording.
	var firstOfEach []int // the position in s.Validation of each species' first recording
	for k := range table.Classes {
		firstOfEach = append(firstOfEach, slices.Index(validationClasses, k))
	}
	oneHot, err := metrics.OneHot(metrics.Rows(validationClasses, firstOfEach), len(table.Classes))
	if err != nil {
		return e, fmt.Errorf("exercises: exercise 7: %w", err)
	}
	oneBest, err := metrics.AtBestF1PerClass(metrics.Rows(l.Sigmoid.Validation, firstOfEach), oneHot)
	if err != nil {
		return e, fmt.Errorf("exercises: Lesson05.Sigmoid.Validation: %w", err)
	}
	testHot, _ := metrics.OneHot(testClasses, len(table.Classes))
	honest, err := metrics.AtThresholds(l.Sigmoid.Test, testHot, oneBest.Thresholds())
	if err != nil {
		return e, fmt.Errorf("exercises: Lesson05.Sigmoid.Test: %w", err)
	}
	e.honestF1OneClip = honest.MacroF1
	return e, nil
}

// CheckTo prints one check line per answer to w. Its error says why the expected values
// could not be computed: the data set missing (naming its path), or scores not passed in.
func (l Lesson05) CheckTo(w io.Writer) error {
	e, err := l.expected()
	if err != nil {
		return err
	}
	check := selfcheck.NewTo(w)
	check.Near("exercise 5: width of the weakest species' recall interval", l.WeakestRecallWidth,
		e.weakestRecallWidth, 0.0005, "PerClass[k].Recall inside metrics.Bootstrap's metric")
	check.Near("exercise 6: the MLP's ECE with 5 bins", l.MLPECE5, e.mlpECE5, 0.0005,
		"metrics.TopLabelReliability(all[1].Test, testClasses, 5).ECE")
	check.Near("exercise 6: the MLP's ECE with 20 bins", l.MLPECE20, e.mlpECE20, 0.0005,
		"the same with 20 bins")
	check.Near("exercise 7: honest macro F1, 1 validation clip per species", l.HonestF1OneClip,
		e.honestF1OneClip, 0.0005,
		"AtBestF1PerClass on the 20 chosen validation clips, then AtThresholds on the test clips")
	check.Done()
	return nil
}

// MustCheck is CheckTo on the cell's output; it panics on CheckTo's error.
func (l Lesson05) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}
