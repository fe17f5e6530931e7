package search

import (
	"fmt"
	"math"

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
	// Items is how many items NearestAccuracy counts.
	Items int
	// Scores holds the cosine similarity of every pair of candidates, each pair once, and
	// Same whether the pair shares its label (1) or not (0): what metrics.ROCCurve and
	// metrics.AUROC take to score verification by a threshold on similarity.
	Scores []float64
	Same   []int
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
			}
		}
		if best >= 0 {
			out.Items++
			if labels[best] == labels[i] {
				hits++
			}
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
