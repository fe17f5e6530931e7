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

func TestWrongSolutions(t *testing.T) {
	wrongs, err := WrongSolutions("testdata/sum")
	if err != nil {
		t.Fatal(err)
	}
	if len(wrongs) != 2 || wrongs[0].Name != "drops-first" || wrongs[1].Name != "mutates-input" {
		t.Fatalf("wrong solutions %+v, want drops-first and mutates-input", wrongs)
	}
	w := wrongs[0]
	if w.Doc != "the loop starts at the second number, an off-by-one." || strings.Join(w.CaughtBy, ",") != "TestSum" {
		t.Errorf("doc %q, caught by %v", w.Doc, w.CaughtBy)
	}
	files, err := WrongFiles("testdata/sum", w)
	if err != nil {
		t.Fatal(err)
	}
	// The region is the wrong one, the rest the instructor's; "math" is no longer used.
	want := `// Package sum is a tiny assignment used by lib/course/assignment's tests.
package sum

import (
	"strings"
)

// Sum adds xs.
func Sum(xs []float64) float64 {
	// BEGIN SOLUTION add the numbers up
	total := 0.0
	for i := 1; i < len(xs); i++ {
		total += xs[i]
	}
	return total
	// END SOLUTION
}

// Shout upper-cases s; not part of the exercise.
func Shout(s string) string { return strings.ToUpper(s) }
`
	if got := string(files["sum.go"]); got != want {
		t.Errorf("merged sum.go:\n%s\nwant\n%s", got, want)
	}
	test, _ := os.ReadFile("testdata/sum/sum_test.go")
	if string(files["sum_test.go"]) != string(test) || len(files) != 2 {
		t.Errorf("files %v: want sum.go and the checks unchanged", sortedKeys(files))
	}
	// A wrong region may use a package the instructor's file does not import.
	files, err = WrongFiles("testdata/sum", wrongs[1])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["sum.go"]), `"sort"`) || strings.Contains(string(files["sum.go"]), `"math"`) {
		t.Errorf("merged sum.go of mutates-input:\n%s\nwant sort imported, math not", files["sum.go"])
	}
}

func sortedKeys(m map[string][]byte) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// TestWrongFilesErrors checks that a wrong solution that is not only a change of
// the instructor's regions is refused, with the file and line.
func TestWrongFilesErrors(t *testing.T) {
	const doc = "// Package sum, wrong: x.\n//\n// caught by: TestSum\npackage sum\n"
	for _, tc := range []struct{ name, file, src, want string }{
		{"another signature", "sum.go", doc + "func Sum(xs []int) float64 {\n\t// BEGIN SOLUTION\n\treturn 0\n\t// END SOLUTION\n}\n", "sum.go:5: Sum's signature differs"},
		{"unknown function", "sum.go", doc + "func Product(xs []float64) float64 {\n\t// BEGIN SOLUTION\n\treturn 0\n\t// END SOLUTION\n}\n", "sum.go:5: Product is not a function of"},
		{"a region too many", "sum.go", doc + "func Sum(xs []float64) float64 {\n\t// BEGIN SOLUTION\n\t_ = 1\n\t// END SOLUTION\n\t// BEGIN SOLUTION\n\treturn 0\n\t// END SOLUTION\n}\n", "sum.go:9: Sum has no region 2"},
		{"no region", "sum.go", doc + "func Sum(xs []float64) float64 { return 0 }\n", "sum.go:5: Sum holds no solution region"},
		{"a change outside the regions", "sum.go", doc + "var x = 1\n", "sum.go:5: a wrong solution holds only functions"},
		{"a file the instructor lacks", "other.go", doc, "has no other.go to change"},
		{"a check file", "sum_test.go", doc, "has no sum_test.go to change"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := copyAssignment(t)
			dir := filepath.Join(src, WrongDir, "w")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			wrongs, err := WrongSolutions(src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = WrongFiles(src, wrongs[0])
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, src, want string }{
		{"no doc", "package sum\n", "must say what the mistake is"},
		{"no caught by", "// Package sum, wrong: x.\npackage sum\n", "must say what the mistake is"},
		{"caught by no check", "// Package sum, wrong: x.\n//\n// caught by: TestHelper\npackage sum\n", "caught by TestHelper, which is not a graded check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := copyAssignment(t)
			dir := filepath.Join(src, WrongDir, "w")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "sum.go"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := WrongSolutions(src); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// copyAssignment copies testdata/sum's files (not its wrong solutions) to a
// temporary directory.
func copyAssignment(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"sum.go", "sum_test.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "sum", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGradeWrong grades the two wrong solutions of testdata/sum: the off-by-one
// loses TestSum's points; the one that sorts its input scores full marks, which
// GradeWrong reports twice (full marks, and TestSum passing though it should catch
// it). The stubs pass TestShout, a check that cannot tell a missing solution.
func TestGradeWrong(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	wrongs, err := WrongSolutions("testdata/sum")
	if err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join("testdata", "tmp-wrong")
	report, problems, err := GradeWrong("testdata/sum", wrongs[0], scratch)
	if err != nil {
		t.Fatal(err)
	}
	if report.Score != 1 || len(problems) != 0 || strings.Join(report.Failed(), ",") != "TestSum" {
		t.Errorf("drops-first: %d/%d, failed %v, problems %v; want 1/4, TestSum failed, no problem", report.Score, report.Total, report.Failed(), problems)
	}
	if _, err := os.Stat(scratch); !os.IsNotExist(err) {
		t.Errorf("%s left behind (%v)", scratch, err)
	}
	report, problems, err = GradeWrong("testdata/sum", wrongs[1], scratch)
	if err != nil {
		t.Fatal(err)
	}
	if report.Score != 4 || len(problems) != 2 || !strings.Contains(problems[0], "scores full marks") || !strings.Contains(problems[1], "passes TestSum, which should catch it") {
		t.Errorf("mutates-input: %d/%d, problems %q; want 4/4 and two problems", report.Score, report.Total, problems)
	}
	dir := filepath.Join("testdata", "tmp-stubs")
	t.Cleanup(func() { os.RemoveAll(dir) })
	if _, err := WriteStudent("testdata/sum", dir); err != nil {
		t.Fatal(err)
	}
	stubs, err := Grade(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(stubs.Passed(), ",") != "TestShout" {
		t.Errorf("checks passed by the stubs: %v, want TestShout", stubs.Passed())
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
