package features

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Segment is one stretch of activity, in seconds from the start of the sound.
type Segment struct {
	StartSeconds, EndSeconds float64
}

// DurationSeconds is EndSeconds − StartSeconds.
func (s Segment) DurationSeconds() float64 { return s.EndSeconds - s.StartSeconds }

// ActivityOptions configures call detection on a power spectrogram.
type ActivityOptions struct {
	// ThresholdDB: a frame is active when its energy (summed over the bins in
	// [LowHz, HighHz]) is within ThresholdDB of the loudest frame's (20 when 0).
	ThresholdDB float64
	// LowHz and HighHz restrict the energy to a band; both 0 use every bin.
	LowHz, HighHz float64
	// MinGapSeconds merges segments separated by less than this gap.
	MinGapSeconds float64
}

func bandRange(s *spectro.Spectrogram, lowHz, highHz float64) (int, int) {
	if lowHz == 0 && highHz == 0 {
		return 0, s.NumBins
	}
	lo, hi := s.NumBins, 0
	for f, hz := range s.FreqsHz {
		if hz >= lowHz && hz <= highHz {
			lo, hi = min(lo, f), max(hi, f+1)
		}
	}
	return lo, hi
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o ActivityOptions) withDefaults() ActivityOptions {
	if o.ThresholdDB == 0 {
		o.ThresholdDB = 20
	}
	return o
}

// Calls finds the segments of a power spectrogram where the energy is within
// ThresholdDB of its loudest frame. A frame spans its centre ± FrameSeconds/2.
func Calls(s *spectro.Spectrogram, o ActivityOptions) ([]Segment, error) {
	if s.Scale != spectro.Power {
		return nil, fmt.Errorf("features: Calls needs a power spectrogram, got scale %d", s.Scale)
	}
	o = o.withDefaults()
	lo, hi := bandRange(s, o.LowHz, o.HighHz)
	if lo >= hi {
		return nil, fmt.Errorf("features: band %v–%v Hz holds no bin", o.LowHz, o.HighHz)
	}
	energy := make([]float64, s.NumFrames)
	var loudest float64
	for k := range energy {
		for _, v := range s.Frame(k)[lo:hi] {
			energy[k] += float64(v)
		}
		loudest = math.Max(loudest, energy[k])
	}
	if loudest == 0 {
		return nil, nil
	}
	threshold := loudest * math.Pow(10, -o.ThresholdDB/10)
	half := s.FrameSeconds / 2
	var segs []Segment
	for k := 0; k < len(energy); k++ {
		if energy[k] < threshold {
			continue
		}
		start := k
		for k+1 < len(energy) && energy[k+1] >= threshold {
			k++
		}
		seg := Segment{s.TimesSeconds[start] - half, s.TimesSeconds[k] + half}
		if n := len(segs); n > 0 && seg.StartSeconds-segs[n-1].EndSeconds < o.MinGapSeconds {
			segs[n-1].EndSeconds = seg.EndSeconds
		} else {
			segs = append(segs, seg)
		}
	}
	return segs, nil
}

// CallDurationSeconds is the time from the start of the first call segment to the
// end of the last (0 when nothing is active).
func CallDurationSeconds(s *spectro.Spectrogram, o ActivityOptions) (float64, error) {
	segs, err := Calls(s, o)
	if err != nil || len(segs) == 0 {
		return 0, err
	}
	return segs[len(segs)-1].EndSeconds - segs[0].StartSeconds, nil
}

// MeanSpectrum returns the mean power of each bin over all frames.
func MeanSpectrum(s *spectro.Spectrogram) []float64 {
	mean := make([]float64, s.NumBins)
	for k := 0; k < s.NumFrames; k++ {
		for f, v := range s.Frame(k) {
			mean[f] += float64(v)
		}
	}
	for f := range mean {
		mean[f] /= float64(max(1, s.NumFrames))
	}
	return mean
}

// PeakFrequencyHz is the frequency of the loudest bin of the mean power spectrum,
// refined by fitting a parabola through the dB values of that bin and its two
// neighbours.
func PeakFrequencyHz(s *spectro.Spectrogram) float64 {
	spec := MeanSpectrum(s)
	return peakOf(spec, s.FreqsHz)
}

func peakOf(spec, freqs []float64) float64 {
	best := 0
	for f, p := range spec {
		if p > spec[best] {
			best = f
		}
	}
	if best == 0 || best == len(spec)-1 || spec[best-1] <= 0 || spec[best+1] <= 0 {
		return freqs[best]
	}
	a, b, c := 10*math.Log10(spec[best-1]), 10*math.Log10(spec[best]), 10*math.Log10(spec[best+1])
	shift := 0.0
	if den := a - 2*b + c; den < 0 {
		shift = 0.5 * (a - c) / den
	}
	return freqs[best] + shift*(freqs[best+1]-freqs[best])
}

// PeakFrequencyTrack returns the peak frequency (Hz) of every frame, refined as in
// PeakFrequencyHz.
func PeakFrequencyTrack(s *spectro.Spectrogram) []float64 {
	track := make([]float64, s.NumFrames)
	frame := make([]float64, s.NumBins)
	for k := range track {
		for f, v := range s.Frame(k) {
			frame[f] = float64(v)
		}
		track[k] = peakOf(frame, s.FreqsHz)
	}
	return track
}

