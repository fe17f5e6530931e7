// Command benchclassify fits lib/classify's classifiers and their
// scikit-learn counterparts on the same embeddings and the same split, on
// this machine, and prints test accuracy and fit time side by side with the
// ratio Go fit time / scikit-learn fit time (≤ 1 means Go is no slower).
//
// By default the data are real embeddings: the shipped model birds-v1's
// embeddings of datasets/synth-transfer (1600 clips × 128 values, 20 species
// held out of its pretraining; computed once and cached under
// build/embeddings, and exported to build/bench/ as .npy plus a keys CSV).
// -data mixture uses a seeded mixture of Gaussians instead (2000 examples ×
// 128 features, 20 classes); -x and -y point it at other embeddings (a float
// .npy [examples, features] and an integer .npy of class indices). The last
// table is also written to build/bench/benchclassify.md (lesson 04a shows it). The split (stratified, seeded) is written as .npy files that
// both sides read; scikit-learn runs in a fresh /usr/bin/python3 process
// (bench_sklearn.py beside this file). Run from the repository root:
//
//	go run ./lib/cmd/benchclassify [-models logistic,mlp,mlp_early,tree,forest,svm_rbf,knn] [-repeats 3]
//	go run ./lib/cmd/benchclassify -data mixture
//	go run ./lib/cmd/benchclassify -x embeddings.npy -y labels.npy
//
// Fit times are the best of -repeats rounds, each fitting every model once on
// each side, the sides alternating so that a shared machine's changing load
// hits both alike (the logistic regression's Go fit includes compiling its GoMLX graph; the MLP trains in plain Go). Needs Debian's python3-sklearn for the peer.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

var flagSpread *float64

// figures are one model's measurements on one side.
type figures struct {
	Model      string  `json:"model"`
	Accuracy   float64 `json:"accuracy"`
	FitS       float64 `json:"fit_s"`
	PredictS   float64 `json:"predict_s"`
	Iterations int     `json:"iterations"`
}

// goModels are lib/classify's counterparts of bench_sklearn.py's MODELS, with
// the same settings.
var goModels = map[string]func() classify.Classifier{
	"logistic": func() classify.Classifier { return classify.NewLogisticRegression(classify.LogisticOptions{C: 1}) },
	"mlp":      func() classify.Classifier { return classify.NewMLP(classify.MLPOptions{Hidden: []int{100}}) },
	"mlp_early": func() classify.Classifier {
		return classify.NewMLP(classify.MLPOptions{Hidden: []int{100}, ValidationFraction: 0.1})
	},
	"tree":    func() classify.Classifier { return classify.NewDecisionTree(classify.TreeOptions{}) },
	"forest":  func() classify.Classifier { return classify.NewRandomForest(classify.ForestOptions{Trees: 100}) },
	"svm_rbf": func() classify.Classifier { return classify.NewSVM(classify.SVMOptions{Kernel: classify.RBF}) },
	"knn":     func() classify.Classifier { return classify.NewKNN(classify.KNNOptions{K: 5}) },
}

// descriptions say what each side fits, for the table.
var descriptions = map[string]string{
	"logistic":  "logistic regression, C=1, ≤1000 L-BFGS iterations, tol 1e-4",
	"mlp":       "MLP 100 hidden, Adam 1e-3, batch 200, α=1e-4, stop on train loss",
	"mlp_early": "same MLP, early stopping on a 10% hold-out",
	"tree":      "decision tree (Gini, unbounded)",
	"forest":    "random forest, 100 trees, √features",
	"svm_rbf":   "SVM RBF C=1 (Go one-vs-rest, sklearn one-vs-one)",
	"knn":       "k-NN k=5 euclidean (fit stores; predict searches)",
}

