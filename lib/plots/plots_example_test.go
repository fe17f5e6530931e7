package plots_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// A figure is a gonum plot; Save writes it in the format its extension names, and Show
// (in a lesson) displays the same plot inline.
func ExampleSave() {
	p := plot.New()
	p.Title.Text = "Training loss"
	p.X.Label.Text = "step"
	p.Y.Label.Text = "loss"
	loss, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 2.3}, {X: 100, Y: 0.9}, {X: 200, Y: 0.4}})
	p.Add(loss)

	dir, _ := os.MkdirTemp("", "plots-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "loss.png")
	if err := plots.Save(p, path, plots.Size(12*vg.Centimeter, 8*vg.Centimeter)); err != nil {
		fmt.Println(err)
		return
	}
	info, _ := os.Stat(path)
	fmt.Println(filepath.Base(path), "written:", info.Size() > 0)
	// Output: loss.png written: true
}

// A 2-D layout of embeddings coloured by class: Scatter gives a gonum plot for Show or
// Save; ScatterSVG adds a tooltip per point (its file and time) for notebooks.
func ExampleScatter() {
	layout := [][]float64{{0.1, 0.2}, {0.3, 0.1}, {2.1, 2.0}, {2.3, 1.8}}
	species := []string{"wren", "wren", "robin", "robin"}
	p, err := plots.Scatter(layout, species, plots.ScatterOptions{Title: "UMAP of embeddings", XLabel: "UMAP 1", YLabel: "UMAP 2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)

	svg, err := plots.ScatterSVG(layout, species, plots.ScatterOptions{
		Labels: []string{"a.wav 0–3 s", "a.wav 3–6 s", "b.wav 0–3 s", "b.wav 3–6 s"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(string(svg), "<title>"), "tooltips")
	// Output:
	// UMAP of embeddings
	// 4 tooltips
}
