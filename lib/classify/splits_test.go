package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// thresholder is a deterministic stand-in classifier whose accuracy on any rows can be
// counted by hand. A row's features are (u, class): Fit learns c, the mean u of its
// training rows, and Predict answers the row's true class when u < c and the other class
// (of two) otherwise. Its accuracies on the test part and on the new rows both follow c,
// so they move together from seed to seed, as a real model's do.
type thresholder struct{ c float64 }

func (m *thresholder) Name() string { return "thresholder" }
func (m *thresholder) Fit(x [][]float32, y dataset.Labels) error {
	m.c = meanU(x)
	return nil
}
func (m *thresholder) Predict(x [][]float32) (dataset.Labels, error) {
	index := make([]int, len(x))
	for i, row := range x {
		index[i] = int(row[1])
		if float64(row[0]) >= m.c {
			index[i] = 1 - index[i]
		}
	}
	return dataset.SingleLabel(index, 2), nil
}
func (m *thresholder) PredictProba(x [][]float32) ([][]float32, error) {
	return nil, errors.New("thresholder: no probabilities")
}
func (m *thresholder) NumWeights() int        { return 1 }
func (m *thresholder) Save(path string) error { return errors.New("thresholder: not saved") }

func meanU(x [][]float32) float64 {
	sum := 0.0
	for _, row := range x {
		sum += float64(row[0])
	}
	return sum / float64(len(x))
}

// constant always answers class 0.
type constant struct{ thresholder }

func (m *constant) Name() string { return "constant" }
func (m *constant) Predict(x [][]float32) (dataset.Labels, error) {
	return dataset.SingleLabel(make([]int, len(x)), 2), nil
}

// splitsData builds 12 recordings of 3 clips (classes alternating by recording) and 4 new
// recordings of 3 clips, 3 of class 0 and 1 of class 1. u is spread over [0, 1) in a
// scrambled order, so that the train mean moves with the split.
func splitsData() (table *dataset.LabelTable, vectors [][]float32, newTable *dataset.LabelTable, newVectors [][]float32) {
	classes := []string{"a", "b"}
	table, newTable = &dataset.LabelTable{Classes: classes}, &dataset.LabelTable{Classes: classes}
	for i := range 36 {
		class := (i / 3) % 2
		labels := []int{1 - class, class}
		table.Rows = append(table.Rows, dataset.Row{File: fmt.Sprintf("r%02d.wav", i/3),
			StartSeconds: float64(3 * (i % 3)), EndSeconds: float64(3*(i%3) + 3), Labels: labels})
		vectors = append(vectors, []float32{float32((i*13)%36) / 36, float32(class)})
	}
	for i := range 12 {
		class := 0
		if i >= 9 {
			class = 1
		}
		newTable.Rows = append(newTable.Rows, dataset.Row{File: fmt.Sprintf("n%d.wav", i/3),
			StartSeconds: float64(3 * (i % 3)), EndSeconds: float64(3*(i%3) + 3),
			Labels: []int{1 - class, class}})
		newVectors = append(newVectors, []float32{float32((i*5)%12)/12 + 0.01, float32(class)})
	}
	return table, vectors, newTable, newVectors
}

// tHalf is the half-width of a 95 % Student t interval on the mean of values, computed here
// with t(0.975, n−1) from tables (scipy.stats.t.ppf) for 2, 4 and 5 values.
func tHalf(t *testing.T, values []float64) float64 {
	quantile := map[int]float64{2: 12.706204736174705, 4: 3.182446305284263, 5: 2.7764451051977987}
	n := len(values)
	q, ok := quantile[n]
	if !ok {
		t.Fatalf("tHalf has no quantile for %d values", n)
	}
	mean, squares := 0.0, 0.0
	for _, v := range values {
		mean += v / float64(n)
	}
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	return q * math.Sqrt(squares/float64(n-1)/float64(n))
}

