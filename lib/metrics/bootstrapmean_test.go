package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestBootstrapMeanFamily checks BootstrapMean, BootstrapMeanDifference and BootstrapRatio
// against Bootstrap run with the metric written out here on the same seed (so the same
// draws), and on cases whose interval is known: a constant difference has the zero-width
// interval at that constant, and an accuracy's interval is AccuracyInterval's.
func TestBootstrapMeanFamily(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 60
	a, b, num, den := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	groups := make([]string, n)
	for i := range a {
		a[i], b[i] = rng.Float64(), rng.Float64()
		if rng.IntN(3) > 0 {
			den[i] = 1
			num[i] = float64(rng.IntN(2))
		}
		groups[i] = strconv.Itoa(i / 4)
	}
	for _, config := range []BootstrapConfig{{Seed: 1, Resamples: 300}, {Seed: 2, Resamples: 200, Groups: groups}} {
		gather := func(metric func(items []int) float64) Interval {
			in, err := Bootstrap(n, func(items []int) (float64, error) { return metric(items), nil }, config)
			if err != nil {
				t.Fatal(err)
			}
			return in
		}
		mean := func(v []float64) func([]int) float64 {
			return func(items []int) float64 {
				s := 0.0
				for _, i := range items {
					s += v[i]
				}
				return s / float64(len(items))
			}
		}
		cases := []struct {
			name      string
			got, want func() (Interval, error)
		}{
			{"mean", func() (Interval, error) { return BootstrapMean(a, config) },
				func() (Interval, error) { return gather(mean(a)), nil }},
			{"difference", func() (Interval, error) { return BootstrapMeanDifference(a, b, config) },
				func() (Interval, error) {
					return gather(func(items []int) float64 { return mean(a)(items) - mean(b)(items) }), nil
				}},
			{"ratio", func() (Interval, error) { return BootstrapRatio(num, den, config) },
				func() (Interval, error) {
					return gather(func(items []int) float64 { return mean(num)(items) / mean(den)(items) }), nil
				}},
		}
		for _, c := range cases {
			got, err := c.got()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want, _ := c.want()
			if math.Abs(got.Estimate-want.Estimate) > 1e-12 || math.Abs(got.Lower-want.Lower) > 1e-12 || math.Abs(got.Upper-want.Upper) > 1e-12 {
				t.Errorf("%s, groups %v: got %v, want %v", c.name, config.Groups != nil, got, want)
			}
		}
	}
	shifted := make([]float64, n)
	for i := range a {
		shifted[i] = a[i] + 0.25
	}
	d, err := BootstrapMeanDifference(shifted, a, BootstrapConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d.Lower-0.25) > 1e-12 || math.Abs(d.Upper-0.25) > 1e-12 {
		t.Errorf("constant difference 0.25: got %v, want [0.25, 0.25]", d)
	}
	truth, predicted := []int{0, 1, 2, 0, 1, 2, 0, 1}, []int{0, 1, 1, 0, 2, 2, 0, 0}
	correct := []float64{1, 1, 0, 1, 0, 1, 1, 0}
	acc, _ := AccuracyInterval(truth, predicted, BootstrapConfig{Seed: 5})
	mean, _ := BootstrapMean(correct, BootstrapConfig{Seed: 5})
	if acc.Lower != mean.Lower || acc.Upper != mean.Upper || acc.Estimate != 5.0/8 {
		t.Errorf("BootstrapMean of right answers %v, AccuracyInterval %v", mean, acc)
	}
}

func TestBootstrapMeanErrors(t *testing.T) {
	if _, err := BootstrapMean(nil, BootstrapConfig{}); err == nil {
		t.Error("no values: want an error")
	}
	if _, err := BootstrapMean([]float64{1, math.NaN()}, BootstrapConfig{}); err == nil {
		t.Error("NaN value: want an error")
	}
	if _, err := BootstrapMeanDifference([]float64{1}, []float64{1, 2}, BootstrapConfig{}); err == nil {
		t.Error("unpaired: want an error")
	}
	if _, err := BootstrapRatio([]float64{0, 0}, []float64{0, 0}, BootstrapConfig{}); err == nil {
		t.Error("zero denominators: want an error")
	}
	// One error among ten clips: most resamples still draw it; those that do not are skipped.
	num, den := make([]float64, 10), make([]float64, 10)
	num[3], den[3] = 1, 1
	r, err := BootstrapRatio(num, den, BootstrapConfig{Seed: 1})
	if err != nil || r.Skipped == 0 || r.Lower != 1 || r.Upper != 1 {
		t.Errorf("ratio 1 of 1: got %+v (skipped %d), %v; want [1, 1] with some resamples skipped", r.String(), r.Skipped, err)
	}
}

