package classify_test

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/classify"
)

// twoClouds returns n points around (0, 0) (class 0) and n around (4, 4)
// (class 1), seeded.
func twoClouds(n int) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x [][]float32
	var y []int
	for c := 0; c < 2; c++ {
		for i := 0; i < n; i++ {
			x = append(x, []float32{float32(4*c) + float32(rng.NormFloat64()), float32(4*c) + float32(rng.NormFloat64())})
			y = append(y, c)
		}
	}
	return x, y
}

// A logistic regression separates two clouds of points with a line: two
// weights and a bias.
func ExampleLogisticRegression() {
	x, y := twoClouds(50)
	model := classify.NewLogisticRegression(classify.LogisticOptions{C: 1})
	if err := model.Fit(x, dataset.SingleLabel(y, 2)); err != nil {
		fmt.Println(err)
		return
	}
	predicted, err := model.Predict([][]float32{{0, 0}, {4, 4}, {-1, 0.5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("classes:", predicted.Index)
	fmt.Println("weights:", model.NumWeights())
	// Output:
	// classes: [0 1 0]
	// weights: 3
}

// The lecture's count: an MLP from 1,000 inputs through 100 hidden units to
// 10 classes has 1000·100 + 100 + 100·10 + 10 weights.
func ExampleMLP_NumWeights() {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([][]float32, 20)
	y := make([]int, 20)
	for i := range x {
		x[i] = make([]float32, 1000)
		for j := range x[i] {
			x[i][j] = float32(rng.NormFloat64())
		}
		y[i] = i % 10
	}
	mlp := classify.NewMLP(classify.MLPOptions{Hidden: []int{100}, Steps: 1})
	if err := mlp.Fit(x, dataset.SingleLabel(y, 10)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(mlp.NumWeights())
	// Output:
	// 101110
}

// k-NN with multi-hot labels scores each class by the share of the nearest
// neighbours that have it.
func ExampleKNN() {
	x := [][]float32{{0}, {1}, {2}, {10}, {11}, {12}}
	labels := dataset.MultiLabel([][]int{
		{1, 0}, {1, 1}, {1, 0},
		{0, 1}, {0, 1}, {1, 1},
	})
	knn := classify.NewKNN(classify.KNNOptions{K: 3})
	if err := knn.Fit(x, labels); err != nil {
		fmt.Println(err)
		return
	}
	p, _ := knn.PredictProba([][]float32{{1}, {11}})
	fmt.Printf("%.2f\n", p)
	// Output:
	// [[1.00 0.33] [0.33 1.00]]
}

// Any fitted classifier saves to one file; Load reads it back whatever its kind.
func ExampleLoad() {
	x, y := twoClouds(20)
	tree := classify.NewDecisionTree(classify.TreeOptions{MaxDepth: 2})
	if err := tree.Fit(x, dataset.SingleLabel(y, 2)); err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "example-tree.classifier")
	defer os.Remove(path)
	if err := tree.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := classify.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	predicted, _ := loaded.Predict([][]float32{{0, 0}, {4, 4}})
	fmt.Println(loaded.Name(), predicted.Index)
	// Output:
	// decision tree (max depth 2) [0 1]
}
