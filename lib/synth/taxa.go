package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
)

// taxonVariation sizes the log-normal perturbations of a frog, insect or
// mammal (standard deviations of the log): frequencies, rates (pulse,
// syllable, F0), counts (pulses, syllables) and durations and gaps.
type taxonVariation struct{ freq, rate, count, dur float64 }

var (
	frogSpeciesVariation      = taxonVariation{freq: 0.12, rate: 0.18, count: 0.25, dur: 0.2}
	frogIndividualVariation   = taxonVariation{freq: 0.03, rate: 0.04, count: 0.1, dur: 0.05}
	insectSpeciesVariation    = taxonVariation{freq: 0.1, rate: 0.15, count: 0.25, dur: 0.2}
	insectIndividualVariation = taxonVariation{freq: 0.02, rate: 0.04, count: 0.1, dur: 0.05}
	mammalSpeciesVariation    = taxonVariation{freq: 0.1, rate: 0.15, count: 0, dur: 0.2}
	mammalIndividualVariation = taxonVariation{freq: 0.03, rate: 0.06, count: 0, dur: 0.08}
)

// ---- Frogs ----

// PulseTrain is a frog call: Pulses tone bursts at PulseRateHz on a carrier,
// each rising fast and decaying, as a frog's call is a train of pulses its
// larynx makes one per muscle contraction.
type PulseTrain struct {
	// CarrierHz is the dominant frequency; it falls by SweepFraction over each
	// pulse. HarmonicLevel is the second harmonic's amplitude relative to the
	// carrier's.
	CarrierHz, SweepFraction, HarmonicLevel float64
	// PulseRateHz is the number of pulses per second, DutyCycle the pulse's
	// length as a fraction of the pulse period, Pulses the pulses in a call.
	PulseRateHz, DutyCycle float64
	Pulses                 int
	// GapSeconds is the silence between calls; Amplitude the level (0–1].
	GapSeconds, Amplitude float64
}

// DurationSeconds is the call's length.
func (p PulseTrain) DurationSeconds() float64 { return float64(p.Pulses) / p.PulseRateHz }

// FrogSpecies holds a frog's two calls.
type FrogSpecies struct {
	Advertisement, Encounter PulseTrain
}

func (f FrogSpecies) calls() []PulseTrain { return []PulseTrain{f.Advertisement, f.Encounter} }

func (f FrogSpecies) band() (lowHz, highHz float64) {
	lowHz, highHz = math.Inf(1), 0
	for _, c := range f.calls() {
		lowHz = math.Min(lowHz, c.CarrierHz*(1-c.SweepFraction))
		hi := c.CarrierHz
		if c.HarmonicLevel > 0.1 {
			hi *= 2
		}
		highHz = math.Max(highHz, hi)
	}
	return lowHz, highHz
}

func frogPrototype(rng *rand.Rand) FrogSpecies {
	adv := PulseTrain{CarrierHz: logUniform(rng, 700, 4000), SweepFraction: 0.08 * rng.Float64(), HarmonicLevel: 0.5 * rng.Float64(),
		PulseRateHz: logUniform(rng, 8, 150), DutyCycle: 0.25 + 0.45*rng.Float64(), GapSeconds: logUniform(rng, 0.25, 1.5), Amplitude: 1}
	adv.Pulses = max(3, int(math.Round(logUniform(rng, 0.08, 1.0)*adv.PulseRateHz)))
	enc := adv
	enc.PulseRateHz *= 0.4 + 0.3*rng.Float64()
	enc.DutyCycle = math.Min(0.85, adv.DutyCycle*1.3)
	enc.Pulses = max(2, adv.Pulses/3)
	enc.CarrierHz *= 0.93
	enc.GapSeconds *= 1.5
	return FrogSpecies{Advertisement: adv, Encounter: enc}
}

