package cluster

import (
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/internal/benchdata"
)

// BenchmarkKMeansLloyd runs benchsearch's k-means figure at a fifth of its
// size: 20,000 clustered points of 1,536 dimensions (benchdata, rows
// allocated one by one as embeddings usually are), K = 100, 5 Lloyd
// iterations from the first 100 points, tolerance off.
func BenchmarkKMeansLloyd(b *testing.B) {
	const n, dim, k, iters = 20000, 1536, 100, 5
	x, _ := benchdata.Clustered(n, dim, 100, 16, 1, 0)
	opts := KMeansOptions{K: k, Init: x[:k], MaxIter: iters, Tol: 1e-300}
	var inertia float64
	start, ops := cpuSeconds(), 0
	for b.Loop() {
		ops++
		res, err := KMeans(x, opts)
		if err != nil {
			b.Fatal(err)
		}
		inertia = res.Inertia
	}
	b.ReportMetric(inertia, "inertia")
	b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
}

// TestKMeansContiguousRows: contiguous finds rows cut from one array (read in
// place by flatten), and KMeans gives bit-identical results for rows in one
// array and rows allocated one by one.
func TestKMeansContiguousRows(t *testing.T) {
	const n, dim = 300, 7
	x, _ := benchdata.Clustered(n, dim, 5, 3, 2, 0)
	backing := make([]float32, n*dim)
	cut := make([][]float32, n)
	for i := range cut {
		cut[i] = backing[i*dim : (i+1)*dim]
		copy(cut[i], x[i])
	}
	reversed := make([][]float32, n) // Same array, rows out of order.
	for i := range reversed {
		reversed[i] = backing[(n-1-i)*dim : (n-i)*dim]
	}
	for _, tc := range []struct {
		name    string
		rows    [][]float32
		inPlace bool
	}{
		{"separate rows", x, false},
		{"one array", cut, true},
		{"one array, reversed rows", reversed, false},
		{"one array, first rows only", cut[:10], true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flat, ok := contiguous(tc.rows, dim)
			if ok != tc.inPlace {
				t.Fatalf("contiguous = %v, want %v", ok, tc.inPlace)
			}
			if ok && &flat[0] != &backing[0] {
				t.Fatal("contiguous copied the rows")
			}
		})
	}
	opts := KMeansOptions{K: 5, Seed: 3}
	a, b := MustKMeans(x, opts), MustKMeans(cut, opts)
	if a.Inertia != b.Inertia || a.Iterations != b.Iterations {
		t.Fatalf("separate rows: inertia %v in %d iterations; one array: %v in %d", a.Inertia, a.Iterations, b.Inertia, b.Iterations)
	}
	for i := range a.Labels {
		if a.Labels[i] != b.Labels[i] {
			t.Fatalf("point %d: label %d from separate rows, %d from one array", i, a.Labels[i], b.Labels[i])
		}
	}
}

// TestKMeansFinalDistances: the Lloyd iterations skip the exact distances and
// fill them only when needed (a relocation, the final centroids), so check,
// for runs that end stable, at MaxIter and after relocating an empty cluster,
// that each label is the nearest centroid and the inertia is the sum of the
// squared distances to the labels' centroids, both recomputed in float64.
func TestKMeansFinalDistances(t *testing.T) {
	x, _ := benchdata.Clustered(3000, 24, 8, 4, 9, 0)
	dupInit := append([][]float32{x[0], x[0]}, x[1:7]...) // Two equal centroids: the second is empty at first.
	for _, tc := range []struct {
		name string
		opts KMeansOptions
	}{
		{"stable end", KMeansOptions{K: 8, Seed: 1}},
		{"MaxIter end", KMeansOptions{K: 8, Seed: 1, MaxIter: 2, Tol: 1e-300}},
		{"empty cluster relocated", KMeansOptions{K: 8, Init: dupInit, Workers: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := MustKMeans(x, tc.opts)
			var inertia float64
			for i, p := range x {
				d := make([]float64, len(res.Centroids))
				for c, cent := range res.Centroids {
					for j := range p {
						diff := float64(p[j]) - float64(cent[j])
						d[c] += diff * diff
					}
				}
				if near := slices.Min(d); d[res.Labels[i]] > near*(1+1e-5)+1e-6 {
					t.Fatalf("point %d: label %d at %v, centroid %d at %v", i, res.Labels[i], d[res.Labels[i]], slices.Index(d, near), near)
				}
				inertia += d[res.Labels[i]]
			}
			if math.Abs(res.Inertia-inertia) > 1e-5*inertia {
				t.Fatalf("inertia %v, recomputed %v", res.Inertia, inertia)
			}
		})
	}
}
