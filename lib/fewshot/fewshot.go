package fewshot

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// ErrInput is wrapped by every error about bad inputs to Compare.
var ErrInput = errors.New("fewshot: bad input")

// FeatureSet is one way of describing the rows of a label table: Vectors[i]
// describes row i of the table (every row, in order, even those Compare does
// not use).
type FeatureSet struct {
	// Name says what the features are, for tables ("birds-v1 embedding").
	Name    string
	Vectors [][]float32
}

// Options configures Compare. Zero fields take the defaults in brackets.
type Options struct {
	// PerClass is the number of training clips drawn per class [10].
	PerClass int
	// Seeds are the seeds of the draws, one training set each [1, 2, 3, 4, 5].
	Seeds []uint64
	// Rows are the candidate rows of the table: training clips are drawn from
	// them and every other one is a test clip [all rows].
	Rows []int
	// NewClassifier makes a fresh, unfitted classifier for each fit [logistic
	// regression with scikit-learn's defaults, C = 1].
	NewClassifier func() classify.Classifier
}

// Seeds returns the seeds 1, 2, …, n of n draws, the seeds the commands and the
// defaults measure over; nil when n ≤ 0, which the options read as "the default".
func Seeds(n int) []uint64 {
	if n <= 0 {
		return nil
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

func (o Options) withDefaults() Options {
	if o.PerClass == 0 {
		o.PerClass = 10
	}
	if len(o.Seeds) == 0 {
		o.Seeds = Seeds(5)
	}
	if o.NewClassifier == nil {
		o.NewClassifier = func() classify.Classifier { return classify.NewLogisticRegression(classify.LogisticOptions{}) }
	}
	return o
}

// Result is one feature set's test accuracy over the draws.
type Result struct {
	Name string `json:"name"`
	// Features is the length of the feature vectors.
	Features int `json:"features"`
	// Accuracies holds the test accuracy (fraction in [0, 1]) of each draw, in
	// the order of Options.Seeds.
	Accuracies []float64 `json:"accuracies"`
	// Mean, Std (sample standard deviation, n−1; 0 for one draw), Min and Max
	// summarise Accuracies over the distinct draws (those not in
	// Comparison.Repeats), so Mean is the centre of Comparison.Interval.
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	// CILow and CIHigh (JSON ci95_low, ci95_high) bound a 95 %
	// percentile-bootstrap interval on Mean: the distinct draws resampled with
	// replacement (metrics.Bootstrap, 2000 replicates, seed 1). It is kept for
	// the records (transfer.json) and is too narrow for a few draws; the
	// tables print Comparison.Interval, Student t's, instead. Neither says how
	// a new set of classes would score.
	CILow  float64 `json:"ci95_low"`
	CIHigh float64 `json:"ci95_high"`
	// TrainMean is the mean accuracy on the training clips over the distinct
	// draws.
	TrainMean float64 `json:"train_mean,omitempty"`
	// TrainAccuracies holds the accuracy on the training clips of each draw, in
	// the order of Options.Seeds, as Accuracies does on the test clips: the pairs
	// Comparison.Gap subtracts.
	TrainAccuracies []float64 `json:"train_accuracies,omitempty"`
	// FitSeconds is the mean wall time of one Fit, in seconds.
	FitSeconds float64 `json:"fit_seconds"`
	// NumWeights is the fitted classifier's number of learnt numbers.
	NumWeights int `json:"num_weights"`
	// Iterations holds each draw's solver iterations, and Unconverged counts
	// the fits that stopped at their iteration limit before converging, for a
	// classifier that says (classify.Iterative); nil and 0 otherwise.
	Iterations  []int `json:"iterations,omitempty"`
	Unconverged int   `json:"unconverged,omitempty"`
}

// Comparison is what Compare measured.
type Comparison struct {
	// Classifier names the classifier (Classifier.Name).
	Classifier string `json:"classifier"`
	// PerClass, Classes, TrainClips and TestClips size each draw (TestClips
	// the last draw's, when recordings of several clips make it vary).
	PerClass   int      `json:"per_class"`
	Classes    int      `json:"classes"`
	TrainClips int      `json:"train_clips"`
	TestClips  int      `json:"test_clips"`
	Seeds      []uint64 `json:"seeds"`
	// Results are in the order of the feature sets given.
	Results []Result `json:"results"`
	// Repeats lists the indices (into Seeds) of the draws whose training rows are
	// those of an earlier seed's draw: not independent repeats, so Interval and
	// Difference leave them out (metrics.DistinctRepeats' policy: tracked, not
	// refused, counted once).
	Repeats []int `json:"repeated_draws,omitempty"`
}

// Interval returns the 95 % Student t interval on the mean test accuracy of
// Results[k] over the distinct draws (metrics.RepeatsInterval, each draw one
// repeat), its bounds clipped to [0, 1], the range of a mean accuracy (t's
// symmetric interval runs past 1 when the draws are near 1 and spread). For a
// few draws it is the honest interval: the bootstrap CILow–CIHigh over the
// same draws is too narrow for fewer than about ten. A single distinct draw
// has no spread to measure: its bounds are NaN (the policy
// classify.CompareSplits follows too).
func (c *Comparison) Interval(k int) (metrics.Interval, error) {
	if k < 0 || k >= len(c.Results) {
		return metrics.Interval{}, fmt.Errorf("%w: result %d of %d", ErrInput, k, len(c.Results))
	}
	iv, err := metrics.RepeatsInterval(c.Results[k].Accuracies, c.distinctDraws(len(c.Results[k].Accuracies)), 0.95)
	if err != nil {
		return metrics.Interval{}, fmt.Errorf("fewshot: %s: %w", c.Results[k].Name, err)
	}
	return iv.Clip(0, 1), nil
}

// Difference returns the 95 % Student t interval on the mean of Results[a]'s
// test accuracy minus Results[b]'s, draw by draw over the distinct draws: both
// were measured on the same training and test clips, so the paired differences,
// not the overlap of two intervals, say whether they differ (NaN bounds for a
// single distinct draw, as Interval's). It is a fraction
// (0.05 is 5 percentage points), its bounds clipped to [−1, 1], the range of a
// difference of two accuracies (metrics.Interval.Clip).
func (c *Comparison) Difference(a, b int) (metrics.Interval, error) {
	if a < 0 || b < 0 || a >= len(c.Results) || b >= len(c.Results) {
		return metrics.Interval{}, fmt.Errorf("%w: results %d and %d of %d", ErrInput, a, b, len(c.Results))
	}
	ra, rb := c.Results[a].Accuracies, c.Results[b].Accuracies
	if len(ra) != len(rb) {
		return metrics.Interval{}, fmt.Errorf("%w: %s has %d draws and %s %d", ErrInput, c.Results[a].Name, len(ra), c.Results[b].Name, len(rb))
	}
	iv, err := metrics.PairedRepeatsInterval(ra, rb, c.distinctDraws(len(ra)), 0.95)
	if err != nil {
		return metrics.Interval{}, fmt.Errorf("fewshot: %s minus %s: %w", c.Results[a].Name, c.Results[b].Name, err)
	}
	return iv.Clip(-1, 1), nil
}

// distinctDraws returns the indices of the first n draws not listed in Repeats.
func (c *Comparison) distinctDraws(n int) []int {
	var out []int
	for i := range n {
		if !slices.Contains(c.Repeats, i) {
			out = append(out, i)
		}
	}
	return out
}

// distinct returns the values of the draws not listed in Repeats.
func (c *Comparison) distinct(values []float64) []float64 {
	return metrics.Rows(values, c.distinctDraws(len(values)))
}

// Result returns the result of the feature set called name, or nil.
func (c *Comparison) Result(name string) *Result {
	for i := range c.Results {
		if c.Results[i].Name == name {
			return &c.Results[i]
		}
	}
	return nil
}

// MarginPoints returns how many percentage points the mean accuracy of set a
// exceeds that of set b (negative when it falls short); NaN when either is
// missing.
func (c *Comparison) MarginPoints(a, b string) float64 {
	ra, rb := c.Result(a), c.Result(b)
	if ra == nil || rb == nil {
		return math.NaN()
	}
	return 100 * (ra.Mean - rb.Mean)
}

// String formats the comparison as a table: one line per feature set with
// mean ± standard deviation and the 95 % Student t interval on the mean
// (Interval, clipped to 0–100 %; "[—, —]" with one distinct draw), both
// over the distinct draws, the range, the fit time and the weights, then a note for each set with fits that stopped short of
// convergence.
func (c *Comparison) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d clips per class × %d classes for training (%d clips), %d test clips, %d draws (seeds %s)\n",
		c.Classifier, c.PerClass, c.Classes, c.TrainClips, c.TestClips, len(c.Seeds), seedList(c.Seeds))
	width := len("features")
	for _, r := range c.Results {
		width = max(width, len([]rune(r.Name)))
	}
	fmt.Fprintf(&b, "%-*s  %4s  %14s  %14s  %12s  %8s  %7s\n", width, "features", "dims", "test accuracy", "95% CI", "range", "fit (s)", "weights")
	for k, r := range c.Results {
		ci := "—"
		if iv, err := c.Interval(k); err == nil {
			ci = iv.Bounds("%.1f", 100)
		}
		fmt.Fprintf(&b, "%-*s  %4d  %6.1f%% ± %4.1f  %14s  %5.1f–%5.1f%%  %8.3f  %7d\n", width, r.Name, r.Features,
			100*r.Mean, 100*r.Std, ci, 100*r.Min, 100*r.Max, r.FitSeconds, r.NumWeights)
	}
	for _, r := range c.Results {
		if r.Unconverged > 0 {
			fmt.Fprintf(&b, "note: %s: %d of %d fits stopped at their iteration limit before converging (up to %d iterations); their accuracies depend on that limit\n",
				r.Name, r.Unconverged, len(r.Accuracies), slices.Max(r.Iterations))
		}
	}
	return b.String()
}

