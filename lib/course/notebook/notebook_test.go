package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

func TestParseLesson(t *testing.T) {
	tests := []struct {
		name    string
		lesson  string
		want    []block
		wantErr string
	}{
		{
			name:   "text and code alternate",
			lesson: "Intro.\n\n```go\nx := 1\n```\n\nAfter.\n",
			want:   []block{{text: "Intro."}, {code: true, text: "x := 1"}, {text: "After."}},
		},
		{
			name:   "other fences stay in markdown, go inside them does not open a cell",
			lesson: "See:\n```bash\nmake test\n```go\n```\nDone.",
			want:   []block{{text: "See:\n```bash\nmake test\n```go\n```\nDone."}},
		},
		{
			name:   "tilde fence and longer backtick fence",
			lesson: "~~~\n```go\n~~~\n````\nx\n````",
			want:   []block{{text: "~~~\n```go\n~~~\n````\nx\n````"}},
		},
		{
			name:   "code keeps inner blank lines and indentation, CRLF normalised",
			lesson: "```go\r\nfunc f() {\r\n\r\n\treturn\r\n}\r\n```\r\n",
			want:   []block{{text: ""}, {code: true, text: "func f() {\n\n\treturn\n}"}, {text: ""}},
		},
		{
			name:   "trailing spaces after the fence are allowed",
			lesson: "```go  \nx\n```  ",
			want:   []block{{text: ""}, {code: true, text: "x"}, {text: ""}},
		},
		{name: "unclosed go block", lesson: "a\n```go\nx := 1\n", wantErr: "line 2: ```go block is never closed"},
		{name: "unclosed other fence", lesson: "```text\nx\n", wantErr: "line 1: ``` block is never closed"},
		{name: "empty go block", lesson: "x\n\n```go\n\n```\n", wantErr: "line 3: empty ```go block"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseLesson(tc.lesson)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseLesson =\n%#v\nwant\n%#v", got, tc.want)
			}
		})
	}
}

func TestFromLessonLayout(t *testing.T) {
	nb, err := FromLesson("07-demo", "# 07 — Demo\n\nWhy.\n\n```go\n%%\nfmt.Println(1)\n```\n\nSo.\n")
	if err != nil {
		t.Fatal(err)
	}
	var kinds, texts []string
	ids := map[string]bool{}
	for _, c := range nb.Cells {
		kinds = append(kinds, c.CellType)
		texts = append(texts, c.Text())
		if ids[c.ID] || len(c.ID) != 8 {
			t.Errorf("cell id %q is not a fresh 8-character id", c.ID)
		}
		ids[c.ID] = true
	}
	wantKinds := []string{"markdown", "markdown", "code", "markdown", "code", "markdown"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Fatalf("cell kinds = %v, want %v", kinds, wantKinds)
	}
	wantTexts := []string{"# 07 — Demo", setupIntro, SetupCell, "Why.", "%%\nfmt.Println(1)", "So."}
	if !reflect.DeepEqual(texts, wantTexts) {
		t.Errorf("cell texts = %q, want %q", texts, wantTexts)
	}
	if got := nb.Cells[4].Source; !reflect.DeepEqual(got, Lines{"%%\n", "fmt.Println(1)"}) {
		t.Errorf("source lines = %q", got)
	}
}

func TestGenerationIsDeterministic(t *testing.T) {
	lesson := "# T\n\n```go\nx\n```\n"
	a, _ := FromLesson("t", lesson)
	b, _ := FromLesson("t", lesson)
	ja, _ := a.Marshal()
	jb, _ := b.Marshal()
	if !bytes.Equal(ja, jb) {
		t.Error("the same lesson gave two different notebooks")
	}
	c, _ := FromLesson("u", lesson)
	if c.Cells[0].ID == a.Cells[0].ID {
		t.Error("two lessons share cell ids")
	}
}

// TestNotebookValidatesWithNBFormat checks a generated notebook with Jupyter's own
// validator (Debian's python3-nbformat), an independent reference for the format.
func TestNotebookValidatesWithNBFormat(t *testing.T) {
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import nbformat").Run() != nil {
		t.Skip("python3-nbformat is not installed")
	}
	nb, err := FromLesson("00-x", "# X\n\nText with `code`.\n\n```go\n%%\nfmt.Println(\"<b>\")\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := nb.Marshal()
	path := filepath.Join(t.TempDir(), "x.ipynb")
	if err := atomicfile.WriteFile(path, data); err != nil {
		t.Fatal(err)
	}
	script := `import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
assert nb.metadata.kernelspec.name == "gonb"
# Jupyter's own writer must give back the same bytes: our encoding is Jupyter's.
sys.stdout.write(nbformat.writes(nb) + "\n")`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("nbformat rejects the notebook: %v\n%s", err, out)
	}
	if !bytes.Equal(out, data) {
		t.Errorf("nbformat rewrites the notebook differently:\n%s\nvs ours:\n%s", out, data)
	}
}

