package metricsplots_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/metrics/metricsplots"
)

// The lesson's figure: labels spent against accuracy, one line per strategy.
func ExampleLearningCurves() {
	curves := []metrics.LearningCurve{
		{Name: "margin", Metric: "accuracy", Runs: 1, LabelsSpent: []float64{10, 20, 30},
			Mean: []float64{0.80, 0.95, 0.99}, Min: []float64{0.80, 0.95, 0.99}, Max: []float64{0.80, 0.95, 0.99}},
		{Name: "random", Metric: "accuracy", Runs: 1, LabelsSpent: []float64{10, 20, 30},
			Mean: []float64{0.80, 0.85, 0.88}, Min: []float64{0.80, 0.85, 0.88}, Max: []float64{0.80, 0.85, 0.88}},
	}
	p := metricsplots.MustLearningCurves(curves, "labels spent vs accuracy")
	fmt.Println(p.X.Label.Text, "→", p.Y.Label.Text)
	// Output:
	// labels spent → accuracy
}
