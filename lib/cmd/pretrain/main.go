// Command pretrain trains the feature extractor that ships in lib/zoo: a small
// ResNet (lib/cnn) on a synthetic corpus of hundreds of species (lib/synth),
// keeping out the species the lessons use for transfer learning.
//
// The corpus rule: the catalogue has seed 1 and 40 families × 8 species, the
// same catalogue as the course's corpus datasets/synth-birds (species identity
// depends only on the catalogue's seed and size). The first HeldOut (3) species
// of EVERY family are held out (120 species: datasets/synth-birds' 12 and all
// the others the lessons may draw), and the network is trained on the other 5
// of each family (200 species). Each clip is a 3 s recording at 22050 Hz of one
// random individual (of 10) of one species, over pink/brown/wind/rain noise at a
// uniform SNR, with up to two distant songs of other pretraining species; every
// clip depends only on the data seed and its index.
//
// It writes <out>/weights.dcnn (lib/cnn's format) and <out>/record.json: the
// config, data seed, corpus rule, engine, git commit, steps, wall time and the
// validation metrics of every evaluation. Run from the repository root:
//
//	go run ./lib/cmd/pretrain [-steps=1600] [-batch=32] [-out=lib/zoo/models/birds-v1]
//
// or `make pretrain`. The record names the commit it was trained at, so the command
// refuses a working tree with uncommitted changes (runrecord.CleanCommit) unless
// -allow-dirty, which marks the commit "-dirty" (weights not to ship).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/runrecord"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
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

// Record is written next to the weights.
type Record struct {
	Name           string           `json:"name"`
	Config         cnn.Config       `json:"config"`
	Corpus         CorpusOptions    `json:"corpus"`
	CorpusRule     string           `json:"corpus_rule"`
	Train          cnn.TrainOptions `json:"train"`
	ModelSeed      uint64           `json:"model_seed"`
	Engine         string           `json:"engine"`
	GOMAXPROCS     int              `json:"gomaxprocs"`
	GitCommit      string           `json:"git_commit"`
	RenderSeconds  float64          `json:"render_seconds"`
	TrainSeconds   float64          `json:"train_seconds"`
	ClipsPerSecond float64          `json:"train_clips_per_second"`
	Steps          int              `json:"steps"`
	History        cnn.History      `json:"history"`
	FinalValAcc    float64          `json:"final_val_accuracy"`
	FinalValLoss   float64          `json:"final_val_loss"`
	WeightsSHA256  string           `json:"weights_sha256"`
	WeightsBytes   int              `json:"weights_bytes"`
	StartedUTC     string           `json:"started_utc"`
	Notes          string           `json:"notes,omitempty"`
}

func main() {
	log.SetFlags(0)
	var (
		steps      = flag.Int("steps", 1600, "optimizer steps")
		batch      = flag.Int("batch", 32, "batch size")
		lr         = flag.Float64("lr", 2e-3, "peak learning rate")
		out        = flag.String("out", "lib/zoo/models/birds-v1", "output directory of weights.dcnn and record.json")
		name       = flag.String("name", "birds-v1", "model name")
		checkpoint = flag.String("checkpoint", "build/pretrain/checkpoint", "checkpoint directory (resumes when one is there; empty: none)")
		modelSeed  = flag.Uint64("seed", 1, "seed of the weights, dropout, order and augmentations")
		dataSeed   = flag.Uint64("data-seed", 2026, "seed of the clips")
		trainClips = flag.Int("train-clips", 50, "training clips per species")
		valClips   = flag.Int("val-clips", 5, "validation clips per species")
		heldOut    = flag.Int("held-out", 3, "species held out at the start of every family")
		evalEvery  = flag.Int("eval-every", 200, "steps between evaluations")
		notes      = flag.String("notes", "", "notes for the record")
		export     = flag.Bool("export", false, "write the weights and record of the checkpoint as it is, without training (a run cut short)")
		allowDirty = flag.Bool("allow-dirty", false, "train on a working tree with uncommitted changes (the record's commit is marked -dirty: do not ship it)")
	)
	flag.Parse()
	corpus := CorpusOptions{CatalogueSeed: 1, Families: 40, SpeciesPerFamily: 8, HeldOut: *heldOut, TrainClips: *trainClips, ValClips: *valClips,
		Individuals: 10, SNRMinDB: -3, SNRMaxDB: 20, DataSeed: *dataSeed}
	started := time.Now().UTC()
	commit, err := runrecord.CleanCommit(*allowDirty)
	if err != nil {
		log.Fatal("pretrain: ", err)
	}
	log.Printf("engine: %s", backend.Choose())
	opts := cnn.TrainOptions{
		Steps: *steps, BatchSize: *batch, LearningRate: *lr, WeightDecay: 0.02, EvalEvery: *evalEvery, Seed: *modelSeed,
		CheckpointDir: *checkpoint,
		Augment: cnn.Augment{TimeShiftFrames: 20, TimeMasks: 2, TimeMaskFrames: 12, FreqMasks: 2, FreqMaskBands: 6, NoiseStd: 0.02,
			MixupProbability: 0.3, MixupAlpha: 0.4},
		Progress: cnn.TerminalProgress(os.Stderr),
	}
	if *export {
		path := filepath.Join(*checkpoint, cnn.CheckpointFile)
		model, err := cnn.LoadFS(os.DirFS(*checkpoint), cnn.CheckpointFile)
		if err != nil {
			log.Fatal(err)
		}
		history, step, err := cnn.CheckpointHistory(path)
		if err != nil {
			log.Fatal(err)
		}
		opts.Progress = nil
		note := fmt.Sprintf("exported from the checkpoint at step %d of %d (run cut short; the learning rate had not decayed to 0). %s", step, *steps, *notes)
		writeOutputs(*out, *name, model, history, corpus, opts.WithDefaults(), *modelSeed, commit, 0, started, note)
		return
	}

	t0 := time.Now()
	species, classes, trainSet, valSet, err := render(corpus)
	if err != nil {
		log.Fatal(err)
	}
	renderSeconds := time.Since(t0).Seconds()
	log.Printf("rendered %d species, %d training and %d validation clips in %.0f s", len(species), trainSet.Len(), valSet.Len(), renderSeconds)

	cfg := cnn.Config{Head: cnn.SingleLabel, Classes: classes, Dropout: 0.2}
	model, err := cnn.New(cfg, *modelSeed)
	if err != nil {
		log.Fatal(err)
	}
	history, err := cnn.Train(model, trainSet, valSet, opts)
	if err != nil {
		log.Fatal(err)
	}
	opts.Progress = nil
	writeOutputs(*out, *name, model, history, corpus, opts.WithDefaults(), *modelSeed, commit, renderSeconds, started, *notes)
}

