// Command site writes the course as a static web site (lib/course/site) from the
// executed lessons, then checks that every page's links and images resolve:
//
//	go run ./lib/course/cmd/site [-out build/site] [-executed build/executed] [-notebooks notebooks]
//	                      [-assignments notebooks/_assignments] [-readme README.md]
//	go run ./lib/course/cmd/site -check [-out build/site]   only check a site already built
//
// Every notebook in -notebooks must have its executed version in -executed (`make site`
// executes the missing ones; `make test` executes them all), with the same cells — an
// executed notebook of an older lesson is refused — and no failed cell (lib/course/notebook's
// Check). The index's introduction is the first paragraph of -readme. The assignments'
// pages show the students' versions in -assignments: package doc, files, graded checks.
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/course/assignment"
	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
	"github.com/dawnchorus/dawnchorus/lib/course/site"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
)

func main() {
	out := flag.String("out", "build/site", "where to write the site")
	executed := flag.String("executed", "build/executed", "the executed notebooks (NN-slug.ipynb)")
	notebooks := flag.String("notebooks", "notebooks", "the course's notebooks: one page per notebook, in name order")
	assignments := flag.String("assignments", "notebooks/_assignments", "the students' versions of the assignments")
	readme := flag.String("readme", "README.md", "the README whose first paragraph introduces the site")
	checkOnly := flag.Bool("check", false, "only check the site in -out")
	flag.Parse()
	err := func() error {
		if !*checkOnly {
			if err := build(*out, *executed, *notebooks, *assignments, *readme); err != nil {
				return err
			}
		}
		return check(*out)
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		os.Exit(1)
	}
}

func build(out, executedDir, notebooksDir, assignmentsDir, readme string) error {
	paths, err := filepath.Glob(filepath.Join(notebooksDir, "*.ipynb"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no notebooks in %s", notebooksDir)
	}
	var lessons []site.Lesson
	var problems []string
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".ipynb")
		executedPath := filepath.Join(executedDir, name+".ipynb")
		ran, err := notebook.Read(executedPath)
		if errors.Is(err, os.ErrNotExist) {
			problems = append(problems, fmt.Sprintf("%s is missing: `make site` executes it (or `make lesson L=%s`)", executedPath, name))
			continue
		}
		if err != nil {
			return err
		}
		current, err := notebook.Read(path)
		if err != nil {
			return err
		}
		if d := notebook.Differences(ran, current); len(d) > 0 {
			problems = append(problems, fmt.Sprintf("%s was executed from another version of %s (%s): run `make lesson L=%s`",
				executedPath, path, strings.Join(d, "; "), name))
			continue
		}
		failed, _ := notebook.Check(ran)
		for _, p := range failed {
			problems = append(problems, fmt.Sprintf("%s: %s", executedPath, p))
		}
		lessons = append(lessons, site.Lesson{Name: name, Notebook: ran})
	}
	if len(problems) > 0 {
		return fmt.Errorf("the site shows the executed lessons, and\n  %s", strings.Join(problems, "\n  "))
	}
	var works []site.Assignment
	entries, err := os.ReadDir(assignmentsDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		a, err := readAssignment(filepath.Join(assignmentsDir, e.Name()))
		if err != nil {
			return err
		}
		works = append(works, a)
	}
	intro, err := firstParagraph(readme)
	if err != nil {
		return err
	}
	o := site.Options{
		Title: "dawnchorus: machine learning for bioacoustics, in Go",
		Intro: intro,
		Footer: fmt.Sprintf("Written by `make site` from the lessons as executed in `%s`, at commit `%s`.",
			executedDir, runrecord.GitCommit()),
	}
	if err := site.Build(out, lessons, works, o); err != nil {
		return err
	}
	fmt.Printf("site: wrote %s: %d lessons, %d assignments\n", filepath.Join(out, "index.html"), len(lessons), len(works))
	return nil
}

// readAssignment reads the students' version of an assignment in dir.
func readAssignment(dir string) (site.Assignment, error) {
	a := site.Assignment{Name: filepath.Base(dir), Files: map[string]string{},
		Grade: "make grade A=" + filepath.Base(dir)}
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return a, err
	}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return a, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			return a, err
		}
		if f.Doc != nil && a.Doc == "" {
			a.Doc = f.Doc.Text()
		}
		a.Files[filepath.Base(path)] = string(src)
	}
	if len(a.Files) == 0 {
		return a, fmt.Errorf("%s: no Go files", dir)
	}
	checks, err := assignment.Checks(dir)
	if err != nil {
		return a, err
	}
	for _, c := range checks {
		a.Checks = append(a.Checks, site.GradedCheck{Test: c.Test, Points: c.Points, Doc: c.Doc})
	}
	return a, nil
}

// firstParagraph is the first paragraph of a Markdown file after its title.
func firstParagraph(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	for _, p := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p != "" && !strings.HasPrefix(p, "#") {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s has no paragraph", path)
}

func check(dir string) error {
	broken, pages, files, err := site.Check(dir)
	if err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("%s: %d broken references:\n  %s", dir, len(broken), strings.Join(broken, "\n  "))
	}
	fmt.Printf("site: %s: %d pages; every link, image and sound resolves (%d files checked)\n", dir, pages, files)
	return nil
}
