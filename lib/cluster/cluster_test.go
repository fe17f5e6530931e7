package cluster

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// reference holds the values saved by testdata/make_reference.py (sklearn
// 1.2.1, scipy, numpy).
type reference struct {
	ARI []struct {
		Name        string
		Truth, Pred []int
		ARI         float64
	}
	Silhouette struct {
		X     [][]float32
		Cases []struct {
			Name    string
			Labels  []int
			Score   float64
			Samples []float64
		}
	}
	KMeans []struct {
		Name       string
		X          [][]float32
		Truth      []int
		K          int
		Init       [][]float32
		Inertia    float64
		Labels     []int
		Centers    [][]float64
		Iterations int
	}
	HDBSCAN []struct {
		Name       string
		X          [][]float32
		MinSamples int `json:"min_samples"`
		Core       []float64
		MSTWeight  float64 `json:"mst_weight"`
	}
}

func loadReference(t *testing.T) *reference {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("testdata/reference.json: %v", err)
	}
	return &r
}

func TestAdjustedRandIndexMatchesSklearn(t *testing.T) {
	for _, c := range loadReference(t).ARI {
		got, err := AdjustedRandIndex(c.Truth, c.Pred)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if math.Abs(got-c.ARI) > 1e-12 {
			t.Errorf("%s: ARI = %.15f, sklearn %.15f", c.Name, got, c.ARI)
		}
	}
	if _, err := AdjustedRandIndex([]int{1, 2}, []int{1}); err == nil || !strings.Contains(err.Error(), "2 true labels but 1 predicted") {
		t.Errorf("length mismatch: error %v", err)
	}
}

func TestSilhouetteMatchesSklearn(t *testing.T) {
	ref := loadReference(t).Silhouette
	for _, c := range ref.Cases {
		for _, workers := range []int{1, 3} {
			got, err := Silhouette(ref.X, c.Labels, SilhouetteOptions{Workers: workers})
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			if math.Abs(got-c.Score) > 1e-6 {
				t.Errorf("%s: silhouette %.8f, sklearn %.8f", c.Name, got, c.Score)
			}
			samples, err := SilhouetteSamples(ref.X, c.Labels, workers)
			if err != nil {
				t.Fatal(err)
			}
			for i := range samples {
				if math.Abs(samples[i]-c.Samples[i]) > 1e-6 {
					t.Errorf("%s: point %d silhouette %.8f, sklearn %.8f", c.Name, i, samples[i], c.Samples[i])
				}
			}
		}
	}
	// Sampling all points is the full score; a subset is close on clear blobs.
	full := ref.Cases[0]
	if got, _ := Silhouette(ref.X, full.Labels, SilhouetteOptions{SampleSize: len(ref.X)}); math.Abs(got-full.Score) > 1e-6 {
		t.Errorf("SampleSize = n: %v, want %v", got, full.Score)
	}
	if got, _ := Silhouette(ref.X, full.Labels, SilhouetteOptions{SampleSize: 60, Seed: 1}); math.Abs(got-full.Score) > 0.05 {
		t.Errorf("SampleSize = 60: %v, full %v", got, full.Score)
	}
}

func TestSilhouetteBadLabels(t *testing.T) {
	x := [][]float32{{0}, {1}, {2}}
	cases := []struct {
		labels []int
		want   string
	}{
		{[]int{0, 0, 0}, "1 distinct labels for 3 points: need between 2 and 2"},
		{[]int{0, 1, 2}, "3 distinct labels for 3 points"},
		{[]int{0, 1}, "3 points but 2 labels"},
	}
	for _, c := range cases {
		if _, err := Silhouette(x, c.labels, SilhouetteOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("labels %v: error %v, want %q", c.labels, err, c.want)
		}
	}
}

