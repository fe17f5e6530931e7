package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/course/backup"
)

// keepIn returns a backup folder in a fresh temporary directory.
func keepIn(t *testing.T) *backup.Backup {
	return backup.New(t.TempDir(), time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
}

// setup makes a repo-like directory with lessons/, notebooks/ and a README.
func setup(t *testing.T, lessons map[string]string, readme string) (lessonsDir, outDir, readmePath string) {
	t.Helper()
	root := t.TempDir()
	lessonsDir, outDir = filepath.Join(root, "lessons"), filepath.Join(root, "notebooks")
	if err := os.MkdirAll(lessonsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range lessons {
		if err := os.WriteFile(filepath.Join(lessonsDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	readmePath = filepath.Join(root, "README.md")
	if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
		t.Fatal(err)
	}
	return
}

func TestWriteThenCheck(t *testing.T) {
	lessonsDir, outDir, readme := setup(t, map[string]string{
		"00-a.md":   "# A\n\n```go\n%%\nfmt.Println(1)\n```\n",
		"04b-bc.md": "# B\n",
		"README.md": "not a lesson",
	}, "")
	// The README names lessons by their path as the Makefile passes it.
	if err := os.WriteFile(readme, []byte("| "+lessonsDir+"/00-a.md | "+lessonsDir+"/04b-bc.md |"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err == nil || !strings.Contains(err.Error(), "00-a.ipynb is missing") {
		t.Fatalf("check before write: %v, want missing notebooks", err)
	}
	if err := write(lessonsDir, outDir, keepIn(t)); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err != nil {
		t.Fatalf("check after write: %v", err)
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 2 {
		t.Errorf("%d notebooks written, want 2", len(entries))
	}

	// A changed lesson makes its notebook stale.
	if err := os.WriteFile(filepath.Join(lessonsDir, "00-a.md"), []byte("# A, changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err == nil || !strings.Contains(err.Error(), "00-a.ipynb differs from") {
		t.Errorf("check after editing a lesson: %v, want a stale notebook", err)
	}

	// A removed lesson leaves an orphan that check reports and write removes.
	if err := os.Remove(filepath.Join(lessonsDir, "04b-bc.md")); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, ""); err == nil || !strings.Contains(err.Error(), "04b-bc.ipynb has no lesson") {
		t.Errorf("check with an orphan: %v", err)
	}
	if err := write(lessonsDir, outDir, keepIn(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(outDir, "04b-bc.ipynb")); !os.IsNotExist(err) {
		t.Error("write kept the orphan notebook")
	}
}

func TestCheckReadmeListsLessons(t *testing.T) {
	lessonsDir, outDir, readme := setup(t, map[string]string{"01-x.md": "# X\n"}, "no lessons here")
	if err := write(lessonsDir, outDir, keepIn(t)); err != nil {
		t.Fatal(err)
	}
	err := check(lessonsDir, outDir, readme)
	if err == nil || !strings.Contains(err.Error(), "does not list") || !strings.Contains(err.Error(), "01-x.md") {
		t.Errorf("check with a README missing the lesson: %v", err)
	}
}

func TestBadLessons(t *testing.T) {
	tests := []struct {
		name, file, text, wantErr string
	}{
		{"bad name", "4-foo.md", "# x", "4-foo.md: a lesson's name must look like"},
		{"upper case", "04-Foo.md", "# x", "04-Foo.md: a lesson's name"},
		{"unclosed block", "02-x.md", "# x\n```go\nfmt.Println()\n", "02-x.md: line 2: ```go block is never closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lessonsDir, outDir, _ := setup(t, map[string]string{tc.file: tc.text}, "")
			err := write(lessonsDir, outDir, keepIn(t))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("write: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	lessonsDir, outDir, _ := setup(t, nil, "")
	if err := write(lessonsDir, outDir, keepIn(t)); err == nil || !strings.Contains(err.Error(), "holds no lessons") {
		t.Errorf("write with no lessons: %v", err)
	}
}

func TestVerify(t *testing.T) {
	if err := verify([]string{"../../notebook/testdata/gonb-failures.ipynb"}, 0); err == nil || !strings.Contains(err.Error(), "1 of 1 notebooks") {
		t.Errorf("verify on a notebook with failed cells: %v", err)
	}
	if err := verify([]string{"../../notebook/testdata/91-verifier-accepts.ipynb"}, 300); err != nil {
		t.Errorf("verify on a clean notebook within budget: %v", err)
	}
	if err := verify([]string{"../../notebook/testdata/92-verifier-budget.ipynb"}, 1); err == nil {
		t.Error("verify with a budget of 1 s of CPU passed a notebook that took more")
	}
	if err := verify(nil, 0); err == nil {
		t.Error("verify with no notebooks succeeded")
	}
	if err := verify([]string{"no-such.ipynb"}, 0); err == nil {
		t.Error("verify on a missing file succeeded")
	}
}

// copyFile copies src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStudentsWorkflow plays a student who runs a lesson in Jupyter and saves it, with
// notebooks saved by the real Jupyter Notebook 6 (testdata/jupytersaved.go made them):
// ran.ipynb holds the outputs of Run All, edited.ipynb also a line typed into cell 4.
// check must accept the first (outputs are not compared) and name the edited cell in
// the second; write must keep the outputs of the first, and keep a copy of the second
// before it puts the lesson's cells back.
func TestStudentsWorkflow(t *testing.T) {
	fixtures := filepath.Join("testdata", "jupyter-saved")
	fixturesAbs, err := filepath.Abs(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	lessonsDir := filepath.Join(fixturesAbs, "lessons")
	t.Chdir(t.TempDir())
	outDir := "notebooks"
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(outDir, "01-fixture.ipynb")

	// Run in Jupyter and saved: in sync, and write leaves it as it is.
	copyFile(t, filepath.Join(fixturesAbs, "ran.ipynb"), path)
	if err := check(lessonsDir, outDir, ""); err != nil {
		t.Fatalf("check of a notebook run in Jupyter: %v", err)
	}
	keep := backup.New("build/backup", time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	if err := write(lessonsDir, outDir, keep); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(mustRead(t, filepath.Join(fixturesAbs, "ran.ipynb"))) {
		t.Error("write rewrote a notebook in sync with its lesson, losing its outputs")
	}
	if _, err := os.Stat(keep.Dir); !os.IsNotExist(err) {
		t.Error("write kept a backup when it replaced nothing")
	}

	// Edited in Jupyter: check names the cell; write keeps the student's version.
	copyFile(t, filepath.Join(fixturesAbs, "edited.ipynb"), path)
	err = check(lessonsDir, outDir, "")
	if err == nil || !strings.Contains(err.Error(), "01-fixture.ipynb was edited in Jupyter (cell 4 differs)") {
		t.Fatalf("check of an edited notebook: %v", err)
	}
	if err := write(lessonsDir, outDir, keep); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(keep.Dir, path)
	if got := mustRead(t, kept); string(got) != string(mustRead(t, filepath.Join(fixturesAbs, "edited.ipynb"))) {
		t.Errorf("%s does not hold the student's edited notebook", kept)
	}
	if err := check(lessonsDir, outDir, ""); err != nil {
		t.Errorf("check after write: %v", err)
	}
}

// TestLessonChangeNeedsNoBackup checks that a notebook generated and never touched is
// rewritten without a copy when its lesson changes, and that check says the lesson
// changed rather than that the notebook was edited.
func TestLessonChangeNeedsNoBackup(t *testing.T) {
	lessonsDir, outDir, _ := setup(t, map[string]string{"01-x.md": "# X\n\n```go\n%%\nfmt.Println(1)\n```\n"}, "")
	keep := keepIn(t)
	if err := write(lessonsDir, outDir, keep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lessonsDir, "01-x.md"), []byte("# X\n\n```go\n%%\nfmt.Println(2)\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := check(lessonsDir, outDir, "")
	if err == nil || !strings.Contains(err.Error(), "01-x.ipynb differs from") || strings.Contains(err.Error(), "edited") {
		t.Errorf("check after a lesson change: %v", err)
	}
	if err := write(lessonsDir, outDir, keep); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keep.Dir); !os.IsNotExist(err) {
		t.Error("write kept a copy of a notebook nobody touched")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCheckFailsOnWideLinesAndLongCells(t *testing.T) {
	wide := "fmt.Println(\"" + strings.Repeat("w", 90) + "\")"
	long := strings.Repeat("x++\n", 91)
	for _, tc := range []struct {
		name, lesson string
		want         []string // in check's error; none: check passes
	}{
		{"fits", "# A\n\n```go\n%%\nfmt.Println(1)\n```\n", nil},
		{"wide line", "# A\n\n```go\n%%\nx := 1\n" + wide + "\n```\n",
			[]string{"00-a.md: cell 4 line 3: 105 columns, want at most 95"}},
		{"long cell", "# A\n\n```go\n%%\n" + long + "```\n",
			[]string{"00-a.md: cell 4: 92 lines, want at most 90"}},
	} {
		lessonsDir, outDir, _ := setup(t, map[string]string{"00-a.md": tc.lesson}, "")
		if err := write(lessonsDir, outDir, keepIn(t)); err != nil {
			t.Fatal(err)
		}
		err := check(lessonsDir, outDir, "")
		switch {
		case len(tc.want) == 0 && err != nil:
			t.Errorf("%s: check: %v, want no error", tc.name, err)
		case len(tc.want) > 0 && err == nil:
			t.Errorf("%s: check passed, want %q", tc.name, tc.want)
		}
		for _, w := range tc.want {
			if err != nil && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: check: %v, want it to say %q", tc.name, err, w)
			}
		}
		if err != nil && strings.Contains(err.Error(), "out of date") {
			t.Errorf("%s: check calls an in-sync notebook out of date: %v", tc.name, err)
		}
	}
}
