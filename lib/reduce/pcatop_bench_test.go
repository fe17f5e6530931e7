package reduce

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkTopEigen times the eigen step of PCA alone, on the covariance of a
// 20-cluster mixture: subspace iteration for the top k pairs against gonum's
// full decomposition, for dimensions from benchreduce's 128 to an embedding's
// 1280, to place the threshold in useSubspace.
func BenchmarkTopEigen(b *testing.B) {
	for _, d := range []int{128, 192, 256, 512, 1280} {
		x := mixture(rand.New(rand.NewPCG(3, uint64(d))), 2*d, d, 0.7)
		c := covariance(x)
		for _, k := range []int{2, 16} {
			b.Run(fmt.Sprintf("d=%d/k=%d/subspace", d, k), func(b *testing.B) {
				start, ops := cpuSeconds(), 0
				for b.Loop() {
					if _, _, ok := topEigenSym(c, d, k); !ok {
						b.Fatal("did not converge")
					}
					ops++
				}
				b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
			})
		}
		b.Run(fmt.Sprintf("d=%d/full", d), func(b *testing.B) {
			start, ops := cpuSeconds(), 0
			for b.Loop() {
				var eig mat.EigenSym
				if !eig.Factorize(mat.NewSymDense(d, c), true) {
					b.Fatal("did not converge")
				}
				ops++
			}
			b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
		})
	}
}
