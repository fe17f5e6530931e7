package synth

import (
	"math"
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestAirAbsorptionISO9613Table: the formula gives the values ISO 9613-1's
// Table 1 lists for 20 °C and 50 % relative humidity (dB/km), and absorption
// grows with frequency.
func TestAirAbsorptionISO9613Table(t *testing.T) {
	for _, tc := range []struct{ f, dbPerKm float64 }{{500, 2.73}, {1000, 4.66}, {2000, 9.86}} {
		if got := 1000 * AirAbsorptionDBPerMetre(tc.f, 20, 50); math.Abs(got/tc.dbPerKm-1) > 0.01 {
			t.Errorf("%.0f Hz: %.3f dB/km, the table gives %.2f", tc.f, got, tc.dbPerKm)
		}
	}
	prev := 0.0
	for f := 250.0; f <= 16000; f *= 2 {
		a := AirAbsorptionDBPerMetre(f, 20, 50)
		if a <= prev {
			t.Errorf("absorption at %.0f Hz (%.5f dB/m) not above the octave below (%.5f)", f, a, prev)
		}
		prev = a
	}
}

// spectrumDB returns the power spectrum of x in dB (Hann window over the
// whole signal, averaged over neighbouring bins within ±smoothHz) at freqs.
func spectrumDB(x []float64, rate float64, freqs []float64, smoothHz float64) []float64 {
	n := len(x)
	buf := make([]float64, n)
	for i, v := range x {
		buf[i] = v * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	coeffs := fourier.NewFFT(n).Coefficients(nil, buf)
	out := make([]float64, len(freqs))
	for k, f := range freqs {
		lo, hi := int((f-smoothHz)*float64(n)/rate), int((f+smoothHz)*float64(n)/rate)
		var p float64
		for b := max(lo, 0); b <= min(hi, len(coeffs)-1); b++ {
			p += real(coeffs[b] * cmplx.Conj(coeffs[b]))
		}
		out[k] = 10 * math.Log10(p/float64(hi-lo+1))
	}
	return out
}

func whiteNoise(n int, seed uint64) []float64 {
	rng := rngFor(seed, 7)
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// TestPropagateAttenuatesByPathLoss: white noise sent 50 m through air and
// foliage loses PathLossDB at every frequency (measured on its spectrum).
func TestPropagateAttenuatesByPathLoss(t *testing.T) {
	const rate, d, foliage = 48000.0, 50.0, 0.02
	x := whiteNoise(1<<17, 1)
	y := Propagate(x, rate, d, foliage)
	freqs := []float64{500, 1000, 2000, 4000, 8000, 12000}
	before, after := spectrumDB(x, rate, freqs, 200), spectrumDB(y, rate, freqs, 200)
	for k, f := range freqs {
		got, want := before[k]-after[k], PathLossDB(f, d, foliage)
		if math.Abs(got-want) > 0.3 {
			t.Errorf("%.0f Hz at %g m: %.2f dB lost, want %.2f", f, d, got, want)
		}
	}
	// 1/d spreading alone at 1 kHz is 34 dB at 50 m; air adds 0.23 dB, foliage 1 dB.
	if pl := PathLossDB(1000, 50, 0.02); math.Abs(pl-(20*math.Log10(50)+50*0.00466+50*0.02)) > 1e-3 {
		t.Errorf("path loss at 1 kHz, 50 m: %v dB", pl)
	}
}

// analogButterworthDB is the gain in dB of an order-n Butterworth filter
// taken to discrete time by the bilinear transform (frequencies warped by
// tan(πf/rate)): the textbook formula, an independent reference.
func analogButterworthDB(f, cutoff, rate float64, order int, highPass bool) float64 {
	ratio := math.Tan(math.Pi*f/rate) / math.Tan(math.Pi*cutoff/rate)
	if highPass {
		ratio = 1 / ratio
	}
	return -10 * math.Log10(1+math.Pow(ratio, float64(2*order)))
}

// TestBandLimitMatchesButterworth: white noise through the recorder's band
// limits has the spectrum of the textbook Butterworth responses, within 0.5 dB
// wherever the attenuation is under 40 dB.
func TestBandLimitMatchesButterworth(t *testing.T) {
	const rate, hp, lp = 48000.0, 200.0, 6000.0
	x := whiteNoise(1<<18, 2)
	y := append([]float64(nil), x...)
	BandLimit(y, rate, hp, lp)
	freqs := []float64{60, 100, 200, 400, 1000, 3000, 5000, 6000, 8000, 12000}
	before, after := spectrumDB(x, rate, freqs, 15), spectrumDB(y, rate, freqs, 15)
	for k, f := range freqs {
		want := analogButterworthDB(f, hp, rate, highPassOrder, true) + analogButterworthDB(f, lp, rate, lowPassOrder, false)
		got := after[k] - before[k]
		if want > -40 && math.Abs(got-want) > 0.5 {
			t.Errorf("%.0f Hz: gain %.2f dB, Butterworth gives %.2f", f, got, want)
		}
	}
	if at := analogButterworthDB(lp, lp, rate, 4, false); math.Abs(at+3.01) > 0.01 {
		t.Errorf("reference at the cutoff: %.3f dB", at)
	}
}

// TestImpulseResponseDecay: the habitat's impulse response decays by 60 dB in
// RT60 (Schroeder's backward integration, slope fitted from −5 to −25 dB, as
// ISO 3382's T20) and its tail holds the DRR asked for.
func TestImpulseResponseDecay(t *testing.T) {
	const rate = 48000.0
	for _, tc := range []struct{ rt60, drr float64 }{{0.3, 6}, {0.8, 0}, {1.5, -6}} {
		h := ImpulseResponse(rate, tc.rt60, tc.drr, rngFor(4, uint64(tc.rt60*10)))
		var tail float64
		for _, v := range h[1:] {
			tail += v * v
		}
		if drr := 10 * math.Log10(h[0]*h[0]/tail); math.Abs(drr-tc.drr) > 0.01 {
			t.Errorf("RT60 %v s: DRR %.3f dB, want %v", tc.rt60, drr, tc.drr)
		}
		// Schroeder integral of the tail alone.
		edc := make([]float64, len(h))
		var acc float64
		for i := len(h) - 1; i >= 1; i-- {
			acc += h[i] * h[i]
			edc[i] = acc
		}
		var sx, sy, sxx, sxy, n float64
		for i := 1; i < len(h); i++ {
			db := 10 * math.Log10(edc[i]/edc[1])
			if db <= -5 && db >= -25 {
				x := float64(i) / rate
				sx, sy, sxx, sxy, n = sx+x, sy+db, sxx+x*x, sxy+x*db, n+1
			}
		}
		slope := (n*sxy - sx*sy) / (n*sxx - sx*sx) // dB per second
		if rt := -60 / slope; math.Abs(rt/tc.rt60-1) > 0.05 {
			t.Errorf("RT60 %v s: T20 measures %.3f s", tc.rt60, rt)
		}
	}
}

// TestConvolveMatchesDirectSum compares the FFT convolution with the
// definition on short random signals.
func TestConvolveMatchesDirectSum(t *testing.T) {
	x, h := whiteNoise(300, 5), whiteNoise(41, 6)
	got := Convolve(x, h)
	for i := range x {
		var want float64
		for j := 0; j <= i && j < len(h); j++ {
			want += x[i-j] * h[j]
		}
		if math.Abs(got[i]-want) > 1e-9 {
			t.Fatalf("sample %d: %v, want %v", i, got[i], want)
		}
	}
}

func TestClip(t *testing.T) {
	x := []float32{0.5, 1.2, -1.5, 0.98, -0.99, 0}
	if f := Clip(x, 0.98); math.Abs(f-3.0/6) > 1e-12 {
		t.Errorf("clipped fraction %v, want 0.5", f)
	}
	want := []float32{0.5, 0.98, -0.98, 0.98, -0.98, 0}
	for i := range x {
		if x[i] != want[i] {
			t.Errorf("sample %d: %v, want %v", i, x[i], want[i])
		}
	}
}
