package audio

import "math"

// Peak returns the largest absolute sample, in full-scale units (1 is the loudest a
// file of integer samples holds; 20·log10(Peak) is the peak in dBFS). It is 0 for no
// samples.
func Peak(samples []float32) float64 {
	var peak float64
	for _, x := range samples {
		peak = math.Max(peak, math.Abs(float64(x)))
	}
	return peak
}

// RMS returns the root mean square of the samples, in full-scale units: a sine of
// amplitude A has RMS A/√2. It is 0 for no samples.
func RMS(samples []float32) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sumSquares float64
	for _, x := range samples {
		sumSquares += float64(x) * float64(x)
	}
	return math.Sqrt(sumSquares / float64(len(samples)))
}
