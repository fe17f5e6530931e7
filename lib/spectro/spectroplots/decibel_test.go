package spectroplots

import (
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// TestDecibelPlot draws a 1 kHz tone at 16 kHz: the same dB image as a power spectrogram
// converted by hand (10·log10 of |X|² is 20·log10 of |X|), axes spanning the clip and up
// to Nyquist, an SVG of the asked size, and errors that name what failed.
func TestDecibelPlot(t *testing.T) {
	const rate = 16000
	x := make([]float32, rate/2)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * 1000 * float64(i) / rate))
	}
	p, err := DecibelPlot(x, rate, spectro.Options{}, "tone")
	if err != nil {
		t.Fatal(err)
	}
	power, _ := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: 512, Hop: 128, Center: true})
	db, _ := spectro.ToDecibels(power, spectro.DBOptions{TopDB: 80})
	want := Plot(db, "tone")
	if p.Title.Text != "tone" || math.Abs(p.X.Max-want.X.Max) > 1e-9 || math.Abs(p.Y.Max-want.Y.Max) > 1e-9 || p.Y.Max < 7900 {
		t.Errorf("axes x ≤ %v, y ≤ %v; want those of the power spectrogram in dB, x ≤ %v, y ≤ %v", p.X.Max, p.Y.Max, want.X.Max, want.Y.Max)
	}
	svg, err := DecibelSVG(x, rate, spectro.Options{}, 14, 6)
	if err != nil {
		t.Fatal(err)
	}
	// 14 cm is 396.85 pt.
	if s := string(svg); !strings.Contains(s, "<svg") || !strings.Contains(s, `width="396.85pt"`) {
		t.Errorf("SVG header: %.200s", s)
	}
	if _, err := DecibelSVG(x, 0, spectro.Options{}, 14, 6); err == nil || !strings.Contains(err.Error(), "spectroplots: spectrogram") {
		t.Errorf("sample rate 0: error %v", err)
	}
}
