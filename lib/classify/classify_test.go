package classify

import (
	"cmp"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/gomlx/gomlx/backends"
)

// reference holds what testdata/make_reference.py saved from scikit-learn.
type reference struct {
	XTrain  [][]float32 `json:"x_train"`
	YTrain  []int       `json:"y_train"`
	XTest   [][]float32 `json:"x_test"`
	YTest   []int       `json:"y_test"`
	MXTrain [][]float32 `json:"mx_train"`
	MYTrain [][]int     `json:"my_train"`
	MXTest  [][]float32 `json:"mx_test"`
	MYTest  [][]int     `json:"my_test"`

	LogisticC1         [][]float64 `json:"logistic_c1_proba"`
	LogisticC01        [][]float64 `json:"logistic_c01_proba"`
	LogisticBinary     [][]float64 `json:"logistic_binary_proba"`
	BinaryTestRows     []int       `json:"binary_test_rows"`
	LogisticMultilabel [][]float64 `json:"logistic_multilabel_proba"`

	KNN5Uniform    [][]float64 `json:"knn5_uniform_euclidean_proba"`
	KNN7Distance   [][]float64 `json:"knn7_distance_euclidean_proba"`
	KNN5Cosine     [][]float64 `json:"knn5_uniform_cosine_proba"`
	KNN5Multilabel [][]float64 `json:"knn5_multilabel_proba"` // [class][row]

	TreeAccuracy               float64     `json:"tree_accuracy"`
	TreeDepth3Accuracy         float64     `json:"tree_depth3_accuracy"`
	ForestAccuracy             float64     `json:"forest_accuracy"`
	SVMLinearAccuracy          float64     `json:"svm_linear_accuracy"`
	SVMRBFAccuracy             float64     `json:"svm_rbf_accuracy"`
	SVMOvRLinearAccuracy       float64     `json:"svm_ovr_linear_accuracy"`
	SVMOvRRBFAccuracy          float64     `json:"svm_ovr_rbf_accuracy"`
	SVMOvRLinearDecision       [][]float64 `json:"svm_ovr_linear_decision"`
	SVMOvRRBFDecision          [][]float64 `json:"svm_ovr_rbf_decision"`
	MLPAccuracy                float64     `json:"mlp_accuracy"`
	MLPMultilabelAccuracy      float64     `json:"mlp_multilabel_accuracy"`
	LogisticMultilabelAccuracy float64     `json:"logistic_multilabel_accuracy"`
}

func loadReference(t *testing.T) *reference {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

// oneIf is 1 when b holds, else 0: a class of a multi-hot label row.
func oneIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

func subset(x [][]float32, rows []int) [][]float32 {
	out := make([][]float32, len(rows))
	for i, r := range rows {
		out[i] = x[r]
	}
	return out
}

// maxAbsDiff returns the largest |got - want| over all entries.
func maxAbsDiff(t *testing.T, got [][]float32, want [][]float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: %d classes, want %d", i, len(got[i]), len(want[i]))
		}
		for c := range got[i] {
			worst = math.Max(worst, math.Abs(float64(got[i][c])-want[i][c]))
		}
	}
	return worst
}

func transpose(v [][]float64) [][]float64 {
	out := make([][]float64, len(v[0]))
	for i := range out {
		out[i] = make([]float64, len(v))
		for c := range v {
			out[i][c] = v[c][i]
		}
	}
	return out
}

func TestLogisticRegressionMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	var binTrainRows []int
	for i, c := range ref.YTrain {
		if c < 2 {
			binTrainRows = append(binTrainRows, i)
		}
	}
	binY := make([]int, len(binTrainRows))
	for i, r := range binTrainRows {
		binY[i] = ref.YTrain[r]
	}
	tight := LogisticOptions{MaxIter: 10000, Tol: 1e-9}
	withC := func(c float64) LogisticOptions { o := tight; o.C = c; return o }
	for _, tc := range []struct {
		name        string
		opts        LogisticOptions
		x           [][]float32
		y           dataset.Labels
		test        [][]float32
		want        [][]float64
		wantWeights int
	}{
		{"softmax C=1", withC(1), ref.XTrain, dataset.SingleLabel(ref.YTrain, 3), ref.XTest, ref.LogisticC1, (8 + 1) * 3},
		{"softmax C=0.1", withC(0.1), ref.XTrain, dataset.SingleLabel(ref.YTrain, 3), ref.XTest, ref.LogisticC01, (8 + 1) * 3},
		{"binary", withC(1), subset(ref.XTrain, binTrainRows), dataset.SingleLabel(binY, 2), subset(ref.XTest, ref.BinaryTestRows), ref.LogisticBinary, 8 + 1},
		{"multi-label", withC(1), ref.MXTrain, dataset.MultiLabel(ref.MYTrain), ref.MXTest, ref.LogisticMultilabel, (8 + 1) * 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lr := NewLogisticRegression(tc.opts)
			if err := lr.Fit(tc.x, tc.y); err != nil {
				t.Fatal(err)
			}
			p, err := lr.PredictProba(tc.test)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(t, p, tc.want); d > 2e-4 {
				t.Errorf("probabilities differ from scikit-learn's by up to %.2g (after %d iterations, converged %v)", d, lr.Iterations(), lr.Converged())
			}
			if got := lr.NumWeights(); got != tc.wantWeights {
				t.Errorf("NumWeights = %d, want %d", got, tc.wantWeights)
			}
		})
	}
}

func TestKNNMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	y := dataset.SingleLabel(ref.YTrain, 3)
	for _, tc := range []struct {
		name string
		opts KNNOptions
		x    [][]float32
		y    dataset.Labels
		test [][]float32
		want [][]float64
	}{
		{"k=5 uniform euclidean", KNNOptions{K: 5}, ref.XTrain, y, ref.XTest, ref.KNN5Uniform},
		{"k=7 distance euclidean", KNNOptions{K: 7, DistanceWeighted: true}, ref.XTrain, y, ref.XTest, ref.KNN7Distance},
		{"k=5 uniform cosine", KNNOptions{K: 5, Metric: Cosine}, ref.XTrain, y, ref.XTest, ref.KNN5Cosine},
		{"k=5 multi-label", KNNOptions{K: 5}, ref.MXTrain, dataset.MultiLabel(ref.MYTrain), ref.MXTest, transpose(ref.KNN5Multilabel)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			knn := NewKNN(tc.opts)
			if err := knn.Fit(tc.x, tc.y); err != nil {
				t.Fatal(err)
			}
			p, err := knn.PredictProba(tc.test)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(t, p, tc.want); d > 1e-6 {
				t.Errorf("probabilities differ from scikit-learn's by up to %.2g", d)
			}
			if got, want := knn.NumWeights(), len(tc.x)*8; got != want {
				t.Errorf("NumWeights = %d, want %d", got, want)
			}
		})
	}
}

// TestSVMDecisionMatchesScikitLearn compares the one-vs-rest decision values
// with scikit-learn's OneVsRestClassifier(SVC) (LIBSVM): both stop SMO at the
// same tolerance 1e-3, so values agree to about that.
func TestSVMDecisionMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	for _, tc := range []struct {
		kernel Kernel
		want   [][]float64
	}{{Linear, ref.SVMOvRLinearDecision}, {RBF, ref.SVMOvRRBFDecision}} {
		t.Run(tc.kernel.String(), func(t *testing.T) {
			svm := NewSVM(SVMOptions{Kernel: tc.kernel})
			if err := svm.Fit(ref.XTrain, dataset.SingleLabel(ref.YTrain, 3)); err != nil {
				t.Fatal(err)
			}
			dec, err := svm.Decision(ref.XTest)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := range dec {
				for c := range dec[i] {
					worst = math.Max(worst, math.Abs(dec[i][c]-tc.want[i][c]))
				}
			}
			if worst > 0.02 {
				t.Errorf("decision values differ from scikit-learn's by up to %.3g", worst)
			}
		})
	}
}

