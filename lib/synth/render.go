package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// envelope is a raised-cosine attack (15% of the syllable) and release (25%).
func envelope(i, n int) float64 {
	t := (float64(i) + 0.5) / float64(n)
	switch {
	case t < 0.15:
		return 0.5 - 0.5*math.Cos(math.Pi*t/0.15)
	case t > 0.75:
		return 0.5 - 0.5*math.Cos(math.Pi*(1-t)/0.25)
	}
	return 1
}

// renderSyllable writes syllable s into dst (len = its duration in samples) at rate.
func renderSyllable(dst []float64, s Syllable, rate float64, rng *rand.Rand) {
	n := len(dst)
	maxHz := math.Min(MaxHz, 0.45*rate)
	T := float64(n) / rate
	expGlide := func(t float64) float64 { return s.StartHz * math.Pow(s.EndHz/s.StartHz, t/T) }
	phase := rng.Float64() * 2 * math.Pi
	switch s.Kind {
	case Whistle, UpSweep, DownSweep, Harmonic:
		var partials []float64
		if s.Kind == Harmonic {
			partials = s.Harmonics
		} else {
			partials = []float64{1}
		}
		var norm float64
		for _, a := range partials {
			norm += a
		}
		for i := range dst {
			t := float64(i) / rate
			f := expGlide(t)
			if s.Kind == Whistle {
				f = s.StartHz + (s.EndHz-s.StartHz)*t/T + s.FMDepthHz*math.Sin(2*math.Pi*s.FMRateHz*t)
			}
			phase += 2 * math.Pi * f / rate
			var v float64
			for h, a := range partials {
				if float64(h+1)*f > maxHz {
					break
				}
				v += a * math.Sin(float64(h+1)*phase)
			}
			dst[i] = s.Amplitude * envelope(i, n) * v / norm
		}
	case Trill:
		period := int(math.Round(rate / s.TrillRateHz))
		note := max(8, int(0.6*float64(period)))
		for start := 0; start+note <= n; start += period {
			noteT := float64(note) / rate
			for j := 0; j < note; j++ {
				t := float64(j) / rate
				f := s.StartHz * math.Pow(s.EndHz/s.StartHz, t/noteT)
				phase += 2 * math.Pi * f / rate
				dst[start+j] += s.Amplitude * envelope(j, note) * math.Sin(phase)
			}
		}
	case Buzz:
		// White noise made band-limited to [StartHz, EndHz] exactly (zeroing FFT bins
		// outside the band), then pulsed at TrillRateHz.
		band := bandLimitedNoise(n, s.StartHz, math.Min(s.EndHz, maxHz), rate, rng)
		pulse := rate / s.TrillRateHz
		var ss float64
		for i := range dst {
			pos := math.Mod(float64(i), pulse) / pulse
			dst[i] = band[i] * (0.6 - 0.4*math.Cos(2*math.Pi*pos))
			ss += dst[i] * dst[i]
		}
		// Scale to the syllable's amplitude (RMS = amplitude/2).
		if ss > 0 {
			g := s.Amplitude / 2 / math.Sqrt(ss/float64(n))
			for i := range dst {
				dst[i] *= g * envelope(i, n)
			}
		}
	}
}

// RenderSong renders one rendition of song at rateHz: the song jittered slightly by
// rng (durations, gaps, pitch), as float64 full-scale samples.
func RenderSong(song Song, rateHz int, rng *rand.Rand) []float64 {
	song = varySong(song, rng, renditionVariation)
	rate := float64(rateHz)
	var out []float64
	for i, p := range song.Pattern {
		if i > 0 {
			out = append(out, make([]float64, int(song.GapSeconds*rate))...)
		}
		syl := make([]float64, max(8, int(song.Syllables[p].DurationSeconds*rate)))
		renderSyllable(syl, song.Syllables[p], rate, rng)
		out = append(out, syl...)
	}
	return out
}

// NoiseKind is a kind of background sound.
type NoiseKind int

const (
	// Pink noise has equal power per octave (1/f).
	Pink NoiseKind = iota
	// Brown noise falls 6 dB per octave (1/f²).
	Brown
	// Wind is low-passed brown noise (below about 150 Hz) in slow gusts.
	Wind
	// Rain is a Poisson stream of short high-passed noise clicks.
	Rain
	// InsectChorus is 20–40 distant insects on carriers of 3.5–9 kHz, each
	// pulsing at its own syllable rate, never stopping.
	InsectChorus
	// Traffic is road noise: pink noise low-passed at 1–2 kHz over brown rumble,
	// swelling as vehicles pass every few seconds.
	Traffic
	// Machinery is an engine's or generator's hum: a fundamental of 25–120 Hz and
	// its harmonics (amplitude 1/h; at most 40, up to 3 kHz), wobbling slightly, over a little
	// pink noise.
	Machinery
	numNoiseKinds
)

// corpusNoiseKinds is how many kinds WriteCorpus and lib/cmd/pretrain draw
// from: the first four, as when there were only four, so that their corpora
// stay the same bit for bit.
const corpusNoiseKinds = 4

var noiseNames = [...]string{"pink", "brown", "wind", "rain", "insect-chorus", "traffic", "machinery"}

// NoiseKinds returns every kind of background sound.
func NoiseKinds() []NoiseKind {
	kinds := make([]NoiseKind, numNoiseKinds)
	for k := range kinds {
		kinds[k] = NoiseKind(k)
	}
	return kinds
}

