// Package subcommand is the dispatch that the course's programs with sub-commands
// (cmd/notebooks, cmd/assignments) share: `program NAME [flags] [args]` runs NAME,
// prints the usage line and exits 2 when NAME is missing or unknown, and prints
// "program NAME: error" and exits 1 when NAME fails.
package subcommand

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrUsage is what a sub-command returns when it was called wrongly (an unknown name,
// a missing argument): Main then prints the program's usage line.
var ErrUsage = errors.New("usage")

// Main runs run on os.Args and exits with Run's status when it is not 0.
func Main(program, usage string, run func(name string, args []string) error) {
	if status := Run(os.Args[1:], os.Stderr, program, usage, run); status != 0 {
		os.Exit(status)
	}
}

// Run calls run with args' first word (the sub-command's name) and the rest, and
// returns the process's exit status: 0 when it succeeds, 2 after writing "usage: "
// and usage to stderr when args is empty or run returns ErrUsage, 1 after writing
// "program name: error" when run fails otherwise.
func Run(args []string, stderr io.Writer, program, usage string, run func(name string, args []string) error) int {
	err := ErrUsage
	name := ""
	if len(args) > 0 {
		name = args[0]
		err = run(name, args[1:])
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintln(stderr, "usage: "+usage)
		return 2
	default:
		fmt.Fprintln(stderr, program+" "+name+": "+err.Error())
		return 1
	}
}
