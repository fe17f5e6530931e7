package transfer

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// The learning curves on the harder corpus that lesson 04a reads (the record of
// the runs that made each is beside it, .json), with the options of the make
// targets that make them: `make learningcurve-hard` (every method, at most 150
// steps), `make learningcurve-hard-long` (fine-tuning and from scratch, ten
// passes over the data: at most 700 steps) and `make learningcurve-hard-small` (every
// method at 10 clips, fewer than the classes).
var (
	hardCurveCSV = filepath.Join("..", "..", "lessons", "data", "04a-hard-curve.csv")
	hardCorpus   = filepath.Join("..", "..", "datasets", "synth-hard")
	hardOptions  = Options{Sizes: []int{24, 72, 240, 720, 2000}, TestPerClass: 16, MaxSteps: 150}
	hardCurves   = []struct {
		csv     string
		options Options
	}{
		{hardCurveCSV, hardOptions},
		{filepath.Join("..", "..", "lessons", "data", "04a-hard-curve-long.csv"),
			Options{Sizes: []int{240, 720, 2000}, TestPerClass: 16, MaxSteps: 700, Methods: []Method{FineTune, Scratch}}},
		{filepath.Join("..", "..", "lessons", "data", "04a-hard-curve-small.csv"),
			Options{Sizes: []int{10}, TestPerClass: 16, MaxSteps: 150}},
	}
	hardClasses = 24
)

// TestHardCurveFile checks each curve file on the harder corpus against its record:
// every row has exactly one provenance entry, each entry's rows are all there
// (its sizes × seeds: some of the make target's sizes, all of them for the
// frozen rows that the lesson recomputes), with the steps of
// the make target's schedule and accuracies that count the 384 test clips; and
// every entry names a clean commit of this branch's history, the command, the
// shipped weights (not for Scratch) and either no cache or a cache named after
// that commit (every row in it computed by that commit's code).
func TestHardCurveFile(t *testing.T) {
	for _, c := range hardCurves {
		t.Run(filepath.Base(c.csv), func(t *testing.T) { checkHardCurve(t, c.csv, c.options) })
	}
}

