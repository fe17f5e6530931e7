//go:build amd64 && !purego

package vec

// adam8AVX2 is in adam_amd64.s: AdamStep on the first n parameters, n a
// multiple of 8, with coef pointing at 10 float32: Decay, LR, Debias1,
// Debias2, Beta1, Beta2, 1−Beta1, 1−Beta2, Eps, FlushBelow.
//
//go:noescape
func adam8AVX2(p, grad, m1, m2 *float32, n int, coef *float32)

// adamAsm runs AdamStep's multiple-of-8 head in assembly and returns how many
// parameters it did (0 where the CPU lacks AVX2).
func adamAsm(p, grad, m1, m2 []float32, a *Adam) int {
	head := len(p) &^ 7
	if !hasAVX2 || head == 0 {
		return 0
	}
	coef := [10]float32{a.Decay, a.LR, a.Debias1, a.Debias2, a.Beta1, a.Beta2, 1 - a.Beta1, 1 - a.Beta2, a.Eps, a.FlushBelow}
	adam8AVX2(&p[0], &grad[0], &m1[0], &m2[0], head, &coef[0])
	return head
}