// TestAccuracyNearScikitLearn checks the classifiers whose fits differ from
// scikit-learn's in details (tie breaks, random draws, one-vs-rest instead of
// one-vs-one, stochastic training) reach its test accuracy within a few points.
func TestAccuracyNearScikitLearn(t *testing.T) {
	ref := loadReference(t)
	single := dataset.SingleLabel(ref.YTrain, 3)
	multi := dataset.MultiLabel(ref.MYTrain)
	for _, tc := range []struct {
		name  string
		model Classifier
		multi bool
		want  float64
		slack float64
		slow  bool
	}{
		{"tree", NewDecisionTree(TreeOptions{}), false, ref.TreeAccuracy, 0.06, false},
		{"tree depth 3", NewDecisionTree(TreeOptions{MaxDepth: 3}), false, ref.TreeDepth3Accuracy, 0.06, false},
		{"forest", NewRandomForest(ForestOptions{Seed: 1}), false, ref.ForestAccuracy, 0.05, false},
		// scikit-learn's SVC is one-vs-one; ours is one-vs-rest, as its OneVsRestClassifier(SVC).
		{"svm linear", NewSVM(SVMOptions{Kernel: Linear}), false, ref.SVMOvRLinearAccuracy, 0.02, false},
		{"svm rbf", NewSVM(SVMOptions{Kernel: RBF}), false, ref.SVMOvRRBFAccuracy, 0.02, false},
		{"svm rbf vs one-vs-one", NewSVM(SVMOptions{Kernel: RBF}), false, ref.SVMRBFAccuracy, 0.04, false},
		{"logistic multi-label", NewLogisticRegression(LogisticOptions{MaxIter: 10000, Tol: 1e-9}), true, ref.LogisticMultilabelAccuracy, 0.001, false},
		{"mlp", NewMLP(MLPOptions{Hidden: []int{32}, Steps: 500, Seed: 1}), false, ref.MLPAccuracy, 0.05, true},
		{"mlp multi-label", NewMLP(MLPOptions{Hidden: []int{32}, Steps: 500, Seed: 1}), true, ref.MLPMultilabelAccuracy, 0.07, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("GoMLX training is slow under -short")
			}
			x, y, test, truth := ref.XTrain, single, ref.XTest, dataset.SingleLabel(ref.YTest, 3)
			if tc.multi {
				x, y, test, truth = ref.MXTrain, multi, ref.MXTest, dataset.MultiLabel(ref.MYTest)
			}
			if err := tc.model.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			pred, err := tc.model.Predict(test)
			if err != nil {
				t.Fatal(err)
			}
			acc, err := Accuracy(truth, pred)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: accuracy %.3f, scikit-learn %.3f, %d weights", tc.model.Name(), acc, tc.want, tc.model.NumWeights())
			if acc < tc.want-tc.slack {
				t.Errorf("accuracy %.3f, scikit-learn's %.3f (allowed %.2f below)", acc, tc.want, tc.slack)
			}
		})
	}
}

// TestDecisionTreeByHand checks splits computed by hand with the Gini impurity.
func TestDecisionTreeByHand(t *testing.T) {
	x := [][]float32{{1}, {2}, {3}, {4}, {5}, {6}}
	y := dataset.SingleLabel([]int{0, 1, 0, 1, 1, 1}, 2)
	// Weighted Gini of each split after i rows: i=1 0.267, i=2 0.417,
	// i=3 (3·4/9)/6 = 0.222, i=4 0.333, i=5 0.4: the best cut is between 3 and 4,
	// leaving leaves with fractions [2/3 1/3] and [0 1].
	for _, tc := range []struct {
		name        string
		opts        TreeOptions
		query       [][]float32
		want        [][]float32
		wantWeights int
	}{
		{"depth 1", TreeOptions{MaxDepth: 1}, [][]float32{{3.4}, {3.6}}, [][]float32{{2.0 / 3, 1.0 / 3}, {0, 1}}, 2 + 2 + 2},
		{"min leaf 4 forbids any split", TreeOptions{MinSamplesLeaf: 4}, [][]float32{{0}, {9}}, [][]float32{{1.0 / 3, 2.0 / 3}, {1.0 / 3, 2.0 / 3}}, 2},
		// Unbounded: left {1,2,3} splits again at 1.5 ({0} | {1,0}), then {2,3} at 2.5.
		{"unbounded", TreeOptions{}, [][]float32{{1}, {2}, {3}, {4}}, [][]float32{{1, 0}, {0, 1}, {1, 0}, {0, 1}}, 3*2 + 4*2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree := NewDecisionTree(tc.opts)
			if err := tree.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			p, err := tree.PredictProba(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			for i := range p {
				for c := range p[i] {
					if math.Abs(float64(p[i][c]-tc.want[i][c])) > 1e-6 {
						t.Errorf("query %v: probabilities %v, want %v", tc.query[i], p[i], tc.want[i])
						break
					}
				}
			}
			if got := tree.NumWeights(); got != tc.wantWeights {
				t.Errorf("NumWeights = %d, want %d", got, tc.wantWeights)
			}
		})
	}
}

