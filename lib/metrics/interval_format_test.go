package metrics

import (
	"math"
	"testing"
)

// TestIntervalFormat: String, Percent and Bounds write the same bounds, "—" for a NaN one
// (RepeatsInterval over a single distinct repeat), never "NaN".
func TestIntervalFormat(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		in                   Interval
		str, percent, points string
	}{
		{Interval{Estimate: 0.8321, Lower: 0.8209, Upper: 0.8444, Level: 0.95}, "0.832 [0.821, 0.844]", "83.2 % [82.1, 84.4]", "[+82.09, +84.44]"},
		{Interval{Estimate: 1, Lower: 1, Upper: 1}, "1.000 [1.000, 1.000]", "100.0 % [100.0, 100.0]", "[+100.00, +100.00]"},
		{Interval{Estimate: 0.05, Lower: -0.0125, Upper: 0.1125}, "0.050 [-0.013, 0.113]", "5.0 % [-1.2, 11.2]", "[-1.25, +11.25]"},
		{Interval{Estimate: 0.7, Lower: nan, Upper: nan, Level: 0.95}, "0.700 [—, —]", "70.0 % [—, —]", "[—, —]"},
		{Interval{Estimate: 0.7, Lower: 0.6, Upper: nan}, "0.700 [0.600, —]", "70.0 % [60.0, —]", "[+60.00, —]"},
	}
	for _, c := range cases {
		if got := c.in.String(); got != c.str {
			t.Errorf("String() = %q, want %q", got, c.str)
		}
		if got := c.in.Percent(); got != c.percent {
			t.Errorf("Percent() = %q, want %q", got, c.percent)
		}
		if got := c.in.Bounds("%+.2f", 100); got != c.points {
			t.Errorf("Bounds(%%+.2f, 100) = %q, want %q", got, c.points)
		}
	}
	if iv, err := RepeatsInterval([]float64{0.7, 0.7}, []int{0}, 0); err != nil || iv.Percent() != "70.0 % [—, —]" {
		t.Errorf("one distinct repeat: %v, %v", iv.Percent(), err)
	}
}
