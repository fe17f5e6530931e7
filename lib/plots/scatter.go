package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ScatterOptions configures [Scatter].
type ScatterOptions struct {
	// Title, XLabel and YLabel label the plot and its axes ("UMAP 1", "PC 1 (34 %)").
	Title, XLabel, YLabel string
	// Labels, when set, is one text per point (its file and time, say) shown as a tooltip
	// when the mouse rests on the point in a figure made by [ScatterSVG] or
	// [ShowScatter]. Must have one entry per point.
	Labels []string
	// Radius is each marker's radius; 0 means 2 points (vg.Points(2)).
	Radius vg.Length
	// NoLegend hides the legend (one entry per group) and the islands' labels, e.g. for
	// hundreds of individuals.
	NoLegend bool
	// NoIslandLabels leaves out the group names written on the map. By default, when the
	// legend is shown and there are at most MaxIslandLabels groups, each group's name is
	// written at its densest cluster of points (its main island), so that a reader need
	// not match 20 colours against the legend.
	NoIslandLabels bool
}

// MaxIslandLabels is the most groups whose names Scatter writes on the map.
const MaxIslandLabels = 40

// Scatter plots 2-D points (a layout from lib/reduce: one row per point, the first two
// values used) coloured by group — class, cluster or individual — with a legend naming
// the groups in sorted order. groups holds one name per point; nil puts all points in one
// group without a legend. Points are drawn group by group, in the legend's order.
func Scatter(points [][]float64, groups []string, o ScatterOptions) (*plot.Plot, error) {
	p, _, err := scatterPlot(points, groups, o)
	return p, err
}

// scatterPlot is Scatter, also returning the plotter of each group in legend order.
func scatterPlot(points [][]float64, groups []string, o ScatterOptions) (*plot.Plot, []*plotter.Scatter, error) {
	names, members, err := scatterGroups(points, groups, o)
	if err != nil {
		return nil, nil, err
	}
	var scatters []*plotter.Scatter
	p := plot.New()
	p.Title.Text = o.Title
	p.X.Label.Text = o.XLabel
	p.Y.Label.Text = o.YLabel
	radius := o.Radius
	if radius == 0 {
		radius = vg.Points(2)
	}
	var legend []LegendEntry
	for g, name := range names {
		xys := make(plotter.XYs, len(members[g]))
		for t, i := range members[g] {
			xys[t].X, xys[t].Y = points[i][0], points[i][1]
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, nil, fmt.Errorf("plots: scatter group %q: %w", name, err)
		}
		s.GlyphStyle = Glyph(g, radius)
		p.Add(s)
		scatters = append(scatters, s)
		legend = append(legend, LegendEntry{Name: name, Thumbs: []plot.Thumbnailer{s}})
	}
	if groups != nil && !o.NoLegend {
		if !o.NoIslandLabels && len(names) <= MaxIslandLabels {
			p.Add(islandLabelsOf(points, names, members, radius))
		}
		AddLegend(p, legend)
	}
	return p, scatters, nil
}

// islandLabels writes each group's name above one point of it, on a translucent white
// box so that it reads over the markers.
type islandLabels struct {
	at     plotter.XYs
	names  []string
	raise  vg.Length
	style  text.Style
	colors []color.Color
}

