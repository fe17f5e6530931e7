package metrics

import (
	"fmt"
	"slices"
)

// LearningCurve is a metric against the number of labels a model was given,
// summarised over runs (seeds): the mean, and the lowest and highest run, at
// each point. Active learning (labels spent round by round, lib/active) and
// transfer learning (training clips per method, lib/transfer) both produce
// one, and one plot draws either.
type LearningCurve struct {
	// Name labels the curve ("margin", "fine-tune").
	Name string
	// Metric names the y values ("accuracy", "clips found"): curves drawn
	// together must show the same metric.
	Metric string
	// LabelsSpent[k] is the mean number of labels of point k; Mean[k] is the
	// mean metric there and Min[k], Max[k] its range over the runs.
	LabelsSpent    []float64
	Mean, Min, Max []float64
	// Runs is the number of runs averaged: the fewest of any point.
	Runs int
}

// Add appends a point at labels x with the values of every run there, in run
// order (their mean is summed in that order). values must not be empty.
func (c *LearningCurve) Add(x float64, values []float64) {
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	c.LabelsSpent = append(c.LabelsSpent, x)
	c.Mean = append(c.Mean, sum/float64(len(values)))
	c.Min = append(c.Min, slices.Min(values))
	c.Max = append(c.Max, slices.Max(values))
	if len(c.LabelsSpent) == 1 || len(values) < c.Runs {
		c.Runs = len(values)
	}
}

// LabelsToReach returns the mean labels spent at the first point where the
// curve's mean is at least level, and false when it never is.
func (c LearningCurve) LabelsToReach(level float64) (float64, bool) {
	for k, v := range c.Mean {
		if v >= level {
			return c.LabelsSpent[k], true
		}
	}
	return 0, false
}

// Check returns an error naming the curve when it has no points or when its
// columns differ in length.
func (c LearningCurve) Check() error {
	n := len(c.LabelsSpent)
	if n == 0 || len(c.Mean) != n || len(c.Min) != n || len(c.Max) != n {
		return fmt.Errorf("curve %q has %d x values, %d means, %d minima, %d maxima; want the same, non-zero number",
			c.Name, n, len(c.Mean), len(c.Min), len(c.Max))
	}
	return nil
}
