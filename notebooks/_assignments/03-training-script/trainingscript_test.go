package trainingscript

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// The checks train for a few steps of small batches, so that each takes seconds.

// skipShort skips a check that trains a network under -short (the repository's
// race-detector run); grading runs every check.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network: run without -short")
	}
}

// toneClips returns perClass clips of each of numClasses classes: class k is a
// tone at 1000·2^k Hz lasting 0.4–1 s at a random time, in white noise: a task
// a network learns in a few steps.
func toneClips(t *testing.T, numClasses, perClass int, seed uint64) Clips {
	t.Helper()
	front, err := spectro.NewFrontEnd(Config(names(numClasses)).FrontEnd)
	if err != nil {
		t.Fatalf("Config's front end: %v", err)
	}
	rate := float64(front.Options.SampleRateHz)
	rng := rand.New(rand.NewPCG(seed, 3))
	var clips Clips
	for i := 0; i < perClass; i++ {
		for k := 0; k < numClasses; k++ {
			samples := make([]float32, front.ClipSamples())
			hz := 1000 * math.Pow(2, float64(k))
			length := int((0.4 + 0.6*rng.Float64()) * rate)
			start := rng.IntN(len(samples) - min(length, len(samples)-1))
			for j := range samples {
				samples[j] = float32(0.01 * rng.NormFloat64())
				if j >= start && j < start+length {
					samples[j] += float32(0.3 * math.Sin(2*math.Pi*hz*float64(j)/rate))
				}
			}
			clips.Samples = append(clips.Samples, samples)
			clips.Classes = append(clips.Classes, k)
		}
	}
	return clips
}

// names returns n class names.
func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("class%d", i)
	}
	return out
}

// shortOptions are your TrainOptions shortened to a few steps of 8 clips.
func shortOptions(steps, evalEvery int, seed uint64, checkpointDir string) cnn.TrainOptions {
	o := TrainOptions(checkpointDir)
	o.Steps, o.BatchSize, o.EvalEvery, o.WarmupSteps, o.Seed = steps, 8, evalEvery, 2, seed
	return o
}

// weightsDigest returns the SHA-256 of m's saved weights.
func weightsDigest(t *testing.T, m *cnn.Model) string {
	t.Helper()
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, cnn.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	return cnn.Digest(data)
}

// checkSplit checks that every row of labels is in exactly one part, that no
// recording is in two parts, and that every part holds recordings.
func checkSplit(t *testing.T, labels *dataset.LabelTable, s dataset.Split) {
	t.Helper()
	seen := make([]int, len(labels.Rows))
	partOf := map[string]string{}
	for _, part := range []struct {
		name string
		rows []int
	}{{"training", s.Train}, {"validation", s.Validation}, {"test", s.Test}} {
		if len(part.rows) == 0 {
			t.Errorf("the %s part is empty", part.name)
		}
		for _, row := range part.rows {
			if row < 0 || row >= len(labels.Rows) {
				t.Fatalf("the %s part holds row %d; the table has %d rows", part.name, row,
					len(labels.Rows))
			}
			seen[row]++
			file := labels.Rows[row].File
			if other, ok := partOf[file]; ok && other != part.name {
				t.Errorf("recording %s is in the %s and the %s part: its clips leak", file,
					other, part.name)
			}
			partOf[file] = part.name
		}
	}
	for row, n := range seen {
		if n != 1 {
			t.Errorf("row %d is in %d parts, want exactly 1", row, n)
		}
	}
	for c, n := range labels.ClassCounts(s.Train) {
		if n == 0 {
			t.Errorf("class %s has no training rows", labels.Classes[c])
		}
	}
}

// TestSplitGroupsRecordings checks that no recording is split between parts.
//
// Every clip must be in exactly one part, and the three clips of each recording
// in the same part (a table of 4 classes × 8 recordings × 3 clips).
//
// points: 2
func TestSplitGroupsRecordings(t *testing.T) {
	labels := &dataset.LabelTable{Classes: names(4)}
	for c := 0; c < 4; c++ {
		for r := 0; r < 8; r++ {
			for clip := 0; clip < 3; clip++ {
				row := dataset.Row{File: fmt.Sprintf("rec_c%d_r%d.wav", c, r),
					StartSeconds: float64(3 * clip), EndSeconds: float64(3*clip + 3),
					Labels: make([]int, 4)}
				row.Labels[c] = 1
				labels.Rows = append(labels.Rows, row)
			}
		}
	}
	s, err := Split(labels)
	if err != nil {
		t.Fatal(err)
	}
	checkSplit(t, labels, s)
	if n := len(s.Train); n < len(labels.Rows)*2/5 || n > len(labels.Rows)*4/5 {
		t.Errorf("%d of %d rows in training, want about 60 %%", n, len(labels.Rows))
	}
}

