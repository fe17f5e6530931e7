package metrics

import "testing"

func TestIntervalFormat(t *testing.T) {
	cases := []struct {
		in           Interval
		str, percent string
	}{
		{Interval{Estimate: 0.8321, Lower: 0.8209, Upper: 0.8444, Level: 0.95}, "0.832 [0.821, 0.844]", "83.2 % [82.1, 84.4]"},
		{Interval{Estimate: 1, Lower: 1, Upper: 1}, "1.000 [1.000, 1.000]", "100.0 % [100.0, 100.0]"},
		{Interval{Estimate: 0.05, Lower: -0.0125, Upper: 0.1125}, "0.050 [-0.013, 0.113]", "5.0 % [-1.2, 11.2]"},
	}
	for _, c := range cases {
		if got := c.in.String(); got != c.str {
			t.Errorf("String() = %q, want %q", got, c.str)
		}
		if got := c.in.Percent(); got != c.percent {
			t.Errorf("Percent() = %q, want %q", got, c.percent)
		}
	}
}
