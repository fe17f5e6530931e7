package reduce

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// spectralEmbed returns the dim eigenvectors of the normalised graph Laplacian
// L = I − D^(−1/2) W D^(−1/2) with the smallest eigenvalues after the trivial one
// (n×dim, row-major): the coordinates that keep strongly connected points together.
//
// It runs subspace iteration with Rayleigh–Ritz on B = (I + D^(−1/2) W D^(−1/2))/2,
// whose top eigenvectors are L's bottom ones and whose spectrum lies in [0, 1], with the
// trivial eigenvector D^(1/2)·1 projected out. The block holds dim+4 vectors; it stops
// when the Ritz values change by less than 1e-7 between checks or after maxIter sweeps.
// The result is deterministic for a given rng state; on a connected graph with a
// spectral gap it matches a dense eigen-decomposition up to sign.
func spectralEmbed(g *csr, dim int, rng *rand.Rand) []float64 {
	n := g.n
	deg := make([]float64, n)
	for i := 0; i < n; i++ {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			deg[i] += g.w[p]
		}
	}
	isq := make([]float64, n)
	v0 := make([]float64, n)
	norm0 := 0.0
	for i, d := range deg {
		if d > 0 {
			isq[i] = 1 / math.Sqrt(d)
		}
		v0[i] = math.Sqrt(d)
		norm0 += d
	}
	norm0 = math.Sqrt(norm0)
	for i := range v0 {
		v0[i] /= norm0
	}
	b := min(dim+4, n-1)
	q := make([]float64, b*n) // b vectors of length n, one after another
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	y := make([]float64, b*n)
	apply := func(src, dst []float64) { // dst = B·src
		for i := 0; i < n; i++ {
			s := 0.0
			for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
				s += g.w[p] * isq[g.col[p]] * src[g.col[p]]
			}
			dst[i] = 0.5 * (src[i] + isq[i]*s)
		}
	}
	orthonormalize := func(v []float64) {
		for c := 0; c < b; c++ {
			vc := v[c*n : (c+1)*n]
			for pass := 0; pass < 2; pass++ {
				project(vc, v0)
				for e := 0; e < c; e++ {
					project(vc, v[e*n:(e+1)*n])
				}
			}
			s := 0.0
			for _, x := range vc {
				s += x * x
			}
			s = math.Sqrt(s)
			if s < 1e-300 {
				for i := range vc {
					vc[i] = rng.NormFloat64()
				}
				c-- // retry this vector with fresh noise
				continue
			}
			for i := range vc {
				vc[i] /= s
			}
		}
	}
	ritz := func() ([]float64, *mat.Dense) {
		// T = Qᵀ B Q, b×b.
		for c := 0; c < b; c++ {
			apply(q[c*n:(c+1)*n], y[c*n:(c+1)*n])
		}
		t := mat.NewSymDense(b, nil)
		for r := 0; r < b; r++ {
			for c := r; c < b; c++ {
				s := 0.0
				qr, yc := q[r*n:(r+1)*n], y[c*n:(c+1)*n]
				for i := range qr {
					s += qr[i] * yc[i]
				}
				t.SetSym(r, c, s)
			}
		}
		var eig mat.EigenSym
		eig.Factorize(t, true)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		return eig.Values(nil), &vecs
	}
	orthonormalize(q)
	const maxIter, check = 2000, 20
	var prev []float64
	for it := 1; it <= maxIter; it++ {
		for c := 0; c < b; c++ {
			apply(q[c*n:(c+1)*n], y[c*n:(c+1)*n])
		}
		q, y = y, q
		orthonormalize(q)
		if it%check == 0 {
			vals, _ := ritz()
			if prev != nil {
				worst := 0.0
				for c := b - dim; c < b; c++ {
					worst = max(worst, math.Abs(vals[c]-prev[c]))
				}
				if worst < 1e-7 {
					break
				}
			}
			prev = vals
		}
	}
	_, vecs := ritz()
	// Ritz vectors for the top dim values (largest of B = smallest of L), largest first.
	out := make([]float64, n*dim)
	for a := 0; a < dim; a++ {
		src := b - 1 - a
		for c := 0; c < b; c++ {
			w := vecs.At(c, src)
			qc := q[c*n : (c+1)*n]
			for i := 0; i < n; i++ {
				out[i*dim+a] += w * qc[i]
			}
		}
	}
	return out
}

// project removes from v its component along the unit vector u.
func project(v, u []float64) {
	s := 0.0
	for i := range v {
		s += v[i] * u[i]
	}
	for i := range v {
		v[i] -= s * u[i]
	}
}
