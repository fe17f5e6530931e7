package audio

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Resampler filter design: the rational-ratio polyphase FIR of
// scipy.signal.resample_poly. For a ratio up/down (reduced), the input is
// thought of as upsampled by up (zeros between samples), low-pass filtered by
// h and kept every down-th sample. h is firwin's Kaiser-windowed sinc at the
// upsampled rate: 2L+1 taps with L = resampleZeroCrossings·max(up, down),
// cut off at resampleRolloff × the lower of the two Nyquist frequencies, Kaiser
// β = resampleKaiserBeta, scaled to a DC gain of up. With these values the stop
// band above the lower Nyquist frequency is attenuated by 80 dB and the pass
// band is flat within 0.1 dB to 86 % of it, so nothing aliases.
// (scipy's own default is 10 zero crossings, rolloff 1 and β 5: at the Nyquist
// frequency it attenuates only 6 dB.)
const (
	resampleZeroCrossings = 32
	resampleRolloff       = 0.92
	resampleKaiserBeta    = 7.86
	// resampleMaxTable bounds the precomputed coefficient table (phases × taps);
	// ratios needing more compute coefficients on the fly.
	resampleMaxTable = 1 << 22
)

// filterDesign holds the parameters of the low-pass filter: zero crossings of the
// sinc on each side (in samples of the lower rate), the cut-off as a fraction of
// the lower Nyquist frequency, and the Kaiser window's β.
type filterDesign struct {
	zeroCrossings int
	rolloff, beta float64
}

var defaultDesign = filterDesign{resampleZeroCrossings, resampleRolloff, resampleKaiserBeta}

// Resampler converts a stream of samples from one rate to another with a polyphase
// windowed-sinc filter (scipy.signal.resample_poly's, see the constants above). It
// is a stream: feed it blocks with Process and finish with Flush; the output is the
// same, bit for bit, whatever the block sizes.
//
// Output sample n is the band-limited input evaluated at input time n·fromHz/toHz
// (no delay): it is Σ_i x[i]·h(i·up − n·down) over the inputs within the filter's
// reach, with zeros before the first and after the last input sample. After Flush,
// the number of outputs is ceil(inputs·toHz/fromHz), as resample_poly's.
type Resampler struct {
	fromHz, toHz int
	up, down     int64 // output/input = up/down, reduced
	design       filterDesign
	halfLen      int64   // L: the filter spans −L..L at the upsampled rate
	cutoff       float64 // firwin's cut-off, relative to the upsampled Nyquist frequency (legacy: cycles per input sample)
	scale        float64 // up / Σ of the unscaled filter
	half         int     // K: an output reads inputs base−K..base+K, base = ⌊n·down/up⌋
	lo, taps     int     // an output's window: inputs base+lo … base+lo+taps−1
	legacy       bool    // ResampleLegacy's filter and sequential sums
	table        []float32
	hist         []float32 // input samples from absolute index histStart
	histStart    int64
	nIn, nOut    int64
	flushed      bool
}

// NewResampler returns a Resampler from fromHz to toHz (both > 0).
func NewResampler(fromHz, toHz int) (*Resampler, error) {
	return newResamplerDesign(fromHz, toHz, defaultDesign)
}

func newResamplerDesign(fromHz, toHz int, d filterDesign) (*Resampler, error) {
	if fromHz <= 0 || toHz <= 0 {
		return nil, fmt.Errorf("resample: rates %d Hz → %d Hz, both must be > 0", fromHz, toHz)
	}
	g := gcd(fromHz, toHz)
	r := &Resampler{fromHz: fromHz, toHz: toHz, up: int64(toHz / g), down: int64(fromHz / g), design: d}
	maxRate := max(r.up, r.down)
	r.halfLen = int64(d.zeroCrossings) * maxRate
	r.cutoff = d.rolloff / float64(maxRate)
	r.half = int(r.halfLen/r.up) + 1
	r.lo, r.taps = -r.half, 2*r.half+1
	// firwin scales the filter to unit DC gain; resample_poly multiplies by up.
	var sum float64
	for m := -r.halfLen; m <= r.halfLen; m++ {
		sum += r.tap(m)
	}
	r.scale = float64(r.up) / sum
	r.init(resampleMaxTable)
	return r, nil
}

