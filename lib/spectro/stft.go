package spectro

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Window is the taper applied to each frame before its FFT.
type Window int

const (
	// Hann is the periodic Hann window 0.5−0.5·cos(2πn/N) (scipy's get_window("hann", N)).
	Hann Window = iota
	// Hamming is the periodic Hamming window 0.54−0.46·cos(2πn/N).
	Hamming
	// Blackman is the periodic Blackman window 0.42−0.5·cos(2πn/N)+0.08·cos(4πn/N).
	Blackman
	// Rectangular applies no taper.
	Rectangular
)

// Coefficients returns the window's n coefficients (periodic form).
func (w Window) Coefficients(n int) []float64 {
	c := make([]float64, n)
	for i := range c {
		x := 2 * math.Pi * float64(i) / float64(n)
		switch w {
		case Hann:
			c[i] = 0.5 - 0.5*math.Cos(x)
		case Hamming:
			c[i] = 0.54 - 0.46*math.Cos(x)
		case Blackman:
			c[i] = 0.42 - 0.5*math.Cos(x) + 0.08*math.Cos(2*x)
		default:
			c[i] = 1
		}
	}
	return c
}

// Scale says what a spectrogram's values are.
type Scale int

const (
	// Magnitude values are |X| (full-scale amplitude × window sum).
	Magnitude Scale = iota
	// Power values are |X|².
	Power
	// Decibels values are 10·log10(power/ref) (or 20·log10(magnitude/ref)).
	Decibels
	// Normalized values have been rescaled by Normalize.
	Normalized
)

// Options configures an STFT.
type Options struct {
	// NFFT is the frame length and FFT size in samples (> 1).
	NFFT int
	// Hop is the distance between frame starts in samples (> 0).
	Hop int
	// Window tapers each frame; the zero value is Hann.
	Window Window
	// Center pads NFFT/2 zeros on both sides so frame k is centred on sample k·Hop.
	Center bool
}

func (o Options) check() error {
	if o.NFFT < 2 {
		return fmt.Errorf("spectro: NFFT %d, want ≥ 2", o.NFFT)
	}
	if o.Hop < 1 {
		return fmt.Errorf("spectro: hop %d samples, want ≥ 1", o.Hop)
	}
	return nil
}

// NumFrames is the number of frames an STFT of n samples has: 1+(n−NFFT)/Hop
// (1+n/Hop with Center), 0 when the signal is shorter than one frame.
func (o Options) NumFrames(n int) int {
	if o.Center {
		n += 2 * (o.NFFT / 2)
	}
	if n < o.NFFT {
		return 0
	}
	return 1 + (n-o.NFFT)/o.Hop
}

// Spectrogram is a time-frequency image, frame-major.
type Spectrogram struct {
	// Values[k*NumBins+f] is the value of frame k, bin f, in the unit Scale says.
	Values []float32
	// NumFrames and NumBins are the image's dimensions.
	NumFrames, NumBins int
	// TimesSeconds[k] is the centre of frame k, in seconds from the start.
	TimesSeconds []float64
	// FreqsHz[f] is the centre frequency of bin (or mel band) f, in Hz.
	FreqsHz []float64
	// FrameSeconds is the spacing of frames (Hop/rate), in seconds.
	FrameSeconds float64
	// Scale says what the values are.
	Scale Scale
	// Mel is true when the rows are mel bands rather than FFT bins.
	Mel bool
	// MelScale is the scale the mel bands are equally spaced on (when Mel).
	MelScale MelScale
}

// At returns the value of frame k, bin f.
func (s *Spectrogram) At(k, f int) float32 { return s.Values[k*s.NumBins+f] }

// Frame returns frame k's values (a view into Values).
func (s *Spectrogram) Frame(k int) []float32 { return s.Values[k*s.NumBins : (k+1)*s.NumBins] }