func main() {
	data := flag.String("data", "synth-transfer", "data when -x is empty: synth-transfer (birds-v1 embeddings of datasets/synth-transfer) or mixture (seeded Gaussians)")
	benchDir := flag.String("out", filepath.Join("build", "bench"), "directory of the exported embeddings and of benchclassify.md")
	xPath := flag.String("x", "", "float .npy [examples, features] of embeddings; empty: see -data")
	yPath := flag.String("y", "", "integer .npy of class indices, one per row of -x")
	examples := flag.Int("examples", 2000, "examples of the generated mixture")
	features := flag.Int("features", 128, "features of the generated mixture")
	classes := flag.Int("classes", 20, "classes of the generated mixture")
	testFraction := flag.Float64("test", 0.2, "fraction of each class held out for testing")
	seed := flag.Uint64("seed", 1, "seed of the mixture and of the split")
	repeats := flag.Int("repeats", 3, "rounds, each one fit per model on each side (alternating); the fastest is reported")
	models := flag.String("models", "logistic,mlp,mlp_early,tree,forest,svm_rbf,knn", "comma-separated models to compare")
	python, script := benchkit.PeerFlags(flag.CommandLine, "benchclassify", "bench_sklearn.py", "scikit-learn", "the scikit-learn side")
	flagSpread = flag.Float64("spread", 0.3, "standard deviation of the generated class centres, in units of the within-class noise (smaller: harder)")
	keep := flag.String("keep", "", "directory to keep the split's .npy files in (default: a temporary one, removed)")
	flag.Parse()

	var x [][]float32
	var y []int
	source := ""
	if *xPath != "" {
		var err error
		x, y, err = readData(*xPath, *yPath)
		check(err)
		source = fmt.Sprintf("%s + %s", *xPath, *yPath)
	} else if *data == "mixture" {
		x, y = mixture(*examples, *features, *classes, *seed)
		source = fmt.Sprintf("seeded Gaussian mixture (seed %d)", *seed)
	} else if *data == "synth-transfer" {
		var err error
		x, y, err = synthTransfer(*benchDir)
		check(err)
		source = "birds-v1 embeddings of datasets/synth-transfer"
	} else {
		check(fmt.Errorf("-data %q: want synth-transfer or mixture", *data))
	}
	k := slices.Max(y) + 1
	trainRows, testRows := stratifiedSplit(y, k, *testFraction, *seed)
	xTrain, yTrain := pick(x, y, trainRows)
	xTest, yTest := pick(x, y, testRows)

	dir := *keep
	if dir == "" {
		var err error
		dir, err = os.MkdirTemp("", "benchclassify")
		check(err)
		defer os.RemoveAll(dir)
	} else {
		check(os.MkdirAll(dir, 0o755))
	}
	check(writeMatrix(filepath.Join(dir, "x_train.npy"), xTrain))
	check(writeLabels(filepath.Join(dir, "y_train.npy"), yTrain))
	check(writeMatrix(filepath.Join(dir, "x_test.npy"), xTest))
	check(writeLabels(filepath.Join(dir, "y_test.npy"), yTest))

	if _, err := backend.New(); err != nil {
		check(err)
	}
	names := strings.Split(*models, ",")
	for _, name := range names {
		if goModels[name] == nil {
			check(fmt.Errorf("unknown model %q (known: logistic, mlp, mlp_early, tree, forest, svm_rbf, knn)", name))
		}
	}
	fmt.Printf("benchclassify: %s: %d train + %d test examples, %d features, %d classes; best of %d rounds; %d CPUs, GOMAXPROCS %d; engine: %s\n\n",
		source, len(trainRows), len(testRows), len(x[0]), k, *repeats, runtime.NumCPU(), runtime.GOMAXPROCS(0), backend.Chosen())

	// Rounds alternate the two sides, so that load from other processes on a
	// shared machine hits them alike; each fit time is the best round's.
	goSide, pySide := map[string]figures{}, map[string]figures{}
	var pyErr error
	for round := 1; round <= *repeats; round++ {
		fmt.Fprintf(os.Stderr, "round %d of %d\n", round, *repeats)
		for _, name := range names {
			keepBest(goSide, runGo(name, xTrain, dataset.SingleLabel(yTrain, k), xTest, dataset.SingleLabel(yTest, k)))
		}
		if pyErr == nil {
			var figs map[string]figures
			figs, pyErr = runPython(*python, *script, dir, names)
			for _, f := range figs {
				keepBest(pySide, f)
			}
		}
	}

	var table strings.Builder
	fmt.Fprintf(&table, "%s: %d train + %d test examples, %d features, %d classes; best of %d rounds; %d CPUs; engine %s; %s\n\n",
		source, len(trainRows), len(testRows), len(x[0]), k, *repeats, runtime.NumCPU(), backend.Engine(), time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&table, "| model | Go accuracy | sklearn accuracy | Go fit (s) | sklearn fit (s) | fit ratio Go/sklearn | Go iters | sklearn iters | Go predict (ms) | sklearn predict (ms) |\n")
	fmt.Fprintf(&table, "|---|---|---|---|---|---|---|---|---|---|\n")
	for _, name := range names {
		g := goSide[name]
		p, ok := pySide[name]
		py := func(v string) string {
			if !ok {
				return "n/a"
			}
			return v
		}
		fmt.Fprintf(&table, "| %s | %.3f | %s | %.3f | %s | %s | %d | %s | %.1f | %s |\n", descriptions[name], g.Accuracy,
			py(fmt.Sprintf("%.3f", p.Accuracy)), g.FitS, py(fmt.Sprintf("%.3f", p.FitS)),
			py(fmt.Sprintf("%.2f", g.FitS/p.FitS)), g.Iterations, py(fmt.Sprint(p.Iterations)),
			1000*g.PredictS, py(fmt.Sprintf("%.1f", 1000*p.PredictS)))
	}
	fmt.Fprintln(&table, "\niterations: L-BFGS iterations (logistic) or epochs (MLP; Go's are steps / steps per epoch).")
	if pyErr != nil {
		fmt.Fprintf(&table, "scikit-learn: not measured: %v\n", pyErr)
	}
	fmt.Print(table.String())
	check(os.MkdirAll(*benchDir, 0o755))
	check(atomicfile.WriteFile(filepath.Join(*benchDir, "benchclassify.md"), []byte(table.String())))
}