// Compare fits a fresh classifier on each feature set for each seed: the
// training rows are o.PerClass rows of each class drawn from o.Rows with
// dataset.SamplePerClass (the same rows for every set), the test rows are the
// rest of o.Rows less every clip of a recording that gave a training clip
// (recordings by dataset.CanonicalFile), so no recording is on both sides; with
// one clip per recording that is all the rest. The table must be single-label.
func Compare(labels *dataset.LabelTable, sets []FeatureSet, o Options) (*Comparison, error) {
	o = o.withDefaults()
	if labels == nil || len(labels.Rows) == 0 {
		return nil, fmt.Errorf("%w: empty label table", ErrInput)
	}
	if !labels.IsSingleLabel() {
		return nil, fmt.Errorf("%w: the label table is not single-label (every row needs exactly one class)", ErrInput)
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("%w: no feature sets", ErrInput)
	}
	for _, s := range sets {
		if len(s.Vectors) != len(labels.Rows) {
			return nil, fmt.Errorf("%w: feature set %q has %d vectors for %d label rows", ErrInput, s.Name, len(s.Vectors), len(labels.Rows))
		}
	}
	rows := o.Rows
	if rows == nil {
		rows = labels.AllRows()
	}
	for _, r := range rows {
		if r < 0 || r >= len(labels.Rows) {
			return nil, fmt.Errorf("%w: row %d outside the table's %d rows", ErrInput, r, len(labels.Rows))
		}
	}
	classes := len(labels.Classes)
	c := &Comparison{PerClass: o.PerClass, Classes: classes, Seeds: slices.Clone(o.Seeds), Classifier: o.NewClassifier().Name()}
	c.Results = make([]Result, len(sets))
	for k, s := range sets {
		c.Results[k] = Result{Name: s.Name, Features: len(s.Vectors[rows[0]]), Min: math.Inf(1), Max: math.Inf(-1)}
	}
	var drawKeys []string                           // each draw's training rows, sorted
	trainAccuracies := make([][]float64, len(sets)) // [set][draw]
	for _, seed := range o.Seeds {
		train, err := dataset.SamplePerClass(labels, rows, o.PerClass, seed)
		if err != nil {
			return nil, fmt.Errorf("fewshot: draw with seed %d: %w", seed, err)
		}
		drawKeys = append(drawKeys, fmt.Sprint(slices.Sorted(slices.Values(train))))
		trainRecordings := make(map[string]bool, len(train))
		for _, r := range train {
			trainRecordings[dataset.CanonicalFile(labels.Rows[r].File)] = true
		}
		var test []int
		for _, r := range rows {
			if !trainRecordings[dataset.CanonicalFile(labels.Rows[r].File)] {
				test = append(test, r)
			}
		}
		if len(test) == 0 {
			return nil, fmt.Errorf("%w: no test rows left after drawing %d per class (and leaving out their recordings' other clips)", ErrInput, o.PerClass)
		}
		c.TrainClips, c.TestClips = len(train), len(test)
		yTrain, err := dataset.FromTable(labels, train, dataset.ClassIndex)
		if err != nil {
			return nil, err
		}
		yTest, err := dataset.FromTable(labels, test, dataset.ClassIndex)
		if err != nil {
			return nil, err
		}
		for k, s := range sets {
			model := o.NewClassifier()
			start := time.Now()
			if err := model.Fit(pick(s.Vectors, train), yTrain); err != nil {
				return nil, fmt.Errorf("fewshot: %s, seed %d: %w", s.Name, seed, err)
			}
			r := &c.Results[k]
			r.FitSeconds += time.Since(start).Seconds() / float64(len(o.Seeds))
			r.NumWeights = model.NumWeights()
			if it, ok := model.(classify.Iterative); ok {
				r.Iterations = append(r.Iterations, it.Iterations())
				if !it.Converged() {
					r.Unconverged++
				}
			}
			predicted, err := model.Predict(pick(s.Vectors, test))
			if err != nil {
				return nil, fmt.Errorf("fewshot: %s, seed %d: %w", s.Name, seed, err)
			}
			accuracy, err := classify.Accuracy(yTest, predicted)
			if err != nil {
				return nil, err
			}
			r.Accuracies = append(r.Accuracies, accuracy)
			if predicted, err = model.Predict(pick(s.Vectors, train)); err != nil {
				return nil, fmt.Errorf("fewshot: %s, seed %d, training clips: %w", s.Name, seed, err)
			}
			if accuracy, err = classify.Accuracy(yTrain, predicted); err != nil {
				return nil, err
			}
			trainAccuracies[k] = append(trainAccuracies[k], accuracy)
		}
	}
	firsts := metrics.DistinctRepeats(drawKeys)
	for d := range drawKeys {
		if !slices.Contains(firsts, d) {
			c.Repeats = append(c.Repeats, d)
		}
	}
	for k := range c.Results {
		r := &c.Results[k]
		distinct := c.distinct(r.Accuracies)
		r.Mean, r.Std = meanStd(distinct)
		r.Min, r.Max = slices.Min(distinct), slices.Max(distinct)
		r.TrainAccuracies = trainAccuracies[k]
		r.TrainMean, _ = meanStd(c.distinct(trainAccuracies[k]))
		var err error
		if r.CILow, r.CIHigh, err = meanInterval(distinct); err != nil {
			return nil, fmt.Errorf("fewshot: %s: %w", r.Name, err)
		}
	}
	return c, nil
}

