package metrics

import (
	"fmt"
	"math"
)

// ReliabilityBin is one non-empty bin of a reliability curve.
type ReliabilityBin struct {
	// Lower and Upper are the bin's edges on the probability axis.
	Lower, Upper float64
	// Count is how many clips fall in the bin.
	Count int
	// MeanProbability is the mean predicted probability of those clips (x of the curve).
	MeanProbability float64
	// FractionPositive is the fraction of them that are positive (y of the curve).
	FractionPositive float64
}

// ReliabilityCurve is a calibration curve and the expected calibration error it implies. A
// calibrated model's bins lie on the diagonal: of the clips given probability p, a
// fraction p are positive.
type ReliabilityCurve struct {
	// Bins holds the non-empty bins in increasing probability, as sklearn's
	// calibration_curve returns only those.
	Bins []ReliabilityBin
	// ECE is the expected calibration error: Σ_b (Count_b / N) · |FractionPositive_b −
	// MeanProbability_b|, in [0, 1].
	ECE float64
	// MaxError is the largest |FractionPositive_b − MeanProbability_b| over the bins
	// (the maximum calibration error).
	MaxError float64
}

// Reliability bins one class's predicted probabilities into numBins equal-width bins on
// [0, 1] and compares each bin's mean probability with its fraction of positives
// (sklearn's calibration_curve with strategy="uniform": the first bin is [0, 1/n], the
// others (k/n, (k+1)/n]). Probabilities must lie in [0, 1].
func Reliability[S Score](probabilities []S, labels []int, numBins int) (ReliabilityCurve, error) {
	return reliabilityFloat64(float64s(probabilities), labels, numBins)
}

// reliabilityFloat64 is Reliability on float64 scores.
func reliabilityFloat64(probabilities []float64, labels []int, numBins int) (ReliabilityCurve, error) {
	if err := checkBinary(probabilities, labels); err != nil {
		return ReliabilityCurve{}, err
	}
	if numBins < 1 {
		return ReliabilityCurve{}, fmt.Errorf("metrics: reliability curve with %d bins, want at least 1", numBins)
	}
	for i, p := range probabilities {
		if p < 0 || p > 1 {
			return ReliabilityCurve{}, fmt.Errorf("metrics: probabilities[%d] = %v, want a probability in [0, 1]", i, p)
		}
	}
	// Edges as numpy.linspace(0, 1, numBins+1) computes them.
	step := 1 / float64(numBins)
	edge := func(k int) float64 {
		if k == numBins {
			return 1
		}
		return float64(k) * step
	}
	counts := make([]int, numBins)
	sumProbability := make([]float64, numBins)
	sumPositive := make([]float64, numBins)
	for i, p := range probabilities {
		// The bin is the number of inner edges strictly below p (numpy.searchsorted, side left).
		bin := 0
		for bin < numBins-1 && edge(bin+1) < p {
			bin++
		}
		counts[bin]++
		sumProbability[bin] += p
		sumPositive[bin] += float64(labels[i])
	}
	var curve ReliabilityCurve
	total := float64(len(probabilities))
	for b := range numBins {
		if counts[b] == 0 {
			continue
		}
		n := float64(counts[b])
		bin := ReliabilityBin{edge(b), edge(b + 1), counts[b], sumProbability[b] / n, sumPositive[b] / n}
		gap := math.Abs(bin.FractionPositive - bin.MeanProbability)
		curve.ECE += n / total * gap
		curve.MaxError = max(curve.MaxError, gap)
		curve.Bins = append(curve.Bins, bin)
	}
	return curve, nil
}

// TopLabelReliability measures the calibration of a single-label classifier: each clip's
// confidence is its top score (scores should be softmax probabilities) and its outcome is 1
// when the top class (Argmax) is the true class. This is the ECE of Guo et al. (2017),
// "On calibration of modern neural networks".
func TopLabelReliability[S Score](scores [][]S, classes []int, numBins int) (ReliabilityCurve, error) {
	return topLabelReliabilityFloat64(float64Rows(scores), classes, numBins)
}

// topLabelReliabilityFloat64 is TopLabelReliability on float64 scores.
func topLabelReliabilityFloat64(scores [][]float64, classes []int, numBins int) (ReliabilityCurve, error) {
	if _, err := checkSingleLabel(scores, classes); err != nil {
		return ReliabilityCurve{}, err
	}
	predicted, _ := Argmax(scores)
	confidence := make([]float64, len(scores))
	correct := make([]int, len(scores))
	for i, row := range scores {
		confidence[i] = row[predicted[i]]
		if predicted[i] == classes[i] {
			correct[i] = 1
		}
	}
	return Reliability(confidence, correct, numBins)
}
