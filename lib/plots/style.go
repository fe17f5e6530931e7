package plots

import (
	"bytes"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The course's figure style is decided here, and every figure package follows it:
//
//   - colours come from [Palette] (Okabe & Ito's colour-blind-safe set) and markers from
//     [ScatterShapes], both chosen by one index ([Color], [Shape], [Glyph], [Line]), so that
//     group k differs from every other of the first 56 in colour or marker and from its
//     neighbours in both;
//   - a legend never lies over the data: [Style], which [Encode] (and so [Show] and [Save])
//     applies to every plot it draws, moves a plot's gonum legend into a margin beside the
//     data area ([LegendOutside]), sized so that nothing of it is clipped; long legends go in
//     columns ([AddLegend]), heat maps get a [ColorBar] in the same margin;
//   - tick labels are short: [Ticks] writes 125000 as "125k" and 0.50 as "0.5";
//   - text is measured with Liberation Sans and the SVG asks for it, or the fonts with the
//     same widths (Arimo, Arial, Helvetica), before any sans-serif; every SVG text carries
//     its measured width (textLength), so that a fallback font is fitted to it instead of
//     running into the data, and a small margin around every figure absorbs what is left.

// Palette is the colour of each group (class, strategy, curve), in order: the Okabe & Ito
// (2008) palette, told apart by readers with any common colour-vision deficiency, ordered
// so that the first colours are the most distinct on white (yellow, the faintest, is last).
// Groups beyond its length change marker shape as well ([Shape]).
var Palette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xFF}, // black
	color.RGBA{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

// ScatterShapes are the marker shapes, chosen by [Shape]. There are 7 for 8 colours, so
// that the pair (colour, shape) of group k repeats only after 56 groups, and groups k and
// k+1 differ in both.
var ScatterShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{},
	draw.RingGlyph{}, draw.BoxGlyph{}, draw.PlusGlyph{},
}

// Color is the colour of group k (0, 1, …): Palette[k mod 8].
func Color(k int) color.Color { return Palette[mod(k, len(Palette))] }

// Shape is the marker of group k: ScatterShapes[k mod 7].
func Shape(k int) draw.GlyphDrawer { return ScatterShapes[mod(k, len(ScatterShapes))] }

// Glyph is the marker style of group k with the given radius (0: 2 points).
func Glyph(k int, radius vg.Length) draw.GlyphStyle {
	if radius == 0 {
		radius = vg.Points(2)
	}
	return draw.GlyphStyle{Color: Color(k), Radius: radius, Shape: Shape(k)}
}

// Line is the line style of curve k: its colour, 1.5 points wide, solid for the first 8
// curves and dashed for the next 8, dotted after that.
func Line(k int) draw.LineStyle {
	s := draw.LineStyle{Color: Color(k), Width: vg.Points(1.5)}
	switch (k / len(Palette)) % 3 {
	case 1:
		s.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		s.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
	}
	return s
}

// Faded is c with the given opacity (0 transparent … 1 opaque), for shaded bands and bars.
func Faded(c color.Color, opacity float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(math.Round(255 * math.Max(0, math.Min(1, opacity))))}
}

// Lighten mixes c with white: amount 0 keeps c, 1 gives white. Background regions (a
// classifier's decision regions) use the lightened colours of their classes.
func Lighten(c color.Color, amount float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) + amount*(255-float64(v>>8)))) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

func mod(k, n int) int { return ((k % n) + n) % n }

// Ticks is the house tick marker: gonum's default choice of ticks, labelled briefly. All
// labels of an axis share one format: with the largest |value| at 100 000 or above they are
// thousands ("125k") or millions ("2.5M"); otherwise plain numbers with as few decimals as
// the tick spacing needs, the same for every label ("0.0 0.5 1.0", "20 40", never
// "125000.00").
type Ticks struct{}

// Ticks implements plot.Ticker.
func (Ticks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	var values []float64
	for _, t := range ticks {
		if t.Label != "" {
			values = append(values, t.Value)
		}
	}
	labels := TickLabels(values)
	k := 0
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = labels[k]
			k++
		}
	}
	return ticks
}

// TickLabels formats the values of an axis's labelled ticks (in increasing order) as
// [Ticks] does.
func TickLabels(values []float64) []string {
	labels := make([]string, len(values))
	if len(values) == 0 {
		return labels
	}
	largest := 0.0
	for _, v := range values {
		largest = math.Max(largest, math.Abs(v))
	}
	scale, suffix := 1.0, ""
	switch {
	case largest >= 1e8:
		scale, suffix = 1e6, "M"
	case largest >= 1e5:
		scale, suffix = 1e3, "k"
	}
	// Decimals: the fewest that tell neighbouring ticks apart, and that write every value
	// exactly to 1e-9 of the spacing (0.25 needs 2 though its neighbours differ at 1).
	spacing := math.Inf(1)
	for i := 1; i < len(values); i++ {
		spacing = math.Min(spacing, (values[i]-values[i-1])/scale)
	}
	decimals := 0
	for ; decimals < 6; decimals++ {
		unit := math.Pow10(-decimals)
		if !math.IsInf(spacing, 1) && spacing < unit*0.999 {
			continue
		}
		exact := true
		for _, v := range values {
			x := v / scale / unit
			if math.Abs(x-math.Round(x)) > 1e-6 {
				exact = false
				break
			}
		}
		if exact {
			break
		}
	}
	for i, v := range values {
		s := strconv.FormatFloat(v/scale, 'f', decimals, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-") // no "-0.0"
			if suffix != "" {
				labels[i] = "0" // not "0k"
				continue
			}
		}
		labels[i] = s + suffix
	}
	return labels
}

