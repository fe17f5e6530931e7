// Command assignments makes the students' versions of the weekly assignments and
// grades them (lib/course/assignment).
//
//	assignments write [-src DIR] [-out DIR]   regenerate every student's version from the instructor's,
//	                  [-backup build/backup]   keeping a copy of every file it changes or removes
//	assignments check [-src DIR] [-out DIR]   fail when a student's version is out of date, does not
//	          [-scratch DIR]                  compile, has a line wider than a notebook's 95 columns
//	                                          (its TODO stubs aside), or passes any check with its stubs
//	                                          (a check that cannot fail), or when a wrong solution of an assignment
//	                                          (NN-slug/_wrong/NAME/, see lib/course/assignment) does not compile,
//	                                          scores full marks, or passes a check that should catch it
//	assignments grade DIR...                  run the graded checks of each package, print the score
//
// The instructor's versions are lessons/assignments/NN-slug/; the students' versions
// are notebooks/_assignments/NN-slug/ (generated, never edited by hand in the repo;
// students edit their copy and run `make grade A=NN-slug`). Since students work in
// those files, write never changes or removes one without keeping a copy of it first
// under -backup/YYYYMMDD-HHMMSS/ and saying where.
//
// check grades every assignment's stubs and wrong solutions, which takes minutes
// (assignment 03's checks train small networks); the wrong solutions are written
// to -scratch/NN-slug-NAME while they are graded (after the instructor's version,
// graded from there to show that the place changes nothing), then removed.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/course/assignment"
	"github.com/dawnchorus/dawnchorus/lib/course/backup"
	"github.com/dawnchorus/dawnchorus/lib/course/subcommand"
)

func main() {
	subcommand.Main("assignments", "assignments write|check [-src DIR] [-out DIR] | assignments grade DIR...", run)
}

// run runs the sub-command cmd with its flags and arguments.
func run(cmd string, args []string) error {
	flags := flag.NewFlagSet(cmd, flag.ExitOnError)
	srcDir := flags.String("src", "lessons/assignments", "directory of the instructor's assignments")
	outDir := flags.String("out", "notebooks/_assignments", "directory of the students' versions")
	scratchDir := flags.String("scratch", "build/_wrong", "where check writes the wrong solutions it grades (inside the module, a path the go tool's ./... skips)")
	backupRoot := flags.String("backup", "build/backup", "where write keeps copies of the files it changes or removes")
	_ = flags.Parse(args)
	switch cmd {
	case "write":
		return write(*srcDir, *outDir, backup.New(*backupRoot, time.Now()))
	case "check":
		return check(*srcDir, *outDir, *scratchDir)
	case "grade":
		return grade(flags.Args())
	}
	return subcommand.ErrUsage
}

// assignmentsIn lists the assignment directories under dir.
func assignmentsIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func write(srcDir, outDir string, keep *backup.Backup) error {
	names, err := assignmentsIn(srcDir)
	if err != nil {
		return err
	}
	for _, name := range names {
		dst := filepath.Join(outDir, name)
		want, err := assignment.StudentFiles(filepath.Join(srcDir, name))
		if err != nil {
			return err
		}
		if err := keepChanged(dst, want, keep); err != nil {
			return err
		}
		if _, err := assignment.WriteStudent(filepath.Join(srcDir, name), dst); err != nil {
			return err
		}
		fmt.Printf("wrote %s\n", dst)
	}
	old, _ := assignmentsIn(outDir)
	for _, name := range old {
		if _, err := os.Stat(filepath.Join(srcDir, name)); os.IsNotExist(err) {
			dst := filepath.Join(outDir, name)
			if err := keepChanged(dst, nil, keep); err != nil {
				return err
			}
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
			fmt.Printf("removed %s (its assignment is gone)\n", dst)
		}
	}
	return nil
}

// keepChanged keeps a copy of every file in dir that writing the files want would change
// or remove (a student's work, or an older students' version), and says where; files
// below dir are kept too when the whole of dir goes (want nil).
func keepChanged(dir string, want map[string][]byte, keep *backup.Backup) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && want != nil {
				return filepath.SkipDir // WriteStudent leaves sub-directories alone
			}
			return nil
		}
		have, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		data, kept := want[d.Name()]
		if kept && bytes.Equal(have, data) {
			return nil
		}
		copyPath, err := keep.Keep(path)
		if err != nil {
			return fmt.Errorf("%s would be overwritten and could not be kept, so nothing is written: %w", path, err)
		}
		what := "rewritten from the instructor's version"
		switch {
		case want == nil:
			what = "removed (its assignment is gone)"
		case !kept:
			what = "removed (the instructor's version has no such file)"
		}
		fmt.Printf("%s is %s; your version is kept in %s\n", path, what, copyPath)
		return nil
	})
}

