package evaluation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// recordings returns the groups of numRecordings recordings of clipsEach clips, the
// clips of one recording next to each other ("rec00", "rec00", …).
func recordings(numRecordings, clipsEach int) []string {
	var groups []string
	for r := 0; r < numRecordings; r++ {
		for c := 0; c < clipsEach; c++ {
			groups = append(groups, fmt.Sprintf("rec%02d", r))
		}
	}
	return groups
}

// interleaved returns the groups of numRecordings recordings of clipsEach clips, the
// clips of one recording spread out: clip i belongs to recording i mod numRecordings.
func interleaved(numRecordings, clipsEach int) []string {
	groups := make([]string, numRecordings*clipsEach)
	for i := range groups {
		groups[i] = fmt.Sprintf("rec%02d", i%numRecordings)
	}
	return groups
}

// TestGroupedSplit checks that no recording lands on both sides, that every row is
// used exactly once, that both index lists are sorted, that test gets the requested
// share (to within one recording), that the split depends on the seed and only on
// it, and that a bad fraction is an error.
//
// points: 3
func TestGroupedSplit(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		groups                   []string
		numRecordings, clipsEach int
		testFraction             float64
	}{
		{"25 recordings of 4 clips, 20% test", recordings(25, 4), 25, 4, 0.2},
		{"10 recordings of 3 clips, 30% test", recordings(10, 3), 10, 3, 0.3},
		{"40 recordings of 1 clip, 50% test", recordings(40, 1), 40, 1, 0.5},
		{"12 recordings of 5 clips, interleaved, 25% test", interleaved(12, 5), 12, 5, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groups := tc.groups
			train, test, err := GroupedSplit(groups, tc.testFraction, 7)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSorted(train) || !slices.IsSorted(test) {
				t.Errorf("train %v and test %v: want both sorted", train, test)
			}
			seen := make([]int, len(groups))
			side := map[string]string{}
			for part, rows := range map[string][]int{"train": train, "test": test} {
				for _, i := range rows {
					if i < 0 || i >= len(groups) {
						t.Fatalf("%s holds row %d, outside 0…%d", part, i, len(groups)-1)
					}
					seen[i]++
					if other, ok := side[groups[i]]; ok && other != part {
						t.Fatalf("recording %s has clips in both train and test: the split "+
							"leaks", groups[i])
					}
					side[groups[i]] = part
				}
			}
			for i, n := range seen {
				if n != 1 {
					t.Fatalf("row %d appears %d times, want exactly once", i, n)
				}
			}
			want := tc.testFraction * float64(len(groups))
			if got := float64(len(test)); got < want || got >= want+float64(tc.clipsEach) {
				t.Errorf("test holds %v rows, want at least %v and less than one recording "+
					"(%d clips) more", got, want, tc.clipsEach)
			}
			again, _, _ := GroupedSplit(groups, tc.testFraction, 7)
			if fmt.Sprint(again) != fmt.Sprint(train) {
				t.Errorf("the same seed gave another split")
			}
			differ := false
			for seed := uint64(8); seed < 13; seed++ {
				other, _, _ := GroupedSplit(groups, tc.testFraction, seed)
				differ = differ || fmt.Sprint(other) != fmt.Sprint(train)
			}
			if !differ {
				t.Errorf("seeds 7 to 12 all gave the same split: the order of the groups " +
					"should depend on the seed")
			}
		})
	}
	for _, bad := range []float64{0, 1, -0.2, 1.5, math.NaN()} {
		if _, _, err := GroupedSplit(recordings(5, 2), bad, 1); err == nil {
			t.Errorf("test fraction %v: want an error", bad)
		}
	}
}

// TestF1AtThreshold checks F1 against counts done by hand.
//
// points: 2
func TestF1AtThreshold(t *testing.T) {
	scores := []float64{0.9, 0.8, 0.7, 0.6, 0.4, 0.3}
	labels := []int{1, 1, 0, 1, 0, 0}
	for _, tc := range []struct {
		threshold, want float64
	}{
		{0.95, 0},       // nothing called positive: TP 0, FP 0, FN 3
		{0.9, 2.0 / 4},  // TP 1, FP 0, FN 2
		{0.8, 4.0 / 5},  // TP 2, FP 0, FN 1
		{0.7, 4.0 / 6},  // TP 2, FP 1, FN 1
		{0.6, 6.0 / 7},  // TP 3, FP 1, FN 0 (a score equal to the threshold is positive)
		{0.35, 6.0 / 8}, // TP 3, FP 2
		{0.0, 6.0 / 9},  // everything positive: TP 3, FP 3
	} {
		if got := F1AtThreshold(scores, labels, tc.threshold); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("F1 at %v = %v, want %v", tc.threshold, got, tc.want)
		}
	}
	if got := F1AtThreshold([]float64{0.2, 0.4}, []int{0, 0}, 0.5); got != 0 {
		t.Errorf("no positives and nothing called positive: F1 = %v, want 0", got)
	}
}

