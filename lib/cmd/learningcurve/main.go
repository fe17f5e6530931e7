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
//
// The record holds the provenance of every row (transfer.Provenance: method, sizes,
// seeds, commit, command, engine, weights, cache), one entry per method of this run
// and, with -keep, the kept rows' entries from the old record (which must have them).
// The commit comes from runrecord.CleanCommit: the command refuses a working tree with
// uncommitted changes unless -allow-dirty, which marks it "-dirty". A cached row may
// have been computed by other code (the cache's key holds everything but the code), so
// rows meant to ship (lessons/data) are computed with -cache "":
//
//	go run ./lib/cmd/learningcurve -cache "" -out lessons/data/04a-learning-curve.csv
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
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
	seedsFor := flag.String("seeds-for", "", "seeds of some methods, overriding -seeds: method=1,2;method=1 (fewer seeds for a costly method)")
	sizesFor := flag.String("sizes-for", "", "sizes of some methods, overriding -sizes: method=20,60;method=100")
	keep := flag.Bool("keep", false, "keep the rows of the other methods already in -out")
	allowDirty := flag.Bool("allow-dirty", false, "run on a working tree with uncommitted changes (the record's commit is marked -dirty: do not ship it)")
	var o transfer.Options
	flag.Float64Var(&o.LearningRate, "lr", 0, "fine-tuning's classifier learning rate [1e-2]")
	flag.Float64Var(&o.FeatureExtractorLR, "extractor-lr", 0, "fine-tuning's extractor learning rate [1e-3]")
	flag.Float64Var(&o.ScratchLR, "scratch-lr", 0, "training from scratch's learning rate [2e-3]")
	flag.IntVar(&o.HeadSteps, "head-steps", 0, "steps of a linear probe of the new classifier before fine-tuning [0]")
	flag.IntVar(&o.TestPerClass, "test-per-class", 0, "test clips of every class [20]")
	flag.IntVar(&o.BatchSize, "batch", 0, "clips per training step [32]")
	flag.Parse()
	commit, err := runrecord.CleanCommit(*allowDirty)
	if err != nil {
		fmt.Fprintln(os.Stderr, "learningcurve:", err)
		os.Exit(1)
	}
	if err := parsePerMethod(&o, *seedsFor, *sizesFor); err != nil {
		fmt.Fprintln(os.Stderr, "learningcurve:", err)
		os.Exit(1)
	}
	// A cache named after the commit holds only rows that commit's code computed
	// (the rows' keys hold everything but the code), so its rows may ship.
	*cache = strings.ReplaceAll(*cache, "{commit}", commit)
	if err := run(o, commit, commandLine(os.Args[1:]), *keep, *corpusDir, *model, *out, *cache, *sizes, *seeds, *methods, *after, *epochs, *minSteps, *maxSteps); err != nil {
		fmt.Fprintln(os.Stderr, "learningcurve:", err)
		os.Exit(1)
	}
}

