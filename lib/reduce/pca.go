package reduce

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// PCAOptions configures [PCA].
type PCAOptions struct {
	// Components is how many principal components to keep; 0 keeps 2. At most
	// min(n, d).
	Components int
	// Whiten divides each projected coordinate by the square root of its component's
	// variance, so every output column has unit variance (scikit-learn's whiten=True).
	Whiten bool
}

// PCAModel is a fitted principal component analysis: the mean of the data and the
// orthonormal directions of largest variance, largest first.
type PCAModel struct {
	mean       []float64
	components *matrix // k × d, rows unit length
	variance   []float64
	ratio      []float64
	whiten     bool
}

// PCA fits principal component analysis to x (n points × d dimensions): the
// directions along which the centred data vary most, with the variance along each
// (ddof 1, like scikit-learn's explained_variance_). It diagonalises the d×d
// covariance when d ≤ n and the n×n Gram matrix otherwise. Each component's sign is
// chosen so that the projection with the largest magnitude is positive, scikit-learn's
// convention, so components match scikit-learn's up to rounding.
func PCA(x [][]float32, o PCAOptions) (*PCAModel, error) {
	return pcaRows(x, o, eigenAuto)
}

// pcaRows is PCA with the eigen-solver chosen by the caller.
func pcaRows(x [][]float32, o PCAOptions, solver eigenSolver) (*PCAModel, error) {
	// PCA reads its rows once, summing the mean as it checks their shape and
	// values: float32 values are below 2¹²⁸, so n of them sum to a finite
	// float64 unless one is NaN or ±Inf. Only when something is wrong does
	// checkRows read the rows again, for its message (the first problem in
	// row order).
	inputError := func() error {
		_, _, err := checkRows("PCA input", x)
		return err
	}
	if len(x) == 0 || len(x[0]) == 0 {
		return nil, inputError()
	}
	n, d := len(x), len(x[0])
	mean := make([]float64, d)
	for _, r := range x {
		if len(r) != d {
			return nil, inputError()
		}
		for j, v := range r {
			mean[j] += float64(v)
		}
	}
	for _, s := range mean {
		if s-s != 0 {
			return nil, inputError()
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centre := func(i0, i1 int, dst []float64) {
		for i, r := range x[i0:i1] {
			row := dst[i*d : (i+1)*d]
			for j, v := range r[:d] {
				row[j] = float64(v) - mean[j]
			}
		}
	}
	return pcaCore(centre, mean, n, d, o, solver)
}

// centredRows writes rows [i0, i1) of the centred data (the input less its
// mean, in float64) into dst, (i1−i0)·d values row-major.
type centredRows func(i0, i1 int, dst []float64)

// blockPool holds PCA's buffers of centred rows (gemm.BlockK + signTail
// rows of d values) between fits.
var blockPool = sync.Pool{New: func() any { return new([]float64) }}

// MustPCA is PCA for notebooks: it panics on error.
func MustPCA(x [][]float32, o PCAOptions) *PCAModel {
	p, err := PCA(x, o)
	if err != nil {
		panic(err)
	}
	return p
}

func pcaFit(m *matrix, o PCAOptions) (*PCAModel, error) {
	n, d := m.n, m.d
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range m.row(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centre := func(i0, i1 int, dst []float64) {
		for i := i0; i < i1; i++ {
			row := dst[(i-i0)*d : (i-i0+1)*d]
			for j, v := range m.row(i) {
				row[j] = v - mean[j]
			}
		}
	}
	return pcaCore(centre, mean, n, d, o, eigenAuto)
}

// eigenSolver says how pcaCore finds the covariance's top eigenpairs.
type eigenSolver int

const (
	// eigenAuto uses subspace iteration when [useSubspace] says it pays off and
	// it converges, the full decomposition otherwise: what PCA does.
	eigenAuto eigenSolver = iota
	// eigenFull always uses the full decomposition: the reference the tests and
	// the benchmark compare eigenAuto with.
	eigenFull
)

// pcaCore fits PCA to the n×d data whose centred rows centre writes.
//
// When d ≤ n it never holds the centred data whole: it centres gemm.BlockK
// rows at a time into one reused buffer, once for the covariance
// (gemm.MultiplyTransposedBlocks, the same bits as the product of all rows at
// once) and once more for the sign pass. Centring 5000 × 128 values costs
// about 0.2 ms; the n×d float64 copy it replaces cost 12–19 ms of page faults
// in a fresh process (5 MiB of new memory), half of benchreduce's whole fit
// (issue 19). The Gram path (d > n) still centres everything at once.
func pcaCore(centre centredRows, mean []float64, n, d int, o PCAOptions, solver eigenSolver) (*PCAModel, error) {
	k := o.Components
	if k == 0 {
		k = 2
	}
	if k < 0 || k > min(n, d) {
		return nil, fmt.Errorf("PCA: %d components asked of %d points × %d dimensions: want 1 to %d", k, n, d, min(n, d))
	}
	if n < 2 {
		return nil, fmt.Errorf("PCA: needs at least 2 points, got %d", n)
	}
	// rows returns the centred rows [i0, i1): from the whole copy xc when
	// there is one, else centred into buf.
	var xc, buf []float64
	rows := func(i0, i1 int) []float64 {
		if xc != nil {
			return xc[i0*d : i1*d]
		}
		centre(i0, i1, buf[:(i1-i0)*d])
		return buf[:(i1-i0)*d]
	}
	if d <= n {
		bp := blockPool.Get().(*[]float64)
		defer blockPool.Put(bp)
		if size := (gemm.BlockK + signTail) * d; cap(*bp) < size {
			*bp = make([]float64, size)
		}
		buf = *bp
	} else {
		xc = make([]float64, n*d)
		centre(0, n, xc)
	}

	comps := &matrix{n: k, d: d, v: make([]float64, k*d)}
	variance := make([]float64, k)
	total := 0.0 // Σ of every centred value squared, in row order.
	var eig mat.EigenSym
	if d <= n {
		// The covariance's eigenvectors are the components.
		var c []float64
		c, total = centredCovariance(n, d, rows)
		// A few of many components: subspace iteration for the top ones only
		// (pcatop.go), falling back to the full decomposition if it does not converge.
		done := false
		if solver == eigenAuto && useSubspace(d, k) {
			if vals, vecs, ok := topEigenSym(c, d, k); ok {
				for i := 0; i < k; i++ {
					variance[i] = max(vals[i], 0)
					copy(comps.v[i*d:(i+1)*d], vecs[i])
				}
				done = true
			}
		}
		if !done {
			if !eig.Factorize(mat.NewSymDense(d, c), true) {
				return nil, fmt.Errorf("PCA: eigen-decomposition of the %d×%d covariance did not converge", d, d)
			}
			vals := eig.Values(nil)
			var vecs mat.Dense
			eig.VectorsTo(&vecs)
			for c := 0; c < k; c++ {
				src := d - 1 - c // eigenvalues come in ascending order
				variance[c] = max(vals[src], 0)
				for j := 0; j < d; j++ {
					comps.v[c*d+j] = vecs.At(j, src)
				}
			}
		}
	} else {
		for _, v := range xc {
			total += v * v
		}
		// Gram G = Xc·Xcᵀ, n×n; with G u = s² u the component is Xcᵀu/s.
		xg := blas64.General{Rows: n, Cols: d, Stride: d, Data: xc}
		g := blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: make([]float64, n*n)}
		blas64.Syrk(blas.NoTrans, 1, xg, 0, g)
		if !eig.Factorize(mat.NewSymDense(n, g.Data), true) {
			return nil, fmt.Errorf("PCA: eigen-decomposition of the %d×%d Gram matrix did not converge", n, n)
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		u := make([]float64, n)
		for c := 0; c < k; c++ {
			src := n - 1 - c
			variance[c] = max(vals[src], 0) / float64(n-1)
			mat.Col(u, src, &vecs)
			comp := comps.v[c*d : (c+1)*d]
			for i := 0; i < n; i++ { // comp = Xcᵀ·u
				blas64.Axpy(u[i], blas64.Vector{N: d, Inc: 1, Data: xc[i*d : (i+1)*d]}, blas64.Vector{N: d, Inc: 1, Data: comp})
			}
			norm := 0.0
			for _, v := range comp {
				norm += v * v
			}
			if norm = math.Sqrt(norm); norm > 0 {
				for j := range comp {
					comp[j] /= norm
				}
			}
		}
	}
	total /= float64(n - 1)
	// Sign: make the largest-magnitude projection of each component positive
	// (the first in row order on a tie). The projections Xc·compsᵀ by the
	// blocked product, gemm.BlockK rows at a time; a tail of signTail rows or
	// fewer joins the block before it, so every block takes the packed path
	// and each projection has the bits of one product over all n rows.
	best, bestAbs := make([]float64, k), make([]float64, k)
	for c := range bestAbs {
		bestAbs[c] = -1
	}
	proj := make([]float64, min(n, gemm.BlockK+signTail)*k)
	for i0 := 0; i0 < n; {
		i1 := i0 + gemm.BlockK
		if n-i1 <= signTail {
			i1 = n
		}
		m := i1 - i0
		gemm.Multiply(1, m, k, d,
			gemm.Operand[float64]{Data: rows(i0, i1), RowStride: d, ColStride: 1},
			gemm.Operand[float64]{Data: comps.v, RowStride: 1, ColStride: d}, proj[:m*k], 0)
		for i := range m {
			for c, s := range proj[i*k : (i+1)*k] {
				if a := math.Abs(s); a > bestAbs[c] {
					best[c], bestAbs[c] = s, a
				}
			}
		}
		i0 = i1
	}
	for c := 0; c < k; c++ {
		if best[c] < 0 {
			comp := comps.v[c*d : (c+1)*d]
			for j := range comp {
				comp[j] = -comp[j]
			}
		}
	}
	ratio := make([]float64, k)
	for c := range ratio {
		if total > 0 {
			ratio[c] = variance[c] / total
		}
	}
	return &PCAModel{mean: mean, components: comps, variance: variance, ratio: ratio, whiten: o.Whiten}, nil
}

// signTail is the most rows for which lib/internal/gemm multiplies by dot
// products instead of packed panels (its gemmDotMaxRows), which sum in
// another order; PCA's sign pass keeps such a tail in the block before it.
const signTail = 4

// centredCovariance returns C = Xcᵀ·Xc/(n−1), d×d row-major, of the n centred
// rows that rows(i0, i1) returns (asked for in order, gemm.BlockK at a time),
// and the sum of the squares of all their values in row order (n−1 times the
// total variance). The product is lib/internal/gemm's blocked one: only the
// upper triangle is multiplied and the lower one mirrored, each entry summed
// in a fixed order, the same bits on any number of cores and as the full
// product Xcᵀ·Xc of all rows at once.
func centredCovariance(n, d int, rows func(i0, i1 int) []float64) (c []float64, sumSq float64) {
	c = make([]float64, d*d)
	gemm.MultiplyTransposedBlocks(d, n, func(k0, kb int) []float64 {
		blk := rows(k0, k0+kb)
		for _, v := range blk {
			sumSq += v * v
		}
		return blk
	}, c, 0)
	for i := range c {
		c[i] /= float64(n - 1)
	}
	return c, sumSq
}

// Transform projects x (points of the fitted dimension) on the components: one row of
// Components coordinates per point.
func (p *PCAModel) Transform(x [][]float32) ([][]float64, error) {
	n, d, err := checkRows("PCA Transform input", x)
	if err != nil {
		return nil, err
	}
	if d != len(p.mean) {
		return nil, fmt.Errorf("PCA Transform: points have %d dimensions, the model was fitted on %d", d, len(p.mean))
	}
	k := p.components.n
	out := make([]float64, n*k)
	parallelFor(n, func(lo, hi int) {
		c := make([]float64, d)
		for i := lo; i < hi; i++ {
			for j, v := range x[i] {
				c[j] = float64(v) - p.mean[j]
			}
			p.project(c, out[i*k:(i+1)*k])
		}
	})
	return toRows(out, n, k), nil
}

// MustTransform is Transform for notebooks: it panics on error.
func (p *PCAModel) MustTransform(x [][]float32) [][]float64 {
	y, err := p.Transform(x)
	if err != nil {
		panic(err)
	}
	return y
}

func (p *PCAModel) transform(m *matrix) []float64 {
	k, d := p.components.n, p.components.d
	out := make([]float64, m.n*k)
	parallelFor(m.n, func(lo, hi int) {
		c := make([]float64, d)
		for i := lo; i < hi; i++ {
			for j, v := range m.row(i) {
				c[j] = v - p.mean[j]
			}
			p.project(c, out[i*k:(i+1)*k])
		}
	})
	return out
}

// project writes the coordinates of the centred point c into out.
func (p *PCAModel) project(c, out []float64) {
	for a := range out {
		s := 0.0
		for j, w := range p.components.row(a) {
			s += c[j] * w
		}
		if p.whiten && p.variance[a] > 0 {
			s /= math.Sqrt(p.variance[a])
		}
		out[a] = s
	}
}

// Components returns the principal directions, largest variance first: one unit-length
// row of d values per component (scikit-learn's components_).
func (p *PCAModel) Components() [][]float64 {
	return toRows(slices.Clone(p.components.v), p.components.n, p.components.d)
}

// Mean returns the per-dimension mean subtracted before projecting.
func (p *PCAModel) Mean() []float64 { return slices.Clone(p.mean) }

// ExplainedVariance returns the variance of the data along each component (unbiased,
// divided by n−1), in the input's units squared.
func (p *PCAModel) ExplainedVariance() []float64 { return slices.Clone(p.variance) }

// ExplainedVarianceRatio returns each component's share of the total variance, in
// [0, 1]; their sum says how much of the data's spread the projection keeps.
func (p *PCAModel) ExplainedVarianceRatio() []float64 { return slices.Clone(p.ratio) }
