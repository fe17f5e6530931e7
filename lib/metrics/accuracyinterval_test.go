package metrics

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestAccuracyIntervals checks the bootstrap intervals on an accuracy and on a paired
// difference against the normal approximation, estimate ± 1.96·sd/√units, where sd is the
// standard deviation of the per-unit value (right or wrong, or A's minus B's). With 400
// clips and 2000 resamples the two agree to about a tenth of the half-width, plus one step:
// a resampled accuracy is a count of right units over the units drawn, so its percentiles
// sit on a grid of 1/units and can land a step away from the smooth normal curve (checked
// at every seed from 1 to 40).
func TestAccuracyIntervals(t *testing.T) {
	const n = 400
	truth := make([]int, n)
	for i := range truth {
		truth[i] = i % 7
	}
	// predict returns truth where right(i), and another class elsewhere.
	predict := func(right func(i int) bool) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = truth[i]
			if !right(i) {
				out[i] = (truth[i] + 1) % 7
			}
		}
		return out
	}
	everyClip := func(int) bool { return true }
	evenClips := func(i int) bool { return i%2 == 0 }
	evenBlocksOf4 := func(i int) bool { return (i/4)%2 == 0 }
	blocksOf4 := make([]string, n)
	for i := range blocksOf4 {
		blocksOf4[i] = strconv.Itoa(i / 4)
	}
	mostClips := func(i int) bool { return i%4 != 0 }
	mostClipsAndMore := func(i int) bool { return i%4 != 0 || i%8 == 0 }
	cases := []struct {
		name     string
		a, b     []int // b nil: the accuracy of a, else a's minus b's
		groups   []string
		estimate float64
		sd       float64 // of the per-unit value
		units    int
	}{
		{"all right", predict(everyClip), nil, nil, 1, 0, n},
		{"half right, clips", predict(evenClips), nil, nil, 0.5, 0.5, n},
		// 100 blocks of 4 clips right or wrong together: the interval of 100 units
		{"half right, blocks resampled", predict(evenBlocksOf4), nil, blocksOf4, 0.5, 0.5, 100},
		{"same predictions", predict(evenClips), predict(evenClips), nil, 0, 0, n},
		{"all right minus half", predict(everyClip), predict(evenClips), nil, 0.5, 0.5, n},
		// both right on 300 clips; A on 50 more: only those 50 vary the difference
		{"paired, 50 clips apart", predict(mostClipsAndMore), predict(mostClips), nil, 0.125,
			math.Sqrt(0.125 * 0.875), n},
	}
	for _, c := range cases {
		config := BootstrapConfig{Resamples: 2000, Seed: 3, Groups: c.groups}
		var got Interval
		var err error
		if c.b == nil {
			got, err = AccuracyInterval(truth, c.a, config)
		} else {
			got, err = AccuracyDifferenceInterval(truth, c.a, c.b, config)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		half := 1.96 * c.sd / math.Sqrt(float64(c.units))
		tolerance := 0.12*half + 1/float64(c.units) + 1e-12
		if math.Abs(got.Estimate-c.estimate) > 1e-12 {
			t.Errorf("%s: estimate %v, want %v", c.name, got.Estimate, c.estimate)
		}
		if math.Abs(got.Lower-(c.estimate-half)) > tolerance ||
			math.Abs(got.Upper-(c.estimate+half)) > tolerance {
			t.Errorf("%s: interval [%.4f, %.4f], want about [%.4f, %.4f]", c.name, got.Lower,
				got.Upper, c.estimate-half, c.estimate+half)
		}
	}
}

