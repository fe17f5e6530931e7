package classify

import (
	"fmt"
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

// TestFitPredictSplit: 1-NN trained on rows 0, 1, 3 of a table whose rows lie on a line
// predicts rows 4 and 2 by their nearest training row, worked out by hand.
func TestFitPredictSplit(t *testing.T) {
	table := &dataset.LabelTable{Classes: []string{"a", "b"}}
	classes := []int{0, 0, 1, 1, 1}
	for i, k := range classes {
		labels := []int{0, 0}
		labels[k] = 1
		table.Rows = append(table.Rows, dataset.Row{File: fmt.Sprintf("r%d.wav", i), Labels: labels})
	}
	features := [][]float32{{0}, {1}, {10}, {11}, {0.4}} // row 4 is class 1 but sits by class 0
	split := dataset.Split{Train: []int{0, 1, 3}, Test: []int{4, 2}}
	truth, predicted, err := FitPredictSplit(NewKNN(KNNOptions{K: 1}), table, features, split)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(truth.Index, []int{1, 1}) || !slices.Equal(predicted.Index, []int{0, 1}) {
		t.Errorf("truth %v, predicted %v; want [1 1] and [0 1]", truth.Index, predicted.Index)
	}
	if _, _, err := FitPredictSplit(NewKNN(KNNOptions{K: 1}), table, features[:4], split); err == nil || !strings.Contains(err.Error(), "4 feature vectors for a label table of 5 rows") {
		t.Errorf("features of another table: err = %v", err)
	}
	if _, _, err := FitPredictSplit(NewKNN(KNNOptions{K: 1}), table, features, dataset.Split{Test: []int{0}}); err == nil || !strings.Contains(err.Error(), "0 training and 1 test rows") {
		t.Errorf("no training rows: err = %v, want one that counts them", err)
	}
}
