package audio

import (
	"fmt"
	"math"
)

// ResampleLegacy is the resampler lib/audio had until 2026-12-06, kept bit for
// bit: lib/synth renders every corpus with it, and the corpora pinned by
// lib/synth's tests (datasets/synth-birds, synth-transfer, the hard corpora,
// lesson 05's long recordings, birds-v1's training data) must not change when
// Resample does. It is a polyphase windowed sinc like Resample (Kaiser β 7.86,
// 32 zero crossings at the cut-off, 0.92 of the lower Nyquist frequency, each
// phase normalized to unit DC gain) with a plain sequential inner product,
// 2.5–4× slower (lib/cmd/benchcmd's RESULTS.md). Use Resample everywhere else.
func ResampleLegacy(samples []float32, fromHz, toHz int) ([]float32, error) {
	return resampleWith(newLegacyResampler, samples, fromHz, toHz)
}

// The legacy filter's constants (see ResampleLegacy).
const (
	legacyZeroCrossings = 32
	legacyRolloff       = 0.92
	legacyKaiserBeta    = 7.86
	legacyMaxTable      = 1 << 22
)

// newLegacyResampler returns a Resampler with ResampleLegacy's filter: an
// output reads the 2·half inputs base−half+1 … base+half, half =
// ⌈legacyZeroCrossings / (2·cutoff)⌉, cutoff in cycles per input sample.
func newLegacyResampler(fromHz, toHz int) (*Resampler, error) {
	if fromHz <= 0 || toHz <= 0 {
		return nil, fmt.Errorf("resample: rates %d Hz → %d Hz, both must be > 0", fromHz, toHz)
	}
	g := gcd(fromHz, toHz)
	r := &Resampler{fromHz: fromHz, toHz: toHz, up: int64(toHz / g), down: int64(fromHz / g), legacy: true}
	r.cutoff = 0.5 * legacyRolloff * math.Min(1, float64(toHz)/float64(fromHz))
	r.half = int(math.Ceil(legacyZeroCrossings / (2 * r.cutoff)))
	r.lo, r.taps = -r.half+1, 2*r.half
	r.init(legacyMaxTable)
	return r, nil
}

// legacyCoefficients fills dst (2·half taps) with the normalized filter for
// phase p: tap j multiplies input sample base−half+1+j of an output at input
// time base+p/up.
func (r *Resampler) legacyCoefficients(dst []float32, p int64) {
	frac := float64(p) / float64(r.up)
	w := float64(r.half)
	i0b := besselI0(legacyKaiserBeta)
	var sum float64
	vals := make([]float64, len(dst))
	for j := range dst {
		x := frac + float64(r.half-1-j) // distance from the output time to the input sample
		var h float64
		if x == 0 {
			h = 2 * r.cutoff
		} else {
			h = math.Sin(2*math.Pi*r.cutoff*x) / (math.Pi * x)
		}
		u := x / w
		if u*u < 1 {
			h *= besselI0(legacyKaiserBeta*math.Sqrt(1-u*u)) / i0b
		} else {
			h = 0
		}
		vals[j] = h
		sum += h
	}
	for j := range dst {
		dst[j] = float32(vals[j] / sum) // unit DC gain for every phase
	}
}
