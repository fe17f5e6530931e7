package synth

import (
	"fmt"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// ClipsOptions say how labelled clips are drawn: from which world and classes,
// how many individuals, how long, how many labelled animals, over which scene
// ranges, from which seed. A ClipMaker draws them without end; a hard corpus
// (HardCorpusOptions, which embeds them) draws RecordingsPerClass per class and
// writes them to disk. Zero fields take the defaults in brackets, a ClipMaker's
// first and a hard corpus's second where they differ.
type ClipsOptions struct {
	// Seed draws every clip [1]; for a ClipMaker it must be below 2^31 (see
	// ClipMaker.Clip).
	Seed uint64
	// World makes the animals [the default world].
	World WorldOptions
	// Pool chooses the classes [PoolPretrain; PoolTest]; Classes, when set,
	// names them (animal codes) instead. A ClipMaker's may hold no animal of
	// PoolTest: the test pool is for reporting only (write it with
	// WriteHardCorpus).
	Pool    Pool
	Classes []string
	// IndividualsPerClass is how many individuals of each class are drawn
	// from [10; 6]: uniformly by a ClipMaker, taking turns in a hard corpus.
	IndividualsPerClass int
	// DurationSeconds is each clip's length [3].
	DurationSeconds float64
	// MaxLabelled > 1 adds up to MaxLabelled−1 more labelled animals of the
	// classes to a clip, uniformly, making the labels multi-label [1].
	MaxLabelled int
	// Ranges are the scene ranges [WideRanges(): domain randomisation at full
	// strength; HardRanges()].
	Ranges *Ranges
}

// withDefaults is ClipsOptions' defaults for a ClipMaker.
func (o ClipsOptions) withDefaults() ClipsOptions {
	return o.withDefaultsOf(PoolPretrain, 10, WideRanges)
}

// withDefaultsOf fills in the zero fields, taking pool, individuals and
// ranges() where the two users' defaults differ.
func (o ClipsOptions) withDefaultsOf(pool Pool, individuals int, ranges func() Ranges) ClipsOptions {
	if o.Seed == 0 {
		o.Seed = 1
	}
	o.World = o.World.withDefaults()
	if o.Pool == "" {
		o.Pool = pool
	}
	if o.IndividualsPerClass == 0 {
		o.IndividualsPerClass = individuals
	}
	if o.DurationSeconds == 0 {
		o.DurationSeconds = 3
	}
	if o.MaxLabelled == 0 {
		o.MaxLabelled = 1
	}
	if o.Ranges == nil {
		r := ranges()
		o.Ranges = &r
	}
	return o
}

// world checks the filled-in options and makes the world and the classes.
func (o ClipsOptions) world() (w *World, classes []int, err error) {
	if err := o.Ranges.Validate(); err != nil {
		return nil, nil, err
	}
	if o.IndividualsPerClass < 1 || o.MaxLabelled < 1 || !(o.DurationSeconds > 0) || o.DurationSeconds > 600 {
		return nil, nil, fmt.Errorf("synth: %d individuals per class, %d labelled, %v s: want ≥ 1 each and 0 < seconds ≤ 600",
			o.IndividualsPerClass, o.MaxLabelled, o.DurationSeconds)
	}
	if w, err = NewWorld(o.World); err != nil {
		return nil, nil, err
	}
	if classes, err = w.classesOf(o.Classes, o.Pool); err != nil {
		return nil, nil, err
	}
	return w, classes, nil
}

// LabelledClip is one generated clip for training an extractor.
type LabelledClip struct {
	// Index is the clip's number in its maker's stream.
	Index int
	// Samples are mono full-scale audio at SampleRateHz (the scene's recorder
	// rate, one of the Ranges' SampleRatesHz).
	Samples      []float32
	SampleRateHz int
	// Labels are positions in ClipMaker.Classes of the labelled animals, the
	// first one drawn uniformly; Labels[1:] only when MaxLabelled > 1.
	Labels []int
	// Scene is what was rendered; Events its labelled and interfering units.
	// Interferers and distant animals come from the world's pretraining
	// animals, so in PoolPretrain they may be of a class in Classes without
	// being labelled (as in a field recording where only the focal animal is
	// annotated).
	Scene           Scene
	Events          []SceneEvent
	ClippedFraction float64
}

// ClipMaker renders an endless, reproducible stream of labelled clips from
// random scenes: the exported way to train on the harder world (domain
// randomisation over any Ranges) without writing a corpus to disk.
type ClipMaker struct {
	Options ClipsOptions
	World   *World
	// Classes are the animal indices clips are labelled with; Background the
	// animals interferers and distant sources are drawn from.
	Classes    []int
	Background []int
}

// NewClipMaker checks the options, makes the world and chooses the classes.
func NewClipMaker(o ClipsOptions) (*ClipMaker, error) {
	o = o.withDefaults()
	if o.Seed >= 1<<31 {
		return nil, fmt.Errorf("synth: clip seed %d, want below 2^31", o.Seed)
	}
	w, classes, err := o.world()
	if err != nil {
		return nil, err
	}
	m := &ClipMaker{Options: o, World: w, Classes: classes, Background: w.Pretrain()}
	test, err := w.PoolClasses(PoolTest)
	if err != nil {
		return nil, err
	}
	for _, c := range m.Classes {
		if slices.Contains(test, c) {
			return nil, fmt.Errorf("synth: class %q is in the test pool, which is for reporting only, not for making training clips", w.Animals[c].Code)
		}
	}
	return m, nil
}

// clipRenderSeed is clip i's render seed: its top bit is set, so it never
// equals a hard corpus's render seed Seed<<32|i (Seed < 2^31) nor another
// clip's (seed < 2^31, i < 2^32).
func clipRenderSeed(seed uint64, i int) uint64 { return 1<<63 | seed<<32 | uint64(i) }

// Clip renders clip i (0 ≤ i < 2^32). It depends only on the options and i,
// so clips can be made in any order, in parallel, and again; its scene and
// render draws are streams of their own, never those of a hard corpus.
func (m *ClipMaker) Clip(i int) (LabelledClip, error) {
	if i < 0 || i >= 1<<32 {
		return LabelledClip{}, fmt.Errorf("synth: clip index %d, want 0 ≤ i < 2^32", i)
	}
	o := m.Options
	rng := rngFor(o.Seed, streamClips, uint64(i))
	k := rng.IntN(len(m.Classes))
	labels := []int{k}
	labelled := []Voice{{Species: m.Classes[k], Individual: rng.IntN(o.IndividualsPerClass)}}
	if extra := rng.IntN(o.MaxLabelled); extra > 0 {
		more, voices := drawOthers(rng, m.Classes, k, extra, o.IndividualsPerClass)
		labels, labelled = append(labels, more...), append(labelled, voices...)
	}
	scene, err := o.Ranges.DrawScene(rng, m.World, o.DurationSeconds, labelled, m.Background)
	if err != nil {
		return LabelledClip{}, err
	}
	rec, err := m.World.RenderScene(clipRenderSeed(o.Seed, i), scene)
	if err != nil {
		return LabelledClip{}, fmt.Errorf("synth: clip %d: %w", i, err)
	}
	return LabelledClip{Index: i, Samples: rec.Samples, SampleRateHz: scene.SampleRateHz, Labels: labels,
		Scene: scene, Events: rec.Events, ClippedFraction: rec.ClippedFraction}, nil
}

// Clips renders clips first … first+n−1 on GOMAXPROCS goroutines, in order.
func (m *ClipMaker) Clips(first, n int) ([]LabelledClip, error) {
	if n < 0 {
		return nil, fmt.Errorf("synth: %d clips", n)
	}
	out := make([]LabelledClip, n)
	err := parallel.For(n, 0, func(j int) (err error) {
		out[j], err = m.Clip(first + j)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
