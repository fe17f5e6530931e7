// Command notebooks generates the course's notebooks from its lessons and checks them.
//
//	notebooks write  [-lessons DIR] [-out DIR]   regenerate notebooks/NN-slug.ipynb from lessons/NN-slug.md
//	                 [-backup build/backup]
//	notebooks check  [-lessons DIR] [-out DIR]   fail when a notebook's cells differ from its lesson's,
//	                 [-readme README.md]          the README's lesson list misses a lesson, or a lesson
//	                                             holds a code line wider than 95 columns or a code
//	                                             cell longer than 90 lines
//	notebooks execute [-out DIR] [-timeout S]    run a notebook headless (jupyter nbconvert --execute, the
//	                  [-jupyter PATH] FILE.ipynb  GoNB kernel) into DIR, recording its CPU and wall time
//	notebooks verify [-budget S] FILE.ipynb...   fail when an executed notebook has a failed cell, or
//	                                             took more than S seconds of CPU time
//
// A notebook is in sync with its lesson when its cells' kinds and sources and its kernel
// are the lesson's (lib/course/notebook's Differences): outputs and the metadata Jupyter writes
// when a student runs and saves a lesson do not count. write rewrites only notebooks that
// are out of sync (so a student's outputs stay), and removes those whose lesson is gone;
// before it replaces or removes a notebook whose cells were edited in Jupyter or that
// holds outputs, it keeps a copy under -backup/YYYYMMDD-HHMMSS/ and says where. check
// reports stale notebooks, telling a student's edits from a changed lesson. execute writes
// DIR/NAME.ipynb and the log DIR/NAME.log, and records the run in the executed
// notebook's metadata (lib/course/notebook Run). verify reads executed notebooks and fails on
// what lib/course/notebook's Check reports — error outputs, the "exit status N" / panic text
// that GoNB leaves on a failed cell's output, printed errors, NaN or Inf, figures that
// did not render, cells that print nothing — and, with -budget, on a run over budget
// (CPU time, which other jobs on the machine do not inflate; see lib/course/notebook Run).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/course/backup"
	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
	"github.com/dawnchorus/dawnchorus/lib/course/subcommand"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
)

func main() {
	subcommand.Main("notebooks", "notebooks write|check [-lessons DIR] [-out DIR] | notebooks execute [-out DIR] [-timeout S] [-jupyter PATH] FILE.ipynb | notebooks verify [-budget S] FILE.ipynb...", run)
}

