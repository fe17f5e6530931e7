package plots

import (
	"fmt"
	"image/color"
	"math"
	"runtime"
	"sync"
	"weak"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// side is a plotter that draws what belongs beside a plot's data area — legend columns, a
// colour bar — in a margin to the right of it. It reserves the margin through GlyphBoxes:
// gonum shrinks a plot's data area until every plotter's glyph boxes fit in the figure, and
// side reports a box as wide as its items beside the right end of the x axis. So the data
// area narrows, the axes keep their range (nothing is stretched to make room), and nothing
// beside it is drawn over data or cut at the figure's edge.
type side struct {
	items []sideItem
	// entries are AddLegend's entries, also in items as columns beside the data. A legend
	// of them that would take more than a quarter of the plot's width there goes above the
	// data area instead, where it takes at most a quarter of the height ([side.above]).
	entries []LegendEntry
	// tileWidth and tileHeight are the size of the figure (or Grid tile) the plot is drawn
	// in, as Encode lays it out; 0 when unknown, and then everything stays beside the data.
	tileWidth, tileHeight vg.Length
}

// sideItem is one thing in the margin, drawn left to right after the previous one.
type sideItem interface {
	// width is the room the item needs, slack for wider fonts included.
	width() vg.Length
	// draw draws the item in area: its left edge, the data area's top and bottom.
	draw(c draw.Canvas, area vg.Rectangle)
}

// sideGap is the space between the data area and the first item, and between items.
const sideGap = 8 * vg.Length(1)

// besideItems are the items drawn beside the data: all of them, less AddLegend's columns
// when its legend goes above the data.
func (s *side) besideItems(above bool) []sideItem {
	if !above {
		return s.items
	}
	var out []sideItem
	for _, it := range s.items {
		if l, ok := it.(*legendItem); !ok || !l.ofEntries {
			out = append(out, it)
		}
	}
	return out
}

func totalWidth(items []sideItem) vg.Length {
	var w vg.Length
	for _, it := range items {
		w += sideGap + it.width()
	}
	return w
}

// aboveAxisRoom is about what a plot's y axis (its label, tick labels and ticks) takes of
// its width: a legend above the data area is laid out in the tile's width less this.
const aboveAxisRoom = 45 * vg.Length(1)

// aboveLegend is the layout of AddLegend's entries above the data area: columns of rows
// entries each, colWidth apart, height tall in all (the gap below included).
type aboveLegend struct {
	columns  []plot.Legend
	colWidth vg.Length
	height   vg.Length
}

// above returns the layout of s.entries above the data area, or false when they go beside
// it: when the tile's size is unknown, when beside the data they take at most a quarter of
// the tile's width, or when above it they would take more than a quarter of its height.
func (s *side) above() (aboveLegend, bool) {
	if s.tileWidth <= 0 || s.tileHeight <= 0 || len(s.entries) == 0 || totalWidth(s.items) <= s.tileWidth/4 {
		return aboveLegend{}, false
	}
	column := func(entries []LegendEntry) plot.Legend {
		l := plot.NewLegend()
		l.TextStyle.Font.Size = font.Length(LegendFontSize)
		l.ThumbnailWidth = vg.Points(12)
		l.Padding = vg.Points(1)
		l.Top, l.Left = true, true
		for _, e := range entries {
			l.Add(e.Name, e.Thumbs...)
		}
		return l
	}
	all := column(s.entries)
	r := all.Rectangle(draw.Canvas{})
	colWidth := vg.Length(fontSlack*float64(r.Max.X-r.Min.X)) + sideGap
	cols := max(1, min(len(s.entries), int((s.tileWidth-aboveAxisRoom)/colWidth)))
	rows := (len(s.entries) + cols - 1) / cols
	cols = (len(s.entries) + rows - 1) / rows // balanced: 4 entries in 2 × 2, not 3 + 1
	a := aboveLegend{colWidth: colWidth}
	for start := 0; start < len(s.entries); start += rows {
		l := column(s.entries[start:min(start+rows, len(s.entries))])
		r := l.Rectangle(draw.Canvas{})
		a.height = max(a.height, r.Max.Y-r.Min.Y)
		a.columns = append(a.columns, l)
	}
	a.height += sideGap / 2
	if a.height > s.tileHeight/4 {
		return aboveLegend{}, false
	}
	return a, true
}

// Plot implements plot.Plotter: c is the data area.
func (s *side) Plot(c draw.Canvas, _ *plot.Plot) {
	a, above := s.above()
	x := c.Max.X
	for _, it := range s.besideItems(above) {
		x += sideGap
		w := it.width()
		it.draw(c, vg.Rectangle{Min: vg.Point{X: x, Y: c.Min.Y}, Max: vg.Point{X: x + w, Y: c.Max.Y}})
		x += w
	}
	for j, l := range a.columns {
		left := c.Min.X + vg.Length(j)*a.colWidth
		l.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: left, Y: c.Max.Y + sideGap/2},
			Max: vg.Point{X: left + a.colWidth, Y: c.Max.Y + a.height}}})
	}
}

