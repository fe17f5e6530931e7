package transfer

import (
	"math"
	"strings"
	"testing"
)

func TestGains(t *testing.T) {
	rows := []Row{
		{Method: Frozen, Size: 24, Seed: 1, Accuracy: 0.50},
		{Method: Frozen, Size: 24, Seed: 2, Accuracy: 0.60},
		{Method: Frozen, Size: 24, Seed: 3, Accuracy: 0.70},
		{Method: Frozen, Size: 240, Seed: 1, Accuracy: 0.80},
		{Method: Frozen, Size: 240, Seed: 2, Accuracy: 0.80},
		{Method: Frozen, Size: 240, Seed: 3, Accuracy: 0.80},
		// differences 0.02, 0.04, 0.06: mean 0.04, s = 0.02, t(0.975, 2) = 4.302653
		{Method: FineTune, Size: 24, Seed: 3, Accuracy: 0.76},
		{Method: FineTune, Size: 24, Seed: 1, Accuracy: 0.52},
		{Method: FineTune, Size: 24, Seed: 2, Accuracy: 0.64},
		// one shared seed only: left out
		{Method: FineTune, Size: 240, Seed: 1, Accuracy: 0.9},
		{Method: FineTune, Size: 240, Seed: 9, Accuracy: 0.9},
		// differences −0.10, −0.11, −0.12: mean −0.11, s = 0.01
		{Method: Scratch, Size: 240, Seed: 2, Accuracy: 0.69},
		{Method: Scratch, Size: 240, Seed: 1, Accuracy: 0.70},
		{Method: Scratch, Size: 240, Seed: 3, Accuracy: 0.68},
	}
	gains, err := Gains(rows, Frozen)
	if err != nil {
		t.Fatal(err)
	}
	half3 := 4.302653 * 0.02 / math.Sqrt(3)
	half3b := 4.302653 * 0.01 / math.Sqrt(3)
	want := []struct {
		m            Method
		size, seeds  int
		mean, lo, hi float64
	}{
		{FineTune, 24, 3, 0.04, 0.04 - half3, 0.04 + half3},
		{Scratch, 240, 3, -0.11, -0.11 - half3b, -0.11 + half3b},
	}
	if len(gains) != len(want) {
		t.Fatalf("%d gains, want %d: %+v", len(gains), len(want), gains)
	}
	for i, w := range want {
		g := gains[i]
		if g.Method != w.m || g.Size != w.size || len(g.Seeds) != w.seeds {
			t.Errorf("gain %d: %s at %d with %d seeds, want %s at %d with %d", i, g.Method, g.Size, len(g.Seeds), w.m, w.size, w.seeds)
		}
		for _, c := range [][2]float64{{g.Estimate, w.mean}, {g.Lower, w.lo}, {g.Upper, w.hi}} {
			if math.Abs(c[0]-c[1]) > 1e-6 {
				t.Errorf("gain %d (%s at %d): %v, want %v", i, g.Method, g.Size, c[0], c[1])
			}
		}
	}
	table := GainTable(gains)
	for _, s := range []string{"+4.0 points [-1.0, +9.0]  not separable", "-11.0 points [-13.5, -8.5]  behind"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
}

func TestGainsErrors(t *testing.T) {
	cases := map[string][]Row{
		"two rows of":    {{Method: Frozen, Size: 24, Seed: 1}, {Method: Frozen, Size: 24, Seed: 1}},
		"no rows of the": {{Method: FineTune, Size: 24, Seed: 1}},
	}
	for want, rows := range cases {
		if _, err := Gains(rows, Frozen); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want one containing %q", err, want)
		}
	}
}

// TestGainsClipped: two seeds that differ a lot give a t interval (12.7 standard errors
// either side) far past ±1, which Gains cuts at the values a difference can take.
func TestGainsClipped(t *testing.T) {
	rows := []Row{
		{Method: Frozen, Size: 24, Seed: 1, Accuracy: 0.05}, {Method: Frozen, Size: 24, Seed: 2, Accuracy: 0.45},
		{Method: Scratch, Size: 24, Seed: 1, Accuracy: 0.95}, {Method: Scratch, Size: 24, Seed: 2, Accuracy: 0.95},
	}
	g := MustGains(rows, Frozen)
	if len(g) != 1 || math.Abs(g[0].Estimate-0.7) > 1e-12 || g[0].Lower != -1 || g[0].Upper != 1 {
		t.Errorf("gains %+v, want 0.7 with its interval clipped to [-1, 1]", g)
	}
}

// TestGainTableVerdicts: the verdict column for an interval above, below, across and
// of zero width (every seed the same difference, whose t interval has no width).
func TestGainTableVerdicts(t *testing.T) {
	cases := []struct {
		name        string
		frozen, fit [3]float64
		want        string
	}{
		{"ahead", [3]float64{0.50, 0.60, 0.70}, [3]float64{0.60, 0.71, 0.79}, "+10.0 points [+7.5, +12.5]  ahead"},
		{"behind", [3]float64{0.50, 0.60, 0.70}, [3]float64{0.40, 0.49, 0.61}, "-10.0 points [-12.5, -7.5]  behind"},
		{"not separable", [3]float64{0.50, 0.60, 0.70}, [3]float64{0.52, 0.64, 0.76}, "+4.0 points [-1.0, +9.0]  not separable"},
		{"no spread, positive", [3]float64{0.50, 0.60, 0.70}, [3]float64{0.502, 0.602, 0.702}, "+0.2 points [+0.2, +0.2]  no spread over seeds"},
		{"no spread, zero", [3]float64{0.50, 0.60, 0.70}, [3]float64{0.50, 0.60, 0.70}, "+0.0 points [+0.0, +0.0]  no spread over seeds"},
	}
	for _, c := range cases {
		var rows []Row
		for i := range 3 {
			rows = append(rows,
				Row{Method: Frozen, Size: 24, Seed: uint64(i + 1), Accuracy: c.frozen[i]},
				Row{Method: FineTune, Size: 24, Seed: uint64(i + 1), Accuracy: c.fit[i]})
		}
		table := GainTable(MustGains(rows, Frozen))
		if !strings.Contains(table, c.want) {
			t.Errorf("%s: table %q lacks %q", c.name, table, c.want)
		}
	}
}
