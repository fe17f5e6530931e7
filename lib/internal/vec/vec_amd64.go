//go:build amd64 && !purego

package vec

import "golang.org/x/sys/cpu"

// sqDist8AVX2 is in vec_amd64.s: lanes[0..7] receive the lane-wise sums of
// (a−b)² over the first n values, n a multiple of 8.
//
//go:noescape
func sqDist8AVX2(a, b *float32, n int, lanes *float32)

// hasAVX2 reports whether this CPU runs the assembly kernel.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sumLanes adds an assembly kernel's 8 lane sums in one fixed order, pairwise, so that
// the result depends only on the values.
func sumLanes(lanes *[8]float32) float32 {
	return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
}

// laneKernel names one of the 8-lane assembly kernels head8 runs.
type laneKernel int

const (
	dotLanes    laneKernel = iota // dot8AVX2: a·b
	sqDistLanes                   // sqDist8AVX2: (a−b)²
)

// head8 runs kernel over the multiple-of-8 head of a and b (b at least as long
// as a) and returns its 8 lane sums added in a fixed order (sumLanes), and the
// head's length: the caller adds the tail. The kernel is named, not passed as a
// function value, so that the lanes stay on the stack (an indirect call would
// make them escape). Only for a CPU with AVX2 and FMA.
func head8(kernel laneKernel, a, b []float32) (s float32, head int) {
	b = b[:len(a)]
	head = len(a) &^ 7
	if head == 0 {
		return 0, 0
	}
	var lanes [8]float32
	switch kernel {
	case dotLanes:
		dot8AVX2(&a[0], &b[0], head, &lanes[0])
	case sqDistLanes:
		sqDist8AVX2(&a[0], &b[0], head, &lanes[0])
	}
	return sumLanes(&lanes), head
}

// squaredDistanceAsm is SquaredDistance on AVX2/FMA: the multiple-of-8 head in
// assembly (head8), then the tail in Go. ok is false where the CPU lacks AVX2 or
// FMA.
func squaredDistanceAsm(a, b []float32) (s float32, ok bool) {
	if !hasAVX2 {
		return 0, false
	}
	s, head := head8(sqDistLanes, a, b)
	for i := head; i < len(a); i++ {
		d := a[i] - b[i]
		s += d * d
	}
	return s, true
}

// addTo64AVX2 is in vec_amd64.s: acc[i] += float64(v[i]) for i < n, n a multiple of 16.
//
//go:noescape
func addTo64AVX2(acc *float64, v *float32, n int)

// addTo64Asm runs AddTo64's multiple-of-16 head in assembly and returns how
// many values it did (0 where the CPU lacks AVX2).
func addTo64Asm(acc []float64, v []float32) int {
	head := len(v) &^ 15
	if !hasAVX2 || head == 0 {
		return 0
	}
	acc = acc[:len(v)]
	addTo64AVX2(&acc[0], &v[0], head)
	return head
}
