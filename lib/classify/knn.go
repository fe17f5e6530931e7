package classify

import (
	"encoding/gob"
	"fmt"
	"math"
	"slices"
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
// the same way. Search is brute force (exact). NumWeights is the number of
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
	Labels  Labels
}

// NewKNN returns an unfitted k-nearest-neighbours classifier.
func NewKNN(o KNNOptions) *KNN {
	if o.K == 0 {
		o.K = 5
	}
	return &KNN{opts: o}
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
func (c *KNN) Fit(x [][]float32, y Labels) error {
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

// PredictProba implements Classifier.
func (c *KNN) PredictProba(x [][]float32) ([][]float32, error) {
	h := c.fitted()
	if err := h.check(x, c.Name()); err != nil {
		return nil, err
	}
	st := c.m
	d, k, n := h.NumFeatures, h.NumClasses, len(st.Norms)
	kk := min(st.Options.K, n)
	q := h.Scaler.transform(x)
	type neighbour struct {
		dist float64
		row  int
	}
	all := make([]neighbour, n)
	out := make([][]float32, len(x))
	for i := range x {
		qi := q[i*d : (i+1)*d]
		var qn float64
		for _, v := range qi {
			qn += v * v
		}
		qn = math.Sqrt(qn)
		for r := 0; r < n; r++ {
			zr := st.Z[r*d : (r+1)*d]
			var s float64
			if st.Options.Metric == Cosine {
				for j, v := range qi {
					s += v * zr[j]
				}
				if qn == 0 || st.Norms[r] == 0 {
					s = 1 // scikit-learn treats a zero vector as orthogonal to all.
				} else {
					s = 1 - s/(qn*st.Norms[r])
				}
			} else {
				for j, v := range qi {
					dv := v - zr[j]
					s += dv * dv
				}
				s = math.Sqrt(s)
			}
			all[r] = neighbour{s, r}
		}
		slices.SortFunc(all, func(a, b neighbour) int {
			switch {
			case a.dist < b.dist:
				return -1
			case a.dist > b.dist:
				return 1
			}
			return a.row - b.row
		})
		near := all[:kk]
		weights := make([]float64, kk)
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
		out[i] = make([]float32, k)
		for cl := range votes {
			out[i][cl] = float32(votes[cl] / total)
		}
	}
	return out, nil
}

// Predict implements Classifier.
func (c *KNN) Predict(x [][]float32) (Labels, error) {
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