// LegendFontSize is the size of legend text, in points: a little smaller than axis labels,
// so that a legend beside the data takes less of the figure's width.
const LegendFontSize = 10

// Style applies the house style to p, in place, and returns it: default tick markers become
// [Ticks], the legend's text is set in [LegendFontSize], and a legend with entries moves
// beside the data area ([LegendOutside]). Encode calls it on every plot it draws (a *plot.Plot
// or every plot of a [Grid]); calling it again changes nothing.
func Style(p *plot.Plot) *plot.Plot {
	if p == nil {
		return p
	}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		switch a.Tick.Marker.(type) {
		case plot.DefaultTicks, *plot.DefaultTicks:
			a.Tick.Marker = Ticks{}
		}
	}
	LegendOutside(p)
	return p
}

// styleFigure applies Style to the plots of fig, drawn width × height, and tells each the
// size it is drawn in (all of it, or a Grid's tile), by which AddLegend's entries choose
// between beside and above the data.
func styleFigure(fig Figure, width, height vg.Length) {
	width -= figureMargin.left + figureMargin.right
	height -= figureMargin.bottom + figureMargin.top
	switch f := fig.(type) {
	case *plot.Plot:
		Style(f)
		setTileSize(f, width, height)
	case SharedColorBar:
		styleFigure(f.Grid, width-f.barSpace()+figureMargin.left+figureMargin.right,
			height+figureMargin.bottom+figureMargin.top)
	case Grid:
		cols := 0
		for _, row := range f {
			cols = max(cols, len(row))
		}
		tileWidth := (width - gridPad*vg.Length(cols+1)) / vg.Length(max(cols, 1))
		tileHeight := (height - gridPad*vg.Length(len(f)+1)) / vg.Length(max(len(f), 1))
		for _, row := range f {
			for _, p := range row {
				if p != nil {
					Style(p)
					setTileSize(p, tileWidth, tileHeight)
				}
			}
		}
	}
}

// fontFamilies is what an SVG asks for in place of gonum's bare "Liberation Sans": the fonts
// of the same widths first (the figure was laid out with Liberation Sans's metrics), then
// any sans-serif rather than the browser's default serif.
const fontFamilies = `font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;`

// fixSVGFonts names fontFamilies in every text style of svg.
func fixSVGFonts(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"), []byte(fontFamilies))
}

// textWidths is an SVG canvas that notes the width of every string drawn on it, in the
// order vgsvg writes them as <text> elements: the widths the figure was laid out with.
type textWidths struct {
	*vgsvg.Canvas
	points []float64
}

// FillString implements vg.Canvas. A string with spaces that SVG collapses (leading,
// trailing or doubled) gets no width, since it is drawn narrower than measured.
func (c *textWidths) FillString(f font.Face, pt vg.Point, s string) {
	w := f.Width(s).Points()
	if strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
		w = 0
	}
	c.points = append(c.points, w)
	c.Canvas.FillString(f, pt, s)
}

// fixSVGTextLengths gives the i-th <text> of svg the length widths[i] (points) with
// lengthAdjust="spacingAndGlyphs": a browser that sets the text in another font than the
// one it was measured with (DejaVu Sans, about 10 % wider than Liberation Sans) squeezes or
// stretches it to the measured width, so that no text runs past its place — a right-aligned
// tick label into the data, a turned class name into a heat map's cells — whatever fonts
// the reader has. Empty texts are left alone; so is an svg whose texts do not match widths
// one for one.
func fixSVGTextLengths(svg []byte, widths []float64) []byte {
	open := []byte("<text ")
	if bytes.Count(svg, open) != len(widths) {
		return svg
	}
	var out bytes.Buffer
	out.Grow(len(svg) + 48*len(widths))
	rest := svg
	for _, w := range widths {
		// The attributes go at the end of the start tag (vgsvg writes no ">" inside it), so
		// that x stays the first attribute.
		i := bytes.Index(rest, open)
		end := i + bytes.IndexByte(rest[i:], '>')
		if end < i {
			return svg
		}
		out.Write(rest[:end])
		rest = rest[end:]
		if w > 0 {
			out.WriteString(` textLength="` + strconv.FormatFloat(w, 'f', 2, 64) + `" lengthAdjust="spacingAndGlyphs"`)
		}
	}
	out.Write(rest)
	return out.Bytes()
}

// figureMargin is the white border Encode leaves around every figure: text that a browser
// sets in a wider fallback font (DejaVu Sans runs about 10 % wider than Liberation Sans)
// grows into it instead of being cut at the figure's edge.
var figureMargin = struct{ left, right, bottom, top vg.Length }{
	left: vg.Points(3), right: vg.Points(8), bottom: vg.Points(3), top: vg.Points(3),
}

// fontSlack is how much wider than measured Style reserves room for text beside the data
// (legends, colour bars), for the same reason.
const fontSlack = 1.12

// bandThumb is a legend thumbnail for a shaded band: a filled rectangle, two thirds of
// the entry's height, in the band's colour.
type bandThumb struct{ colour color.Color }

// Thumbnail implements plot.Thumbnailer.
func (b bandThumb) Thumbnail(c *draw.Canvas) {
	h := (c.Max.Y - c.Min.Y) / 6
	rect := []vg.Point{{X: c.Min.X, Y: c.Min.Y + h}, {X: c.Max.X, Y: c.Min.Y + h}, {X: c.Max.X, Y: c.Max.Y - h}, {X: c.Min.X, Y: c.Max.Y - h}}
	c.FillPolygon(b.colour, rect)
}

// BandThumbnail returns a legend thumbnail for a shaded area of the given colour (a band
// from the lowest to the highest run, a histogram's bars), so that a legend can name what
// the shading means.
func BandThumbnail(c color.Color) plot.Thumbnailer { return bandThumb{c} }
