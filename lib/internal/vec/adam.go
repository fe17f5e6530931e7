package vec

import "math"

// Adam holds the coefficients of one Adam step (Kingma & Ba, 2014, as GoMLX's
// optimizers.Adam computes it in float32): for each parameter p with
// gradient g,
//
//	g  ← g + Decay·p                      (an L2 penalty's gradient)
//	m1 ← Beta1·m1 + (1−Beta1)·g
//	m2 ← Beta2·m2 + (1−Beta2)·g²
//	p  ← p − LR·((Debias1·m1) / (√(Debias2·m2) + Eps))
//
// where Debias1 = 1/(1−Beta1ᵗ) and Debias2 = 1/(1−Beta2ᵗ) at step t.
// FlushBelow > 0 sets moments smaller than it in magnitude to exactly 0 before
// they are stored and used: with the smallest normal float32 (0x1p-126) it
// keeps the moments out of the subnormal range, where each float operation
// costs tens of times a normal one on x86 (see AdamStep).
type Adam struct {
	Decay, LR, Debias1, Debias2, Beta1, Beta2, Eps, FlushBelow float32
}

// AdamStep applies one Adam step to p in place, updating the moments m1 and
// m2 (all as long as p; grad is read). On amd64 with AVX2 it runs 8
// parameters at a time in assembly, elsewhere plain Go; both round every
// operation to float32 in the same order (no fused multiply-add), so the
// results are the same bit for bit.
//
// Why flush in software: the CPU can flush subnormals itself (MXCSR's FTZ and
// DAZ bits), and lib/backend/purego sets them around each of its
// single-goroutine ops on a locked OS thread. Here a comparison with
// FlushBelow does it instead, for three reasons: Go's ABI expects both bits
// clear at every call (abi-internal.md, "MXCSR"), so they may only be set
// around code that calls nothing; goroutines started meanwhile (gemm's
// workers) run on other threads without them, so results would depend on the
// split of the work; and the plain-Go fallback then gives the same numbers as
// the assembly, on every CPU.
func AdamStep(p, grad, m1, m2 []float32, a Adam) {
	grad, m1, m2 = grad[:len(p)], m1[:len(p)], m2[:len(p)]
	done := adamAsm(p, grad, m1, m2, &a)
	adamGo(p[done:], grad[done:], m1[done:], m2[done:], &a)
}

// adamGo is AdamStep in plain Go.
func adamGo(p, grad, m1, m2 []float32, a *Adam) {
	grad, m1, m2 = grad[:len(p)], m1[:len(p)], m2[:len(p)]
	oneMinusBeta1, oneMinusBeta2 := 1-a.Beta1, 1-a.Beta2
	for i, v := range p {
		g := grad[i] + a.Decay*v
		first := a.Beta1*m1[i] + oneMinusBeta1*g
		second := a.Beta2*m2[i] + oneMinusBeta2*(g*g)
		if first < a.FlushBelow && first > -a.FlushBelow {
			first = 0
		}
		if second < a.FlushBelow && second > -a.FlushBelow {
			second = 0
		}
		m1[i], m2[i] = first, second
		p[i] = v - a.LR*((first*a.Debias1)/(float32(math.Sqrt(float64(second*a.Debias2)))+a.Eps))
	}
}