// run runs the sub-command cmd with its flags and arguments.
func run(cmd string, args []string) error {
	flags := flag.NewFlagSet(cmd, flag.ExitOnError)
	switch cmd {
	case "write", "check":
		lessonsDir := flags.String("lessons", "lessons", "directory of the lessons (NN-slug.md)")
		outDir := flags.String("out", "notebooks", "directory of the generated notebooks")
		readme := flags.String("readme", "README.md", "file whose lesson list must name every lesson (check only)")
		backupRoot := flags.String("backup", "build/backup", "where write keeps copies of notebooks it replaces that hold a student's work")
		_ = flags.Parse(args)
		if cmd == "write" {
			return write(*lessonsDir, *outDir, backup.New(*backupRoot, time.Now()))
		}
		return check(*lessonsDir, *outDir, *readme)
	case "execute":
		outDir := flags.String("out", "build/executed", "directory of the executed notebook and its log")
		timeout := flags.Int("timeout", 300, "per-cell time limit (seconds)")
		jupyter := flags.String("jupyter", "/usr/bin/jupyter", "the jupyter command")
		_ = flags.Parse(args)
		if flags.NArg() != 1 {
			return subcommand.ErrUsage
		}
		return execute(*jupyter, *outDir, *timeout, flags.Arg(0))
	case "verify":
		budget := flags.Float64("budget", 0, "most CPU seconds a notebook's run may take (0: not checked)")
		_ = flags.Parse(args)
		return verify(flags.Args(), *budget)
	}
	return subcommand.ErrUsage
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
	for _, name := range slices.Sorted(maps.Keys(lessons)) {
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
	for _, name := range slices.Sorted(maps.Keys(lessons)) {
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
		for _, name := range slices.Sorted(maps.Keys(lessons)) {
			lesson := filepath.ToSlash(filepath.Join(lessonsDir, strings.TrimSuffix(name, ".ipynb")+".md"))
			if !bytes.Contains(text, []byte(lesson)) {
				stale = append(stale, fmt.Sprintf("%s does not list %s in its lessons", readme, lesson))
			}
		}
	}
	var errs []error
	if len(stale) > 0 {
		errs = append(errs, fmt.Errorf("notebooks are out of date with their lessons:\n  %s\n"+
			"`make notebooks` rewrites them from lessons/ (and keeps a copy of any with edits or outputs in build/backup/); "+
			"commit the lesson and its notebook together", strings.Join(stale, "\n  ")))
	}
	if wide := tooWide(lessonsDir, lessons); len(wide) > 0 {
		errs = append(errs, fmt.Errorf("%d code lines or cells do not fit a notebook cell:\n  %s",
			len(wide), strings.Join(wide, "\n  ")))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Printf("%d notebooks match their lessons\n", len(lessons))
	if len(ran) > 0 {
		fmt.Printf("  with outputs of a run in Jupyter (not compared): %s\n", strings.Join(ran, ", "))
	}
	return nil
}

func verify(paths []string, budgetCPUSeconds float64) error {
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
		if budgetCPUSeconds > 0 {
			problems = append(problems, notebook.CheckBudget(nb, budgetCPUSeconds)...)
		}
		if len(problems) > 0 {
			status = "FAILED"
			failed++
		}
		timing := ""
		if run, ok, _ := notebook.RunOf(nb); ok {
			timing = fmt.Sprintf("; %.0f s CPU, %.0f s wall (load %.1f → %.1f on %d CPUs)", run.CPUSeconds, run.WallSeconds, run.LoadBefore, run.LoadAfter, run.CPUs)
			if budgetCPUSeconds > 0 {
				timing += fmt.Sprintf(", budget %.0f s CPU", budgetCPUSeconds)
			}
		}
		fmt.Printf("%-6s %s: %d code cells run, %d figures%s\n", status, path, sum.Executed, sum.Figures, timing)
		for _, p := range problems {
			fmt.Printf("         %s\n", p)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks have failed cells or ran over budget", failed, len(paths))
	}
	return nil
}

// execute runs the notebook at path headless on the GoNB kernel with jupyter
// nbconvert into outDir (its output in outDir/NAME.log), then records the run's CPU
// and wall time in the executed notebook. Cells that fail do not stop the run
// (--allow-errors): verify reports them. nbconvert failing (a cell over the time
// limit, a kernel that dies) is an error naming the log.
func execute(jupyter, outDir string, timeoutSeconds int, path string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	logPath := filepath.Join(outDir, stem+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name="+notebook.KernelName, fmt.Sprintf("--ExecutePreprocessor.timeout=%d", timeoutSeconds),
		"--output-dir", outDir, path)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	run := notebook.Run{LoadBefore: runrecord.LoadAverage(), CPUs: runtime.NumCPU(), StartedUTC: time.Now().UTC().Format(time.RFC3339)}
	start := time.Now()
	err = cmd.Run()
	run.WallSeconds = time.Since(start).Seconds()
	run.LoadAfter = runrecord.LoadAverage()
	if err != nil {
		return fmt.Errorf("%s: jupyter nbconvert: %w (see %s)", path, err, logPath)
	}
	// The process's CPU time includes every descendant it waited for: the kernel,
	// which waited for the compiler and each cell's program.
	run.CPUSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	executed := filepath.Join(outDir, stem+".ipynb")
	if err := notebook.RecordRun(executed, run); err != nil {
		return err
	}
	fmt.Printf("ran %s in %.0f s (%.0f s of CPU, load %.1f → %.1f)\n", path, run.WallSeconds, run.CPUSeconds, run.LoadBefore, run.LoadAfter)
	return nil
}
