package search

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Neighbourhood says how the k nearest neighbours of every item share its label: the
// precision@k of a search that uses every item as a query, and where the neighbours with
// another label come from.
type Neighbourhood struct {
	// K is the number of neighbours per query (the query itself left out).
	K int
	// Precision is the share of neighbours with the query's label, with a bootstrap
	// interval over the queries (the mean of each query's share).
	Precision metrics.Interval
	// OtherLabel counts the neighbours, over all queries, whose label is not the query's,
	// and SameGroup those of them in the query's group (a species of the query's family).
	OtherLabel, SameGroup int
	// SameGroupShare is SameGroup/OtherLabel, with a bootstrap interval over the
	// queries; its zero value when OtherLabel is 0.
	SameGroupShare metrics.Interval
}

// Neighbours searches index for the k nearest neighbours of every vector (the vectors the
// index holds, in order; each query's own row left out) and counts how many have its label
// (labels[i], a species) and, of the others, how many its group (groups[i], a family).
// The intervals resample the queries as config says.
func Neighbours(index *Exact, vectors [][]float32, labels, groups []int, k int, config metrics.BootstrapConfig) (Neighbourhood, error) {
	if len(labels) != len(vectors) || len(groups) != len(vectors) {
		return Neighbourhood{}, fmt.Errorf("search: %d vectors, %d labels and %d groups, want one of each per vector", len(vectors), len(labels), len(groups))
	}
	out := Neighbourhood{K: k}
	precision := make([]float64, len(vectors))
	other, sameGroup := make([]float64, len(vectors)), make([]float64, len(vectors))
	for i, v := range vectors {
		hits, err := index.Search(v, k+1)
		if err != nil {
			return Neighbourhood{}, fmt.Errorf("search: neighbours of vector %d: %w", i, err)
		}
		taken := 0
		for _, h := range hits {
			if h.Index == i || taken == k {
				continue
			}
			taken++
			switch {
			case labels[h.Index] == labels[i]:
				precision[i]++
			case groups[h.Index] == groups[i]:
				other[i]++
				sameGroup[i]++
			default:
				other[i]++
			}
		}
		precision[i] /= float64(k)
		out.OtherLabel += int(other[i])
		out.SameGroup += int(sameGroup[i])
	}
	var err error
	if out.Precision, err = metrics.BootstrapMean(precision, config); err != nil {
		return Neighbourhood{}, err
	}
	if out.OtherLabel > 0 {
		if out.SameGroupShare, err = metrics.BootstrapRatio(sameGroup, other, config); err != nil {
			return Neighbourhood{}, err
		}
	}
	return out, nil
}

// MustNeighbours is Neighbours for notebooks: it panics on error.
func MustNeighbours(index *Exact, vectors [][]float32, labels, groups []int, k int, config metrics.BootstrapConfig) Neighbourhood {
	return mustValue(Neighbours(index, vectors, labels, groups, k, config))
}