// TestAccuracyIntervalUnequalGroups checks that a grouped interval is on right clips over
// clips drawn, not on the mean of the groups' accuracies: 50 groups of 1 clip, all right, and
// 50 groups of 7 clips, all wrong. A resample that draws k one-clip groups (k binomial with
// 100 draws and probability ½) has accuracy k/(k + 7(100−k)), which rises with k, so the
// interval is that accuracy at the 2.5 % and 97.5 % quantiles of the binomial, to within
// one step of k (the resamples' own quantiles wander by about that much). The mean of the
// groups' accuracies would be k/100, about [0.40, 0.60]; resampling single clips would
// give about [0.093, 0.157].
func TestAccuracyIntervalUnequalGroups(t *testing.T) {
	const small, large, largeSize = 50, 50, 7
	n := small + large*largeSize
	truth := make([]int, n)
	predicted := make([]int, n)
	groups := make([]string, n)
	for i := range n {
		truth[i] = i % 5
		predicted[i] = truth[i]
		groups[i] = "one-clip " + strconv.Itoa(i)
		if i >= small {
			predicted[i] = (truth[i] + 1) % 5
			groups[i] = "seven-clip " + strconv.Itoa((i-small)/largeSize)
		}
	}
	units := small + large
	accuracyAt := func(k float64) float64 { return k / (k + largeSize*(float64(units)-k)) }
	// binomialQuantile returns the smallest k with P(K ≤ k) ≥ q for K ~ Binomial(units, ½).
	binomialQuantile := func(q float64) float64 {
		cumulative := 0.0
		for k := 0; k <= units; k++ {
			logChoose := lgammaOf(units+1) - lgammaOf(k+1) - lgammaOf(units-k+1)
			cumulative += math.Exp(logChoose - float64(units)*math.Ln2)
			if cumulative >= q {
				return float64(k)
			}
		}
		return float64(units)
	}
	kLower, kUpper := binomialQuantile(0.025), binomialQuantile(0.975)
	for _, seed := range []uint64{1, 2, 3} {
		got, err := AccuracyInterval(truth, predicted, BootstrapConfig{Resamples: 2000, Seed: seed, Groups: groups})
		if err != nil {
			t.Fatal(err)
		}
		if want := float64(small) / float64(n); math.Abs(got.Estimate-want) > 1e-12 {
			t.Errorf("seed %d: estimate %v, want %v", seed, got.Estimate, want)
		}
		lowerStep := accuracyAt(kLower+1) - accuracyAt(kLower)
		upperStep := accuracyAt(kUpper) - accuracyAt(kUpper-1)
		if math.Abs(got.Lower-accuracyAt(kLower)) > lowerStep ||
			math.Abs(got.Upper-accuracyAt(kUpper)) > upperStep {
			t.Errorf("seed %d: interval [%.4f, %.4f], want about [%.4f, %.4f] (k from %v to %v)", seed,
				got.Lower, got.Upper, accuracyAt(kLower), accuracyAt(kUpper), kLower, kUpper)
		}
	}
}

// lgammaOf returns log Γ(x) for a positive integer x.
func lgammaOf(x int) float64 {
	value, _ := math.Lgamma(float64(x))
	return value
}

func TestAccuracyIntervalErrors(t *testing.T) {
	cases := []struct {
		name              string
		truth, a, b       []int
		groups            []string
		wantErrorContains string
	}{
		{"no clips", nil, nil, nil, nil, "no clips"},
		{"short predictions", []int{1, 2, 3}, []int{1, 2}, nil, nil, "2 predictions for 3"},
		{"short B", []int{1, 2}, []int{1, 2}, []int{1}, nil, "1 predictions B for 2"},
		{"groups", []int{1, 2}, []int{1, 2}, nil, []string{"x"}, "1 group keys for 2 clips"},
	}
	for _, c := range cases {
		config := BootstrapConfig{Groups: c.groups}
		var err error
		if c.b == nil {
			_, err = AccuracyInterval(c.truth, c.a, config)
		} else {
			_, err = AccuracyDifferenceInterval(c.truth, c.a, c.b, config)
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErrorContains) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.wantErrorContains)
		}
	}
}

