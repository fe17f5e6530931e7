// Command learningcurve runs lib/transfer's learning-curve experiment — frozen
// embeddings + logistic regression, fine-tuning, and training from scratch, at
// several training-set sizes and seeds — on a corpus directory, and writes the
// rows as CSV with a JSON record of the run (settings, engine, commit, wall
// time) beside it.
//
//	go run ./lib/cmd/learningcurve -corpus datasets/synth-transfer -out build/learningcurve/rows.csv
//
// Rows are cached (-cache), so an interrupted run resumes where it stopped.
// With -keep, the rows of other methods already in -out are kept, so that new
// pretrained weights need only the methods that use them run again:
//
//	go run ./lib/cmd/learningcurve -methods frozen,finetune -keep -out lessons/data/04a-learning-curve.csv
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/transfer"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func main() {
	corpusDir := flag.String("corpus", "datasets/synth-transfer", "corpus directory (labels.csv and its audio)")
	model := flag.String("model", zoo.BirdsV1, "shipped pretrained network (lib/zoo)")
	out := flag.String("out", "build/learningcurve/rows.csv", "CSV of the rows; a .json record is written beside it")
	cache := flag.String("cache", "build/lesson-cache/transfer", "directory of cached rows (\"\" for none)")
	sizes := flag.String("sizes", "20,60,100,300,1000", "training-set sizes, clips in total")
	seeds := flag.String("seeds", "1,2,3", "seeds")
	methods := flag.String("methods", "frozen,finetune,scratch", "methods")
	after := flag.String("finetune-after", "", "last frozen layer of fine-tuning (\"input\": the whole extractor learns) [the last stage but one]")
	epochs := flag.Float64("epochs", 0, "training length in passes over the training set [10]")
	minSteps := flag.Int("min-steps", 0, "fewest steps [20]")
	maxSteps := flag.Int("max-steps", 0, "most steps [100]")
	keep := flag.Bool("keep", false, "keep the rows of the other methods already in -out")
	var o transfer.Options
	flag.Float64Var(&o.LearningRate, "lr", 0, "fine-tuning's classifier learning rate [1e-2]")
	flag.Float64Var(&o.FeatureExtractorLR, "extractor-lr", 0, "fine-tuning's extractor learning rate [1e-3]")
	flag.Float64Var(&o.ScratchLR, "scratch-lr", 0, "training from scratch's learning rate [2e-3]")
	flag.IntVar(&o.HeadSteps, "head-steps", 0, "steps of a linear probe of the new classifier before fine-tuning [0]")
	flag.Parse()
	if err := run(o, *keep, *corpusDir, *model, *out, *cache, *sizes, *seeds, *methods, *after, *epochs, *minSteps, *maxSteps); err != nil {
		fmt.Fprintln(os.Stderr, "learningcurve:", err)
		os.Exit(1)
	}
}

func run(o transfer.Options, keep bool, corpusDir, model, out, cache, sizes, seeds, methods, after string, epochs float64, minSteps, maxSteps int) error {
	start := time.Now()
	o.CacheDir, o.Progress, o.FineTuneAfter, o.Epochs, o.MinSteps, o.MaxSteps = cache, os.Stdout, after, epochs, minSteps, maxSteps
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-sizes: %q: %w", s, err)
		}
		o.Sizes = append(o.Sizes, n)
	}
	for _, s := range strings.Split(seeds, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("-seeds: %q: %w", s, err)
		}
		o.Seeds = append(o.Seeds, n)
	}
	for _, m := range strings.Split(methods, ",") {
		o.Methods = append(o.Methods, transfer.Method(strings.TrimSpace(m)))
	}
	net, err := zoo.LoadCNN(model)
	if err != nil {
		return err
	}
	corpus, err := transfer.LoadCorpus(corpusDir, net)
	if err != nil {
		return err
	}
	rows, err := transfer.Run(net, corpus, o)
	if err != nil {
		return err
	}
	if keep {
		old, err := transfer.ReadCSV(out)
		if err != nil {
			return fmt.Errorf("-keep: %w", err)
		}
		for _, r := range old {
			if !slices.Contains(o.Methods, r.Method) {
				rows = append(rows, r)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := transfer.WriteCSV(out, rows); err != nil {
		return err
	}
	fmt.Print(transfer.Table(rows))
	wall := time.Since(start).Seconds()
	// Cached rows keep the time they took when computed: their sum is what the
	// whole experiment costs from scratch (plus loading and the shared
	// precomputation), whatever this invocation found in the cache.
	computeSeconds := map[transfer.Method]float64{}
	for _, r := range rows {
		computeSeconds[r.Method] += r.Seconds
	}
	commit, _ := exec.Command("git", "rev-parse", "HEAD").Output()
	digest := ""
	if shipped, err := zoo.Load(model); err == nil {
		digest = shipped.Info().Digest
	}
	record := map[string]any{
		"corpus": corpusDir, "model": model, "weights_digest": digest, "engine": backend.Chosen().Config,
		"git_commit": strings.TrimSpace(string(commit)), "wall_seconds": wall, "row_seconds_by_method": computeSeconds,
		"options": map[string]any{"sizes": o.Sizes, "seeds": o.Seeds, "methods": o.Methods, "finetune_after": after,
			"epochs": epochs, "min_steps": minSteps, "max_steps": maxSteps, "lr": o.LearningRate, "extractor_lr": o.FeatureExtractorLR,
			"scratch_lr": o.ScratchLR, "head_steps": o.HeadSteps, "zero_means_default": true},
		"rows": len(rows), "finished": time.Now().UTC().Format(time.RFC3339),
	}
	data, _ := json.MarshalIndent(record, "", "  ")
	if err := atomicfile.WriteFile(strings.TrimSuffix(out, filepath.Ext(out))+".json", append(data, '\n')); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d rows) in %.0f s; rows took %v s when computed\n", out, len(rows), wall, computeSeconds)
	return nil
}
