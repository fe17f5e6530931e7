package plots

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/celloutput"
	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

func init() {
	// The course's house style: sans-serif text, easier to read on screens and slides than
	// gonum's default serif. Set before any plot is made, since plots copy the default.
	plot.DefaultFont.Variant = "Sans"
	plotter.DefaultFont.Variant = "Sans"
	// Plots built with gonum's plotutil helpers (AddLinePoints, Color, Shape) in a lesson
	// cell take the house colours and markers too, not gonum's red and green.
	plotutil.DefaultColors = Palette
	plotutil.DefaultGlyphShapes = ScatterShapes
}

// Figure is what Show and Save draw: a *plot.Plot, a Grid, or any type that draws itself
// on a gonum canvas.
type Figure interface {
	Draw(c draw.Canvas)
}

// Default figure size, about the width of a notebook's output area.
var (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 10 * vg.Centimeter
)

// Dir is the directory where Show saves figures outside a notebook. It defaults to
// $DAWNCHORUS_FIGURES, else "figures" under the working directory.
var Dir = figuresDir()

// FiguresEnv names the environment variable that sets Dir, and makes Show also save
// figures from inside a notebook.
const FiguresEnv = "DAWNCHORUS_FIGURES"

func figuresDir() string {
	if d := os.Getenv(FiguresEnv); d != "" {
		return d
	}
	return "figures"
}

// Option changes how a figure is rendered.
type Option func(*options)

type options struct{ width, height vg.Length }

// Size sets the figure's width and height (vg units: vg.Centimeter, vg.Inch, vg.Points).
func Size(width, height vg.Length) Option {
	return func(o *options) { o.width, o.height = width, height }
}

func collect(opts []Option) options {
	o := options{DefaultWidth, DefaultHeight}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Show displays fig inline in a GoNB notebook as SVG. Outside a notebook it saves the
// figure to Dir/name.svg and prints where. name is a file name without extension
// ("loss-curve"); it also titles nothing, so give the plot its own title.
func Show(fig Figure, name string, opts ...Option) error {
	if err := checkName(name); err != nil {
		return err
	}
	svg, err := Encode(fig, "svg", opts...)
	if err != nil {
		return fmt.Errorf("plots: rendering %q: %w", name, err)
	}
	return showSVG(svg, name)
}

// showSVG displays svg inline in a notebook and, outside one or when FiguresEnv is set,
// saves it to Dir/name.svg.
func showSVG(svg []byte, name string) error {
	return show(name, "figure", ".svg", svg, func() { gonbui.DisplaySVG(string(svg)) })
}

// show runs display in a notebook, in the cell's order and never lost when the program
// exits (lib/celloutput), and, outside one or when FiguresEnv is set, saves data to
// Dir/name+ext; outside a notebook it prints where, naming what it saved ("figure").
func show(name, what, ext string, data []byte, display func()) error {
	inNotebook := gonbui.IsNotebook
	if inNotebook {
		celloutput.Before()
		display()
		if err := celloutput.After(fmt.Sprintf("%q", name)); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
	}
	if !inNotebook || os.Getenv(FiguresEnv) != "" {
		path := filepath.Join(Dir, name+ext)
		if err := os.MkdirAll(Dir, 0o755); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		if err := atomicfile.WriteFile(path, data); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		if !inNotebook {
			fmt.Println(what, "saved to", path)
		}
	}
	return nil
}

// MustShow is Show for notebook cells: it panics on error.
func MustShow(fig Figure, name string, opts ...Option) {
	if err := Show(fig, name, opts...); err != nil {
		panic(err)
	}
}

// Save writes fig to path in the format its extension names: .svg, .png, .pdf, .jpg or
// .tiff. The file is written atomically.
func Save(fig Figure, path string, opts ...Option) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	data, err := Encode(fig, format, opts...)
	if err != nil {
		return fmt.Errorf("plots: saving %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// Encode renders fig in format ("svg", "png", "pdf", "jpg", "jpeg", "tif", "tiff") in the
// house style: it first applies [Style] to fig's plots (a *plot.Plot, or each plot of a
// [Grid]) — so legends move beside the data and ticks get short labels — and leaves a
// narrow white margin around the figure. Raster formats are rendered at 144 dots per inch,
// sharp on high-density screens.
func Encode(fig Figure, format string, opts ...Option) ([]byte, error) {
	o := collect(opts)
	if o.width <= 0 || o.height <= 0 {
		return nil, fmt.Errorf("figure size %v × %v: both must be positive", o.width, o.height)
	}
	var canvas interface {
		vg.CanvasWriterTo
	}
	switch format {
	case "svg":
		canvas = vgsvg.New(o.width, o.height)
	case "pdf":
		canvas = vgpdf.New(o.width, o.height)
	case "png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(o.width, o.height), vgimg.UseDPI(144))}
	case "jpg", "jpeg":
		canvas = vgimg.JpegCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(o.width, o.height), vgimg.UseDPI(144))}
	case "tif", "tiff":
		canvas = vgimg.TiffCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(o.width, o.height), vgimg.UseDPI(144))}
	default:
		return nil, fmt.Errorf("unknown figure format %q (want svg, png, pdf, jpg or tiff)", format)
	}
	styleFigure(fig, o.width, o.height)
	var widths *textWidths
	if svg, ok := canvas.(*vgsvg.Canvas); ok {
		widths = &textWidths{Canvas: svg}
		fig.Draw(inMargin(draw.New(widths)))
	} else {
		fig.Draw(inMargin(draw.New(canvas)))
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, err
	}
	if format == "svg" {
		return fixSVGFonts(fixSVGTextLengths(fixSVGImages(buf.Bytes()), widths.points)), nil
	}
	return buf.Bytes(), nil
}