// TestChooseThreshold checks the best-F1 threshold on hand-made validation scores,
// the tie rule, and that a threshold chosen on validation clips scores lower on test
// clips than the threshold chosen on the test clips themselves (the optimistic mistake).
//
// points: 3
func TestChooseThreshold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		labels []int
		want   float64
	}{
		// F1 by threshold: 0.9→0.5, 0.8→0.8, 0.7→0.667, 0.6→0.857, 0.4→0.75, 0.3→0.667.
		{"best in the middle", []float64{0.9, 0.8, 0.7, 0.6, 0.4, 0.3},
			[]int{1, 1, 0, 1, 0, 0}, 0.6},
		// Order does not matter.
		{"shuffled", []float64{0.4, 0.9, 0.3, 0.6, 0.8, 0.7}, []int{0, 1, 0, 1, 1, 0}, 0.6},
		// Perfect separation: every threshold in (0.3, 0.7] has F1 1; the highest is 0.8.
		{"separable", []float64{0.1, 0.3, 0.7, 0.8}, []int{0, 0, 1, 1}, 0.7},
		// Ties on F1: 0.5 gives TP 1 FN 1 → 2/3; 0.2 gives TP 2 FP 2 → 4/6 = 2/3: the higher
		// wins.
		{"tie goes to the higher", []float64{0.5, 0.4, 0.3, 0.2}, []int{1, 0, 0, 1}, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ChooseThreshold(tc.scores, tc.labels); got != tc.want {
				t.Errorf("ChooseThreshold = %v, want %v", got, tc.want)
			}
		})
	}
	validationScores := []float64{0.9, 0.8, 0.7, 0.6, 0.4, 0.3}
	validationLabels := []int{1, 1, 0, 1, 0, 0}
	testScores := []float64{0.95, 0.65, 0.55, 0.5, 0.45, 0.2}
	testLabels := []int{1, 0, 1, 1, 0, 0}
	honest := F1AtThreshold(testScores, testLabels,
		ChooseThreshold(validationScores, validationLabels))
	optimistic := F1AtThreshold(testScores, testLabels,
		ChooseThreshold(testScores, testLabels))
	// At 0.6 on test: TP 1, FP 1, FN 2 → 0.4. Chosen on test: 0.5 gives TP 3, FP 1 → 6/7.
	if math.Abs(honest-0.4) > 1e-12 || math.Abs(optimistic-6.0/7) > 1e-12 {
		t.Errorf("test F1 with the validation threshold %v (want 0.4), with the test "+
			"threshold %v (want 6/7)", honest, optimistic)
	}
}

// TestBootstrapAccuracy checks the interval of 80 right out of 100 against the
// normal approximation 0.8 ± 1.96·√(0.8·0.2/100) ≈ [0.722, 0.878] (a bootstrap
// comes close to it), then what only resampling gives: other seeds give other
// intervals, the same seed the same one, and the interval stays inside what the
// clips allow — [1, 1] when every clip is right, [0, 1] for one right clip out of
// two, an upper end of at most 1 for 99 out of 100 (where the normal approximation
// reaches past 1).
//
// points: 2
func TestBootstrapAccuracy(t *testing.T) {
	correct := make([]bool, 100)
	for i := range correct {
		correct[i] = i%5 != 0 // 80 right
	}
	lower, upper := BootstrapAccuracy(correct, 2000, 0.95, 1)
	if math.Abs(lower-0.722) > 0.025 || math.Abs(upper-0.878) > 0.025 {
		t.Errorf("95%% interval of 80/100 = [%.3f, %.3f], want about [0.722, 0.878]", lower,
			upper)
	}
	l2, u2 := BootstrapAccuracy(correct, 2000, 0.95, 1)
	if l2 != lower || u2 != upper {
		t.Errorf("the same seed gave [%v, %v] then [%v, %v]", lower, upper, l2, u2)
	}
	intervals := map[[2]float64]bool{}
	for seed := uint64(1); seed <= 5; seed++ {
		l, u := BootstrapAccuracy(correct, 2000, 0.95, seed)
		intervals[[2]float64{l, u}] = true
	}
	if len(intervals) < 2 {
		t.Errorf("seeds 1 to 5 all gave the interval [%.4f, %.4f]: a bootstrap's interval "+
			"moves a little with its draws (is the seed used? are clips "+
			"resampled?)", lower, upper)
	}
	l50, u50 := BootstrapAccuracy(correct, 2000, 0.5, 1)
	if !(l50 > lower && u50 < upper) || math.Abs(l50-0.773) > 0.02 ||
		math.Abs(u50-0.827) > 0.02 {
		t.Errorf("50%% interval [%.3f, %.3f]: want about [0.773, 0.827], inside the 95%% one",
			l50, u50)
	}
	allRight := []bool{true, true, true, true, true, true, true, true}
	if l, u := BootstrapAccuracy(allRight, 500, 0.95, 3); l != 1 || u != 1 {
		t.Errorf("every clip right: interval [%v, %v], want [1, 1]", l, u)
	}
	// Two clips, one right: a replicate's accuracy is 0, 0.5 or 1, each extreme with
	// probability 1/4, so the 95% interval is [0, 1] (the normal approximation,
	// 0.5 ± 0.69, reaches past both ends).
	if l, u := BootstrapAccuracy([]bool{true, false}, 2000, 0.95, 4); l != 0 || u != 1 {
		t.Errorf("one right clip of two: interval [%v, %v], want [0, 1]", l, u)
	}
	nearlyAll := make([]bool, 100)
	for i := range nearlyAll {
		nearlyAll[i] = i != 0 // 99 right
	}
	if l, u := BootstrapAccuracy(nearlyAll, 2000, 0.95, 5); u > 1 || l < 0.95 || l >= 0.99 {
		t.Errorf("99 right of 100: interval [%.4f, %.4f], want one inside [0.95, 1] below "+
			"0.99 (a replicate's accuracy is never above 1)", l, u)
	}
}

