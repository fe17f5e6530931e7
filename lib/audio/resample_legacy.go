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
	if fromHz == toHz && fromHz > 0 {
		return append([]float32(nil), samples...), nil
	}
	r, err := newLegacyResampler(fromHz, toHz)
	if err != nil {
		return nil, err
	}
	out := make([]float32, 0, int(int64(len(samples))*int64(toHz)/int64(fromHz))+1)
	out = r.Process(out, samples)
	return r.Flush(out), nil
}

// The legacy filter's constants (see ResampleLegacy).
const (
	legacyZeroCrossings = 32
	legacyRolloff       = 0.92
	legacyKaiserBeta    = 7.86
	legacyMaxTable      = 1 << 22
)

// legacyResampler is the Resampler as it was before 2026-12-06 (see ResampleLegacy).
type legacyResampler struct {
	fromHz, toHz int
	up, down     int64   // output/input = up/down, reduced
	half         int     // taps on each side of the centre, in input samples
	cutoff       float64 // cut-off frequency in cycles per input sample
	table        []float32
	hist         []float32 // input samples from absolute index histStart
	histStart    int64
	nIn, nOut    int64
	flushed      bool
}

// newLegacyResampler returns a legacyResampler from fromHz to toHz (both > 0).
func newLegacyResampler(fromHz, toHz int) (*legacyResampler, error) {
	if fromHz <= 0 || toHz <= 0 {
		return nil, fmt.Errorf("resample: rates %d Hz → %d Hz, both must be > 0", fromHz, toHz)
	}
	g := gcd(fromHz, toHz)
	r := &legacyResampler{fromHz: fromHz, toHz: toHz, up: int64(toHz / g), down: int64(fromHz / g)}
	r.cutoff = 0.5 * legacyRolloff * math.Min(1, float64(toHz)/float64(fromHz))
	r.half = int(math.Ceil(legacyZeroCrossings / (2 * r.cutoff)))
	taps := 2 * r.half
	if r.up*int64(taps) <= legacyMaxTable {
		r.table = make([]float32, int(r.up)*taps)
		for p := int64(0); p < r.up; p++ {
			r.coefficients(r.table[int(p)*taps:int(p+1)*taps], p)
		}
	}
	// half zeros before the first sample, so every output has a full window.
	r.hist = make([]float32, r.half)
	r.histStart = -int64(r.half)
	return r, nil
}

// coefficients fills dst (2·half taps) with the normalized filter for phase p: tap j
// multiplies input sample base-half+1+j of an output at input time base+p/up.
func (r *legacyResampler) coefficients(dst []float32, p int64) {
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

// Process feeds src to the resampler and appends every output sample that src
// makes computable to dst, returning the extended slice.
func (r *legacyResampler) Process(dst, src []float32) []float32 {
	if r.flushed {
		panic("audio: legacy resampler: Process after Flush")
	}
	r.hist = append(r.hist, src...)
	r.nIn += int64(len(src))
	return r.produce(dst, r.histStart+int64(len(r.hist)), math.MaxInt64)
}

// Flush appends the remaining output samples to dst, treating the input as zero
// after its end, and returns the extended slice. The Resampler cannot be used after.
func (r *legacyResampler) Flush(dst []float32) []float32 {
	if r.flushed {
		return dst
	}
	r.flushed = true
	total := (r.nIn*r.up + r.down - 1) / r.down
	r.hist = append(r.hist, make([]float32, r.half+1)...)
	return r.produce(dst, r.histStart+int64(len(r.hist)), total)
}

// produce appends outputs whose windows end before absolute input index avail, up to
// output index limit (exclusive).
func (r *legacyResampler) produce(dst []float32, avail, limit int64) []float32 {
	taps := 2 * r.half
	var scratch []float32
	if r.table == nil {
		scratch = make([]float32, taps)
	}
	for r.nOut < limit {
		pos := r.nOut * r.down
		base, phase := pos/r.up, pos%r.up
		if base+int64(r.half) >= avail {
			break
		}
		var coef []float32
		if r.table != nil {
			coef = r.table[int(phase)*taps : int(phase+1)*taps]
		} else {
			r.coefficients(scratch, phase)
			coef = scratch
		}
		start := int(base - int64(r.half) + 1 - r.histStart)
		window := r.hist[start : start+taps]
		var acc float32
		for j, c := range coef {
			acc += c * window[j]
		}
		dst = append(dst, acc)
		r.nOut++
	}
	// Drop input no later output needs.
	nextBase := r.nOut * r.down / r.up
	if dead := int(nextBase - int64(r.half) + 1 - r.histStart); dead > 0 && dead > len(r.hist)/2 {
		dead = min(dead, len(r.hist))
		n := copy(r.hist, r.hist[dead:])
		r.hist = r.hist[:n]
		r.histStart += int64(dead)
	}
	return dst
}