// DataArea returns where p's data area lies when Encode renders p alone with opts: a
// rectangle in points, origin at the figure's bottom left. It applies Style to p first, as
// Encode does, since a legend moved beside the data narrows the area (and one above it
// lowers its top).
func DataArea(p *plot.Plot, opts ...Option) vg.Rectangle {
	o := collect(opts)
	styleFigure(p, o.width, o.height)
	return p.DataCanvas(inMargin(draw.New(vgsvg.New(o.width, o.height)))).Rectangle
}

// inMargin is the part of a figure's canvas that Encode draws the figure on: all of it
// but figureMargin.
func inMargin(c draw.Canvas) draw.Canvas {
	m := figureMargin
	return draw.Crop(c, m.left, -m.right, m.bottom, -m.top)
}

// fixSVGImages mends two faults of gonum/plot v0.17.0's SVG writer in embedded images
// (a spectrogram's heat map, say): it labels PNG data as "image/jpg", which some
// renderers refuse to draw, and it omits preserveAspectRatio="none", so the image keeps
// its pixels' aspect ratio and is shrunk into the middle of its rectangle — off the
// axes it is meant to fill.
func fixSVGImages(svg []byte) []byte {
	svg = bytes.ReplaceAll(svg, []byte(`xlink:href="data:image/jpg;base64,`), []byte(`xlink:href="data:image/png;base64,`))
	return bytes.ReplaceAll(svg, []byte("<image "), []byte(`<image preserveAspectRatio="none" `))
}

// gridPad is the space around and between a Grid's tiles.
const gridPad = vg.Millimeter

// Grid is a figure of plots in rows and columns; a nil entry leaves its tile empty.
// Plots in a column share their horizontal alignment, and plots in a row their vertical
// alignment, as gonum's plot.Align lays them out.
type Grid [][]*plot.Plot

// Draw implements Figure.
func (g Grid) Draw(c draw.Canvas) {
	padded, tiles := g.layout()
	if padded == nil {
		return
	}
	canvases := plot.Align(padded, tiles, c)
	for i := range padded {
		for j, p := range padded[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// layout returns g's rows padded to its widest row with nil tiles, and its tiles' layout
// (nil when g has no rows).
func (g Grid) layout() ([][]*plot.Plot, draw.Tiles) {
	rows := len(g)
	if rows == 0 {
		return nil, draw.Tiles{}
	}
	cols := 0
	for _, row := range g {
		cols = max(cols, len(row))
	}
	padded := make([][]*plot.Plot, rows)
	for i, row := range g {
		padded[i] = make([]*plot.Plot, cols)
		copy(padded[i], row)
	}
	return padded, draw.Tiles{Rows: rows, Cols: cols, PadX: gridPad, PadY: gridPad,
		PadTop: gridPad, PadBottom: gridPad, PadLeft: gridPad, PadRight: gridPad}
}

func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("plots: figure name %q must be a plain file name without extension, like \"loss-curve\"", name)
	}
	return nil
}
