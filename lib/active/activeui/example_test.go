package activeui_test

import (
	"context"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/active/activeui"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Outside a notebook the widget does not wait for clicks that cannot come: it says to
// use the simulated oracle instead.
func ExampleNotebookOracle() {
	var oracle active.Oracle = &activeui.NotebookOracle{Question: "Is this a song thrush?"}
	_, err := oracle.Label(context.Background(), []active.Item{{Index: 0}})
	fmt.Println(err)
	// Output:
	// activeui: NotebookOracle needs a GoNB notebook to show clips and wait for clicks (gonbui.IsNotebook is false); use active.NewSimulatedOracle for tests and headless runs
}

// The lesson's figure: labels spent against accuracy, one line per strategy.
func ExamplePlotCurves() {
	curves := []metrics.LearningCurve{
		{Name: "margin", Metric: "accuracy", Runs: 1, LabelsSpent: []float64{10, 20, 30},
			Mean: []float64{0.80, 0.95, 0.99}, Min: []float64{0.80, 0.95, 0.99}, Max: []float64{0.80, 0.95, 0.99}},
		{Name: "random", Metric: "accuracy", Runs: 1, LabelsSpent: []float64{10, 20, 30},
			Mean: []float64{0.80, 0.85, 0.88}, Min: []float64{0.80, 0.85, 0.88}, Max: []float64{0.80, 0.85, 0.88}},
	}
	p := activeui.MustPlotCurves(curves, "labels spent vs accuracy")
	fmt.Println(p.X.Label.Text, "→", p.Y.Label.Text)
	// Output:
	// labels spent → accuracy
}
