package search

import (
	"math"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// TestNeighbours counts by hand on six 2-D directions: angles 0°, 10°, 20° (label 0,
// group 0), 90°, 100° (label 1, group 0) and 180° (label 2, group 1).
func TestNeighbours(t *testing.T) {
	var vectors [][]float32
	for _, degrees := range []float64{0, 10, 20, 90, 100, 180} {
		r := degrees * math.Pi / 180
		vectors = append(vectors, []float32{float32(math.Cos(r)), float32(math.Sin(r))})
	}
	labels, groups := []int{0, 0, 0, 1, 1, 2}, []int{0, 0, 0, 0, 0, 1}
	index := MustNewExact(vectors, ExactOptions{})
	got := MustNeighbours(index, vectors, labels, groups, 2, metrics.BootstrapConfig{Seed: 1, Resamples: 200})
	// Nearest two: 0°→10°, 20°; 10°→0°, 20°; 20°→10°, 0° (2 of its label each); 90°→100°, 20°
	// (1, and 1 of its group); 100°→90°, then 20° (80° away, as is 180°: the cosines tie
	// within float32 and 20° comes first) (1, and 1 of its group); 180°→100°, 90° (0, and
	// neither of its group). Of 12 neighbours 8 share the label; of the 4 others, 2 the group.
	if math.Abs(got.Precision.Estimate-8.0/12) > 1e-12 || got.OtherLabel != 4 || got.SameGroup != 2 || math.Abs(got.SameGroupShare.Estimate-0.5) > 1e-12 {
		t.Errorf("got precision %v, %d of another label, %d in the group (%v); want 0.667, 4, 2 (0.5)", got.Precision, got.OtherLabel, got.SameGroup, got.SameGroupShare)
	}
	if _, err := Neighbours(index, vectors, labels[:2], groups, 2, metrics.BootstrapConfig{}); err == nil {
		t.Error("two labels for six vectors: want an error")
	}
}
