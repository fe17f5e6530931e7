package notebook

import (
	"fmt"
	"regexp"
	"strings"
)

// Problem is a failed code cell in an executed notebook.
type Problem struct {
	// Cell is the 1-based position of the cell in the notebook, as Jupyter numbers cells
	// in its interface; 0 for a problem of the whole notebook.
	Cell int
	// Source is the first line of the cell's code, to find it.
	Source string
	// Message says what went wrong (the error, or the output line that shows it).
	Message string
}

func (p Problem) String() string {
	if p.Cell == 0 {
		return p.Message
	}
	return fmt.Sprintf("cell %d (%s): %s", p.Cell, p.Source, p.Message)
}

// Directives are comment lines in a cell's code that tell Check what the cell does on
// purpose, e.g. "//nbcheck:error the file is missing on purpose". A cell with a
// directive must do what it says: a cell marked nbcheck:error that shows no error is a
// problem too, so a directive cannot outlive its reason.
const (
	// DirectiveError marks a cell that shows an error on purpose: error lines, panic
	// and exit text in its output are expected, and at least one must be there.
	// Error outputs (a cell that does not compile) are never expected.
	DirectiveError = "nbcheck:error"
	// DirectiveNaN marks a cell that prints NaN or ±Inf on purpose (and does).
	DirectiveNaN = "nbcheck:nan"
)

var directiveLine = regexp.MustCompile(`(?m)^\s*//\s*(nbcheck:[a-z-]+)`)

// Output that shows a failure, wherever it appears (stdout or stderr, indented or
// not, with "\r\n" endings): GoNB reports a failed program, panic or shell command only
// as such text; an error printed by the cell's own code looks like the others.
var (
	// failureLine: "exit status N" (N ≠ 0), "signal: killed", a Go panic or fatal
	// error, a goroutine trace.
	failureLine = regexp.MustCompile(`(?m)^\s*(exit status [1-9][0-9]*|signal: [a-z ]+|panic: .*|fatal error: .*|goroutine [0-9]+ \[[a-z ]+\]:)\s*$`)
	// errorLine: a line that starts with "error:" or "err:" (any case), or that holds
	// an operating system's error text.
	errorLine = regexp.MustCompile(`(?mi)^\s*(error|err)\s*:.*$|^.*(no such file or directory|permission denied).*$`)
	// notANumber: NaN or an infinity as Go prints them ("NaN", "+Inf", "-Inf", "Inf").
	notANumber = regexp.MustCompile(`\bNaN\b|[+-]Inf\b|\bInf\b`)
)

// DisplayKind says what a display call leaves in the executed notebook.
type DisplayKind int

const (
	// Figure: an image, an SVG, or HTML holding one.
	Figure DisplayKind = iota
	// Display: any non-empty display output (HTML, an audio player, a progress bar).
	Display
)

// DisplayCall is a call that, run in a cell's main body, must leave its output in
// the executed notebook.
type DisplayCall struct {
	// Package is the name a cell calls it by ("plots"); Func the function.
	Package, Func string
	Kind          DisplayKind
}

// DisplayCalls are the calls Check requires to show something: lib/plots' Show
// functions (every figure of the course goes through them; lib/*plots packages and
// metricsplots.LearningCurves only build the plots they show) and GoNB's own display
// functions. notebook's tests list every exported function of lib/ that displays and
// require it here or among its exemptions.
var DisplayCalls = []DisplayCall{
	{"plots", "Show", Figure}, {"plots", "MustShow", Figure},
	{"plots", "ShowScatter", Figure}, {"plots", "MustShowScatter", Figure},
	{"plots", "ShowAudio", Display}, {"plots", "MustShowAudio", Display},
	{"gonbui", "DisplayHTML", Display}, {"gonbui", "DisplayMarkdown", Display},
	{"gonbui", "DisplaySVG", Figure}, {"gonbui", "DisplayPNG", Figure}, {"gonbui", "DisplayImage", Figure},
	{"cnnnb", "Progress", Display},
}

