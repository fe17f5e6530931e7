package notebook

import (
	"fmt"
	"strings"
)

// CodeColumns is how wide a code line may be, in columns with tabs 4 wide (the course's
// Jupyter configuration), before a student must scroll a cell sideways in a browser window
// of common width.
const CodeColumns = 95

// CellLines is how many lines a code cell may hold. A longer cell holds an algorithm
// that belongs in lib/, where it has a doc comment and a test (STYLE.md: "notebook cells
// that hold the algorithm").
const CellLines = 90

// WideLine is a code line wider than a limit: in cell Cell (numbered from 1, as Jupyter
// shows them, the setup cell included), line Line (from 1), Columns wide.
type WideLine struct {
	Cell, Line, Columns int
}

func (w WideLine) String() string {
	return fmt.Sprintf("cell %d line %d: %d columns", w.Cell, w.Line, w.Columns)
}

// LongCell is a code cell longer than a limit: cell Cell (numbered from 1, as Jupyter
// shows them), Lines lines long.
type LongCell struct {
	Cell, Lines int
}

func (l LongCell) String() string {
	return fmt.Sprintf("cell %d: %d lines", l.Cell, l.Lines)
}

// Columns is the width of a line as the editor shows it: runes, each tab advancing to the
// next multiple of 4.
func Columns(line string) int {
	col := 0
	for _, r := range line {
		if r == '\t' {
			col += 4 - col%4
		} else {
			col++
		}
	}
	return col
}

// WideCodeLines lists the lines of nb's code cells wider than limit columns.
func WideCodeLines(nb *Notebook, limit int) []WideLine {
	var wide []WideLine
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		for j, line := range strings.Split(c.Text(), "\n") {
			if n := Columns(line); n > limit {
				wide = append(wide, WideLine{Cell: i + 1, Line: j + 1, Columns: n})
			}
		}
	}
	return wide
}

// LongCodeCells lists nb's code cells of more than limit lines (a last line left empty by
// a trailing newline does not count).
func LongCodeCells(nb *Notebook, limit int) []LongCell {
	var long []LongCell
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		text := strings.TrimSuffix(c.Text(), "\n")
		if text == "" {
			continue
		}
		if n := strings.Count(text, "\n") + 1; n > limit {
			long = append(long, LongCell{Cell: i + 1, Lines: n})
		}
	}
	return long
}
