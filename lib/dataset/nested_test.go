package dataset

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestNestedSplit checks the nested split against the two StratifiedGroupSplit calls it
// stands for, made by hand: its test part is a two-part split's, and its training and
// validation parts are the second split of the rest, mapped back to the table's rows.
// The three parts cover every row once, keep each recording whole, and are sorted.
func TestNestedSplit(t *testing.T) {
	tbl := splitTable()
	for _, o := range []NestedSplitOptions{
		{Test: 0.3, Validation: 0.2, Seed: 1},
		{Test: 0.2, Validation: 0.25, Seed: 7},
		{Test: 0.3, Seed: 2}, // no validation part
	} {
		got, err := NestedSplit(tbl, o)
		if err != nil {
			t.Fatal(err)
		}
		outer, _ := StratifiedGroupSplit(tbl, SplitOptions{Train: 1 - o.Test, Test: o.Test, Seed: o.Seed})
		want := Split{Train: outer.Train, Test: outer.Test}
		if o.Validation > 0 {
			rest := &LabelTable{Classes: tbl.Classes}
			for _, r := range outer.Train {
				rest.Rows = append(rest.Rows, tbl.Rows[r])
			}
			inner, _ := StratifiedGroupSplit(rest, SplitOptions{Train: 1 - o.Validation, Validation: o.Validation, Seed: o.Seed})
			want.Train, want.Validation = nil, nil
			for _, i := range inner.Train {
				want.Train = append(want.Train, outer.Train[i])
			}
			for _, i := range inner.Validation {
				want.Validation = append(want.Validation, outer.Train[i])
			}
		}
		if !reflect.DeepEqual(got.Test, want.Test) || !slices.Equal(got.Train, want.Train) || !slices.Equal(got.Validation, want.Validation) {
			t.Errorf("%+v: %+v, want %+v", o, got, want)
		}
		all := slices.Concat(got.Train, got.Validation, got.Test)
		slices.Sort(all)
		if !slices.Equal(all, tbl.AllRows()) {
			t.Errorf("%+v: the parts do not cover every row once", o)
		}
		for _, part := range got.Parts() {
			if !slices.IsSorted(part.Rows) {
				t.Errorf("%+v: %s rows not sorted", o, part.Name)
			}
		}
		if _, err := got.CheckGroups(tbl, nil); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	for _, bad := range []NestedSplitOptions{{Test: 0}, {Test: 1}, {Test: 0.3, Validation: 1}, {Test: 0.3, Validation: -0.1}} {
		if _, err := NestedSplit(tbl, bad); err == nil || !strings.Contains(err.Error(), "fraction") {
			t.Errorf("%+v: error %v, want one naming the fraction", bad, err)
		}
	}
}

// TestCheckGroups counts the recordings of a hand-made split and finds a recording put in
// two parts, naming it and both parts; with another grouping (the class), the same split
// leaks too.
func TestCheckGroups(t *testing.T) {
	tbl := &LabelTable{Classes: []string{"a", "b"}, Rows: []Row{
		{File: "x.wav", EndSeconds: 3, Labels: []int{1, 0}},
		{File: "./x.wav", StartSeconds: 3, EndSeconds: 6, Labels: []int{1, 0}},
		{File: "y.wav", EndSeconds: 3, Labels: []int{0, 1}},
		{File: "z.wav", EndSeconds: 3, Labels: []int{1, 0}},
	}}
	groups, err := Split{Train: []int{0, 1}, Validation: []int{2}, Test: []int{3}}.CheckGroups(tbl, nil)
	if err != nil || groups != 3 {
		t.Errorf("a clean split: %d groups, %v; want 3 recordings (x.wav, y.wav, z.wav), no error", groups, err)
	}
	_, err = Split{Train: []int{0}, Test: []int{1, 2, 3}}.CheckGroups(tbl, nil)
	if err == nil || !strings.Contains(err.Error(), "x.wav is in the training and the test part") {
		t.Errorf("x.wav in two parts: error %v", err)
	}
	byClass := func(r Row) string { return tbl.Classes[r.ClassOf()] }
	_, err = Split{Train: []int{0, 1}, Validation: []int{2}, Test: []int{3}}.CheckGroups(tbl, byClass)
	if err == nil || !strings.Contains(err.Error(), "a is in the training and the test part") {
		t.Errorf("class a in two parts: error %v", err)
	}
	if _, err := (Split{Train: []int{4}}).CheckGroups(tbl, nil); err == nil || !strings.Contains(err.Error(), "row 4") {
		t.Errorf("a row outside the table: error %v", err)
	}
}

// TestDescribe checks the per-part lines by hand: counts joined with commas, no brackets,
// an empty part left out; and RowFiles on its own.
func TestDescribe(t *testing.T) {
	tbl := &LabelTable{Classes: []string{"a", "b", "c"}, Rows: []Row{
		{File: "1.wav", Labels: []int{1, 0, 0}}, {File: "2.wav", Labels: []int{0, 1, 0}},
		{File: "3.wav", Labels: []int{1, 0, 1}}, {File: "4.wav", Labels: []int{0, 0, 1}},
	}}
	got := Split{Train: []int{0, 1, 2}, Test: []int{3}}.Describe(tbl, "clips")
	want := "training     3 clips, per class 2, 1, 1\n" +
		"test         1 clips, per class 0, 0, 1\n"
	if got != want {
		t.Errorf("Describe:\n%s\nwant\n%s", got, want)
	}
	if got := tbl.RowFiles([]int{3, 0}); !slices.Equal(got, []string{"4.wav", "1.wav"}) {
		t.Errorf("RowFiles([3 0]) = %v", got)
	}
	if got := tbl.RowFiles(nil); len(got) != 4 || got[1] != "2.wav" {
		t.Errorf("RowFiles(nil) = %v, want every row's", got)
	}
}

// TestMustNestedSplitAndSample: the Must forms return what the error forms return, and
// panic where those return an error.
func TestMustNestedSplitAndSample(t *testing.T) {
	tbl := splitTable()
	o := NestedSplitOptions{Test: 0.3, Validation: 0.2, Seed: 1}
	want, _ := NestedSplit(tbl, o)
	if got := MustNestedSplit(tbl, o); !reflect.DeepEqual(got, want) {
		t.Error("MustNestedSplit differs from NestedSplit")
	}
	sample, _ := SamplePerClass(tbl, want.Train, 1, 3)
	if got := MustSamplePerClass(tbl, want.Train, 1, 3); !slices.Equal(got, sample) {
		t.Error("MustSamplePerClass differs from SamplePerClass")
	}
	for name, f := range map[string]func(){
		"MustNestedSplit":    func() { MustNestedSplit(tbl, NestedSplitOptions{}) },
		"MustSamplePerClass": func() { MustSamplePerClass(tbl, nil, 0, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic on bad options", name)
				}
			}()
			f()
		}()
	}
}
