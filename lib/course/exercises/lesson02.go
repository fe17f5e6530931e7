package exercises

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
)

// Lesson02Cache is where Lesson02 keeps the corpus's features: the lesson's own cache
// (relative to the notebook's working directory), so that a check run after the lesson's
// cells reads the features they measured instead of measuring them again. Empty measures
// every time.
var Lesson02Cache = "../build/lesson-cache/02-features"

// Lesson02 holds the answers to lesson 02's exercises 1 to 4 (Handcrafted features). The
// accuracies are those of the lesson's split (70 % training, 30 % test, stratified by
// species, seed 1) of the 120 recordings of synth-birds, with features measured within
// 1–10 kHz unless an exercise says otherwise.
type Lesson02 struct {
	// NoBandPercent (exercise 1) is the logistic regression's test accuracy (%) on all
	// features measured without the band (features.Options{}).
	NoBandPercent float64
	// KNNPercent and ForestPercent (exercise 2) are the test accuracies (%) on all features
	// of classify.NewKNN(classify.KNNOptions{K: 3}) and of
	// classify.NewRandomForest(classify.ForestOptions{}).
	KNNPercent, ForestPercent float64
	// Best (exercise 2) is the best of the three classifiers: "logistic", "k-NN" or
	// "forest" (a tie makes either right).
	Best string
	// SeedSpreadPoints (exercise 3) is the largest minus the smallest test accuracy
	// (points) of the logistic regression on all features over the split's seeds 1 to 5.
	SeedSpreadPoints float64
	// WorstExtra (exercise 4) is the feature that, added alone to f0_mean_hz and
	// peak_frequency_hz, lowers the logistic regression's test accuracy most:
	// "bandwidth90_hz", "call_duration_s" or "centroid_hz".
	WorstExtra string
}

// lesson02Extras are the features exercise 4 adds, one at a time, to lesson02Pair.
var (
	lesson02Extras = []string{"bandwidth90_hz", "call_duration_s", "centroid_hz"}
	lesson02Pair   = []string{"f0_mean_hz", "peak_frequency_hz"}
)

// lesson02Data is the corpus the checks measure: its label table and the features of each
// row, described once per features.Options the checks ask for (within the band, and
// without it only when exercise 1 is answered).
type lesson02Data struct {
	dir       string
	labels    *dataset.LabelTable
	described map[features.Options]lesson02Features
}

// lesson02Features are the feature names and one vector per row of the label table.
type lesson02Features struct {
	names   []string
	vectors [][]float32
}

// accuracy fits model on the features named (all when none) of the split of seed and
// returns its test accuracy in percent.
func (d lesson02Data) accuracy(model classify.Classifier, o features.Options, seed uint64, keep ...string) (float64, error) {
	f, ok := d.described[o]
	if !ok {
		var err error
		if f.names, f.vectors, err = features.DescribeRows(d.dir, d.labels, nil, o, Lesson02Cache); err != nil {
			return 0, err
		}
		d.described[o] = f
	}
	x, err := features.Select(f.names, f.vectors, keep...)
	if err != nil {
		return 0, err
	}
	split, err := dataset.StratifiedGroupSplit(d.labels, dataset.SplitOptions{Train: 0.7, Test: 0.3, Seed: seed})
	if err != nil {
		return 0, err
	}
	truth, predicted, err := classify.FitPredictSplit(model, d.labels, x, split)
	if err != nil {
		return 0, err
	}
	accuracy, err := classify.Accuracy(truth, predicted)
	return 100 * accuracy, err
}

// lesson02Band is the band the lesson measures its features within (Hz).
var lesson02Band = features.Options{BandLowHz: 1000, BandHighHz: 10000}

// logistic is the lesson's classifier, with its default options.
func logistic() classify.Classifier {
	return classify.NewLogisticRegression(classify.LogisticOptions{})
}