// vary perturbs both calls by one shift of carrier, rate and count, so the
// calls keep their relation.
func (f FrogSpecies) vary(rng *rand.Rand, v taxonVariation) FrogSpecies {
	freq, rate, count, dur := lnJitter(rng, 1, v.freq), lnJitter(rng, 1, v.rate), lnJitter(rng, 1, v.count), lnJitter(rng, 1, v.dur)
	one := func(p PulseTrain) PulseTrain {
		p.CarrierHz = clamp(p.CarrierHz*freq, 500, 5000)
		p.PulseRateHz = clamp(p.PulseRateHz*rate, 4, 250)
		p.Pulses = max(2, int(math.Round(float64(p.Pulses)*count)))
		for p.DurationSeconds() > 1.5 {
			p.Pulses--
		}
		p.DutyCycle = clamp(p.DutyCycle*dur, 0.15, 0.9)
		p.GapSeconds *= dur
		return p
	}
	return FrogSpecies{Advertisement: one(f.Advertisement), Encounter: one(f.Encounter)}
}

// rendition jitters one utterance: rate ±1% (as with temperature), carrier
// ±0.4%, one pulse more or fewer.
func (p PulseTrain) rendition(rng *rand.Rand) PulseTrain {
	p.PulseRateHz = lnJitter(rng, p.PulseRateHz, 0.01)
	p.CarrierHz = lnJitter(rng, p.CarrierHz, 0.004)
	p.Pulses = max(2, p.Pulses+rng.IntN(3)-1)
	return p
}

// pulseEnvelope rises as sin² over the first 20% of a pulse and decays
// exponentially to e⁻⁴ at its end, with a short cosine fade over the last 5%.
func pulseEnvelope(t float64) float64 {
	if t < 0.2 {
		s := math.Sin(math.Pi * t / 0.4)
		return s * s
	}
	e := math.Exp(-4 * (t - 0.2) / 0.8)
	if t > 0.95 {
		e *= 0.5 + 0.5*math.Cos(math.Pi*(t-0.95)/0.05)
	}
	return e
}

// render writes the call at rate (samples per second).
func (p PulseTrain) render(rate float64, rng *rand.Rand) []float64 {
	period := rate / p.PulseRateHz
	pulseLen := max(4, int(p.DutyCycle*period))
	out := make([]float64, int(math.Ceil(float64(p.Pulses-1)*period))+pulseLen)
	phase := rng.Float64() * 2 * math.Pi
	norm := 1 + p.HarmonicLevel
	for k := range p.Pulses {
		start := int(math.Round(float64(k) * period))
		for j := range pulseLen {
			t := float64(j) / float64(pulseLen)
			f := p.CarrierHz * (1 - p.SweepFraction*t)
			phase += 2 * math.Pi * f / rate
			v := math.Sin(phase)
			if 2*f < 0.45*rate {
				v += p.HarmonicLevel * math.Sin(2*phase)
			}
			out[start+j] += p.Amplitude * pulseEnvelope(t) * v / norm
		}
	}
	return out
}

// ---- Insects ----

// Stridulation is an insect's song: a file of teeth drawn across a scraper
// (ToothRateHz impacts per second) in syllables (one per wing stroke,
// SyllableRateHz, each DutyCycle of its period long), grouped into chirps of
// SyllablesPerChirp syllables or, when that is 0, a trill lasting
// TrillSeconds. The wing resonates at CarrierHz, a pure tone (crickets), or
// over a band BandwidthHz wide (katydids) when BandwidthHz > 0.
type Stridulation struct {
	CarrierHz, BandwidthHz                 float64
	SyllableRateHz, DutyCycle, ToothRateHz float64
	SyllablesPerChirp                      int
	TrillSeconds                           float64
	// GapSeconds is the silence between chirps; Amplitude the level (0–1].
	GapSeconds, Amplitude float64
}

// InsectSpecies holds an insect's calling and courtship songs.
type InsectSpecies struct {
	Calling, Courtship Stridulation
}

func (s InsectSpecies) songs() []Stridulation { return []Stridulation{s.Calling, s.Courtship} }

func (s InsectSpecies) band() (lowHz, highHz float64) {
	lowHz, highHz = math.Inf(1), 0
	for _, c := range s.songs() {
		half := math.Max(c.BandwidthHz/2, c.ToothRateHz)
		lowHz, highHz = math.Min(lowHz, c.CarrierHz-half), math.Max(highHz, c.CarrierHz+half)
	}
	return lowHz, highHz
}