// synthTransfer embeds datasets/synth-transfer with birds-v1 (cached under
// build/embeddings), exports the embeddings to dir as .npy plus a keys CSV,
// and returns them with each clip's class index.
func synthTransfer(dir string) ([][]float32, []int, error) {
	const corpus = "datasets/synth-transfer"
	labels, err := dataset.ReadLabelCSV(filepath.Join(corpus, "labels.csv"))
	if err != nil {
		return nil, nil, fmt.Errorf("%w (run make, which generates %s)", err, corpus)
	}
	model, err := zoo.Load(zoo.BirdsV1)
	if err != nil {
		return nil, nil, err
	}
	e, err := embed.EmbedRows(model, corpus, labels, nil, embed.Options{CacheDir: filepath.Join("build", "embeddings"), Progress: os.Stderr})
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	if err := e.Save(filepath.Join(dir, "synth-transfer-birds-v1")); err != nil {
		return nil, nil, err
	}
	return e.Vectors, labels.ClassesOf(nil), nil
}

// keepBest records f in best, keeping the fastest fit and prediction of each model.
func keepBest(best map[string]figures, f figures) {
	if old, ok := best[f.Model]; ok {
		f.FitS = math.Min(f.FitS, old.FitS)
		f.PredictS = math.Min(f.PredictS, old.PredictS)
	}
	best[f.Model] = f
}