func TestCompareSplits(t *testing.T) {
	table, vectors, newTable, newVectors := splitsData()
	byClip := func(r dataset.Row) string { return fmt.Sprint(r.File, r.StartSeconds) }
	splittings := []Splitting{{"by clip", byClip}, {"by recording", nil}}
	seeds := []uint64{1, 2, 3, 4, 5}
	made := 0
	newClassifiers := []func() Classifier{
		func() Classifier { made++; return &thresholder{} },
		func() Classifier { return &constant{} },
	}
	checks, err := CompareSplits(SplitCheckData{table, vectors, newTable, newVectors}, splittings,
		newClassifiers, SplitCheckOptions{Seeds: seeds})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 4 {
		t.Fatalf("%d checks, want 2 classifiers × 2 splittings", len(checks))
	}
	if made != len(splittings)*len(seeds) {
		t.Errorf("%d thresholders made, want a fresh one per splitting and seed (%d)", made, len(splittings)*len(seeds))
	}
	for k, c := range checks {
		name := []string{"thresholder", "constant"}[k/2]
		splitting := splittings[k%2]
		if c.Classifier != name || c.Splitting != splitting.Name || !slices.Equal(c.Seeds, seeds) {
			t.Fatalf("check %d is %s, %s, seeds %v; want %s, %s, %v", k, c.Classifier, c.Splitting,
				c.Seeds, name, splitting.Name, seeds)
		}
		// The expected accuracies, counted here row by row on the same splits.
		// want* hold one value per distinct split (its first seed's), as the intervals count.
		var wantTest, wantNew, wantInflation []float64
		tests := map[string]bool{}
		for s, seed := range seeds {
			split, err := dataset.StratifiedGroupSplit(table, dataset.SplitOptions{Train: 0.7, Test: 0.3,
				Seed: seed, Group: splitting.Group})
			if err != nil {
				t.Fatal(err)
			}
			repeat := tests[fmt.Sprint(split.Test)]
			tests[fmt.Sprint(split.Test)] = true
			if c.TestClips[s] != len(split.Test) {
				t.Errorf("%s, %s, seed %d: %d test clips, want %d", name, splitting.Name, seed, c.TestClips[s], len(split.Test))
			}
			var train [][]float32
			for _, r := range split.Train {
				train = append(train, vectors[r])
			}
			threshold := meanU(train)
			right := func(v []float32) bool {
				if name == "constant" {
					return v[1] == 0
				}
				return float64(v[0]) < threshold
			}
			count := func(vs [][]float32, rows []int) float64 {
				n := 0
				for _, r := range rows {
					if right(vs[r]) {
						n++
					}
				}
				return float64(n) / float64(len(rows))
			}
			test, next := count(vectors, split.Test), count(newVectors, newTable.AllRows())
			if math.Abs(c.Test[s]-test) > 1e-12 || math.Abs(c.New[s]-next) > 1e-12 || math.Abs(c.Inflation[s]-(test-next)) > 1e-12 {
				t.Errorf("%s, %s, seed %d: test, new, inflation %v %v %v, want %v %v %v", name, splitting.Name, seed,
					c.Test[s], c.New[s], c.Inflation[s], test, next, test-next)
			}
			if !repeat {
				wantTest, wantNew = append(wantTest, test), append(wantNew, next)
				wantInflation = append(wantInflation, test-next)
			}
		}
		// Split by clip the 5 seeds give 5 different splits; by recording, two of them give
		// the same one (counted from dataset.StratifiedGroupSplit's output).
		if want := []int{5, 4}[k%2]; c.DistinctSplits != want || len(tests) != want {
			t.Errorf("%s, %s: %d distinct splits (%d counted here), want %d", name, splitting.Name,
				c.DistinctSplits, len(tests), want)
		}
		if len(c.Test) != len(seeds) || len(c.New) != len(seeds) || len(c.Inflation) != len(seeds) {
			t.Fatalf("%s, %s: %d, %d, %d accuracies, want one per seed", name, splitting.Name,
				len(c.Test), len(c.New), len(c.Inflation))
		}
		for _, v := range []struct {
			what   string
			got    [3]float64
			values []float64
		}{
			{"test", [3]float64{c.TestCI.Estimate, c.TestCI.Lower, c.TestCI.Upper}, wantTest},
			{"new", [3]float64{c.NewCI.Estimate, c.NewCI.Lower, c.NewCI.Upper}, wantNew},
			{"inflation", [3]float64{c.InflationCI.Estimate, c.InflationCI.Lower, c.InflationCI.Upper}, wantInflation},
		} {
			mean := 0.0
			for _, x := range v.values {
				mean += x / float64(len(v.values))
			}
			half := tHalf(t, v.values)
			if math.Abs(v.got[0]-mean) > 1e-12 || math.Abs(v.got[1]-(mean-half)) > 1e-9 || math.Abs(v.got[2]-(mean+half)) > 1e-9 {
				t.Errorf("%s, %s: %s interval %.4f [%.4f, %.4f], want %.4f ∓ %.4f", name, splitting.Name, v.what,
					v.got[0], v.got[1], v.got[2], mean, half)
			}
		}
		if name == "constant" {
			// 9 of the 12 new clips are class 0, whatever the split: a zero-width interval.
			if c.NewCI.Estimate != 0.75 || c.NewCI.Lower != 0.75 || c.NewCI.Upper != 0.75 {
				t.Errorf("constant, %s: new accuracy %v [%v, %v], want 0.75 [0.75, 0.75]", splitting.Name,
					c.NewCI.Estimate, c.NewCI.Lower, c.NewCI.Upper)
			}
		}
	}
	// Split by clip, the thresholder's test and new accuracies move together, so the
	// paired interval on their difference differs from one made of the two marginal
	// intervals (which would add the half-widths in quadrature): the check above would
	// catch an unpaired interval. (Split by recording, its new accuracy happens not to
	// move, and the two agree.)
	for _, c := range checks[:1] {
		paired := (c.InflationCI.Upper - c.InflationCI.Lower) / 2
		unpaired := math.Hypot((c.TestCI.Upper-c.TestCI.Lower)/2, (c.NewCI.Upper-c.NewCI.Lower)/2)
		t.Logf("%s: paired half-width %.4f, unpaired %.4f", c.Splitting, paired, unpaired)
		if math.Abs(paired-unpaired) < 0.005 {
			t.Errorf("%s: paired half-width %.4f is the unpaired %.4f: the data do not test the pairing",
				c.Splitting, paired, unpaired)
		}
	}
}

