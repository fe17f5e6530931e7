// Command pretraingeneral trains general-v1, the shipped feature extractor
// meant for sounds beyond one generator's birds: birds-v1's network (same front
// end and architecture), fine-tuned with a new softmax over two kinds of
// training sound at once —
//
//   - every pretraining animal of lib/synth's harder world (World.Pretrain: the
//     200 catalogue birds birds-v1 learnt, with their call types and dialects,
//     and 72 frogs, insects and mammals; every held-out species, hence every
//     class of datasets/synth-transfer, synth-hard and synth-hard-dev, stays
//     out), each clip a scene drawn with HardRanges or WideRanges (one of two,
//     per clip: domain randomisation over distance, reverberation, recorder
//     rates and band limits, clipping, backgrounds, overlapping animals), and
//   - the real recordings of datasets/real-pretrain (speech in 20+ languages
//     and Scratch's sounds, 44 classes; a training-only set, built by `make
//     realdata`), split by recording into training and validation.
//
// No evaluation set (real-narrators, real-animals, synth-hard, synth-transfer)
// trains or chooses anything here: the validation metrics in the record come
// from held-out real-pretrain recordings and held-out clips of the pretraining
// animals.
//
// It writes <out>/weights.dcnn (lib/cnn's format, with its SHA-256) and
// <out>/record.json: config, data sources and their rule, seeds, engine,
// commit, wall and CPU time, the machine's load, every evaluation. Training
// resumes from -checkpoint when interrupted. Run from the repository root:
//
//	go run ./lib/cmd/pretraingeneral [-steps=300] [-out=lib/zoo/models/general-v1]
//
// or `make pretrain-general`.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cmd/pretrainkit"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
	"github.com/dawnchorus/dawnchorus/lib/pretrain"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/synth"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func main() {
	log.SetFlags(log.Ltime)
	run := pretrainkit.DeclareRunFlags(flag.CommandLine, pretrainkit.RunDefaults{Program: "pretrain-general", Name: "general-v1", Steps: 300, EvalEvery: 100, DataSeed: 2027,
		LRHelp: "peak learning rate of the new classifier", SeedHelp: "seed of the new classifier, dropout, order and augmentations",
		DataSeedHelp: "seed of the clips and of the real set's split", EvalEveryHelpSuffix: " (and checkpoints)"})
	var (
		steps, batch, lr, out, name, checkpoint       = run.Steps, run.Batch, run.LR, run.Out, run.Name, run.Checkpoint
		modelSeed, dataSeed, evalEvery, notes, export = run.Seed, run.DataSeed, run.EvalEvery, run.Notes, run.Export

		extractorLR = flag.Float64("extractor-lr", 1e-3, "peak learning rate of the feature extractor (initialised from birds-v1)")
		worldTrain  = flag.Int("world-train", 4, "training scenes per pretraining animal")
		worldVal    = flag.Int("world-val", 1, "validation scenes per pretraining animal")
		wide        = flag.Float64("wide", 0.5, "fraction of scenes drawn with WideRanges (the rest: HardRanges)")
		real        = flag.String("real", "datasets/real-pretrain", "real training sets, comma-separated (labels.csv and audio; make realdata)")
		realVal     = flag.Float64("real-val", 0.1, "fraction of each real class's recordings held out for validation")
		realRepeat  = flag.String("real-repeat", "", "times each real set's training clips are used, comma-separated in the order of -real (empty: once each)")
		stopAfter   = flag.Int("stop-after", 0, "stop after this step, keeping the checkpoint (a pilot or a chunk); 0: train to the end")
		initFrom    = flag.String("init", zoo.BirdsV1, "shipped model whose feature extractor starts the training (birds-v1, or general-v1 to continue it)")
	)
	flag.Parse()
	data := pretrain.GeneralData{WorldTrainClips: *worldTrain, WorldValClips: *worldVal, Individuals: 10, WideFraction: *wide,
		Real: *real, RealValFraction: *realVal, RealRepeat: *realRepeat, DataSeed: *dataSeed}
	started := time.Now().UTC()
	load0 := runrecord.LoadAverage()
	commit := runrecord.GitCommit()
	log.Printf("engine: %s", backend.Choose())

	base, err := zoo.LoadCNN(*initFrom)
	if err != nil {
		log.Fatal(err)
	}
	initRaw, err := zoo.Record(*initFrom)
	if err != nil {
		log.Fatal(err)
	}
	var initRec pretrain.Record
	if err := json.Unmarshal(initRaw, &initRec); err != nil {
		log.Fatal(err)
	}

	opts := cnn.TrainOptions{
		Steps: *steps, BatchSize: *batch, LearningRate: *lr, FeatureExtractorLR: *extractorLR, WeightDecay: 0.02,
		EvalEvery: *evalEvery, Seed: *modelSeed, CheckpointDir: *checkpoint, StopAfterStep: *stopAfter,
		Augment:  pretrain.Augment,
		Progress: logProgress(),
	}
	rec := pretrain.Record{Name: *name, Data: data, InitFrom: *initFrom, InitSHA256: initRec.WeightsSHA256,
		Run:        pretrain.Run{ModelSeed: *modelSeed, Engine: backend.Engine(), GOMAXPROCS: runtime.GOMAXPROCS(0), GitCommit: commit},
		StartedUTC: started.Format(time.RFC3339), Notes: *notes}
	if *export {
		model, history, step, err := pretrain.LoadCheckpoint(*checkpoint)
		if err != nil {
			log.Fatal(err)
		}
		_, _, _, s, err := plan(data)
		if err != nil {
			log.Fatal(err)
		}
		rec.Notes = fmt.Sprintf("exported from the checkpoint at step %d of %d (run cut short; the learning rate had not decayed to 0; "+
			"no per-source validation accuracy, no CPU time or load of the training processes). %s", step, *steps, *notes)
		opts.StopAfterStep = step
		writeOutputs(*out, model, history, opts, s, nil, rec, load0)
		return
	}

	t0 := time.Now()
	sets, err := render(base.FrontEnd(), data)
	if err != nil {
		log.Fatal(err)
	}
	renderSeconds := time.Since(t0).Seconds()
	log.Printf("rendered %d classes: %d training clips %v, %d validation clips %v in %.0f s",
		len(sets.classes), sets.train.Len(), sets.trainBySource, sets.val.Len(), sets.valBySource, renderSeconds)

	model, err := base.WithClassifier(sets.classes, *modelSeed)
	if err != nil {
		log.Fatal(err)
	}
	history, err := cnn.Train(model, sets.train, sets.val, opts)
	if err != nil {
		log.Fatal(err)
	}
	last := history.Last()
	if last.Step < *steps {
		log.Printf("stopped at step %d of %d (checkpoint in %s); run again to finish", last.Step, *steps, *checkpoint)
		return
	}
	bySource, err := accuracyBySource(model, sets)
	if err != nil {
		log.Fatal(err)
	}
	rec.RenderSeconds = renderSeconds
	writeOutputs(*out, model, history, opts, sets, bySource, rec, load0)
}

