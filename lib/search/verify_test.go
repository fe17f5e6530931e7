package search

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
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
		// Nearest per counted item and First, Second per pair, by hand from the comments.
		wantNearest           []float64
		wantFirst, wantSecond []int
	}{
		// Nearest: a→b, b→a, c→b, d→c (cos d·c = 0 beats d·a = −1, d·b = −0.8).
		{"no groups", []int{0, 0, 1, 1}, nil, 0.75, 4,
			[]float64{0.8, 0, -1, 0.6, -0.8, 0}, []int{1, 0, 0, 0, 0, 1},
			[]float64{1, 1, 0, 1}, []int{0, 0, 0, 1, 1, 2}, []int{1, 2, 3, 2, 3, 3}},
		// Groups {a, c} and {b, d}: nearest a→c, c→a, b→d, d→b; pairs (a,c), (b,d).
		{"within groups", []int{0, 1, 0, 2}, []int{0, 1, 0, 1}, 0.5, 4,
			[]float64{0, -0.8}, []int{1, 0}, []float64{1, 0, 1, 0}, []int{0, 1}, []int{2, 3}},
		// A group of one has no candidate and is left out.
		{"a lone item", []int{0, 0, 1, 1}, []int{0, 0, 0, 1}, 2.0 / 3, 3,
			[]float64{0.8, 0, 0.6}, []int{1, 0, 0}, []float64{1, 1, 0}, []int{0, 0, 1}, []int{1, 2, 2}},
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
			if !slices.Equal(v.Nearest, tc.wantNearest) || !slices.Equal(v.First, tc.wantFirst) || !slices.Equal(v.Second, tc.wantSecond) {
				t.Errorf("nearest %v, pairs %v %v; want %v, %v %v", v.Nearest, v.First, v.Second, tc.wantNearest, tc.wantFirst, tc.wantSecond)
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

// TestVerificationIntervals checks that the intervals are centred on the plain metrics
// and resample by item: on clustered random vectors, the AUROC's estimate is
// metrics.AUROC's and NearestInterval's is NearestAccuracy.
func TestVerificationIntervals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var vectors [][]float32
	var labels []int
	for i := range 60 {
		c := i % 3
		v := []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		v[c] += 2
		vectors, labels = append(vectors, v), append(labels, c)
	}
	v := MustVerify(vectors, labels, nil)
	config := metrics.BootstrapConfig{Seed: 1, Resamples: 300}
	auroc := v.MustAUROC(config)
	want, _ := metrics.AUROC(v.Scores, v.Same)
	if math.Abs(auroc.Estimate-want) > 1e-12 || auroc.Lower > want || auroc.Upper < want || auroc.Lower == auroc.Upper {
		t.Errorf("AUROC %v, metrics.AUROC %v", auroc, want)
	}
	nearest := v.MustNearestInterval(config)
	if math.Abs(nearest.Estimate-v.NearestAccuracy) > 1e-12 || nearest.Lower > v.NearestAccuracy || nearest.Upper < v.NearestAccuracy {
		t.Errorf("nearest %v, accuracy %v", nearest, v.NearestAccuracy)
	}
	if roc := v.MustROC(); len(roc.FalsePositiveRate) < 2 {
		t.Errorf("ROC with %d points", len(roc.FalsePositiveRate))
	}
	if _, err := (Verification{}).AUROC(config); err == nil {
		t.Error("no pairs: want an error")
	}
	if _, err := (Verification{}).NearestInterval(config); err == nil {
		t.Error("no items: want an error")
	}
}

// TestVerificationAUROCResamplesRecordings checks the AUROC's interval against verifying
// each resampled collection itself: Bootstrap draws the recordings (same seed, so the
// same draws), Verify scores every pair of the drawn recordings (within each group of 8,
// for individuals within species), the pairs of a recording with its own copy are left
// out, and metrics.AUROC is computed on the rest. In these groups of consecutive
// recordings every recording is in a pair and appears first in index order, so
// PairAUROCInterval's item u is recording u.
func TestVerificationAUROCResamplesRecordings(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	const n = 24
	var vectors [][]float32
	var individuals, species []int
	for i := range n {
		sp, ind := i/8, rng.IntN(3)
		v := []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		v[ind] += 1.5
		vectors, individuals, species = append(vectors, v), append(individuals, 10*sp+ind), append(species, sp)
	}
	for _, groups := range [][]int{nil, species} {
		config := metrics.BootstrapConfig{Seed: 4, Resamples: 200}
		got := MustVerify(vectors, individuals, groups).MustAUROC(config)
		want, err := metrics.Bootstrap(n, func(drawn []int) (float64, error) {
			var x [][]float32
			var l, g []int
			for _, i := range drawn {
				x, l = append(x, vectors[i]), append(l, individuals[i])
				if groups != nil {
					g = append(g, groups[i])
				}
			}
			resampled := MustVerify(x, l, g)
			var scores []float64
			var same []int
			for p := range resampled.Scores {
				if drawn[resampled.First[p]] != drawn[resampled.Second[p]] {
					scores, same = append(scores, resampled.Scores[p]), append(same, resampled.Same[p])
				}
			}
			if !slices.Contains(same, 0) || !slices.Contains(same, 1) {
				return math.NaN(), nil
			}
			return metrics.AUROC(scores, same)
		}, config)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Replicates) != len(want.Replicates) {
			t.Fatalf("groups %v: %d replicates, want %d", groups != nil, len(got.Replicates), len(want.Replicates))
		}
		for r := range got.Replicates {
			// Verify's cosines are float32; both sides compare the same float32 scores.
			if math.Abs(got.Replicates[r]-want.Replicates[r]) > 1e-9 {
				t.Fatalf("groups %v, resample %d: %v, verifying the resample gives %v", groups != nil, r, got.Replicates[r], want.Replicates[r])
			}
		}
	}
}
