package exercises

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/features"
)

// useDatasets points Datasets and Lesson02Cache at dir and a fresh cache for one test.
func useDatasets(t *testing.T, dir string) {
	oldDatasets, oldCache := Datasets, Lesson02Cache
	Datasets, Lesson02Cache = dir, t.TempDir()
	t.Cleanup(func() { Datasets, Lesson02Cache = oldDatasets, oldCache })
}

// needCorpus skips the test when synth-birds has not been generated.
func needCorpus(t *testing.T) {
	if _, err := os.Stat(filepath.Join(repoDatasets, "synth-birds", "labels.csv")); err != nil {
		t.Skipf("%v: run `make setup` to generate the corpus", err)
	}
}

func checkLesson02(t *testing.T, a Lesson02) string {
	var out bytes.Buffer
	if err := a.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestLesson02Blank(t *testing.T) {
	needCorpus(t)
	useDatasets(t, repoDatasets)
	out := checkLesson02(t, Lesson02{})
	if n := strings.Count(out, "not yet"); n != 6 {
		t.Errorf("%d checks say \"not yet\", want all 6:\n%s", n, out)
	}
	if !strings.Contains(out, "0 of 6 checks pass") {
		t.Errorf("no \"0 of 6 checks pass\" line:\n%s", out)
	}
	if entries, _ := os.ReadDir(Lesson02Cache); len(entries) != 0 {
		t.Errorf("blank answers measured %d recordings; they should measure nothing", len(entries))
	}
}

func TestLesson02MissingData(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-datasets")
	useDatasets(t, missing)
	err := Lesson02{KNNPercent: 50}.CheckTo(&bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(missing, "synth-birds", "labels.csv")) {
		t.Errorf("err = %v, want one naming %s", err, filepath.Join(missing, "synth-birds", "labels.csv"))
	}
}

// referenceAccuracy is the test accuracy (%) of a fresh classifier on the split of seed,
// computed without the helpers CheckTo uses: the columns are picked by hand (in the
// table's order) and the model is fitted and scored by its own methods.
func referenceAccuracy(t *testing.T, newModel func() classify.Classifier, labels *dataset.LabelTable,
	names []string, vectors [][]float32, seed uint64, keep ...string) float64 {
	var columns []int
	for j, n := range names {
		if len(keep) == 0 || slices.Contains(keep, n) {
			columns = append(columns, j)
		}
	}
	rows := func(idx []int) ([][]float32, dataset.Labels) {
		var x [][]float32
		var y []int
		for _, i := range idx {
			v := []float32{}
			for _, j := range columns {
				v = append(v, vectors[i][j])
			}
			x, y = append(x, v), append(y, labels.Rows[i].ClassOf())
		}
		return x, dataset.SingleLabel(y, len(labels.Classes))
	}
	split, err := dataset.StratifiedGroupSplit(labels, dataset.SplitOptions{Train: 0.7, Test: 0.3, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	xTrain, yTrain := rows(split.Train)
	xTest, yTest := rows(split.Test)
	model := newModel()
	if err := model.Fit(xTrain, yTrain); err != nil {
		t.Fatal(err)
	}
	predicted, err := model.Predict(xTest)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for i, k := range predicted.Index {
		if k == yTest.Index[i] {
			right++
		}
	}
	return 100 * float64(right) / float64(len(xTest))
}

// TestLesson02Answers computes every answer a second way (referenceAccuracy), checks that
// they all pass, and that wrong ones fail.
func TestLesson02Answers(t *testing.T) {
	if testing.Short() {
		t.Skip("describes the corpus twice and fits 13 classifiers (about 15 s on 2 cores)")
	}
	needCorpus(t)
	useDatasets(t, repoDatasets)
	dir := filepath.Join(repoDatasets, "synth-birds")
	labels := dataset.MustReadLabelCSV(filepath.Join(dir, "labels.csv"))
	names, inBand := features.MustDescribeRows(dir, labels, nil, features.Options{BandLowHz: 1000, BandHighHz: 10000}, Lesson02Cache)
	_, noBand := features.MustDescribeRows(dir, labels, nil, features.Options{}, Lesson02Cache)
	newLogistic := func() classify.Classifier { return classify.NewLogisticRegression(classify.LogisticOptions{}) }
	var right Lesson02
	right.NoBandPercent = referenceAccuracy(t, newLogistic, labels, names, noBand, 1)
	right.KNNPercent = referenceAccuracy(t, func() classify.Classifier { return classify.NewKNN(classify.KNNOptions{K: 3}) }, labels, names, inBand, 1)
	right.ForestPercent = referenceAccuracy(t, func() classify.Classifier { return classify.NewRandomForest(classify.ForestOptions{}) }, labels, names, inBand, 1)
	logisticPercent := referenceAccuracy(t, newLogistic, labels, names, inBand, 1)
	right.Best = "logistic"
	if right.KNNPercent > math.Max(logisticPercent, right.ForestPercent) {
		right.Best = "k-NN"
	} else if right.ForestPercent > logisticPercent {
		right.Best = "forest"
	}
	lowest, highest := math.Inf(1), math.Inf(-1)
	for seed := uint64(1); seed <= 5; seed++ {
		accuracy := referenceAccuracy(t, newLogistic, labels, names, inBand, seed)
		lowest, highest = math.Min(lowest, accuracy), math.Max(highest, accuracy)
	}
	right.SeedSpreadPoints = highest - lowest
	worstAccuracy := math.Inf(1)
	for _, extra := range []string{"centroid_hz", "call_duration_s", "bandwidth90_hz"} {
		if accuracy := referenceAccuracy(t, newLogistic, labels, names, inBand, 1, "f0_mean_hz", "peak_frequency_hz", extra); accuracy < worstAccuracy {
			right.WorstExtra, worstAccuracy = extra, accuracy
		}
	}
	t.Logf("right answers: %+v (logistic %.1f %%)", right, logisticPercent)
	if out := checkLesson02(t, right); !strings.Contains(out, "all 6 checks pass") {
		t.Errorf("the right answers do not all pass:\n%s", out)
	}

	// One recording of the 36 is 2.8 points: every answer one recording (or a point) off,
	// another feature than the worst, and a classifier not offered each fail.
	wrong := right
	wrong.NoBandPercent -= 100.0 / 36
	wrong.KNNPercent += 100.0 / 36
	wrong.ForestPercent -= 100.0 / 36
	wrong.Best = "SVM"
	wrong.SeedSpreadPoints++
	wrong.WorstExtra = "centroid_hz"
	if right.WorstExtra == wrong.WorstExtra {
		wrong.WorstExtra = "bandwidth90_hz"
	}
	out := checkLesson02(t, wrong)
	if n := strings.Count(out, "✗ exercise"); n != 6 || !strings.Contains(out, "0 of 6 checks pass") {
		t.Errorf("%d of the 6 wrong answers fail, want all:\n%s", n, out)
	}
}
