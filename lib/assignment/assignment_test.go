package assignment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStudent(t *testing.T) {
	src := []byte(`package p

import (
	"fmt"
	"strings"
)

// F does a thing.
func F(s string) string {
	s = strings.TrimSpace(s)
	// BEGIN SOLUTION: format it
	return fmt.Sprintf("<%s>", s)
	// END SOLUTION
}
`)
	want := `package p

import (
	"strings"
)

// F does a thing.
func F(s string) string {
	s = strings.TrimSpace(s)
	// TODO: format it
	panic("not implemented: format it")
}
`
	got, err := Student("p.go", src)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestStudentErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unclosed", "package p\nfunc f() {\n// BEGIN SOLUTION\n}\n", "p.go:3: BEGIN SOLUTION is never closed"},
		{"nested", "package p\n// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n", "p.go:3: BEGIN SOLUTION inside the region opened at line 2"},
		{"stray end", "package p\n// END SOLUTION\n", "p.go:2: END SOLUTION without a BEGIN SOLUTION"},
		{"broken", "package p\nfunc f( {\n", "does not parse"},
	} {
		_, err := Student("p.go", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestChecks(t *testing.T) {
	checks, err := Checks("testdata/sum")
	if err != nil {
		t.Fatal(err)
	}
	want := []Check{{"TestShout", 1, "TestShout checks what the student did not have to write."}, {"TestSum", 3, "TestSum checks a small sum."}}
	if len(checks) != len(want) {
		t.Fatalf("checks %+v, want %+v", checks, want)
	}
	for i := range want {
		if checks[i] != want[i] {
			t.Errorf("check %d: %+v, want %+v", i, checks[i], want[i])
		}
	}
}

// TestGradeSolutionAndStudent grades the instructor's version (full marks) and the
// generated student's version (it compiles; only the untouched check passes).
func TestGradeSolutionAndStudent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test twice")
	}
	solution, err := Grade("testdata/sum")
	if err != nil {
		t.Fatal(err)
	}
	if solution.Score != 4 || solution.Total != 4 {
		t.Fatalf("solution scored %d/%d, want 4/4:\n%s\n%s", solution.Score, solution.Total, solution, solution.BuildOutput)
	}
	dir := filepath.Join("testdata", "tmp-student")
	t.Cleanup(func() { os.RemoveAll(dir) })
	if _, err := WriteStudent("testdata/sum", dir); err != nil {
		t.Fatal(err)
	}
	student, err := Grade(dir)
	if err != nil {
		t.Fatal(err)
	}
	if student.Score != 1 || student.Total != 4 || student.BuildOutput != "" {
		t.Fatalf("student scored %d/%d (build: %q), want 1/4:\n%s", student.Score, student.Total, student.BuildOutput, student)
	}
	if !strings.Contains(student.Results[1].Output, "not implemented: add the numbers up") {
		t.Errorf("the failing check's output does not show the stub's panic:\n%s", student.Results[1].Output)
	}
	if !strings.Contains(student.String(), "score: 1/4") {
		t.Errorf("report:\n%s", student)
	}
	// A student's version that does not compile scores 0 with the compiler's message.
	if err := os.WriteFile(filepath.Join(dir, "sum.go"), []byte("package sum\nfunc Sum(\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken, err := Grade(dir)
	if err != nil {
		t.Fatal(err)
	}
	if broken.Score != 0 || !strings.Contains(broken.BuildOutput, "sum.go") {
		t.Errorf("broken version: score %d, build output %q", broken.Score, broken.BuildOutput)
	}
}

func TestFirstSentenceAndWrap(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"TestA checks that no recording is split between parts.\n\nEvery clip must be in one part.", "TestA checks that no recording is split between parts."},
		{"TestB checks the split of training rows: validation rows are\nvalidationPerClass of each class, and the same seed gives the\nsame split.\n", "TestB checks the split of training rows: validation rows are validationPerClass of each class, and the same seed gives the same split."},
		{"TestC checks 0.5 and 2.5 thresholds. Then more.", "TestC checks 0.5 and 2.5 thresholds."},
		{"TestD has no full stop\nat its end", "TestD has no full stop at its end"},
	}
	for _, tc := range tests {
		if got := firstSentence(tc.doc); got != tc.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tc.doc, got, tc.want)
		}
	}
	got := wrap("aaa bbb cc dddddddddd e", 7, "  ")
	if want := "aaa bbb\n  cc\n  dddddddddd\n  e"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}
