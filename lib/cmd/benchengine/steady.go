package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/backend/purego"
	"github.com/gomlx/gomlx/backends"
)

// The steady-state figure (issue 19): a training step's time late in a long
// run, not only in its first rounds. Repeating one batch drives the loss and
// the gradients toward zero, and Adam's moments then decay into subnormal
// floats, which x86 CPUs compute tens of times slower unless they are flushed
// to zero. -steady=N times every step of one run of N MLP Adam steps on purego
// as it runs by default (flushing subnormals), on purego with
// "keep_subnormals", and in PyTorch with and without
// torch.set_flush_denormal, and prints the median of steps 1–10 and of the
// last 11 steps (500–510 for N=510).

var flagSteady = flag.Int("steady", 0, "instead of the figures: time each of this many MLP Adam steps of one run (510 gives steps 1–10 and 500–510)")

// steadyRun times each of steps MLP Adam steps on engine: wall and process CPU seconds.
func steadyRun(engine backends.Backend, steps int) (wall, cpu []float64, err error) {
	rng := rand.New(rand.NewPCG(1, 2))
	features, labels := randomInputs(rng, mlpClasses, mlpBatch, mlpInput)
	j := trainJob("mlp_train", "MLP", engine, mlpModel, features, labels)
	if j.err != nil {
		return nil, nil, j.err
	}
	wall, cpu = make([]float64, steps), make([]float64, steps)
	for i := range wall {
		start, startCPU := time.Now(), cpuSeconds()
		if err := j.step(); err != nil {
			return nil, nil, err
		}
		wall[i], cpu[i] = time.Since(start).Seconds(), cpuSeconds()-startCPU
	}
	return wall, cpu, nil
}

// medianMs is the (lower) median of durations (seconds) in milliseconds.
func medianMs(durations []float64) float64 {
	d := slices.Clone(durations)
	slices.Sort(d)
	return d[(len(d)-1)/2] * 1000
}

// runSteady prints the steady-state table for *flagSteady steps.
func runSteady() error {
	steps := *flagSteady
	if steps < 21 {
		return fmt.Errorf("-steady=%d: need at least 21 steps (steps 1–10 and the last 11)", steps)
	}
	type row struct {
		name   string
		d, cpu []float64
		err    error
	}
	var rows []row
	for _, cfg := range []struct{ name, config string }{
		{"purego (flushes subnormals)", ""},
		{"purego keep_subnormals", "keep_subnormals"},
	} {
		engine, err := purego.New(cfg.config)
		if err != nil {
			return err
		}
		d, cpu, err := steadyRun(engine, steps)
		engine.Finalize()
		rows = append(rows, row{cfg.name, d, cpu, err})
	}
	if *flagTorch {
		script, err := findScript()
		if err == nil {
			cmd := exec.Command(*flagPython, script, "--threads", fmt.Sprint(*flagThreads), "--steady", fmt.Sprint(steps))
			cmd.Env = append(os.Environ(), fmt.Sprintf("OMP_NUM_THREADS=%d", *flagThreads), fmt.Sprintf("MKL_NUM_THREADS=%d", *flagThreads))
			cmd.Stderr = os.Stderr
			var out []byte
			if out, err = cmd.Output(); err == nil {
				var parsed map[string][]float64
				if err = json.Unmarshal([]byte(lastLine(string(out))), &parsed); err == nil {
					rows = append(rows, row{"PyTorch (default: keeps subnormals)", parsed["keep"], nil, nil},
						row{"PyTorch set_flush_denormal(True)", parsed["flush"], nil, nil})
				}
			}
		}
		if err != nil {
			rows = append(rows, row{"PyTorch", nil, nil, err})
		}
	}
	fmt.Printf("MLP %d→%d→%d Adam step, batch %d, one run of %d steps on one batch, %d threads: median ms\n\n",
		mlpInput, mlpHidden, mlpClasses, mlpBatch, steps, *flagThreads)
	late := fmt.Sprintf("steps %d–%d", steps-10, steps)
	fmt.Printf("%-38s %12s %14s %16s %18s\n", "engine", "steps 1–10", late, "CPU steps 1–10", "CPU "+late)
	for _, r := range rows {
		if r.err != nil || len(r.d) != steps {
			fmt.Printf("%-38s fails: %v\n", r.name, r.err)
			continue
		}
		fmt.Printf("%-38s %12.2f %14.2f", r.name, medianMs(r.d[:10]), medianMs(r.d[steps-11:]))
		if r.cpu != nil { // Go engines only: the process's CPU time per step.
			fmt.Printf(" %16.2f %18.2f", medianMs(r.cpu[:10]), medianMs(r.cpu[steps-11:]))
		}
		fmt.Println()
	}
	fmt.Println("\nms: median wall time per step; CPU: median process CPU time per step (Go engines), steadier on a shared machine.")
	return nil
}
