package exercises

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Lesson04a holds the answers to exercises 1–4 of lesson 04a (embeddings and transfer
// learning), and the lesson's clips with their two descriptions, which the checks measure
// on: the notebook computed them in its first cells (lessonLabels, embeddings,
// handcrafted), and they take minutes to compute afresh.
type Lesson04a struct {
	// OneNNPercent is exercise 1: the test accuracy, in percent, of 1-NN with the cosine
	// distance on birds-v1's embedding, on the split of seed 1 (10 training clips per
	// species).
	OneNNPercent float64
	// Stage2Length is exercise 2: the number of values of birds-v1's stage2 embedding.
	Stage2Length int
	// EmbeddingGap is exercise 3: whether the 256-unit MLP's gap between training and
	// test accuracy is "larger" or "smaller" on birds-v1's embedding than on the
	// handcrafted features.
	EmbeddingGap string
	// SuffersMost is exercise 4: the classifier, as its Name() prints it, that loses the
	// most test accuracy with 3 training clips per species instead of 10, among
	// Lesson04aClassifiers.
	SuffersMost string

	// Labels, Embeddings and Handcrafted are the lesson's clips, birds-v1's embedding of
	// each and lib/features' description of each (one row per row of Labels).
	Labels                  *dataset.LabelTable
	Embeddings, Handcrafted [][]float32
}

// Lesson04aClassifiers returns, unfitted, the classifiers exercise 4 compares.
func Lesson04aClassifiers() []classify.Classifier {
	return []classify.Classifier{
		classify.NewLogisticRegression(classify.LogisticOptions{}),
		classify.NewDecisionTree(classify.TreeOptions{}),
		classify.NewRandomForest(classify.ForestOptions{Trees: 100, Seed: 1}),
		classify.NewSVM(classify.SVMOptions{Kernel: classify.RBF}),
		classify.NewKNN(classify.KNNOptions{K: 5}),
	}
}

// errLesson04aInputs is returned when the clips or their descriptions are missing.
var errLesson04aInputs = errors.New("exercises: Lesson04a needs Labels, Embeddings and Handcrafted, one row per clip (the lesson's first cells compute them)")

// lesson04aExpected is what the answers are checked against.
type lesson04aExpected struct {
	oneNNPercent float64
	stage2Length int
	gap          string
	loss         map[string]float64 // test accuracy at 10 clips minus at 3, by name
	largestLoss  float64
}

// expected computes the answers from the library, on the given clips.
func (l Lesson04a) expected() (lesson04aExpected, error) {
	n := 0
	if l.Labels != nil {
		n = len(l.Labels.Rows)
	}
	if n == 0 || len(l.Embeddings) != n || len(l.Handcrafted) != n {
		return lesson04aExpected{}, errLesson04aInputs
	}
	var e lesson04aExpected
	train, test, err := fewshot.Split(l.Labels, 10, 1)
	if err != nil {
		return e, err
	}
	oneNN := classify.NewKNN(classify.KNNOptions{K: 1, Metric: classify.Cosine})
	knn, err := fewshot.Evaluate(oneNN, l.Embeddings, l.Labels, train, test)
	if err != nil {
		return e, err
	}
	e.oneNNPercent = 100 * knn.TestAccuracy
	net, err := zoo.LoadCNN(zoo.BirdsV1)
	if err != nil {
		return e, err
	}
	e.stage2Length = net.Config().StageChannels[1]
	gap := func(x [][]float32) (float64, error) { // the overfitting cell's 256-unit MLP
		mlp := classify.NewMLP(classify.MLPOptions{Hidden: []int{256}, Steps: 300, WeightDecay: -1, Seed: 1})
		s, err := fewshot.Evaluate(mlp, x, l.Labels, train, test)
		return s.TrainAccuracy - s.TestAccuracy, err
	}
	onEmbedding, err := gap(l.Embeddings)
	if err != nil {
		return e, err
	}
	onHandcrafted, err := gap(l.Handcrafted)
	if err != nil {
		return e, err
	}
	e.gap = "smaller"
	if onEmbedding > onHandcrafted {
		e.gap = "larger"
	}
	train3, test3, err := fewshot.Split(l.Labels, 3, 1)
	if err != nil {
		return e, err
	}
	e.loss, e.largestLoss = map[string]float64{}, math.Inf(-1)
	for _, model := range Lesson04aClassifiers() {
		ten, err := fewshot.Evaluate(model, l.Embeddings, l.Labels, train, test)
		if err != nil {
			return e, err
		}
		three, err := fewshot.Evaluate(model, l.Embeddings, l.Labels, train3, test3)
		if err != nil {
			return e, err
		}
		e.loss[model.Name()] = ten.TestAccuracy - three.TestAccuracy
		e.largestLoss = math.Max(e.largestLoss, e.loss[model.Name()])
	}
	return e, nil
}

// CheckTo prints one line per exercise to w: ✓ for a right answer, else a hint (a zero
// answer is "not yet"). It returns an error when the clips or their descriptions are
// missing or birds-v1 cannot be loaded.
func (l Lesson04a) CheckTo(w io.Writer) error {
	e, err := l.expected()
	if err != nil {
		return fmt.Errorf("exercises: lesson 04a: %w", err)
	}
	check := selfcheck.NewTo(w)
	check.Near("exercise 1: 1-NN (cosine)'s test accuracy (%)", l.OneNNPercent, e.oneNNPercent, 0.05,
		"fewshot.Evaluate the 1-NN model on split(labels, 1)")
	check.Equal("exercise 2: values of a stage2 embedding", l.Stage2Length, e.stage2Length,
		"print len(vectors[0]) of the stage2 embedding")
	check.Equal("exercise 3: the gap on the embedding", l.EmbeddingGap, e.gap,
		"train minus test accuracy of the 256-unit MLP, on each input")
	lost, named := e.loss[l.SuffersMost]
	check.That("exercise 4: the classifier that suffers most", named && lost == e.largestLoss,
		strconv.Quote(l.SuffersMost), "test accuracy at 10 clips minus at 3, for each classifier")
	check.Done()
	return nil
}

// MustCheck is CheckTo on the cell's output; it panics on CheckTo's error.
func (l Lesson04a) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}