// printCall matches the calls that write a cell's output: fmt's and log's Print
// functions, print and println. A cell whose main body makes one must have output.
var printCall = regexp.MustCompile(`\b(fmt\.(Print|Println|Printf|Fprint|Fprintln|Fprintf)|log\.(Print|Println|Printf|Fatal|Fatalf|Fatalln)|println|print)\(`)

// Summary counts what an executed notebook holds.
type Summary struct {
	CodeCells    int // code cells in the notebook
	Executed     int // code cells that ran (have an execution count)
	Figures      int // image or SVG outputs displayed
	OutputsTotal int // outputs of all kinds
}

// engineLine matches the line lib/backend prints to say which engine runs a cell's
// numbers (`engine "purego": …`). It shows once per kernel session, and again only when
// the engine changes.
var engineLine = regexp.MustCompile(`(?m)^engine "[^"]*": .*$`)

// Check returns the problems of an executed notebook, cell by cell:
//   - error outputs (a cell that does not compile, or a kernel error);
//   - text showing a failed program, panic or shell command ("exit status 1", "panic:
//     …"), which Jupyter does not count as an error under GoNB, on stdout or stderr;
//   - error lines printed by the cell ("error: open x.wav: no such file or directory");
//   - NaN or ±Inf in printed numbers or in a figure;
//   - the same engine line shown by a second cell (lib/backend prints it once);
//   - a display call of DisplayCalls in the cell's main body without its output (a
//     figure that did not render), and a main body that prints or shows with no
//     output at all.
//
// A cell that does one of these on purpose says so with a directive (DirectiveError,
// DirectiveNaN). Check also returns a summary of what ran.
func Check(nb *Notebook) ([]Problem, Summary) {
	var problems []Problem
	var sum Summary
	engineShownIn := map[string]int{} // each engine line → the cell that showed it first
	for i, cell := range nb.Cells {
		if cell.CellType != "code" {
			continue
		}
		sum.CodeCells++
		if cell.ExecutionCount != nil {
			sum.Executed++
		}
		code := cell.Text()
		first, _, _ := strings.Cut(strings.TrimSpace(code), "\n")
		report := func(msg string) {
			problems = append(problems, Problem{Cell: i + 1, Source: first, Message: msg})
		}
		directives := map[string]bool{}
		for _, m := range directiveLine.FindAllStringSubmatch(code, -1) {
			switch m[1] {
			case DirectiveError, DirectiveNaN:
				directives[m[1]] = true
			default:
				report(fmt.Sprintf("unknown directive %q (known: %s, %s)", m[1], DirectiveError, DirectiveNaN))
			}
		}
		var outputs []Output
		if cell.Outputs != nil {
			outputs = *cell.Outputs
		}
		if cell.ExecutionCount == nil && len(outputs) == 0 {
			continue // never ran: the caller counts those
		}
		var compileErrors []string
		for _, out := range outputs {
			compileErrors = append(compileErrors, compileErrorsIn(out.Data)...)
		}
		var text strings.Builder // everything the cell printed or displayed as text
		figures, displays := 0, 0
		for _, out := range outputs {
			sum.OutputsTotal++
			switch out.OutputType {
			case "error":
				msg := strings.TrimSpace(out.EName + ": " + out.EValue)
				if len(compileErrors) > 0 {
					msg += "\n\t" + strings.Join(compileErrors, "\n\t")
				}
				report(msg)
			case "stream":
				text.WriteString(strings.ReplaceAll(strings.Join(out.Text, ""), "\r", "") + "\n")
			case "display_data", "execute_result":
				if isFigure(out.Data) {
					sum.Figures++
					figures++
				}
				if hasContent(out.Data) {
					displays++
				}
			}
		}
		printed := text.String()
		for _, line := range engineLine.FindAllString(printed, -1) {
			if first, seen := engineShownIn[line]; seen {
				report(fmt.Sprintf("repeats the engine line of cell %d (%q): lib/backend prints it once per kernel session", first, line))
			} else {
				engineShownIn[line] = i + 1
			}
		}
		failures := failureLine.FindAllString(printed, -1)
		errs := errorLine.FindAllString(printed, -1)
		if directives[DirectiveError] {
			if len(failures)+len(errs) == 0 {
				report("marked " + DirectiveError + " but shows no error")
			}
		} else {
			if len(failures) > 0 {
				report(strings.TrimSpace(failures[0]) + more(len(failures)))
			}
			if len(errs) > 0 {
				report("prints an error: " + strings.TrimSpace(errs[0]) + more(len(errs)))
			}
		}
		nans := notANumber.FindAllString(printed+displayText(outputs), -1)
		switch {
		case directives[DirectiveNaN] && len(nans) == 0:
			report("marked " + DirectiveNaN + " but shows no NaN or Inf")
		case !directives[DirectiveNaN] && len(nans) > 0:
			report(fmt.Sprintf("shows %d NaN or Inf values (first: %q): a number that is not one", len(nans), nans[0]))
		}
		if hasError(outputs) {
			continue // a cell that failed to run shows nothing more: its error says why
		}
		body := mainBody(code)
		wantFigures, wantDisplays := 0, 0
		for _, call := range DisplayCalls {
			n := len(callPattern(call.Package, call.Func).FindAllString(body, -1))
			wantDisplays += n
			if call.Kind == Figure {
				wantFigures += n
			}
		}
		switch {
		case figures < wantFigures:
			report(fmt.Sprintf("calls for %d figure(s) and shows %d: a figure did not render", wantFigures, figures))
		case displays < wantDisplays:
			report(fmt.Sprintf("makes %d display call(s) and shows %d non-empty display(s)", wantDisplays, displays))
		case strings.TrimSpace(printed) == "" && displays == 0 && printCall.MatchString(body):
			report("prints or shows, but produced no output")
		}
	}
	return problems, sum
}

