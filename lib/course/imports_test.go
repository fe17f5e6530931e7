package course

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNothingOutsideImportsCourse holds the library to the rule of the package doc:
// no Go file outside lib/course (tests, testdata and the beam module included) imports
// a package under lib/course.
func TestNothingOutsideImportsCourse(t *testing.T) {
	const repo = "../.."
	const prefix = "github.com/dawnchorus/dawnchorus/lib/course"
	course, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(repo, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			name := d.Name()
			if abs == course || (path != repo && (strings.HasPrefix(name, ".") || name == "build" || name == "bin" || name == "datasets" || name == "node_modules")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, spec := range file.Imports {
			imported, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			if imported == prefix || strings.HasPrefix(imported, prefix+"/") {
				t.Errorf("%s imports %s: only lib/course may import lib/course", path, imported)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d Go files outside lib/course: the walk missed the repository", checked)
	}
}
