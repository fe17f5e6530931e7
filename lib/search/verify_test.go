package search

import (
	"slices"
	"strings"
	"testing"
)

// TestVerify works on four 2-D points whose similarities are known by hand:
// a=(1,0), b=(0.8,0.6) (cos a·b = 0.8), c=(0,1) (cos b·c = 0.6, a·c = 0), d=(-1,0).
func TestVerify(t *testing.T) {
	points := [][]float32{{1, 0}, {0.8, 0.6}, {0, 1}, {-2, 0}} // d scaled: cosine ignores length
	tests := []struct {
		name       string
		labels     []int
		groups     []int
		wantAcc    float64
		wantItems  int
		wantScores []float64
		wantSame   []int
	}{
		// Nearest: a→b, b→a, c→b, d→c (cos d·c = 0 beats d·a = −1, d·b = −0.8).
		{"no groups", []int{0, 0, 1, 1}, nil, 0.75, 4,
			[]float64{0.8, 0, -1, 0.6, -0.8, 0}, []int{1, 0, 0, 0, 0, 1}},
		// Groups {a, c} and {b, d}: nearest a→c, c→a, b→d, d→b; pairs (a,c), (b,d).
		{"within groups", []int{0, 1, 0, 2}, []int{0, 1, 0, 1}, 0.5, 4,
			[]float64{0, -0.8}, []int{1, 0}},
		// A group of one has no candidate and is left out.
		{"a lone item", []int{0, 0, 1, 1}, []int{0, 0, 0, 1}, 2.0 / 3, 3,
			[]float64{0.8, 0, 0.6}, []int{1, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Verify(points, tc.labels, tc.groups)
			if err != nil {
				t.Fatal(err)
			}
			if v.NearestAccuracy != tc.wantAcc || v.Items != tc.wantItems {
				t.Errorf("nearest accuracy %v over %d items, want %v over %d", v.NearestAccuracy, v.Items, tc.wantAcc, tc.wantItems)
			}
			if len(v.Scores) != len(tc.wantScores) || !slices.Equal(v.Same, tc.wantSame) {
				t.Fatalf("scores %v same %v, want %v %v", v.Scores, v.Same, tc.wantScores, tc.wantSame)
			}
			for k, s := range v.Scores {
				if d := s - tc.wantScores[k]; d > 1e-6 || d < -1e-6 {
					t.Errorf("pair %d: score %v, want %v", k, s, tc.wantScores[k])
				}
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		vectors [][]float32
		labels  []int
		want    string
	}{
		{"a zero vector", [][]float32{{1, 0}, {0, 0}}, []int{0, 1}, "vector 1 has norm 0"},
		{"lengths differ", [][]float32{{1, 0}, {1}}, []int{0, 1}, "vector 1 has 1 values"},
		{"labels missing", [][]float32{{1, 0}, {0, 1}}, []int{0}, "2 vectors, 1 labels"},
	} {
		if _, err := Verify(tc.vectors, tc.labels, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
