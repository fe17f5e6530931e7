package exercises

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// lesson04aInputs builds 3 classes × 14 recordings (one clip each): a clip's embedding
// points along its class's axis with a length from e⁻² to e² (and noise of 0.01), so the
// cosine 1-NN, which ignores length, gets every clip right, while classifiers that
// measure distance or fit a boundary lose differently with 3 training clips instead of
// 10 (on the draw of seed 1: 5-NN 42 points, the RBF SVM 29, logistic regression 9, the
// tree and the forest none), so exercise 4 has one right answer; the "handcrafted"
// features are noise, which an MLP memorises without generalising.
func lesson04aInputs() Lesson04a {
	rng := rand.New(rand.NewPCG(4, 1))
	l := Lesson04a{Labels: &dataset.LabelTable{Classes: []string{"a", "b", "c"}}}
	for i := range 42 {
		class := i % 3
		hot := make([]int, 3)
		hot[class] = 1
		l.Labels.Rows = append(l.Labels.Rows, dataset.Row{File: fmt.Sprintf("r%02d.wav", i), EndSeconds: 3, Labels: hot})
		embedding := make([]float32, 4)
		embedding[class] = float32(math.Exp(2 * (2*rng.Float64() - 1)))
		noise := make([]float32, 4)
		for d := range embedding {
			embedding[d] += float32(0.01 * rng.NormFloat64())
			noise[d] = float32(rng.NormFloat64())
		}
		l.Embeddings, l.Handcrafted = append(l.Embeddings, embedding), append(l.Handcrafted, noise)
	}
	return l
}

// TestLesson04a: blank answers say "not yet" four times, right ones (worked out another
// way) pass, wrong ones fail, and missing clips are an error naming what is missing.
func TestLesson04a(t *testing.T) {
	blank := lesson04aInputs()
	var out bytes.Buffer
	if err := blank.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "not yet"); n != 4 {
		t.Errorf("blank answers: %d checks say \"not yet\", want 4:\n%s", n, out.String())
	}

	// The right answers, worked out another way. 1: the classes' directions are at right
	// angles and the noise (0.01) is far below the shortest length (e⁻² ≈ 0.14), so the
	// cosine 1-NN gets every test clip right. 2: a stage2 embedding's length, measured
	// on one clip. 3: the MLP generalises from the classes' directions and memorises
	// the noise (a gap near 1 − 1/3), so the gap on the embedding is smaller. 4: fewshot.Compare's
	// draws of 10 and of 3 per class with seed 1 are Split's.
	model := zoo.MustLoad(zoo.BirdsV1)
	clip := make([]float32, model.Info().ClipSamples())
	stage2 := len(must(model.Embed([][]float32{clip}, model.Info().SampleRateHz, zoo.EmbedOptions{Layer: "stage2"}))[0])
	right := blank
	right.OneNNPercent, right.Stage2Length, right.EmbeddingGap = 100, stage2, "smaller"
	loss := map[string]float64{}
	for _, m := range Lesson04aClassifiers() {
		mean := func(perClass int) float64 {
			o := fewshot.Options{PerClass: perClass, Seeds: []uint64{1}}
			return must(fewshot.CompareClassifiers(blank.Labels, blank.Embeddings, []classify.Classifier{m}, o)).Results[0].Mean
		}
		loss[m.Name()] = mean(10) - mean(3)
		if right.SuffersMost == "" || loss[m.Name()] > loss[right.SuffersMost] {
			right.SuffersMost = m.Name()
		}
	}
	// Exercise 4 has one answer only if no other classifier loses as much.
	for name, lost := range loss {
		if name != right.SuffersMost && lost >= loss[right.SuffersMost] {
			t.Fatalf("exercise 4: %s loses %.3f, as much as %s (%.3f): the toy data do not separate them", name, lost, right.SuffersMost, loss[right.SuffersMost])
		}
	}
	out.Reset()
	if err := right.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "✓"); n != 4 || !strings.Contains(out.String(), "all 4 checks pass") {
		t.Errorf("right answers: %d checks pass, want 4:\n%s", n, out.String())
	}

	wrong := right
	wrong.OneNNPercent, wrong.SuffersMost = 50, "no such classifier"
	out.Reset()
	if err := wrong.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "✗ exercise 1") || !strings.Contains(out.String(), "✗ exercise 4") ||
		!strings.Contains(out.String(), "✓ exercise 2") {
		t.Errorf("wrong answers to 1 and 4:\n%s", out.String())
	}

	// Every other classifier's name fails too.
	for name := range loss {
		if name == right.SuffersMost {
			continue
		}
		other := right
		other.SuffersMost = name
		out.Reset()
		if err := other.CheckTo(&out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "✗ exercise 4") {
			t.Errorf("exercise 4 answered %q (loses %.3f, the answer %.3f):\n%s", name, loss[name], loss[right.SuffersMost], out.String())
		}
	}

	missing := right
	missing.Handcrafted = missing.Handcrafted[:10]
	if err := missing.CheckTo(&out); err == nil || !strings.Contains(err.Error(), "Handcrafted") {
		t.Errorf("10 handcrafted rows for 42 clips: error %v, want one naming Handcrafted", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
