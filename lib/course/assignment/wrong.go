package assignment

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"golang.org/x/tools/go/ast/astutil"
)

// WrongDir is the directory, inside an assignment, of its wrong solutions: the
// mistakes students make, kept so that the checks are shown to catch them. Each
// sub-directory _wrong/NAME/ is one wrong solution. It holds, for each of the
// instructor's files it changes, a .go file of the same name whose functions carry
// BEGIN SOLUTION … END SOLUTION regions: each replaces the region at the same place
// (the same function, the same rank inside it) of the instructor's file, and
// everything else is the instructor's. So a wrong solution differs from the right
// one only where a student writes, and is compiled and graded like a student's
// version. The leading underscore keeps the go tool's ./... (build, vet, test) off
// these fragments, which compile only once merged.
//
// The package doc comment of a wrong file says what the mistake is ("Package
// evaluation, wrong: the seed is ignored."), and a line "caught by: TestA, TestB"
// names the checks that must fail on it.
const WrongDir = "_wrong"

// Wrong is one wrong solution of an assignment.
type Wrong struct {
	// Name is its directory's name (e.g. "normal-approximation"); Dir the directory.
	Name, Dir string
	// Doc is the first sentence of its files' package doc comment, less its
	// "Package x, wrong:": the mistake.
	Doc string
	// CaughtBy are the checks that must fail on it.
	CaughtBy []string
}

var (
	caughtByLine = regexp.MustCompile(`(?m)^caught by:\s*(.*)$`)
	// wrongPrefix is how a wrong file's doc comment starts: "Package evaluation, wrong: ".
	wrongPrefix = regexp.MustCompile(`^Package \w+, wrong:\s*`)
)