// writeOutputs saves the weights and completes and writes the record.
func writeOutputs(out string, model *cnn.Model, history cnn.History, opts cnn.TrainOptions, s *sets, bySource map[string]float64, rec pretrain.Record, load0 float64) {
	opts.Progress = nil
	sha, size, err := pretrain.SaveWeights(out, model)
	if err != nil {
		log.Fatal(err)
	}
	last := history.Last()
	rec.Config = model.Config()
	realTrain, realVal := 0, 0
	for i := range rec.Data.RealSets() {
		realTrain += s.trainBySource[rec.Data.RealSource(i)]
		realVal += s.valBySource[rec.Data.RealSource(i)]
	}
	rec.CorpusRule = rec.Data.Rule(rec.InitFrom, s.worldAnimals, s.realClasses, realTrain, realVal)
	rec.Train = opts.WithDefaults()
	rec.TrainSeconds, rec.CPUSeconds, rec.LoadAverage = last.ElapsedSeconds, cpuSeconds(), [2]float64{load0, runrecord.LoadAverage()}
	rec.Steps, rec.History, rec.FinalValAcc, rec.FinalValLoss = last.Step, history, last.ValAccuracy, last.ValLoss
	rec.ValAccuracyBySource, rec.TrainClips, rec.ValClips = bySource, s.trainBySource, s.valBySource
	rec.WeightsSHA256, rec.WeightsBytes = sha, size
	rec.ClipsPerSecond = pretrain.ClipsPerSecond(opts.BatchSize, last)
	if err := pretrain.WriteRecord(out, rec); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes): %d steps in %.0f s, validation accuracy %.3f (%v)", out, size, last.Step,
		last.ElapsedSeconds, last.ValAccuracy, bySource)
}

