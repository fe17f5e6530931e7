package exercises

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// fakeRealAnimals writes a small stand-in for real-animals under a temporary
// Datasets (labels.csv only: the archive is made of generated vectors, so no
// audio is read) and an archive of it: 40 recordings of 1–2 windows, birds
// clustered near +e0, insects near +e1, mammals near +e2, with noise that
// mixes them. It labels the query's 10 hits as the lesson does (simulated
// oracle) and returns the archive and the truth of "bird" and "insect".
func fakeRealAnimals(t *testing.T) (a *agile.Archive, bird, insect []int) {
	t.Helper()
	return fakeRealAnimalsLabelled(t, true)
}

// fakeRealAnimalsLabelled is fakeRealAnimals, labelling the hits only when label.
func fakeRealAnimalsLabelled(t *testing.T, label bool) (a *agile.Archive, bird, insect []int) {
	t.Helper()
	old := Datasets
	Datasets = t.TempDir()
	t.Cleanup(func() { Datasets = old })
	setDir := filepath.Join(Datasets, lesson06Set)
	db, err := embeddb.Open(filepath.Join(t.TempDir(), "archive.db"), embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	model, err := db.AddModel("test", nil, 8)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	classes := []string{"bird", "insect", "mammal"}
	var csv strings.Builder
	csv.WriteString("file,start_time,end_time,bird,insect,mammal\n")
	for r := range 80 {
		class := min(r%4, 2) // a quarter birds, a quarter insects, half mammals
		file := fmt.Sprintf("audio/%s/%s-%02d.wav", classes[class], classes[class], r)
		if r == 0 {
			file = lesson06Query
		}
		var windows []embeddb.Window
		for w := range 1 + r%2 {
			v := make([]float32, 8)
			for d := range v {
				v[d] = float32(0.6 * rng.NormFloat64())
			}
			v[class] += 1
			windows = append(windows, embeddb.Window{StartSeconds: float64(3 * w), EndSeconds: float64(3*w + 3), Embedding: v})
			hot := []int{0, 0, 0}
			hot[class] = 1
			fmt.Fprintf(&csv, "%s,%d,%d,%d,%d,%d\n", file, 3*w, 3*w+3, hot[0], hot[1], hot[2])
		}
		if _, err := db.AddRecording(embeddb.Recording{File: filepath.Join(setDir, file)}, model, windows); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(setDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(setDir, "labels.csv"), []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if a, err = agile.Open(db, model); err != nil {
		t.Fatal(err)
	}
	labelsCSV := filepath.Join(setDir, "labels.csv")
	if bird, err = a.Truth(labelsCSV, "bird"); err != nil {
		t.Fatal(err)
	}
	if insect, err = a.Truth(labelsCSV, "insect"); err != nil {
		t.Fatal(err)
	}
	if !label {
		return a, bird, insect
	}
	// The lesson's search and labels: the query's 10 hits, answered from the truth.
	q, _ := a.Find(filepath.Join(setDir, lesson06Query), 0)
	hits, err := a.Search(a.Windows.Vectors[q], 10)
	if err != nil {
		t.Fatal(err)
	}
	var asked []int
	for _, h := range hits {
		asked = append(asked, h.Index)
	}
	oracle, err := active.NewYesNoOracle(bird, 1, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Label(context.Background(), oracle, asked, "bird", "simulated oracle", false); err != nil {
		t.Fatal(err)
	}
	return a, bird, insect
}

// lesson06Reference computes the right answers the way the lesson's cell did
// before they moved here: the training steps one by one, loops by hand, and
// the census by hand (a second way, against the shared helpers).
func lesson06Reference(t *testing.T, a *agile.Archive, bird, insect []int) Lesson06 {
	t.Helper()
	setDir := filepath.Join(Datasets, lesson06Set)
	right := Lesson06{Archive: a, InsectQuery: "audio/insect/insect-13.wav"}
	q, ok := a.Find(filepath.Join(setDir, right.InsectQuery), 0)
	if !ok {
		t.Fatal("no insect-13")
	}
	hits, _ := a.Search(a.Windows.Vectors[q], 10)
	for _, h := range hits {
		right.InsectHits += insect[h.Index]
	}
	labels, err := a.Labels("bird", func(p string) bool { return !strings.Contains(p, "validation") })
	if err != nil {
		t.Fatal(err)
	}
	scoresWith := func(weak int) ([]float64, []int) {
		x, y, used, err := a.TrainingSet(labels, weak, 1)
		if err != nil {
			t.Fatal(err)
		}
		clf, err := agile.Train(x, y)
		if err != nil {
			t.Fatal(err)
		}
		scores, err := a.Scores(clf)
		if err != nil {
			t.Fatal(err)
		}
		return scores, used
	}
	for weak, into := range map[int]*int{0: &right.AboveWeak0, 20: &right.AboveWeak20, 40: &right.AboveWeak40} {
		scores, _ := scoresWith(weak)
		for _, s := range scores {
			if s >= 0.5 {
				*into++
			}
		}
	}
	scores, used := scoresWith(20)
	labelled := map[int]bool{}
	for _, i := range append(slices.Clone(labels.Positives), labels.Negatives...) {
		labelled[i] = true
	}
	asked := 0
	for _, i := range agile.Ranked(scores) {
		if !labelled[i] && asked < 10 {
			asked, right.Round2Birds = asked+1, right.Round2Birds+bird[i]
		}
	}
	leftOut := map[string]bool{filepath.Join(setDir, lesson06Query): true}
	for _, i := range used {
		leftOut[a.Windows.Keys[i].File] = true
	}
	windows, positives := 0, 0
	for i := range scores {
		if !leftOut[a.Windows.Keys[i].File] {
			windows, positives = windows+1, positives+bird[i]
		}
	}
	census := float64(positives) / float64(windows)
	var densities []float64
	for seed := uint64(1); seed <= 5; seed++ {
		sample, err := a.ValidateSample(scores, agile.SampleOptions{N: 24, By: agile.Quantiles, Exclude: leftOut, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		answers := make([]active.Answer, len(sample.Rows))
		for r, row := range sample.Rows {
			answers[r] = active.Answer(bird[row.Index])
		}
		e, err := sample.Estimate(answers, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		densities = append(densities, e.Density)
		if e.DensityLow <= census && census <= e.DensityHigh {
			right.IntervalsHolding++
		}
	}
	right.DensityLowest, right.DensityHighest = slices.Min(densities), slices.Max(densities)
	return right
}

func TestLesson06(t *testing.T) {
	a, bird, insect := fakeRealAnimals(t)
	right := lesson06Reference(t, a, bird, insect)
	if right.AboveWeak0 == 0 || right.Round2Birds == 0 || right.DensityLowest == right.DensityHighest {
		t.Fatalf("the fake archive does not exercise the checks: %+v", right)
	}
	wrong := right
	wrong.Round2Birds++
	badQuery := right
	badQuery.InsectQuery = "audio/bird/bird-04.wav"
	tests := []struct {
		name      string
		answers   Lesson06
		passes    int
		notYet    []string
		summaries string
	}{
		{"blank", Lesson06{Archive: a}, 0, []string{"exercise 2: your insect query", "exercise 3", "exercise 4", "exercise 5: the lowest", "exercise 5: the highest", "exercise 5: intervals"}, "0 of 8 checks pass"},
		{"right", right, 8, nil, "all 8 checks pass"},
		{"one wrong", wrong, 7, []string{"exercise 4"}, "7 of 8 checks pass"},
		{"a bird as the insect query", badQuery, 7, []string{"exercise 2: your insect query"}, "7 of 8 checks pass"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tc.answers.CheckTo(&out); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			if got := strings.Count(text, "✓"); got != tc.passes {
				t.Errorf("%d checks pass, want %d:\n%s", got, tc.passes, text)
			}
			for _, name := range tc.notYet {
				if !strings.Contains(text, "✗ "+name) {
					t.Errorf("no failed check %q:\n%s", name, text)
				}
			}
			if !strings.Contains(text, tc.summaries) {
				t.Errorf("no %q:\n%s", tc.summaries, text)
			}
		})
	}
	near := right
	near.DensityLowest += 0.0004
	var out bytes.Buffer
	if err := near.CheckTo(&out); err != nil || strings.Contains(out.String(), "✗") {
		t.Errorf("a density within 0.0005 fails: %v\n%s", err, out.String())
	}
	if math.IsInf(right.DensityLowest, 0) {
		t.Error("no density computed")
	}
}

func TestLesson06Errors(t *testing.T) {
	a, _, _ := fakeRealAnimals(t)
	if err := (Lesson06{}).CheckTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "Archive") {
		t.Errorf("no archive: %v", err)
	}
	Datasets = filepath.Join(t.TempDir(), "nowhere")
	want := filepath.Join(Datasets, "real-animals", "labels.csv")
	if err := (Lesson06{Archive: a}).CheckTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a missing data directory: %v, want it to name %s", err, want)
	}
}

// TestLesson06NoLabels: an archive nobody labelled cannot train, and the error
// says to run the lesson's cells first.
func TestLesson06NoLabels(t *testing.T) {
	a, _, _ := fakeRealAnimalsLabelled(t, false)
	err := (Lesson06{Archive: a}).CheckTo(&bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "run the lesson's cells above first") {
		t.Errorf("no labels: %v", err)
	}
}
