package metrics

import (
	"fmt"
	"math"
)

// Counts is a binary confusion matrix: clips by truth and by prediction.
type Counts struct {
	TruePositives, FalsePositives, FalseNegatives, TrueNegatives int
}

// Precision is TP / (TP + FP), or 0 when nothing is predicted positive.
func (c Counts) Precision() float64 {
	return ratio(c.TruePositives, c.TruePositives+c.FalsePositives)
}

// Recall is TP / (TP + FN), or 0 when there are no positives.
func (c Counts) Recall() float64 {
	return ratio(c.TruePositives, c.TruePositives+c.FalseNegatives)
}

// F1 is the harmonic mean of precision and recall, 2TP / (2TP + FP + FN), or 0 when the
// denominator is 0.
func (c Counts) F1() float64 {
	return ratio(2*c.TruePositives, 2*c.TruePositives+c.FalsePositives+c.FalseNegatives)
}

func (c Counts) add(d Counts) Counts {
	return Counts{c.TruePositives + d.TruePositives, c.FalsePositives + d.FalsePositives,
		c.FalseNegatives + d.FalseNegatives, c.TrueNegatives + d.TrueNegatives}
}

func ratio(numerator, denominator int) float64 {
	if denominator == 0 {
		return 0
	}
	return float64(numerator) / float64(denominator)
}

// ThresholdResult is how one class does when clips scored ≥ Threshold are called positive.
type ThresholdResult struct {
	// Threshold is the score at or above which a clip is called positive (NaN when the
	// prediction is an argmax, as in SingleLabelReport).
	Threshold float64
	// Counts are the clips by truth and prediction at that threshold.
	Counts Counts
	// Precision, Recall and F1 follow from Counts (see the Counts methods).
	Precision, Recall, F1 float64
}

func resultAt(scores []float64, labels []int, threshold float64) ThresholdResult {
	var c Counts
	for i, s := range scores {
		switch predicted := s >= threshold; {
		case predicted && labels[i] == 1:
			c.TruePositives++
		case predicted:
			c.FalsePositives++
		case labels[i] == 1:
			c.FalseNegatives++
		default:
			c.TrueNegatives++
		}
	}
	return ThresholdResult{threshold, c, c.Precision(), c.Recall(), c.F1()}
}

// AtThreshold returns the counts, precision, recall and F1 of one class when clips scored
// ≥ threshold are called positive.
func AtThreshold[S Score](scores []S, labels []int, threshold float64) (ThresholdResult, error) {
	return atThresholdFloat64(float64s(scores), labels, threshold)
}

// atThresholdFloat64 is AtThreshold on float64 scores.
func atThresholdFloat64(scores []float64, labels []int, threshold float64) (ThresholdResult, error) {
	if err := checkBinary(scores, labels); err != nil {
		return ThresholdResult{}, err
	}
	if math.IsNaN(threshold) {
		return ThresholdResult{}, errNaNThreshold
	}
	return resultAt(scores, labels, threshold), nil
}

// AtBestF1 returns the result at the threshold that maximizes F1 over one class's clips.
// The candidate thresholds are the distinct scores; among thresholds with equal F1 the
// highest wins (the fewest positive calls). For a class with no positives F1 is 0
// everywhere and the threshold is the highest score.
//
// The best-F1 threshold is chosen on the same clips it is measured on, so its F1 is
// optimistic: choose it on validation clips and measure it on test clips with AtThreshold.
func AtBestF1[S Score](scores []S, labels []int) (ThresholdResult, error) {
	return atBestF1Float64(float64s(scores), labels)
}

// atBestF1Float64 is AtBestF1 on float64 scores.
func atBestF1Float64(scores []float64, labels []int) (ThresholdResult, error) {
	if err := checkBinary(scores, labels); err != nil {
		return ThresholdResult{}, err
	}
	return bestF1(scores, labels), nil
}

func bestF1(scores []float64, labels []int) ThresholdResult {
	curve := newBinaryCurve(scores, labels)
	positives, negatives := curve.positives(), curve.negatives()
	best, bestF1 := 0, -1.0
	for k := range curve.thresholds { // decreasing thresholds
		tp, fp := curve.truePositives[k], curve.falsePositives[k]
		f1 := Counts{TruePositives: tp, FalsePositives: fp, FalseNegatives: positives - tp}.F1()
		if f1 > bestF1 {
			best, bestF1 = k, f1
		}
	}
	tp, fp := curve.truePositives[best], curve.falsePositives[best]
	c := Counts{tp, fp, positives - tp, negatives - fp}
	return ThresholdResult{curve.thresholds[best], c, c.Precision(), c.Recall(), c.F1()}
}

