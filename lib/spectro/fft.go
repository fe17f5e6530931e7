package spectro

import (
	"math"
	"math/bits"
)

// realFFT computes power spectra of real frames of a power-of-two length n ≥ 4:
// a complex FFT of the n/2 even/odd sample pairs (decimation in time, radix-4
// passes with three twiddle multiplications each, one radix-2 pass when needed),
// then the standard split into the n/2+1 bins of the real transform. It exists for speed (about
// three times gonum's FFTPACK port on this workload); gonum's FFT remains the
// reference it is tested against and serves every other length.
type realFFT struct {
	n, m int
	rev  []int32 // bit reversal of indices < m
	// tw holds, pass after pass, the twiddles W^j, W^2j, W^3j (j < h, W = e^{-2πi/(4h)})
	// of each radix-4 pass (h = 4, 16, 64, ...), then e^{-2πij/(2h)} of a final
	// radix-2 pass if one is needed.
	twRe, twIm []float64
	wRe, wIm   []float64 // e^{-2πik/n}, k ≤ m
	zr, zi     []float64 // scratch
}

func isPow2(n int) bool { return n >= 4 && n&(n-1) == 0 }

func newRealFFT(n int) *realFFT {
	m := n / 2
	f := &realFFT{n: n, m: m, rev: make([]int32, m), zr: make([]float64, m), zi: make([]float64, m),
		wRe: make([]float64, m+1), wIm: make([]float64, m+1)}
	shift := 64 - bits.TrailingZeros(uint(m))
	for k := range f.rev {
		if m > 1 {
			f.rev[k] = int32(bits.Reverse64(uint64(k)) >> shift)
		}
	}
	h := 4
	for ; 4*h <= m; h *= 4 {
		for p := 1; p <= 3; p++ {
			for j := 0; j < h; j++ {
				s, c := math.Sincos(-2 * math.Pi * float64(p*j) / float64(4*h))
				f.twRe, f.twIm = append(f.twRe, c), append(f.twIm, s)
			}
		}
	}
	if h < m {
		for j := 0; j < h; j++ {
			s, c := math.Sincos(-math.Pi * float64(j) / float64(h))
			f.twRe, f.twIm = append(f.twRe, c), append(f.twIm, s)
		}
	}
	for k := 0; k <= m; k++ {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.wRe[k], f.wIm[k] = c, s
	}
	return f
}

// power writes |X[k]|² for k = 0..n/2 of the real frame x (len n) into dst.
func (f *realFFT) power(dst, x []float64) {
	zr, zi := f.zr[:f.m], f.zi[:f.m]
	x = x[:2*f.m]
	for k, r := range f.rev[:f.m] {
		zr[r], zi[r] = x[2*k], x[2*k+1]
	}
	f.transform(dst)
}

// powerWindowed is power of the frame seg[i]·win[i] (both of length n), with the
// windowing fused into the first pass.
func (f *realFFT) powerWindowed(dst []float64, seg []float32, win []float64) {
	zr, zi := f.zr[:f.m], f.zi[:f.m]
	seg, win = seg[:2*f.m], win[:2*f.m]
	for k, r := range f.rev[:f.m] {
		zr[r], zi[r] = float64(seg[2*k])*win[2*k], float64(seg[2*k+1])*win[2*k+1]
	}
	f.transform(dst)
}