// runGo fits one model, measures the fit, then predicts the test rows.
func runGo(name string, xTrain [][]float32, yTrain dataset.Labels, xTest [][]float32, yTest dataset.Labels) figures {
	f := figures{Model: name}
	model := goModels[name]()
	runtime.GC()
	start := time.Now()
	check(model.Fit(xTrain, yTrain))
	f.FitS = time.Since(start).Seconds()
	start = time.Now()
	pred, err := model.Predict(xTest)
	check(err)
	f.PredictS = time.Since(start).Seconds()
	f.Accuracy, err = classify.Accuracy(yTest, pred)
	check(err)
	switch m := model.(type) {
	case *classify.LogisticRegression:
		f.Iterations = m.Iterations()
	case *classify.MLP:
		if h := m.History(); len(h) > 0 {
			f.Iterations = int(math.Round(h[len(h)-1].Epoch))
		}
	}
	return f
}

// runPython runs bench_sklearn.py on the split in dir: one fit per model.
func runPython(python, script, dir string, names []string) (map[string]figures, error) {
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("%s not found (run from the repository root): %w", script, err)
	}
	args := append([]string{script, dir, "1"}, names...)
	cmd := exec.Command(python, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w (apt-get install python3-sklearn)", python, script, err)
	}
	results := map[string]figures{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var f figures
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			return nil, fmt.Errorf("reading %s's output %q: %w", script, sc.Text(), err)
		}
		results[f.Model] = f
	}
	return results, nil
}

// mixture draws an embedding-like data set: n rows of d features, class
// i mod k, each a class centre plus isotropic noise, then passed through a
// ReLU-like softplus so the features are non-negative and skewed as pooled
// CNN activations are.
func mixture(n, d, k int, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 0xC1A55))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = *flagSpread * rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	y := make([]int, n)
	for i := range x {
		y[i] = i % k
		x[i] = make([]float32, d)
		for j := range x[i] {
			v := centres[y[i]][j] + rng.NormFloat64()
			x[i][j] = float32(math.Log1p(math.Exp(v)))
		}
	}
	return x, y
}

// stratifiedSplit holds out testFraction of each class, seeded.
func stratifiedSplit(y []int, k int, testFraction float64, seed uint64) (train, test []int) {
	rng := rand.New(rand.NewPCG(seed, 0x5917))
	byClass := make([][]int, k)
	for _, i := range rng.Perm(len(y)) {
		byClass[y[i]] = append(byClass[y[i]], i)
	}
	for _, rows := range byClass {
		nt := int(math.Round(testFraction * float64(len(rows))))
		test = append(test, rows[:nt]...)
		train = append(train, rows[nt:]...)
	}
	slices.Sort(train)
	slices.Sort(test)
	return train, test
}

func pick(x [][]float32, y []int, rows []int) ([][]float32, []int) {
	px, py := make([][]float32, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		px[i], py[i] = x[r], y[r]
	}
	return px, py
}

// readData reads embeddings and class indices from .npy files.
func readData(xPath, yPath string) ([][]float32, []int, error) {
	if yPath == "" {
		return nil, nil, fmt.Errorf("-x %s needs -y, the class index of each row", xPath)
	}
	xv, xs, err := readNPY(xPath)
	if err != nil {
		return nil, nil, err
	}
	if len(xs) != 2 {
		return nil, nil, fmt.Errorf("%s: shape %v, want [examples, features]", xPath, xs)
	}
	yv, ys, err := readNPY(yPath)
	if err != nil {
		return nil, nil, err
	}
	if len(ys) != 1 || ys[0] != xs[0] {
		return nil, nil, fmt.Errorf("%s: shape %v, want [%d] (one label per row of %s)", yPath, ys, xs[0], xPath)
	}
	x := make([][]float32, xs[0])
	for i := range x {
		x[i] = make([]float32, xs[1])
		for j := range x[i] {
			x[i][j] = float32(xv[i*xs[1]+j])
		}
	}
	y := make([]int, ys[0])
	for i, v := range yv {
		if v < 0 || v != math.Trunc(v) {
			return nil, nil, fmt.Errorf("%s: label %d is %v, want a class index ≥ 0", yPath, i, v)
		}
		y[i] = int(v)
	}
	return x, y, nil
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchclassify")
