package agile

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// writeTruthCSV writes a label table for testArchive's recordings (files
// relative to the test's working directory, as the archive stores them) with
// classes target and other, the first recordings' rows being target; it
// returns its path, in the working directory so that the files resolve.
func writeTruthCSV(t *testing.T, a *Archive, truth []int, extra string) string {
	t.Helper()
	t.Chdir(t.TempDir())
	var b strings.Builder
	b.WriteString("file,start_time,end_time,target,other\n")
	for i, k := range a.Windows.Keys {
		fmt.Fprintf(&b, "%s,%g,%g,%d,%d\n", k.File, k.StartSeconds, k.EndSeconds, truth[i], 1-truth[i])
	}
	b.WriteString(extra)
	if err := os.WriteFile("labels.csv", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return "labels.csv"
}

// TestTruthAndCensus: Truth reads back the table written from the truth; the
// census counts what a hand loop counts; bad tables are errors naming them.
func TestTruthAndCensus(t *testing.T) {
	a, truth := testArchive(t)
	path := writeTruthCSV(t, a, truth, "")
	got, err := a.Truth(path, "target")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, truth) {
		t.Fatalf("Truth = %v, want %v", got, truth)
	}
	other, err := a.Truth(path, "other")
	if err != nil || other[0] != 1-truth[0] {
		t.Fatalf("Truth of the other class: %v, %v", other[:3], err)
	}
	if _, err := a.Truth(path, "owl"); err == nil || !strings.Contains(err.Error(), "labels.csv") || !strings.Contains(err.Error(), `"owl"`) {
		t.Errorf("an unknown class: %v", err)
	}
	bad := writeTruthCSV(t, a, truth, "nowhere.wav,0,3,1,0\n")
	if _, err := a.Truth(bad, "target"); err == nil || !strings.Contains(err.Error(), "line 62") || !strings.Contains(err.Error(), "nowhere.wav") {
		t.Errorf("a row that is not a window: %v", err)
	}

	// Scores from the truth with a few mistakes, and two recordings excluded.
	scores := make([]float64, a.Len())
	for i := range scores {
		scores[i] = 0.1 + 0.8*float64(truth[i])
		if i%7 == 0 {
			scores[i] = 0.9 - 0.8*float64(truth[i])
		}
	}
	exclude := map[string]bool{"rec00.wav": true, "rec05.wav": true}
	tests := []struct {
		threshold float64
		exclude   map[string]bool
	}{{0.5, nil}, {0.5, exclude}, {0.95, exclude}, {0, nil}}
	for _, tc := range tests {
		c, err := a.CensusOf(scores, truth, tc.threshold, tc.exclude)
		if err != nil {
			t.Fatal(err)
		}
		var want Census
		want.Threshold = tc.threshold
		for i, k := range a.Windows.Keys {
			if tc.exclude[k.File] {
				continue
			}
			want.Windows++
			want.Positives += truth[i]
			if scores[i] >= tc.threshold {
				want.Above++
				want.PositivesAbove += truth[i]
			}
		}
		if c != want {
			t.Errorf("threshold %g: census %+v, want %+v", tc.threshold, c, want)
		}
	}
	c, _ := a.CensusOf(scores, truth, 0.5, exclude)
	// 50 windows: 5 positives (rec01), of which 4 score high; 45 negatives, 7 of which score high.
	if c.Windows != 50 || c.Positives != 5 || c.Density() != 0.1 {
		t.Errorf("census %+v: want 50 windows, 5 positives", c)
	}
	if c.Precision() != float64(c.PositivesAbove)/float64(c.Above) || c.Recall() != float64(c.PositivesAbove)/5 {
		t.Errorf("ratios of %+v: precision %g, recall %g", c, c.Precision(), c.Recall())
	}
	if s := c.String(); !strings.Contains(s, "all 50 windows: precision ") || !strings.Contains(s, "density 0.100 (5 of 50), recall 0.80 (4 of 5)") {
		t.Errorf("String: %s", s)
	}
	if (Census{}).Precision() != 0 || (Census{}).Recall() != 0 {
		t.Error("an empty census should give ratios of 0, not NaN")
	}
	if _, err := a.CensusOf(scores[1:], truth, 0.5, nil); err == nil {
		t.Error("scores of the wrong length accepted")
	}
}

// TestCounts: CountAbove and CountAnswers against lists counted by hand.
func TestCounts(t *testing.T) {
	if n := CountAbove([]float64{0.2, 0.5, 0.49, 1, 0.7}, 0.5); n != 3 {
		t.Errorf("CountAbove = %d, want 3", n)
	}
	if n := CountAbove(nil, 0.5); n != 0 {
		t.Errorf("CountAbove(nil) = %d", n)
	}
	answers := []active.Answer{active.Yes, active.No, active.Unsure, active.Yes, Unanswered, active.Yes}
	if yes, unsure := CountAnswers(answers); yes != 3 || unsure != 1 {
		t.Errorf("CountAnswers = %d yes, %d unsure; want 3, 1", yes, unsure)
	}
}

// TestTrainScoresAndFiles: TrainScores is TrainingSet, Train and Scores in
// one call (the same scores and rows); Files names the rows' recordings.
func TestTrainScoresAndFiles(t *testing.T) {
	a, truth := testArchive(t)
	var l Labelled
	for _, file := range []string{"rec00.wav", "rec03.wav", "rec04.wav"} {
		i, _ := a.Find(file, 0)
		if truth[i] == 1 {
			l.Positives = append(l.Positives, i)
		} else {
			l.Negatives = append(l.Negatives, i)
		}
	}
	scores, used, err := a.TrainScores(l, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	x, y, wantUsed, _ := a.TrainingSet(l, 10, 5)
	clf, err := Train(x, y)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.Scores(clf)
	if !slices.Equal(used, wantUsed) || !slices.Equal(scores, want) {
		t.Errorf("TrainScores differs from its three steps: rows %v vs %v", used, wantUsed)
	}
	files := a.Files(used)
	for _, i := range used {
		if !files[a.Windows.Keys[i].File] {
			t.Errorf("Files misses %s", a.Windows.Keys[i].File)
		}
	}
	if len(files) > len(used) || !files["rec00.wav"] {
		t.Errorf("Files = %v", files)
	}
	if _, _, err := a.TrainScores(Labelled{}, 10, 5); err == nil {
		t.Error("no positives accepted")
	}
}

// TestValidationSampleString: sizes and edges as plain comma-separated lists, no brackets;
// edges to 3 significant digits, so that crowded quantile edges near 0 (0.00121 and
// 0.00124, both 0.0012 at 2 digits) print apart.
func TestValidationSampleString(t *testing.T) {
	for _, c := range []struct {
		edges   []float64
		windows []int
		want    string
	}{
		{[]float64{0, 0.00123, 0.25, 1}, []int{10, 0, 3},
			"7 windows drawn from 3 strata of 10, 0, 3 windows; edges at scores 0, 0.00123, 0.25, 1"},
		{[]float64{0, 0.00121, 0.00124, 0.0131, 1}, []int{10, 10, 11, 10},
			"7 windows drawn from 4 strata of 10, 10, 11, 10 windows; edges at scores 0, 0.00121, 0.00124, 0.0131, 1"},
	} {
		s := &ValidationSample{Edges: c.edges, Windows: c.windows, Rows: make([]SampledWindow, 7)}
		if got := s.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
}