// TestCompareSplitsDistinct checks that the intervals count each distinct split once. Site
// groups of uneven sizes on splitsData's 12 recordings (r00–r11) give few splits: with
// sites {r00–r05}, {r06–r07}, {r08–r09}, {r10–r11}, seeds 1 and 4 give the test part
// r08–r11 and seeds 2 and 3 r06–r09 (2 distinct splits, so t with 1 degree of freedom);
// with two sites {r00–r09} and {r10–r11}, every seed tests r10–r11 (1 split: no interval).
// The seeds' splits are those dataset.StratifiedGroupSplit gave when the test was written;
// the test checks them.
func TestCompareSplitsDistinct(t *testing.T) {
	table, vectors, newTable, newVectors := splitsData()
	recording := func(r dataset.Row) int {
		var n int
		fmt.Sscanf(r.File, "r%02d.wav", &n)
		return n
	}
	fourSites := func(r dataset.Row) string {
		return fmt.Sprint(min(max(recording(r)/2, 2), 5)) // 2: r00–r05, 3, 4, 5: pairs
	}
	twoSites := func(r dataset.Row) string { return fmt.Sprint(recording(r) >= 10) }
	// u rises with the recording, so that the train mean, and with it the accuracies, move
	// with which sites are held out (splitsData's scrambled u barely moves here).
	for i, row := range table.Rows {
		vectors[i] = []float32{float32(recording(row))/12 + float32(i%3)/100, vectors[i][1]}
	}
	checks, err := CompareSplits(SplitCheckData{table, vectors, newTable, newVectors},
		[]Splitting{{"four sites", fourSites}, {"two sites", twoSites}},
		[]func() Classifier{func() Classifier { return &thresholder{} }},
		SplitCheckOptions{Seeds: []uint64{1, 2, 3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	// accuracies counts the thresholder's test and new accuracies when the test part is the
	// clips of the recordings from first to last and the rest train.
	accuracies := func(first, last int) (test, next float64) {
		var train [][]float32
		var testRows []int
		for i, row := range table.Rows {
			if r := recording(row); r >= first && r <= last {
				testRows = append(testRows, i)
			} else {
				train = append(train, vectors[i])
			}
		}
		threshold := meanU(train)
		count := func(vs [][]float32, rows []int) float64 {
			n := 0
			for _, r := range rows {
				if float64(vs[r][0]) < threshold {
					n++
				}
			}
			return float64(n) / float64(len(rows))
		}
		return count(vectors, testRows), count(newVectors, newTable.AllRows())
	}
	testA, newA := accuracies(8, 11)
	testB, newB := accuracies(6, 9)
	four := checks[0]
	if four.DistinctSplits != 2 {
		t.Fatalf("four sites: %d distinct splits, want 2", four.DistinctSplits)
	}
	if want := []float64{testA, testB, testB, testA}; !slices.Equal(four.Test, want) {
		t.Errorf("four sites: test accuracies %v, want %v", four.Test, want)
	}
	if want := []float64{newA, newB, newB, newA}; !slices.Equal(four.New, want) {
		t.Errorf("four sites: new accuracies %v, want %v", four.New, want)
	}
	for _, v := range []struct {
		what      string
		got       [3]float64
		a, b      float64
		low, high float64 // what the quantity can take: the bounds are clipped there
	}{
		{"test", [3]float64{four.TestCI.Estimate, four.TestCI.Lower, four.TestCI.Upper}, testA, testB, 0, 1},
		{"new", [3]float64{four.NewCI.Estimate, four.NewCI.Lower, four.NewCI.Upper}, newA, newB, 0, 1},
		{"inflation", [3]float64{four.InflationCI.Estimate, four.InflationCI.Lower, four.InflationCI.Upper},
			testA - newA, testB - newB, -1, 1},
	} {
		// Two values: the mean is their midpoint, s/√2 is half their distance, t(0.975, 1).
		mean, half := (v.a+v.b)/2, 12.706204736174705*math.Abs(v.a-v.b)/2
		lower, upper := max(mean-half, v.low), min(mean+half, v.high)
		if math.Abs(v.got[0]-mean) > 1e-12 || math.Abs(v.got[1]-lower) > 1e-9 || math.Abs(v.got[2]-upper) > 1e-9 {
			t.Errorf("four sites: %s interval %.4f [%.4f, %.4f], want %.4f ∓ %.4f clipped to [%v, %v]", v.what, v.got[0], v.got[1],
				v.got[2], mean, half, v.low, v.high)
		}
	}
	t.Logf("four sites: test %v and %v, new %v and %v", testA, testB, newA, newB)
	if newA == newB || testA-newA == testB-newB {
		t.Errorf("four sites: both splits score %v on the new rows or inflate as much: the data do not "+
			"test the interval", newA)
	}
	two := checks[1]
	testC, newC := accuracies(10, 11)
	if two.DistinctSplits != 1 {
		t.Fatalf("two sites: %d distinct splits, want 1", two.DistinctSplits)
	}
	for _, v := range []struct {
		what string
		got  [3]float64
		want float64
	}{
		{"test", [3]float64{two.TestCI.Estimate, two.TestCI.Lower, two.TestCI.Upper}, testC},
		{"new", [3]float64{two.NewCI.Estimate, two.NewCI.Lower, two.NewCI.Upper}, newC},
		{"inflation", [3]float64{two.InflationCI.Estimate, two.InflationCI.Lower, two.InflationCI.Upper},
			testC - newC},
	} {
		if math.Abs(v.got[0]-v.want) > 1e-12 || !math.IsNaN(v.got[1]) || !math.IsNaN(v.got[2]) {
			t.Errorf("two sites: %s interval %v [%v, %v], want %v [NaN, NaN]", v.what, v.got[0], v.got[1],
				v.got[2], v.want)
		}
	}
}

func TestCompareSplitsErrors(t *testing.T) {
	table, vectors, newTable, newVectors := splitsData()
	splittings := []Splitting{{"by recording", nil}}
	models := []func() Classifier{func() Classifier { return &thresholder{} }}
	otherClasses := &dataset.LabelTable{Classes: []string{"a", "c"}, Rows: newTable.Rows}
	tests := []struct {
		name       string
		vectors    [][]float32
		newTable   *dataset.LabelTable
		newVectors [][]float32
		splittings []Splitting
		models     []func() Classifier
		options    SplitCheckOptions
		want       string
	}{
		{"vectors", vectors[:3], newTable, newVectors, splittings, models, SplitCheckOptions{},
			"3 feature vectors for a label table of 36 rows"},
		{"new vectors", vectors, newTable, newVectors[:11], splittings, models, SplitCheckOptions{},
			"11 new feature vectors for a new label table of 12 rows"},
		{"classes", vectors, otherClasses, newVectors, splittings, models, SplitCheckOptions{},
			"classes [a c] differ from the table's [a b]"},
		{"no seeds", vectors, newTable, newVectors, splittings, models, SplitCheckOptions{Seeds: []uint64{}},
			"no seeds, want at least one"},
		{"test fraction", vectors, newTable, newVectors, splittings, models, SplitCheckOptions{Test: 1.5},
			"test fraction 1.5"},
		{"no splittings", vectors, newTable, newVectors, nil, models, SplitCheckOptions{},
			"0 splittings and 1 classifiers"},
		{"nil classifier", vectors, newTable, newVectors, splittings, []func() Classifier{nil}, SplitCheckOptions{},
			"classifier constructor 0 is nil"},
		{"level", vectors, newTable, newVectors, splittings, models, SplitCheckOptions{Level: 2},
			"level 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompareSplits(SplitCheckData{table, tc.vectors, tc.newTable, tc.newVectors}, tc.splittings,
				tc.models, tc.options)
			if err == nil || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrInput containing %q", err, tc.want)
			}
		})
	}
}

