package reduce

import "math"

// powPos returns x^y for x > 0 as 2^(y·log2 x), with polynomial log2 and exp2 good to
// a relative error of about 1e-9 — far below the float32 precision umap-learn works in —
// at a fraction of math.Pow's cost. UMAP's gradient descent calls it hundreds of millions
// of times. Results below 2^−1022 flush to 0 and above 2^1023 saturate to +Inf.
func powPos(x, y float64) float64 {
	return exp2(y * log2(x))
}

// log2 for x > 0 (finite, normal or subnormal).
func log2(x float64) float64 {
	bits := math.Float64bits(x)
	e := int((bits>>52)&0x7ff) - 1023
	if e == -1023 { // subnormal: renormalise
		x *= 1 << 54
		bits = math.Float64bits(x)
		e = int((bits>>52)&0x7ff) - 1023 - 54
	}
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // mantissa in [1, 2)
	if m > math.Sqrt2 {
		m /= 2
		e++
	}
	// ln m = 2·atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.1716.
	t := (m - 1) / (m + 1)
	t2 := t * t
	ln := 2 * t * (1 + t2*(1.0/3+t2*(1.0/5+t2*(1.0/7+t2*(1.0/9+t2*(1.0/11))))))
	return float64(e) + ln*math.Log2E
}

// exp2 returns 2^y.
func exp2(y float64) float64 {
	if y < -1022 {
		return 0
	}
	if y > 1023 {
		return math.Inf(1)
	}
	n := math.Floor(y + 0.5)
	f := (y - n) * math.Ln2 // |f| ≤ 0.347
	p := 1 + f*(1+f*(1.0/2+f*(1.0/6+f*(1.0/24+f*(1.0/120+f*(1.0/720+f*(1.0/5040+f*(1.0/40320+f/362880))))))))
	return p * math.Float64frombits(uint64(int64(n)+1023)<<52)
}
