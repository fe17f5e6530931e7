package synth

import (
	"fmt"
	"math"
)

// Voice is one singer in a recording: a species and one of its individuals.
type Voice struct {
	// Species is the species index in the catalogue.
	Species int
	// Individual is the individual's number within the species (0, 1, ...).
	Individual int
}

// RecordingOptions configures a recording.
type RecordingOptions struct {
	// DurationSeconds is the recording's length (> 0).
	DurationSeconds float64
	// SampleRateHz is the sample rate (≥ 22050; 32000 when 0).
	SampleRateHz int
	// Foreground are the singers whose songs are labelled; each sings from a random
	// onset, song after song while songs fit.
	Foreground []Voice
	// SNRdB is the foreground-to-background ratio (see the package doc).
	SNRdB float64
	// Noise lists the background noises mixed in with equal power; empty means pink.
	Noise []NoiseKind
	// Distant is the number of distant songs of other species in the background
	// (muffled by a low-pass and 10–25 dB quieter than the noise's RMS before mixing).
	Distant []Voice
	// MaxSongs caps the songs per foreground voice (0 means as many as fit).
	MaxSongs int
}

// Event is one song in a recording, as an annotator would box it.
type Event struct {
	// Voice is who sings.
	Voice Voice
	// StartSeconds and EndSeconds bound the song in time.
	StartSeconds, EndSeconds float64
	// LowHz and HighHz bound it in frequency.
	LowHz, HighHz float64
}

// Recording is a generated recording and what is in it.
type Recording struct {
	// Samples are mono, full-scale, peak equal to PeakGain.
	Samples []float32
	// SampleRateHz is the sample rate.
	SampleRateHz int
	// Events are the foreground songs in time order of their voices.
	Events []Event
	// Background are the distant songs (part of the noise, not labelled).
	Background []Event
	// SNRdB is the ratio the recording was mixed at.
	SNRdB float64
	// PeakGain is the absolute peak amplitude, drawn from [0.1, 0.8].
	PeakGain float64
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o RecordingOptions) withDefaults() RecordingOptions {
	if o.SampleRateHz == 0 {
		o.SampleRateHz = 32000
	}
	return o
}

// Record renders a recording. seed selects the random draws (onsets, jitter,
// noise, gain); the same catalogue, seed and options give the same samples.
func (c *Catalogue) Record(seed uint64, o RecordingOptions) (*Recording, error) {
	o = o.withDefaults()
	if o.SampleRateHz < 22050 {
		return nil, fmt.Errorf("synth: sample rate %d Hz is too low for 10 kHz content (want ≥ 22050)", o.SampleRateHz)
	}
	if !(o.DurationSeconds > 0) || o.DurationSeconds > 24*3600 {
		return nil, fmt.Errorf("synth: duration %v s, want > 0 and ≤ one day", o.DurationSeconds)
	}
	if len(o.Foreground) == 0 {
		return nil, fmt.Errorf("synth: a recording needs at least one foreground voice")
	}
	for _, v := range append(append([]Voice(nil), o.Foreground...), o.Distant...) {
		if v.Species < 0 || v.Species >= len(c.Species) || v.Individual < 0 {
			return nil, fmt.Errorf("synth: voice %+v: species must be in [0, %d) and individual ≥ 0", v, len(c.Species))
		}
	}
	rng := rngFor(c.Seed, streamRecording, seed)
	rate := float64(o.SampleRateHz)
	n := int(math.Round(o.DurationSeconds * rate))
	rec := &Recording{SampleRateHz: o.SampleRateHz, SNRdB: o.SNRdB}
	fg := make([]float64, n)
	active := make([]bool, n)
	maxHz := math.Min(MaxHz, 0.45*rate)
	for _, v := range o.Foreground {
		song := c.Individual(v.Species, v.Individual)
		lo, hi := song.Band(maxHz)
		first := RenderSong(song, o.SampleRateHz, rng)
		slack := n - len(first)
		start := 0
		if slack > 0 {
			start = rng.IntN(slack + 1)
		}
		rendition := first
		for k := 0; o.MaxSongs == 0 || k < o.MaxSongs; k++ {
			if k > 0 {
				rendition = RenderSong(song, o.SampleRateHz, rng)
			}
			end := min(n, start+len(rendition))
			if k > 0 && start+len(rendition) > n {
				break
			}
			for i := start; i < end; i++ {
				fg[i] += rendition[i-start]
				active[i] = true
			}
			rec.Events = append(rec.Events, Event{Voice: v, StartSeconds: float64(start) / rate, EndSeconds: float64(end) / rate, LowHz: lo, HighHz: hi})
			start = end + int(song.SongGapSeconds*rate*math.Exp(rng.NormFloat64()*0.2))
			if start >= n {
				break
			}
		}
	}
	// Background: equal-power mix of the noises, plus distant songs.
	bg := noiseBed(o.Noise, n, rate, rng)
	for _, v := range o.Distant {
		song := c.Individual(v.Species, v.Individual)
		r := RenderSong(song, o.SampleRateHz, rng)
		start := rng.IntN(max(1, n-len(r)))
		gain := math.Pow(10, -(10+15*rng.Float64())/20) / rms(r)
		// Air absorbs high frequencies: a one-pole low-pass at 2.5–5 kHz.
		cut := 2500 + 2500*rng.Float64()
		a := math.Exp(-2 * math.Pi * cut / rate)
		var y float64
		end := min(n, start+len(r))
		for i := start; i < end; i++ {
			y = a*y + (1-a)*r[i-start]
			bg[i] += gain * y
		}
		lo, hi := song.Band(maxHz)
		rec.Background = append(rec.Background, Event{Voice: v, StartSeconds: float64(start) / rate, EndSeconds: float64(end) / rate, LowHz: lo, HighHz: math.Min(hi, cut*2)})
	}
	// SNR: foreground power over its active samples against background power.
	ps := activePower(fg, active)
	pn := rms(bg) * rms(bg)
	scale := 0.0
	if pn > 0 && ps > 0 {
		scale = math.Sqrt(ps / (pn * math.Pow(10, o.SNRdB/10)))
	}
	mix := make([]float64, n)
	var peak float64
	for i := range mix {
		mix[i] = fg[i] + scale*bg[i]
		peak = math.Max(peak, math.Abs(mix[i]))
	}
	rec.PeakGain = 0.1 + 0.7*rng.Float64()
	g := 0.0
	if peak > 0 {
		g = rec.PeakGain / peak
	}
	rec.Samples = make([]float32, n)
	for i, v := range mix {
		rec.Samples[i] = float32(v * g)
	}
	return rec, nil
}

func rms(x []float64) float64 {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	return math.Sqrt(ss / float64(max(1, len(x))))
}
