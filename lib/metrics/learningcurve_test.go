package metrics

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestLearningCurveAdd checks points against hand values: means, ranges, the
// fewest runs, and LabelsToReach.
func TestLearningCurveAdd(t *testing.T) {
	var c LearningCurve
	c.Name, c.Metric = "x", "accuracy"
	c.Add(4, []float64{0.5, 0.7, 0.6})
	c.Add(8, []float64{0.9, 0.7})
	c.Add(16, []float64{1, 0.8, 0.9})
	want := LearningCurve{Name: "x", Metric: "accuracy", Runs: 2,
		LabelsSpent: []float64{4, 8, 16},
		Mean:        []float64{(0.5 + 0.7 + 0.6) / 3, 0.8, (1 + 0.8 + 0.9) / 3},
		Min:         []float64{0.5, 0.7, 0.8}, Max: []float64{0.7, 0.9, 1},
		Values: [][]float64{{0.5, 0.7, 0.6}, {0.9, 0.7}, {1, 0.8, 0.9}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("curve = %+v, want %+v", c, want)
	}
	if err := c.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	for _, tc := range []struct {
		level  float64
		want   float64
		reachd bool
	}{{0.5, 4, true}, {0.75, 8, true}, {0.85, 16, true}, {0.95, 0, false}} {
		if got, ok := c.LabelsToReach(tc.level); got != tc.want || ok != tc.reachd {
			t.Errorf("LabelsToReach(%v) = %v, %v; want %v, %v", tc.level, got, ok, tc.want, tc.reachd)
		}
	}
	for _, bad := range []LearningCurve{{Name: "empty"}, {Name: "short", LabelsSpent: []float64{1, 2}, Mean: []float64{1}}} {
		if err := bad.Check(); err == nil || !strings.Contains(err.Error(), bad.Name) {
			t.Errorf("Check(%+v) = %v, want an error naming the curve", bad, err)
		}
	}
}

// TestLearningCurveIntervals checks IntervalAt and DifferenceAt against hand computation:
// t(0.975, 2) = 4.302652729911275 (scipy.stats.t.ppf), and Add keeps a copy of its values.
func TestLearningCurveIntervals(t *testing.T) {
	var a, b LearningCurve
	a.Name, b.Name = "a", "b"
	values := []float64{0.5, 0.7, 0.6}
	a.Add(10, values)
	values[0] = 99 // Add must have copied the values
	a.Add(20, []float64{0.9, 0.7, 0.8})
	b.Add(10, []float64{0.4, 0.5, 0.6})
	b.Add(20, []float64{0.8, 0.7})
	const t2 = 4.302652729911275
	tests := []struct {
		name       string
		got        func() (Interval, error)
		mean, half float64
	}{
		// a at 0: mean 0.6, s = 0.1, half = t·0.1/√3.
		{"a at 0", func() (Interval, error) { return a.IntervalAt(0) }, 0.6, t2 * 0.1 / math.Sqrt(3)},
		{"a at 1", func() (Interval, error) { return a.IntervalAt(1) }, 0.8, t2 * 0.1 / math.Sqrt(3)},
		// differences 0.1, 0.2, 0.0: mean 0.1, s = 0.1.
		{"a − b at 0", func() (Interval, error) { return a.DifferenceAt(b, 0) }, 0.1, t2 * 0.1 / math.Sqrt(3)},
		// differences −0.1, −0.2, 0: mean −0.1.
		{"b − a at 0", func() (Interval, error) { return b.DifferenceAt(a, 0) }, -0.1, t2 * 0.1 / math.Sqrt(3)},
	}
	for _, tc := range tests {
		got, err := tc.got()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if math.Abs(got.Estimate-tc.mean) > 1e-12 || math.Abs(got.Lower-(tc.mean-tc.half)) > 1e-9 ||
			math.Abs(got.Upper-(tc.mean+tc.half)) > 1e-9 {
			t.Errorf("%s = %v, want %v ∓ %v", tc.name, got, tc.mean, tc.half)
		}
	}
	for _, bad := range []struct {
		name string
		err  func() error
		want string
	}{
		{"point out of range", func() error { _, err := a.IntervalAt(2); return err }, `"a": point 2 of 2`},
		{"negative point", func() error { _, err := a.IntervalAt(-1); return err }, "point -1"},
		{"unpaired runs", func() error { _, err := a.DifferenceAt(b, 1); return err }, "3 and 2 runs"},
		{"no run values", func() error { _, err := (LearningCurve{Name: "bare"}).IntervalAt(0); return err }, `"bare"`},
		{"one run", func() error {
			var c LearningCurve
			c.Add(1, []float64{0.5})
			_, err := c.IntervalAt(0)
			return err
		}, "at least 2"},
	} {
		if err := bad.err(); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want one containing %q", bad.name, err, bad.want)
		}
	}
}

