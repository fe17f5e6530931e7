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
