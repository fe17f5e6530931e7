// Package audioplots draws lib/audio's sound: a waveform, each sample against its time.
// It is apart from lib/audio so that the package that decodes sound imports no plotting
// code (the course's rule: package X computes, X/Xplots draws). Show the plots with
// lib/plots.
package audioplots

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Waveform plots the samples between fromSeconds and toSeconds against their time from
// the start (sample i is at i/rateHz s), as one line in the course's first colour. The
// time axis is in seconds, or in milliseconds when the window is shorter than
// MillisecondsBelow, so that a close-up's ticks read 1200, 1210, not 1.2, 1.21. Samples
// are full-scale amplitudes, float32 as lib/audio decodes them or float64 as a computation
// gives them. The window holds the samples i with fromSeconds ≤ i/rateHz
// < toSeconds (at least one); a window outside the samples, a rate ≤ 0 or a sample that
// is not a finite number is an error naming the value. Show or save the plot with
// lib/plots.
func Waveform[S ~float32 | ~float64](samples []S, rateHz int, fromSeconds, toSeconds float64, title string) (*plot.Plot, error) {
	if rateHz <= 0 {
		return nil, fmt.Errorf("audioplots: waveform %q: sample rate %d Hz, want > 0", title, rateHz)
	}
	// The first sample at or after a time; the millionth of a sample forgives rounding
	// (1.2 s × 22050 Hz is 26460.000000000004 in float64).
	first := func(seconds float64) int { return int(math.Ceil(seconds*float64(rateHz) - 1e-6)) }
	from, to := first(fromSeconds), first(toSeconds)
	if from < 0 || to > len(samples) || from >= to {
		return nil, fmt.Errorf("audioplots: waveform %q: window %g–%g s holds no samples of %d at %d Hz (%.3f s)",
			title, fromSeconds, toSeconds, len(samples), rateHz, float64(len(samples))/float64(rateHz))
	}
	unit, perSecond := "s", 1.0
	if toSeconds-fromSeconds < MillisecondsBelow {
		unit, perSecond = "ms", 1000
	}
	points := make(plotter.XYs, 0, to-from)
	for i := from; i < to; i++ {
		y := float64(samples[i])
		if math.IsNaN(y) || math.IsInf(y, 0) {
			return nil, fmt.Errorf("audioplots: waveform %q: sample %d is %g", title, i, y)
		}
		points = append(points, plotter.XY{X: perSecond * float64(i) / float64(rateHz), Y: y})
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (" + unit + ")"
	p.Y.Label.Text = "amplitude"
	line, err := plotter.NewLine(points)
	if err != nil {
		return nil, fmt.Errorf("audioplots: waveform %q: %w", title, err)
	}
	line.LineStyle = plots.Line(0)
	p.Add(line)
	return p, nil
}

// MillisecondsBelow is the window length, in seconds, under which Waveform's time axis
// is in milliseconds.
const MillisecondsBelow = 0.1

// MustWaveform is Waveform that panics on an error.
func MustWaveform[S ~float32 | ~float64](samples []S, rateHz int, fromSeconds, toSeconds float64, title string) *plot.Plot {
	p, err := Waveform(samples, rateHz, fromSeconds, toSeconds, title)
	if err != nil {
		panic(err)
	}
	return p
}
