package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/course/assignment"
	"github.com/dawnchorus/dawnchorus/lib/course/backup"
)

const solution = `package sum

// Sum adds xs.
func Sum(xs []int) int {
	// BEGIN SOLUTION add them up
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
	// END SOLUTION
}
`

// TestWriteKeepsStudentsWork checks that write never loses what a student wrote in their
// version: an edited file and an added file are kept in the backup before write puts the
// students' version back, untouched files are not copied, and a removed assignment's
// files are kept too.
func TestWriteKeepsStudentsWork(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	src, out := filepath.Join("lessons", "assignments"), filepath.Join("notebooks", "_assignments")
	if err := os.MkdirAll(filepath.Join(src, "01-sum"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "01-sum", "sum.go"), []byte(solution), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "01-sum", "README.md"), []byte("Write Sum.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := backup.New("build/backup", time.Date(2026, 1, 5, 10, 0, 0, 0, time.Local))
	if err := write(src, out, first); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first.Dir); !os.IsNotExist(err) {
		t.Fatal("the first write, over nothing, kept a backup")
	}
	stub, err := os.ReadFile(filepath.Join(out, "01-sum", "sum.go"))
	if err != nil || !strings.Contains(string(stub), "TODO: add them up") {
		t.Fatalf("students' version = %q, %v", stub, err)
	}

	// The student solves it and adds notes.
	studentCode := strings.Replace(string(stub), `panic("not implemented: add them up")`, "return len(xs) // my try", 1)
	if studentCode == string(stub) {
		t.Fatalf("the stub has no panic to replace:\n%s", stub)
	}
	for name, data := range map[string]string{"sum.go": studentCode, "notes.txt": "my notes"} {
		if err := os.WriteFile(filepath.Join(out, "01-sum", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second := backup.New("build/backup", time.Date(2026, 1, 5, 11, 0, 0, 0, time.Local))
	if err := write(src, out, second); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"sum.go": studentCode, "notes.txt": "my notes"} {
		kept, err := os.ReadFile(filepath.Join(second.Dir, out, "01-sum", name))
		if err != nil || string(kept) != want {
			t.Errorf("backup of %s = %q, %v; want the student's %q", name, kept, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(second.Dir, out, "01-sum", "README.md")); !os.IsNotExist(err) {
		t.Error("an unchanged file was copied to the backup")
	}
	if again, _ := os.ReadFile(filepath.Join(out, "01-sum", "sum.go")); string(again) != string(stub) {
		t.Error("write did not put the students' version back")
	}
	if _, err := os.Stat(filepath.Join(out, "01-sum", "notes.txt")); !os.IsNotExist(err) {
		t.Error("write left a file the instructor's version does not have")
	}

	// The assignment is withdrawn: the student's copy goes, but is kept first.
	if err := os.WriteFile(filepath.Join(out, "01-sum", "sum.go"), []byte(studentCode), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(src, "01-sum")); err != nil {
		t.Fatal(err)
	}
	third := backup.New("build/backup", time.Date(2026, 1, 5, 12, 0, 0, 0, time.Local))
	if err := write(src, out, third); err != nil {
		t.Fatal(err)
	}
	if kept, err := os.ReadFile(filepath.Join(third.Dir, out, "01-sum", "sum.go")); err != nil || string(kept) != studentCode {
		t.Errorf("backup of a removed assignment = %q, %v", kept, err)
	}
	if _, err := os.Stat(filepath.Join(out, "01-sum")); !os.IsNotExist(err) {
		t.Error("the withdrawn assignment's folder is still there")
	}
}

// TestLessonsShowWhatGradePrints checks the sample of `make grade` output that each
// lesson with an assignment shows: a ```text block that starts "grading
// notebooks/_assignments/NAME" must be, line for line, what grading the students'
// version as handed out prints before the failures' details (every check fails, since
// every check must fail on the stubs). Every assignment's lesson must show one.
func TestLessonsShowWhatGradePrints(t *testing.T) {
	const repo = "../../../.."
	names, err := assignmentsIn(filepath.Join(repo, "lessons", "assignments"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no assignments in %s/lessons/assignments: %v", repo, err)
	}
	for _, name := range names {
		checks, err := assignment.Checks(filepath.Join(repo, "lessons", "assignments", name))
		if err != nil {
			t.Fatal(err)
		}
		report := &assignment.Report{Dir: filepath.ToSlash(filepath.Join("notebooks", "_assignments", name))}
		for _, c := range checks {
			report.Results = append(report.Results, assignment.Result{Check: c})
			report.Total += c.Points
		}
		want := report.String()
		number, _, _ := strings.Cut(name, "-")
		lessons, _ := filepath.Glob(filepath.Join(repo, "lessons", number+"-*.md"))
		if len(lessons) != 1 {
			t.Errorf("assignment %s: %d lessons numbered %s", name, len(lessons), number)
			continue
		}
		text, err := os.ReadFile(lessons[0])
		if err != nil {
			t.Fatal(err)
		}
		start := "```text\ngrading " + report.Dir + "\n"
		i := strings.Index(string(text), start)
		if i < 0 {
			t.Errorf("%s shows no sample of `make grade A=%s`; it should show:\n```text\n%s```", lessons[0], name, want)
			continue
		}
		block := string(text[i+len("```text\n"):])
		block = block[:strings.Index(block, "```")]
		if block != want {
			t.Errorf("%s's sample of `make grade A=%s` is not what it prints; it should be:\n```text\n%s```\nnot\n```text\n%s```",
				lessons[0], name, want, block)
		}
	}
}

func TestTooWide(t *testing.T) {
	long := strings.Repeat("x", 90)
	for _, tc := range []struct {
		name, src string
		want      []string // the line numbers reported, as "file.go:N:"
	}{
		{"fits", "package p\n\nvar s = \"" + long[:80] + "\"\n", nil},
		{"one wide line", "package p\n\nvar s = \"" + long + "\"\n", []string{"p.go:3:"}},
		{"tabs count 4", "package p\n\nfunc f() {\n\t\t_ = \"" + long[:84] + "\"\n}\n", []string{"p.go:4:"}},
		{"stub exempt", "package p\n\nfunc f() {\n\t// TODO: " + long + "\n\tpanic(\"not implemented: " + long + "\")\n}\n", nil},
		{"stub exempt, code not", "package p\n\nfunc f() {\n\t// TODO: " + long + "\n\tx := \"" + long + "\"\n}\n",
			[]string{"p.go:5:"}},
	} {
		got := tooWide("p.go", []byte(tc.src))
		if len(got) != len(tc.want) {
			t.Errorf("%s: tooWide = %q, want %d lines (%v)", tc.name, got, len(tc.want), tc.want)
			continue
		}
		for i, w := range tc.want {
			if !strings.HasPrefix(got[i], w) || !strings.Contains(got[i], "want at most 95") {
				t.Errorf("%s: tooWide[%d] = %q, want it to start with %q and give the limit", tc.name, i, got[i], w)
			}
		}
	}
}
