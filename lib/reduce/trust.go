package reduce

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Trustworthiness measures how far a layout's neighbourhoods can be trusted: for each
// point, the k nearest neighbours in low that are not among its k nearest in high are
// penalised by how far down high's ranking they are. 1 means every layout neighbour is
// a true neighbour; a random layout scores about 0.5. It is
// sklearn.manifold.trustworthiness with the Euclidean metric (Venna & Kaski 2001):
//
//	T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ(k)} (r(i, j) − k)
//
// where Uᵢ(k) are i's layout neighbours that are not high-dimensional neighbours and
// r(i, j) is j's rank among i's neighbours in high (1 = nearest). k must be below n/2.
// Distances tied to the last bit are ranked by point index.
func Trustworthiness(high [][]float32, low [][]float64, k int) (float64, error) {
	h, err := fromRows("Trustworthiness high-dimensional points", high)
	if err != nil {
		return 0, err
	}
	l, err := fromRows("Trustworthiness layout", low)
	if err != nil {
		return 0, err
	}
	if h.n != l.n {
		return 0, fmt.Errorf("Trustworthiness: %d high-dimensional points but %d layout points", h.n, l.n)
	}
	n := h.n
	if k < 1 || 2*k >= n {
		return 0, fmt.Errorf("Trustworthiness: k = %d neighbours for %d points: want 1 ≤ k < n/2", k, n)
	}
	return trustworthiness(h, l, k), nil
}

// MustTrustworthiness is Trustworthiness for notebooks: it panics on error.
func MustTrustworthiness(high [][]float32, low [][]float64, k int) float64 {
	t, err := Trustworthiness(high, low, k)
	if err != nil {
		panic(err)
	}
	return t
}

func trustworthiness(h, l *matrix, k int) float64 {
	n := h.n
	lowNN, _ := knnSelf(l, k+1, false) // includes self first
	hn := rowSqNorms(h)
	const block = 64
	penalty := make([]float64, (n+block-1)/block)
	parallelBlocks(n, block, func(lo, hi int) {
		dist := make([]float64, (hi-lo)*n)
		sqDistBlock(h, hn, lo, hi, dist)
		sum := 0.0
		for i := lo; i < hi; i++ {
			di := dist[(i-lo)*n : (i-lo+1)*n]
			for _, m := range lowNN[i*(k+1)+1 : (i+1)*(k+1)] {
				dm := di[m]
				rank := 1
				for j, dj := range di {
					if j != i && (dj < dm || (dj == dm && j < int(m))) {
						rank++
					}
				}
				if rank > k {
					sum += float64(rank - k)
				}
			}
		}
		penalty[lo/block] = sum
	})
	t := 0.0
	for _, p := range penalty {
		t += p
	}
	nf, kf := float64(n), float64(k)
	return 1 - t*2/(nf*kf*(2*nf-3*kf-1))
}

func rowSqNorms(m *matrix) []float64 {
	out := make([]float64, m.n)
	for i := range out {
		s := 0.0
		for _, v := range m.row(i) {
			s += v * v
		}
		out[i] = s
	}
	return out
}

// sqDistBlock writes the squared Euclidean distances of rows [lo, hi) to every row into
// dist ((hi−lo)×n), as ‖a‖² + ‖b‖² − 2a·b (the expansion scikit-learn also uses),
// clamped at 0, with exact zeros on the diagonal.
func sqDistBlock(m *matrix, norms []float64, lo, hi int, dist []float64) {
	n, d := m.n, m.d
	a := blas64.General{Rows: hi - lo, Cols: d, Stride: d, Data: m.v[lo*d : hi*d]}
	b := blas64.General{Rows: n, Cols: d, Stride: d, Data: m.v}
	c := blas64.General{Rows: hi - lo, Cols: n, Stride: n, Data: dist}
	if m.d <= 4 {
		// Low dimensions: direct differences are as fast and exact.
		for i := lo; i < hi; i++ {
			ri, out := m.row(i), dist[(i-lo)*n:(i-lo+1)*n]
			for j := 0; j < n; j++ {
				s := 0.0
				for t, v := range m.row(j) {
					e := ri[t] - v
					s += e * e
				}
				out[j] = s
			}
		}
		return
	}
	blas64.Gemm(blas.NoTrans, blas.Trans, -2, a, b, 0, c)
	for i := lo; i < hi; i++ {
		out := dist[(i-lo)*n : (i-lo+1)*n]
		ni := norms[i]
		for j := range out {
			out[j] = max(out[j]+ni+norms[j], 0)
		}
		out[i] = 0
	}
}
