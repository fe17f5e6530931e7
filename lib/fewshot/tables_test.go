package fewshot

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
)

// handComparison holds three results over the same four draws, with intervals worked out
// by hand in TestComparisonTable.
func handComparison() *Comparison {
	return &Comparison{Seeds: []uint64{1, 2, 3, 4}, Results: []Result{
		{Name: "a", Accuracies: []float64{0.9, 0.8, 0.7, 0.8}, TrainMean: 1, FitSeconds: 0.5, NumWeights: 7},
		{Name: "b", Accuracies: []float64{0.6, 0.6, 0.7, 0.5}, TrainMean: 0.75},
		{Name: "tree b", Accuracies: []float64{0.6, 0.6, 0.7, 0.5}},
	}}
}

// TestComparisonTable checks every cell of Table against a hand computation: a's mean 0.8
// with half-width t₃·s/√4, s² = 0.02/3; b − a's paired differences −0.3, −0.2, 0, −0.3,
// mean −0.2, s² = 0.02.
func TestComparisonTable(t *testing.T) {
	const t3 = 3.182446305284263
	c := handComparison()
	half := t3 * math.Sqrt(0.02/3/4)
	got, err := c.Table(0)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(got, "\n")
	if !strings.HasPrefix(lines[0], "classifier (4 draws)") || !strings.Contains(lines[0], "difference [95 %]") {
		t.Errorf("header %q", lines[0])
	}
	wantA := fmt.Sprintf("100.0 %%  %.1f %% [%.1f, %.1f]", 80.0, 100*(0.8-half), 100*(0.8+half))
	if !strings.Contains(lines[1], wantA) || !strings.Contains(lines[1], "0.500") || !strings.HasSuffix(strings.TrimSpace(lines[1]), "7") {
		t.Errorf("a's line %q, want it to hold %q, 0.500 s and 7 weights, and no difference", lines[1], wantA)
	}
	dHalf := t3 * math.Sqrt(0.02/4)
	wantB := fmt.Sprintf("%+.2f [%+.2f, %+.2f]", -20.0, 100*(-0.2-dHalf), 100*(-0.2+dHalf))
	if !strings.HasPrefix(lines[2], "b ") || !strings.HasSuffix(lines[2], wantB) || !strings.Contains(lines[2], " 75.0 %") {
		t.Errorf("b's line %q, want train 75.0 %% and the difference %q", lines[2], wantB)
	}
	if !strings.Contains(got, "minus that of a,") {
		t.Errorf("no note on the difference column:\n%s", got)
	}
	if plain := c.MustTable(-1); strings.Contains(plain, "difference") {
		t.Errorf("Table(-1) has a difference column:\n%s", plain)
	}
	if _, err := c.Table(3); !errors.Is(err, ErrInput) {
		t.Errorf("Table(3) of 3 results: %v, want ErrInput", err)
	}
}

// TestComparisonPairs makes a − b 0.4, 0.3, 0.1, 0.3 (an interval above zero, printed)
// and a − tree b 0.3, 0.2, 0, 0.3 (mean 0.2 ± 0.225: holds zero, not printed); skipping
// the names that start with "tree" leaves one pair.
func TestComparisonPairs(t *testing.T) {
	c := handComparison()
	c.Results[1].Accuracies = []float64{0.5, 0.5, 0.6, 0.5} // a − b: 0.4, 0.3, 0.1, 0.3
	all := c.MustPairs("")
	if !strings.HasPrefix(all, "excludes zero: a − b: ") || !strings.Contains(all, "3 pairs: ") {
		t.Errorf("Pairs(\"\"):\n%s", all)
	}
	// a − b: mean 0.275, s² = (0.125² + 0.025² + 0.175² + 0.025²)/3.
	s := math.Sqrt((0.125*0.125 + 0.025*0.025 + 0.175*0.175 + 0.025*0.025) / 3)
	widest := 100 * (0.275 + 3.182446305284263*s/2)
	if !strings.Contains(all, fmt.Sprintf("within ±%.2f points", widest)) {
		t.Errorf("Pairs(\"\") = %q, want the widest bound %.2f", all, widest)
	}
	skipped := c.MustPairs("tree")
	if !strings.Contains(skipped, "1 pairs without tree") {
		t.Errorf("Pairs(\"tree\"):\n%s", skipped)
	}
}

