package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Taxon is the kind of animal a source is.
type Taxon int

const (
	// Bird: the species of a Catalogue, with songs, calls and dialects.
	Bird Taxon = iota
	// Frog: pulse trains on a tonal carrier (advertisement and encounter calls).
	Frog
	// Insect: stridulation, a carrier struck by file teeth in syllables grouped
	// into chirps or trills (calling and courtship songs).
	Insect
	// Mammal: a voiced source (F0 with a contour) shaped by vocal-tract formants
	// (a tonal call and a noisy bark).
	Mammal
	numTaxa
)

var taxonNames = [...]string{"bird", "frog", "insect", "mammal"}

// String returns the taxon's name.
func (t Taxon) String() string {
	if t >= 0 && int(t) < len(taxonNames) {
		return taxonNames[t]
	}
	return fmt.Sprintf("taxon(%d)", int(t))
}

// Animal is one species of a World, of any taxon.
type Animal struct {
	// Index is the animal's position in World.Animals; for birds it equals the
	// species' index in World.Birds.
	Index int
	// Code is a unique name usable as a column name.
	Code  string
	Taxon Taxon
	// Group is the index of the family (birds) or genus (other taxa) within the
	// taxon, GroupName its name, and InGroup the animal's position in its group.
	Group     int
	GroupName string
	InGroup   int
	// HeldOut is true for the first WorldOptions.HeldOutPerGroup (birds:
	// HeldOutBirdsPerFamily) species of every group: they may only evaluate, never
	// pretrain (see World.Pretrain and World.HeldOut).
	HeldOut bool
	// CallTypes names the animal's vocalisations; index 0 is the main one (song,
	// advertisement call, calling song, tonal call).
	CallTypes []string

	// taxon is the index into the world's slice of its taxon.
	taxon int
}

// WorldOptions sizes a World. Zero fields take the defaults in brackets.
type WorldOptions struct {
	// BirdSeed, BirdFamilies and BirdSpeciesPerFamily make the bird catalogue [1,
	// 40, 8]: the defaults are the catalogue of datasets/synth-birds,
	// datasets/synth-transfer and birds-v1's pretraining.
	BirdSeed                           uint64
	BirdFamilies, BirdSpeciesPerFamily int
	// HeldOutBirdsPerFamily is how many species at the start of every bird
	// family are held out of pretraining [3, birds-v1's rule].
	HeldOutBirdsPerFamily int
	// Seed draws the other taxa, the birds' calls and dialects, and the names [1].
	Seed uint64
	// Genera and SpeciesPerGenus size each of the frogs, insects and mammals [8, 5].
	Genera, SpeciesPerGenus int
	// HeldOutPerGenus is how many species at the start of every genus of those
	// taxa are held out of pretraining [2].
	HeldOutPerGenus int
	// Dialects is the number of dialects of every bird species' song [3];
	// individual i sings dialect i mod Dialects.
	Dialects int
}

func (o WorldOptions) withDefaults() WorldOptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if o.BirdSeed == 0 {
		o.BirdSeed = 1
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	def(&o.BirdFamilies, 40)
	def(&o.BirdSpeciesPerFamily, 8)
	def(&o.HeldOutBirdsPerFamily, 3)
	def(&o.Genera, 8)
	def(&o.SpeciesPerGenus, 5)
	def(&o.HeldOutPerGenus, 2)
	def(&o.Dialects, 3)
	return o
}

// World is every animal the harder corpus draws from: the birds of a Catalogue
// (their songs unchanged, plus call types and dialects) and generated frogs,
// insects and mammals, each species flagged held out or not. It is a pure
// function of its options.
type World struct {
	Options WorldOptions
	// Birds is the bird catalogue; Animals[i] for i < len(Birds.Species) is
	// Birds.Species[i].
	Birds   *Catalogue
	Animals []Animal

	birdCalls    [][]Song // per bird species: its call types
	birdDialects [][]Song // per bird species: the song of each dialect
	frogs        []FrogSpecies
	insects      []InsectSpecies
	mammals      []MammalSpecies
}

