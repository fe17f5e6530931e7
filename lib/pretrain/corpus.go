package pretrain

import (
	"fmt"
	"log"
	"sync/atomic"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// CorpusOptions says which clips the network is trained on.
type CorpusOptions struct {
	// CatalogueSeed, Families and SpeciesPerFamily make the catalogue.
	CatalogueSeed    uint64 `json:"catalogue_seed"`
	Families         int    `json:"families"`
	SpeciesPerFamily int    `json:"species_per_family"`
	// HeldOut is the number of species held out at the start of every family.
	HeldOut int `json:"held_out_per_family"`
	// TrainClips and ValClips are the clips per species of each split.
	TrainClips int `json:"train_clips_per_species"`
	ValClips   int `json:"val_clips_per_species"`
	// Individuals is the number of individuals a clip's singer is drawn from.
	Individuals int `json:"individuals"`
	// SNRMinDB and SNRMaxDB bound the uniform SNR.
	SNRMinDB float64 `json:"snr_min_db"`
	SNRMaxDB float64 `json:"snr_max_db"`
	// DataSeed determines every clip.
	DataSeed uint64 `json:"data_seed"`
}

// Rule is the corpus rule in words, for the record and the zoo.
func (c CorpusOptions) Rule() string {
	return fmt.Sprintf("lib/synth catalogue seed %d, %d families × %d species; species %d..%d of every family pretrained (%d species), "+
		"the first %d of every family held out (%d species, which include datasets/synth-birds' 12) for transfer learning; "+
		"%d training + %d validation clips of 3 s per species, singer one of %d individuals, SNR uniform in [%g, %g] dB, "+
		"1–2 noises, 0–2 distant songs of pretraining species; data seed %d",
		c.CatalogueSeed, c.Families, c.SpeciesPerFamily, c.HeldOut, c.SpeciesPerFamily-1, c.Families*(c.SpeciesPerFamily-c.HeldOut),
		c.HeldOut, c.Families*c.HeldOut, c.TrainClips, c.ValClips, c.Individuals, c.SNRMinDB, c.SNRMaxDB, c.DataSeed)
}

// Species returns the catalogue indices of the pretraining species: all
// but the first heldOut of every family.
func Species(cat *synth.Catalogue, speciesPerFamily, heldOut int) []int {
	var out []int
	for _, sp := range cat.Species {
		if sp.Index-sp.Family*speciesPerFamily >= heldOut {
			out = append(out, sp.Index)
		}
	}
	return out
}

// Render makes the training and validation images of the corpus, in parallel on
// GOMAXPROCS workers, logging every 1000 clips; clip i of the whole list depends only
// on the data seed and i. It returns the pretraining species (catalogue indices), their
// codes (the classes, in order) and the two sets.
func (c CorpusOptions) Render() (species []int, classes []string, trainSet, valSet cnn.Dataset, err error) {
	cat, err := synth.NewCatalogue(c.CatalogueSeed, c.Families, c.SpeciesPerFamily)
	if err != nil {
		return nil, nil, cnn.Dataset{}, cnn.Dataset{}, err
	}
	species = Species(cat, c.SpeciesPerFamily, c.HeldOut)
	for _, s := range species {
		classes = append(classes, cat.Species[s].Code)
	}
	frontEnd, err := spectro.NewFrontEnd(spectro.FrontEndOptions{})
	if err != nil {
		return nil, nil, cnn.Dataset{}, cnn.Dataset{}, err
	}
	perSpecies := c.TrainClips + c.ValClips
	total := len(species) * perSpecies
	size := frontEnd.Shape()[0] * frontEnd.Shape()[1]
	// Each clip is rendered straight into its place in its set: species by
	// species, a species' training clips then its validation clips.
	trainSet.Images = make([]float32, len(species)*c.TrainClips*size)
	valSet.Images = make([]float32, len(species)*c.ValClips*size)
	imageOf := func(i int) []float32 {
		k, j := i/perSpecies, i%perSpecies
		if j < c.TrainClips {
			n := k*c.TrainClips + j
			return trainSet.Images[n*size : (n+1)*size]
		}
		n := k*c.ValClips + j - c.TrainClips
		return valSet.Images[n*size : (n+1)*size]
	}
	var done atomic.Int64
	err = parallel.For(total, 0, func(i int) error {
		err := renderClip(cat, frontEnd, c, species, i/perSpecies, i, imageOf(i))
		if n := done.Add(1); n%1000 == 0 {
			log.Printf("rendered %d/%d clips", n, total)
		}
		return err
	})
	if err != nil {
		return nil, nil, cnn.Dataset{}, cnn.Dataset{}, err
	}
	for k := range species {
		for j := 0; j < perSpecies; j++ {
			set := &trainSet
			if j >= c.TrainClips {
				set = &valSet
			}
			set.Labels.Index = append(set.Labels.Index, k)
		}
	}
	trainSet.Labels.NumClasses, valSet.Labels.NumClasses = len(species), len(species)
	return species, classes, trainSet, valSet, nil
}

// renderClip renders clip i (of class k) into image.
func renderClip(cat *synth.Catalogue, frontEnd *spectro.FrontEnd, c CorpusOptions, species []int, k, i int, image []float32) error {
	rng := newRNG(c.DataSeed, uint64(i))
	noise := []synth.NoiseKind{synth.NoiseKind(rng.IntN(4))}
	if rng.IntN(2) == 0 {
		if second := synth.NoiseKind(rng.IntN(4)); second != noise[0] {
			noise = append(noise, second)
		}
	}
	var distant []synth.Voice
	for d := rng.IntN(3); d > 0; d-- {
		distant = append(distant, synth.Voice{Species: species[rng.IntN(len(species))], Individual: rng.IntN(c.Individuals)})
	}
	rec, err := cat.Record(c.DataSeed<<32^uint64(i), synth.RecordingOptions{
		DurationSeconds: 3, SampleRateHz: 22050,
		Foreground: []synth.Voice{{Species: species[k], Individual: rng.IntN(c.Individuals)}},
		SNRdB:      c.SNRMinDB + (c.SNRMaxDB-c.SNRMinDB)*rng.Float64(), Noise: noise, Distant: distant,
	})
	if err != nil {
		return fmt.Errorf("pretrain: clip %d: %w", i, err)
	}
	img, err := frontEnd.Image(rec.Samples[:min(len(rec.Samples), frontEnd.ClipSamples())])
	if err != nil {
		return fmt.Errorf("pretrain: clip %d: %w", i, err)
	}
	copy(image, img)
	return nil
}
