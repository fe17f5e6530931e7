// Command benchengine measures the pure-Go engines on the course's reference
// networks, side by side with PyTorch on the same cores:
//
//   - CNN embedding: the reference CNN's forward pass up to its 128-d embedding,
//     batch 32 of [128 time × 64 mel × 1] clips, in clips per second.
//   - CNN training: one Adam step of the whole CNN (embedding + dense to 100
//     classes, softmax cross-entropy), in clips per second.
//   - MLP train step: 1280→256→20, batch 64, one Adam step, in milliseconds.
//
// Each figure is measured on this package's engine ("purego"), on plain
// simplego ("go") and, when /usr/bin/python3 can import torch, in PyTorch
// (torch_reference.py beside this file) with OMP_NUM_THREADS set to the same
// number of threads. Run from the repository root:
//
//	go run ./lib/cmd/benchengine [-threads=2] [-seconds=3] [-rounds=2] [-simplego=true]
//
// Go-side timings are taken with github.com/janpfeifer/go-benchmarks, which
// also prints its own table (mean, median, quantiles) per engine. Each figure
// is the median step time of a round; rounds alternate the engines and the
// best round is kept, since a shared machine's load comes and goes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/backend/purego"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	benchmarks "github.com/janpfeifer/go-benchmarks"
)

// Reference network sizes.
const (
	cnnBatch      = 32
	cnnTimeFrames = 128
	cnnMelBands   = 64
	cnnClasses    = 100
	mlpBatch      = 64
	mlpInput      = 1280
	mlpHidden     = 256
	mlpClasses    = 20
)

var (
	flagThreads  = flag.Int("threads", 2, "threads for every engine: GOMAXPROCS for Go, OMP_NUM_THREADS for PyTorch")
	flagSeconds  = flag.Float64("seconds", 3, "seconds of timed runs per figure and engine (after one warm-up run)")
	flagSimplego = flag.Bool("simplego", true, "also measure plain simplego (slow: about 10 s per CNN figure)")
	flagPython   = flag.String("python", "/usr/bin/python3", "Python interpreter with torch, for the PyTorch reference")
	flagProfile  = flag.String("cpuprofile", "", "write a Go CPU profile of the purego measurements to this file")
	flagTorch    = flag.Bool("torch", true, "also measure PyTorch, when /usr/bin/python3 has torch")
	flagRounds   = flag.Int("rounds", 2, "rounds of measurements, alternating the engines; each figure is its best round")
	flagOnly     = flag.String("only", "", "measure only this figure on the Go engines: cnn_embed, cnn_train or mlp_train (for profiling)")
	flagConfig   = flag.String("config", "", "configuration options for the purego engine (passed to simplego), e.g. \"ops_sequential\"")
)

// cnnEmbedding is the reference CNN's feature extractor: four blocks of 3×3
// convolution (16, 32, 64, 128 channels, SAME padding), ReLU and 2×2 max-pool,
// then the mean over time and mel: [batch, 128].
func cnnEmbedding(ctx *context.Context, x *Node) *Node {
	for i, channels := range []int{16, 32, 64, 128} {
		blockCtx := ctx.In(fmt.Sprintf("block_%d", i))
		x = layers.Convolution(blockCtx, x).Filters(channels).KernelSize(3).PadSame().Done()
		x = activations.Relu(x)
		x = MaxPool(x).Window(2).Done()
	}
	return ReduceMean(x, 1, 2)
}

// cnnModel is the whole reference CNN: embedding and a dense layer to the class logits.
func cnnModel(ctx *context.Context, _ any, inputs []*Node) []*Node {
	return []*Node{layers.Dense(ctx.In("classifier"), cnnEmbedding(ctx, inputs[0]), true, cnnClasses)}
}

// mlpModel is the reference MLP: 1280 → 256 (ReLU) → 20.
func mlpModel(ctx *context.Context, _ any, inputs []*Node) []*Node {
	x := activations.Relu(layers.Dense(ctx.In("hidden"), inputs[0], true, mlpHidden))
	return []*Node{layers.Dense(ctx.In("output"), x, true, mlpClasses)}
}

// randomInputs draws float32 inputs of dims and int32 labels [batch, 1] below classes.
func randomInputs(rng *rand.Rand, classes int, dims ...int) (*tensors.Tensor, *tensors.Tensor) {
	size := 1
	for _, d := range dims {
		size *= d
	}
	values := make([]float32, size)
	for i := range values {
		values[i] = rng.Float32()
	}
	labels := make([]int32, dims[0])
	for i := range labels {
		labels[i] = int32(rng.IntN(classes))
	}
	return tensors.FromFlatDataAndDimensions(values, dims...), tensors.FromFlatDataAndDimensions(labels, dims[0], 1)
}

// figure is one measured number: seconds per call of a step over batch examples.
type figure struct {
	secondsPerStep float64
	err            error
}

