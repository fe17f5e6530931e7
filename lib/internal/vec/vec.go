// Package vec holds the float32 vector kernels that lib/search and lib/cluster
// share: dot products (gonum's dot kernel, which uses SIMD assembly on
// amd64), matrix products (lib/internal/gemm), squared Euclidean distances
// (AVX2 assembly on amd64; elsewhere a Go loop with four independent
// accumulators, since Go does not vectorize a plain loop), norms and
// finiteness checks. Sums are accumulated in float32 unless said otherwise;
// Products also serves float64 (lib/classify's k-NN and SVM), and DotFour
// (lib/reduce's PCA).
package vec

import (
	"math"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"gonum.org/v1/gonum/blas/gonum"
)

// Dot returns Σ a[i]·b[i] over len(a) elements; b must be at least as long as
// a. It is gonum's float32 kernel (SIMD assembly on amd64), about 3× faster
// than a plain Go loop.
func Dot(a, b []float32) float32 {
	return impl.Sdot(len(a), a, 1, b[:len(a)], 1)
}

// Products writes the dot products of every row of a (m rows) with every row of
// b (n rows), both row-major with dim columns, into dst (m×n, row-major):
// dst[i·n+j] = a_i · b_j. It is one matrix product a·bᵀ on lib/internal/gemm
// (packed, cache-blocked, AVX2 on amd64), on the calling goroutine: callers
// split the work. A product's value depends only on dim, except that calls
// with at most 4 rows of a sum in another order (dot products read in place),
// which may change its last bits. T is float32 or float64.
func Products[T gemm.Float](dst, a, b []T, m, n, dim int) {
	gemm.Multiply(1, m, n, dim,
		gemm.Operand[T]{Data: a[:m*dim], BatchStride: m * dim, RowStride: dim, ColStride: 1},
		gemm.Operand[T]{Data: b[:n*dim], BatchStride: n * dim, RowStride: 1, ColStride: dim},
		dst, 1)
}

var impl gonum.Implementation

// SquaredDistance returns Σ (a[i]−b[i])² over len(a) elements; b must be at
// least as long as a. On amd64 with AVX2/FMA it runs an assembly kernel (8
// lanes, four accumulators), elsewhere plain Go; each sums in a fixed order,
// so the result depends only on the values and the CPU's kind.
func SquaredDistance(a, b []float32) float32 {
	if s, ok := squaredDistanceAsm(a, b); ok {
		return s
	}
	return squaredDistanceGo(a, b)
}

// squaredDistanceGo is SquaredDistance in plain Go: four interleaved partial
// sums, combined as (s0+s1)+(s2+s3).
func squaredDistanceGo(a, b []float32) float32 {
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

// AddTo64 adds v to acc element by element in float64: acc[i] += float64(v[i])
// for i < len(v); acc must be at least as long as v. Each value is converted
// exactly and added once, so the result is the plain loop's to the bit; on
// amd64 with AVX2 it runs 16 values per step in assembly.
func AddTo64(acc []float64, v []float32) {
	acc = acc[:len(v)]
	for i := addTo64Asm(acc, v); i < len(v); i++ {
		acc[i] += float64(v[i])
	}
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
// NaN and ±Inf are the values whose exponent bits are all ones: adding one
// to the exponent of |v| then carries into the sign bit, which it tests 8
// values at a time, without a branch per value.
func Finite(a []float32) int {
	i := 0
	for ; i+8 <= len(a); i += 8 {
		b := a[i : i+8 : i+8]
		const absMask, expOne = 0x7fffffff, 0x00800000
		carry := (math.Float32bits(b[0])&absMask + expOne) |
			(math.Float32bits(b[1])&absMask + expOne) |
			(math.Float32bits(b[2])&absMask + expOne) |
			(math.Float32bits(b[3])&absMask + expOne) |
			(math.Float32bits(b[4])&absMask + expOne) |
			(math.Float32bits(b[5])&absMask + expOne) |
			(math.Float32bits(b[6])&absMask + expOne) |
			(math.Float32bits(b[7])&absMask + expOne)
		if carry&0x80000000 != 0 {
			break // The scalar loop finds which.
		}
	}
	for ; i < len(a); i++ {
		if v := float64(a[i]); math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

// Argmax returns the index of the largest value of v, the lowest index on ties,
// as numpy's argmax (0 for an empty v; a NaN is never larger, so it is chosen
// only as v[0] with nothing larger after it). It is the one argmax of the
// library: a single-label prediction from a row of scores (lib/classify,
// lib/active, lib/metrics).
func Argmax[T float32 | float64](v []T) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