// minWrong is the fewest wrong solutions an assignment must keep: a few of the
// mistakes students make, each shown to lose points.
const minWrong = 3

func check(srcDir, outDir, scratchDir string) error {
	names, err := assignmentsIn(srcDir)
	if err != nil {
		return err
	}
	var problems []string
	for _, name := range names {
		src, dst := filepath.Join(srcDir, name), filepath.Join(outDir, name)
		want, err := assignment.StudentFiles(src)
		if err != nil {
			return err
		}
		for _, file := range slices.Sorted(maps.Keys(want)) {
			data := want[file]
			have, err := os.ReadFile(filepath.Join(dst, file))
			if err != nil || !bytes.Equal(have, data) {
				problems = append(problems, fmt.Sprintf("%s is out of date with %s: run `make notebooks`", filepath.Join(dst, file), src))
			}
			if strings.HasSuffix(file, ".go") {
				problems = append(problems, tooWide(filepath.Join(dst, file), data)...)
			}
		}
		entries, _ := os.ReadDir(dst)
		for _, e := range entries {
			if _, ok := want[e.Name()]; !ok && !e.IsDir() {
				problems = append(problems, fmt.Sprintf("%s has no source in %s: run `make notebooks`", filepath.Join(dst, e.Name()), src))
			}
		}
		report, err := assignment.Grade(dst)
		if err != nil {
			return err
		}
		switch passed := report.Passed(); {
		case report.BuildOutput != "":
			problems = append(problems, fmt.Sprintf("%s does not compile:\n%s", dst, report.BuildOutput))
		case len(passed) > 0:
			problems = append(problems, fmt.Sprintf("%s passes %v with its stubs: those checks cannot tell a missing solution", dst, passed))
		default:
			fmt.Printf("%s: in sync, compiles, every check fails on the stubs (%d/%d)\n", dst, report.Score, report.Total)
		}
		wrongs, err := assignment.WrongSolutions(src)
		if err != nil {
			return err
		}
		if len(wrongs) < minWrong {
			problems = append(problems, fmt.Sprintf("%s keeps %d wrong solutions in %s/, want at least %d (the mistakes students make, each shown to lose points)",
				src, len(wrongs), assignment.WrongDir, minWrong))
		}
		if len(wrongs) == 0 {
			continue
		}
		// The wrong solutions are graded from scratchDir/NN-slug-NAME: as deep in the
		// module as the instructor's version, whose checks may reach the corpus by
		// relative paths. The instructor's version must score full marks there first.
		solution, err := assignment.GradeSolution(src, filepath.Join(scratchDir, name+"-solution"))
		if err != nil {
			return err
		}
		if solution.Score != solution.Total {
			problems = append(problems, fmt.Sprintf("the instructor's %s scores %d/%d when graded from %s (fails %v), so its wrong solutions cannot be graded there:\n%s",
				src, solution.Score, solution.Total, scratchDir, solution.Failed(), solution.BuildOutput))
			continue
		}
		for _, w := range wrongs {
			report, wrongProblems, err := assignment.GradeWrong(src, w, filepath.Join(scratchDir, name+"-"+w.Name))
			if err != nil {
				return err
			}
			problems = append(problems, wrongProblems...)
			if len(wrongProblems) == 0 {
				fmt.Printf("  %s: %d/%d, fails %v: %s\n", w.Dir, report.Score, report.Total, report.Failed(), w.Doc)
			}
		}
	}
	old, _ := assignmentsIn(outDir)
	for _, name := range old {
		if _, err := os.Stat(filepath.Join(srcDir, name)); os.IsNotExist(err) {
			problems = append(problems, fmt.Sprintf("%s has no instructor's version in %s", filepath.Join(outDir, name), srcDir))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s):\n%s", len(problems), joinLines(problems))
	}
	return nil
}

func grade(dirs []string) error {
	if len(dirs) == 0 {
		return fmt.Errorf("name the assignment directories to grade")
	}
	for _, dir := range dirs {
		report, err := assignment.Grade(dir)
		if err != nil {
			return err
		}
		fmt.Print(report)
		if report.BuildOutput != "" {
			fmt.Printf("it does not compile:\n%s\n", report.BuildOutput)
		}
		for _, r := range report.Results {
			if !r.Passed && r.Output != "" {
				fmt.Printf("\n--- %s\n%s", r.Test, r.Output)
			}
		}
	}
	return nil
}

func joinLines(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
