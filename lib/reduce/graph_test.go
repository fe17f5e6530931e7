package reduce

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func testGraph(t *testing.T, n, k int, seed uint64) *csr {
	t.Helper()
	x, _ := gaussianClusters(n, 3, 1, 0, seed)
	m, err := fromRows("x", x)
	if err != nil {
		t.Fatal(err)
	}
	idx, dist := knnSelf(m, k, false)
	return fuzzySimplicialSet(idx, dist, n, k)
}

// Each point's memberships must add up to log2(k) (the smooth k-NN target), and the
// fuzzy union must be symmetric with weights in (0, 1].
func TestFuzzySimplicialSet(t *testing.T) {
	n, k := 120, 10
	x, _ := gaussianClusters(n, 4, 2, 3, 4)
	m, _ := fromRows("x", x)
	idx, dist := knnSelf(m, k, false)
	rho, sigma := smoothKNNDist(dist, n, k)
	for i := 0; i < n; i++ {
		s := 0.0
		for _, d := range dist[i*k+1 : (i+1)*k] {
			s += math.Exp(-max(0, d-rho[i]) / sigma[i])
		}
		if math.Abs(s-math.Log2(float64(k))) > 1e-4 {
			t.Fatalf("point %d: memberships sum to %v, want log2(%d) = %v", i, s, k, math.Log2(float64(k)))
		}
		if rho[i] != dist[i*k+1] {
			t.Fatalf("point %d: rho %v, want the nearest neighbour's distance %v", i, rho[i], dist[i*k+1])
		}
	}
	g := fuzzySimplicialSet(idx, dist, n, k)
	w := map[[2]int]float64{}
	for i := 0; i < n; i++ {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			w[[2]int{i, int(g.col[p])}] = g.w[p]
		}
	}
	for e, v := range w {
		if v <= 0 || v > 1 || w[[2]int{e[1], e[0]}] != v {
			t.Fatalf("edge %v weight %v, reverse %v", e, v, w[[2]int{e[1], e[0]}])
		}
	}
}

// On a connected graph, subspace iteration must find the same Laplacian eigenvectors
// as gonum's dense EigenSym.
func TestSpectralEmbedMatchesDenseEigen(t *testing.T) {
	n, dim := 150, 2
	g := testGraph(t, n, 15, 5)
	if _, count := g.components(); count != 1 {
		t.Fatalf("test graph has %d components, want 1", count)
	}
	got := spectralEmbed(g, dim, rand.New(rand.NewPCG(1, 1)))
	deg := make([]float64, n)
	for i := 0; i < n; i++ {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			deg[i] += g.w[p]
		}
	}
	lap := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		lap.SetSym(i, i, 1)
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			j := int(g.col[p])
			if j > i {
				lap.SetSym(i, j, -g.w[p]/math.Sqrt(deg[i]*deg[j]))
			}
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(lap, true) {
		t.Fatal("EigenSym failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	if vals[2]-vals[1] < 1e-3 || vals[3]-vals[2] < 1e-3 {
		t.Fatalf("eigenvalues %v: no gap to compare vectors", vals[:4])
	}
	for a := 0; a < dim; a++ {
		dot, norm := 0.0, 0.0
		for i := 0; i < n; i++ {
			dot += got[i*dim+a] * vecs.At(i, a+1)
			norm += got[i*dim+a] * got[i*dim+a]
		}
		if c := math.Abs(dot) / math.Sqrt(norm); c < 1-1e-5 {
			t.Errorf("vector %d: |cos| with EigenSym's %v (eigenvalue %v)", a, c, vals[a+1])
		}
	}
}
