package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// warnWide says which lessons hold code lines wider than notebook.CodeColumns (a student
// scrolls such a cell sideways), naming the first few. It warns and does not fail: some
// lessons still hold long format strings.
func warnWide(lessonsDir string, lessons map[string]rendered) {
	for _, name := range sortedKeys(lessons) {
		wide := notebook.WideCodeLines(lessons[name].notebook, notebook.CodeColumns)
		if len(wide) == 0 {
			continue
		}
		var first []string
		for _, w := range wide[:min(3, len(wide))] {
			first = append(first, w.String())
		}
		lesson := filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md")
		fmt.Printf("warning: %s: %d code lines wider than %d columns (%s)\n", lesson, len(wide),
			notebook.CodeColumns, strings.Join(first, "; "))
	}
}
