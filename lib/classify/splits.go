package classify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Splitting is one way to split a label table's rows into train and test: Group names
// each row's group, as dataset.SplitOptions.Group does, and the rows of one group land on
// one side. A nil Group groups by recording (the row's file); a Group that returns a
// different name for every clip is the leaky split.
type Splitting struct {
	Name  string
	Group func(dataset.Row) string
}

// SplitCheckOptions sets how CompareSplits splits. Zero fields take the defaults in
// brackets.
type SplitCheckOptions struct {
	// Test is the fraction of the rows each split puts in its test part; the rest train
	// [0.3].
	Test float64
	// Seeds are the split seeds, one split per seed and splitting; at least one [1, 2,
	// 3, 4, 5]. Seeds that give the same split (a repeated seed, or a splitting with few
	// groups) are tracked, not refused: the intervals count that split once
	// (metrics.DistinctRepeats), and fewer than 2 distinct splits give NaN bounds.
	Seeds []uint64
	// Level is the confidence level of the intervals [0.95].
	Level float64
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o SplitCheckOptions) withDefaults() SplitCheckOptions {
	if o.Test == 0 {
		o.Test = 0.3
	}
	if o.Seeds == nil {
		o.Seeds = []uint64{1, 2, 3, 4, 5}
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	return o
}

// SplitCheck is what one classifier reached under one splitting, seed by seed. Accuracies
// are fractions in [0, 1].
type SplitCheck struct {
	// Classifier is the classifier's Name; Splitting the splitting's.
	Classifier, Splitting string
	// Seeds are the split seeds; the slices below hold one value per seed, in this order.
	Seeds []uint64
	// TestClips is the size of each seed's test part.
	TestClips []int
	// DistinctSplits counts the different test parts among the seeds. A splitting with
	// few groups of uneven sizes (a handful of sites) can give the same split for several
	// seeds; those seeds are not independent repeats, so the intervals below count each
	// distinct split once.
	DistinctSplits int
	// Distinct holds the index in Seeds of the first seed giving each distinct split
	// (metrics.DistinctRepeats): the values the intervals count.
	Distinct []int
	// Test is the accuracy on each seed's test part, New on the new rows (the same rows
	// for every seed), both by the model fitted on that seed's train part. Inflation is
	// Test − New, seed by seed: how much the split's test part flatters the model.
	Test, New, Inflation []float64
	// TestCI, NewCI and InflationCI are Student t intervals (metrics.MeanInterval) over
	// one value per distinct split, that of the first seed giving it, with
	// DistinctSplits − 1 degrees of freedom: Estimate is the mean over the distinct
	// splits, which is the mean over the seeds when every seed gives its own split. With
	// a single distinct split there is no spread to measure: Estimate is its value and
	// Lower and Upper are NaN (metrics.RepeatsInterval, the policy fewshot.Comparison
	// follows too). InflationCI is computed on the per-split differences: its
	// Estimate is TestCI's minus NewCI's, but its bounds are not made from theirs. As
	// everywhere in the course, the bounds are clipped at what the quantity can take
	// (metrics.Interval.Clip): [0, 1] for TestCI and NewCI, [−1, 1] for InflationCI; t's
	// symmetric interval would run past 1 when few, spread splits sit near it.
	TestCI, NewCI, InflationCI metrics.Interval
}

// SplitCheckData is what CompareSplits splits and scores: the corpus (Table, with
// Vectors, one feature vector per row) and the new rows (NewTable with NewVectors: clips
// no split ever sees, as if recorded next season). Its fields are named so that a call
// cannot swap the corpus and the new rows unseen.
type SplitCheckData struct {
	Table      *dataset.LabelTable
	Vectors    [][]float32
	NewTable   *dataset.LabelTable
	NewVectors [][]float32
}

// CompareSplits measures how much each splitting's test part flatters each classifier.
// For every classifier, splitting and seed it splits the rows of data.Table by
// dataset.StratifiedGroupSplit into train and test, fits a fresh model from newClassifier
// on the train part, and scores it on the test part and on the new rows. It returns one
// SplitCheck per classifier and splitting, classifier by classifier, each splitting in
// the order given. Every classifier sees the same splits.
//
// The intervals are over the splits, not over the clips: each says where the mean over
// all split seeds would lie, on these clips and these new rows. With a handful of seeds a
// bootstrap over them would be too narrow, so they are Student t intervals
// (metrics.RepeatsInterval), over one value per distinct split (seeds that repeat a split
// are not independent repeats; see SplitCheck.DistinctSplits). The test and new
// accuracies of one split come from one model and move together, so the inflation's
// interval is computed on the per-split differences (paired), which is what tells
// whether a splitting flatters at all. None of the intervals includes the sampling noise
// of the new rows themselves (every seed scores the same new rows): for that, bootstrap
// them by recording (metrics.Bootstrap).
//
// The label tables must have the same classes; bad input (vectors that do not match their
// table, no seed, a test fraction or level outside (0, 1),
// no splittings or classifiers) is an error wrapping ErrInput that names the value,
// returned before any model is fitted.
func CompareSplits(data SplitCheckData, splittings []Splitting, newClassifiers []func() Classifier, o SplitCheckOptions) ([]SplitCheck, error) {
	o = o.withDefaults()
	table, vectors, newTable, newVectors := data.Table, data.Vectors, data.NewTable, data.NewVectors
	switch {
	case table == nil || newTable == nil:
		return nil, fmt.Errorf("classify: compare splits: a nil label table: %w", ErrInput)
	case len(vectors) != len(table.Rows):
		return nil, fmt.Errorf("classify: compare splits: %d feature vectors for a label table of %d rows: %w", len(vectors), len(table.Rows), ErrInput)
	case len(newVectors) != len(newTable.Rows):
		return nil, fmt.Errorf("classify: compare splits: %d new feature vectors for a new label table of %d rows: %w", len(newVectors), len(newTable.Rows), ErrInput)
	case !slices.Equal(table.Classes, newTable.Classes):
		return nil, fmt.Errorf("classify: compare splits: the new rows' classes %v differ from the table's %v: %w", newTable.Classes, table.Classes, ErrInput)
	case len(o.Seeds) == 0:
		return nil, fmt.Errorf("classify: compare splits: no seeds, want at least one: %w", ErrInput)
	case !(o.Test > 0 && o.Test < 1):
		return nil, fmt.Errorf("classify: compare splits: test fraction %v, want a value in (0, 1): %w", o.Test, ErrInput)
	case !(o.Level > 0 && o.Level < 1):
		return nil, fmt.Errorf("classify: compare splits: confidence level %v, want a value in (0, 1): %w", o.Level, ErrInput)
	case len(splittings) == 0 || len(newClassifiers) == 0:
		return nil, fmt.Errorf("classify: compare splits: %d splittings and %d classifiers, want at least one of each: %w", len(splittings), len(newClassifiers), ErrInput)
	}
	for i, c := range newClassifiers {
		if c == nil {
			return nil, fmt.Errorf("classify: compare splits: classifier constructor %d is nil: %w", i, ErrInput)
		}
	}
	xNew, yNew, err := Subset(newTable, newVectors, nil)
	if err != nil {
		return nil, fmt.Errorf("classify: compare splits, new rows: %w", err)
	}
	// The splits, once per splitting and seed: every classifier sees the same ones.
	type part struct {
		xTrain, xTest [][]float32
		yTrain, yTest dataset.Labels
	}
	// firsts[j] holds, for splitting j, the index in o.Seeds of the first seed giving each
	// distinct split: the intervals count each split once.
	parts, firsts := make([][]part, len(splittings)), make([][]int, len(splittings))
	for j, s := range splittings {
		var tests []string
		for _, seed := range o.Seeds {
			split, err := dataset.StratifiedGroupSplit(table, dataset.SplitOptions{
				Train: 1 - o.Test, Test: o.Test, Seed: seed, Group: s.Group})
			if err != nil {
				return nil, fmt.Errorf("classify: compare splits, %s, seed %d: %w", s.Name, seed, err)
			}
			if len(split.Train) == 0 || len(split.Test) == 0 {
				return nil, fmt.Errorf("classify: compare splits, %s, seed %d: %d train and %d test rows, want both non-empty: %w", s.Name, seed, len(split.Train), len(split.Test), ErrInput)
			}
			var p part
			if p.xTrain, p.yTrain, err = Subset(table, vectors, split.Train); err != nil {
				return nil, fmt.Errorf("classify: compare splits, %s, seed %d, train part: %w", s.Name, seed, err)
			}
			if p.xTest, p.yTest, err = Subset(table, vectors, split.Test); err != nil {
				return nil, fmt.Errorf("classify: compare splits, %s, seed %d, test part: %w", s.Name, seed, err)
			}
			tests = append(tests, fmt.Sprint(split.Test))
			parts[j] = append(parts[j], p)
		}
		firsts[j] = metrics.DistinctRepeats(tests)
	}
	var checks []SplitCheck
	for _, newClassifier := range newClassifiers {
		for j, s := range splittings {
			c := SplitCheck{Splitting: s.Name, Seeds: slices.Clone(o.Seeds), DistinctSplits: len(firsts[j]), Distinct: slices.Clone(firsts[j])}
			for k, seed := range o.Seeds {
				p, model := parts[j][k], newClassifier()
				c.Classifier = model.Name()
				if err := model.Fit(p.xTrain, p.yTrain); err != nil {
					return nil, fmt.Errorf("classify: compare splits, %s, %s, seed %d: fitting: %w", c.Classifier, s.Name, seed, err)
				}
				test, err := accuracyOn(model, p.xTest, p.yTest)
				if err != nil {
					return nil, fmt.Errorf("classify: compare splits, %s, %s, seed %d: %w", c.Classifier, s.Name, seed, err)
				}
				next, err := accuracyOn(model, xNew, yNew)
				if err != nil {
					return nil, fmt.Errorf("classify: compare splits, %s, %s, seed %d, new rows: %w", c.Classifier, s.Name, seed, err)
				}
				c.TestClips = append(c.TestClips, len(p.xTest))
				c.Test, c.New = append(c.Test, test), append(c.New, next)
				c.Inflation = append(c.Inflation, test-next)
			}
			for _, iv := range []struct {
				to        *metrics.Interval
				values    []float64
				low, high float64
			}{{&c.TestCI, c.Test, 0, 1}, {&c.NewCI, c.New, 0, 1}, {&c.InflationCI, c.Inflation, -1, 1}} {
				if *iv.to, err = metrics.RepeatsInterval(iv.values, firsts[j], o.Level); err != nil {
					return nil, fmt.Errorf("classify: compare splits, %s, %s: %w", c.Classifier, s.Name, err)
				}
				*iv.to = iv.to.Clip(iv.low, iv.high)
			}
			checks = append(checks, c)
		}
	}
	return checks, nil
}

// MustCompareSplits is [CompareSplits] for notebooks: it panics on error.
func MustCompareSplits(data SplitCheckData, splittings []Splitting, newClassifiers []func() Classifier, o SplitCheckOptions) []SplitCheck {
	checks, err := CompareSplits(data, splittings, newClassifiers, o)
	if err != nil {
		panic(err)
	}
	return checks
}

// accuracyOn returns the fraction of the rows x that a fitted model classifies as y says.
func accuracyOn(model Classifier, x [][]float32, y dataset.Labels) (float64, error) {
	predicted, err := model.Predict(x)
	if err != nil {
		return 0, fmt.Errorf("predicting: %w", err)
	}
	return Accuracy(y, predicted)
}

// SplitChecksTable writes CompareSplits' checks as a text table in percent, one block per
// classifier (a header naming it and its seeds, then one line per splitting): the mean
// test accuracy, the mean accuracy on the new rows and the mean inflation (in points),
// each with its interval in brackets, and the number of distinct splits. A bound that is
// NaN (a single distinct split has no interval) prints as — (metrics.Interval.Bounds).
func SplitChecksTable(checks []SplitCheck) string {
	interval := func(format string, iv metrics.Interval) string {
		return fmt.Sprintf(format+" %s", 100*iv.Estimate, iv.Bounds(format, 100))
	}
	var b strings.Builder
	for i, c := range checks {
		if i == 0 || c.Classifier != checks[i-1].Classifier {
			fmt.Fprintf(&b, "\n%s, %d seeds: mean over the distinct splits [%.0f %% interval]\n", c.Classifier, len(c.Seeds), 100*c.TestCI.Level)
			fmt.Fprintf(&b, "  %-24s %-19s %-19s %-19s %s\n", "split", "test accuracy %", "new recordings %", "inflation (points)", "splits")
		}
		fmt.Fprintf(&b, "  %-24s %-19s %-19s %-19s %6d\n", c.Splitting, interval("%.1f", c.TestCI),
			interval("%.1f", c.NewCI), interval("%+.1f", c.InflationCI), c.DistinctSplits)
	}
	return b.String()
}

// SplitGap is how one splitting's check differs from another's, for one classifier: a
// minus b, in fractions (points when multiplied by 100).
type SplitGap struct {
	Classifier, Splitting, Baseline string
	// New is the difference of the mean accuracies on the new rows, Inflation that of
	// the mean inflations. Each is a Welch t interval (metrics.WelchInterval) over one
	// value per distinct split of each splitting, clipped at [−1, 1]: two splittings'
	// splits share nothing (seed k of one is unrelated to seed k of the other), so the
	// difference is unpaired, and a splitting with 2 distinct splits brings about 1
	// degree of freedom.
	New, Inflation metrics.Interval
}

// SplitGaps compares every splitting of CompareSplits' checks with the one named
// baseline, classifier by classifier, in the checks' order (the baseline itself is
// skipped): does a leaky or a site split flatter more, or train a worse model, than the
// recording split? A splitting with fewer than 2 distinct splits, or a baseline missing
// for a classifier, is an error wrapping ErrInput.
func SplitGaps(checks []SplitCheck, baseline string, level float64) ([]SplitGap, error) {
	pick := func(values []float64, distinct []int) []float64 {
		kept := make([]float64, len(distinct))
		for i, k := range distinct {
			kept[i] = values[k]
		}
		return kept
	}
	var gaps []SplitGap
	for _, c := range checks {
		if c.Splitting == baseline {
			continue
		}
		i := slices.IndexFunc(checks, func(b SplitCheck) bool { return b.Classifier == c.Classifier && b.Splitting == baseline })
		if i < 0 {
			return nil, fmt.Errorf("classify: split gaps: no %q check for %s: %w", baseline, c.Classifier, ErrInput)
		}
		b, g := checks[i], SplitGap{Classifier: c.Classifier, Splitting: c.Splitting, Baseline: baseline}
		for _, iv := range []struct {
			to   *metrics.Interval
			a, b []float64
		}{{&g.New, c.New, b.New}, {&g.Inflation, c.Inflation, b.Inflation}} {
			var err error
			if *iv.to, err = metrics.WelchInterval(pick(iv.a, c.Distinct), pick(iv.b, b.Distinct), level); err != nil {
				return nil, fmt.Errorf("classify: split gaps, %s, %s − %s: %w: %w", c.Classifier, c.Splitting, baseline, err, ErrInput)
			}
			*iv.to = iv.to.Clip(-1, 1)
		}
		gaps = append(gaps, g)
	}
	return gaps, nil
}

// SplitGapsTable writes SplitGaps' gaps as a text table in points, one block per
// classifier: each splitting minus the baseline, on the new rows and in inflation, each
// with its Welch interval in brackets.
func SplitGapsTable(gaps []SplitGap) string {
	var b strings.Builder
	for i, g := range gaps {
		if i == 0 || g.Classifier != gaps[i-1].Classifier {
			fmt.Fprintf(&b, "\n%s: minus %s, points [%.0f %% Welch interval]\n", g.Classifier, g.Baseline, 100*g.New.Level)
			fmt.Fprintf(&b, "  %-24s %-22s %s\n", "split", "new recordings", "inflation")
		}
		fmt.Fprintf(&b, "  %-24s %-22s %s\n", g.Splitting,
			fmt.Sprintf("%+.1f %s", 100*g.New.Estimate, g.New.Bounds("%+.1f", 100)),
			fmt.Sprintf("%+.1f %s", 100*g.Inflation.Estimate, g.Inflation.Bounds("%+.1f", 100)))
	}
	return b.String()
}

// MustSplitGaps is [SplitGaps] for notebooks: it panics on error.
func MustSplitGaps(checks []SplitCheck, baseline string, level float64) []SplitGap {
	gaps, err := SplitGaps(checks, baseline, level)
	if err != nil {
		panic(err)
	}
	return gaps
}
