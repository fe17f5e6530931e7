package reduce

import (
	"fmt"
	"math"
)

// FindAB fits UMAP's low-dimensional similarity curve 1/(1 + a·d^(2b)) to the target
// "1 up to minDist, then exp(−(d − minDist)/spread)" sampled at 300 points on
// [0, 3·spread], by Levenberg–Marquardt least squares from a = b = 1 — the fit
// umap-learn's find_ab_params does with scipy's curve_fit. For minDist 0.1 and spread 1
// it gives a ≈ 1.577, b ≈ 0.895.
func FindAB(spread, minDist float64) (a, b float64, err error) {
	if !(spread > 0) || math.IsInf(spread, 0) {
		return 0, 0, fmt.Errorf("UMAP: spread %v must be a positive number", spread)
	}
	if !(minDist >= 0) || minDist > spread {
		return 0, 0, fmt.Errorf("UMAP: min_dist %v must be in [0, spread = %v]", minDist, spread)
	}
	const m = 300
	xs := make([]float64, m)
	ys := make([]float64, m)
	for i := range xs {
		xs[i] = 3 * spread * float64(i) / (m - 1)
		if xs[i] < minDist {
			ys[i] = 1
		} else {
			ys[i] = math.Exp(-(xs[i] - minDist) / spread)
		}
	}
	// residuals r = f(x) − y, f = 1/(1 + a x^(2b));
	// ∂f/∂a = −x^(2b) f², ∂f/∂b = −2a x^(2b) ln x f².
	cost := func(a, b float64) float64 {
		s := 0.0
		for i, x := range xs {
			f := 1 / (1 + a*math.Pow(x, 2*b))
			s += (f - ys[i]) * (f - ys[i])
		}
		return s
	}
	a, b = 1, 1
	lambda := 1e-3
	c := cost(a, b)
	for iter := 0; iter < 500; iter++ {
		var jaa, jab, jbb, ga, gb float64
		for i, x := range xs {
			if x == 0 {
				continue // f = 1 whatever a, b: no gradient
			}
			p := math.Pow(x, 2*b)
			f := 1 / (1 + a*p)
			r := f - ys[i]
			da := -p * f * f
			db := -2 * a * p * math.Log(x) * f * f
			jaa += da * da
			jab += da * db
			jbb += db * db
			ga += da * r
			gb += db * r
		}
		improved := false
		for try := 0; try < 30; try++ {
			// Solve (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr.
			m11, m22 := jaa*(1+lambda), jbb*(1+lambda)
			det := m11*m22 - jab*jab
			if det == 0 {
				lambda *= 10
				continue
			}
			dA := (-ga*m22 + gb*jab) / det
			dB := (-gb*m11 + ga*jab) / det
			na, nb := a+dA, b+dB
			if nc := cost(na, nb); nc < c {
				done := math.Abs(c-nc) <= 1e-15*c && math.Abs(dA) < 1e-12 && math.Abs(dB) < 1e-12
				a, b, c = na, nb, nc
				lambda = max(lambda/10, 1e-12)
				improved = true
				if done {
					return a, b, nil
				}
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return a, b, nil
}
