package active

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Metric names a per-round number to plot or compare.
type Metric int

const (
	// Accuracy is Round.Accuracy.
	Accuracy Metric = iota
	// Recall is Round.Recall, of the class Options.Target.
	Recall
	// Found is Round.Found, the number of clips of the target class found so far.
	Found
)

// String names the metric for axis labels.
func (m Metric) String() string {
	switch m {
	case Accuracy:
		return "accuracy"
	case Recall:
		return "recall"
	case Found:
		return "clips found"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Value returns the metric m of round r.
func (r Round) Value(m Metric) float64 {
	switch m {
	case Accuracy:
		return r.Accuracy
	case Recall:
		return r.Recall
	case Found:
		return float64(r.Found)
	}
	return math.NaN()
}

// LabelsToReach returns the labels spent by the first round whose metric m is at least
// level, and false when no round reaches it.
func (h *History) LabelsToReach(m Metric, level float64) (int, bool) {
	for _, r := range h.Rounds {
		if r.Value(m) >= level {
			return r.LabelsSpent, true
		}
	}
	return 0, false
}

// MeanCurve averages metric m of the runs round by round, over the rounds every run has
// (runs stop early when their pool is used up), as a learning curve against the mean
// labels spent. Rounds whose metric is NaN in some run (no classifier yet) are left out.
func MeanCurve(name string, runs []*History, m Metric) (metrics.LearningCurve, error) {
	if len(runs) == 0 {
		return metrics.LearningCurve{}, errors.New("active: MeanCurve: no runs")
	}
	rounds := len(runs[0].Rounds)
	for _, h := range runs {
		rounds = min(rounds, len(h.Rounds))
	}
	c := metrics.LearningCurve{Name: name, Metric: m.String(), Runs: len(runs)}
	values := make([]float64, len(runs))
rounds:
	for k := range rounds {
		sumX := 0.0
		for i, h := range runs {
			v := h.Rounds[k].Value(m)
			if math.IsNaN(v) {
				continue rounds
			}
			sumX += float64(h.Rounds[k].LabelsSpent)
			values[i] = v
		}
		c.Add(sumX/float64(len(runs)), values)
	}
	return c, nil
}

// Compare runs every strategy once per seed (o.Strategy and o.Seed are replaced) on the
// same pool and oracle, and returns one curve of metric m per strategy, in the order
// given, each averaged over the seeds. Runs with the same seed start from the same
// initial clips, so curves differ only by how they choose.
func Compare(ctx context.Context, pool Pool, oracle Oracle, o Options, strategies []Strategy, seeds []uint64, m Metric) ([]metrics.LearningCurve, error) {
	if len(strategies) == 0 || len(seeds) == 0 {
		return nil, fmt.Errorf("active: Compare needs strategies and seeds; got %d and %d", len(strategies), len(seeds))
	}
	curves := make([]metrics.LearningCurve, 0, len(strategies))
	for _, s := range strategies {
		runs := make([]*History, 0, len(seeds))
		for _, seed := range seeds {
			o.Strategy, o.Seed = s, seed
			h, err := Run(ctx, pool, oracle, o)
			if err != nil {
				return nil, fmt.Errorf("active: Compare: %v, seed %d: %w", s, seed, err)
			}
			runs = append(runs, h)
		}
		c, err := MeanCurve(s.String(), runs, m)
		if err != nil {
			return nil, err
		}
		curves = append(curves, c)
	}
	return curves, nil
}

// MustCompare is Compare for notebook cells: it panics on error.
func MustCompare(ctx context.Context, pool Pool, oracle Oracle, o Options, strategies []Strategy, seeds []uint64, m Metric) []metrics.LearningCurve {
	curves, err := Compare(ctx, pool, oracle, o, strategies, seeds, m)
	if err != nil {
		panic(err)
	}
	return curves
}
