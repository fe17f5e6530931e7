package exercises

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
)

// Lesson00 holds the answers to lesson 00's exercises, numbers a student reads off the
// lesson's cells after changing them. Its expected values come from the sweep's formula
// computed here in float64, a second way beside the lesson's GoMLX graph, with the
// lesson's settings: 0.1 s (4410 samples) at 44.1 kHz.
type Lesson00 struct {
	// DownSweepRMS is exercise 1: the RMS of the sweep from 8 kHz down to 3 kHz.
	DownSweepRMS float64
	// HalfAmplitudeRMS is exercise 2: the RMS of 0.5 × the lesson's sweep (2 to 6 kHz).
	HalfAmplitudeRMS float64
	// WaveRatio is exercise 3: how many times as many waves fit in the last 10 ms of the
	// lesson's sweep as in the first 10 ms, counted on the plots.
	WaveRatio float64
}

// The lesson's sweep: 4410 samples at 44.1 kHz, from 2 kHz up to 6 kHz.
const (
	lesson00RateHz     = 44100.0
	lesson00NumSamples = 4410
)

// sweepPhase returns the phase, in waves (cycles), of a linear sweep from f0Hz to f1Hz
// over durationSeconds at t seconds: f0·t + (f1−f0)·t²/(2·T), the formula of the
// lesson's chirpGraph divided by 2π.
func sweepPhase(t, f0Hz, f1Hz, durationSeconds float64) float64 {
	return f0Hz*t + (f1Hz-f0Hz)*t*t/(2*durationSeconds)
}

// sweepRMS returns the RMS of amplitude × the lesson's sampled sweep from f0Hz to f1Hz.
func sweepRMS(f0Hz, f1Hz, amplitude float64) float64 {
	const duration = lesson00NumSamples / lesson00RateHz
	var sumSquares float64
	for i := range lesson00NumSamples {
		x := amplitude * math.Sin(2*math.Pi*sweepPhase(float64(i)/lesson00RateHz, f0Hz, f1Hz, duration))
		sumSquares += x * x
	}
	return math.Sqrt(sumSquares / lesson00NumSamples)
}

// CheckTo prints one line per exercise to w: ✓, or "not yet" with a hint. The RMS
// answers are right within 0.0005 (four decimals, as the lesson prints them); the wave
// ratio, counted by eye, within 15 % of the sweep's: the waves in a stretch of time are
// the growth of its phase.
func (l Lesson00) CheckTo(w io.Writer) error {
	check := selfcheck.NewTo(w)
	check.Near("exercise 1: the RMS of the sweep from 8 kHz down to 3 kHz", l.DownSweepRMS,
		sweepRMS(8000, 3000, 1), 0.0005,
		"swap the sweep's ends (f0Hz is where it starts) and run the RMS cell again")
	check.Near("exercise 2: the RMS of the half-amplitude sweep", l.HalfAmplitudeRMS,
		sweepRMS(2000, 6000, 0.5), 0.0005,
		"scale the sine by 0.5; a sine's RMS is its amplitude divided by √2")
	const duration, tenMs = lesson00NumSamples / lesson00RateHz, 0.010
	first := sweepPhase(tenMs, 2000, 6000, duration) - sweepPhase(0, 2000, 6000, duration)
	last := sweepPhase(duration, 2000, 6000, duration) -
		sweepPhase(duration-tenMs, 2000, 6000, duration)
	check.Between("exercise 3: waves in the last 10 ms per wave in the first", l.WaveRatio,
		last/first/1.15, last/first*1.15,
		"count the waves in each 10 ms of your plot: about 2.0–2.4 kHz at the start, "+
			"5.6–6.0 at the end")
	check.Done()
	return nil
}

// MustCheck prints the checks to standard output, the cell's output in a notebook.
func (l Lesson00) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(fmt.Errorf("exercises: lesson 00: %w", err))
	}
}