// TestMustCompareSplits checks that the notebook form panics with CompareSplits' error.
func TestMustCompareSplits(t *testing.T) {
	table, vectors, newTable, newVectors := splitsData()
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "no seeds") {
			t.Errorf("recovered %v, want CompareSplits' error about no seeds", r)
		}
	}()
	MustCompareSplits(SplitCheckData{table, vectors, newTable, newVectors}, []Splitting{{Name: "by recording"}},
		[]func() Classifier{func() Classifier { return &thresholder{} }}, SplitCheckOptions{Seeds: []uint64{}})
}

// TestCompareSplitsRepeatedSeeds: a repeated seed, or a single one, is tracked rather than
// refused (metrics.DistinctRepeats' policy): seeds 3, 3, 3 make one distinct split, whose
// intervals are its value with NaN bounds, and seeds 1, 2, 1 give the interval of 1 and 2.
func TestCompareSplitsRepeatedSeeds(t *testing.T) {
	table, vectors, newTable, newVectors := splitsData()
	run := func(seeds ...uint64) SplitCheck {
		t.Helper()
		checks, err := CompareSplits(SplitCheckData{table, vectors, newTable, newVectors}, []Splitting{{Name: "by recording"}},
			[]func() Classifier{func() Classifier { return &thresholder{} }}, SplitCheckOptions{Seeds: seeds})
		if err != nil {
			t.Fatal(err)
		}
		return checks[0]
	}
	for _, seeds := range [][]uint64{{3, 3, 3}, {3}} {
		c := run(seeds...)
		if c.DistinctSplits != 1 || len(c.Test) != len(seeds) || c.TestCI.Estimate != c.Test[0] ||
			!math.IsNaN(c.TestCI.Lower) || !math.IsNaN(c.InflationCI.Upper) {
			t.Errorf("seeds %v: %d distinct splits, test CI %+v; want 1, %v [NaN, NaN]", seeds, c.DistinctSplits, c.TestCI, c.Test[0])
		}
	}
	c, two := run(1, 2, 1), run(1, 2)
	want, err := metrics.MeanInterval(two.Test, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if c.DistinctSplits != 2 || !slices.Equal(c.Distinct, []int{0, 1}) || c.TestCI.Estimate != want.Estimate || c.TestCI.Lower != max(want.Lower, 0) {
		t.Errorf("seeds 1, 2, 1: %d distinct, test CI %+v; want 2 and seeds 1, 2's %+v", c.DistinctSplits, c.TestCI, want)
	}
}

// TestSplitGaps: each splitting minus the baseline, per classifier, over the distinct
// splits only. The site check's 5 seeds repeat 2 splits (Distinct 0, 1), so its gap is
// the Welch interval of {0.6, 0.8} against the recording split's {0.9, 0.8, 0.7}: means
// 0.7 and 0.8, so −0.1; had the repeats counted, the mean would be 0.68. Inflation: site
// {0.1, −0.1} against {0, 0, 0} is +0 with the one-sample half-width of {0.1, −0.1}
// (t(0.975, 1) = 12.7062 · 0.1 = 1.27, clipped at ±1); the leaky check, with the recording
// split's new accuracies, gains 0 on them. Bad input is refused.
func TestSplitGaps(t *testing.T) {
	rec := SplitCheck{Classifier: "m", Splitting: "by recording", Distinct: []int{0, 1, 2},
		New: []float64{0.9, 0.8, 0.7}, Inflation: []float64{0, 0, 0}}
	site := SplitCheck{Classifier: "m", Splitting: "by site", Distinct: []int{0, 1},
		New: []float64{0.6, 0.8, 0.6, 0.6, 0.6}, Inflation: []float64{0.1, -0.1, 0.1, 0.1, 0.1}}
	leaky := SplitCheck{Classifier: "m", Splitting: "leaky", Distinct: []int{0, 1, 2},
		New: []float64{0.9, 0.8, 0.7}, Inflation: []float64{0.05, 0.05, 0.05}}
	// leaky and rec share their new accuracies: equal sizes and spreads, the pooled t
	// interval, 0 ± t(0.975, 4)·√(2·0.01/3).
	pooledHalf := 2.776445 * math.Sqrt(2*0.01/3)
	newSite, err := metrics.WelchInterval([]float64{0.6, 0.8}, []float64{0.9, 0.8, 0.7}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		checks []SplitCheck
		want   []SplitGap
		err    string
	}{
		{"site and leaky", []SplitCheck{leaky, rec, site}, []SplitGap{
			{Classifier: "m", Splitting: "leaky", Baseline: "by recording",
				New:       metrics.Interval{Estimate: 0, Lower: -pooledHalf, Upper: pooledHalf, Level: 0.95},
				Inflation: metrics.Interval{Estimate: 0.05, Lower: 0.05, Upper: 0.05, Level: 0.95}},
			{Classifier: "m", Splitting: "by site", Baseline: "by recording", New: newSite,
				Inflation: metrics.Interval{Estimate: 0, Lower: -1, Upper: 1, Level: 0.95}},
		}, ""},
		{"no baseline", []SplitCheck{site}, nil, `no "by recording" check for m`},
		{"one distinct split", []SplitCheck{rec, {Classifier: "m", Splitting: "x", Distinct: []int{0},
			New: []float64{0.5, 0.5}, Inflation: []float64{0, 0}}}, nil, "1 values in a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitGaps(tc.checks, "by recording", 0.95)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrInput) {
					t.Fatalf("error %v, want ErrInput containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d gaps, want %d", len(got), len(tc.want))
			}
			near := func(a, b metrics.Interval) bool {
				return math.Abs(a.Estimate-b.Estimate) < 1e-12 && math.Abs(a.Lower-b.Lower) < 1e-6 && math.Abs(a.Upper-b.Upper) < 1e-6
			}
			for i, g := range got {
				w := tc.want[i]
				if g.Classifier != w.Classifier || g.Splitting != w.Splitting || g.Baseline != w.Baseline || !near(g.New, w.New) || !near(g.Inflation, w.Inflation) {
					t.Errorf("gap %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
	if math.Abs(newSite.Estimate+0.1) > 1e-12 {
		t.Errorf("site minus recording %v, want −0.1 (the repeats not counted)", newSite.Estimate)
	}
}

// TestSplitGapsTable checks the gaps table against lines written out by hand: one block
// per classifier, points with signs, a NaN bound as —.
func TestSplitGapsTable(t *testing.T) {
	iv := func(estimate, lower, upper float64) metrics.Interval {
		return metrics.Interval{Estimate: estimate, Lower: lower, Upper: upper, Level: 0.95}
	}
	for _, tc := range []struct {
		name string
		gaps []SplitGap
		want string
	}{
		{"two classifiers", []SplitGap{
			{Classifier: "m1", Splitting: "leaky", Baseline: "by recording", New: iv(-0.012, -0.037, 0.013), Inflation: iv(0.039, 0.003, 0.076)},
			{Classifier: "m1", Splitting: "by site", Baseline: "by recording", New: iv(-0.036, -0.131, 0.06), Inflation: iv(0.03, math.NaN(), math.NaN())},
			{Classifier: "m2", Splitting: "leaky", Baseline: "by recording", New: iv(0, 0, 0), Inflation: iv(0.055, -0.011, 0.121)},
		}, "\n" +
			"m1: minus by recording, points [95 % Welch interval]\n" +
			"  split                    new recordings         inflation\n" +
			"  leaky                    -1.2 [-3.7, +1.3]      +3.9 [+0.3, +7.6]\n" +
			"  by site                  -3.6 [-13.1, +6.0]     +3.0 [—, —]\n" +
			"\n" +
			"m2: minus by recording, points [95 % Welch interval]\n" +
			"  split                    new recordings         inflation\n" +
			"  leaky                    +0.0 [+0.0, +0.0]      +5.5 [-1.1, +12.1]\n"},
		{"none", nil, ""},
	} {
		if got := SplitGapsTable(tc.gaps); got != tc.want {
			t.Errorf("%s: table\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