// GlyphBoxes implements plot.GlyphBoxer: one box, as wide as the items beside the data,
// just right of the data area's right edge (normalised x = 1), with no height, so the data
// area keeps its height; and, for a legend above the data, one as tall as the legend on
// the data area's top edge (normalised y = 1), with no width, so the data area keeps its
// width.
func (s *side) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	a, above := s.above()
	boxes := []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: totalWidth(s.besideItems(above))}}}}
	if above {
		boxes = append(boxes, plot.GlyphBox{X: 0, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{Y: a.height}}})
	}
	return boxes
}

// existingSide returns p's side plotter, or nil when it has none.
func existingSide(p *plot.Plot) *side {
	sides.Lock()
	defer sides.Unlock()
	return sides.of[weak.Make(p)]
}

// setTileSize tells p's side plotter, if it has one, the size p is drawn in.
func setTileSize(p *plot.Plot, w, h vg.Length) {
	if s := existingSide(p); s != nil {
		s.tileWidth, s.tileHeight = w, h
	}
}

// The side plotter of each plot, found again when a second item (a colour bar after a
// legend) joins it. Entries go when their plot is collected.
var sides = struct {
	sync.Mutex
	of map[weak.Pointer[plot.Plot]]*side
}{of: map[weak.Pointer[plot.Plot]]*side{}}

// sideOf returns p's side plotter, adding one to p the first time.
func sideOf(p *plot.Plot) *side {
	key := weak.Make(p)
	sides.Lock()
	defer sides.Unlock()
	if s, ok := sides.of[key]; ok {
		return s
	}
	s := &side{}
	sides.of[key] = s
	runtime.AddCleanup(p, func(k weak.Pointer[plot.Plot]) {
		sides.Lock()
		delete(sides.of, k)
		sides.Unlock()
	}, key)
	p.Add(s)
	return s
}

// legendItem is a gonum legend drawn in the margin, its top left at the data area's top.
type legendItem struct {
	legend plot.Legend
	// ofEntries marks a column of AddLegend's entries, which may go above the data instead.
	ofEntries bool
}

func (l *legendItem) width() vg.Length {
	r := l.legend.Rectangle(draw.Canvas{})
	return vg.Length(fontSlack * float64(r.Max.X-r.Min.X))
}

func (l *legendItem) draw(c draw.Canvas, area vg.Rectangle) {
	l.legend.Top, l.legend.Left = true, true
	l.legend.XOffs, l.legend.YOffs = 0, 0
	l.legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: area})
}

// legendEntries reports whether l has any entry: gonum keeps them unexported, but a legend
// with entries has a positive height.
func legendEntries(l *plot.Legend) bool {
	r := l.Rectangle(draw.Canvas{})
	return r.Max.Y-r.Min.Y > 0
}

// LegendOutside moves p's legend (what p.Legend.Add added) into the margin beside the data
// area, its top level with the data's top, and leaves p.Legend empty (its style kept). Its
// text is set in LegendFontSize. A legend with no entries is left alone, so calling it twice
// changes nothing. Style calls it for every plot Encode draws.
func LegendOutside(p *plot.Plot) {
	if !legendEntries(&p.Legend) {
		return
	}
	moved := p.Legend
	moved.TextStyle.Font.Size = font.Length(LegendFontSize)
	moved.ThumbnailWidth = vg.Points(16)
	moved.Padding = vg.Points(1)
	empty := plot.NewLegend()
	empty.TextStyle = p.Legend.TextStyle
	p.Legend = empty
	s := sideOf(p)
	s.items = append(s.items, &legendItem{legend: moved})
}

