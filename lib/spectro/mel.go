package spectro

import (
	"fmt"
	"math"
)

// MelScale chooses the Hz↔mel formula.
type MelScale int

const (
	// Slaney is the Auditory Toolbox scale (librosa's default): linear below 1 kHz
	// (mel = f/(200/3)), logarithmic above (mel = 15 + 27·ln(f/1000)/ln 6.4).
	Slaney MelScale = iota
	// HTK is mel = 2595·log10(1 + f/700).
	HTK
)

// HzToMel converts a frequency in Hz to mels on the given scale.
func HzToMel(hz float64, scale MelScale) float64 {
	if scale == HTK {
		return 2595 * math.Log10(1+hz/700)
	}
	const fSp, minLogHz = 200.0 / 3, 1000.0
	if hz < minLogHz {
		return hz / fSp
	}
	return minLogHz/fSp + math.Log(hz/minLogHz)/(math.Log(6.4)/27)
}

// MelToHz converts mels on the given scale to Hz (the inverse of HzToMel).
func MelToHz(mel float64, scale MelScale) float64 {
	if scale == HTK {
		return 700 * (math.Pow(10, mel/2595) - 1)
	}
	const fSp, minLogHz = 200.0 / 3, 1000.0
	minLogMel := minLogHz / fSp
	if mel < minLogMel {
		return mel * fSp
	}
	return minLogHz * math.Exp(math.Log(6.4)/27*(mel-minLogMel))
}

// MelOptions configures a mel filterbank.
type MelOptions struct {
	// NumMels is the number of bands (> 0).
	NumMels int
	// FMinHz and FMaxHz bound the lowest and highest triangle edges; FMaxHz 0 means
	// the Nyquist frequency.
	FMinHz, FMaxHz float64
	// Scale is the mel formula; the zero value is Slaney.
	Scale MelScale
	// SlaneyNorm scales each triangle by 2/(upper−lower edge in Hz) so every band
	// has the same area (librosa's norm="slaney"); false leaves peaks at 1.
	SlaneyNorm bool
}

// Filterbank projects FFT bins onto mel bands. Band m is non-zero only on bins
// Start[m] ≤ f < Start[m]+len(Weights[m]).
type Filterbank struct {
	// NumBins is the number of FFT bins it expects (NFFT/2+1).
	NumBins int
	// Start[m] is the first bin of band m with a non-zero weight.
	Start []int
	// Weights[m][i] is band m's weight on bin Start[m]+i.
	Weights [][]float32
	// CentersHz[m] is the peak frequency of band m's triangle, in Hz.
	CentersHz []float64
	// Scale is the mel scale the bands are equally spaced on.
	Scale MelScale
}

// withDefaults returns o with its zero fields set to their documented
// defaults for a sample rate of rateHz: FMaxHz is the Nyquist frequency.
func (o MelOptions) withDefaults(rateHz int) MelOptions {
	if o.FMaxHz == 0 {
		o.FMaxHz = float64(rateHz) / 2
	}
	return o
}

// NewMelFilterbank builds the triangular filters for an FFT of size nfft at rateHz,
// following librosa.filters.mel: NumMels+2 edges equally spaced in mels between
// FMinHz and FMaxHz; band m rises from edge m to edge m+1 and falls to edge m+2.
func NewMelFilterbank(nfft, rateHz int, o MelOptions) (*Filterbank, error) {
	o = o.withDefaults(rateHz)
	if o.NumMels < 1 || nfft < 2 || rateHz <= 0 || !(o.FMinHz >= 0 && o.FMinHz < o.FMaxHz) || o.FMaxHz > float64(rateHz)/2+1e-9 {
		return nil, fmt.Errorf("spectro: mel filterbank with %d bands, NFFT %d, %d Hz, %v–%v Hz: want bands ≥ 1, 0 ≤ fmin < fmax ≤ rate/2", o.NumMels, nfft, rateHz, o.FMinHz, o.FMaxHz)
	}
	bins := nfft/2 + 1
	freqs := BinFrequenciesHz(nfft, rateHz)
	lo, hi := HzToMel(o.FMinHz, o.Scale), HzToMel(o.FMaxHz, o.Scale)
	edges := make([]float64, o.NumMels+2)
	for i := range edges {
		edges[i] = MelToHz(lo+(hi-lo)*float64(i)/float64(o.NumMels+1), o.Scale)
	}
	fb := &Filterbank{NumBins: bins, Start: make([]int, o.NumMels), Weights: make([][]float32, o.NumMels), CentersHz: make([]float64, o.NumMels), Scale: o.Scale}
	for m := 0; m < o.NumMels; m++ {
		fb.CentersHz[m] = edges[m+1]
		norm := 1.0
		if o.SlaneyNorm {
			norm = 2 / (edges[m+2] - edges[m])
		}
		first, row := -1, []float32(nil)
		for f, hz := range freqs {
			lower := (hz - edges[m]) / (edges[m+1] - edges[m])
			upper := (edges[m+2] - hz) / (edges[m+2] - edges[m+1])
			w := math.Max(0, math.Min(lower, upper)) * norm
			if w > 0 {
				if first < 0 {
					first = f
				}
				row = append(row, float32(w))
			} else if first >= 0 {
				break
			}
		}
		if first < 0 { // a band narrower than one bin: empty, as in librosa
			first = 0
		}
		fb.Start[m], fb.Weights[m] = first, row
	}
	return fb, nil
}