// TestCompareSizes measures one feature set at two sizes: each comparison draws its own
// number of training clips per class, over the same seeds; SizesTable writes a row per
// size with Interval's cells.
func TestCompareSizes(t *testing.T) {
	labels := extractorTable([]int{6, 6})
	vectors := make([][]float32, len(labels.Rows))
	for i, r := range labels.Rows {
		vectors[i] = []float32{float32(r.ClassOf()), float32(i % 3)}
	}
	sets := []FeatureSet{{Name: "class", Vectors: vectors}}
	o := Options{Seeds: []uint64{1, 2, 3}, NewClassifier: func() classify.Classifier { return &fixedClassifier{2} }}
	sizes, err := CompareSizes(labels, sets, []int{1, 3}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 2 || sizes[0].PerClass != 1 || sizes[1].PerClass != 3 || sizes[1].TrainClips != 6 {
		t.Fatalf("sizes: %d comparisons, per class %d and %d", len(sizes), sizes[0].PerClass, sizes[1].PerClass)
	}
	table := MustSizesTable(sizes)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "1 ") || !strings.HasSuffix(lines[2], "100.0 % [100.0, 100.0]") {
		t.Errorf("SizesTable:\n%s", table)
	}
	for _, bad := range [][]int{nil, {0}} {
		if _, err := CompareSizes(labels, sets, bad, o); !errors.Is(err, ErrInput) {
			t.Errorf("sizes %v: error %v, want ErrInput", bad, err)
		}
	}
	renamed := *sizes[1]
	renamed.Results = []Result{sizes[1].Results[0]}
	renamed.Results[0].Name = "other"
	if _, err := SizesTable([]*Comparison{sizes[0], &renamed}); !errors.Is(err, ErrInput) {
		t.Errorf("two sizes of different sets: error %v, want ErrInput", err)
	}
	if got := seedList([]uint64{1, 2, 3}); got != "1, 2, 3" {
		t.Errorf("seedList = %q", got)
	}
	if s := sizes[0].String(); !strings.Contains(s, "(seeds 1, 2, 3)") {
		t.Errorf("String() = %q, want the seeds as a list without brackets", s)
	}
}

// singleDraw is handComparison with every seed but the first a repeat of it: one distinct
// draw, so Interval and Difference have NaN bounds (metrics.RepeatsInterval).
func singleDraw() *Comparison {
	c := handComparison()
	c.Repeats = []int{1, 2, 3}
	return c
}

// TestTablesOneDistinctDraw: with one distinct draw every table prints the estimate (the
// first draw's accuracy, 90 % for a and 60 % for b) with "—" bounds, never NaN, and Pairs
// neither claims a pair excludes zero nor gives a widest bound.
func TestTablesOneDistinctDraw(t *testing.T) {
	c := singleDraw()
	table, err := c.Table(0)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(table, "\n")
	if !strings.HasPrefix(lines[0], "classifier (1 draws)") || !strings.Contains(lines[1], "90.0 % [—, —]") ||
		!strings.Contains(lines[2], "60.0 % [—, —]") || !strings.HasSuffix(lines[2], "-30.00 [—, —]") {
		t.Errorf("Table(0) with one draw:\n%s", table)
	}
	sizes, err := SizesTable([]*Comparison{c, handComparison()})
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(sizes), "\n")
	if !strings.HasSuffix(rows[1], "90.0 % [—, —]           60.0 % [—, —]           60.0 % [—, —]") ||
		strings.Contains(rows[2], "—") {
		t.Errorf("SizesTable with one draw, then four:\n%s", sizes)
	}
	pairs, err := c.Pairs("")
	if err != nil {
		t.Fatal(err)
	}
	if pairs != "3 pairs: no interval (fewer than two distinct draws)\n" {
		t.Errorf("Pairs(\"\") with one draw = %q", pairs)
	}
	for _, text := range []string{table, sizes, pairs, c.String()} {
		if strings.Contains(text, "NaN") {
			t.Errorf("NaN printed:\n%s", text)
		}
	}
}
