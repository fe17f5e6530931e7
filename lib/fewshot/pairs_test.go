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

// TestGap: training minus test accuracy, draw by draw, worked out by hand. The gaps 0.20,
// 0.14 and 0.10 have mean 0.14667 and standard deviation 0.050332, so the interval is
// 0.14667 ± 4.303·0.050332/√3 = [+0.0216, +0.2717]; with draw 3 a repeat, the gaps 0.20
// and 0.14 give 0.17 ± 12.706·0.042426/√2 = [−0.211, +0.551]. Training and test
// accuracies of different lengths, or a result out of range, are errors.
func TestGap(t *testing.T) {
	c := &Comparison{PerClass: 10, Seeds: []uint64{1, 2, 3}, Results: []Result{
		{Name: "MLP 64", Accuracies: []float64{0.80, 0.85, 0.90}, TrainAccuracies: []float64{1.0, 0.99, 1.0}},
		{Name: "MLP 4", Accuracies: []float64{0.20, 0.25, 0.30}, TrainAccuracies: []float64{0.30, 0.30}},
	}}
	if got, want := c.MustGapLine(0), "MLP 64: training − test accuracy +14.67 [+2.16, +27.17] points, paired by draw\n"; got != want {
		t.Errorf("GapLine = %q, want %q", got, want)
	}
	c.Repeats = []int{2}
	iv, err := c.Gap(0)
	if err != nil || math.Abs(iv.Estimate-0.17) > 1e-12 || math.Abs(iv.Lower+0.2112) > 5e-4 || math.Abs(iv.Upper-0.5512) > 5e-4 {
		t.Errorf("draw 3 repeated: %+v (%v), want 0.17 [−0.211, +0.551]", iv, err)
	}
	for _, k := range []int{1, 2, -1} {
		if _, err := c.Gap(k); !errors.Is(err, ErrInput) {
			t.Errorf("Gap(%d): error %v, want ErrInput", k, err)
		}
	}
}
