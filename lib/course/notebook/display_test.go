package notebook

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// displayExempt are the exported functions of lib/ that display but that a cell does
// not call by name, so Check cannot count them, with the reason.
var displayExempt = map[string]string{
	"activeui.NotebookOracle.Label": "called by active.Run, not by a cell; it waits for a person's clicks, so headless runs never reach it",
}

// TestDisplayCallsCoverLib finds every exported function of lib/ that displays in a
// notebook — calls a gonbui Display or Update function, or a function of its package
// that does — and requires it among DisplayCalls (so Check requires its output) or
// exempt with a reason. A new Show function cannot slip past the verifier.
func TestDisplayCallsCoverLib(t *testing.T) {
	known := map[string]bool{}
	for _, c := range DisplayCalls {
		if c.Package != "gonbui" {
			known[c.Package+"."+c.Func] = true
		}
	}
	var found []string
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		found = append(found, displayingFuncs(t, path)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range found {
		if !known[name] && displayExempt[name] == "" {
			t.Errorf("%s displays in a notebook: add it to notebook.DisplayCalls (or to displayExempt, with why a cell cannot be held to it)", name)
		}
	}
	for name := range known {
		if !slices.Contains(found, name) {
			t.Errorf("DisplayCalls lists %s, which does not display (or no longer exists)", name)
		}
	}
	t.Logf("displaying functions of lib/: %v", found)
	if len(found) < 5 {
		t.Errorf("found only %v: is the search broken?", found)
	}
}

// displayingFuncs returns "pkg.Func" (or "pkg.Type.Method") for each exported
// function of the package in dir that displays.
func displayingFuncs(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for name, pkg := range pkgs {
		type fn struct {
			decl    *ast.FuncDecl
			calls   map[string]bool // local functions and methods it calls, by name
			display bool
		}
		funcs := map[string]*fn{}
		for _, file := range pkg.Files {
			gonbui := ""
			for _, spec := range file.Imports {
				if path, _ := strconv.Unquote(spec.Path.Value); path == "github.com/janpfeifer/gonb/gonbui" {
					gonbui = "gonbui"
					if spec.Name != nil {
						gonbui = spec.Name.Name
					}
				}
			}
			for _, decl := range file.Decls {
				d, ok := decl.(*ast.FuncDecl)
				if !ok || d.Body == nil {
					continue
				}
				f := &fn{decl: d, calls: map[string]bool{}}
				ast.Inspect(d.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					switch fun := call.Fun.(type) {
					case *ast.Ident:
						f.calls[fun.Name] = true
					case *ast.SelectorExpr:
						if x, ok := fun.X.(*ast.Ident); ok && gonbui != "" && x.Name == gonbui &&
							(strings.HasPrefix(fun.Sel.Name, "Display") || strings.HasPrefix(fun.Sel.Name, "Update")) {
							f.display = true
						}
						f.calls[fun.Sel.Name] = true // a method of the package, or another package's function: harmless
					}
					return true
				})
				funcs[qualified(d)] = f
			}
		}
		for changed := true; changed; {
			changed = false
			for _, f := range funcs {
				if f.display {
					continue
				}
				for key, g := range funcs {
					if g.display && f.calls[g.decl.Name.Name] && key != qualified(f.decl) {
						f.display, changed = true, true
						break
					}
				}
			}
		}
		for key, f := range funcs {
			if f.display && ast.IsExported(f.decl.Name.Name) && (f.decl.Recv == nil || ast.IsExported(strings.Split(key, ".")[0])) {
				found = append(found, name+"."+key)
			}
		}
	}
	return found
}

// qualified names a declaration: "F", or "T.M" for a method.
func qualified(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}