// more says how many more lines like the first one reported there are.
func more(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (and %d more such lines)", n-1)
}

// hasError tells whether a cell's outputs hold an error output.
func hasError(outputs []Output) bool {
	for _, out := range outputs {
		if out.OutputType == "error" {
			return true
		}
	}
	return false
}

// callPattern matches a call of pkg.fn in code.
func callPattern(pkg, fn string) *regexp.Regexp {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(pkg) + `\.` + regexp.QuoteMeta(fn) + `\(`)
}

// mainBody returns the code a GoNB cell runs, without comments: what follows its "%%"
// line, or the body of its func main; "" for a cell of declarations only, which runs
// nothing.
func mainBody(code string) string {
	var body strings.Builder
	inMain := false
	for _, line := range strings.Split(code, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "%%" || strings.HasPrefix(trimmed, "%% ") || strings.HasPrefix(trimmed, "func main()"):
			inMain = true
			continue
		case !inMain:
			continue
		}
		if i := strings.Index(line, "//"); i >= 0 && !strings.Contains(line[:i], `"`) && !strings.Contains(line[:i], "`") {
			line = line[:i]
		}
		body.WriteString(line + "\n")
	}
	return body.String()
}

// displayText returns the text of a cell's displays that can hold printed numbers:
// plain text, HTML, Markdown and SVG (not the base64 of raster images).
func displayText(outputs []Output) string {
	var b strings.Builder
	for _, out := range outputs {
		for _, mime := range []string{"text/plain", "text/html", "text/markdown", "image/svg+xml"} {
			b.WriteString(DisplayText(out.Data, mime) + "\n")
		}
	}
	return b.String()
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
func htmlOf(data map[string]any) string { return DisplayText(data, "text/html") }

// DisplayText returns the entry of an output's display data for a MIME type,
// joined when stored as lines (nbformat's multi-line strings); "" when there is
// none.
func DisplayText(data map[string]any, mime string) string {
	switch t := data[mime].(type) {
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

// hasContent tells whether display data holds anything to see (GoNB leaves an empty
// HTML display behind where it cleared a progress bar).
func hasContent(data map[string]any) bool {
	for mime := range data {
		if strings.HasPrefix(mime, "image/") || strings.TrimSpace(DisplayText(data, mime)) != "" {
			return true
		}
	}
	return false
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