// TestAUROCInterval checks the sweep against Bootstrap over the groups drawing the same
// groups and computing AUROC on the gathered scores (repeats included), with ties.
func TestAUROCInterval(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 300
	scores, labels, groups := make([]float64, n), make([]int, n), make([]int, n)
	for i := range scores {
		labels[i] = rng.IntN(2)
		scores[i] = math.Round(10*(rng.NormFloat64()+float64(labels[i]))) / 10 // ties
		groups[i] = 100 + i%37
	}
	for _, g := range [][]int{nil, groups} {
		config := BootstrapConfig{Seed: 3, Resamples: 200}
		got, err := AUROCInterval(scores, labels, g, config)
		if err != nil {
			t.Fatal(err)
		}
		// The reference: units in order of first appearance, as AUROCInterval numbers them.
		var units [][]int
		if g == nil {
			for i := range scores {
				units = append(units, []int{i})
			}
		} else {
			index := map[int]int{}
			for i, k := range g {
				if _, ok := index[k]; !ok {
					index[k] = len(units)
					units = append(units, nil)
				}
				units[index[k]] = append(units[index[k]], i)
			}
		}
		want, err := Bootstrap(len(units), func(drawn []int) (float64, error) {
			var s []float64
			var l []int
			for _, u := range drawn {
				for _, i := range units[u] {
					s, l = append(s, scores[i]), append(l, labels[i])
				}
			}
			return AUROC(s, l)
		}, config)
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := AUROC(scores, labels)
		if math.Abs(got.Estimate-whole) > 1e-12 || math.Abs(got.Lower-want.Lower) > 1e-12 || math.Abs(got.Upper-want.Upper) > 1e-12 {
			t.Errorf("groups %v: got %v, want %v (AUROC %.4f)", g != nil, got, want, whole)
		}
	}
	if _, err := AUROCInterval(scores, labels[:3], nil, BootstrapConfig{}); err == nil {
		t.Error("labels of another length: want an error")
	}
	if _, err := AUROCInterval(scores, labels, nil, BootstrapConfig{Groups: []string{"a"}}); err == nil {
		t.Error("config.Groups set: want an error")
	}
	bad := append([]int(nil), labels...)
	bad[4] = 2
	if _, err := AUROCInterval(scores, bad, nil, BootstrapConfig{}); err == nil {
		t.Error("label 2: want an error")
	}
}

// TestPairAUROCInterval checks the weighted sweep against a brute-force pair bootstrap:
// Bootstrap draws the items (same seed, so the same draws), the pairs of the resample
// are listed one by one (every two draws of different items, looked up in the scores),
// and AUROC is computed on them. The items are numbered 10, 11, … to check that they are
// renumbered in order of first appearance; the cases are all pairs, and pairs within
// groups, with tied scores.
func TestPairAUROCInterval(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 12
	individual := make([]int, n)
	for i := range individual {
		individual[i] = rng.IntN(3)
	}
	for _, within := range []bool{false, true} {
		var scores []float64
		var labels, first, second []int
		pairOf := map[[2]int]int{} // items (i, j), i < j, → score index
		for i := range n {
			for j := i + 1; j < n; j++ {
				if within && i/4 != j/4 { // groups of 4 consecutive items
					continue
				}
				same := 0
				if individual[i] == individual[j] {
					same = 1
				}
				pairOf[[2]int{i, j}] = len(scores)
				scores = append(scores, math.Round(5*(rng.Float64()+0.3*float64(same)))/5) // ties
				labels, first, second = append(labels, same), append(first, 10+i), append(second, 10+j)
			}
		}
		config := BootstrapConfig{Seed: 9, Resamples: 300}
		got, err := PairAUROCInterval(scores, labels, first, second, config)
		if err != nil {
			t.Fatal(err)
		}
		// Items appear first in the order 0, 1, …, n−1 in both cases: unit u is item u.
		want, err := Bootstrap(n, func(drawn []int) (float64, error) {
			var s []float64
			var l []int
			for a := range drawn {
				for b := a + 1; b < len(drawn); b++ {
					i, j := min(drawn[a], drawn[b]), max(drawn[a], drawn[b])
					if p, ok := pairOf[[2]int{i, j}]; ok && i != j {
						s, l = append(s, scores[p]), append(l, labels[p])
					}
				}
			}
			if !slices.Contains(l, 0) || !slices.Contains(l, 1) {
				return math.NaN(), nil
			}
			return AUROC(s, l)
		}, config)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Replicates) != len(want.Replicates) || got.Skipped != want.Skipped {
			t.Fatalf("within groups %v: %d replicates (%d skipped), want %d (%d)", within, len(got.Replicates), got.Skipped, len(want.Replicates), want.Skipped)
		}
		for r := range got.Replicates {
			if math.Abs(got.Replicates[r]-want.Replicates[r]) > 1e-12 {
				t.Fatalf("within groups %v, resample %d: %v, brute force %v", within, r, got.Replicates[r], want.Replicates[r])
			}
		}
		whole, _ := AUROC(scores, labels)
		if math.Abs(got.Estimate-whole) > 1e-12 || math.Abs(got.Lower-want.Lower) > 1e-12 || math.Abs(got.Upper-want.Upper) > 1e-12 {
			t.Errorf("within groups %v: got %v, want %v (AUROC %.4f)", within, got, want, whole)
		}
	}
	bad := []struct {
		name                  string
		labels, first, second []int
		config                BootstrapConfig
	}{
		{"a pair of an item with itself", []int{1, 0}, []int{0, 1}, []int{1, 1}, BootstrapConfig{}},
		{"second missing", []int{1, 0}, []int{0, 1}, []int{1}, BootstrapConfig{}},
		{"label 2", []int{1, 2}, []int{0, 1}, []int{1, 2}, BootstrapConfig{}},
		{"config.Groups set", []int{1, 0}, []int{0, 1}, []int{1, 2}, BootstrapConfig{Groups: []string{"a", "b"}}},
	}
	for _, tc := range bad {
		if _, err := PairAUROCInterval([]float64{0.5, 0.7}, tc.labels, tc.first, tc.second, tc.config); err == nil {
			t.Errorf("%s: want an error", tc.name)
		}
	}
}

