package shallow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// table returns a single-label table of classes × perClass rows; row i has
// class i mod classes.
func table(t *testing.T, classes, perClass int) *dataset.LabelTable {
	t.Helper()
	var b strings.Builder
	b.WriteString("file,start_time,end_time")
	for c := range classes {
		fmt.Fprintf(&b, ",c%d", c)
	}
	b.WriteString("\n")
	for i := range classes * perClass {
		fmt.Fprintf(&b, "f%03d.wav,0,3", i)
		for c := range classes {
			b.WriteString(map[bool]string{true: ",1", false: ",0"}[c == i%classes])
		}
		b.WriteString("\n")
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(b.String()), "test table")
	if err != nil {
		t.Fatal(err)
	}
	return lt
}

// TestSplitValidation checks the split of training rows: validation rows are
// validationPerClass of each class, fit and validation rows are disjoint,
// sorted, together exactly the training rows, and the same seed gives the
// same split.
//
// points: 2
func TestSplitValidation(t *testing.T) {
	lt := table(t, 3, 10)
	var train []int
	for i := range 24 { // Rows 24..29 are test rows: never touched.
		train = append(train, i)
	}
	fit, validation, err := SplitValidation(lt, train, 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	perClass := make([]int, 3)
	for _, r := range validation {
		perClass[r%3]++
	}
	if !slices.Equal(perClass, []int{2, 2, 2}) {
		t.Errorf("validation rows %v: %v per class, want 2 each", validation, perClass)
	}
	if !slices.IsSorted(fit) || !slices.IsSorted(validation) {
		t.Errorf("fit %v or validation %v not sorted", fit, validation)
	}
	all := append(slices.Clone(fit), validation...)
	slices.Sort(all)
	if !slices.Equal(all, train) {
		t.Errorf("fit %v + validation %v are not the training rows", fit, validation)
	}
	fit2, validation2, err := SplitValidation(lt, train, 2, 5)
	if err != nil || !slices.Equal(fit, fit2) || !slices.Equal(validation, validation2) {
		t.Errorf("the same seed gave another split: %v / %v", validation, validation2)
	}
	if _, _, err := SplitValidation(lt, train, 9, 5); err == nil {
		t.Error("9 validation rows per class out of 8: no error")
	}
}

// spy is a classifier that records the rows it is fitted on (feature 0 of a
// vector is its row index) and predicts the true class of test rows only
// ("testLover") or of every row but the test rows ("honest").
type spy struct {
	fits      *[][]int
	isTest    map[int]bool
	testLover bool
	classes   int
}

func (s spy) Name() string { return "spy" }
func (s spy) Fit(x [][]float32, y dataset.Labels) error {
	var rows []int
	for _, v := range x {
		rows = append(rows, int(v[0]))
	}
	*s.fits = append(*s.fits, rows)
	return nil
}
func (s spy) PredictProba(x [][]float32) ([][]float32, error) {
	return nil, errors.New("unused")
}
func (s spy) Predict(x [][]float32) (dataset.Labels, error) {
	var predicted []int
	for _, v := range x {
		r := int(v[0])
		class := r % s.classes
		if s.isTest[r] != s.testLover {
			class = (class + 1) % s.classes // Wrong on purpose.
		}
		predicted = append(predicted, class)
	}
	return dataset.SingleLabel(predicted, s.classes), nil
}
func (s spy) NumWeights() int        { return 0 }
func (s spy) Save(path string) error { return errors.New("unused") }

// TestChooseByValidation offers a candidate that is right on the test rows
// only and one that is right everywhere else: choosing on validation
// accuracy picks the second (validation accuracy 1 against 0), whose test
// accuracy is 0; and the chosen candidate is refitted on exactly all the
// training rows.
//
// points: 3
func TestChooseByValidation(t *testing.T) {
	lt := table(t, 2, 10)
	train, test := []int{}, []int{}
	isTest := map[int]bool{}
	x := make([][]float32, 20)
	for i := range x {
		x[i] = []float32{float32(i)}
		if i >= 14 {
			test, isTest[i] = append(test, i), true
		} else {
			train = append(train, i)
		}
	}
	var loverFits, honestFits [][]int
	candidates := []Candidate{
		{"test lover", func() classify.Classifier { return spy{&loverFits, isTest, true, 2} }},
		{"honest", func() classify.Classifier { return spy{&honestFits, isTest, false, 2} }},
	}
	res, err := ChooseAndTest(x, lt, train, test, candidates, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Chosen != "honest" {
		t.Fatalf("chose %q: the choice must rest on validation accuracy, not on the test "+
			"rows (validation accuracies %v)", res.Chosen, res.ValidationAccuracy)
	}
	if res.ValidationAccuracy["honest"] != 1 || res.ValidationAccuracy["test lover"] != 0 {
		t.Errorf("validation accuracies %v, want honest 1 and test lover 0",
			res.ValidationAccuracy)
	}
	if res.TestAccuracy != 0 {
		t.Errorf("test accuracy %g, want 0 (the honest spy is wrong on every test row)",
			res.TestAccuracy)
	}
	if len(honestFits) != 2 {
		t.Fatalf("the chosen candidate was fitted %d times, want 2 (validation, then all "+
			"training rows)", len(honestFits))
	}
	if len(honestFits[0]) != 10 {
		t.Errorf("validation fit on %d rows, want 10 (14 training rows − 2×2 validation rows)",
			len(honestFits[0]))
	}
	final := slices.Clone(honestFits[1])
	slices.Sort(final)
	if !slices.Equal(final, train) {
		t.Errorf("final fit on rows %v, want all the training rows %v", final, train)
	}
	for _, fit := range append(loverFits, honestFits...) {
		for _, r := range fit {
			if isTest[r] {
				t.Fatalf("a candidate was fitted on test row %d", r)
			}
		}
	}
}

// TestChooseRealClassifiers runs real classifiers on clusters worked out by
// hand: class c's points sit around the corner c of a square, 0.05 apart at
// most, so every candidate separates them, every validation accuracy is 1, the
// first candidate is chosen on the tie, and its test accuracy is 1.
//
// points: 2
func TestChooseRealClassifiers(t *testing.T) {
	lt := table(t, 4, 10)
	corners := [][2]float32{{0, 0}, {1, 0}, {0, 1}, {1, 1}}
	rng := rand.New(rand.NewPCG(2, 3))
	x := make([][]float32, 40)
	var train, test []int
	for i := range x {
		c := corners[i%4]
		x[i] = []float32{c[0] + 0.05*float32(rng.Float64()),
			c[1] + 0.05*float32(rng.Float64())}
		if i < 28 {
			train = append(train, i)
		} else {
			test = append(test, i)
		}
	}
	res, err := ChooseAndTest(x, lt, train, test, []Candidate{
		{"3-NN", func() classify.Classifier {
			return classify.NewKNN(classify.KNNOptions{K: 3})
		}},
		{"logistic", func() classify.Classifier {
			return classify.NewLogisticRegression(classify.LogisticOptions{})
		}},
	}, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if res.Chosen != "3-NN" || res.ValidationAccuracy["3-NN"] != 1 ||
		res.ValidationAccuracy["logistic"] != 1 || res.TestAccuracy != 1 {
		t.Errorf("result %+v; want both validation accuracies 1, 3-NN chosen on the tie, "+
			"test accuracy 1", res)
	}
	if _, err := ChooseAndTest(x, lt, train, test, nil, 2, 7); err == nil {
		t.Error("no candidates: no error")
	}
}

// corpusDir is the transfer corpus, generated by `make` (datasets/README.md).
const corpusDir = "../../../datasets/synth-transfer"

// smallTable returns perClass rows of each of the first classes species of
// datasets/synth-transfer, as a table of those species only.
func smallTable(t *testing.T, classes, perClass int) *dataset.LabelTable {
	t.Helper()
	all, err := dataset.ReadLabelCSV(filepath.Join(corpusDir, "labels.csv"))
	if err != nil {
		t.Skipf("%v: run `make` to generate the corpus", err)
	}
	small := &dataset.LabelTable{Classes: all.Classes[:classes]}
	count := make([]int, classes)
	for _, row := range all.Rows {
		c := row.ClassOf()
		if c < classes && count[c] < perClass {
			count[c]++
			small.Rows = append(small.Rows,
				dataset.Row{File: row.File, StartSeconds: row.StartSeconds,
					EndSeconds: row.EndSeconds, Labels: row.Labels[:classes]})
		}
	}
	return small
}

// TestEmbedLabelled embeds 4 recordings and compares each vector with the
// model's own Embed of the recording's samples, loaded here.
//
// points: 2
func TestEmbedLabelled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CNN (slow under -race)")
	}
	lt := smallTable(t, 2, 2)
	model := zoo.MustLoad(zoo.BirdsV1)
	vectors, err := EmbedLabelled(model, corpusDir, lt, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(vectors) != 4 {
		t.Fatalf("%d vectors for 4 rows", len(vectors))
	}
	var clips [][]float32
	rateHz := 0
	for _, row := range lt.Rows {
		a, err := audio.Load(filepath.Join(corpusDir, row.File))
		if err != nil {
			t.Fatal(err)
		}
		if rateHz != 0 && a.SampleRateHz != rateHz {
			t.Fatalf("%s is at %d Hz, the others at %d Hz", row.File, a.SampleRateHz, rateHz)
		}
		rateHz = a.SampleRateHz
		clips = append(clips, a.Mono())
	}
	want, err := model.Embed(clips, rateHz, zoo.EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		for j := range want[i] {
			tolerance := 1e-4 * (1 + math.Abs(float64(want[i][j])))
			if math.Abs(float64(vectors[i][j]-want[i][j])) > tolerance {
				t.Fatalf("row %d (%s), value %d: %g, want %g", i, lt.Rows[i].File, j,
					vectors[i][j], want[i][j])
			}
		}
	}
}

// TestEndToEnd runs the whole assignment on 4 species × 6 recordings of the
// transfer corpus (4 training clips per species, 1 of them for validation;
// 2 test clips each), and checks the reported test accuracy by refitting the
// chosen candidate here on all the training clips.
//
// points: 1
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CNN (slow under -race)")
	}
	lt := smallTable(t, 4, 6)
	cache := filepath.Join("..", "..", "..", "build", "embeddings")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		cache = ""
	}
	x, err := EmbedLabelled(zoo.MustLoad(zoo.BirdsV1), corpusDir, lt, cache)
	if err != nil {
		t.Fatal(err)
	}
	train, err := dataset.SamplePerClass(lt, nil, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	var test []int
	for i := range lt.Rows {
		if !slices.Contains(train, i) {
			test = append(test, i)
		}
	}
	candidates := []Candidate{
		{"logistic C=1", func() classify.Classifier {
			return classify.NewLogisticRegression(classify.LogisticOptions{})
		}},
		{"1-NN cosine", func() classify.Classifier {
			return classify.NewKNN(classify.KNNOptions{K: 1, Metric: classify.Cosine})
		}},
	}
	res, err := ChooseAndTest(x, lt, train, test, candidates, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	var chosen classify.Classifier
	for _, c := range candidates {
		if c.Name == res.Chosen {
			chosen = c.New()
		}
	}
	if chosen == nil || len(res.ValidationAccuracy) != 2 {
		t.Fatalf("result %+v: want one of the candidates chosen and both validated", res)
	}
	want, err := fitAndScore(chosen, x, lt, train, test)
	if err != nil {
		t.Fatal(err)
	}
	if res.TestAccuracy != want {
		t.Errorf("test accuracy %g; refitting %s on the training clips gives %g",
			res.TestAccuracy, res.Chosen, want)
	}
	t.Logf("chose %s (validation %v), test accuracy %.2f", res.Chosen, res.ValidationAccuracy,
		res.TestAccuracy)
}
