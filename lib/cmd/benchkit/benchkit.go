// Package benchkit is the scaffolding the benchmark commands (lib/cmd/bench*,
// beam/cmd/benchbeam) share, so that each command holds only what it measures: how a
// command stops on an error, the best of repeated timings, the median, and how a
// Python peer is run and its JSON read.
//
// It is for programs, not for notebooks or the library: nothing under lib/ but the
// commands imports it. What a measured run records about itself (the commit, the
// machine's load) is lib/runrecord's.
package benchkit

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/internal/benchdata"
)

// Check returns the function a command calls on every error it cannot go on from: it
// prints "program: error" to standard error and exits with status 1; nil does nothing.
func Check(program string) func(error) {
	return func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, program+":", err)
			os.Exit(1)
		}
	}
}

// BestOf runs measure repeats times (at least once) and returns the smallest seconds it
// reported, with the result of that run: on a shared machine the fastest run is the one
// least disturbed by others.
func BestOf[R any](repeats int, measure func() (seconds float64, result R)) (float64, R) {
	best, bestResult := math.Inf(1), *new(R)
	for range max(repeats, 1) {
		if seconds, result := measure(); seconds < best {
			best, bestResult = seconds, result
		}
	}
	return best, bestResult
}

// Fastest runs f repeats times (at least once) and returns the seconds of the fastest run.
func Fastest(repeats int, f func()) float64 {
	seconds, _ := BestOf(repeats, func() (float64, struct{}) {
		start := time.Now()
		f()
		return time.Since(start).Seconds(), struct{}{}
	})
	return seconds
}

// PeerFlags declares on fs (a command passes flag.CommandLine) the flags every
// command with a Python peer has: -python, the interpreter (default Debian's
// /usr/bin/python3; its help is "interpreter with " followed by needs, the
// packages the peer imports), and -script, the peer (default
// lib/cmd/<command>/<script>, as run from the repository root; its help is role).
// Call it before fs is parsed.
func PeerFlags(fs *flag.FlagSet, command, script, needs, role string) (python, scriptPath *string) {
	python = fs.String("python", "/usr/bin/python3", "interpreter with "+needs)
	scriptPath = fs.String("script", filepath.Join("lib", "cmd", command, script), role)
	return python, scriptPath
}

// PeerJSON runs a benchmark's peer, cmd (an interpreter, its script and the
// script's arguments), and decodes the JSON it prints into v. When the peer fails,
// its standard error is copied to this process's and the error names the
// interpreter and the script.
func PeerJSON(cmd *exec.Cmd, v any) error {
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			fmt.Fprintf(os.Stderr, "%s", ee.Stderr)
		}
		return fmt.Errorf("running %s: %w", strings.Join(cmd.Args[:min(2, len(cmd.Args))], " "), err)
	}
	return json.Unmarshal(out, v)
}

// Median returns the median of xs: the middle value, or the mean of the two middle ones
// when len(xs) is even; xs is not reordered. It panics on an empty xs.
func Median[T ~float64 | ~int64](xs []T) T {
	if len(xs) == 0 {
		panic("benchkit: median of no values")
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Clustered is the generated data of the search benchmarks (benchdb, benchsearch):
// seeded clustered vectors (lib/internal/benchdata.Clustered). ClusteredFlags declares
// its flags once, so that both commands take and describe their data the same way.
type Clustered struct {
	// Clusters, Latent and Seed are the flags -clusters (clusters in the data), -latent
	// (the dimension of each cluster's Gaussian) and -seed (the data seed).
	Clusters, Latent *int
	Seed             *uint64
}

// ClusteredFlags declares -clusters (default 100), -latent (16) and -seed (1) on fs (a
// command passes flag.CommandLine). Call it before fs is parsed.
func ClusteredFlags(fs *flag.FlagSet) Clustered {
	return Clustered{
		Clusters: fs.Int("clusters", 100, "clusters in the generated data"),
		Latent:   fs.Int("latent", 16, "dimension of each cluster's Gaussian"),
		Seed:     fs.Uint64("seed", 1, "data seed"),
	}
}

// Vectors returns n vectors of dimension dim drawn from the flags' clusters, and their
// cluster ids: stream 0 for the collection, other streams for queries or later additions
// from the same clusters.
func (c Clustered) Vectors(n, dim int, stream uint64) ([][]float32, []int) {
	return benchdata.Clustered(n, dim, *c.Clusters, *c.Latent, *c.Seed, stream)
}

// Ints reads a comma-separated list of integers, such as the -ef or -dims flags
// ("32,64,128"; spaces around each allowed); the error names the value that is not one.
func Ints(list string) ([]int, error) {
	var out []int
	for _, field := range strings.Split(list, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			return nil, fmt.Errorf("list %q: %q is not an integer", list, field)
		}
		out = append(out, v)
	}
	return out, nil
}