// TestSplitCorpus checks the split of the course's corpus.
//
// The split of datasets/synth-birds (120 recordings, 12 species) must be
// complete, leak-free, the same on a second call, and train on every species.
//
// points: 1
func TestSplitCorpus(t *testing.T) {
	path := ""
	for dir, _ := os.Getwd(); path == ""; dir = filepath.Dir(dir) {
		if candidate := filepath.Join(dir, "datasets", "synth-birds",
			"labels.csv"); fileExists(candidate) {
			path = candidate
		} else if filepath.Dir(dir) == dir {
			t.Fatal("datasets/synth-birds/labels.csv not found above this directory: run " +
				"`make setup` in the repository")
		}
	}
	labels, err := dataset.ReadLabelCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Split(labels)
	if err != nil {
		t.Fatal(err)
	}
	checkSplit(t, labels, s)
	again, err := Split(labels)
	if err != nil || fmt.Sprint(again) != fmt.Sprint(s) {
		t.Errorf("a second Split differs (err %v): seed it", err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestConfigHead checks that the classifier has one output per class.
//
// The network built from Config must have a single-label head with one output
// per class (softmax probabilities summing to 1), whatever the number of classes.
//
// points: 1
func TestConfigHead(t *testing.T) {
	for _, k := range []int{3, 7} {
		cfg := Config(names(k))
		m, err := cnn.New(cfg, 1)
		if err != nil {
			t.Fatalf("%d classes: cnn.New(Config): %v", k, err)
		}
		if got := m.Config(); len(got.Classes) != k || got.Head != cnn.SingleLabel {
			t.Errorf("%d classes: the network has %d classes and a %v head; want %d, "+
				"single-label", k, len(got.Classes), got.Head, k)
		}
		_, classifier := m.NumParameters()
		if want := (m.Config().EmbeddingSize + 1) * k; classifier != want {
			t.Errorf("%d classes: the classifier has %d parameters, want (embedding %d + 1) "+
				"× %d = %d", k, classifier, m.Config().EmbeddingSize, k, want)
		}
		shape := m.FrontEnd().Shape()
		probs, err := m.PredictImages(make([]float32, shape[0]*shape[1]))
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, p := range probs[0] {
			sum += float64(p)
		}
		if len(probs[0]) != k || math.Abs(sum-1) > 1e-4 {
			t.Errorf("%d classes: %d probabilities summing to %v; want %d summing to 1", k,
				len(probs[0]), sum, k)
		}
	}
}

// TestTrainOptions checks the options of the full run.
//
// They must record the metrics at least 10 times, augment the training images,
// use Seed, and write checkpoints to the directory given.
//
// points: 1
func TestTrainOptions(t *testing.T) {
	o := TrainOptions("some/dir").WithDefaults()
	if o.CheckpointDir != "some/dir" {
		t.Errorf("CheckpointDir %q, want the argument %q", o.CheckpointDir, "some/dir")
	}
	if o.Steps < 1 || o.EvalEvery < 1 || o.Steps/o.EvalEvery < 10 {
		t.Errorf("%d steps with a record every %d: want at least 10 records", o.Steps,
			o.EvalEvery)
	}
	if o.Augment == (cnn.Augment{}) {
		t.Error("no augmentation: switch on at least one of cnn.Augment's")
	}
	if o.Seed != Seed {
		t.Errorf("Seed %d, want the package's Seed %d", o.Seed, Seed)
	}
}

// TestTrainingLowersLoss checks that a few steps of training lower the loss.
//
// 30 steps on tones of 3 classes must lower the training loss by a fifth, and
// bring the validation loss below chance's.
//
// points: 2
func TestTrainingLowersLoss(t *testing.T) {
	skipShort(t)
	train, val := toneClips(t, 3, 8, 1), toneClips(t, 3, 4, 2)
	m, h, err := Train(train, val, names(3), shortOptions(30, 5, Seed, ""))
	if err != nil {
		t.Fatal(err)
	}
	if m == nil || len(h.Records) != 6 {
		t.Fatalf("model %v, %d records; want a model and 6 records (30 steps, one every 5)", m,
			len(h.Records))
	}
	first, last := h.Records[0], h.Last()
	t.Logf("training loss %.3f → %.3f, validation loss %.3f → %.3f", first.TrainLoss,
		last.TrainLoss, first.ValLoss, last.ValLoss)
	if !(last.TrainLoss < 0.8*first.TrainLoss) {
		t.Errorf("training loss %.3f at step %d, %.3f at step %d: want a drop of at least "+
			"20 %%", first.TrainLoss, first.Step, last.TrainLoss, last.Step)
	}
	if !(last.ValLoss < math.Log(3)) {
		t.Errorf("validation loss %.3f after training, want below chance's ln 3 = %.3f",
			last.ValLoss, math.Log(3))
	}
}

// TestValidationRecorded checks that validation metrics are recorded every EvalEvery steps.
//
// They must be measured on the validation clips Train was given.
//
// points: 1
func TestValidationRecorded(t *testing.T) {
	skipShort(t)
	train, val := toneClips(t, 3, 4, 3), toneClips(t, 3, 2, 4)
	m, h, err := Train(train, val, names(3), shortOptions(12, 4, Seed, ""))
	if err != nil {
		t.Fatal(err)
	}
	var steps []int
	for _, r := range h.Records {
		steps = append(steps, r.Step)
		if !r.Validated || !(r.ValLoss > 0) || r.ValAccuracy < 0 || r.ValAccuracy > 1 {
			t.Errorf("record at step %d: validated %v, loss %v, accuracy %v", r.Step,
				r.Validated, r.ValLoss, r.ValAccuracy)
		}
	}
	if fmt.Sprint(steps) != "[4 8 12]" {
		t.Fatalf("records at steps %v, want [4 8 12]", steps)
	}
	valData, err := m.NewDataset(val.Samples,
		dataset.SingleLabel(val.Classes, len(m.Config().Classes)))
	if err != nil {
		t.Fatal(err)
	}
	loss, _, err := m.Evaluate(valData)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-h.Last().ValLoss) > 1e-4*math.Max(1, loss) {
		t.Errorf("last validation loss %v, but the returned model's loss on the validation "+
			"clips is %v: is val the data it validates on?", h.Last().ValLoss, loss)
	}
}

// TestSameSeedSameWeights checks that the same seed gives the same weights.
//
// Two runs with the same seed must end with the same weights, bit for bit, and
// with the weights of the same run done here — a network built by
// cnn.New(Config(classes), o.Seed), so its initial weights come from o.Seed, and
// trained by cnn.Train on the same clips; another seed must give other weights.
//
// points: 2
func TestSameSeedSameWeights(t *testing.T) {
	skipShort(t)
	train := toneClips(t, 3, 4, 5)
	digests := map[string]string{}
	for _, run := range []struct {
		name string
		seed uint64
	}{{"seed 7", 7}, {"seed 7 again", 7}, {"seed 8", 8}} {
		m, _, err := Train(train, Clips{}, names(3), shortOptions(8, 4, run.seed, ""))
		if err != nil {
			t.Fatal(err)
		}
		digests[run.name] = weightsDigest(t, m)
	}
	if digests["seed 7"] != digests["seed 7 again"] {
		t.Error("two runs with seed 7 end with different weights: is everything random " +
			"seeded from o.Seed?")
	}
	if digests["seed 7"] == digests["seed 8"] {
		t.Error("seeds 7 and 8 give the same weights: is o.Seed used?")
	}
	reference, err := cnn.New(Config(names(3)), 7)
	if err != nil {
		t.Fatal(err)
	}
	trainData, err := reference.NewDataset(train.Samples,
		dataset.SingleLabel(train.Classes, 3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cnn.Train(reference, trainData, cnn.Dataset{},
		shortOptions(8, 4, 7, "")); err != nil {
		t.Fatal(err)
	}
	if weightsDigest(t, reference) != digests["seed 7"] {
		t.Error("seed 7 ends with other weights than cnn.New(Config(classes), 7) trained by " +
			"cnn.Train on the same clips: are the initial weights drawn from o.Seed?")
	}
}

// TestCheckpointResumes checks that a checkpoint is written and resumes.
//
// A run stopped half-way must write a checkpoint, and the run resumed from it
// must end with the whole history and the weights of an uninterrupted run.
//
// points: 2
func TestCheckpointResumes(t *testing.T) {
	skipShort(t)
	train := toneClips(t, 3, 4, 6)
	dir := t.TempDir()
	o := shortOptions(10, 5, Seed, dir)
	o.StopAfterStep = 5
	if _, h, err := Train(train, Clips{}, names(3), o); err != nil || h.Last().Step != 5 {
		t.Fatalf("stopped run: last step %d (err %v), want 5", h.Last().Step, err)
	}
	if !fileExists(filepath.Join(dir, cnn.CheckpointFile)) {
		t.Fatalf("no checkpoint in %s after the stopped run", dir)
	}
	o.StopAfterStep = 0
	resumed, h, err := Train(train, Clips{}, names(3), o)
	if err != nil {
		t.Fatal(err)
	}
	var steps []int
	for _, r := range h.Records {
		steps = append(steps, r.Step)
	}
	if fmt.Sprint(steps) != "[5 10]" {
		t.Errorf("resumed run's records at steps %v, want [5 10]", steps)
	}
	whole, _, err := Train(train, Clips{}, names(3), shortOptions(10, 5, Seed, ""))
	if err != nil {
		t.Fatal(err)
	}
	if weightsDigest(t, resumed) != weightsDigest(t, whole) {
		t.Error("the resumed run ends with other weights than an uninterrupted one")
	}
}
