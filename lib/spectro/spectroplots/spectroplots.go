// Package spectroplots draws lib/spectro's spectrograms: an image with time (s) across,
// frequency (Hz) up — mel bands labelled in Hz — and a colour bar saying what the colours
// mean. It is apart from lib/spectro so that the numeric package imports no plotting code
// (the course's rule: package X computes, X/Xplots draws). Show the plots with lib/plots.
package spectroplots

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// Spectrogram is lib/spectro's spectrogram, the type every function here draws.
type Spectrogram = spectro.Spectrogram

// melTicks labels an axis whose coordinates are mels with round frequencies in Hz.
type melTicks struct{ scale spectro.MelScale }

var melTickHz = []float64{100, 200, 500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 16000, 20000, 24000}

// Ticks implements plot.Ticker. A frequency whose label would sit within 7 % of the axis of
// the last one labelled is left out (high frequencies crowd together in mels), so labels
// never overlap on a short axis.
func (m melTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for _, hz := range melTickHz {
		mel := spectro.HzToMel(hz, m.scale)
		if mel < min || mel > max {
			continue
		}
		if n := len(ticks); n > 0 && mel-ticks[n-1].Value < 0.07*(max-min) {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: mel, Label: strconv.FormatFloat(hz, 'f', -1, 64)})
	}
	return ticks
}

// Plot renders s as an image with time (s) on the x axis and frequency (Hz) on the
// y axis, dark for low values and bright for high ones (Moreland's extended black
// body map), from its lowest value to its highest, with a colour bar of that range
// beside it, labelled with s's unit ([Unit]: power, dB or an image's [0, 1]). A mel
// spectrogram's y axis is labelled in Hz but spaced in mels, so its bands are rows of
// equal height.
// Show or save the plot with lib/plots; Plot itself draws nothing.
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
	p := plotInRange(s, title, lo, hi)
	if s.NumFrames == 0 || s.NumBins == 0 {
		return p
	}
	lo, hi = colorRange(lo, hi)
	// The range is checked by colorRange: ColorBar cannot fail on it.
	_ = plots.ColorBar(p, barColour(lo, hi), lo, hi, Unit(s.Scale))
	return p
}

// GridInRange draws spectrograms in rows, as PlotInRange does, all on the colour scale
// [lo, hi], with one colour bar right of the grid for all of them in place of one per
// tile (labelled with the first spectrogram's unit: give it spectrograms of one scale).
// titles has the shape of rows (a missing title is ""); a nil spectrogram leaves its tile
// empty.
func GridInRange(rows [][]*Spectrogram, titles [][]string, lo, hi float64) plots.SharedColorBar {
	grid := make(plots.Grid, len(rows))
	unit := ""
	for i, row := range rows {
		grid[i] = make([]*plot.Plot, len(row))
		for j, s := range row {
			if s == nil {
				continue
			}
			title := ""
			if i < len(titles) && j < len(titles[i]) {
				title = titles[i][j]
			}
			if unit == "" {
				unit = Unit(s.Scale)
			}
			grid[i][j] = plotInRange(s, title, lo, hi)
		}
	}
	lo, hi = colorRange(lo, hi)
	// The range is checked by colorRange: NewSharedColorBar cannot fail on it.
	figure, _ := plots.NewSharedColorBar(grid, barColour(lo, hi), lo, hi, unit)
	return figure
}

// barColour is the colour bar's colour of v on the scale [lo, hi] (a usable range).
func barColour(lo, hi float64) func(v float64) color.Color {
	cm := colorMap(lo, hi)
	return func(v float64) color.Color {
		c, err := cm.At(math.Min(hi, math.Max(lo, v)))
		if err != nil {
			return color.Black
		}
		return c
	}
}

// plotInRange is PlotInRange without its colour bar.
func plotInRange(s *Spectrogram, title string, lo, hi float64) *plot.Plot {
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
		toAxis = func(hz float64) float64 { return spectro.HzToMel(hz, s.MelScale) }
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

// Unit names what a spectrogram's values are, in the words of its colour bar's label:
// |X| or |X|² of the STFT (of full-scale samples), decibels (0 dB at ToDecibels' Ref, by
// default the spectrogram's maximum), or a level rescaled by Normalize or a front end.
func Unit(scale spectro.Scale) string {
	switch scale {
	case spectro.Magnitude:
		return "magnitude |X|"
	case spectro.Power:
		return "power |X|²"
	case spectro.Decibels:
		return "level (dB)"
	case spectro.Normalized:
		return "normalized level"
	}
	return ""
}

// colorRange is [lo, hi] made usable: an empty or reversed range (a silent clip's
// spectrogram, all one value) becomes [lo, lo+1].
func colorRange(lo, hi float64) (float64, float64) {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return lo, lo + 1
	}
	return lo, hi
}

// colorMap is the spectrograms' colour map, Moreland's extended black body, over [lo, hi].
func colorMap(lo, hi float64) interface {
	At(float64) (color.Color, error)
} {
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm
}

// colorImage maps s's values to colours, lo darkest and hi brightest (values
// outside clipped), frame k in column k and low frequencies at the bottom.
func colorImage(s *Spectrogram, lo, hi float64) *image.RGBA {
	lo, hi = colorRange(lo, hi)
	cm := colorMap(lo, hi)
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
