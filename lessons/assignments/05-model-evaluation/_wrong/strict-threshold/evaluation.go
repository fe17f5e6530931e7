// Package evaluation, wrong: an off-by-one at the threshold — a clip scored exactly
// at the threshold is called negative (s > threshold instead of s ≥ threshold).
//
// caught by: TestF1AtThreshold, TestChooseThreshold
package evaluation

func F1AtThreshold(scores []float64, labels []int, threshold float64) float64 {
	// BEGIN SOLUTION
	tp, fp, fn := 0, 0, 0
	for i, s := range scores {
		switch {
		case s > threshold && labels[i] == 1:
			tp++
		case s > threshold:
			fp++
		case labels[i] == 1:
			fn++
		}
	}
	if 2*tp+fp+fn == 0 {
		return 0
	}
	return float64(2*tp) / float64(2*tp+fp+fn)
	// END SOLUTION
}
