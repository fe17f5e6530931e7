package classify

import (
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

const kindKNN = "knn"

// Metric is how KNN measures distance between standardized feature rows.
type Metric int

const (
	// Euclidean is the straight-line distance.
	Euclidean Metric = iota
	// Cosine is 1 − cosine similarity (0 for the same direction, 2 for opposite).
	Cosine
)

// String names the metric ("euclidean" or "cosine"), as in Name.
func (m Metric) String() string {
	if m == Cosine {
		return "cosine"
	}
	return "euclidean"
}

// KNNOptions configures KNN.
type KNNOptions struct {
	// K is the number of neighbours; 0 means 5. It is capped at the number of
	// training examples.
	K int
	// DistanceWeighted weighs each neighbour's vote by 1/distance (neighbours at
	// distance 0, when any, take all the weight, as in scikit-learn);
	// otherwise every neighbour counts the same.
	DistanceWeighted bool
	// Metric is the distance; the zero value is Euclidean.
	Metric Metric
}

// KNN is the k-nearest-neighbours classifier: it keeps the standardized
// training rows and scores a new row by the (weighted) share of each class
// among its K nearest training rows. Multi-hot labels are scored per class
// the same way. Search is exact: every training row is compared with the
// query (see PredictProba). NumWeights is the number of
// stored feature values (examples × features).
type KNN struct {
	opts KNNOptions
	m    *knnState
}

type knnState struct {
	Header  header
	Options KNNOptions
	Z       []float64 // Standardized training rows, n × d.
	Norms   []float64 // Their Euclidean norms (for Cosine).
	Labels  dataset.Labels
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o KNNOptions) withDefaults() KNNOptions {
	if o.K == 0 {
		o.K = 5
	}
	return o
}

// NewKNN returns an unfitted k-nearest-neighbours classifier.
func NewKNN(o KNNOptions) *KNN {
	return &KNN{opts: o.withDefaults()}
}

// Name implements Classifier.
func (c *KNN) Name() string {
	w := "uniform"
	if c.opts.DistanceWeighted {
		w = "distance-weighted"
	}
	return fmt.Sprintf("k-NN (k=%d, %s, %s)", c.opts.K, c.opts.Metric, w)
}

func (c *KNN) fitted() *header {
	if c.m == nil {
		return nil
	}
	return &c.m.Header
}

func (c *KNN) kind() string { return kindKNN }

// Fit implements Classifier: it stores the standardized training rows.
func (c *KNN) Fit(x [][]float32, y dataset.Labels) error {
	h, err := begin(x, y)
	if err != nil {
		return err
	}
	if c.opts.K < 1 {
		return fmt.Errorf("classify: k-NN K = %d, must be ≥ 1: %w", c.opts.K, ErrInput)
	}
	if c.opts.Metric != Euclidean && c.opts.Metric != Cosine {
		return fmt.Errorf("classify: k-NN metric %d unknown: %w", c.opts.Metric, ErrInput)
	}
	z := h.Scaler.transform(x)
	d := h.NumFeatures
	norms := make([]float64, len(x))
	for i := range norms {
		var s float64
		for _, v := range z[i*d : (i+1)*d] {
			s += v * v
		}
		norms[i] = math.Sqrt(s)
	}
	c.m = &knnState{Header: h, Options: c.opts, Z: z, Norms: norms, Labels: y}
	return nil
}

// NumWeights implements Classifier: the stored feature values.
func (c *KNN) NumWeights() int {
	if c.m == nil {
		return 0
	}
	return len(c.m.Z)
}

// knnBlock is the number of query rows whose dot products with every training
// row PredictProba computes in one matrix product.
const knnBlock = 64

// PredictProba implements Classifier.
//
// Each query's neighbours are found in two steps. One matrix product per
// block of queries (vec.Products) gives every query–row dot product, from
// which distances follow (‖q‖² + ‖z‖² − 2q·z, or 1 − q·z/(‖q‖‖z‖)) up to a
// rounding error with a known bound. Every row within twice that bound of the
// K-th smallest is a candidate, and the candidates' distances are computed
// again directly, which ranks them exactly as a brute-force search would: by
// distance, then by training row.
func (c *KNN) PredictProba(x [][]float32) ([][]float32, error) {
	h := c.fitted()
	if err := h.check(x, c.Name()); err != nil {
		return nil, err
	}
	st := c.m
	d, n := h.NumFeatures, len(st.Norms)
	q := h.Scaler.transform(x)
	out := make([][]float32, len(x))
	blocks := (len(x) + knnBlock - 1) / knnBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dots := make([]float64, knnBlock*n)
			var scratch knnScratch
			for b := w; b < blocks; b += workers {
				lo, hi := b*knnBlock, min((b+1)*knnBlock, len(x))
				vec.Products(dots, q[lo*d:hi*d], st.Z, hi-lo, n, d)
				for i := lo; i < hi; i++ {
					near := st.neighbours(q[i*d:(i+1)*d], dots[(i-lo)*n:(i-lo+1)*n], &scratch)
					out[i] = st.vote(near)
				}
			}
		}()
	}
	wg.Wait()
	return out, nil
}

// knnNeighbour is a training row and its distance to the query.
type knnNeighbour struct {
	dist float64
	row  int
}

