package cluster

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Agreement says how a clustering matches a known labelling of the same points (the
// species of each recording): how many clusters it found, how many points it called
// Noise, its Purity, and its AdjustedRandIndex with a bootstrap interval over the points.
type Agreement struct {
	// Clusters counts the distinct labels other than Noise; NoisePoints the points
	// labelled Noise.
	Clusters, NoisePoints int
	// Purity is [Purity] of the clustering against the labelling (Noise one more
	// cluster).
	Purity float64
	// ARI is [AdjustedRandIndex] with a bootstrap interval ([ARIInterval]).
	ARI metrics.Interval
}

// String writes the agreement on one line: "18 clusters, 162 noise points; purity 0.843,
// ARI 0.713 [0.690, 0.737]".
func (a Agreement) String() string {
	return fmt.Sprintf("%d clusters, %d noise points; purity %.3f, ARI %v", a.Clusters, a.NoisePoints, a.Purity, a.ARI)
}

// Agree scores the clustering labels against the known labelling truth (one label per
// point each), with the ARI's interval drawn as [ARIInterval] does.
func Agree(truth, labels []int, config metrics.BootstrapConfig) (Agreement, error) {
	purity, err := Purity(labels, truth)
	if err != nil {
		return Agreement{}, err
	}
	ari, err := ARIInterval(truth, labels, config)
	if err != nil {
		return Agreement{}, err
	}
	out := Agreement{Purity: purity, ARI: ari}
	seen := map[int]bool{}
	for _, l := range labels {
		if l == Noise {
			out.NoisePoints++
		} else if !seen[l] {
			seen[l] = true
			out.Clusters++
		}
	}
	return out, nil
}

// MustAgree is Agree for notebooks: it panics on error.
func MustAgree(truth, labels []int, config metrics.BootstrapConfig) Agreement {
	a, err := Agree(truth, labels, config)
	if err != nil {
		panic(err)
	}
	return a
}

// ARIInterval returns [AdjustedRandIndex](truth, pred) with a bootstrap confidence
// interval over the points (metrics.Bootstrap, config as there): how much the index
// depends on which points happen to be clustered, for this clustering (it is not
// recomputed on the resample). A point drawn several times counts that often, but a
// pair of a point with its own copy is left out: such pairs always agree and would lift
// every resample's index above the estimate.
func ARIInterval(truth, pred []int, config metrics.BootstrapConfig) (metrics.Interval, error) {
	ari, err := newWeightedARI(truth, pred)
	if err != nil {
		return metrics.Interval{}, err
	}
	return metrics.Bootstrap(len(truth), ari.on, config)
}

// MustARIInterval is ARIInterval for notebooks: it panics on error.
func MustARIInterval(truth, pred []int, config metrics.BootstrapConfig) metrics.Interval {
	in, err := ARIInterval(truth, pred, config)
	if err != nil {
		panic(err)
	}
	return in
}

// ARIDifference returns AdjustedRandIndex(truth, a) − AdjustedRandIndex(truth, b), two
// clusterings of the same points scored against one labelling, with a paired bootstrap
// interval: every resample draws the same points for both ([ARIInterval]). An interval
// that holds 0 means these points cannot tell the two clusterings apart.
func ARIDifference(truth, a, b []int, config metrics.BootstrapConfig) (metrics.Interval, error) {
	ariA, err := newWeightedARI(truth, a)
	if err != nil {
		return metrics.Interval{}, err
	}
	ariB, err := newWeightedARI(truth, b)
	if err != nil {
		return metrics.Interval{}, err
	}
	return metrics.Bootstrap(len(truth), func(points []int) (float64, error) {
		x, _ := ariA.on(points)
		y, _ := ariB.on(points)
		return x - y, nil
	}, config)
}

// MustARIDifference is ARIDifference for notebooks: it panics on error.
func MustARIDifference(truth, a, b []int, config metrics.BootstrapConfig) metrics.Interval {
	d, err := ARIDifference(truth, a, b, config)
	if err != nil {
		panic(err)
	}
	return d
}

// weightedARI computes the adjusted Rand index on a multiset of the points: truth and
// pred renumbered 0…R−1 and 0…C−1, with scratch space for the counts.
type weightedARI struct {
	truth, pred []int
	rows, cols  int
	weight      []float64
	cells       []float64
}

func newWeightedARI(truth, pred []int) (*weightedARI, error) {
	if len(truth) != len(pred) || len(truth) == 0 {
		return nil, fmt.Errorf("cluster.ARIInterval: %d true labels and %d predicted ones, want the same number, at least 1", len(truth), len(pred))
	}
	w := &weightedARI{truth: make([]int, len(truth)), pred: make([]int, len(pred)), weight: make([]float64, len(truth))}
	w.rows = renumber(truth, w.truth)
	w.cols = renumber(pred, w.pred)
	w.cells = make([]float64, w.rows*w.cols)
	return w, nil
}

// renumber writes labels as 0, 1, … in order of first appearance into out, and returns how
// many there are.
func renumber(labels, out []int) int {
	number := map[int]int{}
	for i, l := range labels {
		n, ok := number[l]
		if !ok {
			n = len(number)
			number[l] = n
		}
		out[i] = n
	}
	return len(number)
}

// on returns the adjusted Rand index over the ordered pairs of distinct points of the
// multiset points (point i counted as often as it appears), as AdjustedRandIndex counts
// the ordered pairs of distinct points: with every point once, the two agree.
func (w *weightedARI) on(points []int) (float64, error) {
	clear(w.weight)
	for _, p := range points {
		w.weight[p]++
	}
	clear(w.cells)
	rowSum, colSum := make([]float64, w.rows), make([]float64, w.cols)
	total, selfPairs := 0.0, 0.0
	for i, c := range w.weight {
		if c == 0 {
			continue
		}
		w.cells[w.truth[i]*w.cols+w.pred[i]] += c
		rowSum[w.truth[i]] += c
		colSum[w.pred[i]] += c
		total += c
		selfPairs += c * c
	}
	square := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x * x
		}
		return s
	}
	sumSq, rowSq, colSq := square(w.cells), square(rowSum), square(colSum)
	tp := sumSq - selfPairs
	fp := colSq - sumSq
	fn := rowSq - sumSq
	tn := total*total - selfPairs - fp - fn - tp
	if fn == 0 && fp == 0 {
		return 1, nil
	}
	return 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn)), nil
}
