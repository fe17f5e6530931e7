// Command transfercheck measures what pretraining buys on species the shipped
// model never saw: on datasets/synth-transfer (20 held-out species), a
// logistic regression trained on 10 clips per class (dataset.SamplePerClass,
// several seeds; every other clip is a test clip) is fitted on three
// descriptions of the same clips —
//
//   - the pretrained embedding (zoo model birds-v1),
//   - the handcrafted features of lib/features (features.Describe within 1–10 kHz),
//   - the embedding of the same architecture, untrained (zoo.Untrained, cnn.New
//     with a seed) —
//
// and the test accuracies are reported as mean ± standard deviation over the
// draws. The table printed shows the 95 % Student t interval on the mean over
// the draws (fewshot.Comparison.Interval, clipped to 0–100 %); the record's
// ci95_low and ci95_high are a different interval, a percentile bootstrap over
// the same draws (fewshot.Result.CILow, CIHigh), kept for the record's readers
// and too narrow for a few draws. The course's quality bar is that the
// pretrained embedding beats both others by at least -min-margin points (10). On the shipped corpus the result
// is written, atomically, to the model's record directory as transfer.json
// (beside record.json, and not embedded in the module, so the weights' digest
// does not change); the command exits with status 1 when the bar is not met
// (the record is written either way). Run from the repository root:
//
//	go run ./lib/cmd/transfercheck [-per-class 10] [-seeds 5]
//
// or `make transfercheck`. Embeddings and handcrafted features are cached under
// build/ (first run: minutes; re-runs: seconds).
//
// A run on other data (-data X) never touches the shipped record: by default
// it writes build/transfercheck/<X's base name>-<model>.json, -out names
// another file (or - for none), and -out naming the shipped record is refused.
//
// The record names the commit it was
// measured on, so the command refuses a working tree with uncommitted changes
// (runrecord.CleanCommit): commit first; -allow-dirty measures anyway and marks the
// commit "-dirty", for a record that is not to be shipped.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/runrecord"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Record is what transfercheck writes to transfer.json (fewshot.TransferRecord, where
// the lesson reads it back).
type Record = fewshot.TransferRecord

