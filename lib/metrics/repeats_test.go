package metrics

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestMeanInterval checks Student t intervals against hand computation with quantiles from
// tables (scipy.stats.t.ppf): t(0.975, 4) = 2.7764451051977987, t(0.975, 1) =
// 12.706204736174705, t(0.95, 4) = 2.131846786326649.
func TestMeanInterval(t *testing.T) {
	tests := []struct {
		name       string
		values     []float64
		level      float64
		mean, half float64
	}{
		{"5 values, default level", []float64{1, 2, 3, 4, 5}, 0, 3, 2.7764451051977987 * math.Sqrt(2.5/5)},
		{"5 values, 90 %", []float64{5, 4, 3, 2, 1}, 0.90, 3, 2.131846786326649 * math.Sqrt(2.5/5)},
		// s = 0.1/√2, s/√2 = 0.05.
		{"2 values", []float64{0.8, 0.9}, 0.95, 0.85, 12.706204736174705 * 0.05},
		{"identical values", []float64{2, 2, 2}, 0.95, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.values)
			got, err := MeanInterval(tc.values, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			level := tc.level
			if level == 0 {
				level = 0.95
			}
			if math.Abs(got.Estimate-tc.mean) > 1e-12 || math.Abs(got.Lower-(tc.mean-tc.half)) > 1e-9 ||
				math.Abs(got.Upper-(tc.mean+tc.half)) > 1e-9 || got.Level != level {
				t.Errorf("got %v [%v, %v] at %v, want %v ∓ %v at %v", got.Estimate, got.Lower, got.Upper,
					got.Level, tc.mean, tc.half, level)
			}
			if !slices.Equal(in, tc.values) {
				t.Errorf("values changed to %v", tc.values)
			}
		})
	}
}

func TestMeanIntervalErrors(t *testing.T) {
	tests := []struct {
		values []float64
		level  float64
		want   string
	}{
		{[]float64{1}, 0.95, "over 1 values"},
		{nil, 0.95, "over 0 values"},
		{[]float64{1, math.NaN()}, 0.95, "value 1 is NaN"},
		{[]float64{1, math.Inf(-1)}, 0.95, "value 1 is -Inf"},
		{[]float64{1, 2}, 1.5, "level 1.5"},
	}
	for _, tc := range tests {
		if _, err := MeanInterval(tc.values, tc.level); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MeanInterval(%v, %v): error %v, want one containing %q", tc.values, tc.level, err, tc.want)
		}
	}
}

// TestMeanIntervalCoverage checks the claim of MeanInterval's doc comment by simulation
// (seeded): over 2000 samples of 5 normal values, the t interval covers the true mean about
// 95 % of the time, and a percentile bootstrap over the 5 values (1000 resamples) only
// about 85 %.
func TestMeanIntervalCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const samples = 2000
	tCovers, bootCovers := 0, 0
	values := make([]float64, 5)
	for range samples {
		for i := range values {
			values[i] = rng.NormFloat64()
		}
		iv, err := MeanInterval(values, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Lower < 0 && 0 < iv.Upper {
			tCovers++
		}
		boot, err := Bootstrap(len(values), func(rows []int) (float64, error) {
			sum := 0.0
			for _, r := range rows {
				sum += values[r]
			}
			return sum / float64(len(rows)), nil
		}, BootstrapConfig{Seed: rng.Uint64()})
		if err != nil {
			t.Fatal(err)
		}
		if boot.Lower < 0 && 0 < boot.Upper {
			bootCovers++
		}
	}
	tRate, bootRate := float64(tCovers)/samples, float64(bootCovers)/samples
	t.Logf("coverage of the true mean: t %.3f, percentile bootstrap %.3f", tRate, bootRate)
	// Binomial standard error at 2000 samples is about 0.005 (t) and 0.008 (bootstrap).
	if tRate < 0.935 || tRate > 0.965 {
		t.Errorf("t interval covers %.3f of the time, want about 0.95", tRate)
	}
	if bootRate < 0.80 || bootRate > 0.90 {
		t.Errorf("percentile bootstrap covers %.3f of the time, want about 0.85", bootRate)
	}
}

