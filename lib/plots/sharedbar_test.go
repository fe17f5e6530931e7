package plots_test

import (
	"image/color"
	"math"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// A SharedColorBar draws one bar right of its whole grid, from the bottom row's data area
// to the top row's, where a ColorBar per tile draws one per tile; a bad range is an error.
func TestSharedColorBar(t *testing.T) {
	tile := func(bar bool) *plot.Plot {
		p := plot.New()
		line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
		if err != nil {
			t.Fatal(err)
		}
		p.Add(line)
		if bar {
			if err := plots.ColorBar(p, func(float64) color.Color { return color.Black }, 0, 1, "level"); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	grey := func(v float64) color.Color { return color.Gray{Y: uint8(255 * v)} }
	shared, err := plots.NewSharedColorBar(plots.Grid{{tile(false), tile(false)}, {tile(false), tile(false)}},
		grey, 0, 1, "level")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		figure plots.Figure
		bars   int
	}{
		{"shared", shared, 1},
		{"one per tile", plots.Grid{{tile(true), tile(true)}, {tile(true), tile(true)}}, 4},
	} {
		texts := plotstest.Render(t, tc.figure)
		if got := len(plotstest.Find(texts, "level")); got != tc.bars {
			t.Errorf("%s: %d bar labels, want %d", tc.name, got, tc.bars)
		}
		if tc.bars != 1 {
			continue
		}
		// The bar's ticks are the texts right of every tile's: its 0.0 at the bottom row's
		// data area, its 1.0 at the top row's, so they are more than half the figure apart.
		var rightmost float64
		for _, tx := range texts {
			if tx.Text != "level" && !tx.Rotated {
				rightmost = math.Max(rightmost, tx.X)
			}
		}
		var low, high []plotstest.Text
		for _, tx := range plotstest.Find(texts, "0.0") {
			if tx.X == rightmost {
				low = append(low, tx)
			}
		}
		for _, tx := range plotstest.Find(texts, "1.0") {
			if tx.X == rightmost {
				high = append(high, tx)
			}
		}
		if len(low) != 1 || len(high) != 1 {
			t.Fatalf("%s: bar ticks 0.0 and 1.0 at the right edge: %d and %d, want one each", tc.name, len(low), len(high))
		}
		if span := high[0].Y - low[0].Y; span < plots.DefaultHeight.Points()/2 {
			t.Errorf("%s: the bar spans %.1f pt, want more than half the %.1f pt figure (both rows)", tc.name, span, plots.DefaultHeight.Points())
		}
	}
	for _, bad := range [][2]float64{{1, 1}, {1, 0}, {0, math.Inf(1)}, {math.NaN(), 1}} {
		if _, err := plots.NewSharedColorBar(plots.Grid{{tile(false)}}, grey, bad[0], bad[1], ""); err == nil {
			t.Errorf("range %v accepted", bad)
		}
	}
}
