package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// KMeansOptions configures KMeans. Zero fields take the defaults given.
type KMeansOptions struct {
	// K is the number of clusters, 1 ≤ K ≤ number of points. Required.
	K int
	// Seed seeds the k-means++ draws; the same data, options and seed give
	// the same result, whatever Workers is.
	Seed uint64
	// MaxIter caps the Lloyd iterations of each run. Default 300.
	MaxIter int
	// Tol stops a run once the summed squared movement of the centroids in an
	// iteration is at most Tol times the data's mean per-coordinate variance
	// (scikit-learn's convention). Default 1e-4.
	Tol float64
	// Restarts is the number of runs from different seedings (scikit-learn's
	// n_init); the run with the lowest inertia is kept. Default 1.
	Restarts int
	// Init, when set, holds K starting centroids (each of the data's
	// dimension) used instead of k-means++; Restarts must then be 1.
	Init [][]float32
	// Workers is the number of goroutines of the assignment step; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// KMeansResult is the outcome of KMeans.
type KMeansResult struct {
	// Labels[i] is the cluster of point i, in [0, K).
	Labels []int
	// Centroids[c] is the mean of the points of cluster c.
	Centroids [][]float32
	// Inertia is the sum over points of the squared Euclidean distance to
	// their centroid (squared units of the data).
	Inertia float64
	// Iterations is the number of Lloyd iterations of the kept run.
	Iterations int
}

// chunkSize is the number of points whose partial sums are computed together;
// the chunks' sums are added in chunk order, so results do not depend on the
// number of workers.
const chunkSize = 2048

// withDefaults returns o with its zero fields set to their documented defaults.
func (o KMeansOptions) withDefaults() KMeansOptions {
	if o.MaxIter == 0 {
		o.MaxIter = 300
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
	}
	if o.Restarts == 0 {
		o.Restarts = 1
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// KMeans partitions the points x (n rows of the same dimension, finite) into
// K clusters by Lloyd's algorithm, minimizing the inertia. Each run starts from
// k-means++ seeding (Arthur & Vassilvitskii, 2007: the first centroid drawn
// uniformly, each next one with probability proportional to the squared
// distance to the nearest centroid chosen so far; scikit-learn uses a greedy
// variant, so seedings differ) or from Init. A cluster that loses all its
// points is moved to the point farthest from its centroid, as scikit-learn
// does. Runs end when no label changes, when the centroids move less than Tol
// allows, or after MaxIter iterations; labels and inertia are then those of
// the final centroids.
func KMeans(x [][]float32, o KMeansOptions) (*KMeansResult, error) {
	flat, n, dim, err := flatten(x)
	if err != nil {
		return nil, fmt.Errorf("cluster.KMeans: %w", err)
	}
	if o.K < 1 || o.K > n {
		return nil, fmt.Errorf("cluster.KMeans: K = %d: must be in [1, %d] (the number of points)", o.K, n)
	}
	o = o.withDefaults()
	switch {
	case o.MaxIter < 0:
		return nil, fmt.Errorf("cluster.KMeans: MaxIter = %d: must be positive", o.MaxIter)
	case o.Tol < 0:
		return nil, fmt.Errorf("cluster.KMeans: Tol = %g: must not be negative", o.Tol)
	case o.Restarts < 0:
		return nil, fmt.Errorf("cluster.KMeans: Restarts = %d: must be positive", o.Restarts)
	}
	tol := o.Tol * meanVariance(flat, n, dim)
	if o.Init != nil {
		if o.Restarts != 1 {
			return nil, fmt.Errorf("cluster.KMeans: Init is set, so Restarts must be 1, not %d", o.Restarts)
		}
		if len(o.Init) != o.K {
			return nil, fmt.Errorf("cluster.KMeans: Init holds %d centroids, K = %d", len(o.Init), o.K)
		}
		init, _, initDim, err := flatten(o.Init)
		if err != nil {
			return nil, fmt.Errorf("cluster.KMeans: Init: %w", err)
		}
		if initDim != dim {
			return nil, fmt.Errorf("cluster.KMeans: Init centroids have dimension %d, the points %d", initDim, dim)
		}
		km := &kmeans{x: flat, n: n, dim: dim, k: o.K, workers: o.Workers}
		return km.run(init, o.MaxIter, tol), nil
	}
	var best *KMeansResult
	rng := rand.New(rand.NewPCG(o.Seed, 0x6b6d65616e73))
	for range o.Restarts {
		km := &kmeans{x: flat, n: n, dim: dim, k: o.K, workers: o.Workers}
		res := km.run(km.plusPlus(rng), o.MaxIter, tol)
		if best == nil || res.Inertia < best.Inertia {
			best = res
		}
	}
	return best, nil
}

// MustKMeans is KMeans that panics on error, for notebooks.
func MustKMeans(x [][]float32, o KMeansOptions) *KMeansResult {
	r, err := KMeans(x, o)
	if err != nil {
		panic(err)
	}
	return r
}

// flatten checks that x is a non-empty matrix of finite values and returns it
// row-major.
func flatten(x [][]float32) (flat []float32, n, dim int, err error) {
	if len(x) == 0 {
		return nil, 0, 0, errors.New("no points")
	}
	dim = len(x[0])
	if dim == 0 {
		return nil, 0, 0, errors.New("point 0 has dimension 0")
	}
	flat = make([]float32, 0, len(x)*dim)
	for i, row := range x {
		if len(row) != dim {
			return nil, 0, 0, fmt.Errorf("point %d has dimension %d, point 0 has %d", i, len(row), dim)
		}
		if j := vec.Finite(row); j >= 0 {
			return nil, 0, 0, fmt.Errorf("point %d: element %d is %v", i, j, row[j])
		}
		flat = append(flat, row...)
	}
	return flat, len(x), dim, nil
}

// meanVariance is the mean over coordinates of the data's variance, from
// row-major passes (the rows are read in order, not column by column).
func meanVariance(x []float32, n, dim int) float64 {
	mean := make([]float64, dim)
	for i := range n {
		for j, v := range x[i*dim : (i+1)*dim] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var total float64
	for i := range n {
		for j, v := range x[i*dim : (i+1)*dim] {
			d := float64(v) - mean[j]
			total += d * d
		}
	}
	return total / float64(n) / float64(dim)
}

type kmeans struct {
	x         []float32
	n, dim, k int
	workers   int
	labels    []int
	dist      []float64 // squared distance of each point to its centroid
	changed   bool
}

func (km *kmeans) row(i int) []float32 { return km.x[i*km.dim : (i+1)*km.dim] }

// plusPlus draws K starting centroids by k-means++.
func (km *kmeans) plusPlus(rng *rand.Rand) []float32 {
	cents := make([]float32, 0, km.k*km.dim)
	first := rng.IntN(km.n)
	cents = append(cents, km.row(first)...)
	d2 := make([]float64, km.n)
	for i := range d2 {
		d2[i] = math.Inf(1)
	}
	total := km.closer(d2, km.row(first))
	for c := 1; c < km.k; c++ {
		pick := -1
		if total > 0 {
			target := rng.Float64() * total
			for i, d := range d2 {
				target -= d
				if target < 0 && d > 0 {
					pick = i
					break
				}
			}
		}
		if pick < 0 { // rounding at the end, or all points on the centroids chosen
			for i := km.n - 1; i >= 0; i-- {
				if d2[i] > 0 || total == 0 {
					pick = i
					break
				}
			}
		}
		cents = append(cents, km.row(pick)...)
		total = km.closer(d2, km.row(pick))
	}
	return cents
}

// closer lowers each point's d2 to its squared distance to cent where that is
// smaller, and returns the new Σ d2. Chunks of chunkSize points run on the
// workers; the total adds the chunks' partial sums in chunk order, so it does
// not depend on the number of workers.
func (km *kmeans) closer(d2 []float64, cent []float32) float64 {
	partial := make([]float64, km.numChunks())
	km.eachChunk(func(_, ch, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			d2[i] = math.Min(d2[i], float64(vec.SquaredDistance(km.row(i), cent)))
			s += d2[i]
		}
		partial[ch] = s
	})
	var total float64
	for _, s := range partial {
		total += s
	}
	return total
}

// numChunks is the number of chunks of chunkSize points.
func (km *kmeans) numChunks() int { return (km.n + chunkSize - 1) / chunkSize }

// eachChunk runs body for every chunk of chunkSize points — its index ch and
// points [lo, hi) — on min(km.workers, chunks) goroutines, chunk ch on worker
// ch mod that number, and waits for all.
func (km *kmeans) eachChunk(body func(worker, ch, lo, hi int)) {
	chunks := km.numChunks()
	workers := min(km.workers, chunks)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := w; ch < chunks; ch += workers {
				body(w, ch, ch*chunkSize, min((ch+1)*chunkSize, km.n))
			}
		}()
	}
	wg.Wait()
}

// assign labels every point with its nearest centroid (ties: lowest index)
// and returns the per-chunk sums of the points of each cluster and counts.
func (km *kmeans) assign(cents []float32) (sums []float64, counts []int) {
	if km.labels == nil {
		km.labels = make([]int, km.n)
		for i := range km.labels {
			km.labels[i] = -1
		}
		km.dist = make([]float64, km.n)
	}
	centNorms := make([]float32, km.k)
	for c := range km.k {
		cr := cents[c*km.dim : (c+1)*km.dim]
		centNorms[c] = vec.Dot(cr, cr)
	}
	chunks := km.numChunks()
	chunkSums := make([][]float64, chunks)
	chunkCounts := make([][]int, chunks)
	chunkChanged := make([]bool, chunks)
	prods := make([][]float32, km.workers) // One buffer per worker.
	km.eachChunk(func(w, ch, lo, hi int) {
		if prods[w] == nil {
			prods[w] = make([]float32, chunkSize*km.k)
		}
		s := make([]float64, km.k*km.dim)
		cnt := make([]int, km.k)
		// |p−c|² = |p|² − 2p·c + |c|²: the nearest centroid from one
		// matrix product of the chunk with the centroids; the
		// distance to it is then computed directly.
		vec.Products(prods[w], km.x[lo*km.dim:], cents, hi-lo, km.k, km.dim)
		for i := lo; i < hi; i++ {
			p := km.row(i)
			best, bestD := 0, float32(math.Inf(1))
			for c, pc := range prods[w][(i-lo)*km.k : (i-lo+1)*km.k] {
				if d := centNorms[c] - 2*pc; d < bestD {
					best, bestD = c, d
				}
			}
			if km.labels[i] != best {
				chunkChanged[ch] = true
				km.labels[i] = best
			}
			km.dist[i] = float64(vec.SquaredDistance(p, cents[best*km.dim:(best+1)*km.dim]))
			cnt[best]++
			vec.AddTo64(s[best*km.dim:(best+1)*km.dim], p)
		}
		chunkSums[ch], chunkCounts[ch] = s, cnt
	})
	sums = make([]float64, km.k*km.dim)
	counts = make([]int, km.k)
	km.changed = false
	for ch := range chunks {
		for j, v := range chunkSums[ch] {
			sums[j] += v
		}
		for c, v := range chunkCounts[ch] {
			counts[c] += v
		}
		km.changed = km.changed || chunkChanged[ch]
	}
	return sums, counts
}

// run iterates Lloyd's algorithm from the given centroids.
func (km *kmeans) run(cents []float32, maxIter int, tol float64) *KMeansResult {
	cents = append([]float32(nil), cents...)
	iter := 0
	stable := false // The last assign used cents as they are now.
	for iter < maxIter {
		sums, counts := km.assign(cents)
		iter++
		if iter > 1 && !km.changed {
			stable = true // the previous centroids already were the means of their points
			break
		}
		km.relocateEmpty(sums, counts)
		var shift float64
		for c := range km.k {
			for j := range km.dim {
				v := float32(sums[c*km.dim+j] / float64(counts[c]))
				d := float64(v - cents[c*km.dim+j])
				shift += d * d
				cents[c*km.dim+j] = v
			}
		}
		if shift <= tol {
			break
		}
	}
	if !stable {
		km.assign(cents) // Labels and distances for the final centroids.
	}
	res := &KMeansResult{Labels: append([]int(nil), km.labels...), Iterations: iter}
	for i := range km.n {
		res.Inertia += km.dist[i]
	}
	res.Centroids = make([][]float32, km.k)
	for c := range res.Centroids {
		res.Centroids[c] = append([]float32(nil), cents[c*km.dim:(c+1)*km.dim]...)
	}
	return res
}

// relocateEmpty gives each empty cluster the point farthest from its centroid
// (among points not already moved; ties: lowest index), moving that point's
// contribution out of its old cluster's sums.
func (km *kmeans) relocateEmpty(sums []float64, counts []int) {
	moved := map[int]bool{}
	for c := range km.k {
		if counts[c] > 0 {
			continue
		}
		far := -1
		for i := range km.n {
			if moved[i] || counts[km.labels[i]] <= 1 {
				continue
			}
			if far < 0 || km.dist[i] > km.dist[far] {
				far = i
			}
		}
		if far < 0 {
			continue
		}
		moved[far] = true
		old := km.labels[far]
		p := km.row(far)
		for j, v := range p {
			sums[old*km.dim+j] -= float64(v)
			sums[c*km.dim+j] = float64(v)
		}
		counts[old]--
		counts[c] = 1
		km.labels[far] = c
	}
}
