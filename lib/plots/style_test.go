package plots_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

func TestTickLabels(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   []string
	}{
		{[]float64{25000, 75000, 125000}, []string{"25k", "75k", "125k"}},
		{[]float64{0, 50000, 100000}, []string{"0", "50k", "100k"}},
		{[]float64{100000, 150000, 200000}, []string{"100k", "150k", "200k"}},
		{[]float64{0, 2.5e8, 5e8}, []string{"0", "250M", "500M"}},
		{[]float64{0, 0.5, 1}, []string{"0.0", "0.5", "1.0"}},
		{[]float64{0, 0.25, 0.5}, []string{"0.00", "0.25", "0.50"}},
		{[]float64{-0.5, 0, 0.5}, []string{"-0.5", "0.0", "0.5"}},
		{[]float64{10, 20, 30, 40}, []string{"10", "20", "30", "40"}},
		{[]float64{10000, 40000, 70000}, []string{"10000", "40000", "70000"}},
		{[]float64{-1, 0, 1}, []string{"-1", "0", "1"}},
		{[]float64{0.001, 0.002}, []string{"0.001", "0.002"}},
		{[]float64{3}, []string{"3"}},
		{[]float64{2.5}, []string{"2.5"}},
	} {
		if got := plots.TickLabels(tc.values); !slices.Equal(got, tc.want) {
			t.Errorf("TickLabels(%v) = %q, want %q", tc.values, got, tc.want)
		}
	}
	// An inertia axis like lesson 04b's choose-k figure: no "125000.00".
	for _, tick := range (plots.Ticks{}).Ticks(9000, 140000) {
		if strings.Contains(tick.Label, ".") {
			t.Errorf("tick %v labelled %q", tick.Value, tick.Label)
		}
	}
}

// Groups are told apart by colour and marker: the first 56 have distinct pairs, and
// neighbours differ in both.
func TestColourAndMarker(t *testing.T) {
	seen := map[string]int{}
	for k := range 56 {
		pair := fmt.Sprintf("%v %T", plots.Color(k), plots.Shape(k))
		if j, ok := seen[pair]; ok {
			t.Errorf("groups %d and %d share colour and marker %s", j, k, pair)
		}
		seen[pair] = k
		if plots.Color(k) == plots.Color(k+1) || fmt.Sprintf("%T", plots.Shape(k)) == fmt.Sprintf("%T", plots.Shape(k+1)) {
			t.Errorf("groups %d and %d differ in only one of colour and marker", k, k+1)
		}
	}
	// gonum's plotutil helpers, which lesson cells use, follow the same palette and markers.
	for k := range 10 {
		if plotutil.Color(k) != plots.Color(k) || plotutil.Shape(k) != plots.Shape(k) {
			t.Errorf("plotutil's style %d: %v %T, want plots' %v %T", k, plotutil.Color(k), plotutil.Shape(k), plots.Color(k), plots.Shape(k))
		}
	}
	// Okabe & Ito's eight colours, each once.
	want := map[string]bool{"#0072B2": true, "#D55E00": true, "#009E73": true, "#CC79A7": true,
		"#E69F00": true, "#56B4E9": true, "#000000": true, "#F0E442": true}
	for k := range 8 {
		r, g, b, _ := plots.Color(k).RGBA()
		hex := fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
		if !want[hex] {
			t.Errorf("colour %d is %s, not an unused Okabe–Ito colour", k, hex)
		}
		delete(want, hex)
	}
}

// lines is a plot of n lines across x in [0, 1], each named in the legend.
func lines(t *testing.T, names ...string) *plot.Plot {
	p := plot.New()
	for i, name := range names {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: float64(i)}, {X: 1, Y: float64(i) + 1}})
		if err != nil {
			t.Fatal(err)
		}
		l.LineStyle = plots.Line(i)
		p.Add(l)
		p.Legend.Add(name, l)
	}
	return p
}