// Dense returns the weights as a NumMels × NumBins matrix (row-major).
func (fb *Filterbank) Dense() [][]float32 {
	out := make([][]float32, len(fb.Weights))
	for m, w := range fb.Weights {
		out[m] = make([]float32, fb.NumBins)
		copy(out[m][fb.Start[m]:], w)
	}
	return out
}

// project writes the mel bands of one power frame into dst.
func (fb *Filterbank) project(dst []float32, power []float64) {
	for m, w := range fb.Weights {
		seg := power[fb.Start[m] : fb.Start[m]+len(w)]
		var acc float64
		for i, p := range seg {
			acc += float64(w[i]) * p
		}
		dst[m] = float32(acc)
	}
}

// Apply projects a power (or magnitude) spectrogram onto the mel bands and returns
// the mel spectrogram, same scale, one row per band.
func (fb *Filterbank) Apply(s *Spectrogram) (*Spectrogram, error) {
	if s.NumBins != fb.NumBins {
		return nil, fmt.Errorf("spectro: filterbank expects %d bins, spectrogram has %d", fb.NumBins, s.NumBins)
	}
	if s.Scale != Power && s.Scale != Magnitude {
		return nil, fmt.Errorf("spectro: mel projection needs a power or magnitude spectrogram, got scale %d", s.Scale)
	}
	nm := len(fb.Weights)
	out := &Spectrogram{Values: make([]float32, s.NumFrames*nm), NumFrames: s.NumFrames, NumBins: nm,
		TimesSeconds: append([]float64(nil), s.TimesSeconds...), FreqsHz: append([]float64(nil), fb.CentersHz...),
		FrameSeconds: s.FrameSeconds, Scale: s.Scale, Mel: true, MelScale: fb.Scale}
	frame := make([]float64, s.NumBins)
	for k := 0; k < s.NumFrames; k++ {
		for f, v := range s.Frame(k) {
			frame[f] = float64(v)
		}
		fb.project(out.Values[k*nm:(k+1)*nm], frame)
	}
	return out, nil
}

// MelSpectrogram computes the mel power spectrogram of mono samples in one pass:
// each frame's power spectrum is projected onto the bands as soon as it is
// computed, so the full-resolution spectrogram is never stored. It runs on all cores.
func MelSpectrogram(samples []float32, rateHz int, o Options, fb *Filterbank) (*Spectrogram, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if fb.NumBins != o.NFFT/2+1 {
		return nil, fmt.Errorf("spectro: filterbank expects %d bins, NFFT %d gives %d", fb.NumBins, o.NFFT, o.NFFT/2+1)
	}
	frames := o.NumFrames(len(samples))
	if frames == 0 {
		return nil, fmt.Errorf("spectro: %d samples are fewer than one %d-sample frame", len(samples), o.NFFT)
	}
	nm := len(fb.Weights)
	s := newSpectrogram(frames, nm, rateHz, o)
	s.Scale, s.Mel, s.MelScale = Power, true, fb.Scale
	s.FreqsHz = append([]float64(nil), fb.CentersHz...)
	framePowers(samples, o, func(_, k int, power []float64) {
		fb.project(s.Values[k*nm:(k+1)*nm], power)
	})
	return s, nil
}
