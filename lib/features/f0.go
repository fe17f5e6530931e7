package features

import (
	"fmt"
	"math"
	"sort"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// F0Options configures YIN.
type F0Options struct {
	// FMinHz and FMaxHz bound the F0 searched for, in Hz (FMinHz > 0, FMaxHz < rate/2).
	FMinHz, FMaxHz float64
	// FrameSeconds is the integration window, in seconds; 0 means 2/FMinHz (two
	// periods of the lowest F0).
	FrameSeconds float64
	// HopSeconds is the distance between frames, in seconds; 0 means 5 ms.
	HopSeconds float64
	// Threshold is YIN's absolute threshold on the normalized difference (0.15 when 0).
	Threshold float64
	// SilenceDB: frames whose RMS level is more than SilenceDB below the loudest
	// frame's are unvoiced (40 when 0).
	SilenceDB float64
}

// F0Track is the fundamental frequency over time.
type F0Track struct {
	// TimesSeconds[k] is the centre of frame k.
	TimesSeconds []float64
	// F0Hz[k] is frame k's F0 in Hz, or NaN when the frame is unvoiced.
	F0Hz []float64
}

// F0Summary describes the voiced frames of a track.
type F0Summary struct {
	// MeanHz, MedianHz, MinHz, MaxHz and StdHz summarize F0 over voiced frames (Hz);
	// all NaN when no frame is voiced.
	MeanHz, MedianHz, MinHz, MaxHz, StdHz float64
	// VoicedFraction is the share of frames that are voiced, in [0, 1].
	VoicedFraction float64
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o F0Options) withDefaults() F0Options {
	if o.FrameSeconds == 0 {
		o.FrameSeconds = 2 / o.FMinHz
	}
	if o.HopSeconds == 0 {
		o.HopSeconds = 0.005
	}
	if o.Threshold == 0 {
		o.Threshold = 0.15
	}
	if o.SilenceDB == 0 {
		o.SilenceDB = 40
	}
	return o
}

// F0 estimates the fundamental frequency of mono samples at rateHz, frame by frame.
func F0(samples []float32, rateHz int, o F0Options) (*F0Track, error) {
	rate := float64(rateHz)
	if !(o.FMinHz > 0 && o.FMinHz < o.FMaxHz && o.FMaxHz < rate/2) {
		return nil, fmt.Errorf("features: F0 range %v–%v Hz at %d Hz, want 0 < fmin < fmax < rate/2", o.FMinHz, o.FMaxHz, rateHz)
	}
	o = o.withDefaults()
	// YIN samples its difference function at whole lags; a period of a few samples
	// (a 6 kHz whistle at 22050 Hz is 3.7) is too coarse for that, so the analysis
	// runs on the signal upsampled (band-limited) to at least 8·FMaxHz.
	if up := int(math.Ceil(8 * o.FMaxHz / rate)); up > 1 {
		upsampled, err := audio.Resample(samples, rateHz, rateHz*up)
		if err != nil {
			return nil, err
		}
		samples, rate = upsampled, rate*float64(up)
	}
	window := int(math.Round(o.FrameSeconds * rate))
	hop := max(1, int(math.Round(o.HopSeconds*rate)))
	minLag := max(2, int(math.Floor(rate/o.FMaxHz)))
	maxLag := int(math.Ceil(rate / o.FMinHz))
	span := window + maxLag + 1
	if len(samples) < span {
		return nil, fmt.Errorf("features: %d samples are fewer than one F0 frame (%d samples for a %v s window and %v Hz)", len(samples), span, o.FrameSeconds, o.FMinHz)
	}
	frames := 1 + (len(samples)-span)/hop
	track := &F0Track{TimesSeconds: make([]float64, frames), F0Hz: make([]float64, frames)}
	energies := make([]float64, frames)
	var loudest float64
	for k := range energies {
		var e float64
		for _, v := range samples[k*hop : k*hop+window] {
			e += float64(v) * float64(v)
		}
		energies[k] = e / float64(window)
		loudest = math.Max(loudest, energies[k])
	}
	floor := loudest * math.Pow(10, -o.SilenceDB/10)
	diff := make([]float64, maxLag+2)
	cmnd := make([]float64, maxLag+2)
	for k := 0; k < frames; k++ {
		start := k * hop
		track.TimesSeconds[k] = (float64(start) + float64(window)/2) / rate
		track.F0Hz[k] = math.NaN()
		if energies[k] <= floor || energies[k] == 0 {
			continue
		}
		x := samples[start : start+window+maxLag+1]
		for tau := 1; tau <= maxLag+1; tau++ {
			var d float64
			for j := 0; j < window; j++ {
				delta := float64(x[j]) - float64(x[j+tau])
				d += delta * delta
			}
			diff[tau] = d
		}
		cmnd[0] = 1
		var running float64
		for tau := 1; tau <= maxLag+1; tau++ {
			running += diff[tau]
			if running == 0 {
				cmnd[tau] = 1
			} else {
				cmnd[tau] = diff[tau] * float64(tau) / running
			}
		}
		best := -1
		for tau := minLag; tau <= maxLag; tau++ {
			if cmnd[tau] < o.Threshold {
				for tau+1 <= maxLag && cmnd[tau+1] < cmnd[tau] {
					tau++
				}
				best = tau
				break
			}
		}
		if best == minLag && cmnd[best-1] < cmnd[best] {
			best = -1 // the dip lies below the lowest lag: F0 above FMaxHz
		}
		if best < 0 {
			continue
		}
		// Parabolic interpolation of the dip of the raw difference function (the
		// normalized one is tilted by its τ factor, which biases short periods).
		a, b, c := diff[best-1], diff[best], diff[best+1]
		shift := 0.0
		if den := a - 2*b + c; den > 0 {
			shift = 0.5 * (a - c) / den
		}
		track.F0Hz[k] = rate / (float64(best) + shift)
	}
	return track, nil
}

// Summary summarizes the voiced frames of t.
func (t *F0Track) Summary() F0Summary {
	var voiced []float64
	for _, f := range t.F0Hz {
		if !math.IsNaN(f) {
			voiced = append(voiced, f)
		}
	}
	nan := math.NaN()
	s := F0Summary{MeanHz: nan, MedianHz: nan, MinHz: nan, MaxHz: nan, StdHz: nan}
	if len(t.F0Hz) > 0 {
		s.VoicedFraction = float64(len(voiced)) / float64(len(t.F0Hz))
	}
	if len(voiced) == 0 {
		return s
	}
	sort.Float64s(voiced)
	var sum float64
	for _, f := range voiced {
		sum += f
	}
	s.MeanHz = sum / float64(len(voiced))
	var ss float64
	for _, f := range voiced {
		ss += (f - s.MeanHz) * (f - s.MeanHz)
	}
	s.StdHz = math.Sqrt(ss / float64(len(voiced)))
	s.MinHz, s.MaxHz = voiced[0], voiced[len(voiced)-1]
	s.MedianHz = median(voiced)
	return s
}
