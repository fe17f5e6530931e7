package synth

import (
	"math"
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// envelopePeriodSeconds measures the period of a signal's amplitude
// modulation: the lag of the highest autocorrelation peak of its rectified,
// 0.5 ms-smoothed envelope between minS and maxS seconds.
func envelopePeriodSeconds(x []float64, rate, minS, maxS float64) float64 {
	win := max(1, int(0.0005*rate))
	env := make([]float64, len(x))
	var acc float64
	for i, v := range x {
		acc += math.Abs(v)
		if i >= win {
			acc -= math.Abs(x[i-win])
		}
		env[i] = acc / float64(win)
	}
	var mean float64
	for _, v := range env {
		mean += v / float64(len(env))
	}
	for i := range env {
		env[i] -= mean
	}
	best, bestLag := math.Inf(-1), 0
	for lag := int(minS * rate); lag <= int(maxS*rate) && lag < len(env); lag++ {
		var c float64
		for i := lag; i < len(env); i++ {
			c += env[i] * env[i-lag]
		}
		c /= float64(len(env) - lag)
		if c > best {
			best, bestLag = c, lag
		}
	}
	// Parabolic interpolation around the peak.
	at := func(lag int) float64 {
		var c float64
		for i := lag; i < len(env); i++ {
			c += env[i] * env[i-lag]
		}
		return c / float64(len(env)-lag)
	}
	y0, y1, y2 := at(bestLag-1), best, at(bestLag+1)
	shift := 0.5 * (y0 - y2) / (y0 - 2*y1 + y2)
	return (float64(bestLag) + shift) / rate
}

// peakFrequencyHz is the frequency of the largest bin of x's spectrum
// (Hann-windowed, zero-padded to 4× for a finer grid).
func peakFrequencyHz(x []float64, rate float64) float64 {
	size := nextPow2(4 * len(x))
	buf := make([]float64, size)
	for i, v := range x {
		buf[i] = v * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(x))))
	}
	coeffs := fourier.NewFFT(size).Coefficients(nil, buf)
	best, bestK := 0.0, 0
	for k, c := range coeffs {
		if a := cmplx.Abs(c); a > best {
			best, bestK = a, k
		}
	}
	return float64(bestK) * rate / float64(size)
}

// TestFrogPulseRate: the pulse rate and carrier measured on rendered frog
// calls are the ones asked for.
func TestFrogPulseRate(t *testing.T) {
	const rate = 48000.0
	for _, p := range []PulseTrain{
		{CarrierHz: 1200, PulseRateHz: 12, DutyCycle: 0.5, Pulses: 12, Amplitude: 1},
		{CarrierHz: 2500, PulseRateHz: 45, DutyCycle: 0.4, Pulses: 30, HarmonicLevel: 0.3, Amplitude: 1},
		{CarrierHz: 3800, PulseRateHz: 140, DutyCycle: 0.6, Pulses: 80, SweepFraction: 0.05, Amplitude: 1},
	} {
		x := p.render(rate, rngFor(1, 1))
		period := envelopePeriodSeconds(x, rate, 0.6/p.PulseRateHz, 1.4/p.PulseRateHz)
		if got := 1 / period; math.Abs(got/p.PulseRateHz-1) > 0.01 {
			t.Errorf("pulse rate %v Hz: measured %.2f Hz", p.PulseRateHz, got)
		}
		if got := peakFrequencyHz(x, rate); math.Abs(got/(p.CarrierHz*(1-p.SweepFraction/4))-1) > 0.03 {
			t.Errorf("carrier %v Hz (sweep %v): spectral peak at %.0f Hz", p.CarrierHz, p.SweepFraction, got)
		}
		if want := p.DurationSeconds(); math.Abs(float64(len(x))/rate-want) > 1/p.PulseRateHz {
			t.Errorf("%d pulses at %v Hz: %.3f s, want about %.3f", p.Pulses, p.PulseRateHz, float64(len(x))/rate, want)
		}
	}
}

