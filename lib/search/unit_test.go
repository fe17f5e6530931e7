package search

import (
	"math"
	"strings"
	"testing"
)

// TestUnitVectors checks unit vectors against hand values (3, 4)/5 and (−2, 0)/2, that the
// input is unchanged, and the errors for bad vectors.
func TestUnitVectors(t *testing.T) {
	in := [][]float32{{3, 4}, {-2, 0}, {1e-3, 1e-3}}
	got, err := UnitVectors(in)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0.6, 0.8}, {-1, 0}, {math.Sqrt(0.5), math.Sqrt(0.5)}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(float64(got[i][j])-want[i][j]) > 1e-6 {
				t.Errorf("vector %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
	if in[0][0] != 3 || in[1][0] != -2 {
		t.Errorf("input changed to %v", in)
	}
	for _, tc := range []struct {
		name    string
		vectors [][]float32
		want    string
	}{
		{"none", nil, "no vectors"},
		{"zero vector", [][]float32{{1, 0}, {0, 0}}, "vector 1"},
		{"NaN", [][]float32{{float32(math.NaN()), 1}}, "element 0 is NaN"},
		{"ragged", [][]float32{{1, 0}, {1}}, "vector 1 has dimension 1"},
	} {
		if _, err := UnitVectors(tc.vectors); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
