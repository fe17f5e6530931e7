package vec

import "github.com/dawnchorus/dawnchorus/lib/internal/gemm"

// DotFixedOrder returns Σ a[i]·b[i] over len(a) elements (b at least as long),
// summed in an order that depends only on len(a) — not on where the slices
// sit in memory, as gonum's kernel behind Dot does (it aligns its loads). Use it
// where the same product must give the same bits wherever its operands lie
// (lib/audio's resampler: a stream cut into blocks equals the whole). On amd64
// with AVX2/FMA it runs an assembly kernel (8 lanes, four accumulators, fused
// multiply-adds), elsewhere (the purego tag, other CPUs) dotFixedGo.
func DotFixedOrder(a, b []float32) float32 {
	if s, ok := dotFixedAsm(a, b); ok {
		return s
	}
	return dotFixedGo(a, b)
}

// dotFixedGo is DotFixedOrder in plain Go: four interleaved partial sums
// (partial4), combined as (s0+s1)+(s2+s3), then the tail (the len(a) mod 4
// last products) added in order. This differs from DotFour, which adds the tail
// to s0 before combining: each keeps the order its callers were written
// against (lib/audio's resampler, lib/reduce), so neither's results moved.
func dotFixedGo(a, b []float32) float32 {
	s0, s1, s2, s3, i := partial4(a, b)
	s := (s0 + s1) + (s2 + s3)
	for ; i < len(a); i++ {
		s += a[i] * b[i]
	}
	return s
}

// DotFour returns Σ a[i]·b[i] over len(a) elements (b at least as long) in plain
// Go, in float32 or float64: four interleaved partial sums s0…s3 (partial4), the
// tail (the len(a) mod 4 last products) added to s0, combined as
// (s0+s1)+(s2+s3). The order depends only on len(a).
func DotFour[T gemm.Float](a, b []T) T {
	s0, s1, s2, s3, i := partial4(a, b)
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// partial4 returns the four interleaved partial sums of a[i]·b[i] (sk over
// i ≡ k mod 4) for i below n, the largest multiple of 4 ≤ len(a), and n: Go does
// not vectorize a plain loop, and four independent sums pipeline.
func partial4[T gemm.Float](a, b []T) (s0, s1, s2, s3 T, n int) {
	b = b[:len(a)]
	for ; n+4 <= len(a); n += 4 {
		s0 += a[n] * b[n]
		s1 += a[n+1] * b[n+1]
		s2 += a[n+2] * b[n+2]
		s3 += a[n+3] * b[n+3]
	}
	return s0, s1, s2, s3, n
}