// The legend is drawn beside the data area, inside the figure, and the axis keeps its range.
func TestLegendBesideData(t *testing.T) {
	names := []string{"same individual?", "same species?", "chance"}
	p := lines(t, names...)
	w, h := 16*vg.Centimeter, 10*vg.Centimeter
	svg, err := plots.Encode(p, "svg", plots.Size(w, h))
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 1 {
		t.Errorf("x axis [%v, %v], want the data's [0, 1]", p.X.Min, p.X.Max)
	}
	texts, err := plotstest.Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	data := plots.DataArea(p, plots.Size(w, h))
	for _, name := range names {
		found := plotstest.Find(texts, name)
		if len(found) != 1 {
			t.Fatalf("legend entry %q drawn %d times, want once", name, len(found))
		}
		e := found[0]
		if e.X <= data.Max.X.Points() || e.Right() > w.Points() || e.Y < data.Min.Y.Points() || e.Y > data.Max.Y.Points() {
			t.Errorf("legend entry %q spans x %.1f–%.1f, y %.1f pt: want right of the data area (x > %.1f), in the figure (≤ %.1f), level with the data (y %.1f–%.1f)",
				name, e.X, e.Right(), e.Y, data.Max.X.Points(), w.Points(), data.Min.Y.Points(), data.Max.Y.Points())
		}
		if e.Size != plots.LegendFontSize {
			t.Errorf("legend entry %q in %v pt, want %v", name, e.Size, plots.LegendFontSize)
		}
	}
	// Every tick label ends inside the figure (the last, "1.0", sits at its right end).
	for _, tick := range []string{"0.0", "0.5", "1.0"} {
		for _, e := range plotstest.Find(texts, tick) {
			if e.X < 0 || e.Right() > w.Points() {
				t.Errorf("tick label %q spans %.1f–%.1f pt, outside the %.1f pt figure", tick, e.X, e.Right(), w.Points())
			}
		}
	}
	// Drawn again, nothing moves (Style is idempotent).
	again, err := plots.Encode(p, "svg", plots.Size(w, h))
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(svg) {
		t.Error("a second Encode of the same plot draws another figure")
	}
}

