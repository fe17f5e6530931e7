package fewshot

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Correlations returns the Pearson correlation of each feature (column of
// vectors) with target, one value in [−1, 1] per feature: the lecture's
// question whether a single embedding dimension means something a biologist
// measures (F0, bandwidth). A constant feature has correlation 0.
func Correlations(vectors [][]float32, target []float64) ([]float64, error) {
	if len(vectors) < 2 || len(vectors) != len(target) {
		return nil, fmt.Errorf("%w: %d vectors for %d targets (need ≥ 2, equal)", ErrInput, len(vectors), len(target))
	}
	d := len(vectors[0])
	n := float64(len(vectors))
	meanT := 0.0
	for _, t := range target {
		meanT += t / n
	}
	means := make([]float64, d)
	for i, v := range vectors {
		if len(v) != d {
			return nil, fmt.Errorf("%w: vector %d has %d values, want %d", ErrInput, i, len(v), d)
		}
		for j, x := range v {
			means[j] += float64(x) / n
		}
	}
	sxy, sxx := make([]float64, d), make([]float64, d)
	stt := 0.0
	for i, v := range vectors {
		dt := target[i] - meanT
		stt += dt * dt
		for j, x := range v {
			dx := float64(x) - means[j]
			sxy[j] += dx * dt
			sxx[j] += dx * dx
		}
	}
	r := make([]float64, d)
	for j := range r {
		if sxx[j] > 0 && stt > 0 {
			r[j] = sxy[j] / math.Sqrt(sxx[j]*stt)
		}
	}
	return r, nil
}

// HeldOutR2 fits a ridge regression (least squares with an L2 penalty ridge
// on the weights, intercept free, features standardized on the training rows)
// from the vectors of the train rows to their targets, and returns the
// coefficient of determination R² = 1 − Σ(t−p)²/Σ(t−mean)² on the test rows
// (mean of the test targets): 1 is a perfect prediction, 0 no better than the
// mean, negative worse. It answers whether a quantity is in the features
// jointly, spread over many dimensions, even when no single one correlates
// with it.
func HeldOutR2(vectors [][]float32, target []float64, train, test []int, ridge float64) (float64, error) {
	if len(vectors) != len(target) || len(train) < 2 || len(test) < 2 {
		return 0, fmt.Errorf("%w: %d vectors, %d targets, %d train and %d test rows", ErrInput, len(vectors), len(target), len(train), len(test))
	}
	d := len(vectors[0])
	n := float64(len(train))
	mean, std := make([]float64, d), make([]float64, d)
	meanT := 0.0
	for _, r := range train {
		for j, x := range vectors[r] {
			mean[j] += float64(x) / n
		}
		meanT += target[r] / n
	}
	for _, r := range train {
		for j, x := range vectors[r] {
			std[j] += (float64(x) - mean[j]) * (float64(x) - mean[j]) / n
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j])
		if std[j] == 0 {
			std[j] = 1
		}
	}
	x := mat.NewDense(len(train), d, nil)
	y := mat.NewVecDense(len(train), nil)
	for i, r := range train {
		for j, v := range vectors[r] {
			x.Set(i, j, (float64(v)-mean[j])/std[j])
		}
		y.SetVec(i, target[r]-meanT)
	}
	var gram mat.SymDense
	gram.SymOuterK(1, x.T())
	for j := range d {
		gram.SetSym(j, j, gram.At(j, j)+ridge)
	}
	var xty mat.VecDense
	xty.MulVec(x.T(), y)
	var w mat.VecDense
	var chol mat.Cholesky
	if !chol.Factorize(&gram) {
		return 0, fmt.Errorf("%w: the features' Gram matrix is singular: use ridge > 0", ErrInput)
	}
	if err := chol.SolveVecTo(&w, &xty); err != nil {
		return 0, fmt.Errorf("fewshot: %w", err)
	}
	meanTest := 0.0
	for _, r := range test {
		meanTest += target[r] / float64(len(test))
	}
	var ssRes, ssTot float64
	for _, r := range test {
		p := meanT
		for j, v := range vectors[r] {
			p += (float64(v) - mean[j]) / std[j] * w.AtVec(j)
		}
		ssRes += (target[r] - p) * (target[r] - p)
		ssTot += (target[r] - meanTest) * (target[r] - meanTest)
	}
	if ssTot == 0 {
		return 0, fmt.Errorf("%w: the test targets are constant", ErrInput)
	}
	return 1 - ssRes/ssTot, nil
}
