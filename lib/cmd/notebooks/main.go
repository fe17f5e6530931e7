// Command notebooks generates the course's notebooks from its lessons and checks them.
//
//	notebooks write  [-lessons DIR] [-out DIR]   regenerate notebooks/NN-slug.ipynb from lessons/NN-slug.md
//	notebooks check  [-lessons DIR] [-out DIR]   fail when a committed notebook differs from its lesson,
//	                 [-readme README.md]          or the README's lesson list misses a lesson
//	notebooks verify FILE.ipynb...               fail when an executed notebook has a failed cell
//
// write removes notebooks whose lesson is gone; check reports them. verify reads notebooks
// executed by `jupyter nbconvert --execute` and fails on error outputs and on the
// "exit status N" / panic text that GoNB leaves on a failed cell's stderr.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/notebook"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "write", "check":
		flags := flag.NewFlagSet(cmd, flag.ExitOnError)
		lessonsDir := flags.String("lessons", "lessons", "directory of the lessons (NN-slug.md)")
		outDir := flags.String("out", "notebooks", "directory of the generated notebooks")
		readme := flags.String("readme", "README.md", "file whose lesson list must name every lesson (check only)")
		_ = flags.Parse(args)
		if cmd == "write" {
			err = write(*lessonsDir, *outDir)
		} else {
			err = check(*lessonsDir, *outDir, *readme)
		}
	case "verify":
		err = verify(args)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "notebooks "+cmd+": "+err.Error())
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: notebooks write|check [-lessons DIR] [-out DIR] | notebooks verify FILE.ipynb...")
	os.Exit(2)
}

// lessonName is the pattern of a lesson's file name: two digits, an optional letter
// (04a, 04b), a dash and a lower-case slug.
var lessonName = regexp.MustCompile(`^[0-9]{2}[a-z]?-[a-z0-9]+(-[a-z0-9]+)*\.md$`)

// render reads every lesson and returns its notebook's bytes by notebook file name.
func render(lessonsDir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(lessonsDir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || name == "README.md" {
			continue
		}
		if !lessonName.MatchString(name) {
			return nil, fmt.Errorf("%s: a lesson's name must look like 07-some-topic.md (two digits, optional letter, dash, lower-case words)", filepath.Join(lessonsDir, name))
		}
		text, err := os.ReadFile(filepath.Join(lessonsDir, name))
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(name, ".md")
		nb, err := notebook.FromLesson(stem, string(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(lessonsDir, name), errors.Unwrap(err))
		}
		data, err := nb.Marshal()
		if err != nil {
			return nil, err
		}
		out[stem+".ipynb"] = data
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no lessons", lessonsDir)
	}
	return out, nil
}

// existing lists the notebooks in outDir.
func existing(outDir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(outDir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	for i, m := range matches {
		matches[i] = filepath.Base(m)
	}
	return matches, nil
}

func write(lessonsDir, outDir string) error {
	rendered, err := render(lessonsDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range sortedKeys(rendered) {
		path := filepath.Join(outDir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, rendered[name]) {
			continue
		}
		if err := atomicfile.WriteFile(path, rendered[name]); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}
	have, err := existing(outDir)
	if err != nil {
		return err
	}
	for _, name := range have {
		if _, ok := rendered[name]; !ok {
			path := filepath.Join(outDir, name)
			if err := os.Remove(path); err != nil {
				return err
			}
			fmt.Println("removed", path, "(its lesson is gone)")
		}
	}
	return nil
}

func check(lessonsDir, outDir, readme string) error {
	rendered, err := render(lessonsDir)
	if err != nil {
		return err
	}
	var stale []string
	for _, name := range sortedKeys(rendered) {
		path := filepath.Join(outDir, name)
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			stale = append(stale, path+" is missing")
		case err != nil:
			return err
		case !bytes.Equal(old, rendered[name]):
			stale = append(stale, path+" differs from "+filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md"))
		}
	}
	have, err := existing(outDir)
	if err != nil {
		return err
	}
	for _, name := range have {
		if _, ok := rendered[name]; !ok {
			stale = append(stale, filepath.Join(outDir, name)+" has no lesson")
		}
	}
	if readme != "" {
		text, err := os.ReadFile(readme)
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(rendered) {
			lesson := filepath.ToSlash(filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md"))
			if !bytes.Contains(text, []byte(lesson)) {
				stale = append(stale, fmt.Sprintf("%s does not list %s in its lessons", readme, lesson))
			}
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("notebooks are out of date with their lessons (run `make notebooks` and commit):\n  %s", strings.Join(stale, "\n  "))
	}
	fmt.Printf("%d notebooks match their lessons\n", len(rendered))
	return nil
}

func verify(paths []string) error {
	if len(paths) == 0 {
		return errors.New("no executed notebooks given")
	}
	failed := 0
	for _, path := range paths {
		nb, err := notebook.Read(path)
		if err != nil {
			return err
		}
		problems, sum := notebook.Check(nb)
		status := "ok"
		if sum.Executed < sum.CodeCells {
			problems = append(problems, notebook.Problem{Message: fmt.Sprintf("only %d of %d code cells ran", sum.Executed, sum.CodeCells)})
		}
		if len(problems) > 0 {
			status = "FAILED"
			failed++
		}
		fmt.Printf("%-6s %s: %d code cells run, %d figures\n", status, path, sum.Executed, sum.Figures)
		for _, p := range problems {
			fmt.Printf("         %s\n", p)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks have failed cells", failed, len(paths))
	}
	return nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
