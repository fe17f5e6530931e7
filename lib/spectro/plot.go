package spectro

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// grid adapts a Spectrogram to plotter.GridXYZ: columns are frames (time, s), rows
// are bins (frequency, Hz).
type grid struct{ s *Spectrogram }

func (g grid) Dims() (c, r int)   { return g.s.NumFrames, g.s.NumBins }
func (g grid) Z(c, r int) float64 { return float64(g.s.At(c, r)) }
func (g grid) X(c int) float64    { return g.s.TimesSeconds[c] }
func (g grid) Y(r int) float64    { return g.s.FreqsHz[r] }

// Plot renders s as an image with time (s) on the x axis and frequency (Hz) on the
// y axis, dark for low values and bright for high ones (Moreland's extended black
// body map). Linear-frequency spectrograms are drawn as one image, mel spectrograms
// as a heat map whose rows sit at the bands' centre frequencies. Show or save the
// plot with lib/plots; Plot itself draws nothing.
func Plot(s *Spectrogram, title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "frequency (Hz)"
	if s.Mel {
		p.Y.Label.Text = "mel band centre frequency (Hz)"
	}
	if s.NumFrames == 0 || s.NumBins == 0 {
		return p
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	if hi == lo {
		hi = lo + 1
	}
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(lo)
	cm.SetMax(hi)
	if s.Mel || s.NumFrames < 2 || s.NumBins < 2 {
		h := plotter.NewHeatMap(grid{s}, cm.Palette(256))
		h.Min, h.Max = lo, hi
		p.Add(h)
		return p
	}
	img := image.NewRGBA(image.Rect(0, 0, s.NumFrames, s.NumBins))
	for k := 0; k < s.NumFrames; k++ {
		for f := 0; f < s.NumBins; f++ {
			c, err := cm.At(float64(s.At(k, f)))
			if err != nil {
				c = color.Black
			}
			img.Set(k, s.NumBins-1-f, c) // image rows grow downwards, frequency upwards
		}
	}
	dt := s.FrameSeconds / 2
	df := (s.FreqsHz[1] - s.FreqsHz[0]) / 2
	p.Add(plotter.NewImage(img, s.TimesSeconds[0]-dt, s.FreqsHz[0]-df, s.TimesSeconds[s.NumFrames-1]+dt, s.FreqsHz[s.NumBins-1]+df))
	return p
}