// timed runs step under go-benchmarks for about *flagSeconds after one
// warm-up, recording each duration itself, and returns the median seconds.
func timed(name string, step func() error) figure {
	var durations []time.Duration
	var stepErr error
	if err := step(); err != nil { // Warm-up (compiles the graph); a failure is reported, not timed.
		return figure{err: err}
	}
	benchmarks.New(benchmarks.NamedFunction{Name: name, Func: func() {
		start := time.Now()
		if err := step(); err != nil && stepErr == nil {
			stepErr = err
		}
		durations = append(durations, time.Since(start))
	}}).WithWarmUps(0).WithDuration(time.Duration(*flagSeconds * float64(time.Second))).Done()
	if stepErr != nil {
		return figure{err: stepErr}
	}
	slices.Sort(durations)
	return figure{secondsPerStep: durations[(len(durations)-1)/2].Seconds()} // The (lower) median.
}

// catch turns a GoMLX panic into an error.
func catch(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	fn()
	return nil
}

// job is one figure to measure on one engine: a step to time, or why there is none.
type job struct {
	key, name string
	step      func() error
	err       error
}

// prepareJobs builds (without running) the three figures' steps on one engine.
func prepareJobs(label string, engine backends.Backend) []job {
	rng := rand.New(rand.NewPCG(1, 2))
	clips, labels := randomInputs(rng, cnnClasses, cnnBatch, cnnTimeFrames, cnnMelBands, 1)
	features, mlpLabels := randomInputs(rng, mlpClasses, mlpBatch, mlpInput)
	var jobs []job
	wanted := func(key string) bool { return *flagOnly == "" || *flagOnly == key }
	if wanted("cnn_embed") {
		j := job{key: "cnn_embed", name: label + " CNN embedding"}
		ctx := context.New()
		var embed *context.Exec
		j.err = catch(func() {
			embed = context.MustNewExec(engine, ctx, func(ctx *context.Context, x *Node) *Node { return cnnEmbedding(ctx, x) })
		})
		j.step = func() error { return catch(func() { embed.MustExec(clips) }) }
		jobs = append(jobs, j)
	}
	if wanted("cnn_train") {
		jobs = append(jobs, trainJob("cnn_train", label+" CNN train step", engine, cnnModel, clips, labels))
	}
	if wanted("mlp_train") {
		jobs = append(jobs, trainJob("mlp_train", label+" MLP train step", engine, mlpModel, features, mlpLabels))
	}
	return jobs
}

// trainJob prepares one Adam step of model on engine.
func trainJob(key, name string, engine backends.Backend, model train.ModelFn, inputs, labels *tensors.Tensor) job {
	j := job{key: key, name: name}
	ctx := context.New()
	var trainer *train.Trainer
	j.err = catch(func() {
		trainer = train.NewTrainer(engine, ctx, model, losses.SparseCategoricalCrossEntropyLogits,
			optimizers.Adam().Done(), nil, nil)
	})
	j.step = func() error {
		return catch(func() {
			metrics, err := trainer.TrainStep(nil, []*tensors.Tensor{inputs}, []*tensors.Tensor{labels})
			if err != nil {
				panic(err)
			}
			for _, t := range metrics { // Freed now, as a training loop does, not left to the GC.
				_ = t.FinalizeAll()
			}
		})
	}
	return j
}

// measure times each job once (see timed) and returns the figures by key.
func measure(jobs []job) map[string]figure {
	results := map[string]figure{}
	for i, j := range jobs {
		if j.err != nil {
			results[j.key] = figure{err: j.err}
			continue
		}
		f := timed(j.name, j.step)
		if f.err != nil {
			jobs[i].err = f.err // A failing step is not retried in later rounds.
		}
		results[j.key] = f
	}
	return results
}

// keepBest merges a round's figures into best, keeping the fastest of each.
func keepBest(best, round map[string]figure) {
	for k, f := range round {
		if old, ok := best[k]; !ok || (f.err == nil && (old.err != nil || f.secondsPerStep < old.secondsPerStep)) {
			best[k] = f
		}
	}
}

// torchFigures runs torch_reference.py and returns its figures (seconds per
// step), or an error saying why there are none.
func torchFigures() (map[string]figure, error) {
	script, err := findScript()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(*flagPython); err != nil {
		return nil, fmt.Errorf("no Python at %s: %w", *flagPython, err)
	}
	probe := exec.Command(*flagPython, "-c", "import torch")
	if out, err := probe.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s cannot import torch (apt-get install python3-torch): %s", *flagPython, strings.TrimSpace(lastLine(string(out))))
	}
	cmd := exec.Command(*flagPython, script, "--threads", fmt.Sprint(*flagThreads), "--seconds", fmt.Sprint(*flagSeconds))
	cmd.Env = append(os.Environ(), fmt.Sprintf("OMP_NUM_THREADS=%d", *flagThreads), fmt.Sprintf("MKL_NUM_THREADS=%d", *flagThreads))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", script, err)
	}
	var parsed map[string]float64
	if err := json.Unmarshal([]byte(lastLine(string(out))), &parsed); err != nil {
		return nil, fmt.Errorf("reading the output of %s (%q): %w", script, lastLine(string(out)), err)
	}
	results := map[string]figure{}
	for k, v := range parsed {
		results[k] = figure{secondsPerStep: v}
	}
	return results, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// findScript locates torch_reference.py: beside the source (go run from the