// gaussianBlobs draws n rows of d features around one of k seeded centres.
func gaussianBlobs(n, d, k int, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = 3 * rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	y := make([]int, n)
	for i := range x {
		y[i] = i % k
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(centres[y[i]][j] + rng.NormFloat64())
		}
	}
	return x, y
}

// TestMLPEarlyStoppingAndDeterminism runs for both trainers: the plain-Go
// one (the default) and the GoMLX graph (MLPOptions.Backend).
func TestMLPEarlyStoppingAndDeterminism(t *testing.T) {
	engine, err := backend.NewSmallGraphs()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		engine backends.Backend
	}{{"go", nil}, {"graph", engine}} {
		t.Run(tc.name, func(t *testing.T) { testMLPEarlyStoppingAndDeterminism(t, tc.engine) })
	}
}

func testMLPEarlyStoppingAndDeterminism(t *testing.T, engine backends.Backend) {
	x, y := gaussianBlobs(200, 6, 4, 5)
	steps := 300
	if testing.Short() {
		steps = 20
	}
	fit := func() *MLP {
		mlp := NewMLP(MLPOptions{Hidden: []int{16, 8}, Steps: steps, BatchSize: 32, LearningRate: 0.01, Dropout: 0.1,
			ValidationFraction: 0.2, Patience: 3, EvalEvery: 5, Seed: 7, Backend: engine})
		if err := mlp.Fit(x, dataset.SingleLabel(y, 4)); err != nil {
			t.Fatal(err)
		}
		return mlp
	}
	a, b := fit(), fit()
	pa, err := a.PredictProba(x)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := b.PredictProba(x)
	for i := range pa {
		for c := range pa[i] {
			if pa[i][c] != pb[i][c] {
				t.Fatalf("two fits with the same seed differ at row %d: %v vs %v", i, pa[i], pb[i])
			}
		}
	}
	h := a.History()
	if len(h) == 0 {
		t.Fatal("no history")
	}
	for _, r := range h {
		if math.IsNaN(r.ValLoss) || math.IsNaN(r.ValAccuracy) || math.IsNaN(r.TrainLoss) || math.IsNaN(r.TrainAccuracy) {
			t.Fatalf("history record %+v has NaN", r)
		}
	}
	// Well-separated blobs: the hold-out loss must fall from its first value.
	if !testing.Short() {
		if last, first := h[len(h)-1].ValLoss, h[0].ValLoss; !(last < first) {
			t.Errorf("validation loss went from %.3f to %.3f", first, last)
		}
		if a.Steps() >= steps {
			t.Logf("early stopping did not trigger within %d steps", steps)
		}
		if acc := h[len(h)-1].ValAccuracy; acc < 0.9 {
			t.Errorf("validation accuracy %.3f on separable blobs", acc)
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	x, y := gaussianBlobs(60, 5, 3, 9)
	hot := make([][]int, len(y))
	for i := range hot {
		hot[i] = []int{oneIf(y[i] == 0), oneIf(y[i] != 1), oneIf(y[i] == 2)}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		model Classifier
		y     dataset.Labels
	}{
		{"logistic", NewLogisticRegression(LogisticOptions{}), dataset.SingleLabel(y, 3)},
		{"logistic multi", NewLogisticRegression(LogisticOptions{C: 0.5}), dataset.MultiLabel(hot)},
		{"mlp", NewMLP(MLPOptions{Hidden: []int{8}, Steps: 5}), dataset.SingleLabel(y, 3)},
		{"mlp multi", NewMLP(MLPOptions{Hidden: []int{8}, Steps: 5}), dataset.MultiLabel(hot)},
		{"tree", NewDecisionTree(TreeOptions{MaxDepth: 3}), dataset.SingleLabel(y, 3)},
		{"forest multi", NewRandomForest(ForestOptions{Trees: 5}), dataset.MultiLabel(hot)},
		{"svm rbf", NewSVM(SVMOptions{Kernel: RBF}), dataset.SingleLabel(y, 3)},
		{"svm linear multi", NewSVM(SVMOptions{}), dataset.MultiLabel(hot)},
		{"knn", NewKNN(KNNOptions{K: 3, DistanceWeighted: true, Metric: Cosine}), dataset.SingleLabel(y, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.model.Fit(x, tc.y); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tc.name+".model")
			if err := tc.model.Save(path); err != nil {
				t.Fatal(err)
			}
			loaded, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if loaded.Name() != tc.model.Name() || loaded.NumWeights() != tc.model.NumWeights() {
				t.Errorf("loaded %q with %d weights, saved %q with %d", loaded.Name(), loaded.NumWeights(), tc.model.Name(), tc.model.NumWeights())
			}
			want, _ := tc.model.PredictProba(x)
			got, err := loaded.PredictProba(x)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				for c := range want[i] {
					if got[i][c] != want[i][c] {
						t.Fatalf("row %d: loaded model gives %v, saved one %v", i, got[i], want[i])
					}
				}
			}
			pred, _ := loaded.Predict(x)
			if pred.IsMulti() != tc.y.IsMulti() || pred.NumClasses != 3 {
				t.Errorf("Predict gives multi=%v with %d classes", pred.IsMulti(), pred.NumClasses)
			}
		})
	}
	bad := filepath.Join(dir, "not-a-model")
	if err := os.WriteFile(bad, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); !errors.Is(err, ErrInput) {
		t.Errorf("Load of a text file: %v, want ErrInput", err)
	}
}

