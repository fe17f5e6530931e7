package dataset

import (
	"slices"
	"testing"
)

func TestClassesOf(t *testing.T) {
	table := &LabelTable{Classes: []string{"a", "b", "c"}, Rows: []Row{
		{File: "0.wav", Labels: []uint8{0, 0, 1}},
		{File: "1.wav", Labels: []uint8{1, 0, 0}},
		{File: "2.wav", Labels: []uint8{0, 1, 1}}, // two classes
		{File: "3.wav", Labels: []uint8{0, 0, 0}}, // none
	}}
	for _, tc := range []struct {
		rows, want []int
	}{
		{[]int{1, 0}, []int{0, 2}},
		{[]int{0, 2, 3, 0}, []int{2, -1, -1, 2}},
		{[]int{}, []int{}},
		{nil, []int{2, 0, -1, -1}},
	} {
		if got := table.ClassesOf(tc.rows); !slices.Equal(got, tc.want) {
			t.Errorf("ClassesOf(%v) = %v, want %v", tc.rows, got, tc.want)
		}
	}
}

// TestAllRows: every row index in order, and an empty (not nil) list for an
// empty table, so that it never reads as "all rows" a second time.
func TestAllRows(t *testing.T) {
	for _, c := range []struct {
		rows int
		want []int
	}{{0, []int{}}, {1, []int{0}}, {4, []int{0, 1, 2, 3}}} {
		tbl := &LabelTable{Classes: []string{"a"}, Rows: make([]Row, c.rows)}
		got := tbl.AllRows()
		if got == nil || !slices.Equal(got, c.want) {
			t.Errorf("%d rows: %#v, want %v", c.rows, got, c.want)
		}
	}
}