func insectPrototype(rng *rand.Rand) InsectSpecies {
	c := Stridulation{SyllableRateHz: logUniform(rng, 15, 90), DutyCycle: 0.3 + 0.4*rng.Float64(), ToothRateHz: logUniform(rng, 400, 2500),
		GapSeconds: logUniform(rng, 0.15, 1.0), Amplitude: 1}
	if rng.Float64() < 0.6 { // cricket: a pure tone
		c.CarrierHz = logUniform(rng, 2500, 9000)
	} else { // katydid: a band
		c.CarrierHz = logUniform(rng, 6000, 12000)
		c.BandwidthHz = c.CarrierHz * (0.25 + 0.25*rng.Float64())
	}
	if rng.Float64() < 0.35 {
		c.TrillSeconds = logUniform(rng, 0.6, 2.5)
	} else {
		c.SyllablesPerChirp = 2 + rng.IntN(7)
	}
	court := c
	court.SyllableRateHz *= 1.3 + 0.7*rng.Float64()
	court.DutyCycle *= 0.6
	court.ToothRateHz *= 1.2
	court.SyllablesPerChirp, court.TrillSeconds = 1+rng.IntN(3), 0
	court.GapSeconds = logUniform(rng, 0.1, 0.4)
	court.Amplitude = 0.5
	return InsectSpecies{Calling: c, Courtship: court}
}

func (s InsectSpecies) vary(rng *rand.Rand, v taxonVariation) InsectSpecies {
	freq, rate, count, dur, tooth := lnJitter(rng, 1, v.freq), lnJitter(rng, 1, v.rate), lnJitter(rng, 1, v.count), lnJitter(rng, 1, v.dur), lnJitter(rng, 1, v.rate)
	one := func(c Stridulation) Stridulation {
		c.CarrierHz = clamp(c.CarrierHz*freq, 2000, 14000)
		c.BandwidthHz *= freq
		c.SyllableRateHz = clamp(c.SyllableRateHz*rate, 5, 150)
		c.ToothRateHz *= tooth
		if c.SyllablesPerChirp > 0 {
			c.SyllablesPerChirp = max(1, int(math.Round(float64(c.SyllablesPerChirp)*count)))
		}
		c.TrillSeconds *= dur
		c.DutyCycle = clamp(c.DutyCycle*dur, 0.15, 0.85)
		c.GapSeconds *= dur
		return c
	}
	return InsectSpecies{Calling: one(s.Calling), Courtship: one(s.Courtship)}
}

// rendition jitters one chirp or trill: syllable rate ±1.5%, carrier ±0.3%,
// trill length ±15%.
func (c Stridulation) rendition(rng *rand.Rand) Stridulation {
	c.SyllableRateHz = lnJitter(rng, c.SyllableRateHz, 0.015)
	c.CarrierHz = lnJitter(rng, c.CarrierHz, 0.003)
	c.TrillSeconds = lnJitter(rng, c.TrillSeconds, 0.15)
	return c
}

// DurationSeconds is the length of one chirp (or trill).
func (c Stridulation) DurationSeconds() float64 {
	if c.SyllablesPerChirp == 0 {
		return c.TrillSeconds
	}
	return (float64(c.SyllablesPerChirp-1) + c.DutyCycle) / c.SyllableRateHz
}

func (c Stridulation) render(rate float64, rng *rand.Rand) []float64 {
	period := rate / c.SyllableRateHz
	sylLen := max(8, int(c.DutyCycle*period))
	syllables := c.SyllablesPerChirp
	if syllables == 0 {
		syllables = max(1, int(c.TrillSeconds*c.SyllableRateHz))
	}
	out := make([]float64, int(math.Ceil(float64(syllables-1)*period))+sylLen)
	maxHz := 0.45 * rate
	var carrier []float64
	if c.BandwidthHz > 0 {
		// RMS 1/√2, a sine's, so a katydid is as loud as a cricket of the same amplitude.
		carrier = scaleToRMS(bandNoise(len(out), c.CarrierHz-c.BandwidthHz/2, math.Min(c.CarrierHz+c.BandwidthHz/2, maxHz), rate, rng), math.Sqrt(0.5))
	}
	phase := rng.Float64() * 2 * math.Pi
	toothPhase := rng.Float64()
	for k := range syllables {
		start := int(math.Round(float64(k) * period))
		for j := range sylLen {
			t := float64(j) / rate
			// Tooth impacts: a sharp periodic emphasis, (½ + ½cos)².
			a := 0.5 + 0.5*math.Cos(2*math.Pi*(c.ToothRateHz*t+toothPhase))
			impact := 0.4 + 0.6*a*a
			var v float64
			if carrier != nil {
				v = carrier[start+j]
			} else {
				f := c.CarrierHz * (1 - 0.02*float64(j)/float64(sylLen))
				phase += 2 * math.Pi * f / rate
				if f < maxHz {
					v = math.Sin(phase)
				}
			}
			out[start+j] += c.Amplitude * envelope(j, sylLen) * impact * v
		}
	}
	return out
}

