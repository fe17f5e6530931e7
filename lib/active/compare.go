package active

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// Curve is a metric against labels spent, averaged over runs: what a lesson plots to
// compare strategies.
type Curve struct {
	// Name labels the curve ("margin", "random").
	Name   string
	Metric Metric
	// LabelsSpent[k] is the mean labels spent after round k, Mean[k] the mean metric,
	// and Min[k], Max[k] its range over the runs. Runs is the number of runs averaged.
	LabelsSpent    []float64
	Mean, Min, Max []float64
	Runs           int
}

// MeanCurve averages metric m of the runs round by round, over the rounds every run has
// (runs stop early when their pool is used up). Rounds whose metric is NaN in some run
// (no classifier yet) are left out.
func MeanCurve(name string, runs []*History, m Metric) (Curve, error) {
	if len(runs) == 0 {
		return Curve{}, errors.New("active: MeanCurve: no runs")
	}
	rounds := len(runs[0].Rounds)
	for _, h := range runs {
		rounds = min(rounds, len(h.Rounds))
	}
	c := Curve{Name: name, Metric: m, Runs: len(runs)}
rounds:
	for k := range rounds {
		sumX, sumY := 0.0, 0.0
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, h := range runs {
			v := h.Rounds[k].Value(m)
			if math.IsNaN(v) {
				continue rounds
			}
			sumX += float64(h.Rounds[k].LabelsSpent)
			sumY += v
			lo, hi = min(lo, v), max(hi, v)
		}
		c.LabelsSpent = append(c.LabelsSpent, sumX/float64(len(runs)))
		c.Mean = append(c.Mean, sumY/float64(len(runs)))
		c.Min = append(c.Min, lo)
		c.Max = append(c.Max, hi)
	}
	return c, nil
}

// LabelsToReach returns the mean labels spent at the first point where the curve's mean
// is at least level, and false when it never is.
func (c Curve) LabelsToReach(level float64) (float64, bool) {
	for k, v := range c.Mean {
		if v >= level {
			return c.LabelsSpent[k], true
		}
	}
	return 0, false
}

// Compare runs every strategy once per seed (o.Strategy and o.Seed are replaced) on the
// same pool and oracle, and returns one curve of metric m per strategy, in the order
// given, each averaged over the seeds. Runs with the same seed start from the same
// initial clips, so curves differ only by how they choose.
func Compare(ctx context.Context, pool Pool, oracle Oracle, o Options, strategies []Strategy, seeds []uint64, m Metric) ([]Curve, error) {
	if len(strategies) == 0 || len(seeds) == 0 {
		return nil, fmt.Errorf("active: Compare needs strategies and seeds; got %d and %d", len(strategies), len(seeds))
	}
	curves := make([]Curve, 0, len(strategies))
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
func MustCompare(ctx context.Context, pool Pool, oracle Oracle, o Options, strategies []Strategy, seeds []uint64, m Metric) []Curve {
	curves, err := Compare(ctx, pool, oracle, o, strategies, seeds, m)
	if err != nil {
		panic(err)
	}
	return curves
}
