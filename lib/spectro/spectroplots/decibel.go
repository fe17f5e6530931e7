package spectroplots

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// DecibelPlot computes the magnitude spectrogram of mono samples at sampleRateHz with o
// (the zero value means NFFT 512, hop 128, centred frames) and draws it in dB over its
// top 80 dB, 0 dB at its loudest point ([Plot]): how the course shows one clip.
func DecibelPlot(samples []float32, sampleRateHz int, o spectro.Options, title string) (*plot.Plot, error) {
	if o == (spectro.Options{}) {
		o = spectro.Options{NFFT: 512, Hop: 128, Center: true}
	}
	s, err := spectro.MagnitudeSpectrogram(samples, sampleRateHz, o)
	if err != nil {
		return nil, fmt.Errorf("spectroplots: spectrogram: %w", err)
	}
	if s, err = spectro.ToDecibels(s, spectro.DBOptions{TopDB: 80}); err != nil {
		return nil, fmt.Errorf("spectroplots: spectrogram in dB: %w", err)
	}
	return Plot(s, title), nil
}

// MustDecibelPlot is DecibelPlot for notebooks: it panics on error.
func MustDecibelPlot(samples []float32, sampleRateHz int, o spectro.Options, title string) *plot.Plot {
	p, err := DecibelPlot(samples, sampleRateHz, o, title)
	if err != nil {
		panic(err)
	}
	return p
}

// DecibelSVG is DecibelPlot, untitled, encoded as an SVG image widthCm × heightCm
// centimetres: the picture an HTML page embeds (lib/active/activeui's labelling cards).
func DecibelSVG(samples []float32, sampleRateHz int, o spectro.Options, widthCm, heightCm float64) ([]byte, error) {
	p, err := DecibelPlot(samples, sampleRateHz, o, "")
	if err != nil {
		return nil, err
	}
	svg, err := plots.Encode(p, "svg", plots.Size(vg.Length(widthCm)*vg.Centimeter, vg.Length(heightCm)*vg.Centimeter))
	if err != nil {
		return nil, fmt.Errorf("spectroplots: drawing the spectrogram: %w", err)
	}
	return svg, nil
}