// writeOutputs saves the weights and the record.
func writeOutputs(out, name string, model *cnn.Model, history cnn.History, corpus CorpusOptions, opts cnn.TrainOptions,
	modelSeed uint64, commit string, renderSeconds float64, started time.Time, notes string) {
	if err := model.Save(out); err != nil {
		log.Fatal(err)
	}
	weights, err := os.ReadFile(filepath.Join(out, cnn.WeightsFile))
	if err != nil {
		log.Fatal(err)
	}
	last := history.Last()
	rec := Record{Name: name, Config: model.Config(), Corpus: corpus, CorpusRule: corpus.Rule(), Train: opts, ModelSeed: modelSeed,
		Engine: backend.Chosen().String(), GOMAXPROCS: runtime.GOMAXPROCS(0), GitCommit: commit,
		RenderSeconds: renderSeconds, TrainSeconds: last.ElapsedSeconds, Steps: last.Step, History: history,
		FinalValAcc: last.ValAccuracy, FinalValLoss: last.ValLoss, WeightsSHA256: cnn.Digest(weights), WeightsBytes: len(weights),
		StartedUTC: started.Format(time.RFC3339), Notes: notes}
	if last.ElapsedSeconds > 0 {
		rec.ClipsPerSecond = float64(opts.BatchSize*last.Step) / last.ElapsedSeconds
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := atomicfile.WriteFile(filepath.Join(out, "record.json"), append(data, '\n')); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes): %d steps in %.0f s, validation accuracy %.3f", out, len(weights), last.Step, last.ElapsedSeconds, last.ValAccuracy)
}

// pretrainSpecies returns the catalogue indices of the pretraining species: all
// but the first heldOut of every family.
func pretrainSpecies(cat *synth.Catalogue, speciesPerFamily, heldOut int) []int {
	var out []int
	for _, sp := range cat.Species {
		if sp.Index-sp.Family*speciesPerFamily >= heldOut {
			out = append(out, sp.Index)
		}
	}
	return out
}

// render makes the training and validation images, in parallel; clip i of the
// whole list depends only on the data seed and i.
func render(c CorpusOptions) (species []int, classes []string, trainSet, valSet cnn.Dataset, err error) {
	cat, err := synth.NewCatalogue(c.CatalogueSeed, c.Families, c.SpeciesPerFamily)
	if err != nil {
		return nil, nil, cnn.Dataset{}, cnn.Dataset{}, err
	}
	species = pretrainSpecies(cat, c.SpeciesPerFamily, c.HeldOut)
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
	images := make([]float32, total*size)
	errs := make([]error, total)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var done int64
	var mu sync.Mutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = renderClip(cat, frontEnd, c, species, i/perSpecies, i, images[i*size:(i+1)*size])
				mu.Lock()
				done++
				if done%1000 == 0 {
					log.Printf("rendered %d/%d clips", done, total)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < total; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, nil, cnn.Dataset{}, cnn.Dataset{}, e
		}
	}
	for k := range species {
		for j := 0; j < perSpecies; j++ {
			i := k*perSpecies + j
			set := &trainSet
			if j >= c.TrainClips {
				set = &valSet
			}
			set.Images = append(set.Images, images[i*size:(i+1)*size]...)
			set.Labels = append(set.Labels, []int{k})
		}
	}
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
