//go:build amd64 && !purego

package vec

// These are in fused_amd64.s: fused.go's passes on the first n elements, n a
// multiple of 8, 8 at a time, with coef pointing at their float32 scalars.
//
//go:noescape
func scaledSum8AVX2(out, x, y *float32, n int, coef *float32)

//go:noescape
func scaledSumSquare8AVX2(out, x, y, z *float32, n int, coef *float32)

//go:noescape
func adamUpdate8AVX2(out, w, m1, m2 *float32, n int, coef *float32)

// scaledSumAsm runs ScaledSum's multiple-of-8 head in assembly and returns
// how many elements it did (0 where the CPU lacks AVX2).
func scaledSumAsm(out, x, y []float32, a, b float32) int {
	head := len(out) &^ 7
	if !hasAVX2 || head == 0 {
		return 0
	}
	coef := [2]float32{a, b}
	scaledSum8AVX2(&out[0], &x[0], &y[0], head, &coef[0])
	return head
}

// scaledSumSquareAsm is scaledSumAsm for ScaledSumSquare.
func scaledSumSquareAsm(out, x, y, z []float32, a, b float32) int {
	head := len(out) &^ 7
	if !hasAVX2 || head == 0 {
		return 0
	}
	coef := [2]float32{a, b}
	scaledSumSquare8AVX2(&out[0], &x[0], &y[0], &z[0], head, &coef[0])
	return head
}

// adamUpdateAsm is scaledSumAsm for AdamUpdate.
func adamUpdateAsm(out, w, m1, m2 []float32, d1, lr, d2, eps float32) int {
	head := len(out) &^ 7
	if !hasAVX2 || head == 0 {
		return 0
	}
	coef := [4]float32{d1, lr, d2, eps}
	adamUpdate8AVX2(&out[0], &w[0], &m1[0], &m2[0], head, &coef[0])
	return head
}