// Stream ids beyond the catalogue's, so that the catalogue's draws never change.
const (
	streamCalls = iota + 101
	streamDialect
	streamHardIndividual
	streamTaxa
	streamTaxaNames
	streamScene
)

// NewWorld makes the world. The bird catalogue is NewCatalogue(BirdSeed,
// BirdFamilies, BirdSpeciesPerFamily), unchanged.
func NewWorld(o WorldOptions) (*World, error) {
	o = o.withDefaults()
	if o.HeldOutBirdsPerFamily > o.BirdSpeciesPerFamily || o.HeldOutPerGenus > o.SpeciesPerGenus || o.Genera < 1 || o.SpeciesPerGenus < 1 || o.Dialects < 1 {
		return nil, fmt.Errorf("synth: world of %d×%d birds (%d held out), %d×%d of each other taxon (%d held out), %d dialects: "+
			"want held out ≤ species per group and ≥ 1 genus, species and dialect", o.BirdFamilies, o.BirdSpeciesPerFamily,
			o.HeldOutBirdsPerFamily, o.Genera, o.SpeciesPerGenus, o.HeldOutPerGenus, o.Dialects)
	}
	if o.Genera*o.SpeciesPerGenus > 10000 {
		return nil, fmt.Errorf("synth: %d×%d species per taxon, want ≤ 10000", o.Genera, o.SpeciesPerGenus)
	}
	cat, err := NewCatalogue(o.BirdSeed, o.BirdFamilies, o.BirdSpeciesPerFamily)
	if err != nil {
		return nil, err
	}
	w := &World{Options: o, Birds: cat}
	names := newNamer(rngFor(o.Seed, streamTaxaNames))
	for _, sp := range cat.Species {
		names.used[sp.Code] = true
		inGroup := sp.Index - sp.Family*o.BirdSpeciesPerFamily
		w.Animals = append(w.Animals, Animal{Index: sp.Index, Code: sp.Code, Taxon: Bird, Group: sp.Family,
			GroupName: cat.Families[sp.Family].Name, InGroup: inGroup, HeldOut: inGroup < o.HeldOutBirdsPerFamily, taxon: sp.Index})
	}
	for _, fam := range cat.Families {
		calls := familyCalls(fam.Prototype, rngFor(o.Seed, streamCalls, uint64(fam.Index)))
		for s := range o.BirdSpeciesPerFamily {
			sp := fam.Index*o.BirdSpeciesPerFamily + s
			rng := rngFor(o.Seed, streamCalls, 1<<32+uint64(sp))
			var own []Song
			for _, c := range calls {
				own = append(own, varySong(c, rng, callSpeciesVariation))
			}
			w.birdCalls = append(w.birdCalls, own)
			var dialects []Song
			for d := range o.Dialects {
				dialects = append(dialects, dialectSong(cat.Species[sp].Song, rngFor(o.Seed, streamDialect, uint64(sp), uint64(d))))
			}
			w.birdDialects = append(w.birdDialects, dialects)
			a := &w.Animals[sp]
			a.CallTypes = []string{"song"}
			for k := range own {
				a.CallTypes = append(a.CallTypes, fmt.Sprintf("call%d", k+1))
			}
		}
	}
	for _, taxon := range []Taxon{Frog, Insect, Mammal} {
		for g := range o.Genera {
			genus := names.genus()
			rng := rngFor(o.Seed, streamTaxa, uint64(taxon), uint64(g))
			var proto any
			switch taxon {
			case Frog:
				proto = frogPrototype(rng)
			case Insect:
				proto = insectPrototype(rng)
			case Mammal:
				proto = mammalPrototype(rng)
			}
			for s := range o.SpeciesPerGenus {
				srng := rngFor(o.Seed, streamTaxa, uint64(taxon), uint64(g), 1+uint64(s))
				a := Animal{Index: len(w.Animals), Code: names.species(genus), Taxon: taxon, Group: g,
					GroupName: genus, InGroup: s, HeldOut: s < o.HeldOutPerGenus}
				switch taxon {
				case Frog:
					a.taxon = len(w.frogs)
					w.frogs = append(w.frogs, proto.(FrogSpecies).vary(srng, frogSpeciesVariation))
					a.CallTypes = []string{"advertisement", "encounter"}
				case Insect:
					a.taxon = len(w.insects)
					w.insects = append(w.insects, proto.(InsectSpecies).vary(srng, insectSpeciesVariation))
					a.CallTypes = []string{"calling", "courtship"}
				case Mammal:
					a.taxon = len(w.mammals)
					w.mammals = append(w.mammals, proto.(MammalSpecies).vary(srng, mammalSpeciesVariation))
					a.CallTypes = []string{"call", "bark"}
				}
				w.Animals = append(w.Animals, a)
			}
		}
	}
	return w, nil
}