// String returns the kind's name.
func (k NoiseKind) String() string {
	if k >= 0 && int(k) < len(noiseNames) {
		return noiseNames[k]
	}
	return fmt.Sprintf("noise(%d)", int(k))
}

// noiseBed returns n samples of an equal-power mix of the kinds of noise, each
// drawn with unit RMS ([Pink] when kinds is empty).
func noiseBed(kinds []NoiseKind, n int, rate float64, rng *rand.Rand) []float64 {
	if len(kinds) == 0 {
		kinds = []NoiseKind{Pink}
	}
	bed := make([]float64, n)
	for _, k := range kinds {
		for i, v := range noise(k, n, rate, rng) {
			bed[i] += v / math.Sqrt(float64(len(kinds)))
		}
	}
	return bed
}

// noise returns n samples of the kind with unit RMS.
func noise(kind NoiseKind, n int, rate float64, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	switch kind {
	case Pink: // Paul Kellet's refined pink filter
		var b0, b1, b2, b3, b4, b5, b6 float64
		for i := range x {
			w := rng.NormFloat64()
			b0 = 0.99886*b0 + w*0.0555179
			b1 = 0.99332*b1 + w*0.0750759
			b2 = 0.96900*b2 + w*0.1538520
			b3 = 0.86650*b3 + w*0.3104856
			b4 = 0.55000*b4 + w*0.5329522
			b5 = -0.7616*b5 - w*0.0168980
			x[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w*0.5362
			b6 = w * 0.115926
		}
	case Brown, Wind:
		leak := math.Exp(-2 * math.Pi * 20 / rate) // integrator that forgets below 20 Hz
		var b float64
		for i := range x {
			b = leak*b + rng.NormFloat64()
			x[i] = b
		}
		if kind == Wind {
			lp := math.Exp(-2 * math.Pi * 150 / rate)
			var y float64
			gustHz, gustPhase := 0.1+0.4*rng.Float64(), 2*math.Pi*rng.Float64()
			for i := range x {
				y = lp*y + (1-lp)*x[i]
				gust := 0.6 + 0.4*math.Sin(2*math.Pi*gustHz*float64(i)/rate+gustPhase)
				x[i] = y * gust * gust
			}
		}
	case Rain:
		ratePerSecond := 50 + 250*rng.Float64()
		p := ratePerSecond / rate
		for i := 0; i < n; i++ {
			if rng.Float64() >= p {
				continue
			}
			amp := math.Exp(rng.NormFloat64() * 0.7)
			decay := math.Exp(-1 / (rate * (0.0005 + 0.002*rng.Float64())))
			a, prev := amp, 0.0
			for j := i; j < n && a > amp*1e-3; j++ {
				w := rng.NormFloat64() * a
				x[j] += w - prev // first difference: high-pass
				prev = w
				a *= decay
			}
		}
	case InsectChorus:
		for range 20 + rng.IntN(21) {
			carrier, sylRate, duty := logUniform(rng, 3500, 9000), logUniform(rng, 15, 70), 0.3+0.4*rng.Float64()
			level, phase, sylPhase := math.Exp(rng.NormFloat64()*0.5), 2*math.Pi*rng.Float64(), rng.Float64()
			if carrier > 0.45*rate {
				continue
			}
			pos, step := sylPhase, sylRate/rate
			for i := range x {
				if pos += step; pos >= 1 {
					pos--
				}
				if pos >= duty {
					continue
				}
				env := math.Sin(math.Pi * pos / duty)
				x[i] += level * env * math.Sin(phase+2*math.Pi*carrier*float64(i)/rate)
			}
		}
	case Traffic:
		pink := noise(Pink, n, rate, rng)
		brown := noise(Brown, n, rate, rng)
		lp := math.Exp(-2 * math.Pi * (1000 + 1000*rng.Float64()) / rate)
		var y float64
		seconds := float64(n) / rate
		type pass struct{ at, width, level float64 }
		var passes []pass
		for t := -3 * rng.Float64(); t < seconds+3; t += logUniform(rng, 2, 10) {
			passes = append(passes, pass{t, 1 + 2*rng.Float64(), 0.5 + rng.Float64()})
		}
		for i := range x {
			y = lp*y + (1-lp)*pink[i]
			t := float64(i) / rate
			swell := 0.3
			for _, p := range passes {
				d := (t - p.at) / p.width
				swell += p.level * math.Exp(-d*d)
			}
			x[i] = swell * (y + 0.3*brown[i])
		}
	case Machinery:
		f0 := logUniform(rng, 25, 120)
		wobbleHz, wobble := 0.1+0.5*rng.Float64(), 0.002+0.008*rng.Float64()
		harmonics := min(40, int(math.Min(3000, 0.45*rate)/f0))
		phases := make([]float64, harmonics)
		for h := range phases {
			phases[h] = 2 * math.Pi * rng.Float64()
		}
		pink := noise(Pink, n, rate, rng)
		var phase float64
		for i := range x {
			f := f0 * (1 + wobble*math.Sin(2*math.Pi*wobbleHz*float64(i)/rate))
			phase += 2 * math.Pi * f / rate
			var v float64
			for h := range harmonics {
				v += math.Sin(float64(h+1)*phase+phases[h]) / float64(h+1)
			}
			x[i] = v + 0.1*pink[i]
		}
	}
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	if ss > 0 {
		g := 1 / math.Sqrt(ss/float64(n))
		for i := range x {
			x[i] *= g
		}
	}
	return x
}
