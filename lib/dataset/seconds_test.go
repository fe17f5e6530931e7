package dataset

import "testing"

func TestFormatSeconds(t *testing.T) {
	for _, tc := range []struct {
		seconds float64
		want    string
	}{
		{0, "0"},
		{2.5, "2.5"},
		{3, "3"},
		{0.0004, "0"},
		{0.0006, "0.001"},
		{1.23449, "1.234"},
		{59.9996, "60"},
	} {
		if got := FormatSeconds(tc.seconds); got != tc.want {
			t.Errorf("FormatSeconds(%g) = %q, want %q", tc.seconds, got, tc.want)
		}
	}
}