// bandNoise returns n samples of Gaussian noise with every FFT bin outside
// [lowHz, highHz] zeroed, scaled to unit RMS.
func bandNoise(n int, lowHz, highHz, rate float64, rng *rand.Rand) []float64 {
	return scaleToRMS(bandLimitedNoise(n, lowHz, highHz, rate, rng)[:n], 1)
}

// whiteSpectrum draws Gaussian noise of size samples, the smallest power of
// two ≥ n, and returns its FFT plan and coefficients (bin k is at k·rate/size
// Hz).
func whiteSpectrum(n int, rng *rand.Rand) (fft *fourier.FFT, coeffs []complex128, size int) {
	size = 1
	for size < n {
		size *= 2
	}
	white := make([]float64, size)
	for i := range white {
		white[i] = rng.NormFloat64()
	}
	fft = fourier.NewFFT(size)
	return fft, fft.Coefficients(nil, white), size
}

// bandLimitedNoise returns whiteSpectrum's noise (a power of two ≥ n samples,
// not scaled) with every FFT bin outside [lowHz, highHz] zeroed.
func bandLimitedNoise(n int, lowHz, highHz, rate float64, rng *rand.Rand) []float64 {
	fft, coeffs, size := whiteSpectrum(n, rng)
	for k := range coeffs {
		if f := float64(k) * rate / float64(size); f < lowHz || f > highHz {
			coeffs[k] = 0
		}
	}
	return fft.Sequence(nil, coeffs)
}

// scaleToRMS scales x in place to the given RMS (unless it is silent) and returns it.
func scaleToRMS(x []float64, target float64) []float64 {
	if r := rms(x); r > 0 {
		for i := range x {
			x[i] *= target / r
		}
	}
	return x
}

// ---- Mammals ----

// FormantCall is a mammal's call by the source-filter model: a voiced source
// whose F0 rises from F0StartHz to F0PeakHz (at PeakAt of the call) and falls
// to F0EndHz, its harmonics falling 12 dB per octave, filtered by the vocal
// tract's resonances (formants) at FormantsHz with BandwidthsHz; Breathiness
// of the power is aspiration noise through the same formants. A unit is Calls
// calls InterCallSeconds apart.
type FormantCall struct {
	F0StartHz, F0PeakHz, F0EndHz, PeakAt float64
	DurationSeconds                      float64
	FormantsHz, BandwidthsHz             []float64
	Breathiness                          float64
	Calls                                int
	InterCallSeconds                     float64
	// GapSeconds is the silence after a unit; Amplitude the level (0–1].
	GapSeconds, Amplitude float64
}

// MammalSpecies holds a mammal's vocal-tract length (which sets its
// formants) and its two calls.
type MammalSpecies struct {
	TractMetres float64
	Call, Bark  FormantCall
}

func (m MammalSpecies) calls() []FormantCall { return []FormantCall{m.Call, m.Bark} }

// mammalMaxHz caps the harmonics of mammal calls.
const mammalMaxHz = 12000.0

func (m MammalSpecies) band() (lowHz, highHz float64) {
	lowHz, highHz = math.Inf(1), 0
	for _, c := range m.calls() {
		lowHz = math.Min(lowHz, math.Min(c.F0StartHz, c.F0EndHz))
		highHz = math.Max(highHz, c.FormantsHz[len(c.FormantsHz)-1]+c.BandwidthsHz[len(c.BandwidthsHz)-1])
	}
	return lowHz, math.Min(highHz, mammalMaxHz)
}

