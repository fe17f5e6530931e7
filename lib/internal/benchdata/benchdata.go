// Package benchdata generates the seeded, clustered float32 vectors that the
// search and database benchmarks (lib/cmd/benchsearch, lib/cmd/benchdb) index:
// clusters centers, each cluster a latent-dimensional Gaussian around its
// center (spread comparable to the centers' norm, so clusters overlap in
// angle) plus small isotropic noise — like real embeddings, which lie near
// low-dimensional structure.
package benchdata

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Clustered returns n seeded clustered vectors of dimension dim and their
// cluster ids. The clusters depend on seed only; row i depends on seed, stream
// and i (so queries drawn with another stream come from the same clusters),
// not on the number of cores.
func Clustered(n, dim, clusters, latent int, seed, stream uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	centers := make([][]float64, clusters)
	bases := make([][]float64, clusters) // [dim × latent] row-major
	scale := 1 / math.Sqrt(float64(latent))
	for c := range centers {
		centers[c] = make([]float64, dim)
		bases[c] = make([]float64, dim*latent)
		for j := range centers[c] {
			centers[c][j] = rng.NormFloat64()
		}
		for j := range bases[c] {
			bases[c][j] = scale * rng.NormFloat64()
		}
	}
	out := make([][]float32, n)
	ids := make([]int, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z := make([]float64, latent)
			for i := w; i < n; i += workers {
				r := rand.New(rand.NewPCG(seed^stream, uint64(i)))
				c := r.IntN(clusters)
				for l := range z {
					z[l] = r.NormFloat64()
				}
				row := make([]float32, dim)
				for j := range row {
					v := centers[c][j] + 0.1*r.NormFloat64()
					b := bases[c][j*latent : (j+1)*latent]
					for l, zl := range z {
						v += b[l] * zl
					}
					row[j] = float32(v)
				}
				out[i], ids[i] = row, c
			}
		}()
	}
	wg.Wait()
	return out, ids
}