// A long legend goes in columns beside the data; a figure of 20 groups (lesson 04b's
// species) in the default size fits one column of 8-point text.
func TestLongLegendColumns(t *testing.T) {
	var names []string
	for k := range 20 {
		names = append(names, fmt.Sprintf("species %02d", k))
	}
	p := plot.New()
	var entries []plots.LegendEntry
	for k, name := range names {
		s, err := plotter.NewScatter(plotter.XYs{{X: float64(k), Y: float64(k)}})
		if err != nil {
			t.Fatal(err)
		}
		s.GlyphStyle = plots.Glyph(k, 0)
		p.Add(s)
		entries = append(entries, plots.LegendEntry{Name: name, Thumbs: []plot.Thumbnailer{s}})
	}
	plots.AddLegend(p, entries)
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, err := plotstest.Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	data := plots.DataArea(p)
	columns := map[float64]int{}
	for _, name := range names {
		found := plotstest.Find(texts, name)
		if len(found) != 1 {
			t.Fatalf("%q drawn %d times", name, len(found))
		}
		e := found[0]
		columns[e.X]++
		if e.X <= data.Max.X.Points() || e.Right() > plots.DefaultWidth.Points() || e.Y < data.Min.Y.Points()-1 {
			t.Errorf("%q at x %.1f–%.1f, y %.1f: want beside the data area (%v)", name, e.X, e.Right(), e.Y, data)
		}
	}
	if len(columns) != 1 {
		t.Errorf("legend in %d columns, want 1: %v", len(columns), columns)
	}
	// Twice as many make two columns.
	q := plot.New()
	plots.AddLegend(q, append(entries, entries...))
	svg, err = plots.Encode(q, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, _ = plotstest.Texts(svg)
	xs := map[float64]bool{}
	for _, e := range plotstest.Find(texts, "species 00") {
		xs[e.X] = true
	}
	if len(xs) != 2 {
		t.Errorf("40 entries: species 00 in %d columns, want 2", len(xs))
	}
}

func TestColorBar(t *testing.T) {
	p := lines(t)
	if err := plots.ColorBar(p, plots.PaletteColor(plots.Palette, 0, 130000), 0, 130000, "inertia"); err != nil {
		t.Fatal(err)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := plotstest.Texts(svg)
	data := plots.DataArea(p)
	var want []string
	for _, tick := range (plots.Ticks{}).Ticks(0, 130000) {
		if tick.Label != "" {
			want = append(want, tick.Label)
		}
	}
	if len(want) < 2 || want[0] != "0" || !strings.HasSuffix(want[1], "k") {
		t.Errorf("colour-bar ticks %q, want 0 then thousands", want)
	}
	for _, label := range want {
		found := false
		for _, e := range plotstest.Find(texts, label) {
			found = found || (e.X > data.Max.X.Points() && e.Right() <= plots.DefaultWidth.Points())
		}
		if !found {
			t.Errorf("no colour-bar label %q beside the data area", label)
		}
	}
	if found := plotstest.Find(texts, "inertia"); len(found) != 1 || !found[0].Rotated {
		t.Errorf("colour-bar label: %+v, want one, turned", found)
	}
	// The bar is drawn in the palette's colours.
	colours := plotstest.Colours(svg)
	for _, hex := range []string{"#0072B2", "#F0E442"} {
		if colours[hex] == 0 {
			t.Errorf("no %s in the colour bar", hex)
		}
	}
	if err := plots.ColorBar(p, nil, 1, 1, ""); err == nil {
		t.Error("a colour bar from 1 to 1: no error")
	}
}

// The SVG asks for Liberation Sans or a font of the same widths before any sans-serif.
func TestSVGFontFallback(t *testing.T) {
	svg, err := plots.Encode(lines(t, "a"), "svg")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(svg), "font-family:Liberation Sans;") || !strings.Contains(string(svg), "font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;") {
		t.Error("SVG text styles lack the font fallbacks")
	}
}

// AddLegend's entries stay beside the data while they take at most a quarter of the width the
// plot is drawn in; where they would take more (a narrow figure, a Grid's tile) and fit in a
// quarter of its height, they go above the data area, below the title, within the data's
// width, and the data keep at least two thirds of the width.
func TestAddLegendAboveWhenBesideIsTooWide(t *testing.T) {
	names := []string{"frozen embedding + logistic", "fine-tuned", "trained from scratch"}
	for _, tc := range []struct {
		name      string
		width     vg.Length
		wantAbove bool
	}{
		{"wide figure: beside", 30 * vg.Centimeter, false},
		{"default figure: above", plots.DefaultWidth, true},
		{"narrow figure: above", 8 * vg.Centimeter, true},
	} {
		p := plot.New()
		p.Title.Text = "learning curve"
		var entries []plots.LegendEntry
		for i, name := range names {
			l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: float64(i)}, {X: 1, Y: float64(i) + 1}})
			if err != nil {
				t.Fatal(err)
			}
			p.Add(l)
			entries = append(entries, plots.LegendEntry{Name: name, Thumbs: []plot.Thumbnailer{l}})
		}
		plots.AddLegend(p, entries)
		size := plots.Size(tc.width, plots.DefaultHeight)
		svg, err := plots.Encode(p, "svg", size)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := plotstest.Texts(svg)
		if err != nil {
			t.Fatal(err)
		}
		data := plots.DataArea(p, size)
		title := plotstest.Find(texts, "learning curve")
		if len(title) != 1 {
			t.Fatalf("%s: title drawn %d times", tc.name, len(title))
		}
		for _, name := range names {
			found := plotstest.Find(texts, name)
			if len(found) != 1 {
				t.Fatalf("%s: legend entry %q drawn %d times, want once", tc.name, name, len(found))
			}
			e := found[0]
			above := e.Y > data.Max.Y.Points() && e.Y < title[0].Y && e.X >= data.Min.X.Points() && e.Right() <= data.Max.X.Points()
			beside := e.X > data.Max.X.Points() && e.Right() <= tc.width.Points() && e.Y <= data.Max.Y.Points()
			if tc.wantAbove && !above || !tc.wantAbove && !beside {
				t.Errorf("%s: entry %q at x %.1f–%.1f, y %.1f; data area x %.1f–%.1f, y %.1f–%.1f, title at y %.1f",
					tc.name, name, e.X, e.Right(), e.Y, data.Min.X.Points(), data.Max.X.Points(), data.Min.Y.Points(), data.Max.Y.Points(), title[0].Y)
			}
		}
		if share := (data.Max.X - data.Min.X) / tc.width; share < 0.6 {
			t.Errorf("%s: the data area is %.0f %% of the figure's width, want at least 60 %%", tc.name, 100*share)
		}
	}
	// A Grid's tiles are narrower than its figure: two histograms side by side in the
	// default size put their legends above.
	tile := func() *plot.Plot {
		p := plot.New()
		h, err := plotter.NewHist(plotter.Values{1, 2, 2, 3}, 3)
		if err != nil {
			t.Fatal(err)
		}
		p.Add(h)
		plots.AddLegend(p, []plots.LegendEntry{{Name: "absent (190 clips)", Thumbs: []plot.Thumbnailer{h}}, {Name: "present (10 clips)", Thumbs: []plot.Thumbnailer{h}}})
		return p
	}
	left, right := tile(), tile()
	svg, err := plots.Encode(plots.Grid{{left, right}}, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := plotstest.Texts(svg)
	found := plotstest.Find(texts, "absent (190 clips)")
	if len(found) != 2 {
		t.Fatalf("%d legend entries \"absent (190 clips)\", want one per tile", len(found))
	}
	// Above the data, the left tile's entry starts just right of its y axis, in the first
	// third of the tile (beside the data it would start past the tile's middle).
	tileWidth := plots.DefaultWidth.Points() / 2
	if e := min(found[0].X, found[1].X); e > tileWidth/3 {
		t.Errorf("in the left Grid tile, legend entry at x %.1f pt: want above the data, in the tile's first third (< %.1f pt)", e, tileWidth/3)
	}
}