func TestBadInput(t *testing.T) {
	good := [][]float32{{1, 2}, {3, 4}, {5, 6}, {7, 9}}
	labels := dataset.SingleLabel([]int{0, 1, 0, 1}, 2)
	nan := [][]float32{{1, 2}, {3, float32(math.NaN())}, {5, 6}, {7, 9}}
	ragged := [][]float32{{1, 2}, {3}, {5, 6}, {7, 9}}
	makers := map[string]func() Classifier{
		"logistic": func() Classifier { return NewLogisticRegression(LogisticOptions{}) },
		"mlp":      func() Classifier { return NewMLP(MLPOptions{Hidden: []int{4}, Steps: 2}) },
		"tree":     func() Classifier { return NewDecisionTree(TreeOptions{}) },
		"forest":   func() Classifier { return NewRandomForest(ForestOptions{Trees: 3}) },
		"svm":      func() Classifier { return NewSVM(SVMOptions{Kernel: RBF}) },
		"knn":      func() Classifier { return NewKNN(KNNOptions{K: 1}) },
	}
	for name, mk := range makers {
		t.Run(name, func(t *testing.T) {
			for _, fc := range []struct {
				what string
				x    [][]float32
				y    dataset.Labels
			}{
				{"NaN", nan, labels},
				{"ragged rows", ragged, labels},
				{"no rows", nil, dataset.SingleLabel(nil, 2)},
				{"one class only", good, dataset.SingleLabel([]int{1, 1, 1, 1}, 2)},
				{"class out of range", good, dataset.SingleLabel([]int{0, 1, 2, 1}, 2)},
				{"too few labels", good, dataset.SingleLabel([]int{0, 1, 0}, 2)},
				{"ragged multi-hot", good, dataset.MultiLabel([][]int{{1, 0}, {1}, {0, 1}, {1, 1}})},
				{"multi-hot value not 0/1", good, dataset.MultiLabel([][]int{{1, 0}, {2, 0}, {0, 1}, {1, 1}})},
			} {
				if err := mk().Fit(fc.x, fc.y); !errors.Is(err, ErrInput) {
					t.Errorf("Fit with %s: %v, want ErrInput", fc.what, err)
				}
			}
			c := mk()
			if _, err := c.PredictProba(good); !errors.Is(err, ErrNotFitted) {
				t.Errorf("PredictProba before Fit: %v, want ErrNotFitted", err)
			}
			if err := c.Fit(good, labels); err != nil {
				t.Fatal(err)
			}
			if _, err := c.PredictProba([][]float32{{1, 2, 3}}); !errors.Is(err, ErrInput) {
				t.Errorf("PredictProba with 3 features on a 2-feature model: %v, want ErrInput", err)
			}
			if _, err := c.Predict([][]float32{{1, float32(math.Inf(1))}}); !errors.Is(err, ErrInput) {
				t.Errorf("Predict with +Inf: %v, want ErrInput", err)
			}
		})
	}
}