func run(o transfer.Options, commit, command string, keep bool, corpusDir, model, out, cache, sizes, seeds, methods, after string, epochs float64, minSteps, maxSteps int) error {
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
	digest, err := zoo.WeightsDigest(model)
	if err != nil {
		return err
	}
	finished := time.Now().UTC().Format(time.RFC3339)
	var provenance []transfer.Provenance
	for _, m := range o.Methods {
		p := transfer.Provenance{Method: m, Sizes: o.SizesOf(m), Seeds: o.SeedsOf(m), GitCommit: commit, Command: command,
			Engine: backend.Engine(), Cache: o.CacheDir, Finished: finished}
		if m != transfer.Scratch {
			p.WeightsDigest = digest
		}
		provenance = append(provenance, p)
	}
	recordPath := strings.TrimSuffix(out, filepath.Ext(out)) + ".json"
	if keep {
		old, err := transfer.ReadCSV(out)
		if err != nil {
			return fmt.Errorf("-keep: %w", err)
		}
		var kept []transfer.Row
		for _, r := range old {
			if !slices.Contains(o.Methods, r.Method) {
				kept = append(kept, r)
			}
		}
		var oldRecord struct {
			Provenance []transfer.Provenance `json:"provenance"`
		}
		if raw, err := os.ReadFile(recordPath); err != nil {
			return fmt.Errorf("-keep: %w", err)
		} else if err := json.Unmarshal(raw, &oldRecord); err != nil {
			return fmt.Errorf("-keep: %s: %w", recordPath, err)
		}
		var keptProvenance []transfer.Provenance
		for _, p := range oldRecord.Provenance {
			if !slices.Contains(o.Methods, p.Method) {
				keptProvenance = append(keptProvenance, p)
			}
		}
		if err := transfer.CheckProvenance(kept, keptProvenance); err != nil {
			return fmt.Errorf("-keep: the kept rows of %s have no provenance in %s (rerun their methods): %w", out, recordPath, err)
		}
		rows, provenance = append(rows, kept...), append(provenance, keptProvenance...)
		sortByMethod(rows, provenance)
	}
	if err := transfer.CheckProvenance(rows, provenance); err != nil {
		return err
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
	record := map[string]any{
		"corpus": corpusDir, "model": model, "weights_digest": digest, "engine": backend.Engine(),
		"git_commit": commit, "provenance": provenance, "wall_seconds": wall, "row_seconds_by_method": computeSeconds,
		"options": map[string]any{"sizes": o.Sizes, "seeds": o.Seeds, "methods": o.Methods, "finetune_after": after,
			"epochs": epochs, "min_steps": minSteps, "max_steps": maxSteps, "lr": o.LearningRate, "extractor_lr": o.FeatureExtractorLR,
			"scratch_lr": o.ScratchLR, "head_steps": o.HeadSteps, "test_per_class": o.TestPerClass, "batch": o.BatchSize,
			"seeds_for": o.SeedsFor, "sizes_for": o.SizesFor, "zero_means_default": true},
		"rows": len(rows), "finished": finished,
	}
	data, _ := json.MarshalIndent(record, "", "  ")
	if err := atomicfile.WriteFile(recordPath, append(data, '\n')); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d rows) in %.0f s; rows took %v s when computed\n", out, len(rows), wall, computeSeconds)
	return nil
}

// sortByMethod puts rows and provenance in one method order, whichever methods a
// -keep run recomputed: frozen, fine-tuned, from scratch, then any other; within a
// method the order is kept (Run's: seed, then size).
func sortByMethod(rows []transfer.Row, provenance []transfer.Provenance) {
	rank := func(m transfer.Method) int {
		if i := slices.Index([]transfer.Method{transfer.Frozen, transfer.FineTune, transfer.Scratch}, m); i >= 0 {
			return i
		}
		return 3
	}
	slices.SortStableFunc(rows, func(a, b transfer.Row) int { return rank(a.Method) - rank(b.Method) })
	slices.SortStableFunc(provenance, func(a, b transfer.Provenance) int { return rank(a.Method) - rank(b.Method) })
}

// commandLine is the command that ran this program with args, as a shell reads it
// (an empty argument or one with spaces quoted).
func commandLine(args []string) string {
	line := "go run ./lib/cmd/learningcurve"
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"") {
			a = strconv.Quote(a)
		}
		line += " " + a
	}
	return line
}

// parsePerMethod reads -seeds-for and -sizes-for ("method=1,2;method=3") into
// o.SeedsFor and o.SizesFor.
func parsePerMethod(o *transfer.Options, seedsFor, sizesFor string) error {
	each := func(flagName, value string, set func(m transfer.Method, n uint64)) error {
		for _, part := range strings.Split(value, ";") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			method, list, ok := strings.Cut(part, "=")
			if !ok {
				return fmt.Errorf("%s: %q: want method=n,n", flagName, part)
			}
			m := transfer.Method(strings.TrimSpace(method))
			if m != transfer.Frozen && m != transfer.FineTune && m != transfer.Scratch {
				return fmt.Errorf("%s: unknown method %q", flagName, method)
			}
			for _, s := range strings.Split(list, ",") {
				n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
				if err != nil {
					return fmt.Errorf("%s: %q: %w", flagName, s, err)
				}
				set(m, n)
			}
		}
		return nil
	}
	if err := each("-seeds-for", seedsFor, func(m transfer.Method, n uint64) {
		if o.SeedsFor == nil {
			o.SeedsFor = map[transfer.Method][]uint64{}
		}
		o.SeedsFor[m] = append(o.SeedsFor[m], n)
	}); err != nil {
		return err
	}
	return each("-sizes-for", sizesFor, func(m transfer.Method, n uint64) {
		if o.SizesFor == nil {
			o.SizesFor = map[transfer.Method][]int{}
		}
		o.SizesFor[m] = append(o.SizesFor[m], int(n))
	})
}
