package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// tooWide lists, for each lesson, its code lines wider than notebook.CodeColumns (a
// student scrolls such a cell sideways) and its code cells longer than
// notebook.CellLines (an algorithm that belongs in lib/), naming the lesson, the cell
// and the line as Jupyter numbers them.
func tooWide(lessonsDir string, lessons map[string]rendered) []string {
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(lessons)) {
		lesson := filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md")
		nb := lessons[name].notebook
		for _, w := range notebook.WideCodeLines(nb, notebook.CodeColumns) {
			problems = append(problems, fmt.Sprintf("%s: %s, want at most %d (wrap it or move the work into lib/)",
				lesson, w, notebook.CodeColumns))
		}
		for _, l := range notebook.LongCodeCells(nb, notebook.CellLines) {
			problems = append(problems, fmt.Sprintf("%s: %s, want at most %d (move the work into a lib/ function with a test)",
				lesson, l, notebook.CellLines))
		}
	}
	return problems
}