func checkHardCurve(t *testing.T, csvPath string, hardOptions Options) {
	hardCurveRecord := strings.TrimSuffix(csvPath, ".csv") + ".json"
	rows, err := ReadCSV(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(hardCurveRecord)
	if err != nil {
		t.Fatal(err)
	}
	var record struct {
		Provenance []Provenance `json:"provenance"`
		Corpus     string       `json:"corpus"`
		Model      string       `json:"model"`
	}
	if err := json.Unmarshal(raw, &record); err != nil {
		t.Fatalf("%s: %v", hardCurveRecord, err)
	}
	if record.Corpus != "datasets/synth-hard" || record.Model != zoo.BirdsV1 {
		t.Errorf("%s: corpus %q, model %q; want datasets/synth-hard and birds-v1", hardCurveRecord, record.Corpus, record.Model)
	}
	if err := CheckProvenance(rows, record.Provenance); err != nil {
		t.Errorf("%s: %v", hardCurveRecord, err)
	}
	var grid []Row
	for _, p := range record.Provenance {
		for _, seed := range p.Seeds {
			for _, size := range p.Sizes {
				steps := 0
				if p.Method != Frozen {
					steps = hardOptions.StepsFor(size)
				}
				grid = append(grid, Row{Method: p.Method, Size: size, Seed: seed, Steps: steps})
			}
		}
		subset := len(p.Sizes) > 0
		for _, size := range p.Sizes {
			subset = subset && slices.Contains(hardOptions.Sizes, size)
		}
		if len(p.Seeds) == 0 || !subset || p.Method == Frozen && !slices.Equal(p.Sizes, hardOptions.Sizes) ||
			hardOptions.Methods != nil && !slices.Contains(hardOptions.Methods, p.Method) {
			t.Errorf("%s: %s: sizes %v seeds %v; want some of the sizes %v (all of them for frozen) and some seeds", hardCurveRecord, p.Method, p.Sizes, p.Seeds, hardOptions.Sizes)
		}
	}
	checkCurveRows(t, rows, grid, "every size × seed of the provenance", hardClasses*hardOptions.TestPerClass)
	checkProvenanceEntries(t, hardCurveRecord, record.Provenance, true)
}

// checkCurveRows checks a curve file's rows against grid, the rows it should
// hold (what wantRows says) without their accuracies: the same rows with the
// same steps, and accuracies that count test clips out of testClips.
func checkCurveRows(t *testing.T, rows, grid []Row, wantRows string, testClips int) {
	t.Helper()
	if len(rows) != len(grid) {
		t.Errorf("%d rows, want %d (%s)", len(rows), len(grid), wantRows)
	}
	for i := range grid {
		for _, r := range rows {
			if r.Method == grid[i].Method && r.Size == grid[i].Size && r.Seed == grid[i].Seed {
				grid[i].Accuracy = r.Accuracy // only the steps are compared here
			}
		}
	}
	if _, err := MatchRows(grid, rows, 0); err != nil {
		t.Error(err)
	}
	for _, r := range rows {
		if k := r.Accuracy * float64(testClips); math.Abs(k-math.Round(k)) > 1e-9 {
			t.Errorf("%s n=%d seed %d: accuracy %v is not a count of %d test clips", r.Method, r.Size, r.Seed, r.Accuracy, testClips)
		}
	}
}

// checkProvenanceEntries checks each entry of a curve file's record: a clean
// commit of this branch's history, the command, the engine and the finishing
// time, the shipped weights (none for Scratch), and no row cache — or, when
// commitCache, a cache named after the entry's commit, which only that
// commit's code filled.
func checkProvenanceEntries(t *testing.T, recordPath string, provenance []Provenance, commitCache bool) {
	t.Helper()
	digest := zoo.MustLoad(zoo.BirdsV1).Info().Digest
	_, noGit := exec.LookPath("git")
	for _, p := range provenance {
		what := recordPath + ": " + string(p.Method)
		if p.GitCommit == "" || strings.HasSuffix(p.GitCommit, "-dirty") {
			t.Errorf("%s: commit %q, want a clean one (run lib/cmd/learningcurve on a committed tree)", what, p.GitCommit)
		} else if noGit == nil {
			if err := runrecord.InHistory(p.GitCommit); err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}
		if !strings.HasPrefix(p.Command, "go run ./lib/cmd/learningcurve") || p.Engine == "" || p.Finished == "" {
			t.Errorf("%s: command %q, engine %q, finished %q: want all three", what, p.Command, p.Engine, p.Finished)
		}
		if p.Cache != "" && !(commitCache && strings.HasSuffix(p.Cache, "cache-"+p.GitCommit)) {
			t.Errorf("%s: rows read from the cache %s may come from other code: rerun with -cache \"\" (or a cache named after the commit, where allowed)", what, p.Cache)
		}
		if (p.Method == Scratch) != (p.WeightsDigest == "") || p.Method != Scratch && p.WeightsDigest != digest {
			t.Errorf("%s: weights %q; the shipped ones are %s (Scratch uses none)", what, p.WeightsDigest, digest)
		}
	}
}

// TestHardCurveLive recomputes, with today's code and no cache, the rows lesson
// 04a recomputes on the harder corpus — the frozen embedding, every size and
// seed of the file — and requires them within CurveTolerance of the file's.
func TestHardCurveLive(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and embeds the 2400 clips of synth-hard (a minute or more on 2 cores)")
	}
	if _, err := os.Stat(filepath.Join(hardCorpus, "labels.csv")); err != nil {
		t.Skipf("%v: run `make synth-hard` to generate the corpus", err)
	}
	saved, err := ReadCSV(hardCurveCSV)
	if err != nil {
		t.Fatal(err)
	}
	var seeds []uint64
	for _, r := range saved {
		if r.Method == Frozen && r.Size == hardOptions.Sizes[0] {
			seeds = append(seeds, r.Seed)
		}
	}
	net, err := zoo.LoadCNN(zoo.BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := LoadCorpus(hardCorpus, net)
	if err != nil {
		t.Fatal(err)
	}
	o := hardOptions
	o.Methods, o.Seeds = []Method{Frozen}, seeds
	live, err := Run(net, corpus, o)
	if err != nil {
		t.Fatal(err)
	}
	largest, err := MatchRows(live, saved, CurveTolerance)
	if err != nil {
		t.Errorf("%s: %v", hardCurveCSV, err)
	}
	t.Logf("%d rows recomputed; largest difference %.4f", len(live), largest)
}
