package spectro

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestRealFFTMatchesGonum checks the fast power-of-two FFT against gonum's FFTPACK
// port, an independent implementation, on seeded random frames.
func TestRealFFTMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for _, n := range []int{4, 8, 16, 32, 256, 1024, 4096} {
		f := newRealFFT(n)
		ref := fourier.NewFFT(n)
		x := make([]float64, n)
		for trial := 0; trial < 3; trial++ {
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			got := make([]float64, n/2+1)
			f.power(got, x)
			want := ref.Coefficients(nil, x)
			var peak float64
			for _, c := range want {
				peak = math.Max(peak, real(c)*real(c)+imag(c)*imag(c))
			}
			for k, c := range want {
				p := real(c)*real(c) + imag(c)*imag(c)
				if math.Abs(got[k]-p) > 1e-12*peak {
					t.Fatalf("n=%d bin %d: %v, gonum %v", n, k, got[k], p)
				}
			}
		}
	}
}
