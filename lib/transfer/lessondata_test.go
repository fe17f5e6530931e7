package transfer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// The learning curve lesson 04a reads, and the record of the runs that made it.
var (
	lessonCurveCSV    = filepath.Join("..", "..", "lessons", "data", "04a-learning-curve.csv")
	lessonCurveRecord = filepath.Join("..", "..", "lessons", "data", "04a-learning-curve.json")
	lessonCorpus      = filepath.Join("..", "..", "datasets", "synth-transfer")
)

// TestLessonCurveFile checks lessons/data/04a-learning-curve.csv against what the
// experiment's defaults make: one row for each of 3 methods × 5 sizes × 3 seeds, the
// steps of Options.StepsFor, accuracies that count test clips out of 400; and its
// record: every row has exactly one provenance entry, naming a clean commit of this
// repository's history, the command, an empty cache (every row computed by that run)
// and, for the methods that use them, the shipped weights.
func TestLessonCurveFile(t *testing.T) {
	rows, err := ReadCSV(lessonCurveCSV)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{}.withDefaults(nil)
	var grid []Row
	for _, m := range o.Methods {
		for _, seed := range o.Seeds {
			for _, size := range o.Sizes {
				steps := 0
				if m != Frozen {
					steps = o.StepsFor(size)
				}
				grid = append(grid, Row{Method: m, Size: size, Seed: seed, Steps: steps})
			}
		}
	}
	checkCurveRows(t, rows, grid, "3 methods × 5 sizes × 3 seeds", 20*o.TestPerClass)
	raw, err := os.ReadFile(lessonCurveRecord)
	if err != nil {
		t.Fatal(err)
	}
	var record struct {
		Provenance []Provenance `json:"provenance"`
	}
	if err := json.Unmarshal(raw, &record); err != nil {
		t.Fatalf("%s: %v", lessonCurveRecord, err)
	}
	if err := CheckProvenance(rows, record.Provenance); err != nil {
		t.Errorf("%s: %v", lessonCurveRecord, err)
	}
	checkProvenanceEntries(t, lessonCurveRecord, record.Provenance, false)
}

// TestLessonCurveLive recomputes, with today's code and no cache, the rows lesson 04a
// recomputes — the frozen embedding for every size and seed, fine-tuning for seed 1 up
// to 100 clips — and requires them within CurveTolerance of the file's.
func TestLessonCurveLive(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds the transfer corpus and fine-tunes (a minute on 2 cores)")
	}
	if _, err := os.Stat(filepath.Join(lessonCorpus, "labels.csv")); err != nil {
		t.Skipf("%v: run `make setup` to generate the corpus", err)
	}
	saved, err := ReadCSV(lessonCurveCSV)
	if err != nil {
		t.Fatal(err)
	}
	net, err := zoo.LoadCNN(zoo.BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := LoadCorpus(lessonCorpus, net)
	if err != nil {
		t.Fatal(err)
	}
	live, err := Run(net, corpus, Options{
		Methods:  []Method{Frozen, FineTune},
		SeedsFor: map[Method][]uint64{FineTune: {1}},
		SizesFor: map[Method][]int{FineTune: {20, 60, 100}},
	})
	if err != nil {
		t.Fatal(err)
	}
	largest, err := MatchRows(live, saved, CurveTolerance)
	if err != nil {
		t.Errorf("%s: %v", lessonCurveCSV, err)
	}
	t.Logf("%d rows recomputed; largest difference %.4f", len(live), largest)
}
