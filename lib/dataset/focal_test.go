package dataset

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestFirstPerClass checks the split row by row against a table whose rows interleave
// two classes, and the errors.
func TestFirstPerClass(t *testing.T) {
	a, b := []int{1, 0}, []int{0, 1}
	table := &LabelTable{Classes: []string{"a", "b"}, Rows: []Row{
		{File: "a0", Labels: a}, {File: "b0", Labels: b}, {File: "a1", Labels: a},
		{File: "a2", Labels: a}, {File: "b1", Labels: b}, {File: "b2", Labels: b}, {File: "a3", Labels: a},
	}}
	files := func(t *LabelTable) string {
		var names []string
		for _, r := range t.Rows {
			names = append(names, r.File)
		}
		return strings.Join(names, " ")
	}
	for _, c := range []struct {
		n           int
		first, rest string
	}{
		{0, "", "a0 b0 a1 a2 b1 b2 a3"},
		{1, "a0 b0", "a1 a2 b1 b2 a3"},
		{2, "a0 b0 a1 b1", "a2 b2 a3"},
		{3, "a0 b0 a1 a2 b1 b2", "a3"},
	} {
		first, rest, err := FirstPerClass(table, c.n)
		if err != nil {
			t.Fatalf("n=%d: %v", c.n, err)
		}
		if files(first) != c.first || files(rest) != c.rest {
			t.Errorf("n=%d: first %q rest %q, want %q and %q", c.n, files(first), files(rest), c.first, c.rest)
		}
		if !reflect.DeepEqual(first.Classes, table.Classes) || !reflect.DeepEqual(rest.Classes, table.Classes) {
			t.Errorf("n=%d: classes %v and %v", c.n, first.Classes, rest.Classes)
		}
	}
	for _, c := range []struct {
		table *LabelTable
		n     int
		want  string
	}{
		{table, 4, "class b has only 3 rows"},
		{table, -1, "want n ≥ 0"},
		{&LabelTable{Classes: []string{"a", "b"}, Rows: []Row{{File: "ab", Labels: []int{1, 1}}}}, 0, "row 0 (ab at 0 s) has not exactly one class"},
	} {
		if _, _, err := FirstPerClass(c.table, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("n=%d: error %v, want one saying %q", c.n, err, c.want)
		}
	}
}

// TestFocalClips labels the 5 s clips of two 10 s recordings from the example Raven table
// (amro 1–2.5 and 6.9–9.0 s, bcch 4.8–5.3 s), worked out by hand.
func TestFocalClips(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile(filepath.Join("testdata", "example.Raven.selections.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"amro.txt", "bcch.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), example, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	recordings := &LabelTable{Classes: []string{"amro", "bcch"}, Rows: []Row{
		{File: "audio/amro.wav", EndSeconds: 10, Labels: []int{1, 0}},
		{File: "audio/bcch.wav", EndSeconds: 10, Labels: []int{0, 1}},
	}}
	table := func(file string) string { return strings.TrimSuffix(filepath.Base(file), ".wav") + ".txt" }
	for _, c := range []struct {
		minOverlap float64
		want       []Row
	}{
		// amro sings in both clips of its recording; bcch only in 5–10 s (0.3 s of it) and in
		// 0–5 s (0.2 s): a clip is labelled with the focal species only.
		{0.25, []Row{{"audio/amro.wav", 0, 5, []int{1, 0}, 0}, {"audio/amro.wav", 5, 10, []int{1, 0}, 0},
			{"audio/bcch.wav", 5, 10, []int{0, 1}, 0}}},
		{0, []Row{{"audio/amro.wav", 0, 5, []int{1, 0}, 0}, {"audio/amro.wav", 5, 10, []int{1, 0}, 0},
			{"audio/bcch.wav", 0, 5, []int{0, 1}, 0}, {"audio/bcch.wav", 5, 10, []int{0, 1}, 0}}},
		// amro sings 1.5 s in 0–5 s and 2.1 s in 5–10 s.
		{2, []Row{{"audio/amro.wav", 5, 10, []int{1, 0}, 0}}},
	} {
		got, err := FocalClips(dir, recordings, FocalOptions{Selections: table, MinOverlapSeconds: c.minOverlap, Clips: ClipOptions{ClipSeconds: 5}})
		if err != nil {
			t.Fatalf("min overlap %g: %v", c.minOverlap, err)
		}
		if !reflect.DeepEqual(got.Rows, c.want) || !reflect.DeepEqual(got.Classes, recordings.Classes) {
			t.Errorf("min overlap %g: rows %v, want %v", c.minOverlap, got.Rows, c.want)
		}
	}
	o := FocalOptions{Selections: table, Clips: ClipOptions{ClipSeconds: 5}}
	for _, c := range []struct {
		row  Row
		o    FocalOptions
		want string
	}{
		{Row{File: "audio/amro.wav", EndSeconds: 10, Labels: []int{1, 1}}, o, "has not exactly one class"},
		{Row{File: "audio/amro.wav", StartSeconds: 5, EndSeconds: 10, Labels: []int{1, 0}}, o, "starts at 5 s"},
		{Row{File: "audio/missing.wav", EndSeconds: 10, Labels: []int{1, 0}}, o, "missing.txt"},
		{Row{File: "audio/amro.wav", EndSeconds: 10, Labels: []int{1, 0}}, FocalOptions{Clips: o.Clips}, "Selections is nil"},
	} {
		_, err := FocalClips(dir, &LabelTable{Classes: recordings.Classes, Rows: []Row{c.row}}, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("row %+v: error %v, want one saying %q", c.row, err, c.want)
		}
	}
}

// TestFiles checks the distinct files of some rows, in order of first appearance.
func TestFiles(t *testing.T) {
	table := &LabelTable{Rows: []Row{{File: "b.wav"}, {File: "./a.wav"}, {File: "b.wav"}, {File: "c.wav"}, {File: "a.wav"}}}
	for _, c := range []struct {
		rows []int
		want []string
	}{
		{nil, []string{"b.wav", "a.wav", "c.wav"}},
		{[]int{4, 3, 1}, []string{"a.wav", "c.wav"}},
		{[]int{}, nil},
	} {
		if got := table.Files(c.rows); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Files(%v) = %v, want %v", c.rows, got, c.want)
		}
	}
}
