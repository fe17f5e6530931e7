package notebook

import (
	"fmt"
	"regexp"
	"strings"
)

// Problem is a failed code cell in an executed notebook.
type Problem struct {
	// Cell is the 1-based position of the cell in the notebook, as Jupyter numbers cells
	// in its interface.
	Cell int
	// Source is the first line of the cell's code, to find it.
	Source string
	// Message says what went wrong (the error, or the stderr line that shows it).
	Message string
}

func (p Problem) String() string {
	if p.Cell == 0 {
		return p.Message
	}
	return fmt.Sprintf("cell %d (%s): %s", p.Cell, p.Source, p.Message)
}

// failureLine matches what GoNB writes on a cell's stderr when the cell's program or
// shell command fails: "exit status N" (N ≠ 0), "signal: killed", or a Go panic.
var failureLine = regexp.MustCompile(`(?m)^(exit status [1-9][0-9]*|signal: [a-z ]+|panic: .*|fatal error: .*)$`)

// Summary counts what an executed notebook holds.
type Summary struct {
	CodeCells    int // code cells in the notebook
	Executed     int // code cells that ran (have an execution count)
	Figures      int // image or SVG outputs displayed
	OutputsTotal int // outputs of all kinds
}

// Check returns the problems of an executed notebook: error outputs, and stderr text
// showing a failed program, panic or shell command — which Jupyter does not count as
// errors under GoNB. It also returns a summary of what ran.
func Check(nb *Notebook) ([]Problem, Summary) {
	var problems []Problem
	var sum Summary
	for i, cell := range nb.Cells {
		if cell.CellType != "code" {
			continue
		}
		sum.CodeCells++
		if cell.ExecutionCount != nil {
			sum.Executed++
		}
		first, _, _ := strings.Cut(strings.TrimSpace(cell.Text()), "\n")
		report := func(msg string) {
			problems = append(problems, Problem{Cell: i + 1, Source: first, Message: msg})
		}
		if cell.Outputs == nil {
			continue
		}
		var compileErrors []string
		for _, out := range *cell.Outputs {
			compileErrors = append(compileErrors, compileErrorsIn(out.Data)...)
		}
		for _, out := range *cell.Outputs {
			sum.OutputsTotal++
			switch out.OutputType {
			case "error":
				msg := strings.TrimSpace(out.EName + ": " + out.EValue)
				if len(compileErrors) > 0 {
					msg += "\n\t" + strings.Join(compileErrors, "\n\t")
				}
				report(msg)
			case "stream":
				if out.Name != "stderr" {
					continue
				}
				if m := failureLine.FindString(strings.Join(out.Text, "")); m != "" {
					report(m)
				}
			case "display_data", "execute_result":
				if isFigure(out.Data) {
					sum.Figures++
				}
			}
		}
	}
	return problems, sum
}

// gonbCompileError matches one Go compiler error in the HTML GoNB displays for a cell
// that does not compile: the cell's line, the location in the generated main.go, and the
// compiler's message.
var gonbCompileError = regexp.MustCompile(`gonb-cell-line-info">([^<]*)</span>\s*<span class="gonb-err-location">[^<]*</span>\s*([^\n<]*)`)

// compileErrorsIn returns "Cell[N]: Line L: message" for each compiler error in GoNB's
// HTML error display.
func compileErrorsIn(data map[string]any) []string {
	var found []string
	for _, m := range gonbCompileError.FindAllStringSubmatch(htmlOf(data), -1) {
		found = append(found, strings.TrimSpace(m[1])+": "+strings.TrimSpace(m[2]))
	}
	return found
}

// htmlOf returns the text/html entry of display data, joined when stored as lines.
func htmlOf(data map[string]any) string {
	switch t := data["text/html"].(type) {
	case string:
		return t
	case []any:
		var b strings.Builder
		for _, s := range t {
			b.WriteString(fmt.Sprint(s))
		}
		return b.String()
	}
	return ""
}

// isFigure tells whether display data holds a picture: PNG/SVG, or HTML embedding one.
func isFigure(data map[string]any) bool {
	for mime := range data {
		if strings.HasPrefix(mime, "image/") {
			return true
		}
		if mime == "text/html" {
			html := htmlOf(data)
			if strings.Contains(html, "<svg") || strings.Contains(html, "<img") {
				return true
			}
		}
	}
	return false
}
