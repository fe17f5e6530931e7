package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SyllableKind is the shape of a syllable.
type SyllableKind int

const (
	// Whistle is a tonal note with a slow glide and sinusoidal frequency modulation.
	Whistle SyllableKind = iota
	// UpSweep rises exponentially from StartHz to EndHz.
	UpSweep
	// DownSweep falls exponentially from StartHz to EndHz.
	DownSweep
	// Trill is a fast train of short down-swept notes, TrillRateHz notes per second.
	Trill
	// Harmonic is a stack: an F0 (StartHz gliding to EndHz) and its harmonics.
	Harmonic
	// Buzz is broadband noise pulsed at TrillRateHz and band-limited to
	// [StartHz, EndHz].
	Buzz
	numKinds
)

var kindNames = [...]string{"whistle", "upsweep", "downsweep", "trill", "harmonic", "buzz"}

// String returns the kind's name.
func (k SyllableKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Syllable is one syllable type of a song.
type Syllable struct {
	// Kind is the syllable's shape.
	Kind SyllableKind
	// DurationSeconds is the syllable's length.
	DurationSeconds float64
	// StartHz and EndHz are the frequency at the start and the end (for Buzz, the
	// band's lower and upper edge).
	StartHz, EndHz float64
	// FMDepthHz and FMRateHz are a Whistle's sinusoidal modulation.
	FMDepthHz, FMRateHz float64
	// TrillRateHz is the note rate of a Trill or the pulse rate of a Buzz.
	TrillRateHz float64
	// Harmonics are the relative amplitudes of a Harmonic syllable's partials
	// (index 0 is the F0).
	Harmonics []float64
	// Amplitude is the syllable's relative level (0–1].
	Amplitude float64
}

// Band returns the lowest and highest frequency the syllable contains, in Hz,
// given the upper limit maxHz on harmonics.
func (s Syllable) Band(maxHz float64) (lowHz, highHz float64) {
	lo, hi := math.Min(s.StartHz, s.EndHz), math.Max(s.StartHz, s.EndHz)
	switch s.Kind {
	case Whistle:
		lo, hi = lo-s.FMDepthHz, hi+s.FMDepthHz
	case Harmonic:
		for h := len(s.Harmonics); h >= 1; h-- {
			if float64(h)*hi <= maxHz {
				hi *= float64(h)
				break
			}
		}
	}
	return lo, math.Min(hi, maxHz)
}

// Song is the syllables a species sings and the order it sings them in.
type Song struct {
	// Syllables are the syllable types.
	Syllables []Syllable
	// Pattern lists syllable indices in the order sung (repetitions included).
	Pattern []int
	// GapSeconds is the silence between consecutive syllables.
	GapSeconds float64
	// SongGapSeconds is the silence between consecutive songs.
	SongGapSeconds float64
}

// DurationSeconds is the length of one song without jitter.
func (s Song) DurationSeconds() float64 {
	d := 0.0
	for i, p := range s.Pattern {
		d += s.Syllables[p].DurationSeconds
		if i > 0 {
			d += s.GapSeconds
		}
	}
	return d
}

// Band returns the song's lowest and highest frequencies in Hz (see Syllable.Band).
func (s Song) Band(maxHz float64) (lowHz, highHz float64) {
	lowHz, highHz = math.Inf(1), 0
	for _, syl := range s.Syllables {
		lo, hi := syl.Band(maxHz)
		lowHz, highHz = math.Min(lowHz, lo), math.Max(highHz, hi)
	}
	return lowHz, highHz
}

// Family is a group of related species sharing a song prototype.
type Family struct {
	// Index is the family's position in the catalogue.
	Index int
	// Name is the family's (invented) Latin name, for example "Vireolidae".
	Name string
	// Prototype is the song its species vary.
	Prototype Song
}

// Species is one kind of bird.
type Species struct {
	// Index is the species' position in the catalogue.
	Index int
	// Code is a short unique name usable as a column name, for example "vireola_trillans".
	Code string
	// Family is the index of the species' family.
	Family int
	// Song is the species' song; individuals and renditions vary it slightly.
	Song Song
}

// Catalogue is a seeded set of families and species.
type Catalogue struct {
	// Seed generated the catalogue.
	Seed uint64
	// Families and Species, Species grouped by family in order.
	Families []Family
	Species  []Species
}

// Frequency limits of every syllable, in Hz.
const (
	MinHz = 1000.0
	MaxHz = 10000.0
	// maxSongSeconds bounds a song's length so that it fits a short clip.
	maxSongSeconds = 2.0
)

// rngFor returns a generator for one purpose (a stream id) under the seed, so that
// every family, species, individual and recording has its own independent stream.
func rngFor(seed uint64, stream ...uint64) *rand.Rand {
	h := seed ^ 0x9E3779B97F4A7C15
	for _, s := range stream {
		h = splitmix(h ^ splitmix(s+0x632BE59BD9B4E019))
	}
	return rand.New(rand.NewPCG(h, splitmix(h)))
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

const (
	streamFamily = iota + 1
	streamSpecies
	streamIndividual
	streamRecording
	streamNames
)

// NewCatalogue generates numFamilies families of speciesPerFamily species each.
// NewCatalogue(seed, 40, 8) gives 320 species.
func NewCatalogue(seed uint64, numFamilies, speciesPerFamily int) (*Catalogue, error) {
	if numFamilies < 1 || speciesPerFamily < 1 || numFamilies*speciesPerFamily > 100000 {
		return nil, fmt.Errorf("synth: %d families × %d species, want ≥ 1 each and ≤ 100000 species", numFamilies, speciesPerFamily)
	}
	c := &Catalogue{Seed: seed}
	names := newNamer(rngFor(seed, streamNames))
	for f := 0; f < numFamilies; f++ {
		rng := rngFor(seed, streamFamily, uint64(f))
		genus := names.genus()
		fam := Family{Index: f, Name: genus[:1] + genus[1:len(genus)-1] + "idae", Prototype: prototypeSong(rng)}
		c.Families = append(c.Families, fam)
		for s := 0; s < speciesPerFamily; s++ {
			idx := len(c.Species)
			srng := rngFor(seed, streamSpecies, uint64(idx))
			sp := Species{Index: idx, Family: f, Code: names.species(genus), Song: varySong(fam.Prototype, srng, speciesVariation)}
			c.Species = append(c.Species, sp)
		}
	}
	return c, nil
}

// SpeciesByCode returns the species with that code.
func (c *Catalogue) SpeciesByCode(code string) (*Species, bool) {
	for i := range c.Species {
		if c.Species[i].Code == code {
			return &c.Species[i], true
		}
	}
	return nil, false
}

func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return lo * math.Exp(rng.Float64()*math.Log(hi/lo))
}

func clampHz(f float64) float64 { return math.Max(MinHz*1.05, math.Min(MaxHz*0.95, f)) }

// prototypeSong draws a family's prototype.
func prototypeSong(rng *rand.Rand) Song {
	centre := logUniform(rng, 1800, 6500)
	nTypes := 2 + rng.IntN(3)
	kinds := rng.Perm(int(numKinds))[:nTypes]
	baseDur := logUniform(rng, 0.05, 0.22)
	song := Song{GapSeconds: logUniform(rng, 0.03, 0.15), SongGapSeconds: logUniform(rng, 0.4, 1.2)}
	for _, k := range kinds {
		song.Syllables = append(song.Syllables, randomSyllable(rng, SyllableKind(k), centre, baseDur))
	}
	// Pattern: each type sung 1–4 times in a row, in order, the first type maybe
	// coming back at the end.
	for i := range song.Syllables {
		reps := 1 + rng.IntN(4)
		if song.Syllables[i].Kind == Trill || song.Syllables[i].Kind == Buzz {
			reps = 1
		}
		for r := 0; r < reps; r++ {
			song.Pattern = append(song.Pattern, i)
		}
	}
	if rng.IntN(2) == 0 {
		song.Pattern = append(song.Pattern, 0)
	}
	fitSong(&song)
	return song
}

func randomSyllable(rng *rand.Rand, kind SyllableKind, centre, baseDur float64) Syllable {
	f := clampHz(centre * math.Exp(rng.NormFloat64()*0.25))
	s := Syllable{Kind: kind, Amplitude: 0.6 + 0.4*rng.Float64(), DurationSeconds: baseDur * math.Exp(rng.NormFloat64()*0.3)}
	span := logUniform(rng, 1.2, 2.0)
	switch kind {
	case Whistle:
		s.StartHz, s.EndHz = f, clampHz(f*math.Exp(rng.NormFloat64()*0.1))
		s.FMDepthHz, s.FMRateHz = f*logUniform(rng, 0.01, 0.08), logUniform(rng, 5, 40)
	case UpSweep:
		s.StartHz, s.EndHz = clampHz(f/math.Sqrt(span)), clampHz(f*math.Sqrt(span))
	case DownSweep:
		s.StartHz, s.EndHz = clampHz(f*math.Sqrt(span)), clampHz(f/math.Sqrt(span))
	case Trill:
		s.StartHz, s.EndHz = clampHz(f*math.Sqrt(span)), clampHz(f/math.Sqrt(span))
		s.TrillRateHz = logUniform(rng, 12, 40)
		s.DurationSeconds = math.Max(s.DurationSeconds*2.5, 4/s.TrillRateHz)
	case Harmonic:
		f0 := math.Max(MinHz*1.05, f/logUniform(rng, 1.5, 3))
		s.StartHz, s.EndHz = f0, clampHz(f0*math.Exp(rng.NormFloat64()*0.08))
		n := 2 + rng.IntN(4)
		for h := 0; h < n; h++ {
			s.Harmonics = append(s.Harmonics, math.Pow(0.4+0.5*rng.Float64(), float64(h)))
		}
	case Buzz:
		lo := clampHz(f / span)
		s.StartHz, s.EndHz = lo, clampHz(math.Max(f*span, lo*1.5))
		s.TrillRateHz = logUniform(rng, 60, 200)
		s.Amplitude *= 0.7
	}
	s.DurationSeconds = math.Max(0.02, math.Min(0.6, s.DurationSeconds))
	limitFM(&s)
	return s
}

// limitFM keeps a whistle's modulation inside [MinHz, MaxHz].
func limitFM(s *Syllable) {
	room := math.Min(math.Min(s.StartHz, s.EndHz)-MinHz, MaxHz-math.Max(s.StartHz, s.EndHz))
	s.FMDepthHz = math.Max(0, math.Min(s.FMDepthHz, room))
}

// variation sizes the log-normal perturbations (standard deviations of the log).
type variation struct {
	freq, dur, gap, fm, harm float64
	patternChange            float64 // chance of changing the pattern
}

var (
	speciesVariation    = variation{freq: 0.12, dur: 0.2, gap: 0.25, fm: 0.25, harm: 0.2, patternChange: 0.6}
	individualVariation = variation{freq: 0.02, dur: 0.04, gap: 0.06, fm: 0.05, harm: 0.05}
	renditionVariation  = variation{freq: 0.004, dur: 0.02, gap: 0.08, fm: 0.01, harm: 0.01}
)

// varySong returns a perturbed copy of song (all perturbations log-normal).
func varySong(song Song, rng *rand.Rand, v variation) Song {
	ln := func(sd float64) float64 { return math.Exp(rng.NormFloat64() * sd) }
	out := Song{GapSeconds: song.GapSeconds * ln(v.gap), SongGapSeconds: song.SongGapSeconds * ln(v.gap)}
	shift := ln(v.freq) // one shift for the whole song keeps its shape
	for _, s := range song.Syllables {
		s.Harmonics = append([]float64(nil), s.Harmonics...)
		own := ln(v.freq / 3)
		s.StartHz, s.EndHz = clampHz(s.StartHz*shift*own), clampHz(s.EndHz*shift*own)
		if s.Kind == Buzz && s.EndHz < s.StartHz*1.2 {
			s.EndHz = clampHz(s.StartHz * 1.5)
		}
		s.DurationSeconds = math.Max(0.02, math.Min(0.6, s.DurationSeconds*ln(v.dur)))
		s.FMDepthHz *= shift * ln(v.fm)
		s.FMRateHz *= ln(v.fm)
		s.TrillRateHz *= ln(v.fm)
		if s.Kind == Trill {
			s.DurationSeconds = math.Max(s.DurationSeconds, 3/s.TrillRateHz)
		}
		limitFM(&s)
		for h := range s.Harmonics {
			if h > 0 {
				s.Harmonics[h] = math.Min(1, s.Harmonics[h]*ln(v.harm))
			}
		}
		out.Syllables = append(out.Syllables, s)
	}
	out.Pattern = append([]int(nil), song.Pattern...)
	if v.patternChange > 0 && rng.Float64() < v.patternChange && len(out.Pattern) > 1 {
		i := rng.IntN(len(out.Pattern))
		if rng.IntN(2) == 0 { // repeat one element once more
			out.Pattern = append(out.Pattern[:i+1], out.Pattern[i:]...)
		} else { // drop one
			out.Pattern = append(out.Pattern[:i], out.Pattern[i+1:]...)
		}
	}
	fitSong(&out)
	return out
}

// fitSong shortens a song to at most maxSongSeconds by dropping final syllables.
func fitSong(s *Song) {
	for len(s.Pattern) > 1 && s.DurationSeconds() > maxSongSeconds {
		s.Pattern = s.Pattern[:len(s.Pattern)-1]
	}
	for s.DurationSeconds() > maxSongSeconds {
		for i := range s.Syllables {
			s.Syllables[i].DurationSeconds *= 0.8
		}
	}
}

// Individual returns the song of individual i of species sp: the species' song
// perturbed by a few percent, the same way every time it is asked for.
func (c *Catalogue) Individual(species, i int) Song {
	rng := rngFor(c.Seed, streamIndividual, uint64(species), uint64(i))
	return varySong(c.Species[species].Song, rng, individualVariation)
}

// namer invents pronounceable Latin-looking names.
type namer struct {
	rng  *rand.Rand
	used map[string]bool
}

func newNamer(rng *rand.Rand) *namer { return &namer{rng: rng, used: map[string]bool{}} }

var (
	onsets   = []string{"b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ph", "th", "tr", "cr", "pl", "st", "z"}
	vowels   = []string{"a", "e", "i", "o", "u", "ae", "y"}
	genusEnd = []string{"a", "us", "ola", "ella", "ites", "ornis", "icola"}
	epithets = []string{"ans", "ens", "ata", "ina", "alis", "osa", "ica", "ula", "aris"}
)

func (n *namer) syllables(k int) string {
	s := ""
	for i := 0; i < k; i++ {
		s += onsets[n.rng.IntN(len(onsets))] + vowels[n.rng.IntN(len(vowels))]
	}
	return s
}

func (n *namer) unique(base string) string {
	name := base
	for i := 2; n.used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.used[name] = true
	return name
}

func (n *namer) genus() string {
	g := n.syllables(2) + genusEnd[n.rng.IntN(len(genusEnd))]
	return n.unique(string(g[0]-'a'+'A') + g[1:])
}

func (n *namer) species(genus string) string {
	g := []byte(genus)
	g[0] = g[0] - 'A' + 'a'
	return n.unique(string(g) + "_" + n.syllables(1+n.rng.IntN(2)) + epithets[n.rng.IntN(len(epithets))])
}