// TestWorldFrogsKeepTheirRates: every held-out frog's rendered advertisement
// call, through World.Vocalise, pulses at its individual's rate (within the
// rendition's 1 % jitter, 3 σ).
func TestWorldFrogsKeepTheirRates(t *testing.T) {
	w, err := NewWorld(WorldOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range w.Animals {
		if a.Taxon != Frog || !a.HeldOut {
			continue
		}
		want := w.frogs[a.taxon].vary(rngFor(w.Options.Seed, streamHardIndividual, uint64(a.Index), 2), frogIndividualVariation).Advertisement
		unit, err := w.Vocalise(a.Index, 2, 0, 48000, rngFor(9, uint64(a.Index)))
		if err != nil {
			t.Fatal(err)
		}
		if want.Pulses < 4 {
			continue // too few pulses to measure a rate
		}
		period := envelopePeriodSeconds(unit.Samples, 48000, 0.7/want.PulseRateHz, 1.3/want.PulseRateHz)
		if got := 1 / period; math.Abs(got/want.PulseRateHz-1) > 0.03 {
			t.Errorf("%s: pulse rate %.2f Hz measured, the individual's is %.2f Hz", a.Code, got, want.PulseRateHz)
		}
	}
}

// TestInsectSyllableRateAndCarrier: a cricket's syllable rate and carrier, and
// a katydid's band, measured on the rendered song.
func TestInsectSyllableRateAndCarrier(t *testing.T) {
	const rate = 48000.0
	cricket := Stridulation{CarrierHz: 4500, SyllableRateHz: 30, DutyCycle: 0.5, ToothRateHz: 800, TrillSeconds: 1.5, Amplitude: 1}
	x := cricket.render(rate, rngFor(2, 2))
	if got := 1 / envelopePeriodSeconds(x, rate, 0.02, 0.05); math.Abs(got/30-1) > 0.01 {
		t.Errorf("cricket trill: syllable rate %.2f Hz, want 30", got)
	}
	if got := peakFrequencyHz(x, rate); math.Abs(got-4500*0.99) > 60 {
		t.Errorf("cricket: carrier %.0f Hz, want about 4455 (4.5 kHz falling 2 %% per syllable)", got)
	}
	katydid := Stridulation{CarrierHz: 10000, BandwidthHz: 4000, SyllableRateHz: 50, DutyCycle: 0.5, ToothRateHz: 1500, SyllablesPerChirp: 6, Amplitude: 1}
	y := katydid.render(rate, rngFor(3, 3))
	freqs := []float64{5000, 9000, 10000, 11000, 15000}
	db := spectrumDB(y, rate, freqs, 300)
	if !(db[1] > db[0]+20 && db[2] > db[4]+20 && db[3] > db[4]+20) {
		t.Errorf("katydid 8–12 kHz: spectrum at %v Hz is %v dB, want the band ≥ 20 dB above 5 and 15 kHz", freqs, db)
	}
	if want := katydid.DurationSeconds(); math.Abs(float64(len(y))/rate-want) > 0.002 {
		t.Errorf("chirp of 6 syllables: %.4f s, want %.4f", float64(len(y))/rate, want)
	}
}

// TestMammalFormants: on a steady call with F0 100 Hz, the harmonics'
// amplitudes peak at the formants (to the nearest harmonic), measured on the
// rendered call's spectrum.
func TestMammalFormants(t *testing.T) {
	const rate, f0 = 48000.0, 100.0
	formants := []float64{700, 1300, 2500, 3600}
	c := FormantCall{F0StartHz: f0, F0PeakHz: f0, F0EndHz: f0, PeakAt: 0.5, DurationSeconds: 1, FormantsHz: formants,
		BandwidthsHz: []float64{60, 70, 90, 120}, Calls: 1, Amplitude: 1}
	x := c.renderOne(rate, rngFor(4, 4))
	n := len(x)
	buf := make([]float64, n)
	for i, v := range x {
		buf[i] = v * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	coeffs := fourier.NewFFT(n).Coefficients(nil, buf)
	harmonic := func(h int) float64 { // the largest bin within ±20 Hz of h·F0
		var a float64
		for b := int((float64(h)*f0 - 20) * float64(n) / rate); b <= int((float64(h)*f0+20)*float64(n)/rate); b++ {
			a = math.Max(a, cmplx.Abs(coeffs[b]))
		}
		return a
	}
	amps := make([]float64, 50)
	for h := 1; h < len(amps); h++ {
		amps[h] = harmonic(h)
	}
	var peaks []float64
	for h := 2; h < len(amps)-1; h++ {
		if amps[h] > amps[h-1] && amps[h] > amps[h+1] {
			peaks = append(peaks, float64(h)*f0)
		}
	}
	if len(peaks) != len(formants) {
		t.Fatalf("harmonic-amplitude peaks at %v Hz, want one per formant %v", peaks, formants)
	}
	for k, f := range formants {
		if math.Abs(peaks[k]-f) > f0 {
			t.Errorf("formant %v Hz: envelope peak at %v Hz", f, peaks[k])
		}
	}
	// The source falls 12 dB per octave, faster than F1's resonance (F/B ≈ 12)
	// lifts the 7th harmonic: the strongest component is the F0 itself.
	if got := peakFrequencyHz(x[:n/2], rate); math.Abs(got-f0) > 2 {
		t.Errorf("strongest component at %.1f Hz, want the F0, %v Hz", got, f0)
	}
}

// TestFormantsForTube: a 17.5 cm tube closed at one end resonates at 490,
// 1470, 2450 Hz, … (the neutral vowel of a human vocal tract).
func TestFormantsForTube(t *testing.T) {
	f, bw := formantsFor(0.175, []float64{1, 1, 1, 1})
	want := []float64{490, 1470, 2450, 3430}
	for k := range want {
		if math.Abs(f[k]-want[k]) > 0.5 || math.Abs(bw[k]-(50+0.05*want[k])) > 0.1 {
			t.Errorf("formant %d: %.1f Hz (bandwidth %.1f), want %v", k+1, f[k], bw[k], want[k])
		}
	}
}

// TestMammalContour: the F0 contour starts, peaks and ends where asked.
func TestMammalContour(t *testing.T) {
	c := FormantCall{F0StartHz: 300, F0PeakHz: 500, F0EndHz: 200, PeakAt: 0.3}
	for _, tc := range []struct{ t, want float64 }{{0, 300}, {0.15, 400}, {0.3, 500}, {0.65, 350}, {1, 200}} {
		if got := c.f0At(tc.t); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("F0 at %v: %v Hz, want %v", tc.t, got, tc.want)
		}
	}
}