// TestAccuracy checks ExactMatches row by row (a missing and an extra class are both
// wrong, so a per-class Hamming score would not pass) and Accuracy as their fraction.
func TestAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name             string
		truth, predicted dataset.Labels
		matches          []bool
		want             float64
	}{
		{"single-label", dataset.SingleLabel([]int{0, 1, 2, 1}, 3), dataset.SingleLabel([]int{0, 1, 1, 1}, 3), []bool{true, true, false, true}, 0.75},
		// Exact match: row 0 right, row 1 misses a class, row 2 has an extra one.
		{"multi-label", dataset.MultiLabel([][]int{{1, 0, 0}, {1, 1, 0}, {0, 0, 1}}), dataset.MultiLabel([][]int{{1, 0, 0}, {1, 0, 0}, {0, 1, 1}}), []bool{true, false, false}, 1.0 / 3},
	} {
		matches, err := ExactMatches(tc.truth, tc.predicted)
		if err != nil || !slices.Equal(matches, tc.matches) {
			t.Errorf("%s: ExactMatches = %v, %v; want %v", tc.name, matches, err, tc.matches)
		}
		got, err := Accuracy(tc.truth, tc.predicted)
		if err != nil || got != tc.want {
			t.Errorf("%s: Accuracy = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := Accuracy(dataset.SingleLabel([]int{0}, 2), dataset.SingleLabel([]int{0, 1}, 2)); !errors.Is(err, ErrInput) {
		t.Errorf("Accuracy of 1 vs 2 labels: %v, want ErrInput", err)
	}
	if _, err := ExactMatches(dataset.SingleLabel(nil, 2), dataset.SingleLabel(nil, 2)); !errors.Is(err, ErrInput) {
		t.Errorf("ExactMatches of no labels: %v, want ErrInput", err)
	}
	if FractionTrue(nil) != 0 || FractionTrue([]bool{true, false, false, false}) != 0.25 {
		t.Errorf("FractionTrue: %v and %v, want 0 and 0.25", FractionTrue(nil), FractionTrue([]bool{true, false, false, false}))
	}
}

// TestMLPWeightDecayAndDropout checks the two regularizers act: a large L2
// penalty shrinks the weights, and dropout changes the training path.
func TestMLPWeightDecayAndDropout(t *testing.T) {
	x, y := gaussianBlobs(100, 4, 3, 11)
	steps := 200
	if testing.Short() {
		steps = 10
	}
	fit := func(decay, dropout float64) *MLP {
		mlp := NewMLP(MLPOptions{Hidden: []int{16}, Steps: steps, BatchSize: 20, LearningRate: 0.01,
			WeightDecay: decay, Dropout: dropout, Patience: -1, Seed: 3})
		if err := mlp.Fit(x, dataset.SingleLabel(y, 3)); err != nil {
			t.Fatal(err)
		}
		return mlp
	}
	norm := func(m *MLP) float64 {
		var s float64
		for _, w := range m.m.W {
			for _, v := range w {
				s += float64(v) * float64(v)
			}
		}
		return s
	}
	free, decayed := fit(-1, 0), fit(5, 0)
	if nf, nd := norm(free), norm(decayed); !(nd < 0.8*nf) {
		t.Errorf("‖W‖² = %.3f with α = 5, %.3f without: the penalty does not shrink the weights", nd, nf)
	}
	dropped := fit(-1, 0.5)
	pf, _ := free.PredictProba(x)
	pd, _ := dropped.PredictProba(x)
	same := true
	for i := range pf {
		for c := range pf[i] {
			if pf[i][c] != pd[i][c] {
				same = false
			}
		}
	}
	if same {
		t.Error("dropout 0.5 trained exactly the same model as no dropout")
	}
}

// TestStandardization checks the scaler by hand: mean and population standard
// deviation per feature, scale 1 for a constant feature.
func TestStandardization(t *testing.T) {
	x := [][]float32{{1, 5}, {3, 5}, {5, 5}}
	s := fitScaler(x)
	// Feature 0: mean 3, variance ((−2)² + 0 + 2²)/3 = 8/3.
	wantStd := math.Sqrt(8.0 / 3)
	if s.Mean[0] != 3 || math.Abs(s.Std[0]-wantStd) > 1e-12 || s.Mean[1] != 5 || s.Std[1] != 1 {
		t.Errorf("scaler %+v, want mean [3 5], std [%.6f 1]", s, wantStd)
	}
	z := s.transform(x)
	if math.Abs(z[0]+2/wantStd) > 1e-12 || z[1] != 0 {
		t.Errorf("standardized first row %v, want [%.6f 0]", z[:2], -2/wantStd)
	}
}

// TestKNNAgainstBruteForce checks KNN's two-step search (matrix-product
// candidates, exact re-ranking) against a brute-force one written here: every
// distance computed directly, sorted by distance then row. The data are built
// for ties: small integer features (many equal distances), test rows that
// copy training rows (distance 0, which takes all the weight when
// distance-weighted) and a zero row (cosine's special case).
func TestKNNAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	const n, m, d, k = 300, 150, 24, 4
	x := make([][]float32, n)
	y := make([]int, n)
	for i := range x {
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(rng.IntN(3))
		}
		y[i] = rng.IntN(k)
	}
	q := make([][]float32, m)
	for i := range q {
		if i%5 == 0 {
			q[i] = slices.Clone(x[rng.IntN(n)])
			continue
		}
		q[i] = make([]float32, d)
		for j := range q[i] {
			q[i][j] = float32(rng.IntN(3))
		}
	}
	for _, o := range []KNNOptions{{K: 1}, {K: 5}, {K: 7, DistanceWeighted: true}, {K: 5, Metric: Cosine}, {K: 3, Metric: Cosine, DistanceWeighted: true}} {
		c := NewKNN(o)
		if err := c.Fit(x, dataset.SingleLabel(y, k)); err != nil {
			t.Fatal(err)
		}
		// A standardized zero query (the training mean) for cosine's special case.
		mean := make([]float32, d)
		for j := range mean {
			mean[j] = float32(c.m.Header.Scaler.Mean[j])
		}
		queries := append(slices.Clone(q), mean)
		got, err := c.PredictProba(queries)
		if err != nil {
			t.Fatal(err)
		}
		z := c.m.Header.Scaler.transform(queries)
		for i := range queries {
			qi := z[i*d : (i+1)*d]
			type nb struct {
				dist float64
				row  int
			}
			all := make([]nb, n)
			for r := range n {
				zr := c.m.Z[r*d : (r+1)*d]
				var s, qq, zz float64
				for j, v := range qi {
					s += v * zr[j]
					qq += v * v
					zz += zr[j] * zr[j]
				}
				dist := 0.0
				switch {
				case o.Metric == Cosine && (qq == 0 || zz == 0):
					dist = 1
				case o.Metric == Cosine:
					dist = 1 - s/(math.Sqrt(qq)*math.Sqrt(zz))
				default:
					for j, v := range qi {
						dist += (v - zr[j]) * (v - zr[j])
					}
					dist = math.Sqrt(dist)
				}
				all[r] = nb{dist, r}
			}
			slices.SortFunc(all, func(a, b nb) int {
				if a.dist != b.dist {
					return cmp.Compare(a.dist, b.dist)
				}
				return a.row - b.row
			})
			want := make([]float64, k)
			var total float64
			for _, e := range all[:o.K] {
				w := 1.0
				if o.DistanceWeighted {
					w = 1 / e.dist
					if all[0].dist == 0 {
						w = 0
						if e.dist == 0 {
							w = 1
						}
					}
				}
				want[y[e.row]] += w
				total += w
			}
			for cl := range want {
				if diff := math.Abs(float64(got[i][cl]) - want[cl]/total); diff > 1e-6 {
					t.Fatalf("%+v, query %d: P(class %d) = %g, want %g", o, i, cl, got[i][cl], want[cl]/total)
				}
			}
		}
	}
}