// CheckTo prints one line per answer to w, and how many pass. An answer left at its zero
// value is "not yet", and nothing is measured for it. The error is not nil only when the
// corpus cannot be read or described (it names the file).
func (a Lesson02) CheckTo(w io.Writer) error {
	dir := filepath.Join(Datasets, "synth-birds")
	labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return fmt.Errorf("exercises: lesson 02: %w", err)
	}
	data := lesson02Data{dir: dir, labels: labels, described: map[features.Options]lesson02Features{}}
	check := selfcheck.NewTo(w)
	notYet := math.NaN() // the expected value of an answer left blank: never measured
	want := func(answered bool, measure func() (float64, error)) (float64, error) {
		if !answered {
			return notYet, nil
		}
		return measure()
	}

	noBand, err := want(a.NoBandPercent != 0, func() (float64, error) {
		return data.accuracy(logistic(), features.Options{}, 1)
	})
	if err != nil {
		return fmt.Errorf("exercises: lesson 02, exercise 1: %w", err)
	}
	check.Near("exercise 1: the test accuracy without the band (%)", a.NoBandPercent, noBand, 0.05,
		"features.MustDescribeRows with features.Options{}, then the logistic regression's accuracy on the split")

	accuracies := map[string]float64{"logistic": notYet, "k-NN": notYet, "forest": notYet}
	if a.KNNPercent != 0 || a.ForestPercent != 0 || a.Best != "" {
		models := map[string]classify.Classifier{"logistic": logistic(),
			"k-NN": classify.NewKNN(classify.KNNOptions{K: 3}), "forest": classify.NewRandomForest(classify.ForestOptions{})}
		for name, model := range models {
			if accuracies[name], err = data.accuracy(model, lesson02Band, 1); err != nil {
				return fmt.Errorf("exercises: lesson 02, exercise 2: %w", err)
			}
		}
	}
	check.Near("exercise 2: k-NN's test accuracy (%)", a.KNNPercent, accuracies["k-NN"], 0.05,
		"classify.MustFitPredictSplit with classify.NewKNN(classify.KNNOptions{K: 3}), then classify.Accuracy, times 100")
	check.Near("exercise 2: the forest's test accuracy (%)", a.ForestPercent, accuracies["forest"], 0.05,
		"classify.MustFitPredictSplit with classify.NewRandomForest(classify.ForestOptions{}), then classify.Accuracy, times 100")
	top := math.Max(accuracies["logistic"], math.Max(accuracies["k-NN"], accuracies["forest"]))
	best, known := accuracies[a.Best]
	check.That("exercise 2: the best of the three", known && best == top, strconv.Quote(a.Best),
		"compare the three accuracies (a tie makes either right)")

	spread, err := want(a.SeedSpreadPoints != 0, func() (float64, error) {
		lowest, highest := math.Inf(1), math.Inf(-1)
		for seed := uint64(1); seed <= 5; seed++ {
			accuracy, err := data.accuracy(logistic(), lesson02Band, seed)
			if err != nil {
				return 0, err
			}
			lowest, highest = math.Min(lowest, accuracy), math.Max(highest, accuracy)
		}
		return highest - lowest, nil
	})
	if err != nil {
		return fmt.Errorf("exercises: lesson 02, exercise 3: %w", err)
	}
	check.Near("exercise 3: the spread over seeds 1 to 5 (points)", a.SeedSpreadPoints, spread, 0.05,
		"the Seed in the split's dataset.SplitOptions; subtract the lowest accuracy from the highest")

	worstOK := false
	if slices.Contains(lesson02Extras, a.WorstExtra) {
		extra := map[string]float64{}
		lowest := math.Inf(1)
		for _, name := range lesson02Extras {
			accuracy, err := data.accuracy(logistic(), lesson02Band, 1, append(lesson02Pair[:2:2], name)...)
			if err != nil {
				return fmt.Errorf("exercises: lesson 02, exercise 4: %w", err)
			}
			extra[name], lowest = accuracy, math.Min(lowest, accuracy)
		}
		worstOK = extra[a.WorstExtra] == lowest
	}
	check.That("exercise 4: the extra feature that costs most", worstOK, strconv.Quote(a.WorstExtra),
		"the logistic regression's accuracy with the two features and each extra one (features.MustSelect)")
	check.Done()
	return nil
}

// MustCheck is CheckTo on the cell's output; it panics when the corpus cannot be read.
func (a Lesson02) MustCheck() {
	if err := a.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}
