package fewshot

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// extractorTable makes a single-label table: counts[c] recordings of class c, each
// with two clips (the second at 3–6 s).
func extractorTable(counts []int) *dataset.LabelTable {
	t := &dataset.LabelTable{}
	for c := range counts {
		t.Classes = append(t.Classes, fmt.Sprintf("c%d", c))
	}
	for c, n := range counts {
		for i := range n {
			for k := range 2 {
				labels := make([]int, len(counts))
				labels[c] = 1
				t.Rows = append(t.Rows, dataset.Row{File: fmt.Sprintf("./audio/c%d/r%d.wav", c, i), StartSeconds: float64(3 * k),
					EndSeconds: float64(3*k + 3), Labels: labels})
			}
		}
	}
	return t
}

// TestUsableLabels keeps the classes with enough recordings, caps them by a
// seeded choice and keeps every recording whole.
func TestUsableLabels(t *testing.T) {
	for _, tc := range []struct {
		counts     []int
		min, max   int
		classes    []string
		leftOut    int
		recordings int
	}{
		{[]int{12, 5, 30}, 12, 0, []string{"c0", "c2"}, 1, 42},
		{[]int{12, 5, 30}, 12, 20, []string{"c0", "c2"}, 1, 32},
		{[]int{12, 5, 30}, 2, 10, []string{"c0", "c1", "c2"}, 0, 25},
		{[]int{3, 4}, 12, 0, nil, 2, 0},
	} {
		got, res := UsableLabels(extractorTable(tc.counts), tc.min, tc.max, 1)
		if !slices.Equal(res.Classes, tc.classes) || !slices.Equal(got.Classes, tc.classes) || len(res.LeftOut) != tc.leftOut ||
			res.Recordings != tc.recordings || res.Clips != 2*tc.recordings || len(got.Rows) != res.Clips {
			t.Errorf("counts %v, min %d, max %d: classes %v (table %v), left out %v, %d recordings, %d clips (table %d); want %v, %d left out, %d recordings",
				tc.counts, tc.min, tc.max, res.Classes, got.Classes, res.LeftOut, res.Recordings, res.Clips, len(got.Rows), tc.classes, tc.leftOut, tc.recordings)
			continue
		}
		// Every kept row keeps its class, in the new columns, and a recording
		// is kept whole (both clips) or not at all.
		clips := map[string]int{}
		for _, r := range got.Rows {
			c := slices.Index(r.Labels, 1)
			if c < 0 || !strings.Contains(r.File, "/"+got.Classes[c]+"/") {
				t.Errorf("row %s labelled %v in columns %v", r.File, r.Labels, got.Classes)
			}
			clips[r.File]++
		}
		for f, n := range clips {
			if n != 2 {
				t.Errorf("%s kept with %d of its 2 clips", f, n)
			}
		}
	}
	// The cap's choice depends on the seed only: the same twice, another with
	// another seed.
	x, _ := UsableLabels(extractorTable([]int{40}), 2, 10, 1)
	y, _ := UsableLabels(extractorTable([]int{40}), 2, 10, 1)
	z, _ := UsableLabels(extractorTable([]int{40}), 2, 10, 2)
	if fmt.Sprint(x.Rows) != fmt.Sprint(y.Rows) || fmt.Sprint(x.Rows) == fmt.Sprint(z.Rows) {
		t.Errorf("the capped choice is not a function of the seed")
	}
}

