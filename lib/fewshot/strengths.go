package fewshot

import (
	"math"
	"slices"
)

// Strengths returns |r| of each correlation in r (Correlations' output, one per
// dimension), strongest first (NaN, for a constant dimension, last): how closely the embedding's dimensions, taken one at a
// time, follow a measured quantity, in the order a plot of them draws.
func Strengths(r []float64) DimensionStrengths {
	out := make(DimensionStrengths, len(r))
	for d, v := range r {
		out[d] = math.Abs(v)
	}
	slices.SortFunc(out, descending)
	return out
}

// DimensionStrengths holds |correlation| of each dimension, strongest first.
type DimensionStrengths []float64

// Above counts the dimensions whose |r| exceeds level.
func (s DimensionStrengths) Above(level float64) int {
	n := 0
	for _, v := range s {
		if v > level {
			n++
		}
	}
	return n
}

// descending orders a before b when a > b, NaN after every number.
func descending(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// Halves splits the rows 0 … n−1 into the even and the odd ones: two halves of a
// corpus that takes its classes in turn, one to fit on and one to test on.
func Halves(n int) (even, odd []int) {
	for i := range max(n, 0) {
		if i%2 == 0 {
			even = append(even, i)
		} else {
			odd = append(odd, i)
		}
	}
	return even, odd
}