func TestPurity(t *testing.T) {
	// Cluster 0 holds classes a,a,b (2 right), cluster 1 holds b,b (2),
	// cluster 7 holds c (1): 5 of 6.
	got, err := Purity([]int{0, 0, 0, 1, 1, 7}, []int{0, 0, 1, 1, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-5.0/6) > 1e-15 {
		t.Errorf("Purity = %v, want 5/6", got)
	}
	if got, _ := Purity([]int{0, 1, 2, 3}, []int{0, 0, 1, 1}); got != 1 {
		t.Errorf("singletons: Purity = %v, want 1", got)
	}
	if _, err := Purity(nil, nil); err == nil {
		t.Error("no labels: no error")
	}
}

func TestKMeansMatchesSklearnFromSameInit(t *testing.T) {
	for _, c := range loadReference(t).KMeans {
		for _, workers := range []int{1, 2} {
			res, err := KMeans(c.X, KMeansOptions{K: c.K, Init: c.Init, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if rel := math.Abs(res.Inertia-c.Inertia) / c.Inertia; rel > 1e-5 {
				t.Errorf("%s: inertia %.6f, sklearn %.6f", c.Name, res.Inertia, c.Inertia)
			}
			if !slices.Equal(res.Labels, c.Labels) {
				t.Errorf("%s: labels differ from sklearn's", c.Name)
			}
			if res.Iterations != c.Iterations {
				t.Errorf("%s: %d iterations, sklearn %d", c.Name, res.Iterations, c.Iterations)
			}
			for k := range c.Centers {
				for j := range c.Centers[k] {
					if math.Abs(float64(res.Centroids[k][j])-c.Centers[k][j]) > 1e-4 {
						t.Fatalf("%s: centroid %d[%d] = %v, sklearn %v", c.Name, k, j, res.Centroids[k][j], c.Centers[k][j])
					}
				}
			}
		}
	}
}

// TestKMeansRecoversSeparatedBlobs: from k-means++ seeding with a few
// restarts, well separated blobs come back exactly (ARI = 1).
func TestKMeansRecoversSeparatedBlobs(t *testing.T) {
	c := loadReference(t).KMeans[0]
	res, err := KMeans(c.X, KMeansOptions{K: c.K, Seed: 3, Restarts: 4})
	if err != nil {
		t.Fatal(err)
	}
	ari, _ := AdjustedRandIndex(c.Truth, res.Labels)
	if ari != 1 {
		t.Errorf("ARI = %v, want 1", ari)
	}
}

func blobs(n, dim, k int, spread float64, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 2))
	centers := make([][]float64, k)
	for c := range centers {
		centers[c] = make([]float64, dim)
		for j := range centers[c] {
			centers[c][j] = 20 * rng.Float64()
		}
	}
	x := make([][]float32, n)
	truth := make([]int, n)
	for i := range x {
		truth[i] = i % k
		x[i] = make([]float32, dim)
		for j := range x[i] {
			x[i][j] = float32(centers[truth[i]][j] + spread*rng.NormFloat64())
		}
	}
	return x, truth
}

// TestKMeansDeterministic: the same seed gives the same result with any
// number of workers (chunk sums are reduced in a fixed order).
func TestKMeansDeterministic(t *testing.T) {
	x, _ := blobs(5000, 8, 12, 3, 9)
	a := MustKMeans(x, KMeansOptions{K: 12, Seed: 4, Workers: 1, Restarts: 2})
	b := MustKMeans(x, KMeansOptions{K: 12, Seed: 4, Workers: 3, Restarts: 2})
	if a.Inertia != b.Inertia || !slices.Equal(a.Labels, b.Labels) || a.Iterations != b.Iterations {
		t.Errorf("workers 1 and 3 differ: inertia %v vs %v", a.Inertia, b.Inertia)
	}
	// The inertia is the sum of squared distances to the centroids.
	var inertia float64
	for i, p := range x {
		for j, v := range p {
			d := float64(v) - float64(a.Centroids[a.Labels[i]][j])
			inertia += d * d
		}
	}
	if math.Abs(inertia-a.Inertia)/inertia > 1e-5 {
		t.Errorf("Inertia %v, recomputed %v", a.Inertia, inertia)
	}
}

func TestKMeansEdgeCases(t *testing.T) {
	x := [][]float32{{0, 0}, {0, 1}, {10, 10}, {10, 11}}
	one := MustKMeans(x, KMeansOptions{K: 1})
	if !slices.Equal(one.Labels, []int{0, 0, 0, 0}) || one.Centroids[0][0] != 5 || one.Centroids[0][1] != 5.5 {
		t.Errorf("K = 1: %+v", one)
	}
	// Inertia of one cluster: Σ |p − (5, 5.5)|² = 4·25 + 2·5.5² + 2·4.5² = 201.
	if math.Abs(one.Inertia-201) > 1e-9 {
		t.Errorf("K = 1: inertia %v, want 201", one.Inertia)
	}
	all := MustKMeans(x, KMeansOptions{K: 4, Seed: 1})
	if all.Inertia != 0 {
		t.Errorf("K = n: inertia %v, want 0", all.Inertia)
	}
	// Duplicate points: 3 distinct values, K = 3 still finds them.
	dup := [][]float32{{1}, {1}, {1}, {5}, {9}, {9}}
	d := MustKMeans(dup, KMeansOptions{K: 3, Seed: 2})
	if d.Inertia != 0 {
		t.Errorf("duplicates: inertia %v, want 0", d.Inertia)
	}
	bad := []struct {
		x    [][]float32
		o    KMeansOptions
		want string
	}{
		{x, KMeansOptions{K: 5}, "K = 5: must be in [1, 4]"},
		{x, KMeansOptions{K: 0}, "K = 0"},
		{nil, KMeansOptions{K: 1}, "no points"},
		{[][]float32{{1, 2}, {1}}, KMeansOptions{K: 1}, "point 1 has dimension 1, point 0 has 2"},
		{[][]float32{{1, float32(math.Inf(1))}}, KMeansOptions{K: 1}, "point 0: element 1 is +Inf"},
		{x, KMeansOptions{K: 2, Init: [][]float32{{0, 0}}}, "Init holds 1 centroids, K = 2"},
		{x, KMeansOptions{K: 1, Init: [][]float32{{0}}}, "Init centroids have dimension 1, the points 2"},
		{x, KMeansOptions{K: 1, Init: [][]float32{{0, 0}}, Restarts: 3}, "Restarts must be 1"},
	}
	for _, c := range bad {
		if _, err := KMeans(c.x, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.o, err, c.want)
		}
	}
}