// WrongSolutions lists the wrong solutions of the assignment in srcDir (none when it
// has no _wrong directory), by name. Each must have a .go file, a doc comment saying
// what the mistake is, and a "caught by:" line naming at least one of the
// assignment's checks.
func WrongSolutions(srcDir string) ([]Wrong, error) {
	entries, err := os.ReadDir(filepath.Join(srcDir, WrongDir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	checks, err := Checks(srcDir)
	if err != nil {
		return nil, err
	}
	graded := map[string]bool{}
	for _, c := range checks {
		graded[c.Test] = true
	}
	var wrongs []Wrong
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		w := Wrong{Name: e.Name(), Dir: filepath.Join(srcDir, WrongDir, e.Name())}
		files, err := filepath.Glob(filepath.Join(w.Dir, "*.go"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .go file", w.Dir)
		}
		for _, path := range files {
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.PackageClauseOnly)
			if err != nil {
				return nil, err
			}
			if f.Doc == nil {
				continue
			}
			doc := f.Doc.Text()
			if w.Doc == "" {
				w.Doc = wrongPrefix.ReplaceAllString(firstSentence(doc), "")
			}
			if m := caughtByLine.FindStringSubmatch(doc); m != nil {
				for _, name := range strings.Split(m[1], ",") {
					if name = strings.TrimSpace(name); name != "" {
						w.CaughtBy = append(w.CaughtBy, name)
					}
				}
			}
		}
		if w.Doc == "" || len(w.CaughtBy) == 0 {
			return nil, fmt.Errorf("%s: its package doc comment must say what the mistake is and name the checks that catch it (\"caught by: TestA, TestB\")", w.Dir)
		}
		for _, name := range w.CaughtBy {
			if !graded[name] {
				return nil, fmt.Errorf("%s: caught by %s, which is not a graded check of %s", w.Dir, name, srcDir)
			}
		}
		wrongs = append(wrongs, w)
	}
	return wrongs, nil
}

// WrongFiles returns every file of the assignment in srcDir as the wrong solution w
// has it: the instructor's files with w's regions in place of theirs, the others
// (checks included) unchanged. It is an error for w to hold a file the instructor's
// version lacks, a function that is not the instructor's or whose signature differs,
// a region the instructor's function does not have, or anything but functions with
// regions (and imports).
func WrongFiles(srcDir string, w Wrong) (map[string][]byte, error) {
	files, err := readFiles(srcDir)
	if err != nil {
		return nil, err
	}
	wrongPaths, err := filepath.Glob(filepath.Join(w.Dir, "*.go"))
	if err != nil {
		return nil, err
	}
	for _, path := range wrongPaths {
		name := filepath.Base(path)
		right, ok := files[name]
		if !ok || strings.HasSuffix(name, "_test.go") {
			return nil, fmt.Errorf("%s: the instructor's version has no %s to change", path, name)
		}
		wrong, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if files[name], err = merge(filepath.Join(srcDir, name), right, path, wrong); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// WriteWrong writes the wrong solution w of the assignment in srcDir to dstDir (made
// empty first), ready to grade.
func WriteWrong(srcDir string, w Wrong, dstDir string) error {
	files, err := WrongFiles(srcDir, w)
	if err != nil {
		return err
	}
	return writeFiles(files, dstDir)
}

// writeFiles makes dstDir hold exactly files.
func writeFiles(files map[string][]byte, dstDir string) error {
	if err := os.RemoveAll(dstDir); err != nil {
		return err
	}
	if err := os.MkdirAll(dstDir, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := atomicfile.WriteFile(filepath.Join(dstDir, name), data); err != nil {
			return err
		}
	}
	return nil
}

// GradeSolution grades the instructor's version of the assignment in srcDir from a
// copy in scratchDir (removed afterwards): the place its wrong solutions are graded
// from. A check that fails there fails for its place, not for a mistake — checks
// reach shared data by relative paths, so scratchDir must sit as deep in the module
// as srcDir — and would make every wrong solution seem caught.
func GradeSolution(srcDir, scratchDir string, goFlags ...string) (*Report, error) {
	files, err := readFiles(srcDir)
	if err != nil {
		return nil, err
	}
	if err := writeFiles(files, scratchDir); err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratchDir)
	return Grade(scratchDir, goFlags...)
}

// readFiles reads every file directly in dir (not its subfolders), by name.
func readFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// placedRegion is a solution region and where it sits: the function holding it
// (its key) and its rank among that function's regions.
type placedRegion struct {
	region
	function string
	rank     int
}

// parsed is a source file with its regions placed in their functions.
type parsed struct {
	fset    *token.FileSet
	file    *ast.File
	funcs   map[string]*ast.FuncDecl
	regions []placedRegion
}

// parseRegions parses a Go file and places each of its regions in its function.
func parseRegions(name string, src []byte) (*parsed, error) {
	p := &parsed{fset: token.NewFileSet(), funcs: map[string]*ast.FuncDecl{}}
	var err error
	if p.file, err = parser.ParseFile(p.fset, name, src, parser.ParseComments); err != nil {
		return nil, err
	}
	found, err := regions(name, src)
	if err != nil {
		return nil, err
	}
	for _, decl := range p.file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok {
			p.funcs[funcKey(fn)] = fn
		}
	}
	rank := map[string]int{}
	for _, r := range found {
		key := ""
		for k, fn := range p.funcs {
			if p.fset.Position(fn.Pos()).Line < r.begin && r.end < p.fset.Position(fn.End()).Line {
				key = k
			}
		}
		if key == "" {
			return nil, fmt.Errorf("%s:%d: a solution region outside a function", name, r.begin)
		}
		p.regions = append(p.regions, placedRegion{region: r, function: key, rank: rank[key]})
		rank[key]++
	}
	return p, nil
}

// funcKey names a function declaration: "F", or "T.M" for a method of T or *T.
func funcKey(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if index, ok := t.(*ast.IndexExpr); ok {
		t = index.X
	}
	if ident, ok := t.(*ast.Ident); ok {
		return ident.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// signature prints a function's receiver, name and type.
func signature(fset *token.FileSet, fn *ast.FuncDecl) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, &ast.FuncDecl{Recv: fn.Recv, Name: fn.Name, Type: fn.Type})
	return b.String()
}

// merge returns the instructor's file right (rightName) with the regions of the
// wrong file (wrongName) in place of the matching ones, its imports added, and
// goimports run over it.
func merge(rightName string, right []byte, wrongName string, wrong []byte) ([]byte, error) {
	r, err := parseRegions(rightName, right)
	if err != nil {
		return nil, err
	}
	w, err := parseRegions(wrongName, wrong)
	if err != nil {
		return nil, err
	}
	if w.file.Name.Name != r.file.Name.Name {
		return nil, fmt.Errorf("%s: package %s, the instructor's is %s", wrongName, w.file.Name.Name, r.file.Name.Name)
	}
	for _, decl := range w.file.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.IMPORT {
			continue
		}
		fn, ok := decl.(*ast.FuncDecl)
		if !ok {
			return nil, fmt.Errorf("%s:%d: a wrong solution holds only functions whose solution regions it replaces", wrongName, w.fset.Position(decl.Pos()).Line)
		}
		key := funcKey(fn)
		rightFn, ok := r.funcs[key]
		if !ok {
			return nil, fmt.Errorf("%s:%d: %s is not a function of %s", wrongName, w.fset.Position(fn.Pos()).Line, key, rightName)
		}
		if a, b := signature(w.fset, fn), signature(r.fset, rightFn); a != b {
			return nil, fmt.Errorf("%s:%d: %s's signature differs from the instructor's:\n\t%s\n\t%s", wrongName, w.fset.Position(fn.Pos()).Line, key, a, b)
		}
		has := false
		for _, wr := range w.regions {
			has = has || wr.function == key
		}
		if !has {
			return nil, fmt.Errorf("%s:%d: %s holds no solution region to replace", wrongName, w.fset.Position(fn.Pos()).Line, key)
		}
	}
	replacement := map[int][]string{} // by the instructor's region's BEGIN line: the lines between the markers
	wrongLines := lines(wrong)
	for _, wr := range w.regions {
		matched := false
		for _, rr := range r.regions {
			if rr.function == wr.function && rr.rank == wr.rank {
				replacement[rr.begin] = wrongLines[wr.begin : wr.end-1]
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("%s:%d: %s has no region %d in %s", wrongName, wr.begin, wr.function, wr.rank+1, rightName)
		}
	}
	var out bytes.Buffer
	rightLines := lines(right)
	for i := 0; i < len(rightLines); i++ {
		out.WriteString(rightLines[i] + "\n")
		for _, rr := range r.regions {
			if rr.begin == i+1 && replacement[rr.begin] != nil {
				for _, line := range replacement[rr.begin] {
					out.WriteString(line + "\n")
				}
				i = rr.end - 2 // the END marker comes next
			}
		}
	}
	// The wrong regions may use packages the instructor's file does not import.
	fset := token.NewFileSet()
	merged, err := parser.ParseFile(fset, rightName, out.Bytes(), parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s merged into %s does not parse: %w", wrongName, rightName, err)
	}
	for _, spec := range w.file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		}
		astutil.AddNamedImport(fset, merged, name, path)
	}
	var withImports bytes.Buffer
	if err := printer.Fprint(&withImports, fset, merged); err != nil {
		return nil, err
	}
	return format(rightName, withImports.Bytes())
}