// LegendEntry is one line of a legend: its text and the thumbnails drawn before it (a line,
// a marker, a shaded band: plotters implement plot.Thumbnailer).
type LegendEntry struct {
	Name   string
	Thumbs []plot.Thumbnailer
}

// legendRows is how many legend entries in the given font size fit beside the data area of
// a figure of DefaultHeight (less its title and x axis).
func legendRows(size float64) int {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = font.Length(size)
	h := l.TextStyle.FontExtents().Height + vg.Points(1)
	return max(1, int((DefaultHeight-vg.Points(68))/h))
}

// AddLegend puts entries beside p's data area (after anything already there): in
// LegendFontSize while they fit in one column beside a figure of DefaultHeight, else in
// 8-point text, in as few balanced columns as that needs. Where they would take more than a
// quarter of the width p is drawn in (a Grid's tile, a narrow figure, long names) and take at
// most a quarter of its height in columns across it, they go above the data area instead,
// in LegendFontSize, so that the data keep the width. Use it for a long legend (a class per
// line, long names); p.Legend.Add and LegendOutside suit a short one.
func AddLegend(p *plot.Plot, entries []LegendEntry) {
	if len(entries) == 0 {
		return
	}
	size := float64(LegendFontSize)
	maxRows := legendRows(size)
	if len(entries) > maxRows {
		size = 8
		maxRows = legendRows(size)
	}
	columns := (len(entries) + maxRows - 1) / maxRows
	rows := (len(entries) + columns - 1) / columns
	s := sideOf(p)
	for start := 0; start < len(entries); start += rows {
		l := plot.NewLegend()
		l.TextStyle.Font.Size = font.Length(size)
		l.ThumbnailWidth = vg.Points(12)
		l.Padding = vg.Points(1)
		for _, e := range entries[start:min(start+rows, len(entries))] {
			l.Add(e.Name, e.Thumbs...)
		}
		s.items = append(s.items, &legendItem{legend: l, ofEntries: true})
	}
	s.entries = append(s.entries, entries...)
}

// colorBar is a vertical colour scale with tick labels on its right and a label, turned a
// quarter, right of them.
type colorBar struct {
	colour   func(v float64) color.Color
	min, max float64
	label    string
	ticks    []plot.Tick
	style    text.Style
}

const (
	barWidth = 10 * vg.Length(1)
	barTick  = 3 * vg.Length(1)
)

func (b *colorBar) width() vg.Length {
	var widest vg.Length
	for _, t := range b.ticks {
		if t.Label != "" {
			widest = max(widest, b.style.Width(t.Label))
		}
	}
	w := barWidth + barTick + 2 + vg.Length(fontSlack*float64(widest))
	if b.label != "" {
		w += 4 + b.style.Rectangle(b.label).Max.Y*fontSlack
	}
	return w
}

func (b *colorBar) draw(c draw.Canvas, area vg.Rectangle) {
	const strips = 128
	y0, y1 := area.Min.Y, area.Max.Y
	x0, x1 := area.Min.X, area.Min.X+barWidth
	for k := range strips {
		v := b.min + (b.max-b.min)*(float64(k)+0.5)/strips
		lo := y0 + (y1-y0)*vg.Length(k)/strips
		hi := y0 + (y1-y0)*vg.Length(k+1)/strips + 0.3 // a hair of overlap: no seams
		c.FillPolygon(b.colour(v), []vg.Point{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: min(hi, y1)}, {X: x0, Y: min(hi, y1)}})
	}
	edge := draw.LineStyle{Color: color.Gray{Y: 80}, Width: vg.Points(0.5)}
	c.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	at := func(v float64) vg.Length { return y0 + (y1-y0)*vg.Length((v-b.min)/(b.max-b.min)) }
	style := b.style
	style.XAlign, style.YAlign = text.XLeft, text.YCenter
	var widest vg.Length
	for _, t := range b.ticks {
		if t.Value < b.min || t.Value > b.max {
			continue
		}
		y := at(t.Value)
		length := barTick
		if t.Label == "" {
			length /= 2
		}
		c.StrokeLine2(edge, x1, y, x1+length, y)
		if t.Label != "" {
			c.FillText(style, vg.Point{X: x1 + barTick + 2, Y: y}, t.Label)
			widest = max(widest, style.Width(t.Label))
		}
	}
	if b.label != "" {
		ls := b.style
		ls.Rotation = -math.Pi / 2
		ls.XAlign, ls.YAlign = text.XCenter, text.YBottom // turned clockwise: the text's bottom faces the bar
		c.FillText(ls, vg.Point{X: x1 + barTick + 2 + vg.Length(fontSlack*float64(widest)) + 4, Y: (y0 + y1) / 2}, b.label)
	}
}

