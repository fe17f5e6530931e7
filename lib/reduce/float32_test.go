package reduce

import (
	"math"
	"slices"
	"testing"
)

// TestFloat32 converts layouts of several shapes and checks every value against float32(v)
// and that the result shares no memory with the input.
func TestFloat32(t *testing.T) {
	tests := []struct {
		name   string
		points [][]float64
		want   [][]float32
	}{
		{"empty", nil, [][]float32{}},
		{"2-D map", [][]float64{{1.5, -2}, {0, 1e-3}}, [][]float32{{1.5, -2}, {0, 1e-3}}},
		{"3-D, rounded", [][]float64{{math.Pi, 1e30, -1e-50}}, [][]float32{{float32(math.Pi), 1e30, 0}}},
		{"ragged", [][]float64{{1}, {2, 3}}, [][]float32{{1}, {2, 3}}},
	}
	for _, tc := range tests {
		got := Float32(tc.points)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d rows, want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			if !slices.Equal(got[i], tc.want[i]) {
				t.Errorf("%s: row %d = %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
		if len(tc.points) > 0 {
			tc.points[0][0] = 42
			if got[0][0] == 42 {
				t.Errorf("%s: the result shares memory with the input", tc.name)
			}
		}
	}
}