// GradeWrong grades the wrong solution w of the assignment in srcDir, written to
// scratchDir (relative to the module's root, like every graded directory; removed
// afterwards), and returns its report and what is wrong with it as a test of the
// checks: it does not compile (then it tests nothing), it scores full marks, or a
// check named in its "caught by:" line passes.
func GradeWrong(srcDir string, w Wrong, scratchDir string, goFlags ...string) (*Report, []string, error) {
	if err := WriteWrong(srcDir, w, scratchDir); err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(scratchDir)
	report, err := Grade(scratchDir, goFlags...)
	if err != nil {
		return nil, nil, err
	}
	var problems []string
	switch {
	case report.BuildOutput != "":
		problems = append(problems, fmt.Sprintf("%s does not compile, so it tests no check:\n%s", w.Dir, report.BuildOutput))
	case report.Score == report.Total:
		problems = append(problems, fmt.Sprintf("%s (%s) scores full marks: no check catches it", w.Dir, w.Doc))
	}
	if report.BuildOutput == "" {
		for _, name := range w.CaughtBy {
			for _, r := range report.Results {
				if r.Test == name && r.Passed {
					problems = append(problems, fmt.Sprintf("%s (%s) passes %s, which should catch it", w.Dir, w.Doc, name))
				}
			}
		}
	}
	return report, problems, nil
}

// Failed returns the names of the checks that failed.
func (r *Report) Failed() []string { return r.names(false) }

// Passed returns the names of the checks that passed.
func (r *Report) Passed() []string { return r.names(true) }

func (r *Report) names(passed bool) []string {
	var out []string
	for _, res := range r.Results {
		if res.Passed == passed {
			out = append(out, res.Test)
		}
	}
	return out
}
