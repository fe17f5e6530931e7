package vec

import "github.com/dawnchorus/dawnchorus/lib/internal/gemm"

// DotFixedOrder returns Σ a[i]·b[i] over len(a) elements (b at least as long),
// summed in an order that depends only on len(a) — not on where the slices
// sit in memory, as gonum's kernel behind Dot does (it aligns its loads). Use it
// where the same product must give the same bits wherever its operands lie
// (lib/audio's resampler: a stream cut into blocks equals the whole). On amd64
// with AVX2/FMA it runs an assembly kernel (8 lanes, four accumulators, fused
// multiply-adds), elsewhere plain Go with four accumulators (DotFour).
func DotFixedOrder(a, b []float32) float32 {
	if s, ok := dotFixedAsm(a, b); ok {
		return s
	}
	return DotFour(a, b)
}

// DotFour returns Σ a[i]·b[i] over len(a) elements (b at least as long) in plain
// Go, in float32 or float64: four interleaved partial sums s0…s3 (Go does not
// vectorize a plain loop, and four independent sums pipeline), the tail added to
// s0, combined as (s0+s1)+(s2+s3). The order depends only on len(a).
func DotFour[T gemm.Float](a, b []T) T {
	b = b[:len(a)]
	var s0, s1, s2, s3 T
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
