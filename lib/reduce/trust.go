package reduce

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/metrics"

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
	penalties, err := trustPenalties(high, low, k)
	if err != nil {
		return 0, err
	}
	t := 0.0
	for _, p := range penalties {
		t += p // whole numbers: exact in any order
	}
	n, kf := float64(len(penalties)), float64(k)
	return 1 - t*2/(n*kf*(2*n-3*kf-1)), nil
}

// MustTrustworthiness is Trustworthiness for notebooks: it panics on error.
func MustTrustworthiness(high [][]float32, low [][]float64, k int) float64 {
	t, err := Trustworthiness(high, low, k)
	if err != nil {
		panic(err)
	}
	return t
}

// TrustworthinessScores returns each point's share of [Trustworthiness]: for point i,
// 1 − 2/(k·(2n − 3k − 1)) · Σ_{j ∈ Uᵢ(k)} (r(i, j) − k), whose mean over the points is
// T(k). A point scores 1 when its k layout neighbours are all among its k nearest in high.
// The scores are what a bootstrap over the points resamples ([TrustworthinessInterval]).
func TrustworthinessScores(high [][]float32, low [][]float64, k int) ([]float64, error) {
	penalties, err := trustPenalties(high, low, k)
	if err != nil {
		return nil, err
	}
	n, kf := float64(len(penalties)), float64(k)
	scores := make([]float64, len(penalties))
	for i, p := range penalties {
		scores[i] = 1 - p*2/(kf*(2*n-3*kf-1))
	}
	return scores, nil
}

// TrustworthinessInterval returns [Trustworthiness] with a bootstrap confidence interval
// over the points (metrics.BootstrapMean of [TrustworthinessScores]): how much the value
// depends on which recordings happen to be mapped. The layout is not recomputed, so the
// interval says nothing of how another seed would map them.
func TrustworthinessInterval(high [][]float32, low [][]float64, k int, config metrics.BootstrapConfig) (metrics.Interval, error) {
	scores, err := TrustworthinessScores(high, low, k)
	if err != nil {
		return metrics.Interval{}, err
	}
	return metrics.BootstrapMean(scores, config)
}

// MustTrustworthinessInterval is TrustworthinessInterval for notebooks: it panics on error.
func MustTrustworthinessInterval(high [][]float32, low [][]float64, k int, config metrics.BootstrapConfig) metrics.Interval {
	in, err := TrustworthinessInterval(high, low, k, config)
	if err != nil {
		panic(err)
	}
	return in
}

// TrustworthinessDifference returns T(a) − T(b), the trustworthiness of layout a minus
// that of layout b of the same points, with a paired bootstrap interval over the points
// (metrics.BootstrapMeanDifference): each resample draws the same points for both maps.
// An interval that holds 0 means the two maps cannot be told apart by it.
func TrustworthinessDifference(high [][]float32, a, b [][]float64, k int, config metrics.BootstrapConfig) (metrics.Interval, error) {
	scoresA, err := TrustworthinessScores(high, a, k)
	if err != nil {
		return metrics.Interval{}, err
	}
	scoresB, err := TrustworthinessScores(high, b, k)
	if err != nil {
		return metrics.Interval{}, err
	}
	return metrics.BootstrapMeanDifference(scoresA, scoresB, config)
}

// MustTrustworthinessDifference is TrustworthinessDifference for notebooks: it panics on
// error.
func MustTrustworthinessDifference(high [][]float32, a, b [][]float64, k int, config metrics.BootstrapConfig) metrics.Interval {
	in, err := TrustworthinessDifference(high, a, b, k, config)
	if err != nil {
		panic(err)
	}
	return in
}

// trustPenalties checks the points and returns each point's Σ (r(i, j) − k) over its
// layout neighbours j that are not among its k nearest in high.
func trustPenalties(high [][]float32, low [][]float64, k int) ([]float64, error) {
	h, err := fromRows("Trustworthiness high-dimensional points", high)
	if err != nil {
		return nil, err
	}
	l, err := fromRows("Trustworthiness layout", low)
	if err != nil {
		return nil, err
	}
	if h.n != l.n {
		return nil, fmt.Errorf("Trustworthiness: %d high-dimensional points but %d layout points", h.n, l.n)
	}
	n := h.n
	if k < 1 || 2*k >= n {
		return nil, fmt.Errorf("Trustworthiness: k = %d neighbours for %d points: want 1 ≤ k < n/2", k, n)
	}
	return trustworthiness(h, l, k), nil
}

func trustworthiness(h, l *matrix, k int) []float64 {
	n := h.n
	lowNN, _ := knnSelf(l, k+1, false) // includes self first
	hn := rowSqNorms(h)
	const block = 64
	penalty := make([]float64, n)
	parallelBlocks(n, block, func(lo, hi int) {
		dist := make([]float64, (hi-lo)*n)
		sqDistBlock(h, hn, lo, hi, dist)
		for i := lo; i < hi; i++ {
			di := dist[(i-lo)*n : (i-lo+1)*n]
			sum := 0.0
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
			penalty[i] = sum
		}
	})
	return penalty
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

// LargestShift returns the largest difference of any coordinate between two layouts of the
// same points, max over i, d of |a[i][d] − b[i][d]|: 0 when two runs gave the same map bit
// for bit. The layouts must have the same shape.
func LargestShift(a, b [][]float64) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("reduce.LargestShift: layouts of %d and %d points", len(a), len(b))
	}
	largest := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return 0, fmt.Errorf("reduce.LargestShift: point %d has %d coordinates in one layout and %d in the other", i, len(a[i]), len(b[i]))
		}
		for d := range a[i] {
			largest = max(largest, math.Abs(a[i][d]-b[i][d]))
		}
	}
	return largest, nil
}

// MustLargestShift is LargestShift for notebooks: it panics on error.
func MustLargestShift(a, b [][]float64) float64 {
	d, err := LargestShift(a, b)
	if err != nil {
		panic(err)
	}
	return d
}
