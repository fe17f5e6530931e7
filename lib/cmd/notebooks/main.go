// Command notebooks generates the course's notebooks from its lessons and checks them.
//
//	notebooks write  [-lessons DIR] [-out DIR]   regenerate notebooks/NN-slug.ipynb from lessons/NN-slug.md
//	notebooks check  [-lessons DIR] [-out DIR]   fail when a committed notebook differs from its lesson,
//	                 [-readme README.md]          or the README's lesson list misses a lesson
//	notebooks execute [-out DIR] [-timeout S]    run a notebook headless (jupyter nbconvert --execute, the
//	                  [-jupyter PATH] FILE.ipynb  GoNB kernel) into DIR, recording its CPU and wall time
//	notebooks verify [-budget S] FILE.ipynb...   fail when an executed notebook has a failed cell, or
//	                                             took more than S seconds of CPU time
//
// write removes notebooks whose lesson is gone; check reports them. execute writes
// DIR/NAME.ipynb and the log DIR/NAME.log, and records the run in the executed
// notebook's metadata (lib/notebook Run). verify reads executed notebooks and fails on
// what lib/notebook's Check reports — error outputs, the "exit status N" / panic text
// that GoNB leaves on a failed cell's output, printed errors, NaN or Inf, figures that
// did not render, cells that print nothing — and, with -budget, on a run over budget
// (CPU time, which other jobs on the machine do not inflate; see lib/notebook Run).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

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
	case "execute":
		flags := flag.NewFlagSet(cmd, flag.ExitOnError)
		outDir := flags.String("out", "build/executed", "directory of the executed notebook and its log")
		timeout := flags.Int("timeout", 300, "per-cell time limit (seconds)")
		jupyter := flags.String("jupyter", "/usr/bin/jupyter", "the jupyter command")
		_ = flags.Parse(args)
		if flags.NArg() != 1 {
			usage()
		}
		err = execute(*jupyter, *outDir, *timeout, flags.Arg(0))
	case "verify":
		flags := flag.NewFlagSet(cmd, flag.ExitOnError)
		budget := flags.Float64("budget", 0, "most CPU seconds a notebook's run may take (0: not checked)")
		_ = flags.Parse(args)
		err = verify(flags.Args(), *budget)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "notebooks "+cmd+": "+err.Error())
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: notebooks write|check [-lessons DIR] [-out DIR] | notebooks execute [-out DIR] [-timeout S] [-jupyter PATH] FILE.ipynb | notebooks verify [-budget S] FILE.ipynb...")
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
	run := notebook.Run{LoadBefore: loadAverage(), CPUs: runtime.NumCPU(), StartedUTC: time.Now().UTC().Format(time.RFC3339)}
	start := time.Now()
	err = cmd.Run()
	run.WallSeconds = time.Since(start).Seconds()
	run.LoadAfter = loadAverage()
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

// loadAverage returns the 1-minute load average, or 0 where /proc/loadavg is missing.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var load float64
	fmt.Sscan(string(data), &load)
	return load
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