// islandLabelsOf places each group's name at its densest point: the member with the most
// members of its group within 4 % of the map's extent (its main island's core, even when
// the group is split in several islands). Groups of more than 400 points are searched on
// every k-th point, so the cost stays below 400² distance checks per group.
func islandLabelsOf(points [][]float64, names []string, members [][]int, radius vg.Length) *islandLabels {
	xMin, xMax, yMin, yMax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pt := range points {
		xMin, xMax = min(xMin, pt[0]), max(xMax, pt[0])
		yMin, yMax = min(yMin, pt[1]), max(yMax, pt[1])
	}
	rx, ry := 0.04*(xMax-xMin), 0.04*(yMax-yMin)
	l := &islandLabels{
		names: names,
		raise: radius + vg.Points(2),
		style: text.Style{Font: font.From(plot.DefaultFont, 7), Handler: plot.DefaultTextHandler, Color: color.Black,
			XAlign: text.XCenter, YAlign: text.YBottom},
	}
	for g := range names {
		m := members[g]
		stride := (len(m) + 399) / 400
		best, bestCount := m[0], -1
		for a := 0; a < len(m); a += stride {
			pa := points[m[a]]
			count := 0
			for b := 0; b < len(m); b += stride {
				pb := points[m[b]]
				if (rx == 0 || math.Abs(pa[0]-pb[0]) <= rx) && (ry == 0 || math.Abs(pa[1]-pb[1]) <= ry) {
					count++
				}
			}
			if count > bestCount {
				best, bestCount = m[a], count
			}
		}
		l.at = append(l.at, plotter.XY{X: points[best][0], Y: points[best][1]})
		l.colors = append(l.colors, Color(g))
	}
	return l
}

// Plot implements plot.Plotter. A label goes above its point, else below, right or left of
// it (moved inside the data area where it would stick out), wherever it first overlaps no
// label already placed; one that overlaps in every place is left out (the legend still
// names its group).
func (l *islandLabels) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	var placed []vg.Rectangle
	overlaps := func(r vg.Rectangle) bool {
		for _, q := range placed {
			if r.Min.X < q.Max.X && q.Min.X < r.Max.X && r.Min.Y < q.Max.Y && q.Min.Y < r.Max.Y {
				return true
			}
		}
		return false
	}
	for i, name := range l.names {
		x, y := tx(l.at[i].X), ty(l.at[i].Y)
		w, h := l.style.Width(name)+3, l.style.Height(name)+1
		var box vg.Rectangle
		found := false
		for _, at := range []vg.Point{
			{X: x - w/2, Y: y + l.raise}, {X: x - w/2, Y: y - l.raise - h},
			{X: x + l.raise, Y: y - h/2}, {X: x - l.raise - w, Y: y - h/2},
		} {
			// Kept inside the data area: a label at the map's edge shifts inwards rather than
			// run over the axis or off the figure.
			at.X = max(c.Min.X, min(at.X, c.Max.X-w))
			at.Y = max(c.Min.Y, min(at.Y, c.Max.Y-h))
			box = vg.Rectangle{Min: at, Max: vg.Point{X: at.X + w, Y: at.Y + h}}
			if !overlaps(box) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		placed = append(placed, box)
		corners := []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}}
		c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 210}, corners)
		c.StrokeLines(draw.LineStyle{Color: l.colors[i], Width: vg.Points(0.8)}, append(corners, corners[0]))
		c.FillText(l.style, vg.Point{X: (box.Min.X + box.Max.X) / 2, Y: box.Min.Y + 0.5}, name)
	}
}

// MustScatter is Scatter for notebook cells: it panics on error.
func MustScatter(points [][]float64, groups []string, o ScatterOptions) *plot.Plot {
	p, err := Scatter(points, groups, o)
	if err != nil {
		panic(err)
	}
	return p
}

// scatterGroups checks the inputs and returns the sorted group names and, for each, the
// indices of its points.
func scatterGroups(points [][]float64, groups []string, o ScatterOptions) ([]string, [][]int, error) {
	if len(points) == 0 {
		return nil, nil, fmt.Errorf("plots: scatter of no points")
	}
	for i, pt := range points {
		if len(pt) < 2 {
			return nil, nil, fmt.Errorf("plots: scatter point %d has %d coordinates, want 2", i, len(pt))
		}
		if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
			return nil, nil, fmt.Errorf("plots: scatter point %d is (%v, %v), not finite", i, pt[0], pt[1])
		}
	}
	if groups != nil && len(groups) != len(points) {
		return nil, nil, fmt.Errorf("plots: scatter has %d points but %d group names", len(points), len(groups))
	}
	if o.Labels != nil && len(o.Labels) != len(points) {
		return nil, nil, fmt.Errorf("plots: scatter has %d points but %d hover labels", len(points), len(o.Labels))
	}
	if groups == nil {
		all := make([]int, len(points))
		for i := range all {
			all[i] = i
		}
		return []string{""}, [][]int{all}, nil
	}
	index := map[string]int{}
	var names []string
	for _, g := range groups {
		if _, ok := index[g]; !ok {
			index[g] = 0
			names = append(names, g)
		}
	}
	slices.Sort(names)
	for g, name := range names {
		index[name] = g
	}
	members := make([][]int, len(names))
	for i, g := range groups {
		members[index[g]] = append(members[index[g]], i)
	}
	return names, members, nil
}

