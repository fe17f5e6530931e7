package classify

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"testing"
)

// TestEarlyStopRule runs scikit-learn's stopping rule (earlyStop) on
// hand-made sequences of hold-out accuracies (monitored as −accuracy) and
// training losses; the stopping and best evaluations (1-based) were worked
// out by hand from MLPClassifier._update_no_improvement_count and
// _fit_stochastic (scikit-learn 1.2): the count grows when a figure is not
// better than the best by tol, restarts otherwise, and training stops when
// it exceeds n_iter_no_change.
func TestEarlyStopRule(t *testing.T) {
	for _, tc := range []struct {
		name     string
		figures  []float64 // Lower is better.
		tol      float64
		patience int
		stopAt   int // 0: never stops.
		bestAt   int // Last evaluation reported as improved.
	}{
		{
			// Accuracies 0.5 0.6 0.6 0.605 0.61: the count is 0 0 1 2 3;
			// 0.605 and 0.61 are new bests by less than tol, so their
			// weights are kept but the count still grows, and 3 > 2 stops.
			name: "better_by_less_than_tol", figures: neg(0.5, 0.6, 0.6, 0.605, 0.61, 0.7),
			tol: 0.01, patience: 2, stopAt: 5, bestAt: 5,
		},
		{
			// Counts 0 1 2 0 (0.7 ≥ 0.6 + tol) 1 2 3: stops at the 7th.
			name: "restart_after_improvement", figures: neg(0.6, 0.6, 0.55, 0.7, 0.7, 0.69, 0.7, 0.9),
			tol: 1e-4, patience: 2, stopAt: 7, bestAt: 4,
		},
		{
			// Patience 10 (the default): the 12th evaluation is the 11th in a
			// row without improvement, so training stops there, as
			// scikit-learn's n_iter_ = best epoch + 11.
			name: "default_patience", figures: neg(append([]float64{0.8}, repeat(0.79, 12)...)...),
			tol: 1e-4, patience: 10, stopAt: 12, bestAt: 1,
		},
		{
			// Exactly tol better is an improvement (scikit-learn's strict <).
			name: "exactly_tol", figures: []float64{1, 0.5, 0.25, 0.25, 0.25},
			tol: 0.25, patience: 1, stopAt: 5, bestAt: 3,
		},
		{
			// Training losses falling by less than tol: counts 0 1 2 3.
			name: "loss_plateau", figures: []float64{2, 1.99995, 1.9999, 1.99985, 1},
			tol: 1e-4, patience: 2, stopAt: 4, bestAt: 4,
		},
		{
			name: "never_stops", figures: []float64{1, 1, 1, 1, 1},
			tol: 1e-4, patience: -1, stopAt: 0, bestAt: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := earlyStop{best: math.Inf(1), tol: tc.tol, patience: tc.patience}
			stopAt, bestAt := 0, 0
			for i, v := range tc.figures {
				improved, stop := e.observe(v)
				if improved {
					bestAt = i + 1
				}
				if stop {
					stopAt = i + 1
					break
				}
			}
			if stopAt != tc.stopAt || bestAt != tc.bestAt {
				t.Errorf("stopped at %d with best %d, want %d and %d", stopAt, bestAt, tc.stopAt, tc.bestAt)
			}
		})
	}
}

// TestMLPStopsOnTheRule fits MLPs with a hold-out and without, and replays
// their history's monitored figures (−ValAccuracy, or TrainLoss) through
// earlyStop: each fit must have stopped at exactly the evaluation the rule
// names, or run all its steps when the rule never fires.
func TestMLPStopsOnTheRule(t *testing.T) {
	x, y := gaussianBlobs(240, 8, 4, 11)
	for _, tc := range []struct {
		frac     float64
		patience int
	}{{0.2, 2}, {0.2, 4}, {0, 2}} {
		t.Run(fmt.Sprintf("frac%g_patience%d", tc.frac, tc.patience), func(t *testing.T) {
			o := MLPOptions{Hidden: []int{16}, BatchSize: 32, LearningRate: 0.01, ValidationFraction: tc.frac,
				Patience: tc.patience, Tol: 1e-3, Steps: 600, Seed: 5}
			m := NewMLP(o)
			if err := m.Fit(x, dataset.SingleLabel(y, 4)); err != nil {
				t.Fatal(err)
			}
			h := m.History()
			e := earlyStop{best: math.Inf(1), tol: o.Tol, patience: o.Patience}
			stopAt := 0
			for i, r := range h {
				v := r.TrainLoss
				if tc.frac > 0 {
					v = -r.ValAccuracy
				}
				if _, stop := e.observe(v); stop {
					stopAt = i + 1
					break
				}
			}
			if stopAt == 0 {
				if m.Steps() != o.Steps {
					t.Fatalf("the rule never fires in %d evaluations, but the fit stopped at step %d of %d", len(h), m.Steps(), o.Steps)
				}
				t.Logf("ran all %d steps", o.Steps)
				return
			}
			if stopAt != len(h) {
				t.Fatalf("the rule stops at evaluation %d, the fit made %d", stopAt, len(h))
			}
		})
	}
}

func neg(v ...float64) []float64 {
	out := make([]float64, len(v))
	for i, a := range v {
		out[i] = -a
	}
	return out
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
