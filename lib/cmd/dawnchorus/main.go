// Command dawnchorus runs the library on an archive of recordings: embed a
// folder into the embedding database, search it by example, train a
// classifier from a label table, and write detections as Raven selection
// tables, Audacity labels, CSV or Parquet.
//
//	dawnchorus embed recordings/           # into ./dawnchorus.db (resumable)
//	dawnchorus search query.wav            # the 10 most similar windows
//	dawnchorus label -label owl hits.csv   # answers about them, as annotations
//	dawnchorus train -annotations owl      # a detector from the annotations
//	dawnchorus validate                    # a sample of its scores to check
//	dawnchorus train -raven annotated/     # a detector from Raven tables
//	dawnchorus analyze recordings/         # Raven tables in ./detections/
//	dawnchorus analyze -model-scores birdnet.model recordings/   # a model's own classes
//
// Run `dawnchorus help` for the subcommands and `dawnchorus CMD -h` for each
// one's flags. Exit status: 0 all done; 1 done, but some files failed (listed
// in the error log, dawnchorus-errors.log); 2 usage error; 3 failed (nothing
// usable was done: bad input, no files, a model error); 130 interrupted
// (SIGINT or SIGTERM: what was complete is kept, run again to resume).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Exit statuses.
const (
	exitOK          = 0
	exitSomeFailed  = 1
	exitUsage       = 2
	exitFailed      = 3
	exitInterrupted = 130
)

type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) int
}

var commands = []command{
	{"embed", "embed the recordings under folders into the database (or .npy + keys); resumable", runEmbed},
	{"search", "search the database by example: a file, a file and a span, or a clip", runSearch},
	{"label", "store answers about windows (a search's or validate's CSV) as annotations, or ask them on the terminal", runLabel},
	{"train", "train a detector from the database's annotations, a label CSV, Raven tables or one folder per class", runTrain},
	{"validate", "draw a score-stratified sample of a detector's windows to check; estimate precision from the answers", runValidate},
	{"analyze", "run a detector (or a model's own classifier, -model-scores) over recordings: Raven, Audacity, CSV, Parquet tables; resumable", runAnalyze},
	{"predict", "the same as analyze", runAnalyze},
	{"segments", "cut detections into clips for listening", runSegments},
	{"evaluate", "score analyze's window scores against Raven annotation tables", runEvaluate},
	{"models", "list the feature extractors (the zoo)", runModels},
}

// env is what every subcommand writes to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	errLog         *errorLog
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, stdin, stdout, stderr)
		}
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		topUsage(w)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			e := &env{stdin: stdin, stdout: stdout, stderr: stderr, errLog: &errorLog{path: defaultErrorLog, command: c.name, stderr: stderr}}
			code := c.run(ctx, e, args[1:])
			e.errLog.close()
			if code == exitOK && e.errLog.count > 0 {
				code = exitSomeFailed
			}
			if ctx.Err() != nil && code != exitUsage {
				fmt.Fprintln(stderr, "dawnchorus: interrupted; what was complete is kept: run the same command again to go on")
				return exitInterrupted
			}
			return code
		}
	}
	fmt.Fprintf(stderr, "dawnchorus: unknown command %q\n\n", args[0])
	topUsage(stderr)
	return exitUsage
}

func topUsage(w io.Writer) {
	fmt.Fprintln(w, `usage: dawnchorus COMMAND [flags] [args]

Bioacoustics on your own recordings: embed an archive, search it by example,
train a detector and write detection tables. "dawnchorus COMMAND -h" gives a
command's flags.

commands:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
exit status: 0 done; 1 done but some files failed (see the error log,
dawnchorus-errors.log); 2 usage error; 3 failed; 130 interrupted (run again to
resume).`)
}

// newFlags makes a subcommand's flag set whose -h prints usage and the flags.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	name = e.errLog.command // "predict" for analyze's other name
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: dawnchorus %s %s\n\nflags:\n", name, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&e.errLog.path, "errors", defaultErrorLog, "append one line per failed file to this log")
	return fs
}

// parse parses args; ok false means return code.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	fs.SetOutput(fs.Output())
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

// given returns those of names (without their dash) set on the command line,
// each with its dash, in the order of names.
func given(fs *flag.FlagSet, names ...string) []string {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var out []string
	for _, n := range names {
		if set[n] {
			out = append(out, "-"+n)
		}
	}
	return out
}

// refuseGiven returns a usage error naming those of names set on the command
// line, followed by why they do not apply, so that no flag is silently
// ignored; ok is false when it refused.
func refuseGiven(e *env, fs *flag.FlagSet, why string, names ...string) (code int, ok bool) {
	if set := given(fs, names...); len(set) > 0 {
		return usageErr(e, fs, "%s: %s", strings.Join(set, ", "), why), false
	}
	return 0, true
}

// usageErr prints a usage error and returns exitUsage.
func usageErr(e *env, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "dawnchorus %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "run 'dawnchorus %s -h' for its flags\n", fs.Name())
	return exitUsage
}

// fail prints an error and returns exitFailed (or exitInterrupted when the
// error is the interruption).
func fail(e *env, name string, err error) int {
	if errors.Is(err, context.Canceled) {
		// The bare interruption says nothing the user does not know; an
		// error that wraps it (files not stored, and why) is printed.
		if err.Error() != context.Canceled.Error() {
			fmt.Fprintf(e.stderr, "dawnchorus %s: %v\n", name, err)
		}
		return exitInterrupted
	}
	fmt.Fprintf(e.stderr, "dawnchorus %s: %v\n", name, err)
	return exitFailed
}

const defaultErrorLog = "dawnchorus-errors.log"

// errorLog appends one tab-separated line per failed file — time, command,
// file, error — to a log file, opened on the first failure, and repeats it on
// standard error.
type errorLog struct {
	path, command string
	stderr        io.Writer
	mu            sync.Mutex
	f             *os.File
	count         int
}

func (l *errorLog) add(file string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintf(l.stderr, "dawnchorus %s: FAILED %s: %s\n", l.command, file, msg)
	if l.f == nil && l.path != "" {
		f, oerr := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if oerr != nil {
			fmt.Fprintf(l.stderr, "dawnchorus: cannot open the error log: %v\n", oerr)
			l.path = ""
			return
		}
		l.f = f
	}
	if l.f != nil {
		fmt.Fprintf(l.f, "%s\t%s\t%s\t%s\n", time.Now().UTC().Format(time.RFC3339), l.command, file, msg)
	}
}

func (l *errorLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		fmt.Fprintf(l.stderr, "dawnchorus %s: %d files failed; see %s\n", l.command, l.count, l.path)
	}
}
