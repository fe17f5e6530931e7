package metrics

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// handScores are 4 clips of 3 classes whose metrics are worked out by hand below.
var (
	handScores = [][]float64{
		{0.9, 0.05, 0.05},
		{0.1, 0.6, 0.3},
		{0.3, 0.5, 0.2},
		{0.4, 0.5, 0.1},
	}
	handClasses = []int{0, 1, 2, 0}
)

// TestScoreMetricsByHand checks each ScoreMetric on handScores against values computed by
// hand. Argmax predicts 0, 1, 1, 1: two right. Class 0's positives (0.9, 0.4) outscore its
// negatives (0.1, 0.3), as does class 1's (0.6 over 0.05, 0.5, 0.5): AUROC and AP 1. Class
// 2's positive (0.2) beats 0.05 and 0.1 but not 0.3: AUROC 2/3, AP 1/2. Pooled, the 4
// positives beat 26 of the 32 (positive, negative) pairs, and ranked they give precision 1,
// 1, 3/5 and 1/2 at recall 1/4, 1/2, 3/4 and 1: micro AP 0.775. F1 per class at the argmax:
// class 0 (precision 1, recall 1/2) 2/3, class 1 (1/3, 1) 1/2, class 2 0.
func TestScoreMetricsByHand(t *testing.T) {
	for _, c := range []struct {
		name   string
		metric ScoreMetric
		want   float64
	}{
		{"accuracy", Accuracy[float64], 0.5},
		{"top-2", TopK(2), 0.75},
		{"top-3", TopK(3), 1},
		{"macro F1", MacroF1, (2.0/3 + 0.5 + 0) / 3},
		{"macro AUROC", MacroAUROC, (1 + 1 + 2.0/3) / 3},
		{"micro AUROC", MicroAUROC, 26.0 / 32},
		{"macro mAP", MacroMAP, (1 + 1 + 0.5) / 3},
		{"cmAP", CMAP, (1 + 1 + 0.5) / 3},
		{"micro AP", MicroAP, 0.775},
	} {
		got, err := c.metric(handScores, handClasses)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	// Class 2 dropped from the clips: macro mAP averages in its 0, cmAP leaves it out.
	kept := []int{0, 1, 3}
	macro, err1 := MacroMAP(Rows(handScores, kept), Rows(handClasses, kept))
	cmap, err2 := CMAP(Rows(handScores, kept), Rows(handClasses, kept))
	if err1 != nil || err2 != nil || math.Abs(macro-2.0/3) > 1e-12 || math.Abs(cmap-1) > 1e-12 {
		t.Errorf("without class 2: macro mAP %v (%v), cmAP %v (%v); want 2/3 and 1", macro, err1, cmap, err2)
	}
	for _, bins := range []int{2, 5} {
		curve, _ := TopLabelReliability(handScores, handClasses, bins)
		if got, err := ECE(bins)(handScores, handClasses); err != nil || got != curve.ECE {
			t.Errorf("ECE(%d) = %v, %v; want TopLabelReliability's %v", bins, got, err, curve.ECE)
		}
	}
	if _, err := MacroAUROC(handScores, []int{0, 1, 3, 0}); err == nil {
		t.Error("MacroAUROC accepted class 3 of 3")
	}
}

// scoresOf returns one-hot-like scores whose argmax is predicted.
func scoresOf(predicted []int, numClasses int) [][]float64 {
	scores := make([][]float64, len(predicted))
	for i, p := range predicted {
		scores[i] = make([]float64, numClasses)
		scores[i][p] = 1
	}
	return scores
}

// TestScoreIntervalsAgreeWithAccuracyIntervals checks ScoreInterval and
// ScoreDifferenceInterval of the accuracy against AccuracyInterval and
// AccuracyDifferenceInterval, which compute it from right/wrong flags: the same draws
// must give the same intervals, with groups too.
func TestScoreIntervalsAgreeWithAccuracyIntervals(t *testing.T) {
	const n = 120
	truth, a, b, groups := make([]int, n), make([]int, n), make([]int, n), make([]string, n)
	for i := range truth {
		truth[i] = i % 5
		a[i], b[i] = truth[i], truth[i]
		if i%7 == 0 {
			a[i] = (truth[i] + 1) % 5
		}
		if i%3 == 0 {
			b[i] = (truth[i] + 2) % 5
		}
		groups[i] = string(rune('A' + i/6))
	}
	for _, g := range [][]string{nil, groups} {
		config := BootstrapConfig{Seed: 3, Groups: g}
		want, _ := AccuracyInterval(truth, a, config)
		got, err := ScoreInterval(Accuracy[float64], scoresOf(a, 5), truth, config)
		if err != nil || got.Estimate != want.Estimate || got.Lower != want.Lower || got.Upper != want.Upper {
			t.Errorf("groups %v: ScoreInterval %v (%v), AccuracyInterval %v", g != nil, got, err, want)
		}
		wantDiff, _ := AccuracyDifferenceInterval(truth, a, b, config)
		gotDiff, err := ScoreDifferenceInterval(Accuracy[float64], scoresOf(a, 5), scoresOf(b, 5), truth, config)
		if err != nil || gotDiff.Estimate != wantDiff.Estimate || gotDiff.Lower != wantDiff.Lower || gotDiff.Upper != wantDiff.Upper {
			t.Errorf("groups %v: ScoreDifferenceInterval %v (%v), AccuracyDifferenceInterval %v", g != nil, gotDiff, err, wantDiff)
		}
	}
	same, err := ScoreDifferenceInterval(MacroAUROC, handScores, handScores, handClasses, BootstrapConfig{Seed: 1})
	if err != nil || same.Lower != 0 || same.Upper != 0 || same.Estimate != 0 {
		t.Errorf("a model against itself: %v, %v; want 0 [0, 0]", same, err)
	}
	if _, err := ScoreInterval(MacroF1, handScores, handClasses[:3], BootstrapConfig{}); err == nil {
		t.Error("ScoreInterval accepted 4 rows of scores for 3 classes")
	}
	if _, err := ScoreDifferenceInterval(MacroF1, handScores, handScores[:3], handClasses, BootstrapConfig{}); err == nil {
		t.Error("ScoreDifferenceInterval accepted 3 rows of scores for 4 classes")
	}
}

// TestScoreTable checks the table's layout and that every cell is the metric's
// ScoreInterval, and its errors.
func TestScoreTable(t *testing.T) {
	config := BootstrapConfig{Seed: 1, Resamples: 50}
	named := []NamedMetric{{"accuracy", Accuracy[float64]}, {"micro AP", MicroAP}}
	worse := scoresOf([]int{1, 1, 1, 1}, 3)
	table, err := ScoreTable(named, []string{"hand", "ones"}, [][][]float64{handScores, worse}, handClasses, config)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(lines) != 3 || lines[0] != "metric            hand                    ones                  " {
		t.Fatalf("table:\n%s", table)
	}
	for i, n := range named {
		want := n.Name + strings.Repeat(" ", 16-len(n.Name))
		for _, scores := range [][][]float64{handScores, worse} {
			ci, _ := ScoreInterval(n.Metric, scores, handClasses, config)
			want += "  " + ci.String() + strings.Repeat(" ", 22-len(ci.String()))
		}
		if lines[i+1] != want {
			t.Errorf("line %d: %q, want %q", i+1, lines[i+1], want)
		}
	}
	if !strings.HasPrefix(lines[1][18:], "0.500 [") {
		t.Errorf("hand accuracy cell %q, want 0.500 [", lines[1][18:])
	}
	if _, err := ScoreTable(named, []string{"one"}, [][][]float64{handScores, worse}, handClasses, config); err == nil {
		t.Error("ScoreTable accepted 1 model name for 2 sets of scores")
	}
	_, err = ScoreTable(named, []string{"bad"}, [][][]float64{handScores[:2]}, handClasses, config)
	if err == nil || !strings.Contains(err.Error(), "accuracy of bad") {
		t.Errorf("mismatched scores: error %v, want one naming the metric and the model", err)
	}
}

// TestAUROCsLowest checks the order of the worst classes, ties and NaN included.
func TestAUROCsLowest(t *testing.T) {
	a := AUROCs{PerClass: []float64{0.9, 0.5, math.NaN(), 0.5, 0.7}}
	for _, c := range []struct {
		n    int
		want []int
	}{{3, []int{1, 3, 4}}, {10, []int{1, 3, 4, 0, 2}}, {0, []int{}}, {-1, []int{}}} {
		if got := a.Lowest(c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Lowest(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

// TestAtThresholds checks per-class thresholds against AtThreshold column by column, and
// that AtBestF1PerClass's own thresholds give its results back.
func TestAtThresholds(t *testing.T) {
	hot, _ := OneHot(handClasses, 3)
	thresholds := []float64{0.35, 0.55, 0.15}
	got, err := AtThresholds(handScores, hot, thresholds)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for c, th := range thresholds {
		want, _ := AtThreshold(Column(handScores, c), LabelColumn(hot, c), th)
		if got.PerClass[c] != want {
			t.Errorf("class %d: %+v, want %+v", c, got.PerClass[c], want)
		}
		sum += want.F1
	}
	if math.Abs(got.MacroF1-sum/3) > 1e-15 {
		t.Errorf("macro F1 %v, want %v", got.MacroF1, sum/3)
	}
	best, _ := AtBestF1PerClass(handScores, hot)
	again, err := AtThresholds(handScores, hot, best.Thresholds())
	if err != nil || !reflect.DeepEqual(again, best) {
		t.Errorf("at the best thresholds %v: %+v, %v; want %+v", best.Thresholds(), again, err, best)
	}
	if _, err := AtThresholds(handScores, hot, thresholds[:2]); err == nil {
		t.Error("accepted 2 thresholds for 3 classes")
	}
	if _, err := AtThresholds(handScores, hot, []float64{0.5, math.NaN(), 0.5}); err == nil {
		t.Error("accepted a NaN threshold")
	}
}
