package cnn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// TestLayerShape checks LayerShape against the hand computation for the tiny
// network (0.5 s at 22050 Hz, hop 256: 44 frames × 16 mels; each stride-2 layer
// maps L to ⌈L/2⌉) and against the shapes the graph itself gives.
func TestLayerShape(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	frames, mels := m.FrontEnd().Shape()[0], m.FrontEnd().Shape()[1]
	if frames != 44 || mels != 16 {
		t.Fatalf("tiny front end is %d×%d, the table below assumes 44×16", frames, mels)
	}
	want := map[string][]int{
		"":          {44, 16, 1},
		"stem":      {22, 8, 4},
		"stage1":    {11, 4, 8},
		"stage2":    {6, 2, 8},
		"embedding": {8},
	}
	for layer, w := range want {
		got, err := m.LayerShape(layer)
		if err != nil || !slices.Equal(got, w) {
			t.Errorf("LayerShape(%q) = %v, %v; want %v", layer, got, err, w)
		}
	}
	graph, err := m.execLayers(tensors.FromFlatDataAndDimensions(make([]float32, 2*frames*mels), 2, frames, mels, 1))
	if err != nil {
		t.Fatal(err)
	}
	for layer, dims := range graph {
		if got := want[layer]; layer != "" && !slices.Equal(append([]int{2}, got...), dims) {
			t.Errorf("graph's %q is %v, LayerShape says %v", layer, dims, got)
		}
	}
	if _, err := m.LayerShape("stage9"); err == nil || !strings.Contains(err.Error(), "stage9") {
		t.Errorf("unknown layer: error %v, want one naming it", err)
	}
}

// TestDatasetAt: the outputs of a layer, fed to the rest of the network, give
// the same loss and accuracy as the images through the whole network (to float
// rounding), and chaining two DatasetAt calls equals one.
func TestDatasetAt(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 2)
	data := bandsData(m, 40, 3)
	wantLoss, wantAcc, err := m.Evaluate(data)
	if err != nil {
		t.Fatal(err)
	}
	stage1 := m.MustDatasetAt(data, "stage1")
	for _, layer := range []string{"stem", "stage1", "stage2", "embedding"} {
		at, err := m.DatasetAt(data, layer)
		if err != nil {
			t.Fatal(err)
		}
		dims, _ := m.LayerShape(layer)
		if size := len(at.Images) / at.Len(); size != product(dims) || at.Layer != layer {
			t.Fatalf("%s: %d values per example at layer %q, want %d at %q", layer, size, at.Layer, product(dims), layer)
		}
		loss, acc, err := m.Evaluate(at)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(loss-wantLoss) > 1e-5*math.Max(1, wantLoss) || acc != wantAcc {
			t.Errorf("%s: loss %v accuracy %v, the whole network gives %v %v", layer, loss, acc, wantLoss, wantAcc)
		}
		if layer == "stage2" || layer == "embedding" {
			chained := m.MustDatasetAt(stage1, layer)
			if d := maxAbsDiff(chained.Images, at.Images); d > 1e-5 {
				t.Errorf("%s from stage1 differs from %s from the images by %g", layer, layer, d)
			}
		}
	}
	if _, err := m.DatasetAt(stage1, "stem"); err == nil || !strings.Contains(err.Error(), `after "stage1"`) {
		t.Errorf("going backwards: error %v, want one saying the layer must come after stage1", err)
	}
	if _, err := Train(m, stage1, Dataset{}, TrainOptions{Steps: 1, Augment: Augment{NoiseStd: 0.1}}); err == nil || !strings.Contains(err.Error(), "augmentations") {
		t.Errorf("augmenting a layer's outputs: error %v, want one about augmentations", err)
	}
	if _, err := Train(m, stage1, data, TrainOptions{Steps: 1}); err == nil || !strings.Contains(err.Error(), "same") {
		t.Errorf("training and validation data at different layers: error %v", err)
	}
}

// TestTrainAfterLayer: training on stage1's outputs leaves the stem and stage1
// bit-identical, batch-normalisation averages included, and changes stage2 and
// the classifier; the loss goes down on the easy bands task.
func TestTrainAfterLayer(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 4)
	data := bandsData(m, 48, 5)
	at := m.MustDatasetAt(data, "stage1")
	before := weights(m, ExtractorScope)
	classifier := weights(m, ClassifierScope)
	lossBefore, _, _ := m.Evaluate(at)
	if _, err := Train(m, at, Dataset{}, TrainOptions{Steps: 30, BatchSize: 8, LearningRate: 1e-2, FeatureExtractorLR: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	after := weights(m, ExtractorScope)
	for name, value := range before {
		frozen := strings.Contains(name, "/stem_") || strings.Contains(name, "/stage1_")
		same := string(after[name]) == string(value)
		if frozen && !same {
			t.Errorf("%s changed, but it is at or before stage1", name)
		}
		if !frozen && strings.Contains(name, "/stage2_") && strings.HasSuffix(name, "/weights") && same {
			t.Errorf("%s did not change", name)
		}
	}
	if sameWeights(weights(m, ClassifierScope), classifier) {
		t.Error("classifier did not change")
	}
	if lossAfter, _, _ := m.Evaluate(at); !(lossAfter < lossBefore) {
		t.Errorf("loss %v → %v, want lower", lossBefore, lossAfter)
	}
}

// TestWithClassifier: the new model has the extractor's weights bit for bit and
// a classifier of the new width; training it leaves the original untouched.
func TestWithClassifier(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 6)
	extractor, classifier := weights(m, ExtractorScope), weights(m, ClassifierScope)
	n, err := m.WithClassifier([]string{"a", "b", "c", "d", "e"}, 9)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(n, ExtractorScope), extractor) {
		t.Error("new model's extractor differs from the original's")
	}
	if got := len(n.Config().Classes); got != 5 {
		t.Errorf("new model has %d classes, want 5", got)
	}
	for name, value := range weights(n, ClassifierScope) {
		if strings.HasSuffix(name, "/weights") && len(value) != 4*8*5 {
			t.Errorf("classifier %s holds %d bytes, want 8×5 float32", name, len(value))
		}
	}
	data := bandsData(n, 16, 7)
	if _, err := Train(n, data, Dataset{}, TrainOptions{Steps: 2, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	if !sameWeights(weights(m, ExtractorScope), extractor) || !sameWeights(weights(m, ClassifierScope), classifier) {
		t.Error("training the copy changed the original")
	}
	if sameWeights(weights(n, ExtractorScope), extractor) {
		t.Error("training the copy did not change its extractor")
	}
}

func product(dims []int) int {
	p := 1
	for _, d := range dims {
		p *= d
	}
	return p
}

func maxAbsDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}