// repository root) or beside the binary.
func findScript() (string, error) {
	candidates := []string{filepath.Join("lib", "cmd", "benchengine", "torch_reference.py")}
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), "torch_reference.py"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("torch_reference.py not found in %v (run from the repository root)", candidates)
}

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(*flagThreads)
	if *flagSteady > 0 { // The steady-state table instead (steady.go).
		check(runSteady())
		return
	}
	fmt.Printf("benchengine: %d threads, %s per figure, %s/%s, %d CPUs\n\n", *flagThreads,
		time.Duration(*flagSeconds*float64(time.Second)), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())

	type column struct {
		name    string
		results map[string]figure
		note    error
	}
	pure, err := purego.New(*flagConfig)
	check(err)
	pureJobs := prepareJobs("purego", pure)
	var simpleJobs []job
	if *flagSimplego {
		simple, err := simplego.New("")
		check(err)
		simpleJobs = prepareJobs("simplego", simple)
	}
	pureBest, simpleBest, torch := map[string]figure{}, map[string]figure{}, map[string]figure{}
	torchErr := fmt.Errorf("skipped (-torch=false)")
	if *flagProfile != "" {
		f, err := os.Create(*flagProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
	}
	// Rounds alternate the engines, so that load from other processes on a shared
	// machine hits them alike; each figure is the best round's median.
	for round := 1; round <= *flagRounds; round++ {
		fmt.Printf("-- round %d of %d\n", round, *flagRounds)
		keepBest(pureBest, measure(pureJobs))
		if round == 1 && *flagSimplego {
			keepBest(simpleBest, measure(simpleJobs)) // Slow: measured in the first round only.
		}
		if *flagTorch {
			var figures map[string]figure
			figures, torchErr = torchFigures()
			keepBest(torch, figures)
		}
	}
	if *flagProfile != "" {
		pprof.StopCPUProfile()
	}
	if len(torch) > 0 {
		torchErr = nil
	}
	columns := []column{{name: "purego", results: pureBest}}
	if *flagSimplego {
		columns = append(columns, column{name: "simplego", results: simpleBest})
	}
	columns = append(columns, column{name: "PyTorch", results: torch, note: torchErr})

	rows := []struct {
		key, name, unit string
		batch           int
		perSecond       bool
	}{
		{"cnn_embed", "CNN embedding", "clips/s", cnnBatch, true},
		{"cnn_train", "CNN training", "clips/s", cnnBatch, true},
		{"mlp_train", "MLP train step", "ms/step", mlpBatch, false},
	}
	value := func(f figure, batch int, perSecond bool) float64 {
		if perSecond {
			return float64(batch) / f.secondsPerStep
		}
		return f.secondsPerStep * 1000
	}
	fmt.Printf("\n%-16s %-8s", "figure", "unit")
	for _, c := range columns {
		fmt.Printf(" %12s", c.name)
	}
	for _, c := range columns[:len(columns)-1] {
		fmt.Printf(" %16s", c.name+"/PyTorch")
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("%-16s %-8s", r.name, r.unit)
		for _, c := range columns {
			f, ok := c.results[r.key]
			switch {
			case !ok:
				fmt.Printf(" %12s", "n/a")
			case f.err != nil:
				fmt.Printf(" %12s", "fails")
			default:
				fmt.Printf(" %12.1f", value(f, r.batch, r.perSecond))
			}
		}
		torchFig, torchOK := torch[r.key]
		for _, c := range columns[:len(columns)-1] {
			f, ok := c.results[r.key]
			if !ok || f.err != nil || !torchOK || torchFig.err != nil {
				fmt.Printf(" %16s", "n/a")
				continue
			}
			fmt.Printf(" %15.3fx", value(f, r.batch, r.perSecond)/value(torchFig, r.batch, r.perSecond))
		}
		fmt.Println()
	}
	fmt.Println("\nRatios are engine/PyTorch: for clips/s higher is better, for ms/step lower is better.")
	for _, c := range columns {
		for _, r := range rows {
			if f, ok := c.results[r.key]; ok && f.err != nil {
				fmt.Printf("%s %s fails: %s\n", c.name, r.name, firstLine(f.err.Error()))
			}
		}
		if c.note != nil {
			fmt.Printf("%s: not measured: %v\n", c.name, c.note)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 200 {
		line = line[:200] + "..."
	}
	return line
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchengine")