// logProgress logs a line at every record (the log file of a background run
// stays readable, unlike a progress bar).
func logProgress() func(cnn.Progress) {
	seen := 0
	return func(p cnn.Progress) {
		if p.Last != nil && p.Last.Step != seen {
			seen = p.Last.Step
			log.Printf("step %d/%d: train loss %.3f acc %.3f, val loss %.3f acc %.3f, %.0f s, %.1f clips/s",
				p.Last.Step, p.Steps, p.Last.TrainLoss, p.Last.TrainAccuracy, p.Last.ValLoss, p.Last.ValAccuracy, p.ElapsedSeconds, p.ClipsPerSecond)
		}
	}
}

// sets are the rendered training and validation images.
type sets struct {
	classes                    []string
	worldAnimals, realClasses  int
	train, val                 cnn.Dataset
	valSource                  []string // "world" or "real", per validation clip
	trainBySource, valBySource map[string]int
}

// clipJob is one clip to render: a world scene (animal ≥ 0) or a real clip.
type clipJob struct {
	class  int
	val    bool
	source string
	// world scene
	animal, index int
	// real clip: a row of the real set in folder dir
	row dataset.Row
	dir string
	// repeat: times the clip enters the training set (0 or 1: once)
	repeat int
}

// plan lists every clip to render, with the classes and the counts by
// source, without rendering anything.
func plan(d pretrain.GeneralData) (*synth.World, []int, []clipJob, *sets, error) {
	world, err := synth.NewWorld(synth.WorldOptions{})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	animals := world.Pretrain()
	s := &sets{worldAnimals: len(animals), trainBySource: map[string]int{}, valBySource: map[string]int{}}
	var jobs []clipJob
	for k, a := range animals {
		s.classes = append(s.classes, "world_"+world.Animals[a].Code)
		for j := 0; j < d.WorldTrainClips+d.WorldValClips; j++ {
			jobs = append(jobs, clipJob{class: k, val: j >= d.WorldTrainClips, source: "world", animal: a, index: k*1000 + j})
		}
	}
	repeats, err := d.Repeats()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if len(d.RealSets()) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("pretraingeneral: no real training set (-real)")
	}
	if err := d.CheckRealNames(); err != nil {
		return nil, nil, nil, nil, err
	}
	for i, dir := range d.RealSets() {
		labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("pretraingeneral: the real training set (make realdata): %w", err)
		}
		if !labels.IsSingleLabel() {
			return nil, nil, nil, nil, fmt.Errorf("pretraingeneral: %s/labels.csv is not single-label", dir)
		}
		first := len(s.classes)
		for _, c := range labels.Classes {
			if slices.Contains(s.classes, "real_"+c) {
				return nil, nil, nil, nil, fmt.Errorf("pretraingeneral: class %q of %s is also a class of an earlier real set: the sets' classes must differ", c, dir)
			}
			s.classes = append(s.classes, "real_"+c)
		}
		s.realClasses += len(labels.Classes)
		valFiles := splitRecordings(labels, d.RealValFraction, d.DataSeed)
		for _, r := range labels.Rows {
			c := r.ClassOf()
			jobs = append(jobs, clipJob{class: first + c, val: valFiles[r.File], source: d.RealSource(i), animal: -1, row: r, dir: dir, repeat: repeats[i]})
		}
	}
	for _, j := range jobs {
		if j.val {
			s.valBySource[j.source]++
		} else {
			s.trainBySource[j.source] += max(1, j.repeat)
		}
	}
	return world, animals, jobs, s, nil
}

