package cnn

import (
	"bytes"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// tinyConfig is a network small enough for unit tests: 0.5 s clips, 16 mel
// bands, 4 and 8 channels.
func tinyConfig(head Head) Config {
	return Config{
		FrontEnd:     spectro.FrontEndOptions{ClipSeconds: 0.5, NFFT: 512, Hop: 256, NumMels: 16},
		StemChannels: 4, StageChannels: []int{8, 8}, Dropout: 0.25,
		Head: head, Classes: []string{"low", "mid", "high"},
	}
}

// bandsData draws n images of noise with a bright band of mel bands whose
// position gives the class (bands 1–3, 6–8 or 11–13), the easiest task there is.
func bandsData(m *Model, n int, seed uint64) Dataset {
	frames, mels := m.FrontEnd().Shape()[0], m.FrontEnd().Shape()[1]
	rng := rand.New(rand.NewPCG(seed, 7))
	var d Dataset
	var classes []int
	for range n {
		class := rng.IntN(3)
		image := make([]float32, frames*mels)
		for k := range frames {
			for b := range mels {
				v := 0.2 * rng.Float32()
				if b >= 1+5*class && b < 4+5*class {
					v += 0.7
				}
				image[k*mels+b] = v
			}
		}
		d.Images = append(d.Images, image...)
		classes = append(classes, class)
	}
	d.Labels = dataset.SingleLabel(classes, len(m.Config().Classes))
	return d
}

// weights returns the values of the model's variables under scope, by name; scope ""
// means every variable of the context (network, optimizer state and random state).
func weights(m *Model, scope string) map[string][]byte {
	out := map[string][]byte{}
	for v := range m.Context().IterVariables() {
		if scope != "" && !InScope(v.Scope(), "/"+scope) {
			continue
		}
		v.MustValue().ConstBytes(func(data []byte) { out[v.Scope()+"/"+v.Name()] = bytes.Clone(data) })
	}
	return out
}

func sameWeights(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestShapes checks every named layer's shape against the hand computation:
// each stride-2 "same" convolution maps a length L to ⌈L/2⌉.
func TestShapes(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	frames, mels := m.FrontEnd().Shape()[0], m.FrontEnd().Shape()[1]
	if frames != 44 || mels != 16 { // 1 + ⌊11025/256⌋ centred frames.
		t.Fatalf("front end shape %dx%d, want 44x16", frames, mels)
	}
	want := map[string][]int{
		"stem": {2, 22, 8, 4}, "stage1": {2, 11, 4, 8}, "stage2": {2, 6, 2, 8}, "embedding": {2, 8},
	}
	if got := m.Config().LayerNames(); strings.Join(got, ",") != "stem,stage1,stage2,embedding" {
		t.Errorf("LayerNames = %v", got)
	}
	images := tensors.FromFlatDataAndDimensions(make([]float32, 2*frames*mels), 2, frames, mels, 1)
	outs, err := m.execLayers(images)
	if err != nil {
		t.Fatal(err)
	}
	for name, dims := range want {
		if got := outs[name]; !equalInts(got, dims) {
			t.Errorf("layer %s: shape %v, want %v", name, got, dims)
		}
	}
	emb, err := m.EmbedImages(make([]float32, 3*frames*mels), EmbedOptions{Layer: "stage1", Pooling: MaxPooling})
	if err != nil || len(emb) != 3 || len(emb[0]) != 8 {
		t.Errorf("EmbedImages(stage1): %d × %d, %v; want 3 × 8", len(emb), len(emb[0]), err)
	}
	if _, err := m.EmbedImages(make([]float32, frames*mels), EmbedOptions{Layer: "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown layer: error %v, want one naming it", err)
	}
	probs, err := m.PredictImages(make([]float32, 2*frames*mels))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range probs {
		var sum float64
		for _, p := range row {
			sum += float64(p)
		}
		if len(row) != 3 || math.Abs(sum-1) > 1e-5 {
			t.Errorf("softmax row %v: want 3 probabilities summing to 1", row)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLossAndAccuracy compares the graph's losses with hand computations.
func TestLossAndAccuracy(t *testing.T) {
	logits := []float32{2, 0, -1, 0.5, 0.5, 0.5}
	targets := []float32{1, 0, 0, 0.25, 0.75, 0}
	// Softmax cross-entropy with soft targets, mean over rows.
	var wantCE float64
	for r := range 2 {
		l := logits[r*3 : r*3+3]
		logZ := math.Log(math.Exp(float64(l[0])) + math.Exp(float64(l[1])) + math.Exp(float64(l[2])))
		for c := range 3 {
			wantCE -= float64(targets[r*3+c]) * (float64(l[c]) - logZ)
		}
	}
	wantCE /= 2
	// Row 0: argmax 0 = target's 0, a hit; row 1: logits tie, argmax 0 ≠ 1, a miss.
	checkLoss(t, SingleLabel, logits, targets, wantCE, 0.5)

	// Binary cross-entropy, mean over all values; decisions at 0.5.
	var wantBCE float64
	hits := 0
	for i, x := range logits {
		p := 1 / (1 + math.Exp(-float64(x)))
		y := float64(targets[i])
		wantBCE -= y*math.Log(p) + (1-y)*math.Log(1-p)
		if (x > 0) == (y > 0.5) {
			hits++
		}
	}
	checkLoss(t, MultiLabel, logits, targets, wantBCE/6, float64(hits)/6)
}

func checkLoss(t *testing.T, head Head, logits, targets []float32, wantLoss, wantAccuracy float64) {
	t.Helper()
	m := MustNew(tinyConfig(head), 1)
	loss, accuracy, err := m.lossOf(logits, targets)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-wantLoss) > 1e-5 || math.Abs(accuracy-wantAccuracy) > 1e-6 {
		t.Errorf("%v: loss %.6f accuracy %.3f, want %.6f and %.3f", head, loss, accuracy, wantLoss, wantAccuracy)
	}
}

// TestTrainLowersLoss trains the tiny network on the bands task.
func TestTrainLowersLoss(t *testing.T) {
	steps := 60
	if testing.Short() {
		steps = 25
	}
	for _, head := range []Head{SingleLabel, MultiLabel} {
		m := MustNew(tinyConfig(head), 1)
		train, val := bandsData(m, 64, 1), bandsData(m, 30, 2)
		before, _, err := m.Evaluate(val)
		if err != nil {
			t.Fatal(err)
		}
		history, err := Train(m, train, val, TrainOptions{Steps: steps, BatchSize: 16, LearningRate: 0.01, EvalEvery: steps / 5, Seed: 3,
			Augment: Augment{TimeShiftFrames: 4, TimeMasks: 1, TimeMaskFrames: 4, NoiseStd: 0.02, MixupProbability: 0.2}})
		if err != nil {
			t.Fatal(err)
		}
		last := history.Last()
		t.Logf("%v: validation loss %.3f → %.3f, accuracy %.2f in %d steps", head, before, last.ValLoss, last.ValAccuracy, steps)
		if len(history.Records) != 5 || last.Step != steps || !last.Validated {
			t.Errorf("%v: history %+v, want 5 records ending at step %d", head, history.Records, steps)
		}
		if !(last.ValLoss < 0.6*before) || last.ValAccuracy < 0.9 {
			t.Errorf("%v: validation loss %.3f → %.3f, accuracy %.2f; want loss down by 40%% and accuracy ≥ 0.9", head, before, last.ValLoss, last.ValAccuracy)
		}
	}
}

// TestDeterminism: the same seed gives the same initial and trained weights;
// another seed gives other weights.
func TestDeterminism(t *testing.T) {
	cfg := tinyConfig(SingleLabel)
	a, b, c := MustNew(cfg, 5), MustNew(cfg, 5), MustNew(cfg, 6)
	if !sameWeights(weights(a, ""), weights(b, "")) {
		t.Fatal("two models with seed 5 start with different weights")
	}
	if sameWeights(weights(a, ExtractorScope), weights(c, ExtractorScope)) {
		t.Fatal("seeds 5 and 6 give the same weights")
	}
	o := TrainOptions{Steps: 4, BatchSize: 8, Seed: 9, Augment: Augment{TimeShiftFrames: 3, MixupProbability: 0.5, NoiseStd: 0.05}}
	for _, m := range []*Model{a, b} {
		if _, err := Train(m, bandsData(m, 20, 1), Dataset{}, o); err != nil {
			t.Fatal(err)
		}
	}
	if !sameWeights(weights(a, ""), weights(b, "")) {
		t.Error("the same training on the same seed gives different weights")
	}
}

// TestLabelEncodingsTrainAlike: the same classes as class indices (Index) and
// as one-hot rows (Hot) give the same training targets, so the same weights bit
// for bit and the same evaluation, for either head.
func TestLabelEncodingsTrainAlike(t *testing.T) {
	for _, head := range []Head{SingleLabel, MultiLabel} {
		cfg := tinyConfig(head)
		o := TrainOptions{Steps: 3, BatchSize: 8, Seed: 9, Augment: Augment{MixupProbability: 0.5}}
		index := bandsData(MustNew(cfg, 5), 12, 1)
		hot := index
		hot.Labels = dataset.Labels{NumClasses: 3, Hot: make([][]int, index.Len())}
		for i, c := range index.Labels.Index {
			hot.Labels.Hot[i] = make([]int, 3)
			hot.Labels.Hot[i][c] = 1
		}
		var w []map[string][]byte
		var eval [][2]float64
		for _, data := range []Dataset{index, hot} {
			m := MustNew(cfg, 5)
			if _, err := Train(m, data, Dataset{}, o); err != nil {
				t.Fatal(err)
			}
			loss, acc, err := m.Evaluate(data)
			if err != nil {
				t.Fatal(err)
			}
			w, eval = append(w, weights(m, "")), append(eval, [2]float64{loss, acc})
		}
		if !sameWeights(w[0], w[1]) || eval[0] != eval[1] {
			t.Errorf("head %v: class indices and one-hot rows train differently (evaluations %v and %v)", head, eval[0], eval[1])
		}
	}
}

// TestResumeMatchesUninterrupted stops a run half-way, resumes it in a fresh
// model from the checkpoint, and compares with an uninterrupted run, bit for bit.
func TestResumeMatchesUninterrupted(t *testing.T) {
	cfg := tinyConfig(SingleLabel)
	o := TrainOptions{Steps: 6, BatchSize: 8, EvalEvery: 2, Seed: 4, Augment: Augment{TimeShiftFrames: 3, MixupProbability: 0.5}}
	whole := MustNew(cfg, 2)
	data, val := bandsData(whole, 20, 1), bandsData(whole, 6, 2)
	wholeHistory, err := Train(whole, data, val, o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	o.CheckpointDir = dir
	o.StopAfterStep = 3
	first := MustNew(cfg, 2)
	if _, err := Train(first, data, val, o); err != nil {
		t.Fatal(err)
	}
	if sameWeights(weights(first, ""), weights(whole, "")) {
		t.Fatal("a run stopped at step 3 has the weights of the whole run")
	}
	o.StopAfterStep = 0
	resumed := MustNew(cfg, 2)
	history, err := Train(resumed, data, val, o)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(resumed, ""), weights(whole, "")) {
		t.Error("resumed run's weights differ from the uninterrupted run's")
	}
	// The checkpoint also loads as a model: the network at its last step.
	fromCheckpoint, err := LoadFS(os.DirFS(dir), CheckpointFile)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(fromCheckpoint, ExtractorScope), weights(whole, ExtractorScope)) || !sameWeights(weights(fromCheckpoint, ClassifierScope), weights(whole, ClassifierScope)) {
		t.Error("the checkpoint loaded as a model differs from the trained one")
	}
	if len(history.Records) != len(wholeHistory.Records) || history.Last().TrainLoss != wholeHistory.Last().TrainLoss {
		t.Errorf("resumed history %+v, uninterrupted %+v", history.Records, wholeHistory.Records)
	}
	// A checkpoint of another network is refused with a clear error.
	other := tinyConfig(SingleLabel)
	other.StemChannels = 6
	if _, err := Train(MustNew(other, 2), data, val, o); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("resume into another network: error %v", err)
	}
}

// TestFrozenExtractor: with the extractor frozen its weights (batch-norm
// averages included) stay bit-identical and the classifier's change; with a
// smaller extractor rate both change.
func TestFrozenExtractor(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 3)
	data := bandsData(m, 24, 1)
	extractor, classifier := weights(m, ExtractorScope), weights(m, ClassifierScope)
	if _, err := Train(m, data, Dataset{}, TrainOptions{Steps: 3, BatchSize: 8, FreezeFeatureExtractor: true}); err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(m, ExtractorScope), extractor) {
		t.Error("frozen extractor's weights changed")
	}
	if sameWeights(weights(m, ClassifierScope), classifier) {
		t.Error("classifier did not change")
	}
	if _, err := Train(m, data, Dataset{}, TrainOptions{Steps: 2, BatchSize: 8, LearningRate: 1e-2, FeatureExtractorLR: 1e-4}); err != nil {
		t.Fatal(err)
	}
	if sameWeights(weights(m, ExtractorScope), extractor) {
		t.Error("fine-tuned extractor did not change")
	}
}

