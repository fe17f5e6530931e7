package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// Role is what a source is in a scene.
type Role int

const (
	// RoleLabelled sources are the labels: their units are the scene's Events,
	// and the SNR is theirs.
	RoleLabelled Role = iota
	// RoleInterferer sources call in the foreground, overlapping the labelled
	// ones, but are not labelled (other species in a focal recording).
	RoleInterferer
	// RoleDistant sources are far away and part of the background.
	RoleDistant
)

var roleNames = [...]string{"labelled", "interferer", "distant"}

// String returns the role's name.
func (r Role) String() string {
	if r >= 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// Source is one animal in a scene.
type Source struct {
	// Voice is the animal (Species is its index in the World) and individual.
	Voice Voice
	Role  Role
	// DistanceMetres is how far the animal is from the recorder (≥ 1): it sets
	// the path loss (PathLossDB) and, in reverberant scenes, the DRR (DRRAt).
	DistanceMetres float64
	// LevelDB sets the level of interferers and distant sources. An
	// interferer's mean power over its units is LevelDB relative to the
	// labelled sources' (over theirs); a distant source's is LevelDB relative to
	// the power of the noise bed. Labelled sources keep their levels relative
	// to each other as their distances make them.
	LevelDB float64
}

// Scene is everything that makes one recording: who calls, from where, in
// which habitat, over which background, on which recorder.
type Scene struct {
	// DurationSeconds is the recording's length; SampleRateHz the recorder's
	// rate (8000–48000).
	DurationSeconds float64
	SampleRateHz    int
	// Sources are the animals, each calling unit after unit from a random
	// onset while units fit.
	Sources []Source
	// SongProbability is the chance that a unit is the animal's main call type
	// (a bird's song, a frog's advertisement call, an insect's calling song, a
	// mammal's tonal call); otherwise it is one of its other types, drawn
	// uniformly.
	SongProbability float64
	// SNRdB is the ratio of the labelled sources' mean power (over the samples
	// inside their units) to the background's (noises and distant sources, over
	// the whole recording), before the recorder's filters.
	SNRdB float64
	// Noise are the background noises, mixed with equal power (pink when empty).
	Noise []NoiseKind
	// FoliageDBPerMetre is the habitat's excess attenuation at 1 kHz (see
	// PathLossDB).
	FoliageDBPerMetre float64
	// RT60Seconds is the habitat's reverberation time (0: no reverberation),
	// CriticalDistanceMetres the distance at which direct and reverberant sound
	// are equally loud (see DRRAt).
	RT60Seconds, CriticalDistanceMetres float64
	// HighPassHz and LowPassHz are the recorder's band limits (0: none); see
	// BandLimit.
	HighPassHz, LowPassHz float64
	// ClipDB > 0 drives the recording's peak that far above ClipLevel, where it
	// is clipped; otherwise the peak is scaled to PeakGain.
	ClipDB, PeakGain float64
}

// SceneEvent is one unit of a labelled or interfering source, as an annotator
// would box it.
type SceneEvent struct {
	Voice Voice
	Role  Role
	// CallType indexes the animal's CallTypes.
	CallType int
	// StartSeconds and EndSeconds bound the unit in time (before reverberation).
	StartSeconds, EndSeconds float64
	// LowHz and HighHz bound the animal's band, cut to what the recorder keeps.
	LowHz, HighHz float64
}

// SceneRecording is a rendered scene.
type SceneRecording struct {
	// Samples are mono at Scene.SampleRateHz.
	Samples []float32
	Scene   Scene
	// Events are the labelled sources' units, then the interferers'.
	Events []SceneEvent
	// ClippedFraction is the fraction of samples clipped (0 unless ClipDB > 0).
	ClippedFraction float64
}

// RenderRateHz is the rate scenes are rendered at, before the recorder
// resamples them to its own: high enough for every taxon's band.
const RenderRateHz = 48000

// Validate says what is wrong with the scene, naming the value, or nil.
func (s Scene) Validate(w *World) error {
	switch {
	case !(s.DurationSeconds > 0) || s.DurationSeconds > 3600:
		return fmt.Errorf("synth: scene of %v s, want > 0 and ≤ 1 hour", s.DurationSeconds)
	case s.SampleRateHz < 8000 || s.SampleRateHz > RenderRateHz:
		return fmt.Errorf("synth: scene at %d Hz, want 8000–%d Hz", s.SampleRateHz, RenderRateHz)
	case s.RT60Seconds < 0 || s.RT60Seconds > 10 || (s.RT60Seconds > 0 && !(s.CriticalDistanceMetres > 0)):
		return fmt.Errorf("synth: RT60 %v s with critical distance %v m, want 0–10 s and a positive distance", s.RT60Seconds, s.CriticalDistanceMetres)
	case s.HighPassHz < 0 || s.LowPassHz < 0 || (s.LowPassHz > 0 && s.LowPassHz <= s.HighPassHz):
		return fmt.Errorf("synth: band limits %v–%v Hz, want 0 ≤ high-pass < low-pass (or 0)", s.HighPassHz, s.LowPassHz)
	case s.ClipDB < 0 || s.ClipDB > 40 || (s.ClipDB == 0 && !(s.PeakGain > 0 && s.PeakGain <= 1)):
		return fmt.Errorf("synth: clipping %v dB, peak gain %v: want clipping in [0, 40] dB, or a peak gain in (0, 1]", s.ClipDB, s.PeakGain)
	case math.IsNaN(s.SNRdB) || math.IsNaN(s.FoliageDBPerMetre) || s.FoliageDBPerMetre < 0:
		return fmt.Errorf("synth: SNR %v dB, foliage %v dB/m", s.SNRdB, s.FoliageDBPerMetre)
	}
	labelled := 0
	for _, src := range s.Sources {
		if src.Voice.Species < 0 || src.Voice.Species >= len(w.Animals) || src.Voice.Individual < 0 {
			return fmt.Errorf("synth: source %+v: want an animal in [0, %d) and an individual ≥ 0", src.Voice, len(w.Animals))
		}
		if !(src.DistanceMetres >= 1) || math.IsNaN(src.LevelDB) || src.Role < RoleLabelled || src.Role > RoleDistant {
			return fmt.Errorf("synth: source %+v: want a distance ≥ 1 m, a level and a role", src)
		}
		if src.Role == RoleLabelled {
			labelled++
		}
	}
	if labelled == 0 {
		return fmt.Errorf("synth: a scene needs at least one labelled source")
	}
	return nil
}

// placed is one source's track at RenderRateHz and where its units are.
type placed struct {
	track  []float64
	active []bool
	events []SceneEvent
}

// place renders a source's units one after another from a random onset while
// they start inside the recording (the last one may be cut by the end).
func (w *World) place(src Source, s Scene, n int, rng *rand.Rand) (placed, error) {
	p := placed{track: make([]float64, n), active: make([]bool, n)}
	animal := w.Animals[src.Voice.Species]
	callType := func() int {
		if len(animal.CallTypes) == 1 || rng.Float64() < s.SongProbability {
			return 0
		}
		return 1 + rng.IntN(len(animal.CallTypes)-1)
	}
	lo, hi := w.Band(src.Voice.Species)
	first, err := w.Vocalise(src.Voice.Species, src.Voice.Individual, callType(), RenderRateHz, rng)
	if err != nil {
		return p, err
	}
	start := 0
	if slack := n - len(first.Samples); slack > 0 {
		start = rng.IntN(slack + 1)
	}
	unit := first
	for k := 0; start < n; k++ {
		if k > 0 {
			if unit, err = w.Vocalise(src.Voice.Species, src.Voice.Individual, callType(), RenderRateHz, rng); err != nil {
				return p, err
			}
		}
		end := min(n, start+len(unit.Samples))
		for i := start; i < end; i++ {
			p.track[i] += unit.Samples[i-start]
			p.active[i] = true
		}
		p.events = append(p.events, SceneEvent{Voice: src.Voice, Role: src.Role, CallType: unit.CallType,
			StartSeconds: float64(start) / RenderRateHz, EndSeconds: float64(end) / RenderRateHz, LowHz: lo, HighHz: hi})
		if src.Role == RoleDistant {
			break // one unit: a distant animal is heard once
		}
		start = end + int(unit.GapSeconds*RenderRateHz)
	}
	return p, nil
}

// activePower is the mean power of x over the samples where active is true.
func activePower(x []float64, active []bool) float64 {
	var ps float64
	var na int
	for i, v := range x {
		if active[i] {
			ps += v * v
			na++
		}
	}
	return ps / float64(max(1, na))
}

// RenderScene renders a scene. seed draws everything the scene leaves open
// (onsets, call types, renditions, noises, reverberation tails): the same
// world, seed and scene give the same samples, bit for bit.
//
// The chain, in order: each source's units at RenderRateHz; its path
// (Propagate) and, when RT60Seconds > 0, the habitat's reverberation with the
// DRR of its distance; interferers and distant sources scaled to their
// levels; the background scaled to the SNR; the recorder's band limits
// (BandLimit); resampling to SampleRateHz; the gain, and clipping when ClipDB > 0.
func (w *World) RenderScene(seed uint64, s Scene) (*SceneRecording, error) {
	if err := s.Validate(w); err != nil {
		return nil, err
	}
	rng := rngFor(w.Options.Seed, streamScene, seed)
	const rate = float64(RenderRateHz)
	n := int(math.Round(s.DurationSeconds * rate))
	rec := &SceneRecording{Scene: s}
	var labelled, interferers, distant []placed
	var labelledSources, interfererSources, distantSources []Source
	for _, src := range s.Sources {
		p, err := w.place(src, s, n, rng)
		if err != nil {
			return nil, err
		}
		var ir []float64
		if s.RT60Seconds > 0 {
			ir = ImpulseResponse(rate, s.RT60Seconds, DRRAt(src.DistanceMetres, s.CriticalDistanceMetres), rng)
		}
		p.track = propagateReverb(p.track, rate, src.DistanceMetres, s.FoliageDBPerMetre, ir)
		switch src.Role {
		case RoleLabelled:
			labelled, labelledSources = append(labelled, p), append(labelledSources, src)
		case RoleInterferer:
			interferers, interfererSources = append(interferers, p), append(interfererSources, src)
		default:
			distant, distantSources = append(distant, p), append(distantSources, src)
		}
	}
	fg := make([]float64, n)
	active := make([]bool, n)
	for _, p := range labelled {
		for i, v := range p.track {
			fg[i] += v
			active[i] = active[i] || p.active[i]
		}
		rec.Events = append(rec.Events, p.events...)
	}
	ps := activePower(fg, active)
	mix := append([]float64(nil), fg...)
	for k, p := range interferers {
		g := 0.0
		if pi := activePower(p.track, p.active); pi > 0 {
			g = math.Sqrt(ps * math.Pow(10, interfererSources[k].LevelDB/10) / pi)
		}
		for i, v := range p.track {
			mix[i] += g * v
		}
		rec.Events = append(rec.Events, p.events...)
	}
	bg := noiseBed(s.Noise, n, rate, rng)
	bedPower := rms(bg) * rms(bg)
	for k, p := range distant {
		g := 0.0
		if pd := activePower(p.track, p.active); pd > 0 {
			g = math.Sqrt(bedPower * math.Pow(10, distantSources[k].LevelDB/10) / pd)
		}
		for i, v := range p.track {
			bg[i] += g * v
		}
	}
	pn := rms(bg) * rms(bg)
	scale := 0.0
	if pn > 0 && ps > 0 {
		scale = math.Sqrt(ps / (pn * math.Pow(10, s.SNRdB/10)))
	}
	for i := range mix {
		mix[i] += scale * bg[i]
	}
	BandLimit(mix, rate, s.HighPassHz, s.LowPassHz)
	mix32 := make([]float32, n)
	for i, v := range mix {
		mix32[i] = float32(v)
	}
	out, err := audio.ResampleLegacy(mix32, RenderRateHz, s.SampleRateHz) // frozen: the pinned corpora depend on its bits
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	out = out[:min(len(out), int(math.Round(s.DurationSeconds*float64(s.SampleRateHz))))]
	var peak float64
	for _, v := range out {
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	target := s.PeakGain
	if s.ClipDB > 0 {
		target = ClipLevel * math.Pow(10, s.ClipDB/20)
	}
	if peak > 0 {
		g := target / peak
		for i := range out {
			out[i] = float32(float64(out[i]) * g)
		}
	}
	if s.ClipDB > 0 {
		rec.ClippedFraction = Clip(out, ClipLevel)
	}
	rec.Samples = out
	upper := 0.5 * float64(s.SampleRateHz)
	if s.LowPassHz > 0 {
		upper = math.Min(upper, s.LowPassHz)
	}
	for i := range rec.Events {
		rec.Events[i].HighHz = math.Min(rec.Events[i].HighHz, upper)
		rec.Events[i].LowHz = math.Min(rec.Events[i].LowHz, rec.Events[i].HighHz)
	}
	return rec, nil
}