func TestLinesDecodesBothForms(t *testing.T) {
	var c struct{ A, B Lines }
	if err := json.Unmarshal([]byte(`{"A":"x\ny","B":["x\n","y"]}`), &c); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.A, c.B) {
		t.Errorf("string form %q != list form %q", c.A, c.B)
	}
	if err := json.Unmarshal([]byte(`{"A":3}`), &c); err == nil {
		t.Error("a number was accepted as text")
	}
}

// TestCheckRealGoNBOutputs reads a notebook executed by the real GoNB v0.11.1 kernel
// under `jupyter nbconvert --execute` (testdata/gonb-failures.ipynb): a panic, os.Exit(3)
// and a failing shell command each left only "exit status N" on stderr, and nbconvert
// exited 0. Check must find all three and nothing in the cells that worked.
func TestCheckRealGoNBOutputs(t *testing.T) {
	nb, err := Read("testdata/gonb-failures.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	problems, sum := Check(nb)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		`cell 3 (%%): panic: boom (and 2 more such lines)`, // the goroutine trace and "exit status 2"
		`cell 4 (import "os"): exit status 3`,
		`cell 5 (!false): exit status 1`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if sum.CodeCells != 6 || sum.Executed != 6 {
		t.Errorf("summary = %+v, want 6 code cells, 6 executed", sum)
	}
}

// TestCheckErrorsAndFigures checks the rules on hand-made cells: an error output,
// failure text on stdout (a printed "exit status 1" is a failure too), figures counted,
// and a cell that never ran is not Check's business.
func TestCheckErrorsAndFigures(t *testing.T) {
	count := 1
	nb := &Notebook{Cells: []Cell{
		{CellType: "code", ExecutionCount: &count, Source: Lines{"bad"}, Outputs: &[]Output{
			{OutputType: "error", EName: "ERROR", EValue: "compile failed"}}},
		{CellType: "code", ExecutionCount: &count, Source: Lines{"plot"}, Outputs: &[]Output{
			{OutputType: "display_data", Data: map[string]any{"text/html": []any{"<div><svg>", "</svg></div>"}}},
			{OutputType: "display_data", Data: map[string]any{"image/png": "iVBOR"}},
			{OutputType: "stream", Name: "stderr", Text: Lines{"exit status 0 is fine\n", "warning only\n"}},
			{OutputType: "stream", Name: "stdout", Text: Lines{"exit status 1\n"}},
		}},
		{CellType: "code", Source: Lines{"never ran"}},
	}}
	problems, sum := Check(nb)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{"cell 1 (bad): ERROR: compile failed", "cell 2 (plot): exit status 1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
	if sum.Figures != 2 || sum.CodeCells != 3 || sum.Executed != 2 {
		t.Errorf("summary = %+v, want 2 figures, 3 code cells, 2 executed", sum)
	}
}

// TestCheckRules runs Check on one hand-made cell per case: each rule, and the cases
// it must let through.
func TestCheckRules(t *testing.T) {
	svg := func(body string) Output {
		return Output{OutputType: "display_data", Data: map[string]any{"image/svg+xml": "<svg>" + body + "</svg>"}}
	}
	stdout := func(text string) Output { return Output{OutputType: "stream", Name: "stdout", Text: Lines{text}} }
	stderr := func(text string) Output { return Output{OutputType: "stream", Name: "stderr", Text: Lines{text}} }
	html := func(text string) Output {
		return Output{OutputType: "display_data", Data: map[string]any{"text/html": text}}
	}
	for _, tc := range []struct {
		name    string
		code    string
		outputs []Output
		want    string // "" for no problem
	}{
		{"a printed error", "%%\nfmt.Println(err)", []Output{stdout("Error: bad header\n")}, "prints an error: Error: bad header"},
		{"an OS error without the word", "%%\nfmt.Println(err)", []Output{stdout("load x.wav: open x.wav: no such file or directory\n")}, "no such file or directory"},
		{"an error on stderr", "%%\nlog.Print(err)", []Output{stderr("err: permission denied\n")}, "prints an error"},
		{"error as a word", "%%\nfmt.Println(x)", []Output{stdout("mean squared error: 0.1; errors: none\n")}, ""},
		{"Inf printed", "%%\nfmt.Println(x)", []Output{stdout("loss +Inf\n")}, `NaN or Inf values (first: "+Inf")`},
		{"NaN in a figure", "%%\nplots.MustShow(p, \"x\")", []Output{svg(`<path d="M NaN 3"/>`)}, "NaN or Inf"},
		{"Info and Infinity are words", "%%\nfmt.Println(x)", []Output{stdout("Info: Infinity, NaNs\n")}, ""},
		{"NaN on purpose", "%%\n//nbcheck:nan undefined here\nfmt.Println(x)", []Output{stdout("AUROC NaN\n")}, ""},
		{"NaN directive without NaN", "%%\n//nbcheck:nan\nfmt.Println(x)", []Output{stdout("AUROC 0.5\n")}, "marked nbcheck:nan but shows no NaN"},
		{"panic on purpose", "%%\n// nbcheck:error shows what a Must function does\nMustLoad(x)", []Output{stderr("panic: no such model\nexit status 2\n")}, ""},
		{"unknown directive", "%%\n//nbcheck:slow\nfmt.Println(1)", []Output{stdout("1\n")}, `unknown directive "nbcheck:slow"`},
		{"two figures, one shown", "%%\nplots.MustShow(a, \"a\")\nplots.MustShowScatter(p, g, o, \"b\")", []Output{svg("")}, "calls for 2 figure(s) and shows 1"},
		{"a figure in a loop", "%%\nfor _, p := range ps {\n\tplots.MustShow(p, \"x\")\n}", []Output{svg(""), svg(""), svg("")}, ""},
		{"a commented-out figure", "%%\n// plots.MustShow(p, \"x\")\nfmt.Println(1)", []Output{stdout("1\n")}, ""},
		{"a figure in a declaration", "func show() { plots.MustShow(p, \"x\") }", nil, ""},
		{"a figure in func main", "func main() {\n\tplots.Show(p, \"x\")\n}", nil, "calls for 1 figure(s) and shows 0"},
		{"an empty display", "%%\ngonbui.DisplayHTML(s)", []Output{html("  ")}, "makes 1 display call(s) and shows 0 non-empty"},
		{"HTML shown", "%%\ngonbui.DisplayHTML(s)", []Output{html("<p>hi</p>")}, ""},
		{"prints nothing", "%%\nfor _, x := range xs {\n\tfmt.Printf(\"%v\\n\", x)\n}", []Output{stdout("\n")}, "prints or shows, but produced no output"},
		{"runs quietly", "%%\nos.WriteFile(path, data, 0o644)", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			count := 1
			outputs := tc.outputs
			nb := &Notebook{Cells: []Cell{{CellType: "code", ExecutionCount: &count, Source: splitLines(tc.code), Outputs: &outputs}}}
			problems, _ := Check(nb)
			switch {
			case tc.want == "" && len(problems) > 0:
				t.Errorf("problems %v, want none", problems)
			case tc.want != "" && (len(problems) != 1 || !strings.Contains(problems[0].Message, tc.want)):
				t.Errorf("problems %v, want one containing %q", problems, tc.want)
			}
		})
	}
}

// TestCheckRejectsFixture reads testdata/90-verifier-rejects.ipynb, executed by the
// real GoNB kernel from testdata/fixtures/90-verifier-rejects.md (make nbfixtures):
// each cell after the setup fails in a way Jupyter lets pass, and Check must report
// each one, and nothing else.
func TestCheckRejectsFixture(t *testing.T) {
	nb, err := Read("testdata/90-verifier-rejects.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := Check(nb)
	want := []struct {
		cell int
		text string
	}{
		{5, "prints an error: error: open no-such-recording.wav: no such file or directory"},
		{7, `shows 1 NaN or Inf values (first: "NaN"): a number that is not one`},
		{9, `shows 1 NaN or Inf values (first: "-Inf"): a number that is not one`},
		{11, "panic: runtime error: index out of range [3] with length 0"},
		{13, "panic: out of memory"},
		{15, "exit status 1"},
		{17, "prints or shows, but produced no output"},
		{19, "calls for 1 figure(s) and shows 0: a figure did not render"},
		{21, "marked nbcheck:error but shows no error"},
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(problems), len(want), problems)
	}
	for i, w := range want {
		if i < len(problems) && (problems[i].Cell != w.cell || problems[i].Message != w.text) {
			t.Errorf("problem %d: %s; want cell %d: %s", i, problems[i], w.cell, w.text)
		}
	}
}

// TestCheckAcceptsFixture reads testdata/91-verifier-accepts.ipynb (executed like
// the rejects): figures shown, an error and a NaN shown on purpose with their
// directives, a displaying function declared but not run, words that look like calls
// or errors. Check must find nothing.
func TestCheckAcceptsFixture(t *testing.T) {
	nb, err := Read("testdata/91-verifier-accepts.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	problems, sum := Check(nb)
	if len(problems) != 0 {
		t.Errorf("problems %v, want none", problems)
	}
	if sum.Figures != 2 || sum.Executed != 6 {
		t.Errorf("summary %+v, want 2 figures and 6 cells run", sum)
	}
	if got := CheckBudget(nb, 300); len(got) != 0 {
		t.Errorf("budget problems %v, want none", got)
	}
}

// TestCheckBudget reads testdata/92-verifier-budget.ipynb, run by `notebooks execute`:
// its recorded CPU time includes what its busy cell's program reports it used (the
// kernel's children are counted), a budget below it fails naming that cell, one above
// passes, and a notebook without a run record fails a budget check.
func TestCheckBudget(t *testing.T) {
	nb, err := Read("testdata/92-verifier-budget.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	run, ok, err := RunOf(nb)
	if err != nil || !ok {
		t.Fatalf("run record: %v, %v", ok, err)
	}
	var cellCPU float64
	for _, out := range *nb.Cells[4].Outputs {
		if _, err := fmt.Sscanf(strings.Join(out.Text, ""), "this cell's program used %f s of CPU", &cellCPU); err != nil {
			t.Fatalf("cell 5's output %q: %v", out.Text, err)
		}
	}
	if cellCPU < 1 || run.CPUSeconds < cellCPU {
		t.Errorf("run's CPU time %.2f s, the cell's program alone %.2f s: want the run to include it (and the cell to have worked ≥ 1 s)", run.CPUSeconds, cellCPU)
	}
	if run.WallSeconds <= 0 || run.CPUs < 1 || run.StartedUTC == "" {
		t.Errorf("run %+v: want wall time, CPUs and start filled", run)
	}
	over := CheckBudget(nb, cellCPU/2)
	if len(over) != 1 || !strings.Contains(over[0].Message, "over its budget") || !strings.Contains(over[0].Message, "cell 5 (import (): ") {
		t.Errorf("budget %.1f s: problems %v, want one naming cell 5", cellCPU/2, over)
	}
	if got := CheckBudget(nb, run.CPUSeconds+1); len(got) != 0 {
		t.Errorf("budget above the run: %v", got)
	}
	bare, err := Read("testdata/gonb-failures.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if got := CheckBudget(bare, 300); len(got) != 1 || !strings.Contains(got[0].Message, "no run record") {
		t.Errorf("notebook without a run record: %v", got)
	}
}

// TestRecordRun records a run in a copy of a notebook and reads it back; the cells
// are unchanged.
func TestRecordRun(t *testing.T) {
	data, err := os.ReadFile("testdata/gonb-failures.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := Run{CPUSeconds: 12.5, WallSeconds: 20, LoadBefore: 1.5, LoadAfter: 2, CPUs: 2, StartedUTC: "2026-01-02T03:04:05Z"}
	if err := RecordRun(path, want); err != nil {
		t.Fatal(err)
	}
	nb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := RunOf(nb)
	if err != nil || !ok || got != want {
		t.Errorf("run %+v (%v, %v), want %+v", got, ok, err, want)
	}
	before, _ := Read("testdata/gonb-failures.ipynb")
	if !reflect.DeepEqual(before.Cells, nb.Cells) {
		t.Error("recording the run changed the cells")
	}
}

// FuzzParseLesson checks that any text either parses or fails with a line number, and
// that parsing keeps every code line.
func FuzzParseLesson(f *testing.F) {
	for _, seed := range []string{"", "# T\n```go\nx\n```\n", "```text\n```go\n```\n", "```go\n", "~~~~\n```go\n~~~~"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, lesson string) {
		blocks, err := parseLesson(lesson)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		for _, b := range blocks {
			if b.code && b.text == "" {
				t.Fatal("empty code block accepted")
			}
		}
		if _, err := FromLesson("fuzz", lesson); err != nil {
			t.Fatalf("FromLesson failed where parseLesson succeeded: %v", err)
		}
	})
}

// TestCheckRealCompileError reads a notebook executed by the real GoNB kernel with
// --allow-errors in which one cell does not compile; Check must name the cell's line and
// the compiler's message, which GoNB shows only in HTML.
func TestCheckRealCompileError(t *testing.T) {
	nb, err := Read("testdata/gonb-compile-error.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	all, _ := Check(nb)
	// The fixture was recorded when lib/backend still printed its engine line in every
	// cell: those repeats are problems too (TestCheckEngineLineOnce), not this test's.
	var problems []Problem
	for _, p := range all {
		if !strings.Contains(p.Message, "repeats the engine line") {
			problems = append(problems, p)
		}
	}
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want exactly one", problems)
	}
	msg := problems[0].Message
	for _, want := range []string{"failed to run", "Cell[6]: Line 15: cannot convert 0.010 * sampleRateHz (untyped float constant 220.5) to type int"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if problems[0].Cell != 13 {
		t.Errorf("problem in cell %d, want 13", problems[0].Cell)
	}
}

func TestDifferencesIgnoreWhatJupyterAdds(t *testing.T) {
	want, err := FromLesson("01-x", "# X\n\n```go\n%%\nfmt.Println(1)\n```\n\nText.\n")
	if err != nil {
		t.Fatal(err)
	}
	if want.EditedByHand() {
		t.Fatal("a generated notebook counts as edited")
	}
	data, _ := want.Marshal()
	clone := func() *Notebook {
		var nb Notebook
		if err := json.Unmarshal(data, &nb); err != nil {
			t.Fatal(err)
		}
		return &nb
	}
	count := 3
	tests := []struct {
		name   string
		change func(nb *Notebook)
		want   []string
		edited bool
	}{
		{"as generated", func(*Notebook) {}, nil, false},
		{"run and saved", func(nb *Notebook) {
			nb.Cells[3].ExecutionCount = &count
			nb.Cells[3].Outputs = &[]Output{{OutputType: "stream", Name: "stdout", Text: Lines{"1\n"}}}
			nb.Cells[3].Metadata["scrolled"] = true
			nb.Metadata["language_info"] = map[string]any{"name": "go", "version": "go1.26.8"}
		}, nil, false},
		{"a cell edited", func(nb *Notebook) { nb.Cells[3].Source = Lines{"%%\n", "fmt.Println(2)"} }, []string{"cell 4 differs"}, true},
		{"a cell added", func(nb *Notebook) {
			nb.Cells = append(nb.Cells, Cell{CellType: "code", Source: Lines{"x"}})
		}, []string{"6 cells, the lesson has 5"}, true},
		{"a cell turned into markdown", func(nb *Notebook) { nb.Cells[3].CellType = "markdown" }, []string{"cell 4 differs"}, true},
		{"another kernel", func(nb *Notebook) {
			nb.Metadata["kernelspec"] = map[string]any{"name": "python3", "language": "python"}
		}, []string{"its kernel is python3 (python), want gonb (go)"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			have := clone()
			tc.change(have)
			if got := Differences(have, want); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Differences = %q, want %q", got, tc.want)
			}
			if got := have.EditedByHand(); got != tc.edited {
				t.Errorf("EditedByHand = %v, want %v", got, tc.edited)
			}
		})
	}
}

// TestCheckEngineLineOnce requires lib/backend's engine line once per notebook: a second
// cell showing the same line is a problem, a changed engine's line is not.
func TestCheckEngineLineOnce(t *testing.T) {
	count := 1
	cell := func(src, text string) Cell {
		return Cell{CellType: "code", ExecutionCount: &count, Source: Lines{src}, Outputs: &[]Output{
			{OutputType: "stream", Name: "stderr", Text: Lines{text}}}}
	}
	const purego = `engine "purego": no XLA PJRT plugin installed, using the pure-Go engine purego` + "\n"
	nb := &Notebook{Cells: []Cell{
		cell("a", purego+"trained\n"),
		cell("b", "embedded\n"),
		cell("c", `engine "xla:cpu": chosen by $GOMLX_BACKEND`+"\n"),
		cell("d", purego),
	}}
	problems, _ := Check(nb)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{`cell 4 (d): repeats the engine line of cell 1 ("engine \"purego\": no XLA PJRT plugin installed, using the pure-Go engine purego"): lib/backend prints it once per kernel session`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
