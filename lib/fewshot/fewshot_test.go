package fewshot

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// table returns a single-label table of classes × perClass rows, class of row
// i = i mod classes.
func table(t *testing.T, classes, perClass int) *dataset.LabelTable {
	t.Helper()
	var b strings.Builder
	b.WriteString("file,start_time,end_time")
	for c := range classes {
		fmt.Fprintf(&b, ",c%d", c)
	}
	b.WriteString("\n")
	for i := range classes * perClass {
		fmt.Fprintf(&b, "f%03d.wav,0,3", i)
		for c := range classes {
			b.WriteString(map[bool]string{true: ",1", false: ",0"}[c == i%classes])
		}
		b.WriteString("\n")
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(b.String()), "test table")
	if err != nil {
		t.Fatal(err)
	}
	return lt
}

// spy is a classifier that remembers the rows it was fitted on and asked
// about; each feature vector carries its row index in feature 0, and it
// predicts the class stored in feature 1.
type spy struct {
	fitted, predicted *[][]int
	classes           int
}

func (s spy) Name() string { return "spy" }
func (s spy) Fit(x [][]float32, y dataset.Labels) error {
	var rows []int
	for _, v := range x {
		rows = append(rows, int(v[0]))
	}
	*s.fitted = append(*s.fitted, rows)
	return nil
}
func (s spy) PredictProba(x [][]float32) ([][]float32, error) { return nil, errors.New("unused") }
func (s spy) Predict(x [][]float32) (dataset.Labels, error) {
	var rows, classes []int
	for _, v := range x {
		rows = append(rows, int(v[0]))
		classes = append(classes, int(v[1]))
	}
	*s.predicted = append(*s.predicted, rows)
	return dataset.SingleLabel(classes, s.classes), nil
}
func (s spy) NumWeights() int        { return 7 }
func (s spy) Save(path string) error { return errors.New("unused") }

