// Package plotstest reads back what lib/plots drew, for tests that check a figure's
// structure rather than its pixels: every text of an SVG with its place, size and colour,
// and the colours its shapes are filled or stroked with.
package plotstest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Text is one <text> element of an SVG written by gonum's vgsvg: its content, where it
// starts (points, origin at the figure's bottom left like gonum's canvases), its font size
// (points) and whether it is turned (a rotated axis label, say; then X and Y are in the
// turned frame and say little).
type Text struct {
	Text    string
	X, Y    float64
	Size    float64
	Rotated bool
	// Length is the text's textLength attribute (points; 0 when it has none): the width a
	// renderer must give it whatever font it sets it in.
	Length float64
}

// Width is the text's width in points, measured as gonum lays it out (Liberation Sans).
func (t Text) Width() float64 {
	f := plot.DefaultFont
	f.Variant = "Sans" // lib/plots's house font
	s := text.Style{Font: font.From(f, font.Length(t.Size)), Handler: plot.DefaultTextHandler}
	return s.Width(t.Text).Points()
}

// Right is where the text ends: X + Width.
func (t Text) Right() float64 { return t.X + t.Width() }

var (
	sizeRE  = regexp.MustCompile(`font-size:([0-9.]+)px`)
	scaleRE = regexp.MustCompile(`^scale\(1, -1\)$`)
)

// Texts returns the texts of svg in document order.
func Texts(svg []byte) ([]Text, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	var out []Text
	var rotated []bool // per open <g>: whether it or a group around it turns its content
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("plotstest: %w", err)
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "g" && len(rotated) > 0 {
			rotated = rotated[:len(rotated)-1]
			continue
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local == "g" {
			turned := len(rotated) > 0 && rotated[len(rotated)-1]
			for _, a := range start.Attr {
				turned = turned || (a.Name.Local == "transform" && strings.Contains(a.Value, "rotate"))
			}
			rotated = append(rotated, turned)
			continue
		}
		if start.Name.Local != "text" {
			continue
		}
		var t Text
		var transform string
		for _, a := range start.Attr {
			switch a.Name.Local {
			case "x":
				t.X, _ = strconv.ParseFloat(a.Value, 64)
			case "y":
				t.Y, _ = strconv.ParseFloat(a.Value, 64)
			case "transform":
				transform = a.Value
			case "textLength":
				t.Length, _ = strconv.ParseFloat(a.Value, 64)
			case "style":
				if m := sizeRE.FindStringSubmatch(a.Value); m != nil {
					t.Size, _ = strconv.ParseFloat(m[1], 64)
				}
			}
		}
		var content struct {
			Text string `xml:",chardata"`
		}
		if err := d.DecodeElement(&content, &start); err != nil {
			return nil, fmt.Errorf("plotstest: %w", err)
		}
		t.Text = strings.TrimSpace(content.Text)
		t.Rotated = (len(rotated) > 0 && rotated[len(rotated)-1]) || !scaleRE.MatchString(transform)
		if !t.Rotated {
			t.Y = -t.Y // vgsvg writes text in a frame flipped back upright
		}
		out = append(out, t)
	}
}

// Find returns the texts whose content is s.
func Find(texts []Text, s string) []Text {
	var out []Text
	for _, t := range texts {
		if t.Text == s {
			out = append(out, t)
		}
	}
	return out
}

// colourRE matches the colours vgsvg writes in fill and stroke styles.
var colourRE = regexp.MustCompile(`(?:fill|stroke):(#[0-9A-Fa-f]{6})`)

// Colours returns how many times each colour ("#RRGGBB", upper case) fills or strokes
// something in svg.
func Colours(svg []byte) map[string]int {
	out := map[string]int{}
	for _, m := range colourRE.FindAllSubmatch(svg, -1) {
		out[strings.ToUpper(string(m[1]))]++
	}
	return out
}

// Inside reports whether the text lies within r horizontally (its start and its end).
func Inside(t Text, r vg.Rectangle) bool {
	return t.X >= r.Min.X.Points()-0.01 && t.Right() <= r.Max.X.Points()+0.01
}

// Render encodes fig as an SVG in lib/plots' style (with opts) and returns its texts,
// failing t when either step fails: the first two steps of every figure test.
func Render(t testing.TB, fig plots.Figure, opts ...plots.Option) []Text {
	t.Helper()
	svg, err := plots.Encode(fig, "svg", opts...)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	return texts
}
