// Package vec holds the float32 vector kernels that lib/search and lib/cluster
// share: dot products, squared Euclidean distances and normalization, written
// with four independent accumulators so that the compiler keeps them in
// registers and the CPU overlaps the multiply-adds (Go does not vectorize a
// plain loop). Sums are accumulated in float32; callers that need float64
// accuracy compute it themselves.
package vec

import "math"

// Dot returns Σ a[i]·b[i] over len(a) elements; b must be at least as long as a.
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// SquaredDistance returns Σ (a[i]−b[i])² over len(a) elements; b must be at
// least as long as a.
func SquaredDistance(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0 := a[i] - b[i]
		d1 := a[i+1] - b[i+1]
		d2 := a[i+2] - b[i+2]
		d3 := a[i+3] - b[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// Norm returns the Euclidean length of a, accumulated in float64.
func Norm(a []float32) float64 {
	var s float64
	for _, v := range a {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}

// Finite reports the index of the first NaN or ±Inf element of a, or −1.
func Finite(a []float32) int {
	for i, v := range a {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return i
		}
	}
	return -1
}
