// Command benchfirstcell measures how long a student waits for the first answers of the
// course: lesson 00's first code cells, sent one by one to a fresh GoNB kernel right
// after `make setup`, whose warmcache step compiles every package of the module and its
// dependencies into the Go build cache (run here, as make warmcache). GoNB compiles each cell as a program; the first
// cell that imports lib/ (lesson 00's engine line) links GoMLX and the library, which
// from an empty cache takes minutes on 2 cores. The target: it answers within 3 s with
// the cache make setup leaves.
//
//	go run ./lib/cmd/benchfirstcell          # the cache as it is, after make warmcache: 3 runs
//	go run ./lib/cmd/benchfirstcell -cold    # from an empty cache: make warmcache timed first
//
// The kernel is driven by firstcell.py (jupyter_client, Debian's /usr/bin/python3) with
// wall-clock timing per cell: nbclient's timestamps in an executed notebook have whole
// seconds here. Each run starts a new kernel (a new GoNB temporary module, as when a
// student opens the notebook). It prints every cell's seconds per run and the medians,
// with the commit and the machine's load.
//
// -cold points GOCACHE at an empty folder for the whole measurement: make warmcache is
// timed into it, and the kernel, which inherits the environment,
// compiles the cells against it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
)

var check = benchkit.Check("benchfirstcell")

// targetSeconds is the bound on the first lib/ cell's answer with a warm cache.
const targetSeconds = 3.0

// result is what firstcell.py prints.
type result struct {
	StartupSeconds float64 `json:"startup_seconds"`
	Cells          []struct {
		Source             string   `json:"source"`
		ImportsLib         bool     `json:"imports_lib"`
		Seconds            float64  `json:"seconds"`
		FirstOutputSeconds *float64 `json:"first_output_seconds"`
		Failed             bool     `json:"failed"`
		Output             string   `json:"output"`
	} `json:"cells"`
}

func main() {
	runs := flag.Int("runs", 3, "runs (a fresh kernel each)")
	path := flag.String("notebook", "notebooks/00-welcome.ipynb", "the notebook whose first cells are timed")
	cells := flag.Int("cells", 5, "code cells to run, from the top")
	python := flag.String("python", "/usr/bin/python3", "Debian's Python, with jupyter_client")
	cold := flag.Bool("cold", false, "start from an empty Go build cache (GOCACHE in a temporary folder)")
	flag.Parse()

	if _, err := os.Stat(*path); err != nil {
		check(fmt.Errorf("%w (run from the repository root after make setup)", err))
	}
	root, err := os.Getwd()
	check(err)
	// What the Makefile exports for Jupyter: the GoNB kernel and its tools under build/ and bin/.
	check(os.Setenv("PATH", filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH")))
	if os.Getenv("JUPYTER_PATH") == "" {
		check(os.Setenv("JUPYTER_PATH", filepath.Join(root, "build", "jupyter")))
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("JUPYTER_PATH"), "kernels", "gonb", "kernel.json")); err != nil {
		check(fmt.Errorf("no GoNB kernel under JUPYTER_PATH=%s: run make setup first (%w)", os.Getenv("JUPYTER_PATH"), err))
	}
	script := filepath.Join("lib", "cmd", "benchfirstcell", "firstcell.py")
	if *cold {
		tmp, err := os.MkdirTemp("", "benchfirstcell")
		check(err)
		defer os.RemoveAll(tmp)
		check(os.Setenv("GOCACHE", tmp))
		fmt.Printf("GOCACHE=%s (empty)\n", tmp)
	}
	load := runrecord.LoadAverages()
	start := time.Now()
	build := exec.Command("make", "-s", "warmcache")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	check(build.Run())
	warm := time.Since(start).Seconds()
	fmt.Printf("make warmcache: %.1f s\n", warm)

	var results []result
	for i := range *runs {
		var r result
		cmd := exec.Command(*python, script, *path, fmt.Sprint(*cells), "gonb")
		check(benchkit.PeerJSON(cmd, &r))
		fmt.Printf("run %d: kernel up in %.2f s; cells", i+1, r.StartupSeconds)
		for j, c := range r.Cells {
			if c.Failed {
				check(fmt.Errorf("run %d: cell %d (%s) failed: %s", i+1, j+1, c.Source, c.Output))
			}
			fmt.Printf(" %.2f", c.Seconds)
		}
		fmt.Println(" s")
		results = append(results, r)
	}
	cache := "warm (after make warmcache)"
	if *cold {
		cache = fmt.Sprintf("empty, then make warmcache (%.0f s)", warm)
	}
	fmt.Printf("\n%s, %d runs, build cache %s, commit %s, load before %s, after %s; medians:\n",
		*path, *runs, cache, runrecord.GitCommit(), load, runrecord.LoadAverages())
	fmt.Printf("  kernel start                             %6.2f s\n", median(results, func(r result) float64 { return r.StartupSeconds }))
	firstLib := -1
	for j, c := range results[0].Cells {
		s := median(results, func(r result) float64 { return r.Cells[j].Seconds })
		note := ""
		if c.ImportsLib && firstLib < 0 {
			firstLib, note = j, "  ← first cell importing lib/"
		}
		fmt.Printf("  cell %d  %-32.32s %6.2f s%s\n", j+1, c.Source, s, note)
	}
	if firstLib < 0 {
		check(fmt.Errorf("none of the first %d code cells imports lib/: give more -cells", *cells))
	}
	s := median(results, func(r result) float64 { return r.Cells[firstLib].Seconds })
	verdict := "target met"
	if s > targetSeconds {
		verdict = "target NOT met"
	}
	fmt.Printf("first cell importing lib/ answers in %.2f s (target ≤ %.0f s): %s\n", s, targetSeconds, verdict)
}

// median is the median over runs of what f reads from each.
func median(results []result, f func(result) float64) float64 {
	xs := make([]float64, len(results))
	for i, r := range results {
		xs[i] = f(r)
	}
	return benchkit.Median(xs)
}
