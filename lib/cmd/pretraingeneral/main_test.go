package main

import (
	"fmt"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// table makes a single-label table: counts[c] recordings of class c, the
// recordings of odd index with two clips.
func table(counts []int) *dataset.LabelTable {
	t := &dataset.LabelTable{}
	for c, n := range counts {
		t.Classes = append(t.Classes, fmt.Sprintf("c%d", c))
		for i := range n {
			for k := range 1 + i%2 {
				labels := make([]int, len(counts))
				labels[c] = 1
				t.Rows = append(t.Rows, dataset.Row{File: fmt.Sprintf("audio/c%d/r%d.wav", c, i), StartSeconds: float64(3 * k), EndSeconds: float64(3*k + 3), Labels: labels})
			}
		}
	}
	return t
}

func TestSplitRecordings(t *testing.T) {
	for _, tc := range []struct {
		counts   []int
		fraction float64
		want     []int // held-out recordings per class
	}{
		{[]int{10, 20, 1, 2, 3}, 0.1, []int{1, 2, 0, 0, 1}},
		{[]int{10, 20, 1, 2, 3}, 0.5, []int{5, 10, 1, 1, 2}},
		{[]int{10, 4}, 0, []int{0, 0}},
	} {
		labels := table(tc.counts)
		val := splitRecordings(labels, tc.fraction, 7)
		got := make([]int, len(tc.counts))
		for f := range val {
			var c, i int
			fmt.Sscanf(f, "audio/c%d/r%d.wav", &c, &i)
			got[c]++
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("counts %v, fraction %g: held out %v recordings per class, want %v", tc.counts, tc.fraction, got, tc.want)
		}
		if again := splitRecordings(labels, tc.fraction, 7); fmt.Sprint(again) != fmt.Sprint(val) {
			t.Errorf("counts %v: the split changed between two calls with the same seed", tc.counts)
		}
	}
	// A different seed gives another split of a class with many recordings.
	if a, b := splitRecordings(table([]int{40}), 0.5, 1), splitRecordings(table([]int{40}), 0.5, 2); fmt.Sprint(a) == fmt.Sprint(b) {
		t.Errorf("seeds 1 and 2 gave the same split")
	}
}
