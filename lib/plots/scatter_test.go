package plots

import (
	"encoding/xml"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestScatterGroupsColoursAndLegend(t *testing.T) {
	points := [][]float64{{0, 0}, {1, 1}, {2, 0}, {3, 1}, {4, 2}}
	groups := []string{"wren", "robin", "wren", "blackbird", "robin"}
	p, plotters, err := scatterPlot(points, groups, ScatterOptions{Title: "UMAP", XLabel: "UMAP 1", YLabel: "UMAP 2"})
	if err != nil {
		t.Fatal(err)
	}
	// One scatter per group, in sorted order, with the palette's colours.
	wantGroups := []struct {
		name string
		xs   []float64
	}{{"blackbird", []float64{3}}, {"robin", []float64{1, 4}}, {"wren", []float64{0, 2}}}
	if len(plotters) != len(wantGroups) {
		t.Fatalf("%d plotters, want %d", len(plotters), len(wantGroups))
	}
	for g, want := range wantGroups {
		s := plotters[g]
		if len(s.XYs) != len(want.xs) {
			t.Fatalf("group %s: %d points, want %d", want.name, len(s.XYs), len(want.xs))
		}
		for i, x := range want.xs {
			if s.XYs[i].X != x {
				t.Errorf("group %s point %d: x = %v, want %v", want.name, i, s.XYs[i].X, x)
			}
		}
		if s.GlyphStyle.Color != Palette[g] {
			t.Errorf("group %s colour %v, want palette[%d] %v", want.name, s.GlyphStyle.Color, g, Palette[g])
		}
	}
	// Legend entries carry the group names: the SVG shows them as text.
	svg, err := Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"blackbird", "robin", "wren", "UMAP 1"} {
		if !strings.Contains(string(svg), ">"+name+"<") {
			t.Errorf("SVG lacks the text %q", name)
		}
	}
}

