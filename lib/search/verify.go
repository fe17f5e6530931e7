package search

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/metrics"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Verification says how well cosine similarity between embeddings tells items with the
// same label from items with different labels: the question of individual identification
// ("did the same bird sing both?") and of species identity alike.
type Verification struct {
	// NearestAccuracy is the fraction of items whose most similar other item (among the
	// candidates: the items of the same group when groups are given) has the same label.
	// Items with no candidate are left out of it.
	NearestAccuracy float64
	// Items is how many items NearestAccuracy counts, and Nearest holds, for each of
	// them in order, 1 when its nearest candidate has its label and 0 when not: what a
	// bootstrap over the items resamples ([Verification.NearestInterval]).
	Items   int
	Nearest []float64
	// Scores holds the cosine similarity of every pair of candidates, each pair once, and
	// Same whether the pair shares its label (1) or not (0): what metrics.ROCCurve and
	// metrics.AUROC take to score verification by a threshold on similarity.
	Scores []float64
	Same   []int
	// First[p] and Second[p] are the two items of pair p (First the lower index): a
	// bootstrap resamples the items and weights each pair by how often both of its items
	// were drawn ([Verification.AUROC]).
	First, Second []int
}

// Verify compares every pair of vectors by cosine similarity. labels[i] is item i's label
// (a species, an individual). When groups is not nil, only items of the same group are
// compared (groups[i]: the species, when labels are individuals within species). A tie for
// the nearest item goes to the lowest index. A zero vector or a length that differs is an
// error naming the item.
func Verify(vectors [][]float32, labels, groups []int) (Verification, error) {
	n := len(vectors)
	if len(labels) != n || (groups != nil && len(groups) != n) {
		return Verification{}, fmt.Errorf("search: %d vectors, %d labels and %d groups", n, len(labels), len(groups))
	}
	unit := make([][]float32, n)
	for i, v := range vectors {
		if len(v) != len(vectors[0]) {
			return Verification{}, fmt.Errorf("search: vector %d has %d values, vector 0 has %d", i, len(v), len(vectors[0]))
		}
		norm := vec.Norm(v)
		if norm == 0 || math.IsNaN(norm) || math.IsInf(norm, 0) {
			return Verification{}, fmt.Errorf("search: vector %d has norm %v: no cosine similarity", i, norm)
		}
		unit[i] = make([]float32, len(v))
		for k, x := range v {
			unit[i][k] = float32(float64(x) / norm)
		}
	}
	sameGroup := func(i, j int) bool { return groups == nil || groups[i] == groups[j] }
	var out Verification
	hits := 0
	for i := range n {
		best, bestScore := -1, float32(0)
		for j := range n {
			if j == i || !sameGroup(i, j) {
				continue
			}
			score := vec.Dot(unit[i], unit[j])
			if best < 0 || score > bestScore {
				best, bestScore = j, score
			}
			if j > i {
				same := 0
				if labels[i] == labels[j] {
					same = 1
				}
				out.Scores, out.Same = append(out.Scores, float64(score)), append(out.Same, same)
				out.First, out.Second = append(out.First, i), append(out.Second, j)
			}
		}
		if best >= 0 {
			out.Items++
			hit := 0.0
			if labels[best] == labels[i] {
				hits++
				hit = 1
			}
			out.Nearest = append(out.Nearest, hit)
		}
	}
	if out.Items > 0 {
		out.NearestAccuracy = float64(hits) / float64(out.Items)
	}
	return out, nil
}

// MustVerify is [Verify] for notebooks: it panics on error.
func MustVerify(vectors [][]float32, labels, groups []int) Verification {
	v, err := Verify(vectors, labels, groups)
	if err != nil {
		panic(err)
	}
	return v
}

// NearestInterval returns NearestAccuracy with a bootstrap confidence interval over the
// items (metrics.BootstrapMean of Nearest): how much it depends on which recordings
// happen to be in the collection.
func (v Verification) NearestInterval(config metrics.BootstrapConfig) (metrics.Interval, error) {
	if v.Items == 0 {
		return metrics.Interval{}, fmt.Errorf("search: no item had a candidate to be nearest to")
	}
	return metrics.BootstrapMean(v.Nearest, config)
}

// AUROC returns the area under the ROC curve of Scores against Same: the chance that a
// pair with the same label scores higher than a pair with different labels (0.5 chance,
// 1 perfect), with a bootstrap confidence interval that resamples the recordings, not the
// pairs (metrics.PairAUROCInterval): a resample that draws recording i w_i times and
// recording j w_j times holds their pair w_i·w_j times, as verifying the resampled
// collection would. The pairs of one recording share it and are not independent;
// resampling a million pairs one by one, or grouped by their first recording only,
// would give an interval too narrow.
func (v Verification) AUROC(config metrics.BootstrapConfig) (metrics.Interval, error) {
	if len(v.Scores) == 0 {
		return metrics.Interval{}, fmt.Errorf("search: no pairs to score")
	}
	return metrics.PairAUROCInterval(v.Scores, v.Same, v.First, v.Second, config)
}

// ROC returns the ROC curve of Scores against Same (metrics.ROCCurve), to draw.
func (v Verification) ROC() (metrics.ROC, error) {
	return metrics.ROCCurve(v.Scores, v.Same)
}

// MustNearestInterval is [Verification.NearestInterval] for notebooks: it panics on error.
func (v Verification) MustNearestInterval(config metrics.BootstrapConfig) metrics.Interval {
	return mustValue(v.NearestInterval(config))
}

// MustAUROC is [Verification.AUROC] for notebooks: it panics on error.
func (v Verification) MustAUROC(config metrics.BootstrapConfig) metrics.Interval {
	return mustValue(v.AUROC(config))
}

// MustROC is [Verification.ROC] for notebooks: it panics on error.
func (v Verification) MustROC() metrics.ROC {
	return mustValue(v.ROC())
}

// mustValue returns value, or panics with err.
func mustValue[T any](value T, err error) T {
	if err != nil {
		panic(err)
	}
	return value
}
