package main

import (
	"fmt"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// tooWide lists the lines of a student's file (its path and contents) wider than
// notebook.CodeColumns, the width of a notebook's code cell: students read and edit
// these files in the same Jupyter. The stub that stands in for a solution region (its
// "// TODO: hint" line and the panic that repeats the hint) is exempt: its width is the
// hint's, written on the instructor's BEGIN SOLUTION line.
func tooWide(path string, data []byte) []string {
	var wide []string
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "// TODO: ") || strings.HasPrefix(trimmed, `panic("not implemented`) {
			continue
		}
		if n := notebook.Columns(line); n > notebook.CodeColumns {
			wide = append(wide, fmt.Sprintf("%s:%d: %d columns, want at most %d (wrap the instructor's line)",
				path, i+1, n, notebook.CodeColumns))
		}
	}
	return wide
}
