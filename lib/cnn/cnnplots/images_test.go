package cnnplots

import (
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/spectro/spectroplots"
)

// TestImages draws a front-end image whose first half is 1 and the rest 0: the plot is
// PlotInRange's on the 0–1 colour range with the mel axis label, drawn alike; the grid
// has the shape asked for, every tile labelled; an image of the wrong size is an error.
func TestImages(t *testing.T) {
	m := cnn.MustNew(cnn.Config{FrontEnd: spectro.FrontEndOptions{ClipSeconds: 0.5, NFFT: 512, Hop: 256, NumMels: 16},
		StemChannels: 4, StageChannels: []int{8}, Classes: []string{"a", "b"}}, 1)
	frames, mels := m.FrontEnd().Shape()[0], m.FrontEnd().Shape()[1]
	image := make([]float32, frames*mels)
	for f := range frames / 2 {
		for b := range mels {
			image[f*mels+b] = 1
		}
	}
	p, err := Image(m, image, "half bright")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title.Text != "half bright" || p.Y.Label.Text != "Hz (mel scale)" {
		t.Errorf("title %q, y label %q", p.Title.Text, p.Y.Label.Text)
	}
	s, _ := m.FrontEnd().Spectrogram(image)
	want := spectroplots.PlotInRange(s, "half bright", 0, 1)
	want.Y.Label.Text = "Hz (mel scale)"
	if got := svg(t, p); got != svg(t, want) || !strings.Contains(got, "<image") {
		t.Error("the plot differs from PlotInRange's on [0, 1], or holds no image")
	}
	grid, err := ImageGrid(m, [][][]float32{{image, image}, {image}}, [][]string{{"a", "b"}, {"c"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(grid.Grid) != 2 || len(grid.Grid[0]) != 2 || len(grid.Grid[1]) != 1 || grid.Grid[1][0].Title.Text != "c" {
		t.Errorf("grid of shape %d rows, want 2, 1 tiles", len(grid.Grid))
	}
	for _, row := range grid.Grid {
		for _, tile := range row {
			if tile.Y.Label.Text != "Hz (mel scale)" {
				t.Errorf("tile %q: y label %q", tile.Title.Text, tile.Y.Label.Text)
			}
		}
	}
	if _, err := Image(m, image[:10], "short"); err == nil {
		t.Error("an image of 10 values drew")
	}
	if _, err := ImageGrid(m, [][][]float32{{image, image[:10]}}, nil); err == nil || !strings.Contains(err.Error(), "image 1 of row 0") {
		t.Errorf("a short image in a grid: error %v", err)
	}
}
