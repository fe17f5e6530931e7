package dataset

import (
	"slices"
	"testing"
)

func TestClassesOf(t *testing.T) {
	table := &LabelTable{Classes: []string{"a", "b", "c"}, Rows: []Row{
		{File: "0.wav", Labels: []int{0, 0, 1}},
		{File: "1.wav", Labels: []int{1, 0, 0}},
		{File: "2.wav", Labels: []int{0, 1, 1}}, // two classes
		{File: "3.wav", Labels: []int{0, 0, 0}}, // none
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

// TestRowEncodings: each encoding of a row's labels, for rows of no, one and
// several classes.
func TestRowEncodings(t *testing.T) {
	for _, c := range []struct {
		labels  []int
		indices []int
		classOf int
	}{
		{[]int{0, 0, 0}, nil, -1},
		{[]int{0, 1, 0}, []int{1}, 1},
		{[]int{1, 0, 1}, []int{0, 2}, -1},
		{[]int{1, 1, 1}, []int{0, 1, 2}, -1},
	} {
		r := Row{File: "x.wav", Labels: c.labels}
		if got := r.ClassIndices(); !slices.Equal(got, c.indices) {
			t.Errorf("%v: ClassIndices %v, want %v", c.labels, got, c.indices)
		}
		if got := r.ClassOf(); got != c.classOf {
			t.Errorf("%v: ClassOf %d, want %d", c.labels, got, c.classOf)
		}
	}
}

// TestWithClasses: the chosen columns in the order given (repeated or
// reordered), the other fields kept, the original row left as it was.
func TestWithClasses(t *testing.T) {
	for _, c := range []struct {
		labels  []int
		classes []int
		want    []int
	}{
		{[]int{1, 0, 1}, []int{0, 2}, []int{1, 1}},
		{[]int{1, 0, 1}, []int{1}, []int{0}},
		{[]int{0, 1, 0}, []int{2, 1, 0}, []int{0, 1, 0}},
		{[]int{0, 1, 0}, []int{1, 1}, []int{1, 1}},
		{[]int{0, 1, 0}, nil, []int{}},
	} {
		r := Row{File: "x.wav", StartSeconds: 1.5, EndSeconds: 4, Labels: slices.Clone(c.labels)}
		got := r.WithClasses(c.classes)
		if !slices.Equal(got.Labels, c.want) || got.Labels == nil {
			t.Errorf("%v kept to %v: %v, want %v", c.labels, c.classes, got.Labels, c.want)
		}
		if got.File != r.File || got.StartSeconds != r.StartSeconds || got.EndSeconds != r.EndSeconds {
			t.Errorf("%v kept to %v: row %+v, want the fields of %+v", c.labels, c.classes, got, r)
		}
		if !slices.Equal(r.Labels, c.labels) {
			t.Errorf("%v kept to %v changed the row's own labels to %v", c.labels, c.classes, r.Labels)
		}
	}
}

func TestClassLists(t *testing.T) {
	for _, c := range []struct {
		classes []int
		want    [][]int
	}{
		{nil, [][]int{}},
		{[]int{2}, [][]int{{2}}},
		{[]int{0, 3, 0}, [][]int{{0}, {3}, {0}}},
	} {
		got := ClassLists(c.classes)
		if !slices.EqualFunc(got, c.want, slices.Equal[[]int]) || len(got) != len(c.want) {
			t.Errorf("ClassLists(%v) = %v, want %v", c.classes, got, c.want)
		}
	}
}
