// Command pretrain trains the feature extractor that ships in lib/zoo: a small
// ResNet (lib/cnn) on a synthetic corpus of hundreds of species (lib/synth),
// keeping out the species the lessons use for transfer learning.
//
// The corpus and its rule (which species are held out for the lessons, how each
// clip is drawn) are lib/pretrain's, as is the record's type.
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
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cmd/pretrainkit"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/pretrain"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
)

func main() {
	log.SetFlags(0)
	run := pretrainkit.DeclareRunFlags(flag.CommandLine, pretrainkit.RunDefaults{Program: "pretrain", Name: "birds-v1", Steps: 1600, EvalEvery: 200, DataSeed: 2026,
		LRHelp: "peak learning rate", SeedHelp: "seed of the weights, dropout, order and augmentations", DataSeedHelp: "seed of the clips"})
	var (
		steps, batch, lr, out, name, checkpoint       = run.Steps, run.Batch, run.LR, run.Out, run.Name, run.Checkpoint
		modelSeed, dataSeed, evalEvery, notes, export = run.Seed, run.DataSeed, run.EvalEvery, run.Notes, run.Export

		trainClips = flag.Int("train-clips", 50, "training clips per species")
		valClips   = flag.Int("val-clips", 5, "validation clips per species")
		heldOut    = flag.Int("held-out", 3, "species held out at the start of every family")
		allowDirty = flag.Bool("allow-dirty", false, "train on a working tree with uncommitted changes (the record's commit is marked -dirty: do not ship it)")
	)
	flag.Parse()
	corpus := pretrain.CorpusOptions{CatalogueSeed: 1, Families: 40, SpeciesPerFamily: 8, HeldOut: *heldOut, TrainClips: *trainClips, ValClips: *valClips,
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
		Augment:       pretrain.Augment,
		Progress:      cnn.TerminalProgress(os.Stderr),
	}
	if *export {
		model, history, step, err := pretrain.LoadCheckpoint(*checkpoint)
		if err != nil {
			log.Fatal(err)
		}
		opts.Progress = nil
		note := fmt.Sprintf("exported from the checkpoint at step %d of %d (run cut short; the learning rate had not decayed to 0). %s", step, *steps, *notes)
		writeOutputs(*out, *name, model, history, corpus, opts.WithDefaults(), *modelSeed, commit, 0, started, note)
		return
	}

	t0 := time.Now()
	species, classes, trainSet, valSet, err := corpus.Render()
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
func writeOutputs(out, name string, model *cnn.Model, history cnn.History, corpus pretrain.CorpusOptions, opts cnn.TrainOptions,
	modelSeed uint64, commit string, renderSeconds float64, started time.Time, notes string) {
	sha, size, err := pretrain.SaveWeights(out, model)
	if err != nil {
		log.Fatal(err)
	}
	last := history.Last()
	rec := pretrain.Record{Name: name, Config: model.Config(), Corpus: corpus, CorpusRule: corpus.Rule(),
		Run: pretrain.Run{Train: opts, ModelSeed: modelSeed, Engine: backend.Engine(), GOMAXPROCS: runtime.GOMAXPROCS(0), GitCommit: commit,
			RenderSeconds: renderSeconds, TrainSeconds: last.ElapsedSeconds},
		Steps: last.Step, History: history,
		FinalValAcc: last.ValAccuracy, FinalValLoss: last.ValLoss, WeightsSHA256: sha, WeightsBytes: size,
		ClipsPerSecond: pretrain.ClipsPerSecond(opts.BatchSize, last), StartedUTC: started.Format(time.RFC3339), Notes: notes}
	if err := pretrain.WriteRecord(out, rec); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes): %d steps in %.0f s, validation accuracy %.3f", out, size, last.Step, last.ElapsedSeconds, last.ValAccuracy)
}