// formantsFor returns the formants of a uniform tube of length L closed at one
// end, (2k−1)·c/(4L) with c = 343 m/s, each moved by its own factor in shifts,
// kept between 300 Hz and 9 kHz and at least 200 Hz apart, and their
// bandwidths, 50 Hz + 5% of the frequency.
func formantsFor(tractMetres float64, shifts []float64) (formants, bandwidths []float64) {
	for k, s := range shifts {
		f := float64(2*k+1) * 343 / (4 * tractMetres) * s
		if f > 9000 {
			break
		}
		f = math.Max(f, 300)
		if len(formants) > 0 && f < formants[len(formants)-1]+200 {
			f = formants[len(formants)-1] + 200
		}
		formants = append(formants, f)
		bandwidths = append(bandwidths, 50+0.05*f)
	}
	return formants, bandwidths
}

func mammalPrototype(rng *rand.Rand) MammalSpecies {
	m := MammalSpecies{TractMetres: logUniform(rng, 0.06, 0.35)}
	shifts := make([]float64, 6)
	for k := range shifts {
		shifts[k] = math.Exp(rng.NormFloat64() * 0.08)
	}
	formants, bandwidths := formantsFor(m.TractMetres, shifts)
	f0 := clamp(logUniform(rng, 100, 1000)*math.Sqrt(0.1/m.TractMetres), 80, 2000)
	m.Call = FormantCall{F0StartHz: f0 * (0.7 + 0.3*rng.Float64()), F0PeakHz: f0 * (1 + 0.6*rng.Float64()), F0EndHz: f0 * (0.5 + 0.5*rng.Float64()),
		PeakAt: 0.15 + 0.55*rng.Float64(), DurationSeconds: logUniform(rng, 0.25, 1.2), FormantsHz: formants, BandwidthsHz: bandwidths,
		Breathiness: 0.2 * rng.Float64(), Calls: 1 + rng.IntN(2), InterCallSeconds: logUniform(rng, 0.1, 0.4), GapSeconds: logUniform(rng, 0.4, 1.5), Amplitude: 1}
	bark := 1.3 * f0
	m.Bark = FormantCall{F0StartHz: 0.9 * bark, F0PeakHz: bark, F0EndHz: 0.8 * bark, PeakAt: 0.2, DurationSeconds: logUniform(rng, 0.06, 0.18),
		FormantsHz: slices.Clone(formants), BandwidthsHz: slices.Clone(bandwidths), Breathiness: 0.4 + 0.3*rng.Float64(),
		Calls: 1 + rng.IntN(3), InterCallSeconds: logUniform(rng, 0.08, 0.25), GapSeconds: logUniform(rng, 0.3, 1.0), Amplitude: 1}
	return m
}

// vary changes the vocal tract's length (every formant moves by its inverse),
// F0 and the durations, the same way for both calls.
func (m MammalSpecies) vary(rng *rand.Rand, v taxonVariation) MammalSpecies {
	tract, rate, dur := lnJitter(rng, 1, v.freq), lnJitter(rng, 1, v.rate), lnJitter(rng, 1, v.dur)
	m.TractMetres *= tract
	one := func(c FormantCall) FormantCall {
		c.F0StartHz, c.F0PeakHz, c.F0EndHz = c.F0StartHz*rate, c.F0PeakHz*rate, c.F0EndHz*rate
		c.FormantsHz, c.BandwidthsHz = slices.Clone(c.FormantsHz), slices.Clone(c.BandwidthsHz)
		for k := range c.FormantsHz {
			c.FormantsHz[k] = math.Min(mammalMaxHz, c.FormantsHz[k]/tract)
			c.BandwidthsHz[k] = 50 + 0.05*c.FormantsHz[k]
		}
		c.DurationSeconds = clamp(c.DurationSeconds*dur, 0.04, 1.6)
		c.InterCallSeconds *= dur
		c.GapSeconds *= dur
		return c
	}
	m.Call, m.Bark = one(m.Call), one(m.Bark)
	return m
}

