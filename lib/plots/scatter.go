package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Palette is the colour of each group of a scatter plot, in order: the Okabe & Ito
// (2008) palette, told apart by readers with any common colour-vision deficiency, with
// black moved last. Groups beyond its length reuse the colours with another marker
// shape ([ScatterShapes]).
var Palette = []color.Color{
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0x00, 0x00, 0x00, 0xFF}, // black
}

// ScatterShapes are the marker shapes, one per round of the palette: groups 1–8 are
// circles, 9–16 squares, and so on.
var ScatterShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
	draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{},
}

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
	// NoLegend hides the legend (one entry per group), e.g. for hundreds of individuals.
	NoLegend bool
}

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
	for g, name := range names {
		xys := make(plotter.XYs, len(members[g]))
		for t, i := range members[g] {
			xys[t].X, xys[t].Y = points[i][0], points[i][1]
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, nil, fmt.Errorf("plots: scatter group %q: %w", name, err)
		}
		s.GlyphStyle = scatterGlyph(g, radius)
		p.Add(s)
		scatters = append(scatters, s)
		if groups != nil && !o.NoLegend {
			p.Legend.Add(name, s)
		}
	}
	p.Legend.Top = true
	if groups != nil && !o.NoLegend {
		makeRoomForLegend(p, names, points)
	}
	return p, scatters, nil
}

// makeRoomForLegend widens the x axis to the right so that the legend, drawn in the
// top right corner of the data area, sits beside the points instead of over them.
// The room is sized for a figure of DefaultWidth: the legend's widest entry plus its
// marker, as a share of the data area.
func makeRoomForLegend(p *plot.Plot, names []string, points [][]float64) {
	if len(points) == 0 {
		return
	}
	var widest vg.Length
	for _, name := range names {
		widest = max(widest, p.Legend.TextStyle.Width(name))
	}
	legend := widest + p.Legend.ThumbnailWidth + p.Legend.Padding*3
	dataWidth := DefaultWidth - 2*vg.Centimeter   // less the y axis, its label and ticks
	share := 1.3*float64(legend/dataWidth) + 0.03 // fonts render a little wider than measured; a margin
	if share <= 0 || share > 0.6 {
		return // a legend this wide would squeeze the points; let it overlap instead
	}
	xMin, xMax := points[0][0], points[0][0]
	for _, pt := range points {
		xMin, xMax = min(xMin, pt[0]), max(xMax, pt[0])
	}
	if xMax == xMin {
		xMax = xMin + 1
	}
	p.X.Min, p.X.Max = xMin, xMax+(xMax-xMin)*share/(1-share)
}

// MustScatter is Scatter for notebook cells: it panics on error.
func MustScatter(points [][]float64, groups []string, o ScatterOptions) *plot.Plot {
	p, err := Scatter(points, groups, o)
	if err != nil {
		panic(err)
	}
	return p
}

func scatterGlyph(g int, radius vg.Length) draw.GlyphStyle {
	return draw.GlyphStyle{
		Color:  Palette[g%len(Palette)],
		Radius: radius,
		Shape:  ScatterShapes[(g/len(Palette))%len(ScatterShapes)],
	}
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
	c := draw.New(vgsvg.New(so.width, so.height))
	dc := p.DataCanvas(c)
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
