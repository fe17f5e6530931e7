package reduce_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/reduce"
)

// PCA of points on a tilted line: one component carries all the variance.
func ExamplePCA() {
	x := [][]float32{{0, 0}, {1, 2}, {2, 4}, {5, 10}}
	p, err := reduce.PCA(x, reduce.PCAOptions{Components: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	ratio := p.ExplainedVarianceRatio()
	dir := p.Components()[0]
	fmt.Printf("explained variance ratio %.3f %.3f\n", ratio[0], ratio[1])
	fmt.Printf("first direction (%.4f, %.4f)\n", dir[0], dir[1]) // (1, 2)/√5, signed so the largest projection is positive
	y := p.MustTransform(x)
	fmt.Printf("first point at %.4f\n", y[0][0]) // −2·√5: the mean is (2, 4)
	// Output:
	// explained variance ratio 1.000 0.000
	// first direction (0.4472, 0.8944)
	// first point at -4.4721
}

// Trustworthiness of a layout that keeps every neighbourhood is 1.
func ExampleTrustworthiness() {
	high := [][]float32{{0, 0, 0}, {1, 0, 0}, {3, 0, 1}, {6, 1, 0}, {10, 0, 0}, {15, 1, 1}}
	low := [][]float64{{0, 0}, {1, 0}, {3, 0}, {6, 0}, {10, 0}, {15, 0}}
	t, err := reduce.Trustworthiness(high, low, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t)
	// Output:
	// 1
}

// UMAP's curve parameters for the default min_dist 0.1 and spread 1.
func ExampleFindAB() {
	a, b, _ := reduce.FindAB(1, 0.1)
	fmt.Printf("a = %.3f, b = %.3f\n", a, b)
	// Output:
	// a = 1.577, b = 0.895
}