// Every text of an SVG carries the width it was laid out with (textLength), so that a
// browser without Liberation Sans or a font of its widths cannot push a right-aligned label
// into the data: here a heat map's turned, right-aligned class names and its right-aligned
// y tick labels, which end at the edge of the axis.
func TestSVGTextLengths(t *testing.T) {
	p := plot.New()
	p.Title.Text = "confusions"
	names := []string{"cutaites_foaris", "dysaeicola_supliosa", "thaetraornis_craenaata"}
	p.NominalX(names...)
	p.NominalY(names...)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.5, 2.5, -0.5, 2.5
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = text.XRight, text.YCenter
	p.Legend.Add("a line", plotter.NewFunction(func(x float64) float64 { return x }))
	p.Legend.Add("two  spaces", plotter.NewFunction(func(x float64) float64 { return x }))
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, err := plotstest.Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(names, "confusions", "a line") {
		if len(plotstest.Find(texts, want)) == 0 {
			t.Errorf("no text %q", want)
		}
	}
	for _, e := range texts {
		want := e.Width()
		if e.Text == "two  spaces" {
			want = 0 // SVG collapses the spaces: drawn narrower than measured, so left free
		}
		if math.Abs(e.Length-want) > 0.01 {
			t.Errorf("%q: textLength %.2f, want %.2f", e.Text, e.Length, want)
		}
	}
	if n := strings.Count(string(svg), `lengthAdjust="spacingAndGlyphs"`); n != len(texts)-1 {
		t.Errorf("%d texts with lengthAdjust, want all %d but the one with doubled spaces", n, len(texts))
	}
	// PNG has no fonts to fall back on: unchanged.
	if _, err := plots.Encode(p, "png"); err != nil {
		t.Fatal(err)
	}
}

// A map of 20 well-separated groups: the x axis spans the points only (the legend takes
// room beside it, not a third of the axis), every group is named in the legend beside the
// data and on its island inside the data area, and every Okabe–Ito colour is used.
func TestScatterIslandsAndLegend(t *testing.T) {
	var points [][]float64
	var groups []string
	for g := range 20 {
		for i := range 10 {
			points = append(points, []float64{float64(g%5)*10 + float64(i)*0.05, float64(g/5)*10 + float64(i%3)*0.05})
			groups = append(groups, fmt.Sprintf("group %02d", g))
		}
	}
	p, err := plots.Scatter(points, groups, plots.ScatterOptions{Title: "map"})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Max > 40.5 {
		t.Errorf("x axis runs to %v; the points end at 40.45", p.X.Max)
	}
	texts, _ := plotstest.Texts(svg)
	data := plots.DataArea(p)
	for g := range 20 {
		name := fmt.Sprintf("group %02d", g)
		var inLegend, onMap int
		for _, e := range plotstest.Find(texts, name) {
			switch {
			case e.X > data.Max.X.Points() && e.Right() <= plots.DefaultWidth.Points():
				inLegend++
			case plotstest.Inside(e, data):
				onMap++
			}
		}
		if inLegend != 1 || onMap != 1 {
			t.Errorf("%s: %d legend entries beside the data, %d labels on the map; want 1 and 1", name, inLegend, onMap)
		}
	}
	colours := plotstest.Colours(svg)
	for k := range 8 {
		r, g, b, _ := plots.Color(k).RGBA()
		if hex := fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8); colours[hex] == 0 {
			t.Errorf("palette colour %s unused", hex)
		}
	}
}
