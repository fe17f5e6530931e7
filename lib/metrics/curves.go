package metrics

import (
	"math"
	"slices"
)

// binaryCurve holds, for each distinct score in decreasing order, the counts of true and
// false positives among clips scoring at least that much (sklearn's _binary_clf_curve).
type binaryCurve struct {
	thresholds     []float64
	truePositives  []int
	falsePositives []int
}

func newBinaryCurve(scores []float64, labels []int) binaryCurve {
	type clip struct {
		score    float64
		positive bool
	}
	clips := make([]clip, len(scores))
	for i, s := range scores {
		clips[i] = clip{s, labels[i] == 1}
	}
	// Decreasing score; the order within a tie does not matter, since a tie is one point.
	// Scores are finite (checked), so plain comparisons order them.
	slices.SortFunc(clips, func(a, b clip) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	var curve binaryCurve
	tp, fp := 0, 0
	for k, c := range clips {
		if c.positive {
			tp++
		} else {
			fp++
		}
		if k == len(clips)-1 || clips[k+1].score != c.score {
			curve.thresholds = append(curve.thresholds, c.score)
			curve.truePositives = append(curve.truePositives, tp)
			curve.falsePositives = append(curve.falsePositives, fp)
		}
	}
	return curve
}

func (c binaryCurve) positives() int { return c.truePositives[len(c.truePositives)-1] }
func (c binaryCurve) negatives() int { return c.falsePositives[len(c.falsePositives)-1] }

// ROC is a receiver operating characteristic curve: at Thresholds[k], the fraction of
// negatives scored ≥ the threshold is FalsePositiveRate[k] and the fraction of positives is
// TruePositiveRate[k]. Thresholds decrease; the first is +Inf (the point (0, 0)).
// A rate is NaN at every point when the class has no clips of that kind (no negatives for
// the false-positive rate, no positives for the true-positive rate).
type ROC struct {
	FalsePositiveRate []float64
	TruePositiveRate  []float64
	Thresholds        []float64
}

// ROCCurve returns the ROC curve of one class, as sklearn.metrics.roc_curve with
// drop_intermediate=True: points that lie on the straight line between their neighbours
// are dropped. scores are the class's scores and labels its 0/1 truth, one per clip.
func ROCCurve[S Score](scores []S, labels []int) (ROC, error) {
	return rocCurveFloat64(float64s(scores), labels)
}

// rocCurveFloat64 is ROCCurve on float64 scores.
func rocCurveFloat64(scores []float64, labels []int) (ROC, error) {
	if err := checkBinary(scores, labels); err != nil {
		return ROC{}, err
	}
	return rocFromCurve(newBinaryCurve(scores, labels), true), nil
}

func rocFromCurve(c binaryCurve, dropIntermediate bool) ROC {
	keep := make([]int, 0, len(c.thresholds))
	n := len(c.thresholds)
	for k := range n {
		if !dropIntermediate || n <= 2 || k == 0 || k == n-1 {
			keep = append(keep, k)
			continue
		}
		// Keep corners: a non-zero second difference in either count.
		dfp := c.falsePositives[k+1] - 2*c.falsePositives[k] + c.falsePositives[k-1]
		dtp := c.truePositives[k+1] - 2*c.truePositives[k] + c.truePositives[k-1]
		if dfp != 0 || dtp != 0 {
			keep = append(keep, k)
		}
	}
	roc := ROC{
		FalsePositiveRate: make([]float64, 0, len(keep)+1),
		TruePositiveRate:  make([]float64, 0, len(keep)+1),
		Thresholds:        make([]float64, 0, len(keep)+1),
	}
	positives, negatives := float64(c.positives()), float64(c.negatives())
	rate := func(count int, total float64) float64 {
		if total == 0 {
			return math.NaN()
		}
		return float64(count) / total
	}
	roc.FalsePositiveRate = append(roc.FalsePositiveRate, rate(0, negatives))
	roc.TruePositiveRate = append(roc.TruePositiveRate, rate(0, positives))
	roc.Thresholds = append(roc.Thresholds, math.Inf(1))
	for _, k := range keep {
		roc.FalsePositiveRate = append(roc.FalsePositiveRate, rate(c.falsePositives[k], negatives))
		roc.TruePositiveRate = append(roc.TruePositiveRate, rate(c.truePositives[k], positives))
		roc.Thresholds = append(roc.Thresholds, c.thresholds[k])
	}
	return roc
}

// AUROC returns the area under the ROC curve of one class: the probability that a random
// positive clip scores higher than a random negative one, ties counting one half. It is
// NaN when the class has no positives or no negatives.
func AUROC[S Score](scores []S, labels []int) (float64, error) {
	return aurocFloat64(float64s(scores), labels)
}

// aurocFloat64 is AUROC on float64 scores.
func aurocFloat64(scores []float64, labels []int) (float64, error) {
	if err := checkBinary(scores, labels); err != nil {
		return 0, err
	}
	return aurocFromCurve(newBinaryCurve(scores, labels)), nil
}

func aurocFromCurve(c binaryCurve) float64 {
	if c.positives() == 0 || c.negatives() == 0 {
		return math.NaN()
	}
	roc := rocFromCurve(c, false)
	area := 0.0
	for k := 1; k < len(roc.Thresholds); k++ {
		width := roc.FalsePositiveRate[k] - roc.FalsePositiveRate[k-1]
		area += width * (roc.TruePositiveRate[k] + roc.TruePositiveRate[k-1]) / 2
	}
	return area
}

// PR is a precision-recall curve: at Thresholds[k], the clips scored ≥ the threshold have
// Precision[k] and Recall[k]. Thresholds increase, so recall falls; Precision and Recall
// have one more point than Thresholds, the end point (recall 0, precision 1).
type PR struct {
	Precision  []float64
	Recall     []float64
	Thresholds []float64
}

// PRCurve returns the precision-recall curve of one class, as
// sklearn.metrics.precision_recall_curve. Precision with nothing predicted positive is 0;
// recall is 1 at every threshold when the class has no positives.
func PRCurve[S Score](scores []S, labels []int) (PR, error) {
	return prCurveFloat64(float64s(scores), labels)
}

// prCurveFloat64 is PRCurve on float64 scores.
func prCurveFloat64(scores []float64, labels []int) (PR, error) {
	if err := checkBinary(scores, labels); err != nil {
		return PR{}, err
	}
	return prFromCurve(newBinaryCurve(scores, labels)), nil
}

func prFromCurve(c binaryCurve) PR {
	n := len(c.thresholds)
	pr := PR{
		Precision:  make([]float64, n+1),
		Recall:     make([]float64, n+1),
		Thresholds: make([]float64, n),
	}
	positives := c.positives()
	for k := range n {
		j := n - 1 - k // reverse: increasing thresholds
		tp, fp := c.truePositives[j], c.falsePositives[j]
		if tp+fp > 0 {
			pr.Precision[k] = float64(tp) / float64(tp+fp)
		}
		if positives == 0 {
			pr.Recall[k] = 1
		} else {
			pr.Recall[k] = float64(tp) / float64(positives)
		}
		pr.Thresholds[k] = c.thresholds[j]
	}
	pr.Precision[n], pr.Recall[n] = 1, 0
	return pr
}

// AveragePrecision returns the average precision of one class, as
// sklearn.metrics.average_precision_score: Σₙ (Rₙ − Rₙ₋₁) Pₙ, the precision at each
// threshold weighted by the recall it adds, without interpolation. It is 0 for a class with
// no positives.
func AveragePrecision[S Score](scores []S, labels []int) (float64, error) {
	return averagePrecisionFloat64(float64s(scores), labels)
}

// averagePrecisionFloat64 is AveragePrecision on float64 scores.
func averagePrecisionFloat64(scores []float64, labels []int) (float64, error) {
	if err := checkBinary(scores, labels); err != nil {
		return 0, err
	}
	return apFromCurve(newBinaryCurve(scores, labels)), nil
}

func apFromCurve(c binaryCurve) float64 {
	pr := prFromCurve(c)
	ap := 0.0
	for k := range len(pr.Thresholds) {
		ap += (pr.Recall[k] - pr.Recall[k+1]) * pr.Precision[k]
	}
	return ap
}