// TestLogisticOneClassMultiLabel: a multi-label logistic regression of one
// class (a detector of one sound: present or not) fits the same sigmoid as
// the binary single-label one, and gives one column, its class-1 probability.
func TestLogisticOneClassMultiLabel(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	var x [][]float32
	var index []int
	var hot [][]int
	for i := range 80 {
		c := i % 2
		x = append(x, []float32{float32(c) + float32(rng.NormFloat64()), float32(rng.NormFloat64())})
		index, hot = append(index, c), append(hot, []int{c})
	}
	binary, one := NewLogisticRegression(LogisticOptions{}), NewLogisticRegression(LogisticOptions{})
	if err := binary.Fit(x, dataset.SingleLabel(index, 2)); err != nil {
		t.Fatal(err)
	}
	if err := one.Fit(x, dataset.MultiLabel(hot)); err != nil {
		t.Fatal(err)
	}
	pb, _ := binary.PredictProba(x)
	po, err := one.PredictProba(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if len(po[i]) != 1 || math.Abs(float64(po[i][0]-pb[i][1])) > 1e-5 {
			t.Fatalf("row %d: one-class %v, binary %v", i, po[i], pb[i])
		}
	}
}

// TestDefaultsFilledIn: zero options fit the same model as the documented
// defaults written out (the constructors' withDefaults, and Fit's forFeatures
// for those that depend on the number of features), and the fitted state
// keeps the filled-in values.
func TestDefaultsFilledIn(t *testing.T) {
	const d = 10 // ⌊√10⌋ = 3 features per split, γ = 0.1
	x, idx := gaussianBlobs(60, d, 3, 5)
	y := dataset.SingleLabel(idx, 3)
	for _, tc := range []struct {
		zero, explicit Classifier
		name           string
		state          func(Classifier) any
		wantState      any
	}{
		{NewSVM(SVMOptions{Kernel: RBF}), NewSVM(SVMOptions{Kernel: RBF, C: 1, Tol: 1e-3, Gamma: 0.1}), "SVM (RBF, C=1)",
			func(c Classifier) any { return c.(*SVM).m.Options }, SVMOptions{Kernel: RBF, C: 1, Tol: 1e-3, Gamma: 0.1}},
		{NewRandomForest(ForestOptions{Trees: 7, Seed: 2}), NewRandomForest(ForestOptions{TreeOptions: TreeOptions{MinSamplesLeaf: 1}, Trees: 7, MaxFeatures: 3, Seed: 2}),
			"random forest (7 trees)", func(c Classifier) any { return c.(*RandomForest).m.Options },
			ForestOptions{TreeOptions: TreeOptions{MinSamplesLeaf: 1}, Trees: 7, MaxFeatures: 3, Seed: 2}},
		{NewRandomForest(ForestOptions{}), NewRandomForest(ForestOptions{Trees: 100}), "random forest (100 trees)",
			func(c Classifier) any { return c.(*RandomForest).m.Options.Trees }, 100},
		{NewDecisionTree(TreeOptions{}), NewDecisionTree(TreeOptions{MinSamplesLeaf: 1}), "decision tree",
			func(c Classifier) any { return c.(*DecisionTree).m.Options }, ForestOptions{TreeOptions: TreeOptions{MinSamplesLeaf: 1}}},
	} {
		if got := tc.zero.Name(); got != tc.name {
			t.Errorf("Name() = %q, want %q", got, tc.name)
		}
		if err := tc.zero.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		if err := tc.explicit.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		if got := tc.state(tc.zero); !reflect.DeepEqual(got, tc.wantState) {
			t.Errorf("%s: fitted options %+v, want %+v", tc.name, got, tc.wantState)
		}
		pz, err := tc.zero.PredictProba(x)
		if err != nil {
			t.Fatal(err)
		}
		pe, err := tc.explicit.PredictProba(x)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pz, pe) {
			t.Errorf("%s: zero options predict otherwise than the defaults written out", tc.name)
		}
	}
}
