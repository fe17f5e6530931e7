package assignment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// Check is one graded test of an assignment.
type Check struct {
	// Test is the test function's name; Points its weight (> 0).
	Test   string
	Points int
	// Doc is the first sentence of the test's doc comment, whole (its lines joined): what
	// it checks.
	Doc string
}

var pointsLine = regexp.MustCompile(`^points:\s*([0-9]+)\s*$`)

// Checks reads the graded tests of the package in dir: every Test function of its
// *_test.go files whose doc comment has a "points: N" line. Tests without one are
// not graded (helpers, or checks of the instructor's own).
func Checks(dir string) ([]Check, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	var checks []Check
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Doc == nil {
				continue
			}
			var c Check
			var text []string
			for _, line := range strings.Split(fn.Doc.Text(), "\n") {
				line = strings.TrimSpace(line)
				if m := pointsLine.FindStringSubmatch(line); m != nil {
					n, _ := strconv.Atoi(m[1])
					if n <= 0 {
						return nil, fmt.Errorf("%s: %s: points must be > 0", fset.Position(fn.Pos()), fn.Name.Name)
					}
					c.Points = n
				} else {
					text = append(text, line)
				}
			}
			c.Doc = firstSentence(strings.Join(text, "\n"))
			if c.Points > 0 {
				c.Test = fn.Name.Name
				checks = append(checks, c)
			}
		}
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].Test < checks[j].Test })
	return checks, nil
}

// firstSentence returns the first sentence of a doc comment's first paragraph, its lines
// joined by spaces: up to the first ". " (or the paragraph's end).
func firstSentence(text string) string {
	paragraph, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	words := strings.Join(strings.Fields(paragraph), " ")
	if i := strings.Index(words, ". "); i >= 0 {
		return words[:i+1]
	}
	return words
}

// wrap breaks text into lines of at most width characters (a longer word stays whole),
// each after the first starting with indent.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case line+1+n > width:
			b.WriteString("\n" + indent)
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}

// Result is the grade of one check.
type Result struct {
	Check
	// Passed is true when the test passed; Output holds what it printed (failures).
	Passed bool
	Output string
}

// Report is the grade of a version of an assignment.
type Report struct {
	// Dir is the package graded.
	Dir string
	// Results are the checks, by test name.
	Results []Result
	// Score and Total are the points earned and available.
	Score, Total int
	// BuildOutput holds the compiler's messages when the package does not build (then
	// every check fails).
	BuildOutput string
}

// testEvent is one line of `go test -json`.
type testEvent struct {
	Action string
	Test   string
	Output string
}

// Grade runs `go test -json` on the package in dir (with extra go test flags, e.g.
// "-timeout=10m") and scores its checks. A package that does not compile scores 0
// with the compiler's messages in BuildOutput; that is a grade, not an error. Errors
// are for a directory with no checks or a go command that cannot run.
func Grade(dir string, goFlags ...string) (*Report, error) {
	checks, err := Checks(dir)
	if err != nil {
		return nil, err
	}
	if len(checks) == 0 {
		return nil, fmt.Errorf("%s: no graded tests (a Test function whose doc comment says \"points: N\")", dir)
	}
	// Each check runs in its own go test: a stub's panic ends the test binary, and
	// must not cost the student the checks that come after it.
	var events bytes.Buffer
	var stderr bytes.Buffer
	for _, c := range checks {
		args := append([]string{"test", "-json", "-count=1", "-run", "^" + c.Test + "$"}, goFlags...)
		args = append(args, "./"+filepath.ToSlash(filepath.Clean(dir)))
		cmd := exec.Command("go", args...)
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				return nil, fmt.Errorf("go test %s: %w", dir, err)
			}
		}
		events.Write(stdout)
		if strings.Contains(string(stdout), "[build failed]") || strings.Contains(string(stdout), "[setup failed]") {
			break // the others would fail to build the same way
		}
	}
	return score(dir, checks, &events, stderr.String())
}

// score reads go test -json output.
func score(dir string, checks []Check, jsonOutput io.Reader, stderr string) (*Report, error) {
	passed := map[string]bool{}
	output := map[string]*strings.Builder{}
	var buildOutput strings.Builder
	scanner := bufio.NewScanner(jsonOutput)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	for scanner.Scan() {
		var e testEvent
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			buildOutput.WriteString(scanner.Text() + "\n")
			continue
		}
		switch {
		case e.Test == "" && e.Action == "build-output", e.Test == "" && e.Action == "output" && strings.Contains(e.Output, "[build failed]"):
			buildOutput.WriteString(e.Output)
		case e.Test != "" && e.Action == "output":
			top := strings.SplitN(e.Test, "/", 2)[0]
			if output[top] == nil {
				output[top] = &strings.Builder{}
			}
			output[top].WriteString(e.Output)
		case e.Test != "" && !strings.Contains(e.Test, "/") && e.Action == "pass":
			passed[e.Test] = true
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	r := &Report{Dir: dir, BuildOutput: strings.TrimSpace(buildOutput.String() + stderr)}
	for _, c := range checks {
		res := Result{Check: c, Passed: passed[c.Test]}
		if b := output[c.Test]; b != nil {
			res.Output = b.String()
		}
		r.Total += c.Points
		if res.Passed {
			r.Score += c.Points
		}
		r.Results = append(r.Results, res)
	}
	return r, nil
}

// String prints the report as a student reads it: each check with its points and what
// it checks (its doc comment's first sentence, wrapped at 100 columns), then the total.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "grading %s\n", r.Dir)
	const indent = "              " // under the description, after the mark and points
	for _, res := range r.Results {
		mark := "FAIL"
		if res.Passed {
			mark = "ok  "
		}
		what := res.Doc
		if !strings.HasPrefix(what, res.Test+" ") {
			what = res.Test + " — " + what
		}
		fmt.Fprintf(&b, "  %s %2d/%-2d  %s\n", mark, map[bool]int{true: res.Points}[res.Passed], res.Points,
			wrap(what, 100-len(indent), indent))
	}
	fmt.Fprintf(&b, "score: %d/%d\n", r.Score, r.Total)
	return b.String()
}

// WriteStudent writes the student's version of the instructor's package srcDir into
// dstDir: every .go file through Student, other files copied. Files in dstDir that
// srcDir no longer has are removed. It returns the names written.
func WriteStudent(srcDir, dstDir string) ([]string, error) {
	files, err := StudentFiles(srcDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dstDir, 0o755); err != nil {
		return nil, err
	}
	old, _ := os.ReadDir(dstDir)
	for _, e := range old {
		if _, keep := files[e.Name()]; !keep && !e.IsDir() {
			if err := os.Remove(filepath.Join(dstDir, e.Name())); err != nil {
				return nil, err
			}
		}
	}
	var names []string
	for name, data := range files {
		if err := atomicfile.WriteFile(filepath.Join(dstDir, name), data); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// StudentFiles returns the student's version of every file of srcDir, by name.
// Sub-directories are not assignments' business and are skipped. At least one .go
// file must hold a solution region, or the assignment asks nothing of the student.
func StudentFiles(srcDir string) (map[string][]byte, error) {
	files, err := readFiles(srcDir)
	if err != nil {
		return nil, err
	}
	regions := false
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if strings.HasSuffix(name, ".go") {
			regions = regions || HasSolution(files[name])
			if files[name], err = Student(filepath.Join(srcDir, name), files[name]); err != nil {
				return nil, err
			}
		}
	}
	if !regions {
		return nil, fmt.Errorf("%s: no // BEGIN SOLUTION region in any .go file", srcDir)
	}
	return files, nil
}
