package dataset

import (
	"reflect"
	"slices"
	"strings"
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

// TestRowEncodings: the single class of rows of no, one and several classes.
func TestRowEncodings(t *testing.T) {
	for _, c := range []struct {
		labels  []int
		classOf int
	}{
		{[]int{0, 0, 0}, -1},
		{[]int{0, 1, 0}, 1},
		{[]int{1, 0, 1}, -1},
		{[]int{1, 1, 1}, -1},
	} {
		r := Row{File: "x.wav", Labels: c.labels}
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

// TestFromTable: each encoding of a table's rows, checked against the rows
// written out by hand, with Len, Has, IsMulti and Subset on each, and the
// errors for a row of two classes, a row out of range and an unknown kind.
func TestFromTable(t *testing.T) {
	table := &LabelTable{Classes: []string{"wren", "robin", "tit"}, Rows: []Row{
		{File: "a.wav", Labels: []int{0, 1, 0}},
		{File: "b.wav", Labels: []int{1, 0, 0}},
		{File: "c.wav", Labels: []int{0, 1, 1}},
	}}
	for _, c := range []struct {
		name string
		rows []int
		kind LabelKind
		want Labels
		err  string
	}{
		{"class index", []int{0, 1}, ClassIndex, Labels{NumClasses: 3, Index: []int{1, 0}}, ""},
		{"class index, reordered", []int{1, 0, 1}, ClassIndex, Labels{NumClasses: 3, Index: []int{0, 1, 0}}, ""},
		{"multi-hot, all", nil, MultiHot, Labels{NumClasses: 3, Hot: [][]int{{0, 1, 0}, {1, 0, 0}, {0, 1, 1}}}, ""},
		{"multi-hot, one", []int{2}, MultiHot, Labels{NumClasses: 3, Hot: [][]int{{0, 1, 1}}}, ""},
		{"two classes", nil, ClassIndex, Labels{}, "row 2 (c.wav at 0s) has not exactly one class"},
		{"row out of range", []int{3}, MultiHot, Labels{}, "row 3 out of the label table's 3 rows"},
		{"unknown kind", nil, LabelKind(7), Labels{}, "unknown label kind 7"},
	} {
		got, err := FromTable(table, c.rows, c.kind)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
			continue
		}
		if got.Len() != len(c.rows) && c.rows != nil || got.IsMulti() != (c.kind == MultiHot) {
			t.Errorf("%s: Len %d, IsMulti %v", c.name, got.Len(), got.IsMulti())
		}
		rows := c.rows
		if rows == nil {
			rows = table.AllRows()
		}
		for i, r := range rows {
			for k := range table.Classes {
				if got.Has(i, k) != (table.Rows[r].Labels[k] == 1) {
					t.Errorf("%s: Has(%d, %d) = %v, row %d's labels are %v", c.name, i, k, got.Has(i, k), r, table.Rows[r].Labels)
				}
			}
		}
		// Subset in reverse order is FromTable of the rows in reverse order.
		back := make([]int, len(rows))
		for i := range rows {
			back[i] = len(rows) - 1 - i
		}
		rev := slices.Clone(rows)
		slices.Reverse(rev)
		want, _ := FromTable(table, rev, c.kind)
		if sub := got.Subset(back); !reflect.DeepEqual(sub, want) {
			t.Errorf("%s: Subset(%v) = %+v, want %+v", c.name, back, sub, want)
		}
	}
}

// TestSingleMultiLabel: the constructors set one encoding and the class count.
func TestSingleMultiLabel(t *testing.T) {
	s := SingleLabel([]int{2, 0}, 4)
	if s.NumClasses != 4 || s.Hot != nil || s.Len() != 2 || !s.Has(0, 2) || s.Has(1, 2) {
		t.Errorf("SingleLabel: %+v", s)
	}
	m := MultiLabel([][]int{{1, 0, 1}})
	if m.NumClasses != 3 || m.Index != nil || m.Len() != 1 || !m.Has(0, 2) || m.Has(0, 1) {
		t.Errorf("MultiLabel: %+v", m)
	}
	if e := MultiLabel(nil); e.NumClasses != 0 || e.Len() != 0 {
		t.Errorf("MultiLabel(nil): %+v", e)
	}
}
