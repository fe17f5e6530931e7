package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
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
	n, dim, err := checkRows(x)
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
	tol := o.Tol * meanVariance(x, dim)
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
		km := &kmeans{x: x, n: n, dim: dim, k: o.K, workers: o.Workers}
		return km.run(init, o.MaxIter, tol), nil
	}
	var best *KMeansResult
	rng := rand.New(rand.NewPCG(o.Seed, 0x6b6d65616e73))
	for range o.Restarts {
		km := &kmeans{x: x, n: n, dim: dim, k: o.K, workers: o.Workers}
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
// row-major: in place when its rows lie in one array (see contiguous), else
// copied.
func flatten(x [][]float32) (flat []float32, n, dim int, err error) {
	n, dim, err = checkRows(x)
	if err != nil {
		return nil, 0, 0, err
	}
	if flat, ok := contiguous(x, dim); ok {
		return flat, n, dim, nil
	}
	flat = make([]float32, 0, n*dim)
	for _, row := range x {
		flat = append(flat, row...)
	}
	return flat, n, dim, nil
}

// checkRows checks that x is a non-empty matrix of finite values and returns
// its numbers of rows and columns.
func checkRows(x [][]float32) (n, dim int, err error) {
	if len(x) == 0 {
		return 0, 0, errors.New("no points")
	}
	dim = len(x[0])
	if dim == 0 {
		return 0, 0, errors.New("point 0 has dimension 0")
	}
	for i, row := range x {
		if len(row) != dim {
			return 0, 0, fmt.Errorf("point %d has dimension %d, point 0 has %d", i, len(row), dim)
		}
		if j := vec.Finite(row); j >= 0 {
			return 0, 0, fmt.Errorf("point %d: element %d is %v", i, j, row[j])
		}
	}
	return len(x), dim, nil
}

// contiguous returns the rows of x as one row-major slice without copying
// when they already lie one after the other in one array (a matrix cut into
// rows, as lib/embed and .npy readers give), else false. The callers only
// read it.
func contiguous(x [][]float32, dim int) ([]float32, bool) {
	if cap(x[0]) < len(x)*dim {
		return nil, false
	}
	flat := x[0][:len(x)*dim]
	for i, row := range x {
		if &row[0] != &flat[i*dim] {
			return nil, false
		}
	}
	return flat, true
}

// meanVariance is the mean over coordinates of the data's variance, from
// passes over the rows in order.
func meanVariance(x [][]float32, dim int) float64 {
	n := len(x)
	mean := make([]float64, dim)
	for _, row := range x {
		vec.AddTo64(mean, row[:dim]) // mean[j] += float64(row[j]), the plain loop's bits.
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var total float64
	for _, row := range x {
		for j, v := range row[:dim] {
			d := float64(v) - mean[j]
			total += d * d
		}
	}
	return total / float64(n) / float64(dim)
}

type kmeans struct {
	x         [][]float32 // The points.
	n, dim, k int
	workers   int
	labels    []int
	dist      []float64 // squared distance of each point to its centroid
	changed   bool

	// Buffers of assign, kept across Lloyd iterations.
	centNorms []float32
	prods     [][]float32 // One block of products per worker.
	sums      []float64
	counts    []int
	partials  partialSums
}

// partialSums adds the chunks' per-cluster sums into one total in chunk
// order, whichever worker finishes first (so the total is the same for any
// number of workers), recycling the chunks' buffers: a chunk's buffer is
// added and reused as soon as every earlier chunk has been added.
type partialSums struct {
	mu      sync.Mutex
	pending []*partialSum // pending[ch]: chunk ch's sums, not yet added.
	next    int           // The next chunk to add.
	free    []*partialSum
}

// partialSum is one chunk's per-cluster sums of points and counts.
type partialSum struct {
	sums    []float64
	counts  []int
	changed bool
}

func (km *kmeans) row(i int) []float32 { return km.x[i][:km.dim] }

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
// and returns the sums of the points of each cluster and their counts
// (buffers of km, valid until the next call). With withDist it also sets
// km.dist; without, km.dist is left stale and distances fills it when needed
// (only the final centroids' distances and a relocation read it, so the
// Lloyd iterations skip that pass over the points).
func (km *kmeans) assign(cents []float32, withDist bool) (sums []float64, counts []int) {
	if km.labels == nil {
		km.labels = make([]int, km.n)
		for i := range km.labels {
			km.labels[i] = -1
		}
		km.dist = make([]float64, km.n)
		km.centNorms = make([]float32, km.k)
		km.prods = make([][]float32, km.workers)
		km.sums = make([]float64, km.k*km.dim)
		km.counts = make([]int, km.k)
	}
	centNorms := km.centNorms
	for c := range km.k {
		cr := cents[c*km.dim : (c+1)*km.dim]
		centNorms[c] = vec.Dot(cr, cr)
	}
	// The product of points by centroids, as vec.Products computes it.
	packed := gemm.PackRHS(km.dim, km.k, gemm.Operand[float32]{Data: cents, BatchStride: km.k * km.dim, RowStride: 1, ColStride: km.dim})
	chunks := km.numChunks()
	clear(km.sums)
	clear(km.counts)
	km.changed = false
	ps := &km.partials
	ps.pending, ps.next = make([]*partialSum, chunks), 0
	km.eachChunk(func(w, ch, lo, hi int) {
		part := ps.get(km.k, km.dim)
		s, cnt := part.sums, part.counts
		// |p−c|² = |p|² − 2p·c + |c|²: the nearest centroid from one
		// matrix product of a block of points with the centroids; the
		// distance to it is then computed directly.
		km.eachBlock(w, packed, lo, hi, func(start, end int, prods []float32) {
			for i := start; i < end; i++ {
				r := i - start
				p := km.row(i)
				best, bestD := 0, float32(math.Inf(1))
				for c, pc := range prods[r*km.k : (r+1)*km.k] {
					if d := centNorms[c] - 2*pc; d < bestD {
						best, bestD = c, d
					}
				}
				if km.labels[i] != best {
					part.changed = true
					km.labels[i] = best
				}
				if withDist {
					km.dist[i] = float64(vec.SquaredDistance(p, cents[best*km.dim:(best+1)*km.dim]))
				}
				cnt[best]++
				vec.AddTo64(s[best*km.dim:(best+1)*km.dim], p)
			}
		})
		ps.done(ch, part, km)
	})
	return km.sums, km.counts
}

// distances sets km.dist to each point's squared distance to the centroid of
// its label, as assign with withDist does.
func (km *kmeans) distances(cents []float32) {
	km.eachChunk(func(_, _, lo, hi int) {
		for i := lo; i < hi; i++ {
			c := km.labels[i]
			km.dist[i] = float64(vec.SquaredDistance(km.row(i), cents[c*km.dim:(c+1)*km.dim]))
		}
	})
}

// blockRows is the number of points whose products with the centroids are
// computed together and then labelled, while their rows are still in the
// core's cache from the product's packing.
const blockRows = 256

// eachBlock calls body, in order, for consecutive blocks [start, end) of the
// points [lo, hi) with their dot products with the centroids (one row of k
// per point, in worker w's buffer), read from the centroids packed once per
// assign and the rows where they lie, without copying them into one matrix.
// A product's value does not depend on the number of rows, except for calls
// of at most 4 rows (see vec.Products): blocks are cut so that one has at
// most 4 rows only when the whole range has, and the results are the same
// bit for bit either way.
func (km *kmeans) eachBlock(w int, cents *gemm.PackedRHS[float32], lo, hi int, body func(start, end int, prods []float32)) {
	if km.prods[w] == nil {
		km.prods[w] = make([]float32, (blockRows+4)*km.k)
	}
	for start := lo; start < hi; {
		end := min(start+blockRows, hi)
		if hi-end <= 4 {
			end = hi // A last block of at most 4 rows joins this one.
		}
		prods := km.prods[w][:(end-start)*km.k]
		gemm.MultiplyRowsPacked(prods, km.x[start:end], cents)
		body(start, end, prods)
		start = end
	}
}

// get returns a zeroed partialSum for k clusters of dim dimensions.
func (ps *partialSums) get(k, dim int) *partialSum {
	ps.mu.Lock()
	var part *partialSum
	if n := len(ps.free); n > 0 {
		part, ps.free = ps.free[n-1], ps.free[:n-1]
	}
	ps.mu.Unlock()
	if part == nil {
		return &partialSum{sums: make([]float64, k*dim), counts: make([]int, k)}
	}
	clear(part.sums)
	clear(part.counts)
	part.changed = false
	return part
}

// done records chunk ch's sums and adds every chunk now next in order into
// km's totals, freeing their buffers.
func (ps *partialSums) done(ch int, part *partialSum, km *kmeans) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.pending[ch] = part
	for ps.next < len(ps.pending) && ps.pending[ps.next] != nil {
		p := ps.pending[ps.next]
		for j, v := range p.sums {
			km.sums[j] += v
		}
		for c, v := range p.counts {
			km.counts[c] += v
		}
		km.changed = km.changed || p.changed
		ps.pending[ps.next] = nil
		ps.free = append(ps.free, p)
		ps.next++
	}
}

// run iterates Lloyd's algorithm from the given centroids.
func (km *kmeans) run(cents []float32, maxIter int, tol float64) *KMeansResult {
	cents = append([]float32(nil), cents...)
	iter := 0
	stable := false // The last assign used cents as they are now.
	for iter < maxIter {
		sums, counts := km.assign(cents, false)
		iter++
		if iter > 1 && !km.changed {
			stable = true // the previous centroids already were the means of their points
			break
		}
		if slices.Contains(counts, 0) {
			km.distances(cents) // relocateEmpty reads them.
			km.relocateEmpty(sums, counts)
		}
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
	if stable {
		km.distances(cents)
	} else {
		km.assign(cents, true) // Labels and distances for the final centroids.
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
