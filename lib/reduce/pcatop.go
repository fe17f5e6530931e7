package reduce

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
	"gonum.org/v1/gonum/mat"
)

// Top eigenpairs of a symmetric matrix by subspace iteration, for PCA when only
// a few of many components are asked for (issue 19: scikit-learn's "auto" solver
// is randomized for that case, and a full eigen-decomposition of the covariance
// costs O(d³) where the few top pairs cost O(d²·k) per iteration).
//
// The iteration keeps p = max(2k, k+24) orthonormal vectors, multiplies them
// by the matrix, re-orthonormalizes, and each time takes the Ritz pairs of the
// subspace (Rayleigh–Ritz: the eigenpairs of Qᵀ·C·Q). It stops when each of
// the k top Ritz vectors y with value θ has a residual ‖C·y − θ·y‖ below
// subspaceTol times its gap to the nearest other Ritz value — the residual
// over the gap bounds the sine of its angle to the true eigenvector — or below
// subspaceFloor times the largest Ritz value, the rounding floor where more
// iterations gain nothing: then the vector is as accurate as a full
// decomposition's (whose backward error is of that size too), which is what
// lets nearly equal leading eigenvalues converge. It reports failure after
// subspaceMaxIter iterations, when the caller falls back to the full
// eigen-decomposition. The start is seeded, so the result is the same on
// every run.

const (
	// subspaceTol bounds residual/gap of each top Ritz pair at convergence.
	subspaceTol = 1e-12
	// subspaceFloor bounds the residual of each top Ritz pair at convergence
	// relative to the largest Ritz value: a few hundred times float64's
	// rounding unit, the accuracy of a backward-stable full decomposition.
	subspaceFloor = 1e-13
	// subspaceMaxIter is how many iterations are tried before giving up.
	subspaceMaxIter = 20
)

// useSubspace says whether [topEigenSym] is worth trying for k of d components.
// The iteration costs about 1e-5·p·d² ms here (p = subspaceSize(d, k)), gonum's
// full decomposition about 1.4e-6·d³ ms up to d = 192 and far more beyond (its
// working set leaves the cache: 110 ms at d = 256, 1.3 s at 512, 15 s at 1280;
// BenchmarkTopEigen on a 2-CPU AMD EPYC). So the iteration is used from
// d ≥ 7·p, and from d = 256 whenever the subspace is at most half the
// dimension. For 2 components (a 2-D view, and t-SNE's PCA start) it is used
// from d = 64 as before issue 19's measurements: at d = 128 it costs 3.3 ms
// against 2.8, within the noise of the whole fit, and keeps those layouts
// bit-identical; for 16 of 128 the full decomposition is the cheaper by far
// (2.8 ms against 10).
func useSubspace(d, k int) bool {
	p := subspaceSize(d, k)
	return 2*p <= d && (d >= 7*p || d >= 256 || (k <= 2 && d >= 64))
}

// subspaceSize is the number of vectors iterated for k components of d: a wide
// margin over k, since the iteration converges as (λ_{p+1}/λ_k)ⁱ and embeddings
// often have a few tens of comparable leading variances (one per cluster).
func subspaceSize(d, k int) int { return min(d, max(2*k, k+24)) }

