package metrics

import (
	"cmp"
	"math"
	"slices"
)

// Flatten pools every (clip, class) pair of a multi-label problem into one binary problem,
// row by row: the input of micro-averaged curves, such as ROCCurve(Flatten(scores, labels)).
// It does not check its inputs; the functions it feeds do.
func Flatten[S Score](scores [][]S, labels [][]int) ([]float64, []int) {
	var flatScores []float64
	var flatLabels []int
	for i := range scores {
		for _, v := range scores[i] {
			flatScores = append(flatScores, float64(v))
		}
		if i < len(labels) {
			flatLabels = append(flatLabels, labels[i]...)
		}
	}
	return flatScores, flatLabels
}

// ROCCurves returns the ROC curve of every class (one-vs-rest), in class order.
func ROCCurves[S Score](scores [][]S, labels [][]int) ([]ROC, error) {
	return rocCurvesFloat64(float64Rows(scores), labels)
}

// rocCurvesFloat64 is ROCCurves on float64 scores.
func rocCurvesFloat64(scores [][]float64, labels [][]int) ([]ROC, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return nil, err
	}
	curves := make([]ROC, numClasses)
	for c := range numClasses {
		curves[c] = rocFromCurve(newBinaryCurve(Column(scores, c), LabelColumn(labels, c)), true)
	}
	return curves, nil
}

// PRCurves returns the precision-recall curve of every class (one-vs-rest), in class order.
func PRCurves[S Score](scores [][]S, labels [][]int) ([]PR, error) {
	return prCurvesFloat64(float64Rows(scores), labels)
}

// prCurvesFloat64 is PRCurves on float64 scores.
func prCurvesFloat64(scores [][]float64, labels [][]int) ([]PR, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return nil, err
	}
	curves := make([]PR, numClasses)
	for c := range numClasses {
		curves[c] = prFromCurve(newBinaryCurve(Column(scores, c), LabelColumn(labels, c)))
	}
	return curves, nil
}

// AUROCs holds the area under the ROC curve of every class and its averages.
type AUROCs struct {
	// PerClass[c] is class c's AUROC, NaN when the class has no positives or no negatives.
	PerClass []float64
	// Macro is the unweighted mean of the defined (non-NaN) per-class values; NaN when none is.
	Macro float64
	// Micro is the AUROC of all (clip, class) pairs pooled; NaN when the pool is all 0 or all 1.
	Micro float64
	// Defined is how many classes Macro averages.
	Defined int
}

// Lowest returns the indices of the n classes with the lowest AUROC, lowest first (a tie
// keeps class order; classes whose AUROC is NaN come last): the classes a model ranks
// worst, whose curves or score histograms are worth a look. n is capped at the number of
// classes.
func (a AUROCs) Lowest(n int) []int {
	order := make([]int, len(a.PerClass))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(i, j int) int {
		vi, vj := a.PerClass[i], a.PerClass[j]
		switch {
		case math.IsNaN(vi) || math.IsNaN(vj):
			return cmp.Compare(b2i(math.IsNaN(vi)), b2i(math.IsNaN(vj)))
		default:
			return cmp.Compare(vi, vj)
		}
	})
	return order[:max(0, min(n, len(order)))]
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// AUROCPerClass returns each class's AUROC (one-vs-rest) and their macro and micro
// averages. Classes without positives or without negatives are left out of the macro
// average, where scikit-learn raises an error.
func AUROCPerClass[S Score](scores [][]S, labels [][]int) (AUROCs, error) {
	return aurocPerClassFloat64(float64Rows(scores), labels)
}

// aurocPerClassFloat64 is AUROCPerClass on float64 scores.
func aurocPerClassFloat64(scores [][]float64, labels [][]int) (AUROCs, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return AUROCs{}, err
	}
	result := AUROCs{PerClass: make([]float64, numClasses)}
	sum := 0.0
	for c := range numClasses {
		result.PerClass[c] = aurocFromCurve(newBinaryCurve(Column(scores, c), LabelColumn(labels, c)))
		if !math.IsNaN(result.PerClass[c]) {
			sum += result.PerClass[c]
			result.Defined++
		}
	}
	result.Macro = math.NaN()
	if result.Defined > 0 {
		result.Macro = sum / float64(result.Defined)
	}
	result.Micro = aurocFromCurve(newBinaryCurve(Flatten(scores, labels)))
	return result, nil
}

// AveragePrecisions holds the average precision of every class and its averages.
type AveragePrecisions struct {
	// PerClass[c] is class c's average precision; 0 when the class has no positives.
	PerClass []float64
	// Positives[c] is how many clips are positive for class c.
	Positives []int
	// MacroMAP is the unweighted mean over all classes, as average_precision_score(average="macro").
	MacroMAP float64
	// CMAP is the unweighted mean over the classes with at least one positive (BirdCLEF's
	// and BirdSet's class-wise mAP); NaN when no class has a positive.
	CMAP float64
	// Micro is the average precision of all (clip, class) pairs pooled.
	Micro float64
}

// AveragePrecisionPerClass returns each class's average precision (one-vs-rest), macro
// mAP, cmAP and the micro average.
func AveragePrecisionPerClass[S Score](scores [][]S, labels [][]int) (AveragePrecisions, error) {
	return averagePrecisionPerClassFloat64(float64Rows(scores), labels)
}

// averagePrecisionPerClassFloat64 is AveragePrecisionPerClass on float64 scores.
func averagePrecisionPerClassFloat64(scores [][]float64, labels [][]int) (AveragePrecisions, error) {
	numClasses, err := checkMultiLabel(scores, labels)
	if err != nil {
		return AveragePrecisions{}, err
	}
	result := AveragePrecisions{PerClass: make([]float64, numClasses), Positives: make([]int, numClasses)}
	sumAll, sumPresent, present := 0.0, 0.0, 0
	for c := range numClasses {
		curve := newBinaryCurve(Column(scores, c), LabelColumn(labels, c))
		result.PerClass[c] = apFromCurve(curve)
		result.Positives[c] = curve.positives()
		sumAll += result.PerClass[c]
		if result.Positives[c] > 0 {
			sumPresent += result.PerClass[c]
			present++
		}
	}
	result.MacroMAP = sumAll / float64(numClasses)
	result.CMAP = math.NaN()
	if present > 0 {
		result.CMAP = sumPresent / float64(present)
	}
	result.Micro = apFromCurve(newBinaryCurve(Flatten(scores, labels)))
	return result, nil
}