// Band is a frequency range in Hz.
type Band struct {
	LowHz, HighHz float64
}

// WidthHz is HighHz − LowHz.
func (b Band) WidthHz() float64 { return b.HighHz - b.LowHz }

// BandWithinDB returns the lowest and highest bin frequencies whose mean power is
// within thresholdDB of the peak of the mean spectrum (for example 20 for a
// "−20 dB bandwidth").
func BandWithinDB(s *spectro.Spectrogram, thresholdDB float64) Band {
	spec := MeanSpectrum(s)
	var peak float64
	for _, p := range spec {
		peak = math.Max(peak, p)
	}
	level := peak * math.Pow(10, -thresholdDB/10)
	band := Band{math.NaN(), math.NaN()}
	for f, p := range spec {
		if p >= level && peak > 0 {
			if math.IsNaN(band.LowHz) {
				band.LowHz = s.FreqsHz[f]
			}
			band.HighHz = s.FreqsHz[f]
		}
	}
	return band
}

// EnergyBand returns the band holding the central fraction of the mean spectrum's
// energy: from the frequency below which (1−fraction)/2 of the energy lies to the
// one below which (1+fraction)/2 lies (0.9 gives Raven's "90% bandwidth"). The
// cumulative energy is interpolated linearly within bins.
func EnergyBand(s *spectro.Spectrogram, fraction float64) Band {
	spec := MeanSpectrum(s)
	var total float64
	for _, p := range spec {
		total += p
	}
	quantile := func(q float64) float64 {
		target := q * total
		var cum float64
		for f, p := range spec {
			if cum+p >= target && p > 0 {
				// Bin f spans freqs[f] ± half a bin; spread its energy uniformly.
				binHz := s.FreqsHz[min(f+1, len(spec)-1)] - s.FreqsHz[max(f-1, 0)]
				binHz /= float64(min(f+1, len(spec)-1) - max(f-1, 0))
				return s.FreqsHz[f] - binHz/2 + binHz*(target-cum)/p
			}
			cum += p
		}
		return s.FreqsHz[len(spec)-1]
	}
	return Band{quantile((1 - fraction) / 2), quantile((1 + fraction) / 2)}
}

// SpectralCentroidHz is the power-weighted mean frequency of each frame, Σf·P/ΣP
// (NaN for a silent frame).
func SpectralCentroidHz(s *spectro.Spectrogram) []float64 {
	out := make([]float64, s.NumFrames)
	for k := range out {
		var num, den float64
		for f, v := range s.Frame(k) {
			num += s.FreqsHz[f] * float64(v)
			den += float64(v)
		}
		out[k] = num / den
		if den == 0 {
			out[k] = math.NaN()
		}
	}
	return out
}

// MeanSpectralCentroidHz is the centroid of the mean power spectrum.
func MeanSpectralCentroidHz(s *spectro.Spectrogram) float64 {
	var num, den float64
	for f, p := range MeanSpectrum(s) {
		num += s.FreqsHz[f] * p
		den += p
	}
	return num / den
}

// MFCC returns numCoeffs mel-frequency cepstral coefficients per frame of a mel
// power spectrogram, frame-major (out[k][c]): the orthonormal DCT-II of the frame's
// dB values (10·log10, floored 80 dB below the spectrogram's maximum).
func MFCC(mel *spectro.Spectrogram, numCoeffs int) ([][]float64, error) {
	if !mel.Mel || mel.Scale != spectro.Power {
		return nil, fmt.Errorf("features: MFCC needs a mel power spectrogram (mel %v, scale %d)", mel.Mel, mel.Scale)
	}
	if numCoeffs < 1 || numCoeffs > mel.NumBins {
		return nil, fmt.Errorf("features: %d MFCCs from %d mel bands, want 1 to %d", numCoeffs, mel.NumBins, mel.NumBins)
	}
	db, err := spectro.ToDecibels(mel, spectro.DBOptions{Ref: 1, TopDB: 80})
	if err != nil {
		return nil, err
	}
	out := make([][]float64, mel.NumFrames)
	frame := make([]float64, mel.NumBins)
	for k := range out {
		for m, v := range db.Frame(k) {
			frame[m] = float64(v)
		}
		out[k] = DCT2(frame)[:numCoeffs]
	}
	return out, nil
}

// DCT2 is the orthonormal type-II discrete cosine transform (scipy.fft.dct(x,
// type=2, norm="ortho")): X[c] = s(c)·Σ x[n]·cos(π·c·(2n+1)/(2N)), with s(0) = √(1/N)
// and s(c) = √(2/N) otherwise.
func DCT2(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	for c := range out {
		var sum float64
		for i, v := range x {
			sum += v * math.Cos(math.Pi*float64(c)*float64(2*i+1)/float64(2*n))
		}
		scale := math.Sqrt(2 / float64(n))
		if c == 0 {
			scale = math.Sqrt(1 / float64(n))
		}
		out[c] = scale * sum
	}
	return out
}