// transform runs the FFT on the loaded scratch and writes the power spectrum.
func (f *realFFT) transform(dst []float64) {
	m := f.m
	zr, zi := f.zr[:m], f.zi[:m]
	// Stages of half-size 1 and 2 have trivial twiddles (1, −i): do them together.
	if m >= 4 {
		for s := 0; s+3 < m; s += 4 {
			a0r, a0i, a1r, a1i := zr[s], zi[s], zr[s+1], zi[s+1]
			a2r, a2i, a3r, a3i := zr[s+2], zi[s+2], zr[s+3], zi[s+3]
			b0r, b0i, b1r, b1i := a0r+a1r, a0i+a1i, a0r-a1r, a0i-a1i
			b2r, b2i, b3r, b3i := a2r+a3r, a2i+a3i, a2r-a3r, a2i-a3i
			// b3 × (−i) = (b3i, −b3r)
			zr[s], zi[s] = b0r+b2r, b0i+b2i
			zr[s+2], zi[s+2] = b0r-b2r, b0i-b2i
			zr[s+1], zi[s+1] = b1r+b3i, b1i-b3r
			zr[s+3], zi[s+3] = b1r-b3i, b1i+b3r
		}
	} else if m == 2 {
		zr[0], zr[1], zi[0], zi[1] = zr[0]+zr[1], zr[0]-zr[1], zi[0]+zi[1], zi[0]-zi[1]
	}
	tw, h := 0, 4
	for ; 4*h <= m; h *= 4 {
		w1r, w1i := f.twRe[tw:tw+h], f.twIm[tw:tw+h]
		w2r, w2i := f.twRe[tw+h:tw+2*h], f.twIm[tw+h:tw+2*h]
		w3r, w3i := f.twRe[tw+2*h:tw+3*h], f.twIm[tw+2*h:tw+3*h]
		tw += 3 * h
		for s := 0; s < m; s += 4 * h {
			ar, ai := zr[s:s+h], zi[s:s+h]
			br, bi := zr[s+h:s+2*h], zi[s+h:s+2*h]
			cr, ci := zr[s+2*h:s+3*h], zi[s+2*h:s+3*h]
			dr, di := zr[s+3*h:s+4*h], zi[s+3*h:s+4*h]
			for j := range ar {
				// b (second quarter) pairs with W^2j, c (third) with W^j, d with W^3j.
				bwr := br[j]*w2r[j] - bi[j]*w2i[j]
				bwi := br[j]*w2i[j] + bi[j]*w2r[j]
				cwr := cr[j]*w1r[j] - ci[j]*w1i[j]
				cwi := cr[j]*w1i[j] + ci[j]*w1r[j]
				dwr := dr[j]*w3r[j] - di[j]*w3i[j]
				dwi := dr[j]*w3i[j] + di[j]*w3r[j]
				s0r, s0i := ar[j]+bwr, ai[j]+bwi
				s1r, s1i := ar[j]-bwr, ai[j]-bwi
				t0r, t0i := cwr+dwr, cwi+dwi
				t1r, t1i := cwr-dwr, cwi-dwi
				ar[j], ai[j] = s0r+t0r, s0i+t0i
				cr[j], ci[j] = s0r-t0r, s0i-t0i
				// −i·t1 = (t1i, −t1r)
				br[j], bi[j] = s1r+t1i, s1i-t1r
				dr[j], di[j] = s1r-t1i, s1i+t1r
			}
		}
	}
	if h < m {
		wr, wi := f.twRe[tw:tw+h], f.twIm[tw:tw+h]
		for s := 0; s < m; s += 2 * h {
			ar, ai := zr[s:s+h], zi[s:s+h]
			br, bi := zr[s+h:s+2*h], zi[s+h:s+2*h]
			for j := range ar {
				tr := br[j]*wr[j] - bi[j]*wi[j]
				ti := br[j]*wi[j] + bi[j]*wr[j]
				ar[j], br[j] = ar[j]+tr, ar[j]-tr
				ai[j], bi[j] = ai[j]+ti, ai[j]-ti
			}
		}
	}
	// Split: X[k] = E[k] + W^k·O[k], E and O the transforms of even and odd samples.
	dst[0] = (zr[0] + zi[0]) * (zr[0] + zi[0])
	dst[m] = (zr[0] - zi[0]) * (zr[0] - zi[0])
	wRe, wIm := f.wRe, f.wIm
	for k := 1; k < m; k++ {
		ar, ai, cr, ci := zr[k], zi[k], zr[m-k], zi[m-k]
		er, ei := 0.5*(ar+cr), 0.5*(ai-ci)
		or, oi := 0.5*(ai+ci), -0.5*(ar-cr)
		xr := er + wRe[k]*or - wIm[k]*oi
		xi := ei + wRe[k]*oi + wIm[k]*or
		dst[k] = xr*xr + xi*xi
	}
}