// Pretrain returns the indices of the animals an extractor may be pretrained
// on: every species not held out, of every taxon.
func (w *World) Pretrain() []int { return w.split(false) }

// HeldOut returns the indices of the held-out animals: the only ones a
// transfer (evaluation) set may use as classes.
func (w *World) HeldOut() []int { return w.split(true) }

func (w *World) split(heldOut bool) []int {
	var out []int
	for _, a := range w.Animals {
		if a.HeldOut == heldOut {
			out = append(out, a.Index)
		}
	}
	return out
}

// ByCode returns the animal with that code.
func (w *World) ByCode(code string) (*Animal, bool) {
	for i := range w.Animals {
		if w.Animals[i].Code == code {
			return &w.Animals[i], true
		}
	}
	return nil, false
}

// Band returns the lowest and highest frequency, in Hz, of any of the
// animal's call types (its species' nominal values, before individual and
// rendition variation of a few percent).
func (w *World) Band(animal int) (lowHz, highHz float64) {
	a := w.Animals[animal]
	switch a.Taxon {
	case Bird:
		lowHz, highHz = w.Birds.Species[a.taxon].Song.Band(MaxHz)
		for _, c := range w.birdCalls[a.taxon] {
			lo, hi := c.Band(MaxHz)
			lowHz, highHz = math.Min(lowHz, lo), math.Max(highHz, hi)
		}
		return lowHz, highHz
	case Frog:
		return w.frogs[a.taxon].band()
	case Insect:
		return w.insects[a.taxon].band()
	default:
		return w.mammals[a.taxon].band()
	}
}

// Unit is one vocalisation an individual utters: a bird's song or series of
// calls, a frog's call, an insect's chirp (or stretch of trill), a mammal's
// call.
type Unit struct {
	// CallType indexes Animal.CallTypes.
	CallType int
	// Samples are full-scale float64 samples at the rate asked for.
	Samples []float64
	// GapSeconds is the silence the animal keeps before its next unit.
	GapSeconds float64
}