// knnScratch is one goroutine's reusable buffers.
type knnScratch struct {
	approx []float64
	cands  []knnNeighbour
}

// neighbours returns the K nearest training rows of the standardized query qi,
// nearest first (ties by row), given its dot products with every training row.
func (st *knnState) neighbours(qi, dots []float64, sc *knnScratch) []knnNeighbour {
	d, n := len(qi), len(st.Norms)
	kk := min(st.Options.K, n)
	var qn2 float64
	for _, v := range qi {
		qn2 += v * v
	}
	qn := math.Sqrt(qn2)
	cosine := st.Options.Metric == Cosine
	// Approximate distances (squared for Euclidean), and the bound on their error:
	// a dot product of d terms is within (d+2)·ε·Σ|qⱼzⱼ| ≤ (d+2)·ε·‖q‖‖z‖ of the exact one.
	sc.approx = slices.Grow(sc.approx[:0], n)[:n]
	maxZn := 0.0
	for r, zn := range st.Norms {
		maxZn = max(maxZn, zn)
		if cosine {
			if qn == 0 || zn == 0 {
				sc.approx[r] = 1
			} else {
				sc.approx[r] = 1 - dots[r]/(qn*zn)
			}
		} else {
			sc.approx[r] = qn2 + zn*zn - 2*dots[r]
		}
	}
	const eps = 0x1p-52
	bound := 4 * float64(d+2) * eps // Cosine: relative to 1.
	if !cosine {
		bound *= (qn + maxZn) * (qn + maxZn) // Covers ‖q‖², ‖z‖² and 2q·z, each rounded.
	}
	threshold := kthSmallest(sc.approx, kk) + 2*bound
	sc.cands = sc.cands[:0]
	for r, a := range sc.approx {
		if a <= threshold {
			sc.cands = append(sc.cands, knnNeighbour{st.distance(qi, qn, r), r})
		}
	}
	slices.SortFunc(sc.cands, func(a, b knnNeighbour) int {
		switch {
		case a.dist < b.dist:
			return -1
		case a.dist > b.dist:
			return 1
		}
		return a.row - b.row
	})
	return sc.cands[:kk]
}

// distance is the exact distance of the standardized query qi (norm qn) to training row r.
func (st *knnState) distance(qi []float64, qn float64, r int) float64 {
	d := len(qi)
	zr := st.Z[r*d : (r+1)*d]
	var s float64
	if st.Options.Metric == Cosine {
		for j, v := range qi {
			s += v * zr[j]
		}
		if qn == 0 || st.Norms[r] == 0 {
			return 1 // scikit-learn treats a zero vector as orthogonal to all.
		}
		return 1 - s/(qn*st.Norms[r])
	}
	for j, v := range qi {
		dv := v - zr[j]
		s += dv * dv
	}
	return math.Sqrt(s)
}

// kthSmallest returns the k-th smallest value of v (k ≥ 1), keeping the k
// smallest in a bounded max-heap.
func kthSmallest(v []float64, k int) float64 {
	heap := make([]float64, 0, k)
	for _, x := range v {
		if len(heap) < k {
			heap = append(heap, x)
			for i := len(heap) - 1; i > 0; { // Sift up.
				p := (i - 1) / 2
				if heap[p] >= heap[i] {
					break
				}
				heap[p], heap[i] = heap[i], heap[p]
				i = p
			}
			continue
		}
		if !(x < heap[0]) {
			continue
		}
		heap[0] = x
		for i := 0; ; { // Sift down.
			l, big := 2*i+1, i
			if l < k && heap[l] > heap[big] {
				big = l
			}
			if l+1 < k && heap[l+1] > heap[big] {
				big = l + 1
			}
			if big == i {
				break
			}
			heap[i], heap[big] = heap[big], heap[i]
			i = big
		}
	}
	return heap[0]
}

// vote returns the class scores of the neighbours: the (weighted) share of
// each class among them.
func (st *knnState) vote(near []knnNeighbour) []float32 {
	k := st.Header.NumClasses
	weights := make([]float64, len(near))
	for j, nb := range near {
		weights[j] = 1
		if st.Options.DistanceWeighted {
			weights[j] = 1 / nb.dist
		}
	}
	if st.Options.DistanceWeighted && near[0].dist == 0 {
		for j, nb := range near {
			weights[j] = 0
			if nb.dist == 0 {
				weights[j] = 1
			}
		}
	}
	votes := make([]float64, k)
	var total float64
	for j, nb := range near {
		total += weights[j]
		for cl := 0; cl < k; cl++ {
			if st.Labels.Has(nb.row, cl) {
				votes[cl] += weights[j]
			}
		}
	}
	out := make([]float32, k)
	for cl := range votes {
		out[cl] = float32(votes[cl] / total)
	}
	return out
}

// Predict implements Classifier.
func (c *KNN) Predict(x [][]float32) (dataset.Labels, error) {
	return predictFromProba(c, x)
}

// Save implements Classifier.
func (c *KNN) Save(path string) error {
	return saveFitted(c, path)
}

func (c *KNN) encodeState() (any, error) { return c.m, nil }

func (c *KNN) decodeState(dec *gob.Decoder) error {
	var st knnState
	if err := dec.Decode(&st); err != nil {
		return err
	}
	c.m, c.opts = &st, st.Options
	return nil
}