// TestCurvesTable checks the table against the intervals computed by hand above: each
// curve's mean [interval] and the paired difference, right-aligned, and its errors.
func TestCurvesTable(t *testing.T) {
	var a, b LearningCurve
	a.Name, b.Name = "margin", "random"
	a.Add(10, []float64{0.5, 0.7, 0.6})
	a.Add(20, []float64{0.9, 0.7, 0.8})
	b.Add(10, []float64{0.4, 0.5, 0.6})
	b.Add(20, []float64{0.8, 0.6, 0.7})
	half := 4.302652729911275 * 0.1 / math.Sqrt(3) // 0.248
	got, err := CurvesTable([]LearningCurve{a, b}, []int{0, 1}, "%.2f", 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`labels             margin             random       margin − random
    10  0.60 [%.2f, %.2f]  0.50 [%.2f, %.2f]  +0.10 [%+.2f, %+.2f]
    20  0.80 [%.2f, %.2f]  0.70 [%.2f, %.2f]  +0.10 [%+.2f, %+.2f]
`, 0.6-half, 0.6+half, 0.5-half, 0.5+half, 0.1-half, 0.1+half,
		0.8-half, 0.8+half, 0.7-half, 0.7+half, 0.1, 0.1)
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	// Bounds [0, 1]: margin's 0.80 + 0.25 is clipped to 1.00; the differences to [−1, 1] are
	// not touched. Bounds [0.4, 0.9]: every lower bound below 0.4 rises to it.
	for _, tc := range []struct {
		low, high float64
		want      []string
	}{
		{0, 1, []string{"0.80 [0.55, 1.00]", fmt.Sprintf("0.70 [%.2f, %.2f]", 0.7-half, 0.7+half)}},
		{0.4, 0.9, []string{"0.60 [0.40, 0.85]", "0.50 [0.40, 0.75]", "0.80 [0.55, 0.90]"}},
		// Bounds [0.5, 0.6]: the differences, 0.10 ∓ 0.25, are clipped to [−0.1, +0.1].
		{0.5, 0.6, []string{"0.60 [0.50, 0.60]", "+0.10 [-0.10, +0.10]"}},
	} {
		got, err := CurvesTable([]LearningCurve{a, b}, []int{0, 1}, "%.2f", tc.low, tc.high)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("bounds [%v, %v]: table\n%s\nlacks %q", tc.low, tc.high, got, w)
			}
		}
	}
	if _, err := CurvesTable([]LearningCurve{a}, []int{0}, "%.2f", 1, 1); err == nil || !strings.Contains(err.Error(), "low < high") {
		t.Errorf("bounds [1, 1]: error %v", err)
	}
	for _, format := range []string{"", ".2f", "%d", "%.2f %%", "x%.2f", "%s"} {
		if _, err := CurvesTable([]LearningCurve{a, b}, []int{0}, format, 0, 1); err == nil || !strings.Contains(err.Error(), "format") {
			t.Errorf("format %q: error %v, want one naming the format", format, err)
		}
	}
	c := b
	c.Name = "late"
	c.LabelsSpent = []float64{10, 25}
	for _, tc := range []struct {
		name   string
		curves []LearningCurve
		points []int
		want   string
	}{
		{"no curves", nil, []int{0}, "0 curves"},
		{"no points", []LearningCurve{a}, nil, "0 points"},
		{"point past the end", []LearningCurve{a, b}, []int{2}, `"margin" has no point 2`},
		{"other labels spent", []LearningCurve{a, c}, []int{1}, `"margin" and "late" differ at point 1`},
	} {
		if _, err := CurvesTable(tc.curves, tc.points, "%.2f", 0, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestIntervalClip moves bounds inside [low, high] and leaves the estimate and NaN bounds.
func TestIntervalClip(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		in, want Interval
	}{
		{Interval{Estimate: 0.96, Lower: 0.91, Upper: 1.01}, Interval{Estimate: 0.96, Lower: 0.91, Upper: 1}},
		{Interval{Estimate: 0.02, Lower: -0.03, Upper: 0.07}, Interval{Estimate: 0.02, Lower: 0, Upper: 0.07}},
		{Interval{Estimate: 0.5, Lower: 0.4, Upper: 0.6}, Interval{Estimate: 0.5, Lower: 0.4, Upper: 0.6}},
		{Interval{Estimate: 0.5, Lower: nan, Upper: nan}, Interval{Estimate: 0.5, Lower: nan, Upper: nan}},
	} {
		got := tc.in.Clip(0, 1)
		same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if !same(got.Estimate, tc.want.Estimate) || !same(got.Lower, tc.want.Lower) || !same(got.Upper, tc.want.Upper) {
			t.Errorf("%v.Clip(0, 1) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
