package spectroplots

import (
	"html"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// TestPlotInRange checks that a fixed range gives a value the same colour in
// two images with different ranges of their own (Plot's stretch would not),
// and that values outside the range take the colour of its ends.
func TestPlotInRange(t *testing.T) {
	// Two 2-frame × 1-band images sharing the value 0.5 in frame 0.
	a := &spectro.Spectrogram{Values: []float32{0.5, 1}, NumFrames: 2, NumBins: 1}
	b := &spectro.Spectrogram{Values: []float32{0.5, 0.6}, NumFrames: 2, NumBins: 1}
	if colorImage(a, 0, 1).At(0, 0) != colorImage(b, 0, 1).At(0, 0) {
		t.Error("0.5 on the range [0, 1] has two colours")
	}
	// Stretched to each image's own range (what Plot does), 1 in a and 0.6 in b
	// look alike; on the common range they do not.
	if colorImage(a, 0.5, 1).At(1, 0) != colorImage(b, 0.5, 0.6).At(1, 0) {
		t.Error("each image's maximum should be brightest on its own range")
	}
	if colorImage(a, 0, 1).At(1, 0) == colorImage(b, 0, 1).At(1, 0) {
		t.Error("1 and 0.6 share a colour on the range [0, 1]")
	}
	clipped := &spectro.Spectrogram{Values: []float32{-3, 7}, NumFrames: 2, NumBins: 1}
	ends := &spectro.Spectrogram{Values: []float32{0, 1}, NumFrames: 2, NumBins: 1}
	for k := 0; k < 2; k++ {
		if colorImage(clipped, 0, 1).At(k, 0) != colorImage(ends, 0, 1).At(k, 0) {
			t.Errorf("frame %d: a value outside [0, 1] is not clipped to the range's end", k)
		}
	}
	s := &spectro.Spectrogram{Values: []float32{0.2, 0.8}, NumFrames: 2, NumBins: 1, TimesSeconds: []float64{0, 0.1}, FreqsHz: []float64{1000}, FrameSeconds: 0.1}
	if p := PlotInRange(s, "fixed", 0, 1); p.Title.Text != "fixed" || p.X.Label.Text != "time (s)" {
		t.Errorf("title %q, x label %q", p.Title.Text, p.X.Label.Text)
	}
}

// TestColorBarBesideImage renders a spectrogram on [0, 1] and checks, in the SVG, that its
// colour bar's tick labels (0.0, 0.5, 1.0) stand right of the image's data area, inside the
// figure, and that the time axis keeps the image's extent (the bar takes room from the
// figure, not from the axis).
func TestColorBarBesideImage(t *testing.T) {
	s := &spectro.Spectrogram{Values: []float32{0, 0.25, 0.5, 1}, NumFrames: 2, NumBins: 2,
		TimesSeconds: []float64{0.05, 0.15}, FreqsHz: []float64{1000, 2000}, FrameSeconds: 0.1}
	p := PlotInRange(s, "image", 0, 1)
	w, h := 12*vg.Centimeter, 8*vg.Centimeter
	svg, err := plots.Encode(p, "svg", plots.Size(w, h))
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 0.2 {
		t.Errorf("time axis [%v, %v], want the image's [0, 0.2]", p.X.Min, p.X.Max)
	}
	// The data area as Encode lays it out (its margin is at most a few points: the bar's
	// labels must clear the area computed without it by more than that).
	data := p.DataCanvas(draw.New(vgsvg.New(w, h)))
	text := regexp.MustCompile(`<text x="([0-9.]+)"[^>]*\n?[^>]*>([^<]*)</text>`)
	found := map[string]bool{}
	for _, m := range text.FindAllStringSubmatch(string(svg), -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		if x > data.Max.X.Points()+10 && x < w.Points() {
			found[m[2]] = true
		}
	}
	for _, want := range []string{"0.0", "0.5", "1.0"} {
		if !found[want] {
			t.Errorf("no colour-bar label %q right of the data area (x > %.1f pt); found %v", want, data.Max.X.Points(), found)
		}
	}
}

// TestPlot draws a dB spectrogram and a mel one of a 1 kHz tone sampled at 16 kHz: the time
// axis spans the signal, the frequency axis 0 Hz to about Nyquist, and the mel axis is
// spaced in mels with ticks labelled in Hz.
func TestPlot(t *testing.T) {
	const rate = 16000
	x := make([]float32, rate/2)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * 1000 * float64(i) / rate))
	}
	s, err := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: 256, Hop: 64})
	if err != nil {
		t.Fatal(err)
	}
	db, _ := spectro.ToDecibels(s, spectro.DBOptions{TopDB: 80})
	fb, _ := spectro.NewMelFilterbank(256, rate, spectro.MelOptions{NumMels: 32})
	mel, _ := fb.Apply(s)
	for _, spec := range []*spectro.Spectrogram{db, mel} {
		p := Plot(spec, "test")
		yMin, yMax := p.Y.Min, p.Y.Max
		if spec.Mel { // the axis runs in mels, labelled in Hz
			yMin, yMax = spectro.MelToHz(yMin, spec.MelScale), spectro.MelToHz(yMax, spec.MelScale)
			ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
			if len(ticks) == 0 || ticks[0].Label != "100" || math.Abs(ticks[0].Value-spectro.HzToMel(100, spectro.Slaney)) > 1e-9 {
				t.Errorf("mel ticks %+v", ticks)
			}
			// Labels at least 7 % of the axis apart: 5000 Hz is labelled, 6000 Hz (closer
			// to it than that in mels) is not.
			labels := map[string]bool{}
			for k, tick := range ticks {
				labels[tick.Label] = true
				if k > 0 && tick.Value-ticks[k-1].Value < 0.07*(p.Y.Max-p.Y.Min) {
					t.Errorf("ticks %s and %s Hz crowd together", ticks[k-1].Label, tick.Label)
				}
			}
			if !labels["5000"] || labels["6000"] {
				t.Errorf("mel tick labels %v: want 5000 and not 6000", labels)
			}
		}
		if p.X.Label.Text != "time (s)" || yMin > 100 || yMax < 7000 || p.X.Max < 0.4 {
			t.Errorf("axes: x %q [%v, %v], y %q [%v, %v]", p.X.Label.Text, p.X.Min, p.X.Max, p.Y.Label.Text, p.Y.Min, p.Y.Max)
		}
		if err := plots.Save(p, filepath.Join(t.TempDir(), "s.png")); err != nil {
			t.Fatal(err)
		}
	}
}

