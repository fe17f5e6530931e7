package synth

import (
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The acoustic path from an animal to a file: spreading and absorption over
// the distance, the habitat's reverberation, the recorder's band limits, its
// sample rate and its clipping. Every function here works on float64 samples
// at a given rate and is deterministic.

// AirAbsorptionDBPerMetre is the absorption of sound of f Hz by air, in dB
// per metre, at tempC °C, relative humidity rhPercent and sea-level pressure:
// the formula of ISO 9613-1:1993 (4.66 dB/km at 1 kHz, 105 dB/km at 8 kHz at
// 20 °C and 50 %).
func AirAbsorptionDBPerMetre(f, tempC, rhPercent float64) float64 {
	const t0, t01 = 293.15, 273.16 // reference temperature and the triple point, K
	t := tempC + 273.15
	c := -6.8346*math.Pow(t01/t, 1.261) + 4.6151
	h := rhPercent * math.Pow(10, c) // molar concentration of water vapour, %
	frO := 24 + 4.04e4*h*(0.02+h)/(0.391+h)
	frN := math.Pow(t/t0, -0.5) * (9 + 280*h*math.Exp(-4.170*(math.Pow(t/t0, -1.0/3)-1)))
	return 8.686 * f * f * (1.84e-11*math.Pow(t/t0, 0.5) +
		math.Pow(t/t0, -2.5)*(0.01275*math.Exp(-2239.1/t)/(frO+f*f/frO)+0.1068*math.Exp(-3352.0/t)/(frN+f*f/frN)))
}

// Air's conditions in PathLossDB.
const (
	airTemperatureC = 20.0
	airHumidity     = 50.0
)

// PathLossDB is the attenuation, in dB relative to the level at 1 m, of a
// tone of f Hz after distanceMetres (≥ 1): spherical spreading (20·log10 d),
// air absorption at 20 °C and 50 % humidity, and foliage's excess attenuation of foliageDBPerMetre at
// 1 kHz growing as √(f/1 kHz) (leaves and trunks scatter high frequencies
// more), both over the distance.
func PathLossDB(f, distanceMetres, foliageDBPerMetre float64) float64 {
	d := math.Max(1, distanceMetres)
	return 20*math.Log10(d) + d*(AirAbsorptionDBPerMetre(math.Abs(f), airTemperatureC, airHumidity)+foliageDBPerMetre*math.Sqrt(math.Abs(f)/1000))
}

// nextPow2 returns the smallest power of two ≥ n.
func nextPow2(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return size
}

// Propagate returns x (at rate) as heard distanceMetres away: every frequency
// attenuated by PathLossDB (a zero-phase filter applied by FFT, with room for
// its impulse response so nothing wraps around).
func Propagate(x []float64, rate, distanceMetres, foliageDBPerMetre float64) []float64 {
	return propagateReverb(x, rate, distanceMetres, foliageDBPerMetre, nil)
}

// lossTable holds, for the bins of one FFT size and rate, the two
// frequency-dependent terms of PathLossDB per metre: air absorption and
// √(f/1 kHz).
type lossTable struct{ air, foliage []float64 }

var lossTables sync.Map // [2]float64{size, rate} → *lossTable

func lossTableFor(size int, rate float64) *lossTable {
	key := [2]float64{float64(size), rate}
	if t, ok := lossTables.Load(key); ok {
		return t.(*lossTable)
	}
	t := &lossTable{air: make([]float64, size/2+1), foliage: make([]float64, size/2+1)}
	for k := range t.air {
		f := float64(k) * rate / float64(size)
		t.air[k] = AirAbsorptionDBPerMetre(f, airTemperatureC, airHumidity)
		t.foliage[k] = math.Sqrt(f / 1000)
	}
	actual, _ := lossTables.LoadOrStore(key, t)
	return actual.(*lossTable)
}

// fftPlans keeps FFT plans (which are not safe for concurrent use) per size
// for reuse: making one costs as much as a transform.
var fftPlans sync.Map // int → *sync.Pool

func getFFT(size int) *fourier.FFT {
	pool, _ := fftPlans.LoadOrStore(size, &sync.Pool{})
	if f, ok := pool.(*sync.Pool).Get().(*fourier.FFT); ok {
		return f
	}
	return fourier.NewFFT(size)
}

func putFFT(size int, f *fourier.FFT) {
	pool, _ := fftPlans.Load(size)
	pool.(*sync.Pool).Put(f)
}

// propagateReverb returns the first len(x) samples of x attenuated by
// PathLossDB and, when ir is not nil, convolved with it: one FFT of x, one of
// ir, one inverse.
func propagateReverb(x []float64, rate, distanceMetres, foliageDBPerMetre float64, ir []float64) []float64 {
	size := nextPow2(len(x) + max(len(ir), int(0.05*rate)))
	buf := make([]float64, size)
	copy(buf, x)
	fft := getFFT(size)
	defer putFFT(size, fft)
	coeffs := fft.Coefficients(nil, buf)
	var irCoeffs []complex128
	if ir != nil {
		clear(buf)
		copy(buf, ir)
		irCoeffs = fft.Coefficients(nil, buf)
	}
	d := math.Max(1, distanceMetres)
	table := lossTableFor(size, rate)
	spreading := 20 * math.Log10(d)
	for k := range coeffs {
		lossDB := spreading + d*(table.air[k]+foliageDBPerMetre*table.foliage[k])
		g := complex(math.Exp(-lossDB*math.Ln10/20)/float64(size), 0)
		if irCoeffs != nil {
			g *= irCoeffs[k]
		}
		coeffs[k] *= g
	}
	return fft.Sequence(buf, coeffs)[:len(x)]
}

// ImpulseResponse returns a habitat's impulse response at rate: the direct
// sound (a unit impulse at 0) and, after a pre-delay of 1–10 ms, a tail of
// Gaussian noise decaying by 60 dB in rt60Seconds, its energy drrDB below the
// direct sound's (DRR, the direct-to-reverberant ratio). The tail lasts until
// it has decayed by 72 dB.
func ImpulseResponse(rate, rt60Seconds, drrDB float64, rng *rand.Rand) []float64 {
	predelay := int((0.001 + 0.009*rng.Float64()) * rate)
	tail := int(1.2 * rt60Seconds * rate)
	h := make([]float64, predelay+tail)
	h[0] = 1
	decay := 3 * math.Ln10 / (rt60Seconds * rate) // amplitude: e^(−decay·i) falls 60 dB in rt60
	var energy float64
	for i := range tail {
		v := rng.NormFloat64() * math.Exp(-decay*float64(i))
		h[predelay+i] = v
		energy += v * v
	}
	if energy > 0 {
		g := math.Sqrt(math.Pow(10, -drrDB/10) / energy)
		for i := predelay; i < len(h); i++ {
			h[i] *= g
		}
	}
	return h
}

// Convolve returns the first len(x) samples of x convolved with h (by FFT).
func Convolve(x, h []float64) []float64 {
	size := nextPow2(len(x) + len(h) - 1)
	fft := fourier.NewFFT(size)
	a, b := make([]float64, size), make([]float64, size)
	copy(a, x)
	copy(b, h)
	ca, cb := fft.Coefficients(nil, a), fft.Coefficients(nil, b)
	for k := range ca {
		ca[k] *= cb[k]
	}
	out := fft.Sequence(nil, ca)
	for i := range out {
		out[i] /= float64(size)
	}
	return out[:len(x)]
}

// DRRAt returns the direct-to-reverberant ratio, in dB, at distanceMetres
// from a source in a habitat whose critical distance (where direct and
// reverberant sound are equally loud) is criticalMetres: the direct sound
// falls 6 dB per doubling of distance, the reverberant field does not.
func DRRAt(distanceMetres, criticalMetres float64) float64 {
	return -20 * math.Log10(math.Max(1, distanceMetres)/criticalMetres)
}

// biquad is one second-order section (RBJ's cookbook, a0 normalised to 1).
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// butterworth returns the sections of an order-`order` (even) Butterworth
// low-pass (highPass false) or high-pass filter with its −3 dB point at
// cutoffHz: RBJ cookbook sections (the bilinear transform, prewarped at the
// cutoff) with the Butterworth Qs 1/(2·sin((2k−1)π/(2·order))).
func butterworth(order int, cutoffHz, rate float64, highPass bool) []biquad {
	var out []biquad
	w0 := 2 * math.Pi * cutoffHz / rate
	cw, sw := math.Cos(w0), math.Sin(w0)
	for k := 1; k <= order/2; k++ {
		q := 1 / (2 * math.Sin(float64(2*k-1)*math.Pi/float64(2*order)))
		alpha := sw / (2 * q)
		a0 := 1 + alpha
		var s biquad
		if highPass {
			s = biquad{b0: (1 + cw) / 2, b1: -(1 + cw), b2: (1 + cw) / 2}
		} else {
			s = biquad{b0: (1 - cw) / 2, b1: 1 - cw, b2: (1 - cw) / 2}
		}
		s.a1, s.a2 = -2*cw, 1-alpha
		s.b0, s.b1, s.b2, s.a1, s.a2 = s.b0/a0, s.b1/a0, s.b2/a0, s.a1/a0, s.a2/a0
		out = append(out, s)
	}
	return out
}

// filter runs x through the sections in place (direct form I).
func filter(x []float64, sections []biquad) {
	for _, s := range sections {
		var x1, x2, y1, y2 float64
		for i, v := range x {
			y := s.b0*v + s.b1*x1 + s.b2*x2 - s.a1*y1 - s.a2*y2
			x2, x1, y2, y1 = x1, v, y1, y
			x[i] = y
		}
	}
}

// Recorder orders of the band-limiting filters: a 2nd-order high-pass (12 dB
// per octave, a microphone's and preamplifier's low cut) and a 4th-order
// low-pass (24 dB per octave, a cheap recorder's or microphone's upper limit).
const (
	highPassOrder = 2
	lowPassOrder  = 4
)

// BandLimit filters x (at rate) in place as a recorder does: a high-pass at
// highPassHz and a low-pass at lowPassHz, each skipped when 0 (or, for the
// low-pass, at or above 0.49·rate).
func BandLimit(x []float64, rate, highPassHz, lowPassHz float64) {
	if highPassHz > 0 {
		filter(x, butterworth(highPassOrder, highPassHz, rate, true))
	}
	if lowPassHz > 0 && lowPassHz < 0.49*rate {
		filter(x, butterworth(lowPassOrder, lowPassHz, rate, false))
	}
}

// ClipLevel is the level at which clipped recordings saturate (a little below
// full scale, so 16-bit encoding does not saturate again).
const ClipLevel = 0.98

// Clip hard-clips x in place at ±level and returns the fraction of samples
// that were clipped.
func Clip(x []float32, level float32) float64 {
	var clipped int
	for i, v := range x {
		if v > level {
			x[i], clipped = level, clipped+1
		} else if v < -level {
			x[i], clipped = -level, clipped+1
		}
	}
	return float64(clipped) / float64(max(1, len(x)))
}