// ThresholdSummary holds a ThresholdResult per class and their averages. Macro values are
// unweighted means of the per-class values (macro F1 is the mean of the F1s, not the F1 of
// the mean precision and recall); micro values come from the counts summed over classes.
type ThresholdSummary struct {
	PerClass                             []ThresholdResult
	MacroPrecision, MacroRecall, MacroF1 float64
	MicroPrecision, MicroRecall, MicroF1 float64
}

func summarize(perClass []ThresholdResult) ThresholdSummary {
	s := ThresholdSummary{PerClass: perClass}
	var pooled Counts
	for _, r := range perClass {
		s.MacroPrecision += r.Precision
		s.MacroRecall += r.Recall
		s.MacroF1 += r.F1
		pooled = pooled.add(r.Counts)
	}
	n := float64(len(perClass))
	s.MacroPrecision /= n
	s.MacroRecall /= n
	s.MacroF1 /= n
	s.MicroPrecision, s.MicroRecall, s.MicroF1 = pooled.Precision(), pooled.Recall(), pooled.F1()
	return s
}

// AtThresholdPerClass applies one threshold to every class of a multi-label problem.
func AtThresholdPerClass[S Score](scores [][]S, labels [][]int, threshold float64) (ThresholdSummary, error) {
	return atThresholdPerClassFloat64(float64Rows(scores), labels, threshold)
}

// atThresholdPerClassFloat64 is AtThresholdPerClass on float64 scores.
func atThresholdPerClassFloat64(scores [][]float64, labels [][]int, threshold float64) (ThresholdSummary, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return ThresholdSummary{}, err
	}
	if math.IsNaN(threshold) {
		return ThresholdSummary{}, errNaNThreshold
	}
	perClass := make([]ThresholdResult, numClasses)
	for c := range numClasses {
		perClass[c] = resultAt(Column(scores, c), LabelColumn(labels, c), threshold)
	}
	return summarize(perClass), nil
}

// AtBestF1PerClass gives every class its own best-F1 threshold (see AtBestF1); the micro
// values pool the counts at those thresholds.
func AtBestF1PerClass[S Score](scores [][]S, labels [][]int) (ThresholdSummary, error) {
	return atBestF1PerClassFloat64(float64Rows(scores), labels)
}

// atBestF1PerClassFloat64 is AtBestF1PerClass on float64 scores.
func atBestF1PerClassFloat64(scores [][]float64, labels [][]int) (ThresholdSummary, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return ThresholdSummary{}, err
	}
	perClass := make([]ThresholdResult, numClasses)
	for c := range numClasses {
		perClass[c] = bestF1(Column(scores, c), LabelColumn(labels, c))
	}
	return summarize(perClass), nil
}

// Thresholds returns each class's threshold, PerClass[c].Threshold: for a summary from
// AtBestF1PerClass, the thresholds it chose, to apply to other clips with AtThresholds
// (chosen on validation clips, scored on test clips).
func (s ThresholdSummary) Thresholds() []float64 {
	thresholds := make([]float64, len(s.PerClass))
	for c, r := range s.PerClass {
		thresholds[c] = r.Threshold
	}
	return thresholds
}

// AtThresholds calls class c present where its score is at least thresholds[c], one
// threshold per class (AtThreshold on each column), and summarises the classes as
// AtThresholdPerClass does.
func AtThresholds[S Score](scores [][]S, labels [][]int, thresholds []float64) (ThresholdSummary, error) {
	floats := float64Rows(scores)
	numClasses, err := checkMultiLabel(floats, labels)
	if err != nil {
		return ThresholdSummary{}, err
	}
	if len(thresholds) != numClasses {
		return ThresholdSummary{}, fmt.Errorf("metrics: %d thresholds for %d classes, want one per class", len(thresholds), numClasses)
	}
	perClass := make([]ThresholdResult, numClasses)
	for c, t := range thresholds {
		if math.IsNaN(t) {
			return ThresholdSummary{}, errNaNThreshold
		}
		perClass[c] = resultAt(Column(floats, c), LabelColumn(labels, c), t)
	}
	return summarize(perClass), nil
}