func TestScatterManyGroupsChangeShape(t *testing.T) {
	n := len(Palette) + 1
	points := make([][]float64, n)
	groups := make([]string, n)
	for i := range points {
		points[i] = []float64{float64(i), 0}
		groups[i] = string(rune('a' + i))
	}
	_, plotters, err := scatterPlot(points, groups, ScatterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first, last := plotters[0].GlyphStyle, plotters[n-1].GlyphStyle
	if first.Color != last.Color || first.Shape == last.Shape {
		t.Errorf("group %d: colour %v shape %T; group 0: %v %T: want the same colour, another shape", n-1, last.Color, last.Shape, first.Color, first.Shape)
	}
	if c, ok := Palette[7].(color.RGBA); !ok || c != (color.RGBA{0xF0, 0xE4, 0x42, 0xFF}) {
		t.Errorf("palette[7] = %v, want Okabe–Ito yellow #F0E442, the faintest, last", Palette[7])
	}
}

type svgCircle struct {
	CX    float64 `xml:"cx,attr"`
	CY    float64 `xml:"cy,attr"`
	Title string  `xml:"title"`
}

func hoverCircles(t *testing.T, svg []byte) []svgCircle {
	t.Helper()
	var root struct {
		Groups []struct {
			Class   string      `xml:"class,attr"`
			Circles []svgCircle `xml:"circle"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(svg, &root); err != nil {
		t.Fatalf("the SVG does not parse: %v", err)
	}
	for _, g := range root.Groups {
		if g.Class == "hover" {
			return g.Circles
		}
	}
	t.Fatal("no hover layer in the SVG")
	return nil
}

func TestScatterSVGHoverTitles(t *testing.T) {
	points := [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}}
	labels := []string{"a.wav 0.0–3.0 s", "b.wav 3.0–6.0 s", "c.wav <noise> & more", "d.wav 9.0–12.0 s"}
	w, h := 12*vg.Centimeter, 9*vg.Centimeter
	svg, err := ScatterSVG(points, []string{"x", "x", "y", "y"}, ScatterOptions{Labels: labels}, Size(w, h))
	if err != nil {
		t.Fatal(err)
	}
	circles := hoverCircles(t, svg)
	if len(circles) != len(points) {
		t.Fatalf("%d hover circles, want %d", len(circles), len(points))
	}
	for i, c := range circles {
		if c.Title != labels[i] {
			t.Errorf("point %d title %q, want %q", i, c.Title, labels[i])
		}
		if c.CX <= 0 || c.CX >= w.Points() || c.CY <= 0 || c.CY >= h.Points() {
			t.Errorf("point %d at (%v, %v) pt: outside the %v × %v pt figure", i, c.CX, c.CY, w.Points(), h.Points())
		}
	}
	// Data x grows rightwards, data y upwards (SVG y grows downwards); equal data
	// coordinates land on equal SVG coordinates.
	if !(circles[1].CX > circles[0].CX && circles[2].CY < circles[0].CY) {
		t.Errorf("orientation: %+v", circles)
	}
	if circles[0].CY != circles[1].CY || circles[0].CX != circles[2].CX || circles[3].CX != circles[1].CX {
		t.Errorf("alignment: %+v", circles)
	}
	// Each hover circle sits on its marker: gonum draws a circle marker as an arc path
	// starting at (x + r, y) in the flipped (y-up) frame of the figure.
	marks := regexp.MustCompile(`<path d="M([0-9.]+),([0-9.]+)A2,2 `).FindAllStringSubmatch(string(svg), -1)
	// Group x's markers are circles, group y's squares (plots.Shape): 2 points of x and its
	// legend entry.
	if len(marks) != 2+1 {
		t.Fatalf("%d circle markers in the SVG, want group x's 2 points and its legend entry", len(marks))
	}
	// Markers are drawn group by group (x = {0, 1}, then y = {2, 3}, the circles'
	// order), before the legend's.
	for i, m := range marks[:2] {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		if math.Abs(x-2-circles[i].CX) > 0.01 || math.Abs(h.Points()-y-circles[i].CY) > 0.01 {
			t.Errorf("point %d: marker centre (%v, %v), hover circle (%v, %v)", i, x-2, h.Points()-y, circles[i].CX, circles[i].CY)
		}
	}
	// Without labels, no hover layer.
	plain, err := ScatterSVG(points, nil, ScatterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(plain), `class="hover"`) {
		t.Error("hover layer drawn without labels")
	}
}

func TestShowScatterSavesSVGOutsideNotebook(t *testing.T) {
	old := Dir
	Dir = t.TempDir()
	defer func() { Dir = old }()
	err := ShowScatter([][]float64{{0, 0}, {1, 2}}, []string{"a", "b"}, ScatterOptions{Labels: []string{"one", "two"}}, "umap-by-class")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(Dir, "umap-by-class.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if got := hoverCircles(t, data); len(got) != 2 || got[1].Title != "two" {
		t.Errorf("saved figure's hover circles %+v", got)
	}
}

func TestScatterBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		points [][]float64
		groups []string
		o      ScatterOptions
		want   string
	}{
		{"empty", nil, nil, ScatterOptions{}, "no points"},
		{"1-D", [][]float64{{1, 2}, {3}}, nil, ScatterOptions{}, "point 1 has 1 coordinates"},
		{"groups", [][]float64{{1, 2}}, []string{"a", "b"}, ScatterOptions{}, "1 points but 2 group names"},
		{"labels", [][]float64{{1, 2}}, nil, ScatterOptions{Labels: []string{}}, "1 points but 0 hover labels"},
		{"nan", [][]float64{{1, 2}, {0, nan()}}, nil, ScatterOptions{}, "point 1 is (0, NaN), not finite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scatter(tc.points, tc.groups, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if err := ShowScatter([][]float64{{1, 2}}, nil, ScatterOptions{}, "a/b"); err == nil {
		t.Error("ShowScatter accepted a name with a slash")
	}
}

func nan() float64 { var z float64; return z / z }
