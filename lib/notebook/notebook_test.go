package notebook

import (
	"bytes"
	"encoding/json"
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
		`cell 3 (%%): panic: boom`,
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

func TestCheckErrorsAndFigures(t *testing.T) {
	count := 1
	nb := &Notebook{Cells: []Cell{
		{CellType: "code", ExecutionCount: &count, Source: Lines{"bad"}, Outputs: &[]Output{
			{OutputType: "error", EName: "ERROR", EValue: "compile failed"}}},
		{CellType: "code", ExecutionCount: &count, Source: Lines{"plot"}, Outputs: &[]Output{
			{OutputType: "display_data", Data: map[string]any{"text/html": []any{"<div><svg>", "</svg></div>"}}},
			{OutputType: "display_data", Data: map[string]any{"image/png": "iVBOR"}},
			{OutputType: "stream", Name: "stderr", Text: Lines{"exit status 0 is fine\n", "warning only\n"}},
			{OutputType: "stream", Name: "stdout", Text: Lines{"exit status 1\n"}}, // stdout: a printed string
		}},
		{CellType: "code", Source: Lines{"never ran"}},
	}}
	problems, sum := Check(nb)
	if len(problems) != 1 || problems[0].Message != "ERROR: compile failed" || problems[0].Cell != 1 {
		t.Errorf("problems = %v, want one compile error in cell 1", problems)
	}
	if sum.Figures != 2 || sum.CodeCells != 3 || sum.Executed != 2 {
		t.Errorf("summary = %+v, want 2 figures, 3 code cells, 2 executed", sum)
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
	problems, _ := Check(nb)
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
