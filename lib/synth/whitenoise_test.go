package synth

import (
	"math"
	"slices"
	"testing"
)

// TestWhiteNoise checks the level (RMS in dBFS, within the sampling error of n Gaussian
// draws), the mean, the flat spectrum (neighbouring samples uncorrelated) and that the
// seed, and only the seed, fixes the samples.
func TestWhiteNoise(t *testing.T) {
	const n = 200000
	for _, dBFS := range []float64{-80, -20, 0} {
		noise := WhiteNoise(n, dBFS, 7)
		if len(noise) != n {
			t.Fatalf("%g dBFS: %d samples, want %d", dBFS, len(noise), n)
		}
		std := math.Pow(10, dBFS/20)
		var sum, sumSquares, lag1 float64
		for i, x := range noise {
			sum += float64(x)
			sumSquares += float64(x) * float64(x)
			if i > 0 {
				lag1 += float64(x) * float64(noise[i-1])
			}
		}
		rmsDBFS := 10 * math.Log10(sumSquares/n)
		// The RMS of n draws is within a few 1/√(2n) relative: 0.016 dB for 5σ here.
		if math.Abs(rmsDBFS-dBFS) > 0.02 {
			t.Errorf("%g dBFS: RMS is %.3f dBFS", dBFS, rmsDBFS)
		}
		if mean := sum / n; math.Abs(mean) > 5*std/math.Sqrt(n) {
			t.Errorf("%g dBFS: mean %g, more than 5 standard errors from 0", dBFS, mean)
		}
		if corr := lag1 / sumSquares; math.Abs(corr) > 5/math.Sqrt(n) {
			t.Errorf("%g dBFS: neighbouring samples correlate %.4f: not white", dBFS, corr)
		}
	}
	if !slices.Equal(WhiteNoise(100, -40, 3), WhiteNoise(100, -40, 3)) {
		t.Error("the same seed gave different samples")
	}
	if slices.Equal(WhiteNoise(100, -40, 3), WhiteNoise(100, -40, 4)) {
		t.Error("seeds 3 and 4 gave the same samples")
	}
	if got := WhiteNoise(0, -40, 1); len(got) != 0 {
		t.Errorf("0 samples: got %d", len(got))
	}
}