// render makes every image, in parallel; each depends only on the data
// options and its job.
func render(fe *spectro.FrontEnd, d pretrain.GeneralData) (*sets, error) {
	world, animals, jobs, s, err := plan(d)
	if err != nil {
		return nil, err
	}
	// Each image is rendered straight into its place in its set (the sets keep
	// the jobs' order), not into one buffer of every clip copied after.
	setOf := func(j clipJob) *cnn.Dataset {
		if j.val {
			return &s.val
		}
		return &s.train
	}
	// A training job repeated n times (-real-repeat) takes n places in a row:
	// rendered into the first, copied into the others.
	at := make([]int, len(jobs))    // job i's first index in its set
	times := make([]int, len(jobs)) // and how many places it takes
	for i, j := range jobs {
		set := setOf(j)
		at[i], times[i] = set.Len(), 1
		if j.val {
			s.valSource = append(s.valSource, j.source)
		} else {
			times[i] = max(1, j.repeat)
		}
		for range times[i] {
			set.Labels.Index = append(set.Labels.Index, j.class)
		}
	}
	s.train.Labels.NumClasses, s.val.Labels.NumClasses = len(s.classes), len(s.classes)
	size := fe.Shape()[0] * fe.Shape()[1]
	s.train.Images = make([]float32, s.train.Len()*size)
	s.val.Images = make([]float32, s.val.Len()*size)
	var done atomic.Int64
	err = parallel.For(len(jobs), 0, func(i int) error {
		images := setOf(jobs[i]).Images
		first := images[at[i]*size : (at[i]+1)*size]
		err := renderJob(world, fe, d, animals, jobs[i], first)
		for k := 1; k < times[i]; k++ {
			copy(images[(at[i]+k)*size:(at[i]+k+1)*size], first)
		}
		if n := done.Add(1); n%1000 == 0 {
			log.Printf("rendered %d/%d clips", n, len(jobs))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// splitRecordings returns the files of the real set held out for validation:
// of each class's recordings (in a seeded shuffle), round(fraction × n), and
// at least one when the class has 3 or more. A file's clips all fall on one
// side.
func splitRecordings(labels *dataset.LabelTable, fraction float64, seed uint64) map[string]bool {
	byClass := make([][]string, len(labels.Classes))
	seen := map[string]bool{}
	for _, r := range labels.Rows {
		if seen[r.File] {
			continue
		}
		seen[r.File] = true
		c := r.ClassOf()
		byClass[c] = append(byClass[c], r.File)
	}
	val := map[string]bool{}
	for c, files := range byClass {
		slices.Sort(files)
		rng := rand.New(rand.NewPCG(seed, uint64(c)))
		rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
		n := int(fraction*float64(len(files)) + 0.5)
		if n == 0 && len(files) >= 3 && fraction > 0 {
			n = 1
		}
		for _, f := range files[:n] {
			val[f] = true
		}
	}
	return val
}

// renderJob renders one clip's image.
func renderJob(world *synth.World, fe *spectro.FrontEnd, d pretrain.GeneralData, pool []int, j clipJob, image []float32) error {
	var samples []float32
	var rate int
	if j.animal >= 0 {
		rng := rand.New(rand.NewPCG(d.DataSeed, uint64(j.index)))
		ranges := synth.HardRanges()
		if rng.Float64() < d.WideFraction {
			ranges = synth.WideRanges()
		}
		scene, err := ranges.DrawScene(rng, world, 3, []synth.Voice{{Species: j.animal, Individual: rng.IntN(d.Individuals)}}, pool)
		if err != nil {
			return fmt.Errorf("pretraingeneral: scene %d: %w", j.index, err)
		}
		rec, err := world.RenderScene(d.DataSeed<<32|uint64(j.index), scene)
		if err != nil {
			return fmt.Errorf("pretraingeneral: scene %d: %w", j.index, err)
		}
		samples, rate = rec.Samples, scene.SampleRateHz
	} else {
		path := filepath.Join(j.dir, filepath.FromSlash(j.row.File))
		a, err := audio.Load(path)
		if err != nil {
			return fmt.Errorf("pretraingeneral: %w", err)
		}
		rate = a.SampleRateHz
		mono := a.Mono()
		from, to := int(j.row.StartSeconds*float64(rate)+0.5), int(j.row.EndSeconds*float64(rate)+0.5)
		if from < 0 || to > len(mono) || from >= to {
			return fmt.Errorf("pretraingeneral: %s: clip %g–%g s outside the file's %.3f s", path, j.row.StartSeconds, j.row.EndSeconds, float64(len(mono))/float64(rate))
		}
		samples = mono[from:to]
	}
	want := fe.Options.SampleRateHz
	if rate != want {
		var err error
		if samples, err = audio.Resample(samples, rate, want); err != nil {
			return fmt.Errorf("pretraingeneral: %w", err)
		}
	}
	if n := fe.ClipSamples(); len(samples) > n {
		samples = samples[:n]
	}
	img, err := fe.Image(samples)
	if err != nil {
		return fmt.Errorf("pretraingeneral: %w", err)
	}
	copy(image, img)
	return nil
}

// accuracyBySource measures the final model on each part of the validation
// set.
func accuracyBySource(m *cnn.Model, s *sets) (map[string]float64, error) {
	probs, err := m.PredictImages(s.val.Images)
	if err != nil {
		return nil, err
	}
	right, total := map[string]int{}, map[string]int{}
	for i, p := range probs {
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		src := s.valSource[i]
		total[src]++
		if best == s.val.Labels.Index[i] {
			right[src]++
		}
	}
	out := map[string]float64{}
	for src, n := range total {
		out[src] = float64(right[src]) / float64(n)
	}
	return out, nil
}

// cpuSeconds is this process's user + system CPU time.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}
