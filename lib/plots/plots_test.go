package plots

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func linePlot(t *testing.T, title string) *plot.Plot {
	t.Helper()
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 2}, {X: 2, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(line)
	return p
}

func TestEncodeFormats(t *testing.T) {
	p := linePlot(t, "encode")
	tests := []struct {
		format string
		check  func(t *testing.T, data []byte)
	}{
		{"svg", func(t *testing.T, data []byte) {
			var root struct {
				XMLName xml.Name
				Width   string `xml:"width,attr"`
			}
			if err := xml.Unmarshal(data, &root); err != nil || root.XMLName.Local != "svg" {
				t.Fatalf("not an SVG document: %v (root %q)", err, root.XMLName.Local)
			}
			if !bytes.Contains(data, []byte("time (s)")) {
				t.Error("axis label missing from the SVG")
			}
			if bytes.Contains(data, []byte("http://cdn")) || bytes.Contains(data, []byte("<script")) {
				t.Error("SVG refers to a script or CDN")
			}
		}},
		{"png", func(t *testing.T, data []byte) {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			// 10 cm × 5 cm at 144 dpi: 10/2.54*144 ≈ 567 by 283 pixels.
			if b := img.Bounds(); b.Dx() != 567 || b.Dy() != 283 {
				t.Errorf("PNG is %d×%d pixels, want 567×283", b.Dx(), b.Dy())
			}
		}},
		{"pdf", func(t *testing.T, data []byte) {
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Errorf("PDF starts with %q", data[:min(8, len(data))])
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			data, err := Encode(p, tc.format, Size(10*vg.Centimeter, 5*vg.Centimeter))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, data)
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	p := linePlot(t, "x")
	if _, err := Encode(p, "gif"); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("unknown format: error = %v, want one naming it", err)
	}
	if _, err := Encode(p, "svg", Size(0, vg.Inch)); err == nil {
		t.Error("zero width accepted")
	}
}

func TestShowOutsideNotebookSavesFile(t *testing.T) {
	Dir = t.TempDir()
	if err := Show(linePlot(t, "shown"), "loss-curve"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(Dir, "loss-curve.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("shown")) {
		t.Error("saved figure lacks its title")
	}
	for _, bad := range []string{"", "a/b", `a\b`, ".."} {
		if err := Show(linePlot(t, "x"), bad); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
}

func TestSaveByExtensionAndGrid(t *testing.T) {
	dir := t.TempDir()
	grid := Grid{{linePlot(t, "top left"), linePlot(t, "top right")}, {linePlot(t, "bottom")}}
	for _, name := range []string{"grid.svg", "grid.png", "grid.PDF"} {
		if err := Save(grid, filepath.Join(dir, name)); err != nil {
			t.Fatalf("Save %s: %v", name, err)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "grid.svg"))
	for _, title := range []string{"top left", "top right", "bottom"} {
		if !bytes.Contains(svg, []byte(title)) {
			t.Errorf("grid SVG lacks the tile %q", title)
		}
	}
	if err := Save(grid, filepath.Join(dir, "grid.bmp")); err == nil || !strings.Contains(err.Error(), "grid.bmp") {
		t.Errorf("unknown extension: error = %v, want one naming the file", err)
	}
}

// TestSVGImageFillsItsRectangle checks that an image drawn in a plot (as a heat map
// draws its cells) is embedded as PNG and stretched over the rectangle it was given,
// not letter-boxed inside it.
func TestSVGImageFillsItsRectangle(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 200, 10)) // very wide pixels, like a spectrogram
	p := plot.New()
	p.Add(plotter.NewImage(img, 0, 0, 1, 1))
	data, err := Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	count := bytes.Count(data, []byte("<image "))
	if count != 1 {
		t.Fatalf("SVG holds %d images, want 1", count)
	}
	if !bytes.Contains(data, []byte(`<image preserveAspectRatio="none" `)) {
		t.Error(`embedded image lacks preserveAspectRatio="none"`)
	}
	i := bytes.Index(data, []byte("data:image/png;base64,"))
	if i < 0 {
		t.Fatal("embedded image is not labelled image/png")
	}
	b64 := data[i+len("data:image/png;base64,"):]
	b64 = b64[:bytes.IndexByte(b64, '"')]
	raw, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Errorf("data labelled image/png is not PNG: %v", err)
	}
}
