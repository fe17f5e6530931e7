package cnnplots

import (
	"errors"
	"image/color"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Colours of the two curves of every plot (the training and the validation
// one): lib/plots's first two, blue and vermilion, which colour-blind readers
// can tell apart; the validation curve is also dashed.
var (
	TrainColor      = plots.Color(0)
	ValidationColor = plots.Color(1)
)

// Curves returns two plots of a training run against the step: the training and
// validation loss, and the training and validation accuracy (on [0, 1]). The
// training values are means over the steps since the previous record, on
// augmented batches in training mode; the validation ones are measured on the
// whole validation set in inference mode at the record's step (see cnn.Record).
// Records without validation data (Validated false) draw the training curves
// only. title (the run's name, say) heads both plots; the y axes say "loss"
// and "accuracy". Both carry the legend (training solid, validation dashed),
// which lib/plots draws beside the data, so the two plots have the same width
// side by side.
func Curves(h cnn.History, title string) (loss, accuracy *plot.Plot, err error) {
	if len(h.Records) == 0 {
		return nil, nil, errors.New("cnnplots: the history holds no records")
	}
	trainLoss, valLoss, trainAcc, valAcc := points(h)
	if loss, err = curvePlot("loss", title, trainLoss, valLoss); err != nil {
		return nil, nil, err
	}
	loss.Y.Min = 0
	if accuracy, err = curvePlot("accuracy", title, trainAcc, valAcc); err != nil {
		return nil, nil, err
	}
	accuracy.Y.Min, accuracy.Y.Max = 0, 1
	return loss, accuracy, nil
}

// points returns the curves' points: (step, value) of every record, the
// validation ones of validated records only.
func points(h cnn.History) (trainLoss, valLoss, trainAcc, valAcc plotter.XYs) {
	for _, r := range h.Records {
		step := float64(r.Step)
		trainLoss = append(trainLoss, plotter.XY{X: step, Y: r.TrainLoss})
		trainAcc = append(trainAcc, plotter.XY{X: step, Y: r.TrainAccuracy})
		if r.Validated {
			valLoss = append(valLoss, plotter.XY{X: step, Y: r.ValLoss})
			valAcc = append(valAcc, plotter.XY{X: step, Y: r.ValAccuracy})
		}
	}
	return trainLoss, valLoss, trainAcc, valAcc
}

// curvePlot draws the training curve and, when there is one, the validation curve.
func curvePlot(what, title string, train, val plotter.XYs) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "step"
	p.Y.Label.Text = what
	p.Add(plotter.NewGrid())
	var legend []plots.LegendEntry
	for _, c := range []struct {
		name   string
		points plotter.XYs
		color  color.Color
		dashed bool
	}{{"training", train, TrainColor, false}, {"validation", val, ValidationColor, true}} {
		if len(c.points) == 0 {
			continue
		}
		line, marks, err := plotter.NewLinePoints(c.points)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = c.color, vg.Points(1.5)
		if c.dashed {
			line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		marks.Color, marks.Radius = c.color, vg.Points(1.5)
		p.Add(line, marks)
		legend = append(legend, plots.LegendEntry{Name: c.name, Thumbs: []plot.Thumbnailer{line, marks}})
	}
	// Beside the curves, or above them in a Grid's narrow tiles.
	plots.AddLegend(p, legend)
	return p, nil
}