// TestPairedInterval: the interval on the per-repeat differences, by hand (differences
// 0.3, 0.2, 0: mean 1/6, s² = ((0.3−m)² + (0.2−m)² + m²)/2, t(0.975, 2) = 4.302653), and
// unpaired inputs refused.
func TestPairedInterval(t *testing.T) {
	iv, err := PairedInterval([]float64{0.9, 0.8, 0.7}, []float64{0.6, 0.6, 0.7}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	m := 0.5 / 3
	half := 4.302653 * math.Sqrt((math.Pow(0.3-m, 2)+math.Pow(0.2-m, 2)+m*m)/2/3)
	if math.Abs(iv.Estimate-m) > 1e-12 || math.Abs(iv.Lower-(m-half)) > 1e-6 || math.Abs(iv.Upper-(m+half)) > 1e-6 {
		t.Errorf("interval %+v, want %v ± %v", iv, m, half)
	}
	if _, err := PairedInterval([]float64{1, 2, 3}, []float64{1, 2}, 0.95); err == nil || !strings.Contains(err.Error(), "3 and 2 values") {
		t.Errorf("unpaired: error %v", err)
	}
}

// TestRepeatsPolicy: the one policy for repeats that repeat themselves. DistinctRepeats
// keeps the first of each key; RepeatsInterval is MeanInterval over those (hand-computed:
// 0.80, 0.84, 0.88 have mean 0.84, s = 0.04, half-width t(0.975, 2)·s/√3 with t =
// 4.302653); one distinct repeat gives its value with NaN bounds; none is an error.
func TestRepeatsPolicy(t *testing.T) {
	keys := []string{"a", "b", "a", "c", "b"}
	if got := DistinctRepeats(keys); !slices.Equal(got, []int{0, 1, 3}) {
		t.Fatalf("DistinctRepeats = %v, want [0 1 3]", got)
	}
	values := []float64{0.80, 0.84, 0.50, 0.88, 0.10} // the repeats (indices 2, 4) are left out
	half := 4.302653 * 0.04 / math.Sqrt(3)
	tests := []struct {
		name        string
		distinct    []int
		mean        float64
		lower, high float64
		err         string
	}{
		{"three distinct", DistinctRepeats(keys), 0.84, 0.84 - half, 0.84 + half, ""},
		{"one distinct", DistinctRepeats([]string{"x", "x", "x"}), 0.80, math.NaN(), math.NaN(), ""},
		{"none", nil, 0, 0, 0, "no repeats"},
		{"outside", []int{0, 9}, 0, 0, 0, "repeat 9 of 5"},
	}
	for _, tc := range tests {
		iv, err := RepeatsInterval(values, tc.distinct, 0.95)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		near := func(x, y float64) bool { return math.Abs(x-y) < 1e-6 || (math.IsNaN(x) && math.IsNaN(y)) }
		if err != nil || !near(iv.Estimate, tc.mean) || !near(iv.Lower, tc.lower) || !near(iv.Upper, tc.high) || iv.Level != 0.95 {
			t.Errorf("%s: %+v, %v; want %v [%v, %v]", tc.name, iv, err, tc.mean, tc.lower, tc.high)
		}
	}
	// Over every repeat, distinct, it is MeanInterval and PairedInterval exactly.
	all := []int{0, 1, 2, 3, 4}
	want, _ := MeanInterval(values, 0.95)
	if got, err := RepeatsInterval(values, all, 0.95); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("all distinct: %+v, want MeanInterval's %+v", got, want)
	}
	other := []float64{0.7, 0.8, 0.6, 0.8, 0.2}
	wantPaired, _ := PairedInterval(values, other, 0.95)
	if got, err := PairedRepeatsInterval(values, other, all, 0.95); err != nil || !reflect.DeepEqual(got, wantPaired) {
		t.Errorf("paired, all distinct: %+v, want PairedInterval's %+v", got, wantPaired)
	}
	if _, err := PairedRepeatsInterval(values, other[:2], all, 0.95); err == nil {
		t.Error("unpaired values accepted")
	}
	if _, err := RepeatsInterval([]float64{math.NaN()}, []int{0}, 0.95); err == nil {
		t.Error("a lone NaN accepted")
	}
}

// TestWelchInterval checks WelchInterval against references computed another way: equal
// sizes and spreads are the pooled two-sample t interval with 2n − 2 degrees of freedom
// (t(0.975, 4) = 2.776445); a constant b shifts MeanInterval(a) by b's value (the
// degrees of freedom fall to na − 1); a hand-computed unequal case (a = 1, 2, 3, 4:
// mean 2.5, s²/n = 5/12; b = 0, 2: mean 1, s²/n = 1; df = (17/12)² / ((5/12)²/3 + 1) =
// 1.9051...); and two constant sets give a zero-width interval.
func TestWelchInterval(t *testing.T) {
	shifted, err := MeanInterval([]float64{0.9, 0.7, 0.8, 0.95}, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	unequalDF := (17.0 / 12) * (17.0 / 12) / ((5.0/12)*(5.0/12)/3 + 1)
	unequalHalf := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: unequalDF}.Quantile(0.975) * math.Sqrt(17.0/12)
	for _, tc := range []struct {
		name                string
		a, b                []float64
		level               float64
		estimate, low, high float64
	}{
		// Pooled: means 2 and 1, both s² = 1, se = √(1/3 + 1/3).
		{"equal spreads", []float64{1, 2, 3}, []float64{0, 1, 2}, 0.95, 1, 1 - 2.776445*math.Sqrt(2.0/3), 1 + 2.776445*math.Sqrt(2.0/3)},
		{"constant b", []float64{0.9, 0.7, 0.8, 0.95}, []float64{0.5, 0.5}, 0.9, shifted.Estimate - 0.5, shifted.Lower - 0.5, shifted.Upper - 0.5},
		{"unequal sizes and spreads", []float64{1, 2, 3, 4}, []float64{0, 2}, 0, 1.5, 1.5 - unequalHalf, 1.5 + unequalHalf},
		{"both constant", []float64{3, 3}, []float64{1, 1, 1}, 0.95, 2, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := WelchInterval(tc.a, tc.b, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.Estimate-tc.estimate) > 1e-12 || math.Abs(got.Lower-tc.low) > 1e-5 || math.Abs(got.Upper-tc.high) > 1e-5 {
				t.Errorf("WelchInterval(%v, %v) = %+v, want %v [%v, %v]", tc.a, tc.b, got, tc.estimate, tc.low, tc.high)
			}
		})
	}
	// The unequal case's t quantile, checked against tabled values: df 1.905 lies between
	// 1 (12.706) and 2 (4.303), nearer 2.
	if q := unequalHalf / math.Sqrt(17.0/12); q < 4.303 || q > 6 {
		t.Errorf("t(0.975, %.3f) = %v, want between t(2) = 4.303 and about 6", unequalDF, q)
	}
	for _, tc := range []struct {
		name  string
		a, b  []float64
		level float64
		want  string
	}{
		{"one value", []float64{1}, []float64{1, 2}, 0.95, "1 values in a"},
		{"NaN", []float64{1, 2}, []float64{1, math.NaN()}, 0.95, "value 1 of b is NaN"},
		{"level", []float64{1, 2}, []float64{1, 2}, 1, "confidence level 1"},
	} {
		if _, err := WelchInterval(tc.a, tc.b, tc.level); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