// CompareClassifiers is Compare for several classifiers on one feature set:
// Results[k] holds models[k], named by its Name(), fitted on every draw of o in
// turn (Fit starts from scratch) and measured on its test clips; every model
// sees the same draws. o.NewClassifier is ignored, and each model is left
// fitted on the last draw.
func CompareClassifiers(labels *dataset.LabelTable, vectors [][]float32, models []classify.Classifier, o Options) (*Comparison, error) {
	if len(models) == 0 {
		return nil, fmt.Errorf("%w: no classifiers", ErrInput)
	}
	var all *Comparison
	for _, model := range models {
		o.NewClassifier = func() classify.Classifier { return model }
		c, err := Compare(labels, []FeatureSet{{Name: model.Name(), Vectors: vectors}}, o)
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = c
			all.Classifier = fmt.Sprintf("%d classifiers", len(models))
			continue
		}
		all.Results = append(all.Results, c.Results[0])
	}
	return all, nil
}

// MustCompareClassifiers is CompareClassifiers that panics on an error, for notebooks.
func MustCompareClassifiers(labels *dataset.LabelTable, vectors [][]float32, models []classify.Classifier, o Options) *Comparison {
	c, err := CompareClassifiers(labels, vectors, models, o)
	if err != nil {
		panic(err)
	}
	return c
}

// meanInterval is the 95 % percentile-bootstrap interval on the mean of xs
// (2000 replicates, seed 1).
func meanInterval(xs []float64) (low, high float64, err error) {
	interval, err := metrics.Bootstrap(len(xs), func(indices []int) (float64, error) {
		var sum float64
		for _, i := range indices {
			sum += xs[i]
		}
		return sum / float64(len(indices)), nil
	}, metrics.BootstrapConfig{Resamples: 2000, Seed: 1})
	return interval.Lower, interval.Upper, err
}

// pick returns the vectors of rows, in order (sharing them).
func pick(vectors [][]float32, rows []int) [][]float32 {
	out := make([][]float32, len(rows))
	for i, r := range rows {
		out[i] = vectors[r]
	}
	return out
}

// meanStd returns the mean and the sample standard deviation (n−1) of xs.
func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x / float64(len(xs))
	}
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}
