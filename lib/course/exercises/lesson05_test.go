package exercises

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// lesson05Scores builds scores on the lesson's split whose answers are known by hand:
//   - Logistic: every test clip right except the first test clip of class 3 and every
//     clip of class 7 after its first 8 (recall 0.2 if there are 10): class 7 is the
//     weakest; its recall interval is computed below by counting, without
//     SingleLabelReport.
//   - MLP: top probability 0.9 on every clip, right on every other clip: accuracy 0.5
//     in the one bin that holds 0.9 at any bin count, so ECE = |0.9 − 0.5| = 0.4 at 5
//     and at 20 bins.
//   - Sigmoid: test clips score 0.8 on their species and 0.1 elsewhere; every validation
//     clip of species k scores 0.6 on k when k is even and 0.9 when odd (0.3 elsewhere),
//     so the best-F1 threshold of one validation clip is 0.6 or 0.9, and on the test
//     clips (0.8) even species get F1 1 and odd species F1 0: macro F1 0.5.
func lesson05Scores(t *testing.T) (Lesson05, []int) {
	t.Helper()
	table, s, err := lesson05Split()
	if err != nil {
		t.Fatal(err)
	}
	n := len(table.Classes)
	testClasses, validationClasses := table.ClassesOf(s.Test), table.ClassesOf(s.Validation)
	row := func(top int, high, low float64) []float64 {
		r := make([]float64, n)
		for k := range r {
			r[k] = low
		}
		r[top] = high
		return r
	}
	var l Lesson05
	seen := make([]int, n)
	for i, k := range testClasses {
		predicted := k
		if (k == 3 && seen[k] == 0) || (k == 7 && seen[k] >= 2) {
			predicted = (k + 1) % n
		}
		seen[k]++
		l.Logistic.Test = append(l.Logistic.Test, row(predicted, 0.9, 0.1/float64(n-1)))
		top := k
		if i%2 == 1 {
			top = (k + 1) % n
		}
		l.MLP.Test = append(l.MLP.Test, row(top, 0.9, 0.1/float64(n-1)))
		l.Sigmoid.Test = append(l.Sigmoid.Test, row(k, 0.8, 0.1))
	}
	for _, k := range validationClasses {
		high := 0.6
		if k%2 == 1 {
			high = 0.9
		}
		l.Sigmoid.Validation = append(l.Sigmoid.Validation, row(k, high, 0.3))
	}
	return l, testClasses
}

// weakestRecallWidth bootstraps class 7's recall under lesson05Scores by counting right
// clips of class 7 in each resample (a second way to the exercise's value).
func weakestRecallWidth(t *testing.T, testClasses []int) float64 {
	t.Helper()
	rightOf7, seen := make([]bool, len(testClasses)), 0
	for i, k := range testClasses {
		if k == 7 {
			rightOf7[i] = seen < 2
			seen++
		}
	}
	ci, err := metrics.Bootstrap(len(testClasses), func(clips []int) (float64, error) {
		of7, right := 0, 0
		for _, i := range clips {
			if testClasses[i] == 7 {
				of7++
				if rightOf7[i] {
					right++
				}
			}
		}
		if of7 == 0 {
			return 0, nil // SingleLabelReport's recall of a class without clips
		}
		return float64(right) / float64(of7), nil
	}, metrics.BootstrapConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return ci.Upper - ci.Lower
}

func TestLesson05(t *testing.T) {
	useRepositoryDatasets(t, "synth-transfer")
	scores, testClasses := lesson05Scores(t)
	width := weakestRecallWidth(t, testClasses)
	if !(width > 0.2 && width < 0.6) {
		t.Fatalf("class 7's recall interval is %.3f wide; the hand-made scores are off", width)
	}
	right := scores
	right.WeakestRecallWidth, right.MLPECE5, right.MLPECE20, right.HonestF1OneClip = width, 0.4, 0.4, 0.5
	wrong := right
	wrong.MLPECE20 = 0.41
	for _, c := range []struct {
		name    string
		answers Lesson05
		want    []string
	}{
		{"blank", scores, []string{"✗ exercise 5", "not yet", "0 of 4 checks pass"}},
		{"right", right, []string{"✓ exercise 5", "✓ exercise 6: the MLP's ECE with 5 bins", "✓ exercise 6: the MLP's ECE with 20 bins", "✓ exercise 7", "all 4 checks pass"}},
		{"one wrong", wrong, []string{"✗ exercise 6: the MLP's ECE with 20 bins: not yet (your answer: 0.41)", "3 of 4 checks pass"}},
	} {
		var out bytes.Buffer
		if err := c.answers.CheckTo(&out); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, want := range c.want {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: output\n%s\nwant it to contain %q", c.name, out.String(), want)
			}
		}
		if c.name == "blank" && strings.Count(out.String(), "not yet") != 4 {
			t.Errorf("blank answers: output\n%s\nwant 4 not yet", out.String())
		}
	}
}

func TestLesson05Errors(t *testing.T) {
	old := Datasets
	t.Cleanup(func() { Datasets = old })
	Datasets = filepath.Join(t.TempDir(), "nowhere")
	err := Lesson05{}.CheckTo(&bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(Datasets, "synth-transfer", "labels.csv")) {
		t.Errorf("missing data: error %v, want one naming the path", err)
	}
	Datasets = old
	useRepositoryDatasets(t, "synth-transfer")
	scores, _ := lesson05Scores(t)
	scores.MLP = classify.SplitScores{}
	if err := scores.CheckTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "MLP.Test has 0 rows") {
		t.Errorf("scores not passed: error %v, want one naming Lesson05.MLP.Test", err)
	}
}
