package vec

import "math"

// The element-wise passes of a GoMLX Adam step that lib/backend/purego fuses
// (its adam_exec.go): each computes exactly the float32 operations of the
// graph it replaces, in the graph's order, each rounded to float32 (no fused
// multiply-add; the explicit conversions forbid Go from fusing), so that the
// fused step is the graph's bit for bit. On amd64 with AVX2 the
// multiple-of-8 head runs in assembly with the same operations. AdamStep
// (adam.go), the whole step in one pass for lib/classify's own trainer, rounds
// in another order (LR·((Debias1·m1)/…) against the graph's (lr·(m1·d1))/…)
// and so cannot stand in for these passes.

// ScaledSum writes a·x + b·y into out (all as long as out; out may be x or y).
func ScaledSum(out, x, y []float32, a, b float32) {
	x, y = x[:len(out)], y[:len(out)]
	done := scaledSumAsm(out, x, y, a, b)
	for i := done; i < len(out); i++ {
		out[i] = float32(a*x[i]) + float32(b*y[i])
	}
}

// ScaledSumSquare writes a·x + b·(y·z) into out (all as long as out; out may
// be any of x, y, z). With y = z = g it is Adam's second moment.
func ScaledSumSquare(out, x, y, z []float32, a, b float32) {
	x, y, z = x[:len(out)], y[:len(out)], z[:len(out)]
	done := scaledSumSquareAsm(out, x, y, z, a, b)
	for i := done; i < len(out); i++ {
		out[i] = float32(a*x[i]) + float32(b*float32(y[i]*z[i]))
	}
}

// AdamUpdate writes GoMLX's Adam parameter update
//
//	w − (lr·(m1·d1)) / (√(m2·d2) + eps)
//
// into out (all as long as out; out may be w), rounding after each operation
// in this order; d1 and d2 are the debiasing factors 1/(1−β1ᵗ), 1/(1−β2ᵗ).
func AdamUpdate(out, w, m1, m2 []float32, d1, lr, d2, eps float32) {
	w, m1, m2 = w[:len(out)], m1[:len(out)], m2[:len(out)]
	done := adamUpdateAsm(out, w, m1, m2, d1, lr, d2, eps)
	for i := done; i < len(out); i++ {
		num := lr * float32(m1[i]*d1)
		den := float32(math.Sqrt(float64(float32(m2[i]*d2)))) + eps
		out[i] = w[i] - float32(num/den)
	}
}
