package cnnplots_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/cnn/cnnplots"
)

// The curves of a short run with two records: a loss plot starting at 0 and an
// accuracy plot on [0, 1], both headed by the run's name. Show them side by side
// with plots.MustShow(plots.Grid{{loss, accuracy}}, "curves").
func ExampleCurves() {
	history := cnn.History{Records: []cnn.Record{
		{Step: 10, TrainLoss: 2.1, TrainAccuracy: 0.3, ValLoss: 2.4, ValAccuracy: 0.2, Validated: true},
		{Step: 20, TrainLoss: 1.2, TrainAccuracy: 0.7, ValLoss: 1.8, ValAccuracy: 0.5, Validated: true},
	}}
	loss, accuracy, err := cnnplots.Curves(history, "a short run")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q: %s from %g, %s on [%g, %g], steps %g–%g\n", loss.Title.Text, loss.Y.Label.Text, loss.Y.Min,
		accuracy.Y.Label.Text, accuracy.Y.Min, accuracy.Y.Max, accuracy.X.Min, accuracy.X.Max)
	// Output: "a short run": loss from 0, accuracy on [0, 1], steps 10–20
}
