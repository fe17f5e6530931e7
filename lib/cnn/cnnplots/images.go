package cnnplots

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/spectro/spectroplots"
	"gonum.org/v1/plot"
)

// imageAxis labels the y axis of a front-end image: mel bands, drawn equally spaced and
// labelled with their centre frequencies.
const imageAxis = "Hz (mel scale)"

// Image draws one image made by m's front end (Model.Images, Dataset.Image: frame-major,
// values in [0, 1]) as the network sees it: time on the x axis, mel bands on the y axis,
// on the colour scale 0 to 1, with its colour bar. Every image drawn so compares colour
// for colour with every other. An image of the wrong size is an error.
func Image(m *cnn.Model, image []float32, title string) (*plot.Plot, error) {
	s, err := m.FrontEnd().Spectrogram(image)
	if err != nil {
		return nil, fmt.Errorf("cnnplots: %w", err)
	}
	p := spectroplots.PlotInRange(s, title, 0, 1)
	p.Y.Label.Text = imageAxis
	return p, nil
}

// MustImage is [Image] for notebooks: it panics on error.
func MustImage(m *cnn.Model, image []float32, title string) *plot.Plot {
	p, err := Image(m, image, title)
	if err != nil {
		panic(err)
	}
	return p
}

// ImageGrid draws images made by m's front end in rows, as Image does, with one colour
// bar (0 to 1) for all of them: an image beside its augmented versions, say. titles has
// the shape of images (a missing title is "").
func ImageGrid(m *cnn.Model, images [][][]float32, titles [][]string) (plots.SharedColorBar, error) {
	rows := make([][]*spectro.Spectrogram, len(images))
	for i, row := range images {
		rows[i] = make([]*spectro.Spectrogram, len(row))
		for j, image := range row {
			s, err := m.FrontEnd().Spectrogram(image)
			if err != nil {
				return plots.SharedColorBar{}, fmt.Errorf("cnnplots: image %d of row %d: %w", j, i, err)
			}
			rows[i][j] = s
		}
	}
	grid := spectroplots.GridInRange(rows, titles, 0, 1)
	for _, row := range grid.Grid {
		for _, p := range row {
			p.Y.Label.Text = imageAxis
		}
	}
	return grid, nil
}

// MustImageGrid is [ImageGrid] for notebooks: it panics on error.
func MustImageGrid(m *cnn.Model, images [][][]float32, titles [][]string) plots.SharedColorBar {
	grid, err := ImageGrid(m, images, titles)
	if err != nil {
		panic(err)
	}
	return grid
}

// MustCurves is [Curves] for notebooks: it panics on error.
func MustCurves(h cnn.History, title string) (loss, accuracy *plot.Plot) {
	loss, accuracy, err := Curves(h, title)
	if err != nil {
		panic(err)
	}
	return loss, accuracy
}
