// Package transferplots draws lib/transfer's learning curves: test accuracy
// against the number of labelled training clips, on a log axis, one line per
// method with its minimum–maximum band over the seeds. It is apart from
// lib/transfer so that the numeric package imports no plotting code.
package transferplots

import (
	"fmt"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/metrics/metricsplots"
	"github.com/dawnchorus/dawnchorus/lib/transfer"
	"gonum.org/v1/plot"
)

// LearningCurve plots rows (transfer.Run's, or transfer.ReadCSV's) with the
// given title: x is the training-set size on a log scale, ticked at the sizes
// the rows hold; y is the test accuracy on [0, 1]. Lines are drawn by
// metricsplots.LearningCurves (the mean, and a band from the minimum to the maximum
// over the seeds when there are several).
func LearningCurve(rows []transfer.Row, title string) (*plot.Plot, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("transferplots: no rows to plot")
	}
	curves := transfer.Curves(rows)
	p, err := metricsplots.LearningCurves(curves, title)
	if err != nil {
		return nil, fmt.Errorf("transferplots: %w", err)
	}
	var ticks []plot.Tick
	seen := map[float64]bool{}
	for _, c := range curves {
		for _, x := range c.LabelsSpent {
			if !seen[x] {
				seen[x] = true
				ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'f', -1, 64)})
			}
		}
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Label.Text = "labelled training clips (log scale)"
	p.Y.Label.Text = "test accuracy"
	p.Y.Min, p.Y.Max = 0, 1
	return p, nil
}

// MustLearningCurve is LearningCurve that panics on error, for notebooks.
func MustLearningCurve(rows []transfer.Row, title string) *plot.Plot {
	p, err := LearningCurve(rows, title)
	if err != nil {
		panic(err)
	}
	return p
}