// framePowers runs the STFT and calls sink(k, power) for every frame k, from
// several goroutines at once (each frame exactly once; power is reused after sink
// returns). worker identifies the goroutine (0 ≤ worker < workers) so sinks can
// keep per-worker scratch space.
func framePowers(samples []float32, o Options, sink func(worker, k int, power []float64)) (frames, workers int) {
	frames = o.NumFrames(len(samples))
	if frames == 0 {
		return 0, 0
	}
	pad := 0
	if o.Center {
		pad = o.NFFT / 2
	}
	win := o.Window.Coefficients(o.NFFT)
	workers = min(runtime.GOMAXPROCS(0), max(1, frames/16))
	var wg sync.WaitGroup
	chunk := (frames + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(frames, (w+1)*chunk)
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(worker, lo, hi int) {
			defer wg.Done()
			var fast *realFFT
			var fft *fourier.FFT
			var coeffs []complex128
			if isPow2(o.NFFT) {
				fast = newRealFFT(o.NFFT)
			} else {
				fft = fourier.NewFFT(o.NFFT)
				coeffs = make([]complex128, o.NFFT/2+1)
			}
			frame := make([]float64, o.NFFT)
			power := make([]float64, o.NFFT/2+1)
			for k := lo; k < hi; k++ {
				start := k*o.Hop - pad
				if fast != nil && start >= 0 && start+o.NFFT <= len(samples) {
					fast.powerWindowed(power, samples[start:start+o.NFFT], win)
					sink(worker, k, power)
					continue
				}
				if start >= 0 && start+o.NFFT <= len(samples) {
					seg := samples[start : start+o.NFFT]
					for i, w := range win {
						frame[i] = float64(seg[i]) * w
					}
				} else {
					for i := range frame {
						j := start + i
						if j < 0 || j >= len(samples) {
							frame[i] = 0
						} else {
							frame[i] = float64(samples[j]) * win[i]
						}
					}
				}
				if fast != nil {
					fast.power(power, frame)
				} else {
					fft.Coefficients(coeffs, frame)
					for f, c := range coeffs {
						power[f] = real(c)*real(c) + imag(c)*imag(c)
					}
				}
				sink(worker, k, power)
			}
		}(w, lo, hi)
	}
	wg.Wait()
	return frames, workers
}

func newSpectrogram(frames, bins int, rateHz int, o Options) *Spectrogram {
	s := &Spectrogram{
		Values:       make([]float32, frames*bins),
		NumFrames:    frames,
		NumBins:      bins,
		TimesSeconds: make([]float64, frames),
		FrameSeconds: float64(o.Hop) / float64(rateHz),
	}
	offset := float64(o.NFFT / 2)
	if o.Center {
		offset = 0
	}
	for k := range s.TimesSeconds {
		s.TimesSeconds[k] = (float64(k*o.Hop) + offset) / float64(rateHz)
	}
	return s
}

// BinFrequenciesHz returns the centre frequencies of the NFFT/2+1 bins of an FFT of
// size nfft at rateHz: f·rate/nfft.
func BinFrequenciesHz(nfft, rateHz int) []float64 {
	freqs := make([]float64, nfft/2+1)
	for f := range freqs {
		freqs[f] = float64(f) * float64(rateHz) / float64(nfft)
	}
	return freqs
}

// PowerSpectrogram returns |STFT|² of mono samples at rateHz.
func PowerSpectrogram(samples []float32, rateHz int, o Options) (*Spectrogram, error) {
	return spectrogram(samples, rateHz, o, Power)
}

// MagnitudeSpectrogram returns |STFT| of mono samples at rateHz.
func MagnitudeSpectrogram(samples []float32, rateHz int, o Options) (*Spectrogram, error) {
	return spectrogram(samples, rateHz, o, Magnitude)
}

func spectrogram(samples []float32, rateHz int, o Options, scale Scale) (*Spectrogram, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if rateHz <= 0 {
		return nil, fmt.Errorf("spectro: sample rate %d Hz, want > 0", rateHz)
	}
	bins := o.NFFT/2 + 1
	s := newSpectrogram(o.NumFrames(len(samples)), bins, rateHz, o)
	s.Scale = scale
	s.FreqsHz = BinFrequenciesHz(o.NFFT, rateHz)
	if s.NumFrames == 0 {
		return nil, fmt.Errorf("spectro: %d samples are fewer than one %d-sample frame", len(samples), o.NFFT)
	}
	framePowers(samples, o, func(_, k int, power []float64) {
		row := s.Values[k*bins : (k+1)*bins]
		for f, p := range power {
			if scale == Magnitude {
				row[f] = float32(math.Sqrt(p))
			} else {
				row[f] = float32(p)
			}
		}
	})
	return s, nil
}

// STFT returns the complex STFT of mono samples, frame-major: out[k][f].
func STFT(samples []float32, o Options) ([][]complex128, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	frames := o.NumFrames(len(samples))
	out := make([][]complex128, frames)
	pad := 0
	if o.Center {
		pad = o.NFFT / 2
	}
	win := o.Window.Coefficients(o.NFFT)
	fft := fourier.NewFFT(o.NFFT)
	frame := make([]float64, o.NFFT)
	for k := range out {
		for i := range frame {
			j := k*o.Hop - pad + i
			if j < 0 || j >= len(samples) {
				frame[i] = 0
			} else {
				frame[i] = float64(samples[j]) * win[i]
			}
		}
		out[k] = fft.Coefficients(nil, frame)
	}
	return out, nil
}