// TestAccuracyGapInterval checks the gap between two sets' accuracies: its estimate by hand,
// its interval against the normal approximation of two independent means,
// gap ± 1.96·√(sdA²/nA + sdB²/nB), and the grouped resampling with a hand-built case where
// every group has one clip on each side, right on both or wrong on both: every resample
// then draws the same right share for both sides, so the gap is 0 on every resample — and
// not 0 when the same clips are resampled one by one.
func TestAccuracyGapInterval(t *testing.T) {
	const n = 400
	truth := make([]int, n)
	for i := range truth {
		truth[i] = i % 5
	}
	predict := func(right func(i int) bool) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = truth[i]
			if !right(i) {
				out[i] = (truth[i] + 2) % 5
			}
		}
		return out
	}
	half, quarterWrong := predict(func(i int) bool { return i%2 == 0 }), predict(func(i int) bool { return i%4 != 0 })
	config := BootstrapConfig{Seed: 3, Resamples: 2000}
	gap, err := AccuracyGapInterval(truth, quarterWrong, truth, half, config)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(gap.Estimate-0.25) > 1e-12 {
		t.Errorf("estimate %v, want 0.75 − 0.5 = 0.25", gap.Estimate)
	}
	halfWidth := 1.96 * math.Sqrt(0.75*0.25/n+0.25/n)
	for _, bound := range []struct {
		name      string
		got, want float64
	}{{"lower", gap.Lower, 0.25 - halfWidth}, {"upper", gap.Upper, 0.25 + halfWidth}} {
		if math.Abs(bound.got-bound.want) > 0.15*halfWidth {
			t.Errorf("%s bound %.4f, want %.4f ± %.4f (normal approximation)", bound.name, bound.got, bound.want, 0.15*halfWidth)
		}
	}

	// Groups shared by the two sides: group g holds clip g of A and clip g of B.
	groups := make([]string, 2*n)
	for i := range n {
		groups[i], groups[n+i] = strconv.Itoa(i), strconv.Itoa(i)
	}
	config.Groups = groups
	paired, err := AccuracyGapInterval(truth, half, truth, half, config)
	if err != nil {
		t.Fatal(err)
	}
	if paired.Estimate != 0 || paired.Lower != 0 || paired.Upper != 0 || paired.Skipped != 0 {
		t.Errorf("groups on both sides: %v (skipped %d), want 0 [0, 0]", paired, paired.Skipped)
	}
	config.Groups = nil
	unpaired, err := AccuracyGapInterval(truth, half, truth, half, config)
	if err != nil {
		t.Fatal(err)
	}
	if !(unpaired.Lower < -0.03 && unpaired.Upper > 0.03) {
		t.Errorf("the same clips one by one: %v, want an interval around 0 about ±0.07 wide", unpaired)
	}

	// One clip per side, resampled one by one: a resample of two draws holds both sides
	// half the time; the others have no gap and are skipped.
	tiny, err := AccuracyGapInterval([]int{0}, []int{0}, []int{1}, []int{0}, BootstrapConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tiny.Estimate != 1 || tiny.Lower != 1 || tiny.Upper != 1 || tiny.Skipped < 400 || tiny.Skipped > 600 {
		t.Errorf("one clip a side: %v with %d of 1000 skipped, want 1 [1, 1] with about 500", tiny, tiny.Skipped)
	}

	for _, bad := range []struct {
		name                         string
		truthA, predA, truthB, predB []int
		groups                       []string
		want                         string
	}{
		{"no clips in A", nil, nil, []int{1}, []int{1}, nil, "no clips"},
		{"predictions B short", []int{1}, []int{1}, []int{1, 2}, []int{1}, nil, "predictions B"},
		{"groups for A only", []int{1, 2}, []int{1, 2}, []int{1}, []int{1}, []string{"a", "b"}, "3 clips"},
	} {
		_, err := AccuracyGapInterval(bad.truthA, bad.predA, bad.truthB, bad.predB, BootstrapConfig{Groups: bad.groups})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want one saying %q", bad.name, err, bad.want)
		}
	}
}

// TestMustAccuracyIntervals: the Must forms return what the error forms return, and
// panic where those return an error.
func TestMustAccuracyIntervals(t *testing.T) {
	truth, a, b := []int{0, 1, 2, 0}, []int{0, 1, 1, 0}, []int{0, 2, 2, 1}
	config := BootstrapConfig{Seed: 2, Resamples: 50}
	want, _ := AccuracyInterval(truth, a, config)
	if got := MustAccuracyInterval(truth, a, config); got.String() != want.String() {
		t.Errorf("MustAccuracyInterval %v, want %v", got, want)
	}
	want, _ = AccuracyDifferenceInterval(truth, a, b, config)
	if got := MustAccuracyDifferenceInterval(truth, a, b, config); got.String() != want.String() {
		t.Errorf("MustAccuracyDifferenceInterval %v, want %v", got, want)
	}
	want, _ = AccuracyGapInterval(truth, a, truth[:2], b[:2], config)
	if got := MustAccuracyGapInterval(truth, a, truth[:2], b[:2], config); got.String() != want.String() {
		t.Errorf("MustAccuracyGapInterval %v, want %v", got, want)
	}
	for name, f := range map[string]func(){
		"MustAccuracyInterval":           func() { MustAccuracyInterval(truth, a[:1], config) },
		"MustAccuracyDifferenceInterval": func() { MustAccuracyDifferenceInterval(truth, a, b[:1], config) },
		"MustAccuracyGapInterval":        func() { MustAccuracyGapInterval(nil, nil, truth, a, config) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic on mismatched lengths", name)
				}
			}()
			f()
		}()
	}
}