// Vocalise renders one unit of call type callType by individual `individual`
// of animal at rateHz (≥ 22050: harmonics above 0.45·rate are dropped, and
// content between 10 kHz and 0.45·rate is kept only for insects). rng draws
// the rendition's jitter, as real animals never repeat a call exactly.
func (w *World) Vocalise(animal, individual, callType, rateHz int, rng *rand.Rand) (Unit, error) {
	if animal < 0 || animal >= len(w.Animals) || individual < 0 {
		return Unit{}, fmt.Errorf("synth: animal %d, individual %d: want an animal in [0, %d) and individual ≥ 0", animal, individual, len(w.Animals))
	}
	a := w.Animals[animal]
	if callType < 0 || callType >= len(a.CallTypes) {
		return Unit{}, fmt.Errorf("synth: %s has call types 0..%d, not %d", a.Code, len(a.CallTypes)-1, callType)
	}
	if rateHz < 22050 {
		return Unit{}, fmt.Errorf("synth: rendering at %d Hz, want ≥ 22050", rateHz)
	}
	irng := rngFor(w.Options.Seed, streamHardIndividual, uint64(animal), uint64(individual))
	rate := float64(rateHz)
	switch a.Taxon {
	case Bird:
		var song Song
		if callType == 0 {
			song = varySong(w.birdDialects[a.taxon][individual%w.Options.Dialects], irng, individualVariation)
		} else {
			for k := 0; k < callType; k++ { // each call type its own draw, in order
				song = varySong(w.birdCalls[a.taxon][k], irng, individualVariation)
			}
		}
		return Unit{CallType: callType, Samples: RenderSong(song, rateHz, rng), GapSeconds: song.SongGapSeconds * math.Exp(rng.NormFloat64()*0.2)}, nil
	case Frog:
		call := w.frogs[a.taxon].vary(irng, frogIndividualVariation).calls()[callType]
		call = call.rendition(rng)
		return Unit{CallType: callType, Samples: call.render(rate, rng), GapSeconds: call.GapSeconds * math.Exp(rng.NormFloat64()*0.15)}, nil
	case Insect:
		song := w.insects[a.taxon].vary(irng, insectIndividualVariation).songs()[callType]
		song = song.rendition(rng)
		return Unit{CallType: callType, Samples: song.render(rate, rng), GapSeconds: song.GapSeconds * math.Exp(rng.NormFloat64()*0.15)}, nil
	default:
		call := w.mammals[a.taxon].vary(irng, mammalIndividualVariation).calls()[callType]
		call = call.rendition(rng)
		return Unit{CallType: callType, Samples: call.render(rate, rng), GapSeconds: call.GapSeconds * math.Exp(rng.NormFloat64()*0.2)}, nil
	}
}

// Bird calls and dialects.

var (
	// callSpeciesVariation varies a family's call types into a species'.
	callSpeciesVariation = variation{freq: 0.1, dur: 0.15, gap: 0.2, fm: 0.2, harm: 0.2}
	// dialectVariation varies a species' song into a dialect: a small shift of
	// pitch and tempo and always an edit of the pattern.
	dialectVariation = variation{freq: 0.04, dur: 0.1, gap: 0.15, fm: 0.15, harm: 0.1, patternChange: 1}
)

// callKinds are the syllable kinds calls are made of: chips (down-sweeps),
// seets (up-sweeps), short whistles, harsh buzzes and nasal stacks.
var callKinds = []SyllableKind{DownSweep, UpSweep, Whistle, Buzz, Harmonic}

// familyCalls draws the 1–3 call types of a family: short, simple, repeated
// 1–4 times, around the family's song frequency.
func familyCalls(proto Song, rng *rand.Rand) []Song {
	var logSum float64
	for _, s := range proto.Syllables {
		logSum += math.Log(math.Sqrt(s.StartHz * s.EndHz))
	}
	centre := math.Exp(logSum / float64(len(proto.Syllables)))
	n := 1 + rng.IntN(3)
	var calls []Song
	for range n {
		kind := callKinds[rng.IntN(len(callKinds))]
		syl := randomSyllable(rng, kind, clampHz(centre*logUniform(rng, 0.8, 1.6)), logUniform(rng, 0.025, 0.1))
		call := Song{Syllables: []Syllable{syl}, GapSeconds: logUniform(rng, 0.04, 0.12), SongGapSeconds: logUniform(rng, 0.2, 0.8)}
		for range 1 + rng.IntN(4) {
			call.Pattern = append(call.Pattern, 0)
		}
		fitSong(&call)
		calls = append(calls, call)
	}
	return calls
}

// dialectSong returns a dialect of song: dialectVariation, and with even odds
// a different ending (the last syllable type sung once more, or its first
// syllable type added at the end).
func dialectSong(song Song, rng *rand.Rand) Song {
	d := varySong(song, rng, dialectVariation)
	if rng.IntN(2) == 0 && len(d.Pattern) > 0 {
		if rng.IntN(2) == 0 {
			d.Pattern = append(d.Pattern, d.Pattern[len(d.Pattern)-1])
		} else {
			d.Pattern = append(d.Pattern, d.Pattern[0])
		}
		fitSong(&d)
	}
	return d
}

// lnJitter returns x·exp(N(0, sd)).
func lnJitter(rng *rand.Rand, x, sd float64) float64 { return x * math.Exp(rng.NormFloat64()*sd) }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
