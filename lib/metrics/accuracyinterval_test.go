package metrics

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestAccuracyIntervals checks the bootstrap intervals on an accuracy and on a paired
// difference against the normal approximation, estimate ± 1.96·sd/√units, where sd is the
// standard deviation of the per-unit value (right or wrong, or A's minus B's): with 400
// clips and 2000 resamples the two agree to about a tenth of the half-width.
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
	mostClipsAndMore := func(i int) bool { return i%4 != 0 || i%20 == 0 }
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
		// both right on 300 clips; A on 20 more: only those 20 vary the difference
		{"paired, 20 clips apart", predict(mostClipsAndMore), predict(mostClips), nil, 0.05,
			math.Sqrt(0.05 * 0.95), n},
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
		tolerance := 0.12*half + 1e-12
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
