package vec

import "testing"

// BenchmarkAdamStep times Adam passes over 100,000 parameters with zero
// gradients (units that no longer learn) from moments that are normal floats,
// or subnormal (what long runs leave behind where gradients vanish): kept,
// they stay subnormal for thousands of steps (the second moment decays by
// 0.999 a step); flushed, they are zero from the first step on.
func BenchmarkAdamStep(b *testing.B) {
	const size = 100_000
	for _, tc := range []struct {
		name   string
		m1, m2 float32
		flush  bool
	}{
		{"normal", 1e-3, 1e-6, true},
		{"subnormal-kept", 1e-39, 1e-40, false},
		{"subnormal-flushed", 1e-39, 1e-40, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p, grad := make([]float32, size), make([]float32, size)
			m1, m2 := make([]float32, size), make([]float32, size)
			for i := range p {
				p[i], m1[i], m2[i] = 0.5, tc.m1, tc.m2
			}
			a := Adam{LR: 1e-3, Debias1: 1, Debias2: 1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
			if tc.flush {
				a.FlushBelow = 0x1p-126
			}
			for b.Loop() {
				AdamStep(p, grad, m1, m2, a)
			}
		})
	}
}
