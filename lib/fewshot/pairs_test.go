package fewshot

import (
	"errors"
	"math"
	"testing"
)

// TestPairLine: the difference of two results, draw by draw, worked out by hand. The
// differences 0.02, 0 and 0.03 have mean 0.01667 and standard deviation 0.015275, so the
// interval is 0.01667 ± 4.303·0.015275/√3 = [−0.0213, +0.0546].
func TestPairLine(t *testing.T) {
	c := &Comparison{PerClass: 10, Seeds: []uint64{1, 2, 3}, Results: []Result{
		{Name: "MLP 256", Accuracies: []float64{0.80, 0.85, 0.90}},
		{Name: "MLP 1024", Accuracies: []float64{0.82, 0.85, 0.93}},
	}}
	if got, want := c.MustPairLine(1, 0), "MLP 1024 − MLP 256: +1.67 [-2.13, +5.46] points, paired by draw\n"; got != want {
		t.Errorf("PairLine = %q, want %q", got, want)
	}
	if _, err := c.PairLine(0, 2); !errors.Is(err, ErrInput) {
		t.Errorf("result 2 of 2: error %v, want ErrInput", err)
	}
}

// TestSizeGain: the same accuracies as two sizes of one feature set, paired by seed (the
// interval of TestPairLine); a repeated draw at either size leaves that seed out (two
// differences, 0.02 and 0: 0.01 ± 12.706·0.01414/√2 = [−0.117, +0.137]); different seeds
// or a missing set are errors.
func TestSizeGain(t *testing.T) {
	size := func(perClass int, accuracies ...float64) *Comparison {
		return &Comparison{PerClass: perClass, Seeds: []uint64{1, 2, 3}, Results: []Result{{Name: "handcrafted", Accuracies: accuracies}}}
	}
	twenty, thirty := size(20, 0.80, 0.85, 0.90), size(30, 0.82, 0.85, 0.93)
	if got, want := MustSizeGainLine(twenty, thirty, "handcrafted"), "handcrafted, 30 − 20 clips per class: +1.67 [-2.13, +5.46] points, paired by seed\n"; got != want {
		t.Errorf("SizeGainLine = %q, want %q", got, want)
	}
	thirty.Repeats = []int{2}
	iv, err := SizeGain(twenty, thirty, "handcrafted")
	if err != nil || math.Abs(iv.Estimate-0.01) > 1e-12 || math.Abs(iv.Lower+0.117) > 5e-4 || math.Abs(iv.Upper-0.137) > 5e-4 {
		t.Errorf("draw 3 repeated at 30: %+v (%v), want 0.01 [−0.117, +0.137]", iv, err)
	}
	if _, err := SizeGain(twenty, size(30, 0.9, 0.9, 0.9), "embedding"); !errors.Is(err, ErrInput) {
		t.Errorf("no such set: error %v, want ErrInput", err)
	}
	other := size(30, 0.9, 0.9, 0.9)
	other.Seeds = []uint64{4, 5, 6}
	if _, err := SizeGain(twenty, other, "handcrafted"); !errors.Is(err, ErrInput) {
		t.Errorf("different seeds: error %v, want ErrInput", err)
	}
}