// topEigenSym returns the k largest eigenvalues of the symmetric d×d matrix c
// (row-major, both triangles filled), largest first, and their unit
// eigenvectors (vecs[i] has d values); ok is false if the iteration did not
// converge, and the caller must then use a full decomposition.
func topEigenSym(c []float64, d, k int) (vals []float64, vecs [][]float64, ok bool) {
	p := subspaceSize(d, k)
	rng := rand.New(rand.NewPCG(19, uint64(d)))
	q := make([][]float64, p) // The current orthonormal basis, one vector per entry.
	for j := range q {
		q[j] = make([]float64, d)
		for i := range q[j] {
			q[j][i] = rng.NormFloat64()
		}
	}
	if !orthonormalize(q) {
		return nil, nil, false
	}
	z := make([][]float64, p)
	for j := range z {
		z[j] = make([]float64, d)
	}
	h := mat.NewSymDense(p, nil)
	var eig mat.EigenSym
	var w mat.Dense
	y, cy := make([]float64, d), make([]float64, d)
	prevWorst := math.Inf(1)
	for iter := 0; iter < subspaceMaxIter; iter++ {
		for j := range q { // z = C·q
			symMulVec(c, d, q[j], z[j])
		}
		for a := 0; a < p; a++ { // h = qᵀ·C·q
			for b := a; b < p; b++ {
				h.SetSym(a, b, vec.DotFour(q[a], z[b]))
			}
		}
		if !eig.Factorize(h, true) {
			return nil, nil, false
		}
		theta := eig.Values(nil) // ascending
		eig.VectorsTo(&w)
		// worst is the largest residual of the k top Ritz pairs over what
		// convergence allows it (its gap times subspaceTol, or the floor).
		worst := 0.0
		floor := subspaceFloor * math.Abs(theta[p-1])
		vals, vecs = make([]float64, k), make([][]float64, k)
		for i := 0; i < k; i++ {
			src := p - 1 - i
			clear(y)
			clear(cy)
			for j := 0; j < p; j++ {
				wj := w.At(j, src)
				for r := range y {
					y[r] += wj * q[j][r]
					cy[r] += wj * z[j][r]
				}
			}
			res := 0.0
			for r := range y {
				e := cy[r] - theta[src]*y[r]
				res += e * e
			}
			gap := math.Inf(1)
			for j := range theta {
				if j != src {
					gap = min(gap, math.Abs(theta[src]-theta[j]))
				}
			}
			ratio := math.Sqrt(res) / max(subspaceTol*gap, floor)
			if !(ratio <= math.MaxFloat64) { // NaN, or a zero matrix.
				ratio = math.Inf(1)
			}
			worst = max(worst, ratio)
			norm := math.Sqrt(vec.DotFour(y, y))
			vals[i], vecs[i] = theta[src], make([]float64, d)
			for r := range y {
				vecs[i][r] = y[r] / norm
			}
		}
		if worst <= 1 {
			return vals, vecs, true
		}
		// Give up early when the rate so far would not reach the tolerance in
		// the iterations left (a nearly flat spectrum): the full decomposition
		// is then cheaper.
		if iter >= 3 {
			rate := worst / prevWorst
			if !(rate < 1) || float64(iter)+math.Log(1/worst)/math.Log(rate) > subspaceMaxIter {
				return nil, nil, false
			}
		}
		prevWorst = worst
		for j := range q {
			copy(q[j], z[j])
		}
		if !orthonormalize(q) {
			return nil, nil, false
		}
	}
	return nil, nil, false
}

// symMulVec writes c·v into out, c being d×d row-major.
func symMulVec(c []float64, d int, v, out []float64) {
	for r := 0; r < d; r++ {
		out[r] = vec.DotFour(c[r*d:(r+1)*d], v)
	}
}

// orthonormalize makes the vectors of q orthonormal in place (modified
// Gram–Schmidt, applied twice for accuracy); false if they are dependent.
func orthonormalize(q [][]float64) bool {
	for pass := 0; pass < 2; pass++ {
		for j := range q {
			for i := 0; i < j; i++ {
				s := vec.DotFour(q[i], q[j])
				for r := range q[j] {
					q[j][r] -= s * q[i][r]
				}
			}
			n := math.Sqrt(vec.DotFour(q[j], q[j]))
			if !(n > 0) || math.IsInf(n, 0) {
				return false
			}
			for r := range q[j] {
				q[j][r] /= n
			}
		}
	}
	return !slices.ContainsFunc(q, func(v []float64) bool { return math.IsNaN(v[0]) })
}