// TestColorBarUnit checks that the colour bar says what the colours measure: the unit of
// each scale a spectrogram can have, drawn in the figure.
func TestColorBarUnit(t *testing.T) {
	for _, tc := range []struct {
		scale spectro.Scale
		want  string
	}{
		{spectro.Magnitude, "magnitude |X|"},
		{spectro.Power, "power |X|²"},
		{spectro.Decibels, "level (dB)"},
		{spectro.Normalized, "normalized level"},
	} {
		if got := Unit(tc.scale); got != tc.want {
			t.Errorf("Unit(%d) = %q, want %q", tc.scale, got, tc.want)
		}
		s := &spectro.Spectrogram{Values: []float32{0, 0.25, 0.5, 1}, NumFrames: 2, NumBins: 2,
			TimesSeconds: []float64{0.05, 0.15}, FreqsHz: []float64{1000, 2000}, FrameSeconds: 0.1,
			Scale: tc.scale}
		svg, err := plots.Encode(Plot(s, "image"), "svg", plots.Size(12*vg.Centimeter, 8*vg.Centimeter))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), ">"+html.EscapeString(tc.want)+"</text>") {
			t.Errorf("scale %d: the figure has no label %q", tc.scale, tc.want)
		}
	}
}

// TestGridInRangeSharesOneBar draws a 2 × 2 grid of images on [0, 1]: GridInRange draws one
// colour bar (its unit label and its tick label 0.5 once, the tick right of every image),
// where tiles of PlotInRange draw one each; and its four images keep one width (the bar
// takes no tile's room).
func TestGridInRangeSharesOneBar(t *testing.T) {
	s := &spectro.Spectrogram{Values: []float32{0, 0.25, 0.5, 1}, NumFrames: 2, NumBins: 2,
		TimesSeconds: []float64{0.05, 0.15}, FreqsHz: []float64{1000, 2000}, FrameSeconds: 0.1,
		Scale: spectro.Normalized}
	unit := Unit(spectro.Normalized)
	images := regexp.MustCompile(`<image [^>]*width="([0-9.]+)"`)
	for _, tc := range []struct {
		name   string
		figure plots.Figure
		bars   int
	}{
		{"GridInRange", GridInRange([][]*Spectrogram{{s, s}, {s, s}},
			[][]string{{"a", "b"}, {"c"}}, 0, 1), 1},
		{"a Grid of PlotInRange", plots.Grid{{PlotInRange(s, "a", 0, 1), PlotInRange(s, "b", 0, 1)},
			{PlotInRange(s, "c", 0, 1), PlotInRange(s, "", 0, 1)}}, 4},
	} {
		svg, err := plots.Encode(tc.figure, "svg")
		if err != nil {
			t.Fatal(err)
		}
		texts, err := plotstest.Texts(svg)
		if err != nil {
			t.Fatal(err)
		}
		labels := plotstest.Find(texts, unit)
		if len(labels) != tc.bars {
			t.Errorf("%s: %d colour bars (unit labels %q), want %d", tc.name, len(labels), unit, tc.bars)
		}
		for _, title := range []string{"a", "b", "c"} {
			if len(plotstest.Find(texts, title)) != 1 {
				t.Errorf("%s: title %q drawn %d times, want once", tc.name, title, len(plotstest.Find(texts, title)))
			}
		}
		widths := images.FindAllStringSubmatch(string(svg), -1)
		if len(widths) != 4 {
			t.Fatalf("%s: %d images, want 4", tc.name, len(widths))
		}
		var right float64 // the right end of the images
		for _, w := range widths[1:] {
			if w[1] != widths[0][1] {
				t.Errorf("%s: images %s and %s pt wide, want one width", tc.name, widths[0][1], w[1])
			}
		}
		for _, m := range regexp.MustCompile(`<image [^>]* x="([0-9.]+)"[^>]*width="([0-9.]+)"`).FindAllStringSubmatch(string(svg), -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			w, _ := strconv.ParseFloat(m[2], 64)
			right = math.Max(right, x+w)
		}
		ticks := plotstest.Find(texts, "0.5")
		if len(ticks) != tc.bars {
			t.Errorf("%s: %d colour-bar ticks 0.5, want %d", tc.name, len(ticks), tc.bars)
		}
		if tc.bars == 1 && len(ticks) == 1 && !(right > 0 && ticks[0].X > right) {
			t.Errorf("%s: the bar's tick 0.5 at x %.1f pt, not right of the images (right end %.1f pt)", tc.name, ticks[0].X, right)
		}
	}
}