// TestCompareDraws checks the draws: every feature set is fitted on the same
// rows for a seed, PerClass of each class, taken only from Rows; the test rows
// are exactly the other candidate rows; and the accuracies are those the
// predictions give (here: feature 1 holds the true class for the "right" set,
// class 0 for the "wrong" set, so 1 and 1/3).
func TestCompareDraws(t *testing.T) {
	lt := table(t, 3, 12)
	candidates := []int{}
	for i := range 30 { // The last 6 rows are not candidates.
		candidates = append(candidates, i)
	}
	right, wrong := make([][]float32, 36), make([][]float32, 36)
	for i := range right {
		right[i] = []float32{float32(i), float32(i % 3)}
		wrong[i] = []float32{float32(i), 0}
	}
	var fitted, predicted [][]int
	c, err := Compare(lt, []FeatureSet{{"right", right}, {"wrong", wrong}}, Options{
		PerClass: 4, Seeds: []uint64{7, 8, 9}, Rows: candidates,
		NewClassifier: func() classify.Classifier { return spy{&fitted, &predicted, 3} },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fitted) != 6 || len(predicted) != 12 {
		t.Fatalf("%d fits and %d predictions, want 6 and 12 (2 sets × 3 seeds, test then training clips)",
			len(fitted), len(predicted))
	}
	for s := range 3 {
		a, b := fitted[2*s], fitted[2*s+1]
		if !slices.Equal(predicted[4*s+1], a) {
			t.Errorf("seed %d: training accuracy measured on %v, want the training rows %v", s, predicted[4*s+1], a)
		}
		if !slices.Equal(a, b) {
			t.Errorf("seed %d: sets trained on different rows %v and %v", s, a, b)
		}
		perClass := make([]int, 3)
		for _, r := range a {
			if r >= 30 {
				t.Errorf("seed %d: trained on row %d, not a candidate", s, r)
			}
			perClass[r%3]++
		}
		if !slices.Equal(perClass, []int{4, 4, 4}) {
			t.Errorf("seed %d: %v training rows per class, want 4 each", s, perClass)
		}
		all := append(slices.Clone(a), predicted[4*s]...)
		slices.Sort(all)
		if !slices.Equal(all, candidates) {
			t.Errorf("seed %d: training %v + test %v are not the candidate rows", s, a, predicted[4*s])
		}
	}
	if s1, s2 := fitted[0], fitted[2]; slices.Equal(s1, s2) {
		t.Errorf("seeds 7 and 8 drew the same rows %v", s1)
	}
	if c.TrainClips != 12 || c.TestClips != 18 || c.Classes != 3 || c.PerClass != 4 {
		t.Errorf("sizes: %+v", c)
	}
	r, w := c.Result("right"), c.Result("wrong")
	if r.Mean != 1 || r.Std != 0 || math.Abs(w.Mean-1.0/3) > 1e-12 || w.NumWeights != 7 || r.Features != 2 {
		t.Errorf("results %+v and %+v, want accuracy 1 and 1/3", *r, *w)
	}
	if r.TrainMean != 1 || math.Abs(w.TrainMean-1.0/3) > 1e-12 || len(c.Repeats) != 0 {
		t.Errorf("training accuracies %v and %v, want 1 and 1/3; repeated draws %v, want none",
			r.TrainMean, w.TrainMean, c.Repeats)
	}
	if len(r.TrainAccuracies) != len(c.Seeds) || slices.Min(r.TrainAccuracies) != 1 || len(w.TrainAccuracies) != len(c.Seeds) {
		t.Errorf("per-draw training accuracies %v and %v, want one per seed (%d), all 1 for right",
			r.TrainAccuracies, w.TrainAccuracies, len(c.Seeds))
	}
	if got := c.MarginPoints("right", "wrong"); math.Abs(got-100*2.0/3) > 1e-9 {
		t.Errorf("MarginPoints = %g, want 66.67", got)
	}
	if !math.IsNaN(c.MarginPoints("right", "none")) {
		t.Error("MarginPoints with a missing set is not NaN")
	}
	if s := c.String(); !strings.Contains(s, "right") || !strings.Contains(s, "100.0%") || !strings.Contains(s, "33.3%") {
		t.Errorf("String() =\n%s", s)
	}
}

// TestCompareLogistic runs the default classifier: features that separate the
// classes give accuracy 1, pure noise gives about chance, and the same call
// twice gives the same numbers.
func TestCompareLogistic(t *testing.T) {
	lt := table(t, 4, 20)
	rng := rand.New(rand.NewPCG(1, 2))
	separable, noise := make([][]float32, 80), make([][]float32, 80)
	for i := range separable {
		separable[i] = make([]float32, 4) // One-hot class, plus noise.
		for j := range separable[i] {
			separable[i][j] = 0.1 * float32(rng.NormFloat64())
		}
		separable[i][i%4] += 1
		noise[i] = []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64())}
	}
	sets := []FeatureSet{{"separable", separable}, {"noise", noise}}
	c, err := Compare(lt, sets, Options{Seeds: []uint64{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Classifier, "logistic regression") || c.TrainClips != 40 || c.TestClips != 40 {
		t.Errorf("defaults: %+v", c)
	}
	if r := c.Result("separable"); r.Min != 1 {
		t.Errorf("separable features: accuracies %v, want all 1", r.Accuracies)
	}
	if r := c.Result("noise"); r.Mean > 0.5 {
		t.Errorf("noise features: mean accuracy %.2f, want near chance (0.25)", r.Mean)
	}
	again, err := Compare(lt, sets, Options{Seeds: []uint64{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	for k := range sets {
		if !slices.Equal(c.Results[k].Accuracies, again.Results[k].Accuracies) {
			t.Errorf("%s: %v then %v", sets[k].Name, c.Results[k].Accuracies, again.Results[k].Accuracies)
		}
	}
}

// TestMeanStd checks the summary against hand computation: 0.5, 0.7, 0.9 have
// mean 0.7 and sample standard deviation √((0.04+0+0.04)/2) = 0.2.
func TestMeanStd(t *testing.T) {
	for _, tc := range []struct {
		xs        []float64
		mean, std float64
	}{
		{[]float64{0.5, 0.7, 0.9}, 0.7, 0.2},
		{[]float64{0.4}, 0.4, 0},
		{[]float64{1, 1, 1, 1}, 1, 0},
	} {
		mean, std := meanStd(tc.xs)
		if math.Abs(mean-tc.mean) > 1e-12 || math.Abs(std-tc.std) > 1e-12 {
			t.Errorf("meanStd(%v) = %g, %g; want %g, %g", tc.xs, mean, std, tc.mean, tc.std)
		}
	}
}

// TestCompareErrors checks that bad inputs are refused with an error naming
// the problem.
func TestCompareErrors(t *testing.T) {
	lt := table(t, 2, 5)
	ok := make([][]float32, 10)
	for i := range ok {
		ok[i] = []float32{float32(i)}
	}
	multi, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,a,b\nx.wav,0,3,1,1\ny.wav,0,3,1,0\n"), "multi")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		labels *dataset.LabelTable
		sets   []FeatureSet
		o      Options
		want   string
	}{
		{"no sets", lt, nil, Options{}, "no feature sets"},
		{"short set", lt, []FeatureSet{{"short", ok[:9]}}, Options{}, `"short" has 9 vectors for 10`},
		{"multi-label", multi, []FeatureSet{{"a", ok[:2]}}, Options{}, "not single-label"},
		{"bad row", lt, []FeatureSet{{"a", ok}}, Options{Rows: []int{0, 12}}, "row 12 outside"},
		{"too few", lt, []FeatureSet{{"a", ok}}, Options{PerClass: 6}, "seed 1"},
		{"no test rows", lt, []FeatureSet{{"a", ok}}, Options{PerClass: 5}, "no test rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.labels, tc.sets, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestMeanInterval checks the bootstrap interval on the mean of the draws
// against the exact bootstrap distribution: for 0.5, 0.7, 0.9 each of the 27
// equally likely resamples has probability 1/27 ≈ 3.7 %, so the resample means
// 0.5 and 0.9 each hold more than 2.5 % of the mass and are the 2.5th and
// 97.5th percentiles; identical draws give a zero-width interval.
func TestMeanInterval(t *testing.T) {
	for _, tc := range []struct {
		xs        []float64
		low, high float64
	}{
		{[]float64{0.5, 0.7, 0.9}, 0.5, 0.9},
		{[]float64{0.8, 0.8, 0.8, 0.8}, 0.8, 0.8},
	} {
		low, high, err := meanInterval(tc.xs)
		if err != nil || math.Abs(low-tc.low) > 1e-12 || math.Abs(high-tc.high) > 1e-12 {
			t.Errorf("meanInterval(%v) = %v, %v, %v; want %v, %v", tc.xs, low, high, err, tc.low, tc.high)
		}
	}
	xs := []float64{0.71, 0.74, 0.69, 0.8, 0.77, 0.73, 0.75, 0.7, 0.78, 0.72}
	low, high, _ := meanInterval(xs)
	mean, _ := meanStd(xs)
	if !(slices.Min(xs) < low && low < mean && mean < high && high < slices.Max(xs)) {
		t.Errorf("interval %v–%v on the mean %v of %v", low, high, mean, xs)
	}
}

func TestSeeds(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want []uint64
	}{{-1, nil}, {0, nil}, {1, []uint64{1}}, {5, []uint64{1, 2, 3, 4, 5}}} {
		if got := Seeds(tc.n); !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("Seeds(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := (MeasureOptions{}).withDefaults().Seeds; !slices.Equal(got, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("MeasureOptions' default seeds = %v, want 1..10", got)
	}
	if got := (Options{}).withDefaults().Seeds; !slices.Equal(got, []uint64{1, 2, 3, 4, 5}) {
		t.Errorf("Options' default seeds = %v, want 1..5", got)
	}
}

// TestComparisonIntervals checks Interval and Difference against hand computation with
// Student t quantiles from tables (scipy.stats.t.ppf(0.975, n−1)), and that a draw listed
// in Repeats counts once.
func TestComparisonIntervals(t *testing.T) {
	const t2, t3 = 4.302652729911275, 3.182446305284263
	c := &Comparison{Results: []Result{
		{Name: "a", Accuracies: []float64{0.9, 0.8, 0.7, 0.8}},
		{Name: "b", Accuracies: []float64{0.6, 0.6, 0.7, 0.5}},
	}}
	tests := []struct {
		name       string
		repeats    []int
		got        func() (metrics.Interval, error)
		mean, half float64
	}{
		// 0.9, 0.8, 0.7, 0.8: mean 0.8, s² = 0.02/3.
		{"a, 4 draws", nil, func() (metrics.Interval, error) { return c.Interval(0) }, 0.8, t3 * math.Sqrt(0.02/3/4)},
		// differences 0.3, 0.2, 0, 0.3: mean 0.2, s² = (0.01+0+0.04+0.01)/3 = 0.02.
		{"a − b, 4 draws", nil, func() (metrics.Interval, error) { return c.Difference(0, 1) }, 0.2, t3 * math.Sqrt(0.02/4)},
		// draw 3 repeats an earlier one: 0.9, 0.8, 0.7, mean 0.8, s = 0.1.
		{"a, draw 3 repeated", []int{3}, func() (metrics.Interval, error) { return c.Interval(0) }, 0.8, t2 * 0.1 / math.Sqrt(3)},
		// 0.3, 0.2, 0: mean 0.5/3, s² = ((0.3−m)² + (0.2−m)² + m²)/2.
		{"a − b, draw 3 repeated", []int{3}, func() (metrics.Interval, error) { return c.Difference(0, 1) },
			0.5 / 3, t2 * math.Sqrt((math.Pow(0.3-0.5/3, 2)+math.Pow(0.2-0.5/3, 2)+math.Pow(0.5/3, 2))/2/3)},
	}
	for _, tc := range tests {
		c.Repeats = tc.repeats
		got, err := tc.got()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		upper := tc.mean + tc.half
		if strings.HasPrefix(tc.name, "a,") { // an accuracy's interval, clipped to 1
			upper = min(upper, 1)
		}
		if math.Abs(got.Estimate-tc.mean) > 1e-12 || math.Abs(got.Lower-(tc.mean-tc.half)) > 1e-9 ||
			math.Abs(got.Upper-upper) > 1e-9 || got.Level != 0.95 {
			t.Errorf("%s = %v, want %v ∓ %v (upper bound %v)", tc.name, got, tc.mean, tc.half, upper)
		}
	}
	c.Repeats = nil
	// 1, 1, 0.9: mean 2.9/3, and mean + t·s/√3 runs past 1: clipped.
	near := &Comparison{Results: []Result{{Name: "near 1", Accuracies: []float64{1, 1, 0.9}}}}
	iv, err := near.Interval(0)
	s3 := math.Sqrt((2*math.Pow(1-2.9/3, 2) + math.Pow(0.9-2.9/3, 2)) / 2)
	if err != nil || iv.Upper != 1 || math.Abs(iv.Lower-(2.9/3-t2*s3/math.Sqrt(3))) > 1e-9 {
		t.Errorf("near 1: %v, %v; want upper bound clipped to 1, lower %v", iv, err, 2.9/3-t2*s3/math.Sqrt(3))
	}
	if _, err := c.Interval(2); !errors.Is(err, ErrInput) {
		t.Errorf("Interval(2) of 2 results: error %v, want ErrInput", err)
	}
	if _, err := c.Difference(0, -1); !errors.Is(err, ErrInput) {
		t.Errorf("Difference(0, -1): error %v, want ErrInput", err)
	}
	c.Results[1].Accuracies = c.Results[1].Accuracies[:3]
	if _, err := c.Difference(0, 1); err == nil || !strings.Contains(err.Error(), "4 draws and b 3") {
		t.Errorf("Difference of 4 and 3 draws: error %v", err)
	}
}

// TestCompareRepeats gives the same seed twice: the second draw is listed in Repeats.
func TestCompareRepeats(t *testing.T) {
	lt := table(t, 3, 12)
	features := make([][]float32, 36)
	for i := range features {
		features[i] = []float32{float32(i % 3), float32(i)}
	}
	c, err := Compare(lt, []FeatureSet{{"f", features}}, Options{PerClass: 4, Seeds: []uint64{7, 8, 7, 7}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Repeats, []int{2, 3}) {
		t.Errorf("Repeats = %v, want [2 3]", c.Repeats)
	}
}

// TestCompareClassifiers checks that each model's result is what Compare gives for a fresh
// classifier of its kind alone on the same draws, under the classifier's name.
func TestCompareClassifiers(t *testing.T) {
	lt := table(t, 4, 20)
	rng := rand.New(rand.NewPCG(3, 4))
	features := make([][]float32, 80)
	for i := range features {
		features[i] = []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		features[i][i%2] += 0.8 * float32(i%4) // classes overlap: accuracies differ by kind
	}
	kinds := []func() classify.Classifier{
		func() classify.Classifier { return classify.NewLogisticRegression(classify.LogisticOptions{}) },
		func() classify.Classifier { return classify.NewKNN(classify.KNNOptions{K: 1}) },
	}
	o := Options{PerClass: 5, Seeds: []uint64{1, 2, 3}}
	got, err := CompareClassifiers(lt, features, []classify.Classifier{kinds[0](), kinds[1]()}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != 2 || got.Classifier != "2 classifiers" {
		t.Fatalf("%d results, classifier %q; want 2, \"2 classifiers\"", len(got.Results), got.Classifier)
	}
	for k, kind := range kinds {
		o.NewClassifier = kind
		alone, err := Compare(lt, []FeatureSet{{"x", features}}, o)
		if err != nil {
			t.Fatal(err)
		}
		r := got.Results[k]
		if r.Name != kind().Name() || !slices.Equal(r.Accuracies, alone.Results[0].Accuracies) ||
			r.TrainMean != alone.Results[0].TrainMean {
			t.Errorf("kind %d: %s %v (train %v), want %s %v (train %v)", k, r.Name, r.Accuracies, r.TrainMean,
				kind().Name(), alone.Results[0].Accuracies, alone.Results[0].TrainMean)
		}
	}
	if _, err := CompareClassifiers(lt, features, nil, o); !errors.Is(err, ErrInput) {
		t.Errorf("no classifiers: error %v, want ErrInput", err)
	}
}

// TestComparisonString checks the interval column: the clipped t interval when there are
// two or more distinct draws (here "[100.0, 100.0]", its widest), "[—, —]" with one, each
// right-aligned under the "95% CI" header, so the columns after it stay in place.
func TestComparisonString(t *testing.T) {
	c := &Comparison{Classifier: "k", PerClass: 1, Classes: 2, Seeds: []uint64{1, 2}, Results: []Result{
		{Name: "perfect", Features: 2, Accuracies: []float64{1, 1}, Mean: 1, Min: 1, Max: 1},
		{Name: "single", Features: 2, Accuracies: []float64{0.5}, Mean: 0.5, Min: 0.5, Max: 0.5},
	}}
	lines := strings.Split(c.String(), "\n")
	if len(lines) < 4 {
		t.Fatalf("String() =\n%s", c.String())
	}
	header, perfect, single := lines[1], lines[2], lines[3]
	end := func(line, cell string) int { // the rune offset where cell ends in line, or -1
		i := strings.Index(line, cell)
		if i < 0 {
			return -1
		}
		return len([]rune(line[:i+len(cell)]))
	}
	ci, ends := end(header, "95% CI"), []int{end(perfect, "[100.0, 100.0]"), end(single, "[—, —]")}
	if ci < 0 || ends[0] != ci || ends[1] != ci {
		t.Errorf("interval cells end at %v, header's \"95%% CI\" at %d:\n%s", ends, ci, c.String())
	}
	if r := end(header, "range"); r < 0 || end(perfect, "100.0–100.0%") != r || end(single, " 50.0– 50.0%") != r {
		t.Errorf("range column misaligned:\n%s", c.String())
	}
}

// TestCompareRepeatsSummary checks that a repeated draw counts once in every summary:
// Mean is Interval's centre and TrainMean the mean over the distinct draws.
func TestCompareRepeatsSummary(t *testing.T) {
	lt := table(t, 3, 12)
	rng := rand.New(rand.NewPCG(5, 6))
	features := make([][]float32, 36)
	for i := range features {
		features[i] = []float32{float32(i%3) + float32(rng.NormFloat64()), float32(rng.NormFloat64())}
	}
	repeated, err := Compare(lt, []FeatureSet{{"f", features}}, Options{PerClass: 4, Seeds: []uint64{7, 8, 9, 7, 7}})
	if err != nil {
		t.Fatal(err)
	}
	distinct, err := Compare(lt, []FeatureSet{{"f", features}}, Options{PerClass: 4, Seeds: []uint64{7, 8, 9}})
	if err != nil {
		t.Fatal(err)
	}
	r, d := repeated.Results[0], distinct.Results[0]
	iv, err := repeated.Interval(0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Mean-d.Mean) > 1e-12 || math.Abs(r.Std-d.Std) > 1e-12 || math.Abs(r.TrainMean-d.TrainMean) > 1e-12 ||
		math.Abs(iv.Estimate-r.Mean) > 1e-12 || r.CILow != d.CILow || r.CIHigh != d.CIHigh {
		t.Errorf("seeds 7 8 9 7 7: mean %v std %v train %v interval %v bootstrap [%v, %v]; want seeds 7 8 9's %v %v %v, [%v, %v]",
			r.Mean, r.Std, r.TrainMean, iv, r.CILow, r.CIHigh, d.Mean, d.Std, d.TrainMean, d.CILow, d.CIHigh)
	}
	if d.Accuracies[0] == d.Accuracies[1] && d.Accuracies[1] == d.Accuracies[2] {
		t.Errorf("accuracies %v all equal: the test cannot tell repeats from distinct draws", d.Accuracies)
	}
}

// TestComparisonPrintsAsBefore: with distinct draws (lesson 04a's five seeds) and with a
// repeated one, Interval, Difference and String give exactly what they gave before the
// intervals moved to metrics.RepeatsInterval: MeanInterval and PairedInterval over the
// distinct draws, clipped (the old code, written out here). With one distinct draw the
// interval's bounds are NaN instead of an error, and String still prints "—".
func TestComparisonPrintsAsBefore(t *testing.T) {
	accuracies := [][]float64{{0.912, 0.884, 0.931, 0.902, 0.897}, {0.641, 0.702, 0.655, 0.688, 0.671}}
	for _, repeats := range [][]int{nil, {3}} {
		c := &Comparison{Classifier: "logistic", PerClass: 10, Classes: 20, TrainClips: 200, TestClips: 1400,
			Seeds: []uint64{1, 2, 3, 4, 5}, Repeats: repeats, Results: []Result{
				{Name: "birds-v1", Features: 128, Accuracies: accuracies[0]},
				{Name: "handcrafted", Features: 40, Accuracies: accuracies[1]}}}
		var kept [2][]float64
		for k := range kept {
			for d, a := range accuracies[k] {
				if !slices.Contains(repeats, d) {
					kept[k] = append(kept[k], a)
				}
			}
			c.Results[k].Mean, c.Results[k].Std = meanStd(kept[k])
			c.Results[k].Min, c.Results[k].Max = slices.Min(kept[k]), slices.Max(kept[k])
		}
		var cells []string
		for k := range kept {
			old, err := metrics.MeanInterval(kept[k], 0.95)
			if err != nil {
				t.Fatal(err)
			}
			old = old.Clip(0, 1)
			got, err := c.Interval(k)
			if err != nil || !reflect.DeepEqual(got, old) {
				t.Errorf("repeats %v: Interval(%d) = %+v, %v; before: %+v", repeats, k, got, err, old)
			}
			cells = append(cells, fmt.Sprintf("[%.1f, %.1f]", 100*old.Lower, 100*old.Upper))
		}
		oldDiff, err := metrics.PairedInterval(kept[0], kept[1], 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.Difference(0, 1); err != nil || !reflect.DeepEqual(got, oldDiff.Clip(-1, 1)) {
			t.Errorf("repeats %v: Difference = %+v, %v; before: %+v", repeats, got, err, oldDiff.Clip(-1, 1))
		}
		for _, cell := range cells {
			if !strings.Contains(c.String(), cell) {
				t.Errorf("repeats %v: String lacks %s:\n%s", repeats, cell, c.String())
			}
		}
	}
	// Hand-computed for the five distinct draws of birds-v1: mean 0.9052, s = 0.017598,
	// t(0.975, 4) = 2.776445: [88.3, 92.7].
	c := &Comparison{Results: []Result{{Name: "birds-v1", Accuracies: accuracies[0]}}}
	if iv, _ := c.Interval(0); fmt.Sprintf("[%.1f, %.1f]", 100*iv.Lower, 100*iv.Upper) != "[88.3, 92.7]" {
		t.Errorf("birds-v1: %v, want [88.3, 92.7] by hand", iv)
	}
	single := &Comparison{Seeds: []uint64{1, 1}, Repeats: []int{1}, Results: []Result{{Name: "one", Accuracies: []float64{0.7, 0.7}, Mean: 0.7, Min: 0.7, Max: 0.7}}}
	iv, err := single.Interval(0)
	if err != nil || iv.Estimate != 0.7 || !math.IsNaN(iv.Lower) || !math.IsNaN(iv.Upper) {
		t.Errorf("one distinct draw: %+v, %v; want 0.7 [NaN, NaN]", iv, err)
	}
	if !strings.Contains(single.String(), "—") {
		t.Errorf("one distinct draw prints no —:\n%s", single.String())
	}
}