// TestSaveLoad: a saved and loaded model predicts the same, bit for bit; a
// damaged file is refused with an error naming it.
func TestSaveLoad(t *testing.T) {
	m := MustNew(tinyConfig(MultiLabel), 4)
	data := bandsData(m, 16, 1)
	if _, err := Train(m, data, Dataset{}, TrainOptions{Steps: 2, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Config().Head != MultiLabel || !sameWeights(weights(loaded, ExtractorScope), weights(m, ExtractorScope)) || !sameWeights(weights(loaded, ClassifierScope), weights(m, ClassifierScope)) {
		t.Fatal("loaded weights differ")
	}
	a, _ := m.PredictImages(data.Images)
	b, _ := loaded.PredictImages(data.Images)
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("prediction [%d][%d]: %v before saving, %v after loading", i, j, a[i][j], b[i][j])
			}
		}
	}
	path := filepath.Join(dir, WeightsFile)
	raw, _ := os.ReadFile(path)
	os.WriteFile(path, raw[:len(raw)-10], 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), WeightsFile) {
		t.Errorf("truncated file: error %v, want one naming %s", err, WeightsFile)
	}
}

// TestEmbedDeterminism: inference embeddings are the same on every call;
// training-mode ones differ from them and between seeds, and repeat for a seed.
func TestEmbedDeterminism(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	clips := make([][]float32, 3)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range clips {
		clips[i] = make([]float32, m.FrontEnd().ClipSamples())
		for j := range clips[i] {
			clips[i][j] = float32(math.Sin(float64(j)*0.05*float64(i+1)) + 0.1*rng.NormFloat64())
		}
	}
	embed := func(o EmbedOptions) [][]float32 {
		e, err := m.Embed(clips, o)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := embed(EmbedOptions{}), embed(EmbedOptions{})
	if !equalRows(a, b) {
		t.Error("inference embeddings differ between calls")
	}
	// A clip's embedding does not depend on the other clips of the call, nor on
	// its position (for a given BatchSize: the engine's batched kernels may round
	// differently for another one).
	alone, err := m.Embed(clips[2:], EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reversed, err := m.Embed([][]float32{clips[2], clips[1], clips[0]}, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !equalRows(alone, a[2:]) || !equalRows(reversed, [][]float32{a[2], a[1], a[0]}) {
		t.Error("a clip's embedding depends on the other clips of the call")
	}
	s1, s1again, s2 := embed(EmbedOptions{Training: true, Seed: 1}), embed(EmbedOptions{Training: true, Seed: 1}), embed(EmbedOptions{Training: true, Seed: 2})
	if equalRows(a, s1) || equalRows(s1, s2) {
		t.Error("training-mode embeddings do not vary")
	}
	if !equalRows(s1, s1again) {
		t.Error("training-mode embeddings with the same seed differ")
	}
}

func equalRows(a, b [][]float32) bool {
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestBadInput checks the errors for bad data and options.
func TestBadInput(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	good := bandsData(m, 4, 1)
	for _, c := range []struct {
		name string
		data Dataset
		o    TrainOptions
		want string
	}{
		{"two labels", Dataset{Images: good.Images, Labels: dataset.MultiLabel([][]int{{1, 0, 0}, {1, 1, 0}, {1, 0, 0}, {0, 1, 0}})}, TrainOptions{Steps: 1}, "example 1 has 2 labels, a single-label model needs exactly 1"},
		{"no label", Dataset{Images: good.Images, Labels: dataset.MultiLabel([][]int{{1, 0, 0}, {0, 0, 0}, {1, 0, 0}, {0, 1, 0}})}, TrainOptions{Steps: 1}, "example 1 has 0 labels"},
		{"class out of range", Dataset{Images: good.Images, Labels: dataset.SingleLabel([]int{0, 3, 0, 1}, 3)}, TrainOptions{Steps: 1}, "example 1 has class 3"},
		{"negative class", Dataset{Images: good.Images, Labels: dataset.SingleLabel([]int{0, -1, 0, 1}, 3)}, TrainOptions{Steps: 1}, "example 1 has class -1"},
		{"other class count", Dataset{Images: good.Images, Labels: dataset.SingleLabel([]int{0, 1, 0, 1}, 2)}, TrainOptions{Steps: 1}, "labels of 2 classes, the model has 3"},
		{"short multi-hot row", Dataset{Images: good.Images, Labels: dataset.Labels{NumClasses: 3, Hot: [][]int{{1, 0, 0}, {1, 0}, {1, 0, 0}, {0, 1, 0}}}}, TrainOptions{Steps: 1}, "example 1 has a multi-hot row of 2 classes"},
		{"multi-hot value 2", Dataset{Images: good.Images, Labels: dataset.MultiLabel([][]int{{1, 0, 0}, {2, 0, 0}, {1, 0, 0}, {0, 1, 0}})}, TrainOptions{Steps: 1}, "value 2 for class 0"},
		{"short images", Dataset{Images: good.Images[1:], Labels: good.Labels}, TrainOptions{Steps: 1}, "image values"},
		{"NaN", Dataset{Images: append([]float32{float32(math.NaN())}, good.Images[1:]...), Labels: good.Labels}, TrainOptions{Steps: 1}, "NaN"},
		{"negative rate", good, TrainOptions{Steps: 1, LearningRate: -1}, "learning rate"},
		{"bad mixup", good, TrainOptions{Steps: 1, Augment: Augment{MixupProbability: 2}}, "mixup"},
	} {
		if _, err := Train(m, c.data, Dataset{}, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if _, err := m.NewDataset(make([][]float32, 2), dataset.SingleLabel([]int{0}, 3)); err == nil || !strings.Contains(err.Error(), "2 clips and 1") {
		t.Errorf("NewDataset with 2 clips and 1 label: error %v", err)
	}
	if d, err := m.NewDataset([][]float32{make([]float32, 100)}, dataset.SingleLabel([]int{2}, 3)); err != nil || d.Len() != 1 || len(d.Images) != 44*16 {
		t.Errorf("NewDataset: %d examples, %d values, %v; want 1 and 44×16", d.Len(), len(d.Images), err)
	}
	if _, err := New(Config{Classes: []string{"a", "a"}}, 1); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("duplicate class: error %v", err)
	}
}

// TestNonFiniteValues: a NaN or ±Inf among the values is refused by every
// entry point, naming the image: Evaluate and DatasetAt find it in their
// Dataset check (and do not scan again when batching), EmbedImages and
// PredictImages when batching, naming the position in the image too.
func TestNonFiniteValues(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 5)
	clean := bandsData(m, 3, 2)
	atStage1 := m.MustDatasetAt(clean, "stage1")
	mels := m.FrontEnd().Shape()[1]
	spoil := func(d Dataset, at int, v float32) Dataset {
		d.Images = slices.Clone(d.Images)
		d.Images[at] = v
		return d
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(-1))
	second := len(clean.Images) / 3 // the first value of image 1
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"Evaluate", func() error { _, _, err := m.Evaluate(spoil(clean, second+mels+2, nan)); return err }, "cnn: evaluation data: image 1 holds NaN"},
		{"Evaluate at a layer", func() error {
			_, _, err := m.Evaluate(spoil(atStage1, len(atStage1.Images)-1, inf))
			return err
		}, "cnn: evaluation data: image 2 holds -Inf"},
		{"DatasetAt", func() error { _, err := m.DatasetAt(spoil(clean, 0, inf), "stage2"); return err }, "cnn: input data: image 0 holds -Inf"},
		{"EmbedImages", func() error {
			_, err := m.EmbedImages(spoil(clean, second+mels+2, nan).Images, EmbedOptions{})
			return err
		}, "cnn: image 1 holds NaN at [1, 2]"},
		{"PredictImages", func() error { _, err := m.PredictImages(spoil(clean, second, inf).Images); return err }, "cnn: image 1 holds -Inf at [0, 0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	if _, _, err := m.Evaluate(clean); err != nil {
		t.Errorf("clean data: %v", err)
	}
}