// init fills the coefficient table (when it has at most maxTable entries) and
// puts half zeros before the first sample, so every output has a full window.
func (r *Resampler) init(maxTable int64) {
	if r.up*int64(r.taps) <= maxTable {
		r.table = make([]float32, int(r.up)*r.taps)
		for p := int64(0); p < r.up; p++ {
			r.coefficients(r.table[int(p)*r.taps:int(p+1)*r.taps], p)
		}
	}
	r.hist = make([]float32, r.half)
	r.histStart = -int64(r.half)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// tap is the unscaled filter at offset m (upsampled samples) from its centre:
// firwin's cutoff·sinc(cutoff·m) times the Kaiser window over −L..L.
func (r *Resampler) tap(m int64) float64 {
	if m < -r.halfLen || m > r.halfLen {
		return 0
	}
	x := r.cutoff * float64(m)
	h := r.cutoff
	if m != 0 {
		h = r.cutoff * math.Sin(math.Pi*x) / (math.Pi * x)
	}
	u := float64(m) / float64(r.halfLen)
	return h * besselI0(r.design.beta*math.Sqrt(max(0, 1-u*u))) / besselI0(r.design.beta)
}

// coefficients fills dst (taps) with the filter for phase p: tap j
// multiplies input sample base−half+j of an output at upsampled index
// base·up + p, that is h((j−half)·up − p).
func (r *Resampler) coefficients(dst []float32, p int64) {
	if r.legacy {
		r.legacyCoefficients(dst, p)
		return
	}
	for j := range dst {
		dst[j] = float32(r.scale * r.tap(int64(j-r.half)*r.up-p))
	}
}

// besselI0 is the modified Bessel function of the first kind, order 0 (power series).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 200; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	return sum
}

// Process feeds src to the resampler and appends every output sample that src
// makes computable to dst, returning the extended slice.
func (r *Resampler) Process(dst, src []float32) []float32 {
	if r.flushed {
		panic("audio: Resampler.Process after Flush")
	}
	r.hist = append(r.hist, src...)
	r.nIn += int64(len(src))
	return r.produce(dst, r.histStart+int64(len(r.hist)), math.MaxInt64)
}

// Flush appends the remaining output samples to dst, treating the input as zero
// after its end, and returns the extended slice. The Resampler cannot be used after.
func (r *Resampler) Flush(dst []float32) []float32 {
	if r.flushed {
		return dst
	}
	r.flushed = true
	total := (r.nIn*r.up + r.down - 1) / r.down
	r.hist = append(r.hist, make([]float32, r.half+1)...)
	return r.produce(dst, r.histStart+int64(len(r.hist)), total)
}

// produce appends outputs whose windows end before absolute input index avail, up to
// output index limit (exclusive). Each output is one dot product of its phase's
// coefficients with its input window (lib/internal/vec.DotFixedOrder: SIMD on amd64, the same bits wherever the window lies).
func (r *Resampler) produce(dst []float32, avail, limit int64) []float32 {
	taps := r.taps
	var scratch []float32
	if r.table == nil {
		scratch = make([]float32, taps)
	}
	if limit > r.nOut {
		// Reserve room for the outputs this call can make.
		n := min(limit-r.nOut, max(0, (avail-int64(r.half))*r.up/r.down-r.nOut+1))
		if free := int64(cap(dst) - len(dst)); n > free {
			grown := make([]float32, len(dst), int64(len(dst))+n)
			copy(grown, dst)
			dst = grown
		}
	}
	for r.nOut < limit {
		pos := r.nOut * r.down
		base, phase := pos/r.up, pos%r.up
		if base+int64(r.lo+taps-1) >= avail {
			break
		}
		var coef []float32
		if r.table != nil {
			coef = r.table[int(phase)*taps : int(phase+1)*taps]
		} else {
			r.coefficients(scratch, phase)
			coef = scratch
		}
		start := int(base + int64(r.lo) - r.histStart)
		window := r.hist[start : start+taps]
		if r.legacy {
			var acc float32
			for j, c := range coef {
				acc += c * window[j]
			}
			dst = append(dst, acc)
		} else {
			dst = append(dst, vec.DotFixedOrder(coef, window))
		}
		r.nOut++
	}
	// Drop input no later output needs.
	nextBase := r.nOut * r.down / r.up
	if dead := int(nextBase + int64(r.lo) - r.histStart); dead > 0 && dead > len(r.hist)/2 {
		dead = min(dead, len(r.hist))
		n := copy(r.hist, r.hist[dead:])
		r.hist = r.hist[:n]
		r.histStart += int64(dead)
	}
	return dst
}

// Resample returns samples converted from fromHz to toHz: ceil(len·toHz/fromHz)
// samples, band-limited below the lower Nyquist frequency. Equal rates return a copy.
func Resample(samples []float32, fromHz, toHz int) ([]float32, error) {
	return resampleWith(NewResampler, samples, fromHz, toHz)
}

// resampleWith is Resample with the Resampler that newResampler makes.
func resampleWith(newResampler func(fromHz, toHz int) (*Resampler, error), samples []float32, fromHz, toHz int) ([]float32, error) {
	if fromHz == toHz && fromHz > 0 {
		return append([]float32(nil), samples...), nil
	}
	r, err := newResampler(fromHz, toHz)
	if err != nil {
		return nil, err
	}
	out := make([]float32, 0, int(int64(len(samples))*int64(toHz)/int64(fromHz))+1)
	out = r.Process(out, samples)
	return r.Flush(out), nil
}
