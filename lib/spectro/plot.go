package spectro

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// melTicks labels an axis whose coordinates are mels with round frequencies in Hz.
type melTicks struct{ scale MelScale }

var melTickHz = []float64{100, 200, 500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 16000, 20000, 24000}

func (m melTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for _, hz := range melTickHz {
		if mel := HzToMel(hz, m.scale); mel >= min && mel <= max {
			ticks = append(ticks, plot.Tick{Value: mel, Label: strconv.FormatFloat(hz, 'f', -1, 64)})
		}
	}
	return ticks
}

// Plot renders s as an image with time (s) on the x axis and frequency (Hz) on the
// y axis, dark for low values and bright for high ones (Moreland's extended black
// body map). A mel spectrogram's y axis is labelled in Hz but spaced in mels, so
// its bands are rows of equal height. Show or save the plot with lib/plots; Plot
// itself draws nothing.
func Plot(s *Spectrogram, title string) *plot.Plot {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	return PlotInRange(s, title, lo, hi)
}

// PlotInRange is Plot with the colours fixed: lo is the darkest and hi the
// brightest, values outside are clipped to them. Several images drawn with the
// same range compare colour for colour (a front-end image and its augmented
// versions on [0, 1], say), where Plot stretches each image's own range.
func PlotInRange(s *Spectrogram, title string, lo, hi float64) *plot.Plot {
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
	img := colorImage(s, lo, hi)
	dt := s.FrameSeconds / 2
	if dt == 0 {
		dt = 0.5
	}
	// Rows are equally spaced in Hz, or for mel bands in mels: then the y axis is
	// drawn in mels, labelled with frequencies in Hz. The image extends half a row
	// beyond the first and last centres.
	toAxis := func(hz float64) float64 { return hz }
	if s.Mel {
		toAxis = func(hz float64) float64 { return HzToMel(hz, s.MelScale) }
		p.Y.Tick.Marker = melTicks{s.MelScale}
	}
	first, last := toAxis(s.FreqsHz[0]), toAxis(s.FreqsHz[s.NumBins-1])
	half := 0.5
	if s.NumBins > 1 {
		half = (last - first) / float64(s.NumBins-1) / 2
	}
	low, high := first-half, last+half
	p.Add(plotter.NewImage(img, s.TimesSeconds[0]-dt, low, s.TimesSeconds[s.NumFrames-1]+dt, high))
	return p
}

// colorImage maps s's values to colours, lo darkest and hi brightest (values
// outside clipped), frame k in column k and low frequencies at the bottom.
func colorImage(s *Spectrogram, lo, hi float64) *image.RGBA {
	if !(hi > lo) {
		hi = lo + 1
	}
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(lo)
	cm.SetMax(hi)
	img := image.NewRGBA(image.Rect(0, 0, s.NumFrames, s.NumBins))
	for k := 0; k < s.NumFrames; k++ {
		for f := 0; f < s.NumBins; f++ {
			c, err := cm.At(math.Min(hi, math.Max(lo, float64(s.At(k, f)))))
			if err != nil {
				c = color.Black
			}
			img.Set(k, s.NumBins-1-f, c) // image rows grow downwards, frequency upwards
		}
	}
	return img
}