// TestGroupedBootstrapAccuracy checks that resampling recordings widens the interval
// when the clips of a recording share their outcome: 20 recordings of 10 clips, 16
// recordings all right and 4 all wrong, is in truth 20 observations, not 200. When
// every recording has the same accuracy, every replicate has it too, so the interval
// shrinks to that point; a replicate pools the clips of its draws; and other seeds
// give other intervals.
//
// points: 2
func TestGroupedBootstrapAccuracy(t *testing.T) {
	groups := recordings(20, 10)
	correct := make([]bool, len(groups))
	for i := range correct {
		correct[i] = i/10 >= 4
	}
	gl, gu := GroupedBootstrapAccuracy(correct, groups, 2000, 0.95, 1)
	cl, cu := BootstrapAccuracy(correct, 2000, 0.95, 1)
	// Normal approximations: 0.8 ± 1.96·√(0.16/20) ≈ ±0.175 by recording, ±0.055 by clip.
	if math.Abs((gu-gl)-0.35) > 0.08 {
		t.Errorf("grouped interval [%.3f, %.3f] is %.3f wide, want about 0.35", gl, gu, gu-gl)
	}
	if math.Abs((cu-cl)-0.11) > 0.03 {
		t.Errorf("clip interval [%.3f, %.3f] is %.3f wide, want about 0.11", cl, cu, cu-cl)
	}
	// 30 recordings of 3 to 7 clips, with 0 to all of them right: replicates take many
	// values, and their quantiles move with the draws.
	var mixedGroups []string
	var mixed []bool
	for r := range 30 {
		size := 3 + r%5
		for c := range size {
			mixedGroups = append(mixedGroups, fmt.Sprintf("rec%02d", r))
			mixed = append(mixed, c < (r*7)%(size+1))
		}
	}
	intervals := map[[2]float64]bool{}
	var l, u float64
	for seed := uint64(1); seed <= 5; seed++ {
		l, u = GroupedBootstrapAccuracy(mixed, mixedGroups, 2000, 0.95, seed)
		intervals[[2]float64{l, u}] = true
	}
	if len(intervals) < 2 {
		t.Errorf("30 recordings of 3 to 7 clips: seeds 1 to 5 all gave the interval [%.4f, "+
			"%.4f]: is the seed used? are recordings resampled?", l, u)
	}
	// The same 200 outcomes, but every recording has 8 right clips of 10: a replicate
	// of 20 recordings holds 160 right clips of 200 whatever it draws.
	even := make([]bool, len(groups))
	for i := range even {
		even[i] = i%10 < 8
	}
	l, u = GroupedBootstrapAccuracy(even, groups, 1000, 0.95, 2)
	if math.Abs(l-0.8) > 1e-12 || math.Abs(u-0.8) > 1e-12 {
		t.Errorf("every recording 8 right of 10: interval [%v, %v], want [0.8, 0.8] "+
			"(resample recordings, not clips)", l, u)
	}
	// Recording "short" has 1 clip, wrong; "long" 9 clips, right. Two draws give 0/2
	// (probability 1/4), 9/10 (1/2) or 18/18 (1/4): the 20% interval, between the
	// 0.4 and 0.6 quantiles, is [0.9, 0.9]. Averaging the recordings' accuracies
	// instead of pooling their clips would give 0.5.
	unequal := []string{"short", "long", "long", "long", "long", "long", "long", "long",
		"long", "long"}
	pooled := []bool{false, true, true, true, true, true, true, true, true, true}
	l, u = GroupedBootstrapAccuracy(pooled, unequal, 2000, 0.2, 6)
	if math.Abs(l-0.9) > 1e-12 || math.Abs(u-0.9) > 1e-12 {
		t.Errorf("a wrong clip in one recording, 9 right in another: 20%% interval [%v, "+
			"%v], want [0.9, 0.9] (right clips over clips drawn)", l, u)
	}
	// One clip per recording: grouping changes nothing but the names.
	single := recordings(100, 1)
	right := make([]bool, 100)
	for i := range right {
		right[i] = i%4 != 0
	}
	l, u = GroupedBootstrapAccuracy(right, single, 2000, 0.95, 5)
	if math.Abs(l-0.665) > 0.03 || math.Abs(u-0.835) > 0.03 {
		t.Errorf("75/100 in 100 recordings of one clip: [%.3f, %.3f], want about [0.665, "+
			"0.835]", l, u)
	}
}

