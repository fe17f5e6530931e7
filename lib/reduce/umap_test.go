package reduce

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
)

type reference struct {
	PCATall pcaRef `json:"pca_tall"`
	PCAWide pcaRef `json:"pca_wide"`
	PCATop  pcaRef `json:"pca_top"` // 2 of 64 components: the subspace iteration.
	Trust   struct {
		High   [][]float32        `json:"high"`
		Low    [][]float64        `json:"low"`
		Values map[string]float64 `json:"values"`
	} `json:"trust"`
	AB []struct {
		Spread  float64 `json:"spread"`
		MinDist float64 `json:"min_dist"`
		A       float64 `json:"a"`
		B       float64 `json:"b"`
	} `json:"ab"`
}

type pcaRef struct {
	X                      [][]float32 `json:"x"`
	Components             [][]float64 `json:"components"`
	ExplainedVariance      []float64   `json:"explained_variance"`
	ExplainedVarianceRatio []float64   `json:"explained_variance_ratio"`
	Transform              [][]float64 `json:"transform"`
	Whitened               [][]float64 `json:"whitened"`
}

func loadReference(t *testing.T) *reference {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestFindABMatchesUMAPLearn(t *testing.T) {
	for _, c := range loadReference(t).AB {
		a, b, err := FindAB(c.Spread, c.MinDist)
		if err != nil {
			t.Fatal(err)
		}
		// scipy's curve_fit stops at its own tolerance (~1e-8 relative).
		if math.Abs(a-c.A) > 1e-5*c.A || math.Abs(b-c.B) > 1e-5*c.B {
			t.Errorf("spread %v min_dist %v: a, b = %.7f, %.7f; umap-learn %.7f, %.7f", c.Spread, c.MinDist, a, b, c.A, c.B)
		}
	}
}

func TestUMAPSeparatesClusters(t *testing.T) {
	n, epochs := 1000, 0
	if testing.Short() {
		n, epochs = 300, 200
	}
	x, labels := gaussianClusters(n, 32, 8, 12, 1)
	for _, tc := range []struct {
		name string
		o    UMAPOptions
	}{
		{"spectral", UMAPOptions{Seed: 1, Epochs: epochs}},
		{"pca", UMAPOptions{Seed: 2, Init: InitPCA, Epochs: epochs}},
		{"random", UMAPOptions{Seed: 3, Init: InitRandom, Epochs: epochs}},
		{"cosine", UMAPOptions{Seed: 4, Metric: Cosine, Epochs: epochs}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y, err := UMAP(x, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			tw := MustTrustworthiness(x, y, 10)
			agree := nnAgreement(y, labels)
			t.Logf("trustworthiness %.4f, nearest-neighbour class agreement %.4f", tw, agree)
			if tw < 0.9 {
				t.Errorf("trustworthiness %.4f < 0.9", tw)
			}
			if agree < 0.95 {
				t.Errorf("nearest-neighbour class agreement %.4f < 0.95", agree)
			}
		})
	}
}

func TestUMAPDeterministic(t *testing.T) {
	x, _ := gaussianClusters(200, 16, 4, 8, 2)
	o := UMAPOptions{Seed: 9, Epochs: 100}
	a := MustUMAP(x, o)
	prev := runtime.GOMAXPROCS(1)
	b := MustUMAP(x, o)
	runtime.GOMAXPROCS(prev)
	sameLayout(t, a, b)
	c := MustUMAP(x, UMAPOptions{Seed: 10, Epochs: 100})
	if c[0][0] == a[0][0] {
		t.Error("a different seed gave the same layout")
	}
}

func TestUMAPBadInput(t *testing.T) {
	x, _ := gaussianClusters(30, 4, 2, 5, 3)
	nan := [][]float32{{1, 2}, {3, float32(math.NaN())}}
	ragged := [][]float32{{1, 2}, {3}}
	zero := make([][]float32, 30)
	for i := range zero {
		zero[i] = []float32{float32(i % 3), 1}
	}
	zero[5] = []float32{0, 0}
	for _, tc := range []struct {
		name string
		x    [][]float32
		o    UMAPOptions
		want string
	}{
		{"empty", nil, UMAPOptions{}, "no points"},
		{"nan", nan, UMAPOptions{}, "point 1 value 1 is NaN"},
		{"ragged", ragged, UMAPOptions{}, "point 1 has 1 values"},
		{"too few points", x[:10], UMAPOptions{}, "needs more than 15 points, got 10"},
		{"one neighbour", x, UMAPOptions{Neighbors: 1}, "1 neighbours"},
		{"min dist", x, UMAPOptions{MinDist: 2}, "min_dist 2"},
		{"metric", x, UMAPOptions{Metric: 7}, "unknown metric"},
		{"cosine zero", zero, UMAPOptions{Metric: Cosine}, "point 5 is all zeros"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := UMAP(tc.x, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