// ColorBar adds a colour bar beside p's data area: colour(v) for v from lo (bottom) to hi
// (top) over the data area's height, with ticks labelled as [Ticks] does and label (the
// values' unit, say; "" for none) turned along its right side. Heat maps use it to say
// what their colours mean.
func ColorBar(p *plot.Plot, colour func(v float64) color.Color, lo, hi float64, label string) error {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return fmt.Errorf("plots: colour bar from %v to %v: want finite lo < hi", lo, hi)
	}
	style := text.Style{Font: font.From(plot.DefaultFont, 10), Handler: plot.DefaultTextHandler, Color: color.Black}
	b := &colorBar{colour: colour, min: lo, max: hi, label: label, ticks: Ticks{}.Ticks(lo, hi), style: style}
	s := sideOf(p)
	s.items = append(s.items, b)
	return nil
}

// PaletteColor returns the colour gonum's plotter.HeatMap gives v when it spreads palette
// over [lo, hi]: the colour bar of such a heat map is ColorBar(p, PaletteColor(colours, lo,
// hi), lo, hi, label).
func PaletteColor(colours []color.Color, lo, hi float64) func(v float64) color.Color {
	return func(v float64) color.Color {
		if len(colours) == 0 {
			return color.Transparent
		}
		if hi <= lo {
			return colours[0]
		}
		k := int((v-lo)*float64(len(colours)-1)/(hi-lo) + 0.5)
		return colours[max(0, min(len(colours)-1, k))]
	}
}

// SharedColorBar is a Grid whose tiles all draw their values on one colour scale (images
// compared colour for colour): one colour bar right of the grid, level with the data areas
// from the top row's to the bottom row's, in place of one bar per tile. Make it with
// NewSharedColorBar; the tiles should carry no colour bar of their own.
type SharedColorBar struct {
	Grid Grid
	bar  *colorBar
}

// NewSharedColorBar returns g with one colour bar for all its tiles: colour(v) for v from
// lo (bottom) to hi (top), ticked and labelled as ColorBar's.
func NewSharedColorBar(g Grid, colour func(v float64) color.Color, lo, hi float64, label string) (SharedColorBar, error) {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return SharedColorBar{}, fmt.Errorf("plots: colour bar from %v to %v: want finite lo < hi", lo, hi)
	}
	style := text.Style{Font: font.From(plot.DefaultFont, 10), Handler: plot.DefaultTextHandler, Color: color.Black}
	return SharedColorBar{Grid: g, bar: &colorBar{colour: colour, min: lo, max: hi, label: label,
		ticks: Ticks{}.Ticks(lo, hi), style: style}}, nil
}

// barSpace is the width SharedColorBar keeps right of its grid for the bar.
func (f SharedColorBar) barSpace() vg.Length { return f.bar.width() + 2*gridPad }

// Draw implements Figure: the grid in all of c but the bar's strip, then the bar.
func (f SharedColorBar) Draw(c draw.Canvas) {
	gridCanvas := draw.Crop(c, 0, -f.barSpace(), 0, 0)
	f.Grid.Draw(gridCanvas)
	top, bottom := c.Max.Y, c.Min.Y
	if areas := f.Grid.dataAreas(gridCanvas); len(areas) > 0 {
		top, bottom = areas[0].Max.Y, areas[len(areas)-1].Min.Y
	}
	x := c.Max.X - f.barSpace() + gridPad
	f.bar.draw(c, vg.Rectangle{Min: vg.Point{X: x, Y: bottom}, Max: vg.Point{X: x + f.bar.width(), Y: top}})
}

// dataAreas returns the data area of the first tile of each row of g that has one, laid
// out in c as Draw lays them out.
func (g Grid) dataAreas(c draw.Canvas) []vg.Rectangle {
	padded, tiles := g.layout()
	if padded == nil {
		return nil
	}
	canvases := plot.Align(padded, tiles, c)
	var areas []vg.Rectangle
	for i, row := range padded {
		for j, p := range row {
			if p != nil {
				areas = append(areas, p.DataCanvas(canvases[i][j]).Rectangle)
				break
			}
		}
	}
	return areas
}
