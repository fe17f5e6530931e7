package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// drawEdge draws a float32 that is 0, subnormal, one that squares to a
// subnormal, or a standard normal one, either sign: the values where
// element-wise kernels and their Go references are most likely to differ.
func drawEdge(rng *rand.Rand) float32 {
	switch rng.IntN(5) {
	case 0:
		return 0
	case 1:
		return float32(rng.NormFloat64()) * 1e-39 // Subnormal.
	case 2:
		return float32(rng.NormFloat64()) * 1e-20 // Squares to a subnormal.
	default:
		return float32(rng.NormFloat64())
	}
}

// TestAdamStepMatchesGo: the assembly step (where the CPU has it) gives the
// plain-Go step's values bit for bit, for lengths around the 8-wide blocks,
// with and without the flush, on values that include zeros, subnormals and
// both signs; and the flush leaves no subnormal moment behind.
func TestAdamStepMatchesGo(t *testing.T) {
	if !hasAsm() {
		t.Log("no assembly kernel on this CPU or build: AdamStep runs adamGo")
	}
	for _, n := range []int{0, 1, 7, 8, 9, 16, 37, 1000} {
		for _, flush := range []float32{0, 0x1p-126} {
			rng := rand.New(rand.NewPCG(uint64(n), 1))
			a := Adam{Decay: 1e-4, LR: 1e-3, Debias1: 1.5, Debias2: 30, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, FlushBelow: flush}
			p, grad, m1, m2 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range p {
				p[i], grad[i], m1[i], m2[i] = drawEdge(rng), drawEdge(rng), drawEdge(rng), float32(math.Abs(float64(drawEdge(rng))))
			}
			wantP, wantM1, wantM2 := append([]float32(nil), p...), append([]float32(nil), m1...), append([]float32(nil), m2...)
			adamGo(wantP, grad, wantM1, wantM2, &a)
			AdamStep(p, grad, m1, m2, a)
			for i := range p {
				if math.Float32bits(p[i]) != math.Float32bits(wantP[i]) || math.Float32bits(m1[i]) != math.Float32bits(wantM1[i]) ||
					math.Float32bits(m2[i]) != math.Float32bits(wantM2[i]) {
					t.Fatalf("n %d flush %g, parameter %d: (p, m1, m2) = (%g, %g, %g), Go gives (%g, %g, %g)",
						n, flush, i, p[i], m1[i], m2[i], wantP[i], wantM1[i], wantM2[i])
				}
				if flush > 0 {
					for _, m := range []float32{m1[i], m2[i]} {
						if m != 0 && math.Abs(float64(m)) < 0x1p-126 {
							t.Fatalf("n %d, parameter %d: moment %g is subnormal after the flush", n, i, m)
						}
					}
				}
			}
		}
	}
}

// TestAdamStepFormula checks one step by hand.
func TestAdamStepFormula(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		p, g, m1, m2          float32
		a                     Adam
		wantP, wantM1, wantM2 float64
	}{
		{"first step", 1, 0.5, 0, 0, Adam{LR: 0.1, Debias1: 10, Debias2: 1000, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
			1 - 0.1*(0.05*10)/(math.Sqrt(0.00025*1000)+1e-8), 0.05, 0.00025},
		{"decay adds to the gradient", 2, 0, 0, 0, Adam{Decay: 0.5, LR: 0.1, Debias1: 1, Debias2: 1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
			2 - 0.1*0.1/(math.Sqrt(0.001)+1e-8), 0.1, 0.001},
		{"flushed moments stop the parameter", 3, 0, 1e-38, 1e-38, Adam{LR: 0.1, Debias1: 1, Debias2: 1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, FlushBelow: 0x1p-126},
			3, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, m1, m2 := []float32{tc.p}, []float32{tc.m1}, []float32{tc.m2}
			AdamStep(p, []float32{tc.g}, m1, m2, tc.a)
			for _, c := range [][2]float64{{float64(p[0]), tc.wantP}, {float64(m1[0]), tc.wantM1}, {float64(m2[0]), tc.wantM2}} {
				if math.Abs(c[0]-c[1]) > 1e-5*math.Max(1, math.Abs(c[1])) {
					t.Fatalf("(p, m1, m2) = (%g, %g, %g), want (%g, %g, %g)", p[0], m1[0], m2[0], tc.wantP, tc.wantM1, tc.wantM2)
				}
			}
		})
	}
}
