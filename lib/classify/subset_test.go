package classify

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

func subsetTable() *dataset.LabelTable {
	return &dataset.LabelTable{Classes: []string{"a", "b"}, Rows: []dataset.Row{
		{File: "r0.wav", Labels: []int{1, 0}},
		{File: "r1.wav", Labels: []int{0, 1}},
		{File: "r2.wav", Labels: []int{1, 0}},
		{File: "r3.wav", Labels: []int{1, 1}}, // two classes: not single-label
	}}
}

func TestSubset(t *testing.T) {
	table := subsetTable()
	features := [][]float32{{0}, {1}, {2}, {3}}
	tests := []struct {
		name      string
		features  [][]float32
		rows      []int
		wantX     []float32 // first value of each vector
		wantY     []int
		wantError string
	}{
		{"rows in the order given", features, []int{2, 0, 1}, []float32{2, 0, 1}, []int{0, 0, 1}, ""},
		{"no rows", features, []int{}, []float32{}, []int{}, ""},
		{"nil: every row", features[:3], nil, []float32{0, 1, 2}, []int{0, 1, 0}, ""},
		{"a row out of range", features, []int{0, 7}, nil, nil, "row 7 out of"},
		{"a row with two classes", features, []int{3}, nil, nil, "not exactly one class"},
		{"features of another table", features[:3], []int{0}, nil, nil, "3 feature vectors for a label table of 4 rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := table
			if tc.rows == nil { // every row of a table without the two-class row
				tab = &dataset.LabelTable{Classes: table.Classes, Rows: table.Rows[:3]}
			}
			x, y, err := Subset(tab, tc.features, tc.rows)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []float32{}
			for _, v := range x {
				got = append(got, v[0])
			}
			if !slices.Equal(got, tc.wantX) || !slices.Equal(y.Index, tc.wantY) || y.NumClasses != 2 {
				t.Errorf("got x %v, y %v (%d classes); want x %v, y %v (2 classes)", got, y.Index, y.NumClasses, tc.wantX, tc.wantY)
			}
		})
	}
}

// TestFitAccuracy: 1-NN on two separated groups, tested on points of known class
// (3 of 4 on the right side), gives 0.75 by hand.
func TestFitAccuracy(t *testing.T) {
	xTrain := [][]float32{{0, 0}, {0, 1}, {10, 10}, {10, 11}}
	yTrain := dataset.SingleLabel([]int{0, 0, 1, 1}, 2)
	x := [][]float32{{0, 0.5}, {9, 9}, {1, 0}, {11, 10}}
	y := dataset.SingleLabel([]int{0, 1, 1, 1}, 2) // the third point sits in class 0's group
	got, err := FitAccuracy(NewKNN(KNNOptions{K: 1}), xTrain, yTrain, x, y)
	if err != nil {
		t.Fatal(err)
	}
	if got != 0.75 {
		t.Errorf("accuracy %v, want 0.75", got)
	}
	// The predictions themselves: each point's nearer group, by hand.
	predicted, err := FitPredict(NewKNN(KNNOptions{K: 1}), xTrain, yTrain, x)
	if err != nil || !reflect.DeepEqual(predicted.Index, []int{0, 1, 0, 1}) {
		t.Errorf("FitPredict = %v, %v; want classes 0, 1, 0, 1", predicted.Index, err)
	}
	if _, err := FitAccuracy(NewKNN(KNNOptions{K: 1}), nil, dataset.SingleLabel(nil, 2), x, y); err == nil || !strings.Contains(err.Error(), "fitting") {
		t.Errorf("fitting on nothing: error %v, want one that says fitting failed", err)
	}
}