func main() {
	log.SetFlags(0)
	var (
		data          = flag.String("data", defaultData, "corpus directory (labels.csv, audio/)")
		modelName     = flag.String("model", zoo.BirdsV1, "shipped model")
		perClass      = flag.Int("per-class", 10, "training clips per class")
		numSeeds      = flag.Int("seeds", 5, "draws (seeds 1..n)")
		untrainedSeed = flag.Uint64("untrained-seed", 1, "seed of the untrained network's weights")
		cacheDir      = flag.String("cache", "build/embeddings", "cache of embeddings and handcrafted features")
		out           = flag.String("out", "", "record to write [lib/zoo/models/<model>/transfer.json for the default -data, else build/transfercheck/<data>-<model>.json]; - for none")
		minMargin     = flag.Float64("min-margin", 10, "points by which the pretrained embedding must beat both baselines")
		allowDirty    = flag.Bool("allow-dirty", false, "measure on a working tree with uncommitted changes (the record's commit is marked -dirty: do not ship it)")
	)
	flag.Parse()
	commit, err := runrecord.CleanCommit(*allowDirty)
	check(err)
	*out, err = recordPath(*data, *modelName, *out)
	check(err)
	start := time.Now()
	labels, err := dataset.ReadLabelCSV(filepath.Join(*data, "labels.csv"))
	check(err)
	log.Printf("transfercheck: %s: %d clips of %d classes; engine %s", *data, len(labels.Rows), len(labels.Classes), backend.Choose())

	pretrained, err := zoo.Load(*modelName)
	check(err)
	untrained, err := zoo.Untrained(*modelName, *untrainedSeed)
	check(err)
	progress := embed.Options{CacheDir: *cacheDir, Progress: os.Stderr}
	pretrainedEmb, err := embed.EmbedRows(pretrained, *data, labels, nil, progress)
	check(err)
	untrainedEmb, err := embed.EmbedRows(untrained, *data, labels, nil, progress)
	check(err)
	log.Printf("transfercheck: describing %d clips (handcrafted features, cached in %s)", len(labels.Rows), *cacheDir)
	names, handcrafted, err := features.DescribeRows(*data, labels, nil, features.Options{BandLowHz: 1000, BandHighHz: 10000}, *cacheDir)
	check(err)

	seeds := fewshot.Seeds(*numSeeds)
	rec := Record{
		Model: *modelName, WeightsDigest: pretrained.Info().Digest, Corpus: *data,
		Pretrained:     fmt.Sprintf("%s embedding (pretrained)", *modelName),
		Handcrafted:    fmt.Sprintf("handcrafted features (%d, 1–10 kHz)", len(names)),
		Untrained:      fmt.Sprintf("%s embedding (untrained)", untrained.Info().Name),
		RequiredMargin: *minMargin, Engine: backend.Engine(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		GitCommit: commit, MeasuredUTC: start.UTC().Format(time.RFC3339),
	}
	rec.Comparison, err = fewshot.Compare(labels, []fewshot.FeatureSet{
		{Name: rec.Pretrained, Vectors: pretrainedEmb.Vectors},
		{Name: rec.Handcrafted, Vectors: handcrafted},
		{Name: rec.Untrained, Vectors: untrainedEmb.Vectors},
	}, fewshot.Options{PerClass: *perClass, Seeds: seeds})
	check(err)
	rec.Verdict()
	rec.Seconds = time.Since(start).Seconds()
	fmt.Print(rec.Comparison)
	fmt.Println("(95% CI: Student t over the draws, as the lessons print; the record's ci95_low and ci95_high are a percentile bootstrap over the same draws)")
	fmt.Printf("pretrained − handcrafted: %+.1f points; pretrained − untrained: %+.1f points (required: ≥ %g) → %s\n",
		rec.MarginVsHandcrafted, rec.MarginVsUntrained, *minMargin, map[bool]string{true: "PASS", false: "FAIL"}[rec.Pass])
	if *out != "-" {
		raw, err := json.MarshalIndent(rec, "", "  ")
		check(err)
		check(os.MkdirAll(filepath.Dir(*out), 0o755))
		check(atomicfile.WriteFile(*out, append(raw, '\n')))
		fmt.Println("wrote", *out)
	}
	if !rec.Pass {
		os.Exit(1)
	}
}

// defaultData is the shipped corpus, the only one whose result is the
// shipped record.
const defaultData = "datasets/synth-transfer"

// recordPath returns where a run on data writes its record, given -out (""
// for the default, "-" for none): the shipped record
// lib/zoo/models/<model>/transfer.json for the shipped corpus, else
// build/transfercheck/<data's base name>-<model>.json. It refuses an -out that
// is the shipped record (however spelt) for any other data, so a run on a
// researcher's own corpus can never pass for the shipped measurement.
func recordPath(data, model, out string) (string, error) {
	shipped := filepath.Join("lib", "zoo", "models", model, "transfer.json")
	isDefault := samePath(data, defaultData)
	switch {
	case out == "" && isDefault:
		return shipped, nil
	case out == "":
		return filepath.Join("build", "transfercheck", filepath.Base(filepath.Clean(data))+"-"+model+".json"), nil
	case out != "-" && !isDefault && samePath(out, shipped):
		return "", fmt.Errorf("-out %s is the shipped record of %s's transfer check on %s; a run on %s must not replace it (choose another -out, or - for none)", out, model, defaultData, data)
	}
	return out, nil
}

// samePath reports whether a and b name the same path once made absolute and
// cleaned.
func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return absA == absB
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "transfercheck:", err)
		os.Exit(2)
	}
}