func TestChooseK(t *testing.T) {
	x, _ := blobs(400, 2, 4, 0.5, 5)
	choices, err := ChooseK(x, []int{1, 2, 3, 4, 5, 6}, KMeansOptions{Seed: 1, Restarts: 3}, SilhouetteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(choices[0].Silhouette) {
		t.Errorf("K = 1: silhouette %v, want NaN", choices[0].Silhouette)
	}
	for i := 1; i < len(choices); i++ {
		if choices[i].Inertia > choices[i-1].Inertia {
			t.Errorf("inertia rises from K = %d to %d", choices[i-1].K, choices[i].K)
		}
	}
	if k := BestSilhouette(choices); k != 4 {
		t.Errorf("best silhouette at K = %d, want 4 (the blobs)", k)
	}
}

func TestHDBSCANCoreDistancesAndTreeMatchScipy(t *testing.T) {
	for _, c := range loadReference(t).HDBSCAN {
		flat, n, dim, err := flatten(c.X)
		if err != nil {
			t.Fatal(err)
		}
		g := &densityGraph{x: flat, n: n, dim: dim, workers: 2}
		g.core = g.coreDistances(c.MinSamples)
		for i := range g.core {
			if math.Abs(g.core[i]-c.Core[i]) > 1e-5 {
				t.Fatalf("%s: core distance %d = %v, sklearn %v", c.Name, i, g.core[i], c.Core[i])
			}
		}
		var w float64
		for _, e := range g.spanningTree() {
			w += e.w
		}
		if math.Abs(w-c.MSTWeight) > 1e-4 {
			t.Errorf("%s: spanning tree weight %v, scipy %v", c.Name, w, c.MSTWeight)
		}
	}
}

// TestHDBSCANHandChecked: on a line, {0,1,2,3} and {20,21,22,23} are dense,
// 50 is far from both. With MinSamples 2 every core distance is 1 except 50's
// (27); with MinClusterSize 3 the root (λ from 1/27) splits at distance 17
// into the two groups (λ = 1/17), which then dissolve at distance 1 (λ = 1):
// stability of each is 4·(1 − 1/17) = 64/17, more than the root's children
// could lose, so both are kept and 50 is noise.
func TestHDBSCANHandChecked(t *testing.T) {
	x := [][]float32{{0}, {1}, {2}, {3}, {20}, {21}, {22}, {23}, {50}}
	res, err := HDBSCAN(x, HDBSCANOptions{MinClusterSize: 3, MinSamples: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 0, 0, 0, 1, 1, 1, 1, Noise}
	if !slices.Equal(res.Labels, want) {
		t.Errorf("labels %v, want %v", res.Labels, want)
	}
	for c, s := range res.Stability {
		if math.Abs(s-64.0/17) > 1e-12 {
			t.Errorf("cluster %d stability %v, want 64/17", c, s)
		}
	}
	wantCore := []float64{1, 1, 1, 1, 1, 1, 1, 1, 27}
	for i, d := range res.CoreDistances {
		if d != wantCore[i] {
			t.Errorf("core distance %d = %v, want %v", i, d, wantCore[i])
		}
	}
}

// TestHDBSCANBlobsAndNoise: three dense blobs over sparse uniform noise come
// back as three clusters matching the blobs, and most noise points are Noise
// (a few uniform points land inside or next to a blob and join it).
func TestHDBSCANBlobsAndNoise(t *testing.T) {
	x, truth := blobs(300, 2, 3, 0.4, 21)
	rng := rand.New(rand.NewPCG(22, 0))
	for range 30 {
		x = append(x, []float32{float32(-20 + 60*rng.Float64()), float32(-20 + 60*rng.Float64())})
		truth = append(truth, Noise)
	}
	a := MustHDBSCAN(x, HDBSCANOptions{MinClusterSize: 10, Workers: 1})
	b := MustHDBSCAN(x, HDBSCANOptions{MinClusterSize: 10, Workers: 3})
	if !slices.Equal(a.Labels, b.Labels) {
		t.Error("workers 1 and 3 give different labels")
	}
	if a.NumClusters != 3 {
		t.Fatalf("%d clusters, want 3", a.NumClusters)
	}
	var blobTruth, blobPred []int
	noiseCalled := 0
	for i := range x {
		if truth[i] == Noise {
			if a.Labels[i] == Noise {
				noiseCalled++
			}
			continue
		}
		blobTruth = append(blobTruth, truth[i])
		blobPred = append(blobPred, a.Labels[i])
	}
	ari, _ := AdjustedRandIndex(blobTruth, blobPred)
	if ari < 0.95 {
		t.Errorf("ARI on blob points = %v, want ≥ 0.95", ari)
	}
	if noiseCalled < 20 {
		t.Errorf("%d of 30 noise points called Noise, want ≥ 20", noiseCalled)
	}
}

func TestHDBSCANBadInput(t *testing.T) {
	x := [][]float32{{0}, {1}, {2}}
	if _, err := HDBSCAN(x, HDBSCANOptions{MinClusterSize: 1}); err == nil || !strings.Contains(err.Error(), "MinClusterSize = 1") {
		t.Errorf("MinClusterSize 1: error %v", err)
	}
	if _, err := HDBSCAN(x, HDBSCANOptions{MinClusterSize: 2, MinSamples: 4}); err == nil || !strings.Contains(err.Error(), "MinSamples = 4: must be in [1, 3]") {
		t.Errorf("MinSamples 4: error %v", err)
	}
	// One point, or too few for a cluster: all noise, no error.
	res, err := HDBSCAN([][]float32{{1}}, HDBSCANOptions{MinClusterSize: 2, MinSamples: 1})
	if err != nil || res.NumClusters != 0 || res.Labels[0] != Noise {
		t.Errorf("one point: %+v, %v", res, err)
	}
}
