package audio

import (
	"math"
	"testing"
)

// TestPeakAndRMS checks Peak and RMS against hand computations.
func TestPeakAndRMS(t *testing.T) {
	sine := make([]float32, 8000) // 100 whole periods of a 0.5-amplitude sine
	for i := range sine {
		sine[i] = float32(0.5 * math.Sin(2*math.Pi*float64(i)/80))
	}
	tests := []struct {
		name      string
		samples   []float32
		peak, rms float64
		tolerance float64
	}{
		{"none", nil, 0, 0, 0},
		{"square ±0.25", []float32{0.25, -0.25, 0.25, -0.25}, 0.25, 0.25, 0},
		// √((9+16)/2) = √12.5
		{"3 and -4", []float32{3, -4}, 4, math.Sqrt(12.5), 1e-12},
		{"negative peak", []float32{0.1, -0.9, 0.5}, 0.9, math.Sqrt((0.01 + 0.81 + 0.25) / 3), 1e-7},
		{"sine 0.5", sine, 0.5, 0.5 / math.Sqrt2, 1e-6},
	}
	for _, tc := range tests {
		if got := Peak(tc.samples); math.Abs(got-tc.peak) > 1e-7 {
			t.Errorf("%s: Peak = %g, want %g", tc.name, got, tc.peak)
		}
		if got := RMS(tc.samples); math.Abs(got-tc.rms) > tc.tolerance {
			t.Errorf("%s: RMS = %g, want %g", tc.name, got, tc.rms)
		}
	}
}
