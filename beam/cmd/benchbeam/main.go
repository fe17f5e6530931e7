// Command benchbeam measures the Beam pipeline's throughput against the
// single-machine path on the same recordings: embed.EmbedFiles, and the
// pipeline on Prism in this process (loopback worker), each with 1 and 2
// cores (GOMAXPROCS), each configuration repeated, medians printed with the
// commit, the machine's CPUs and its load. Then, on paper, what 10,000 hours
// cost on N workers at the measured rate. Its figures are in beam/RESULTS.md.
//
//	cd beam && go run ./cmd/benchbeam [-files 4] [-minutes 1] [-repeats 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/dawnchorus/dawnchorus/beam/internal/archivetest"
	"github.com/dawnchorus/dawnchorus/beam/pipeline"
	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

var (
	nFiles  = flag.Int("files", 4, "recordings in the archive")
	minutes = flag.Float64("minutes", 1, "length of each recording, minutes (22,050 Hz WAV)")
	repeats = flag.Int("repeats", 3, "runs of each configuration (the median is reported)")
	shardS  = flag.Float64("shard-seconds", shards.DefaultShardSeconds, "shard length, seconds")
)

func main() {
	flag.Parse()
	beam.Init()
	dir, err := os.MkdirTemp("", "benchbeam-")
	check(err)
	defer os.RemoveAll(dir)
	tb := fatal{}
	paths := archivetest.WriteLong(tb, filepath.Join(dir, "archive"), *nFiles, *minutes, 1)
	settings, err := pipeline.Resolve(shards.Settings{Model: zoo.BirdsV1, ShardSeconds: *shardS})
	check(err)
	model := zoo.MustLoad(zoo.BirdsV1)
	backend.MustNew()
	commit, _ := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	fmt.Printf("benchbeam: commit %s, %d CPUs, engine %s, %d recordings × %g min (%d clips of 3 s), shards of %g s, %d runs each\n",
		strings.TrimSpace(string(commit)), runtime.NumCPU(), backend.Engine(), *nFiles, *minutes,
		int(float64(*nFiles)**minutes*20), settings.ShardSeconds, *repeats)

	type result struct {
		name    string
		procs   int
		seconds []float64
		clips   int
	}
	var results []result
	run := func(name string, procs int, f func(i int) int) {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		r := result{name: name, procs: procs}
		for i := range *repeats {
			load := runrecord.LoadAverages()
			start := time.Now()
			r.clips = f(i)
			r.seconds = append(r.seconds, time.Since(start).Seconds())
			fmt.Printf("  %-28s GOMAXPROCS=%d run %d: %6.2f s, %d clips, load before %s\n", name, procs, i+1, r.seconds[i], r.clips, load)
		}
		results = append(results, r)
	}
	for _, procs := range []int{1, 2} {
		run("single machine (EmbedFiles)", procs, func(int) int {
			e, err := embed.EmbedFiles(model, paths, settings.Options())
			check(err)
			return e.Len()
		})
		run("Beam on Prism, in process", procs, func(i int) int {
			out := filepath.Join(dir, fmt.Sprintf("out-%d-%d", procs, i))
			p, s := beam.NewPipelineWithRoot()
			pipeline.Build(s, pipeline.Config{Out: out, Settings: settings, Files: paths})
			_, err := prism.Execute(context.Background(), p)
			check(err)
			m, err := shards.ReadManifest(out)
			check(err)
			if m.Computed == 0 || len(m.Failures) > 0 {
				check(fmt.Errorf("run %s: %d shards computed, failures %v", out, m.Computed, m.Failures))
			}
			rows := 0
			for _, f := range m.Files {
				rows += f.Rows
			}
			return rows
		})
	}
	fmt.Printf("\n| path | cores | median s | clips/s | seconds of sound per second |\n|---|---|---|---|---|\n")
	rates := map[string]float64{}
	for _, r := range results {
		med := benchkit.Median(r.seconds)
		rate := float64(r.clips) / med
		rates[fmt.Sprint(r.name, r.procs)] = rate
		fmt.Printf("| %s | %d | %.2f | %.1f | %.1f |\n", r.name, r.procs, med, rate, rate*3)
	}
	// On paper: 10,000 hours are 12,000,000 clips of 3 s.
	const clips10k = 10000 * 3600 / 3
	beam2 := rates[fmt.Sprint("Beam on Prism, in process", 2)]
	fmt.Printf("\n10,000 hours = %d clips; at the pipeline's measured %.1f clips/s per 2-core worker:\n", clips10k, beam2)
	for _, n := range []int{1, 10, 100, 1000} {
		fmt.Printf("  %4d workers: %8.1f hours (%.1f days)\n", n, clips10k/beam2/float64(n)/3600, clips10k/beam2/float64(n)/86400)
	}
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchbeam")

// fatal is archivetest.TB for a program: Fatal exits.
type fatal struct{}

func (fatal) Helper() {}
func (fatal) Fatal(args ...any) {
	fmt.Fprintln(os.Stderr, append([]any{"benchbeam:"}, args...)...)
	os.Exit(1)
}
