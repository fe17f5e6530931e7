//go:build amd64 && !purego

package vec

// dot8AVX2 is in dotfixed_amd64.s: lanes[0..7] receive the lane-wise sums of
// a·b over the first n values, n a multiple of 8.
//
//go:noescape
func dot8AVX2(a, b *float32, n int, lanes *float32)

// dotFixedAsm is DotFixedOrder on AVX2/FMA: the multiple-of-8 head in assembly
// (head8), then the tail in Go. ok is false where the CPU lacks AVX2 or FMA.
func dotFixedAsm(a, b []float32) (s float32, ok bool) {
	if !hasAVX2 {
		return 0, false
	}
	s, head := head8(dotLanes, a, b)
	for i := head; i < len(a); i++ {
		s += a[i] * b[i]
	}
	return s, true
}