// TestPairAUROCWeights works one resample by hand, on four items a, b, c, d and their six
// pairs, drawn as {a, b, c, c}: the pairs ab, ac, bc weigh 1, 2, 2, those with d 0. The
// positive ab (0.9) beats the negative ac (0.4, twice) and loses to bc (0.95, twice):
// AUROC 2/4 = 0.5. Grouping the pairs by their first item only (a, b, c drawn 1, 1 and 2
// times) would weigh ab, ac, ad, bc, bd 1 and cd 2, and give 7/12.
func TestPairAUROCWeights(t *testing.T) {
	//                      ab   ac   ad   bc    bd   cd
	scores := []float64{0.9, 0.4, 0.1, 0.95, 0.2, 0.3}
	labels := []int{1, 0, 0, 0, 0, 1}
	first := []int{0, 0, 0, 1, 1, 2}
	second := []int{1, 2, 3, 2, 3, 3}
	pairs, err := sortScores(scores, labels, first, second)
	if err != nil {
		t.Fatal(err)
	}
	if got := pairs.auroc([]float64{1, 1, 2, 0}); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("pair-weighted AUROC %v, want 0.5", got)
	}
	byFirst, err := sortScores(scores, labels, first, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := byFirst.auroc([]float64{1, 1, 2}); math.Abs(got-7.0/12) > 1e-12 {
		t.Errorf("by-first AUROC %v, want 7/12", got)
	}
	if got := pairs.auroc([]float64{0, 1, 0, 1}); !math.IsNaN(got) {
		t.Errorf("only bd drawn (no positive): %v, want NaN", got)
	}
}

func TestRunAverages(t *testing.T) {
	var c LearningCurve
	c.Add(10, []float64{0.5, 0.7})
	c.Add(20, []float64{0.7, 0.9})
	c.Add(30, []float64{0.9, 0.8})
	got, err := c.RunAverages()
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0.7, 0.8}; math.Abs(got[0]-want[0]) > 1e-12 || math.Abs(got[1]-want[1]) > 1e-12 {
		t.Errorf("got %v, want %v", got, want)
	}
	c.Add(40, []float64{1})
	if _, err := c.RunAverages(); err == nil {
		t.Error("a point with fewer runs: want an error")
	}
	if _, err := (LearningCurve{Name: "x"}).RunAverages(); err == nil {
		t.Error("no values: want an error")
	}
}

func TestIntervalDecimals(t *testing.T) {
	in := Interval{Estimate: 0.99816, Lower: 0.99791, Upper: -0.00004}
	if got, want := in.Decimals(4), "0.9982 [0.9979, -0.0000]"; got != want {
		t.Errorf("Decimals(4) = %q, want %q", got, want)
	}
	if got := in.Decimals(3); got != in.String() {
		t.Errorf("Decimals(3) = %q, String %q", got, in.String())
	}
}