// referenceBootstrap is the check's own percentile bootstrap, from the generator the
// doc comments name: it counts how often each group is drawn, then pools.
func referenceBootstrap(correct []bool, groups []string, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	index := map[string]int{}
	var right, size []int
	for i, g := range groups {
		k, ok := index[g]
		if !ok {
			k = len(size)
			index[g] = k
			right, size = append(right, 0), append(size, 0)
		}
		size[k]++
		if correct[i] {
			right[k]++
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	replicates := make([]float64, resamples)
	for r := range replicates {
		draws := make([]int, len(size))
		for range size {
			draws[rng.IntN(len(size))]++
		}
		rightClips, clips := 0, 0
		for k, n := range draws {
			rightClips += n * right[k]
			clips += n * size[k]
		}
		replicates[r] = float64(rightClips) / float64(clips)
	}
	sort.Float64s(replicates)
	quantile := func(q float64) float64 {
		position := q * float64(resamples-1)
		below := int(math.Floor(position))
		above := min(below+1, resamples-1)
		return replicates[below] +
			(position-float64(below))*(replicates[above]-replicates[below])
	}
	return quantile((1 - level) / 2), quantile((1 + level) / 2)
}

// TestBootstrapDraws checks both intervals, to 1e-12, against a bootstrap computed
// here from the same draws the doc comments describe: a clip drawn one too few or
// too many times, another quantile rule, or recordings averaged instead of pooled
// all show.
//
// points: 2
func TestBootstrapDraws(t *testing.T) {
	clipCases := []struct {
		correct   []bool
		resamples int
		level     float64
		seed      uint64
	}{
		{[]bool{true, false, true, true, false, true, true}, 500, 0.9, 11},
		{[]bool{true, true, false, true, true, true, false, true, true, true, true, false},
			301, 0.95, 12},
		{[]bool{false, true, true}, 40, 0.5, 13},
	}
	for _, tc := range clipCases {
		groups := make([]string, len(tc.correct))
		for i := range groups {
			groups[i] = fmt.Sprint(i)
		}
		wantL, wantU := referenceBootstrap(tc.correct, groups, tc.resamples, tc.level, tc.seed)
		l, u := BootstrapAccuracy(tc.correct, tc.resamples, tc.level, tc.seed)
		if math.Abs(l-wantL) > 1e-12 || math.Abs(u-wantU) > 1e-12 {
			t.Errorf("BootstrapAccuracy(%v, %d, %v, seed %d) = [%v, %v], want [%v, %v]",
				tc.correct, tc.resamples, tc.level, tc.seed, l, u, wantL, wantU)
		}
	}
	// Recordings of 1 to 4 clips, not next to each other, first seen in the order b, a, c, d.
	groups := []string{"b", "a", "b", "c", "a", "d", "d", "d", "b", "d"}
	correct := []bool{true, false, true, true, true, false, false, true, false, true}
	for _, tc := range []struct {
		resamples int
		level     float64
		seed      uint64
	}{{500, 0.9, 21}, {257, 0.8, 22}} {
		wantL, wantU := referenceBootstrap(correct, groups, tc.resamples, tc.level, tc.seed)
		l, u := GroupedBootstrapAccuracy(correct, groups, tc.resamples, tc.level, tc.seed)
		if math.Abs(l-wantL) > 1e-12 || math.Abs(u-wantU) > 1e-12 {
			t.Errorf("GroupedBootstrapAccuracy(%d resamples, level %v, seed %d) = [%v, %v], "+
				"want [%v, %v]", tc.resamples, tc.level, tc.seed, l, u, wantL, wantU)
		}
	}
}
