// Command notebooks generates the course's notebooks from its lessons and checks them.
//
//	notebooks write  [-lessons DIR] [-out DIR]   regenerate notebooks/NN-slug.ipynb from lessons/NN-slug.md
//	                 [-backup build/backup]
//	notebooks check  [-lessons DIR] [-out DIR]   fail when a notebook's cells differ from its lesson's,
//	                 [-readme README.md]          or the README's lesson list misses a lesson
//	notebooks verify FILE.ipynb...               fail when an executed notebook has a failed cell
//
// A notebook is in sync with its lesson when its cells' kinds and sources and its kernel
// are the lesson's (lib/notebook's Differences): outputs and the metadata Jupyter writes
// when a student runs and saves a lesson do not count. write rewrites only notebooks that
// are out of sync (so a student's outputs stay), and removes those whose lesson is gone;
// before it replaces or removes a notebook whose cells were edited in Jupyter or that
// holds outputs, it keeps a copy under -backup/YYYYMMDD-HHMMSS/ and says where. check
// reports stale notebooks, telling a student's edits from a changed lesson. verify reads
// notebooks executed by `jupyter nbconvert --execute` and fails on error outputs and on
// the "exit status N" / panic text that GoNB leaves on a failed cell's stderr.
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
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backup"
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
		backupRoot := flags.String("backup", "build/backup", "where write keeps copies of notebooks it replaces that hold a student's work")
		_ = flags.Parse(args)
		if cmd == "write" {
			err = write(*lessonsDir, *outDir, backup.New(*backupRoot, time.Now()))
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

// rendered is a lesson's notebook: its bytes as written, and decoded.
type rendered struct {
	data     []byte
	notebook *notebook.Notebook
}

// render reads every lesson and returns its notebook by notebook file name.
func render(lessonsDir string) (map[string]rendered, error) {
	entries, err := os.ReadDir(lessonsDir)
	if err != nil {
		return nil, err
	}
	out := map[string]rendered{}
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
		out[stem+".ipynb"] = rendered{data, nb}
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

// studentsWork says what a notebook holds that its lesson cannot give back: cells edited
// in Jupyter (when its cells differ from the lesson's and from what the generator wrote),
// outputs of a run. It is "" when there is nothing.
func studentsWork(nb *notebook.Notebook, cellsDiffer bool) string {
	var work []string
	if cellsDiffer && nb.EditedByHand() {
		work = append(work, "cells edited in Jupyter")
	}
	if n := nb.OutputCells(); n > 0 {
		work = append(work, fmt.Sprintf("outputs of %d cells", n))
	}
	return strings.Join(work, " and ")
}

// keepWork keeps a copy of the notebook at path in keep when it holds work (see
// studentsWork), and prints where, why it is replaced and what it held.
func keepWork(path, work, why string, keep *backup.Backup) error {
	if work == "" {
		return nil
	}
	copyPath, err := keep.Keep(path)
	if err != nil {
		return fmt.Errorf("%s holds %s and could not be kept, so it is left as it is: %w", path, work, err)
	}
	fmt.Printf("%s %s; it held %s: your version is kept in %s\n", path, why, work, copyPath)
	return nil
}

func write(lessonsDir, outDir string, keep *backup.Backup) error {
	lessons, err := render(lessonsDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range sortedKeys(lessons) {
		path := filepath.Join(outDir, name)
		lesson := lessons[name]
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return err
		case bytes.Equal(old, lesson.data):
			continue
		default:
			why := "is rewritten from " + filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md")
			work := "something that is not a notebook"
			if nb, err := notebook.Read(path); err == nil {
				diffs := notebook.Differences(nb, lesson.notebook)
				if len(diffs) == 0 && nb.OutputCells() > 0 {
					continue // in sync: the outputs of a run in Jupyter stay
				}
				work = studentsWork(nb, len(diffs) > 0)
				if len(diffs) > 0 {
					why += " (" + strings.Join(diffs, "; ") + ")"
				}
			}
			if err := keepWork(path, work, why, keep); err != nil {
				return err
			}
		}
		if err := atomicfile.WriteFile(path, lesson.data); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}
	have, err := existing(outDir)
	if err != nil {
		return err
	}
	for _, name := range have {
		if _, ok := lessons[name]; ok {
			continue
		}
		path := filepath.Join(outDir, name)
		work := "something that is not a notebook"
		if nb, err := notebook.Read(path); err == nil {
			work = studentsWork(nb, true)
		}
		if err := keepWork(path, work, "is removed (its lesson is gone)", keep); err != nil {
			return err
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		fmt.Println("removed", path, "(its lesson is gone)")
	}
	return nil
}

func check(lessonsDir, outDir, readme string) error {
	lessons, err := render(lessonsDir)
	if err != nil {
		return err
	}
	var stale, ran []string
	for _, name := range sortedKeys(lessons) {
		path := filepath.Join(outDir, name)
		lesson := filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md")
		nb, err := notebook.Read(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			stale = append(stale, path+" is missing")
			continue
		case err != nil:
			stale = append(stale, err.Error())
			continue
		}
		diffs := notebook.Differences(nb, lessons[name].notebook)
		switch {
		case len(diffs) > 0 && nb.EditedByHand():
			stale = append(stale, fmt.Sprintf("%s was edited in Jupyter (%s): lessons are edited in %s", path, strings.Join(diffs, "; "), lesson))
		case len(diffs) > 0:
			stale = append(stale, fmt.Sprintf("%s differs from %s (%s)", path, lesson, strings.Join(diffs, "; ")))
		default:
			if n := nb.OutputCells(); n > 0 {
				ran = append(ran, fmt.Sprintf("%s (%d cells)", path, n))
			}
		}
	}
	have, err := existing(outDir)
	if err != nil {
		return err
	}
	for _, name := range have {
		if _, ok := lessons[name]; !ok {
			stale = append(stale, filepath.Join(outDir, name)+" has no lesson")
		}
	}
	if readme != "" {
		text, err := os.ReadFile(readme)
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(lessons) {
			lesson := filepath.ToSlash(filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md"))
			if !bytes.Contains(text, []byte(lesson)) {
				stale = append(stale, fmt.Sprintf("%s does not list %s in its lessons", readme, lesson))
			}
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("notebooks are out of date with their lessons:\n  %s\n"+
			"`make notebooks` rewrites them from lessons/ (and keeps a copy of any with edits or outputs in build/backup/); "+
			"commit the lesson and its notebook together", strings.Join(stale, "\n  "))
	}
	fmt.Printf("%d notebooks match their lessons\n", len(lessons))
	if len(ran) > 0 {
		fmt.Printf("  with outputs of a run in Jupyter (not compared): %s\n", strings.Join(ran, ", "))
	}
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
