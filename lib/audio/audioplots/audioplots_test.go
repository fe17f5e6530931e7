package audioplots

import (
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
)

// TestWaveformWindow checks which samples a window holds, through the axes' ranges the
// line sets (x from the first sample's time to the last's, y from the smallest sample to
// the largest), against hand computations.
func TestWaveformWindow(t *testing.T) {
	ramp := make([]float64, 100) // sample i is i/100: its value says which sample it is
	for i := range ramp {
		ramp[i] = float64(i) / 100
	}
	tests := []struct {
		name        string
		rateHz      int
		from, to    float64
		first, last int // the window's first and last sample
	}{
		{"all", 10, 0, 10, 0, 99},
		{"first second", 10, 0, 1, 0, 9},
		{"between samples", 10, 0.25, 0.75, 3, 7},
		{"one sample", 10, 2, 2.1, 20, 20},
		// Under 0.1 s the axis is in milliseconds: samples 1 to 4 at 100 Hz are 10–40 ms.
		{"close-up", 100, 0.01, 0.05, 1, 4},
		// 1.2 × 22050 rounds to just above 26460 in float64; 26460 still belongs.
		{"rounding", 22050, 0.0, 0.004, 0, 88},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Waveform(ramp, tc.rateHz, tc.from, tc.to, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			rate, unit := float64(tc.rateHz), "time (s)"
			if tc.to-tc.from < MillisecondsBelow {
				rate, unit = rate/1000, "time (ms)"
			}
			if p.X.Min != float64(tc.first)/rate || math.Abs(p.X.Max-float64(tc.last)/rate) > 1e-12 {
				t.Errorf("x from %g to %g s, want %g to %g", p.X.Min, p.X.Max,
					float64(tc.first)/rate, float64(tc.last)/rate)
			}
			if p.Y.Min != ramp[tc.first] || p.Y.Max != ramp[tc.last] {
				t.Errorf("y from %g to %g, want samples %d to %d", p.Y.Min, p.Y.Max, tc.first, tc.last)
			}
			if p.Title.Text != tc.name || p.X.Label.Text != unit {
				t.Errorf("title %q, x label %q", p.Title.Text, p.X.Label.Text)
			}
			if _, err := plots.Encode(p, "svg"); err != nil {
				t.Errorf("encode: %v", err)
			}
		})
	}
}

// TestWaveformFloat32AndRounding: float32 samples plot the same way, and a window
// starting at 1.2 s at 22050 Hz starts at sample 26460, whatever float64 rounding does.
func TestWaveformFloat32AndRounding(t *testing.T) {
	samples := make([]float32, 26500)
	samples[26459], samples[26460] = 5, 1
	p := MustWaveform(samples, 22050, 1.2, 1.201, "rounding")
	if p.Y.Max != 1 || math.Abs(p.X.Min-1000*26460.0/22050) > 1e-9 || p.X.Label.Text != "time (ms)" {
		t.Errorf("window starts at %g s with largest sample %g, want sample 26460 (1)", p.X.Min, p.Y.Max)
	}
}

func TestWaveformErrors(t *testing.T) {
	samples := []float32{0, 0.5, float32(math.NaN()), 0}
	tests := []struct {
		name     string
		rateHz   int
		from, to float64
		want     string
	}{
		{"rate", 0, 0, 1, "sample rate 0 Hz"},
		{"past the end", 4, 0.5, 2, "window 0.5–2 s holds no samples of 4"},
		{"before the start", 4, -1, 0.5, "window -1–0.5 s"},
		{"empty", 4, 0.3, 0.3, "holds no samples"},
		{"NaN", 4, 0, 1, "sample 2 is NaN"},
	}
	for _, tc := range tests {
		_, err := Waveform(samples, tc.rateHz, tc.from, tc.to, tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: error %v, want one naming %q and the title", tc.name, err, tc.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustWaveform of an empty window did not panic")
		}
	}()
	MustWaveform(samples, 4, 0.3, 0.3, "empty")
}
