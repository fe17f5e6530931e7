package active_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

func TestSimulatedOracleRates(t *testing.T) {
	const n = 20000
	labels := make([]int, n)
	items := make([]active.Item, n)
	for i := range labels {
		labels[i] = i % 4
		items[i].Index = i
	}
	tests := []struct {
		name          string
		yesNo         bool
		wrong, unsure float64
	}{
		{"classes exact", false, 0, 0},
		{"classes noisy", false, 0.2, 0.1},
		{"yes/no noisy", true, 0.15, 0.05},
	}
	for _, tc := range tests {
		noise := active.Noise{WrongRate: tc.wrong, UnsureRate: tc.unsure, Seed: 3}
		var oracle *active.SimulatedOracle
		var err error
		if tc.yesNo {
			oracle, err = active.NewYesNoOracle(labels, 2, noise)
		} else {
			oracle, err = active.NewSimulatedOracle(labels, 4, noise)
		}
		if err != nil {
			t.Fatal(err)
		}
		answers, err := oracle.Label(context.Background(), items)
		if err != nil {
			t.Fatal(err)
		}
		wrong, unsure := 0, 0
		for i, a := range answers {
			truth := active.Answer(labels[i])
			if tc.yesNo {
				truth = active.No
				if labels[i] == 2 {
					truth = active.Yes
				}
			}
			switch {
			case a == active.Unsure:
				unsure++
			case a != truth:
				wrong++
				if a < 0 || (tc.yesNo && a > 1) || a > 3 {
					t.Fatalf("%s: answer %d out of range", tc.name, a)
				}
			}
		}
		// Binomial standard deviation at n = 20000 is below 0.003; allow 0.01.
		if w, u := float64(wrong)/n, float64(unsure)/n; math.Abs(w-tc.wrong) > 0.01 || math.Abs(u-tc.unsure) > 0.01 {
			t.Errorf("%s: wrong rate %.4f, unsure rate %.4f; want %.2f, %.2f", tc.name, w, u, tc.wrong, tc.unsure)
		}
		// The same clip gets the same answer, asked alone and in reverse order.
		reversed := slices.Clone(items[:50])
		slices.Reverse(reversed)
		again, _ := oracle.Label(context.Background(), reversed)
		for k, it := range reversed {
			if again[k] != answers[it.Index] {
				t.Errorf("%s: clip %d answered %d, then %d", tc.name, it.Index, answers[it.Index], again[k])
			}
		}
		if oracle.Asked() != n+50 {
			t.Errorf("%s: Asked() = %d, want %d", tc.name, oracle.Asked(), n+50)
		}
	}
	// Wrong class answers spread over the other classes.
	oracle, _ := active.NewSimulatedOracle(labels, 4, active.Noise{WrongRate: 1, Seed: 1})
	answers, _ := oracle.Label(context.Background(), items)
	counts := map[active.Answer]int{}
	for i, a := range answers {
		if labels[i] == 0 {
			counts[a]++
		}
	}
	for c := active.Answer(1); c <= 3; c++ {
		if frac := float64(counts[c]) / (n / 4); math.Abs(frac-1.0/3) > 0.03 {
			t.Errorf("class 0 always answered wrong: class %d got %.3f of the answers, want 1/3", c, frac)
		}
	}
	if counts[0] != 0 {
		t.Errorf("WrongRate 1 still answered the true class %d times", counts[0])
	}
}

func TestSimulatedOracleErrors(t *testing.T) {
	tests := []struct {
		name string
		make func() error
		want string
	}{
		{"one class", func() error { _, err := active.NewSimulatedOracle([]int{0}, 1, active.Noise{}); return err }, "numClasses is 1"},
		{"label outside", func() error { _, err := active.NewSimulatedOracle([]int{0, 2}, 2, active.Noise{}); return err }, "label 2 of clip 1"},
		{"negative label", func() error { _, err := active.NewYesNoOracle([]int{-1}, 0, active.Noise{}); return err }, "label -1 of clip 0"},
		{"no labels", func() error { _, err := active.NewYesNoOracle(nil, 0, active.Noise{}); return err }, "no labels"},
		{"rates", func() error {
			_, err := active.NewSimulatedOracle([]int{0, 1}, 2, active.Noise{WrongRate: 0.7, UnsureRate: 0.4})
			return err
		}, "sum to at most 1"},
		{"NaN rate", func() error {
			_, err := active.NewSimulatedOracle([]int{0, 1}, 2, active.Noise{WrongRate: math.NaN()})
			return err
		}, "wrong NaN"},
		{"unknown clip", func() error {
			o, _ := active.NewSimulatedOracle([]int{0, 1}, 2, active.Noise{})
			_, err := o.Label(context.Background(), []active.Item{{Index: 2}})
			return err
		}, "clip 2; it knows 2 clips"},
	}
	for _, tc := range tests {
		if err := tc.make(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestMustOracles: the Must twins return a working oracle on good input and panic with the
// constructor's error on bad input.
func TestMustOracles(t *testing.T) {
	answers, err := active.MustNewSimulatedOracle([]int{1, 0}, 2, active.Noise{}).Label(context.Background(),
		[]active.Item{{Index: 0}})
	if err != nil || len(answers) != 1 || answers[0] != 1 {
		t.Errorf("simulated oracle answered %+v, %v; want class 1", answers, err)
	}
	for _, tc := range []struct {
		name string
		make func()
		want string
	}{
		{"one class", func() { active.MustNewSimulatedOracle([]int{0}, 1, active.Noise{}) }, "numClasses is 1"},
		{"no labels", func() { active.MustNewYesNoOracle(nil, 0, active.Noise{}) }, "no labels"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("%s: panic %v, want one containing %q", tc.name, r, tc.want)
				}
			}()
			tc.make()
		}()
	}
	if o := active.MustNewYesNoOracle([]int{3, 4}, 4, active.Noise{}); o == nil {
		t.Error("MustNewYesNoOracle returned nil")
	}
}

func TestPickPerClass(t *testing.T) {
	labels := []int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0}
	picked, err := active.PickPerClass(labels, 3, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(picked) != 6 {
		t.Fatalf("picked %v, want 6 clips", picked)
	}
	for k, i := range picked {
		if labels[i] != k/2 {
			t.Errorf("pick %d is clip %d of class %d, want class %d", k, i, labels[i], k/2)
		}
	}
	if !slices.Equal(picked, must(active.PickPerClass(labels, 3, 2, 1))) {
		t.Error("PickPerClass differs for the same seed")
	}
	if _, err := active.PickPerClass(labels, 4, 1, 1); err == nil || !strings.Contains(err.Error(), "class 3 has 0 clips") {
		t.Errorf("missing class: error %v", err)
	}
	if _, err := active.PickPerClass(labels, 3, 0, 1); err == nil || !strings.Contains(err.Error(), "perClass is 0") {
		t.Errorf("perClass 0: error %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