// ScatterSVG renders [Scatter]'s plot as SVG and, when o.Labels is set, lays over each
// point an invisible circle of the marker's size holding a <title> with its label:
// browsers, and so GoNB notebooks, show it as a tooltip when the mouse rests on the
// point — hover text with no JavaScript, which survives the HTML export. Sizes are
// [Size] options as for [Encode].
func ScatterSVG(points [][]float64, groups []string, o ScatterOptions, opts ...Option) ([]byte, error) {
	p, err := Scatter(points, groups, o)
	if err != nil {
		return nil, err
	}
	svg, err := Encode(p, "svg", opts...)
	if err != nil {
		return nil, fmt.Errorf("plots: rendering scatter: %w", err)
	}
	if o.Labels == nil {
		return svg, nil
	}
	// Where the points land: the same layout computed on a canvas of the same size.
	so := collect(opts)
	dc := draw.Canvas{Canvas: vgsvg.New(so.width, so.height), Rectangle: DataArea(p, opts...)}
	tx, ty := p.Transforms(&dc)
	radius := o.Radius
	if radius == 0 {
		radius = vg.Points(2)
	}
	var overlay bytes.Buffer
	overlay.WriteString(`<g class="hover" fill="#fff" fill-opacity="0">` + "\n")
	h := so.height.Points()
	for i, pt := range points {
		x, y := tx(pt[0]).Points(), h-ty(pt[1]).Points()
		fmt.Fprintf(&overlay, `<circle cx="%.2f" cy="%.2f" r="%.2f"><title>`, x, y, max(radius.Points(), 3))
		if err := xml.EscapeText(&overlay, []byte(o.Labels[i])); err != nil {
			return nil, err
		}
		overlay.WriteString("</title></circle>\n")
	}
	overlay.WriteString("</g>\n")
	end := bytes.LastIndex(svg, []byte("</svg>"))
	if end < 0 {
		return nil, fmt.Errorf("plots: rendered scatter SVG has no closing </svg>")
	}
	out := make([]byte, 0, len(svg)+overlay.Len())
	out = append(out, svg[:end]...)
	out = append(out, overlay.Bytes()...)
	return append(out, svg[end:]...), nil
}

// ShowScatter is [Show] for a scatter plot with hover labels: in a GoNB notebook it
// displays [ScatterSVG]'s SVG inline, so resting the mouse on a point shows its label;
// outside a notebook (or when DAWNCHORUS_FIGURES is set) it saves the same SVG to
// Dir/name.svg, where a browser shows the same tooltips. Formats other than SVG (PNG
// for slides, say) go through Scatter and [Save], without hover.
func ShowScatter(points [][]float64, groups []string, o ScatterOptions, name string, opts ...Option) error {
	if err := checkName(name); err != nil {
		return err
	}
	svg, err := ScatterSVG(points, groups, o, opts...)
	if err != nil {
		return fmt.Errorf("plots: %q: %w", name, err)
	}
	return showSVG(svg, name)
}

// MustShowScatter is ShowScatter for notebook cells: it panics on error.
func MustShowScatter(points [][]float64, groups []string, o ScatterOptions, name string, opts ...Option) {
	if err := ShowScatter(points, groups, o, name, opts...); err != nil {
		panic(err)
	}
}
