package notebook

import (
	"reflect"
	"strings"
	"testing"
)

func TestColumns(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"\tx", 5},
		{"ab\tx", 5},    // the tab goes to column 4
		{"abcd\tx", 9},  // from column 4 to 8
		{"→ é ü", 5},    // runes, not bytes
		{"\t\tfmt", 11}, // two levels
	} {
		if got := Columns(tc.line); got != tc.want {
			t.Errorf("Columns(%q) = %d, want %d", tc.line, got, tc.want)
		}
	}
}

func TestWideCodeLines(t *testing.T) {
	long := "fmt.Println(" + strings.Repeat("x", 80) + ")" // 93 columns
	nb, err := FromLesson("00-test", "# Test\n\nText "+strings.Repeat("y", 40)+"\n\n```go\n%%\n"+
		long+"\n\t"+long+"\nshort\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	code := 0
	for i, c := range nb.Cells {
		if c.CellType == "code" && strings.Contains(c.Text(), "short") {
			code = i + 1
		}
	}
	got := WideCodeLines(nb, CodeColumns)
	want := []WideLine{{Cell: code, Line: 3, Columns: 97}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WideCodeLines(95) = %v, want %v (markdown lines and the setup cell never count)", got, want)
	}
	if got := WideCodeLines(nb, 92); len(got) != 2 {
		t.Errorf("WideCodeLines(92) = %v, want both long lines", got)
	}
}

func TestLongCodeCells(t *testing.T) {
	cell := func(lines int) string { return "```go\n" + strings.Repeat("x++\n", lines) + "```\n\n" }
	for _, tc := range []struct {
		name  string
		cells []int // lines of each code cell
		limit int
		want  []int // the lines of the cells reported
	}{
		{"none long", []int{3, 90}, 90, nil},
		{"one over", []int{91, 5}, 90, []int{91}},
		{"two over", []int{120, 1, 95}, 90, []int{120, 95}},
		{"limit moves", []int{10, 11}, 10, []int{11}},
	} {
		lesson := "# Test\n\n"
		for _, n := range tc.cells {
			lesson += cell(n)
		}
		nb, err := FromLesson("00-test", lesson)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, l := range LongCodeCells(nb, tc.limit) {
			if nb.Cells[l.Cell-1].CellType != "code" {
				t.Errorf("%s: %v names a %s cell", tc.name, l, nb.Cells[l.Cell-1].CellType)
			}
			got = append(got, l.Lines)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: LongCodeCells(%d) found cells of %v lines, want %v", tc.name, tc.limit, got, tc.want)
		}
	}
}