// rendition jitters one unit: F0 ±2%, duration ±5%.
func (c FormantCall) rendition(rng *rand.Rand) FormantCall {
	f := lnJitter(rng, 1, 0.02)
	c.F0StartHz, c.F0PeakHz, c.F0EndHz = c.F0StartHz*f, c.F0PeakHz*f, c.F0EndHz*f
	c.DurationSeconds = lnJitter(rng, c.DurationSeconds, 0.05)
	return c
}

// f0At is the F0 contour: raised-cosine glides from start to peak and from
// peak to end; t is the fraction of the call.
func (c FormantCall) f0At(t float64) float64 {
	if t < c.PeakAt {
		return c.F0StartHz + (c.F0PeakHz-c.F0StartHz)*(0.5-0.5*math.Cos(math.Pi*t/c.PeakAt))
	}
	return c.F0PeakHz + (c.F0EndHz-c.F0PeakHz)*(0.5-0.5*math.Cos(math.Pi*(t-c.PeakAt)/(1-c.PeakAt)))
}

// tractGain is the vocal tract's magnitude response at f: a cascade of
// second-order resonances, each F²/|F² − f² + i·f·B| (1 at 0 Hz, about F/B at F).
func (c FormantCall) tractGain(f float64) float64 {
	g := 1.0
	for k, fk := range c.FormantsHz {
		re, im := fk*fk-f*f, f*c.BandwidthsHz[k]
		g *= fk * fk / math.Hypot(re, im)
	}
	return g
}

// renderOne writes one call at rate.
func (c FormantCall) renderOne(rate float64, rng *rand.Rand) []float64 {
	n := max(16, int(c.DurationSeconds*rate))
	maxHz := math.Min(mammalMaxHz, 0.45*rate)
	voiced := make([]float64, n)
	const block = 32
	var amps []float64
	phase := rng.Float64() * 2 * math.Pi
	for i := range voiced {
		f0 := c.f0At(float64(i) / float64(n))
		if i%block == 0 { // harmonic amplitudes: source tilt 1/h², tract response
			amps = amps[:0]
			for h := 1; float64(h)*f0 < maxHz; h++ {
				amps = append(amps, c.tractGain(float64(h)*f0)/float64(h*h))
			}
		}
		phase += 2 * math.Pi * f0 / rate
		// sin(h·φ) by the Chebyshev recurrence s_h = 2cos(φ)·s_{h−1} − s_{h−2}.
		s1, s0, twoCos := math.Sin(phase), 0.0, 2*math.Cos(phase)
		var v float64
		for h, a := range amps {
			if float64(h+1)*f0 >= maxHz {
				break
			}
			v += a * s1
			s1, s0 = twoCos*s1-s0, s1
		}
		voiced[i] = v
	}
	scaleToRMS(voiced, 1)
	if c.Breathiness > 0 {
		noise := shapedNoise(n, rate, rng, func(f float64) float64 {
			if f > maxHz {
				return 0
			}
			return c.tractGain(f) / math.Max(1, f/1000)
		})
		for i := range voiced {
			voiced[i] = math.Sqrt(1-c.Breathiness)*voiced[i] + math.Sqrt(c.Breathiness)*noise[i]
		}
	}
	for i := range voiced {
		voiced[i] *= c.Amplitude * 0.35 * envelope(i, n)
	}
	return voiced
}

func (c FormantCall) render(rate float64, rng *rand.Rand) []float64 {
	var out []float64
	for k := range max(1, c.Calls) {
		if k > 0 {
			out = append(out, make([]float64, int(c.InterCallSeconds*rate*math.Exp(rng.NormFloat64()*0.1)))...)
		}
		out = append(out, c.renderOne(rate, rng)...)
	}
	return out
}

// shapedNoise returns n samples of Gaussian noise whose spectrum is
// multiplied by gain(f) (f in Hz), scaled to unit RMS.
func shapedNoise(n int, rate float64, rng *rand.Rand, gain func(f float64) float64) []float64 {
	fft, coeffs, size := whiteSpectrum(n, rng)
	for k := range coeffs {
		coeffs[k] *= complex(gain(float64(k)*rate/float64(size)), 0)
	}
	return scaleToRMS(fft.Sequence(nil, coeffs)[:n], 1)
}