// TestExtractorTableMarkdown checks the Markdown rows against values worked
// out by hand.
func TestExtractorTableMarkdown(t *testing.T) {
	r := func(name string, mean float64) Result {
		return Result{Name: name, Mean: mean, CILow: mean - 0.01, CIHigh: mean + 0.01}
	}
	tab := ExtractorTable{PerClass: 10, Seeds: []uint64{1, 2, 3}, GitCommit: "abc", MeasuredUTC: "now", Sets: []SetResult{{
		Data: "datasets/real-animals", Classes: []string{"bird", "mammal"}, Recordings: 54, Clips: 70,
		FewShot:   &Comparison{Results: []Result{r("general-v1", 0.8), r("handcrafted", 0.7)}},
		Retrieval: &Comparison{Results: []Result{r("general-v1", 0.65), r("handcrafted", 0.6)}},
	}, {
		Data: "datasets/real-animal-kinds", Classes: []string{"a", "b", "c"}, Recordings: 15, Clips: 40,
		FewShot:   &Comparison{PerClass: 3, Results: []Result{r("general-v1", 0.5)}},
		Retrieval: &Comparison{PerClass: 3, Results: []Result{r("general-v1", 0.45)}},
	}}}
	md := tab.Markdown()
	for _, want := range []string{
		"10 clips per class drawn, 3 draws (seeds 1–3)",
		"| real-animals (2, 54, 70) | general-v1 | 80.0 [79.0, 81.0] | 65.0 [64.0, 66.0] |",
		"|  | handcrafted | 70.0 [69.0, 71.0] | 60.0 [59.0, 61.0] |",
		"| real-animal-kinds (3, 15, 40), 3 clips per class | general-v1 | 50.0 [49.0, 51.0] | 45.0 [44.0, 46.0] |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestMatchSet accepts a measurement within tolerance of the saved one and
// names every mean beyond it, and a change of classes.
func TestMatchSet(t *testing.T) {
	set := func(a, b float64, classes ...string) SetResult {
		c := func(x float64) *Comparison {
			return &Comparison{Results: []Result{{Name: "m", Mean: x}, {Name: "h", Mean: 0.5}}}
		}
		return SetResult{Data: "d", Classes: classes, Clips: 10, FewShot: c(a), Retrieval: c(b)}
	}
	saved := set(0.80, 0.70, "x", "y")
	for _, tc := range []struct {
		live    SetResult
		largest float64
		wantErr []string
	}{
		{set(0.80, 0.70, "x", "y"), 0, nil},
		{set(0.804, 0.697, "x", "y"), 0.004, nil},
		{set(0.82, 0.70, "x", "y"), 0.02, []string{"few-shot, m: 0.8200 now, 0.8000 saved"}},
		{set(0.80, 0.70, "x"), 0, []string{"classes [x]"}},
	} {
		largest, err := MatchSet(tc.live, saved, 0.005)
		if math.Abs(largest-tc.largest) > 1e-9 {
			t.Errorf("%+v: largest %v, want %v", tc.live.FewShot.Results[0], largest, tc.largest)
		}
		if (err != nil) != (tc.wantErr != nil) {
			t.Errorf("%v: error %v, want one: %v", tc.live.Classes, err, tc.wantErr != nil)
		}
		for _, w := range tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v, want it to contain %q", err, w)
			}
		}
	}
}

// TestExtractorTableLive recomputes the smallest set of general-v2's extractor
// table (lib/zoo/models/general-v2/transfer.json, made by `make transfertable`)
// with today's code and requires every mean within half a point of the saved
// one, as lesson 04a does live.
func TestExtractorTableLive(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds real-animals with four networks")
	}
	root := filepath.Join("..", "..")
	set := filepath.Join(root, "datasets", "real-animals")
	if _, err := os.Stat(filepath.Join(set, "labels.csv")); err != nil {
		t.Skipf("%v: run `make realdata`", err)
	}
	table, err := ReadExtractorTable(filepath.Join(root, "lib", "zoo", "models", "general-v2", "transfer.json"))
	if err != nil {
		t.Fatal(err)
	}
	var models []zoo.Model
	for _, name := range table.Models {
		m, err := zoo.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	untrained, err := zoo.Untrained(table.Models[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	saved := table.Set("real-animals")
	if saved == nil {
		t.Fatal("the table has no real-animals set")
	}
	saved.Data = set // the table names it from the repository's root
	live, _, _, err := MeasureSet(set, models, table.Models, untrained, MeasureOptions{Seeds: table.Seeds, MaxRecordings: table.MaxRecordings})
	if err != nil {
		t.Fatal(err)
	}
	largest, err := MatchSet(live, *saved, 0.005)
	if err != nil {
		t.Error(err)
	}
	t.Logf("largest difference %.4f", largest)
}
