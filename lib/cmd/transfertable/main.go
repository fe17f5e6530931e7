// Command transfertable measures shipped extractors side by side on several
// labelled sets, with the two frozen-embedding protocols of issue 15, and
// writes the table to a model's directory (transfer.json beside record.json,
// not embedded in the module). On every set, for every draw (seeds 1..n), 10
// clips of each class are drawn (dataset.SamplePerClass; a recording's clips
// never fall on both sides) and every clip of the other recordings is a test
// clip; each description of the clips —
//
//   - the embedding of each model of -models (zoo.Load),
//   - the handcrafted features of lib/features (24, within 1–10 kHz),
//   - the embedding of the models' architecture, untrained (zoo.Untrained) —
//
// is measured by
//
//   - few-shot classification: a logistic regression fitted on the drawn clips
//     (classify's default, scikit-learn's C = 1), test accuracy;
//   - nearest-neighbour retrieval: each test clip retrieves its nearest drawn
//     clip (cosine distance), and a hit is a neighbour of the same class
//     (precision at 1, i.e. 1-NN accuracy).
//
// Every classifier of lib/classify standardises each feature with the mean
// and standard deviation of the drawn clips (scikit-learn's StandardScaler)
// before fitting or searching, so the handcrafted features' mixed units do
// not decide the distances. Classes with fewer than per-class + 2 recordings
// are left out of a set (and listed). Means over the draws come with a 95 %
// percentile-bootstrap interval. -max-recordings caps the recordings of each
// class (a seeded choice, the same for every feature set): fewer test clips,
// a wider interval, a cheaper run.
//
// Run from the repository root (the sets: make synth-hard, make realdata):
//
//	go run ./lib/cmd/transfertable -models birds-v1,general-v1 -out lib/zoo/models/general-v1/transfer.json
//
// or `make transfertable`. Embeddings and handcrafted features are cached
// under build/embeddings.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Table is what transfertable writes.
type Table struct {
	// Models are the pretrained models measured, with their weights' digests
	// (the table is stale when a digest differs from the shipped weights').
	Models        []string          `json:"models"`
	WeightsDigest map[string]string `json:"weights_digest"`
	// Handcrafted and Untrained name the two baselines.
	Handcrafted string `json:"handcrafted"`
	Untrained   string `json:"untrained"`
	PerClass    int    `json:"per_class"`
	// MaxRecordings caps the recordings measured per class (0: all).
	MaxRecordings int         `json:"max_recordings_per_class"`
	Seeds         []uint64    `json:"seeds"`
	Sets          []SetResult `json:"sets"`
	Engine        string      `json:"engine"`
	GOMAXPROCS    int         `json:"gomaxprocs"`
	GitCommit     string      `json:"git_commit"`
	MeasuredUTC   string      `json:"measured_utc"`
	Seconds       float64     `json:"seconds"`
}

// SetResult is one set's two comparisons.
type SetResult struct {
	Data string `json:"data"`
	// Classes are the classes measured; LeftOut those with too few recordings.
	Classes []string `json:"classes"`
	LeftOut []string `json:"left_out,omitempty"`
	// Recordings and Clips count the measured classes' recordings and clips.
	Recordings int                 `json:"recordings"`
	Clips      int                 `json:"clips"`
	FewShot    *fewshot.Comparison `json:"few_shot"`
	Retrieval  *fewshot.Comparison `json:"retrieval"`
}

func main() {
	log.SetFlags(log.Ltime)
	var (
		models        = flag.String("models", zoo.BirdsV1, "comma-separated shipped models")
		sets          = flag.String("sets", "datasets/synth-transfer,datasets/synth-hard,datasets/real-narrators,datasets/real-animals", "comma-separated set directories (labels.csv, audio)")
		perClass      = flag.Int("per-class", 10, "drawn clips per class")
		numSeeds      = flag.Int("seeds", 10, "draws (seeds 1..n)")
		untrainedSeed = flag.Uint64("untrained-seed", 1, "seed of the untrained network's weights")
		cacheDir      = flag.String("cache", "build/embeddings", "cache of embeddings and handcrafted features")
		maxRecordings = flag.Int("max-recordings", 0, "measure at most this many recordings of each class (a seeded choice; 0: all)")
		out           = flag.String("out", "", "table to write (JSON; a Markdown copy beside it, .md); - for none")
	)
	flag.Parse()
	if *out == "" {
		log.Fatal("transfertable: -out is required (e.g. lib/zoo/models/general-v1/transfer.json), or - for none")
	}
	start := time.Now()
	names := strings.Split(*models, ",")
	var loaded []zoo.Model
	t := Table{Models: names, WeightsDigest: map[string]string{}, PerClass: *perClass, MaxRecordings: *maxRecordings, Engine: backend.Choose().Config,
		GOMAXPROCS: runtime.GOMAXPROCS(0), GitCommit: runrecord.GitCommit(), MeasuredUTC: start.UTC().Format(time.RFC3339)}
	for _, n := range names {
		m, err := zoo.Load(n)
		check(err)
		loaded = append(loaded, m)
		t.WeightsDigest[n] = m.Info().Digest
	}
	untrained, err := zoo.Untrained(names[0], *untrainedSeed)
	check(err)
	for i := range *numSeeds {
		t.Seeds = append(t.Seeds, uint64(i+1))
	}
	featureOptions := features.Options{BandLowHz: 1000, BandHighHz: 10000}
	t.Untrained = fmt.Sprintf("%s (untrained, seed %d)", untrained.Info().Name, *untrainedSeed)
	progress := embed.Options{CacheDir: *cacheDir, Progress: os.Stderr}
	for _, dir := range strings.Split(*sets, ",") {
		labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
		check(err)
		res := SetResult{Data: dir}
		labels = usable(labels, *perClass+2, *maxRecordings, 1, &res)
		log.Printf("%s: %d clips of %d recordings in %d classes (left out: %v)", dir, res.Clips, res.Recordings, len(res.Classes), res.LeftOut)
		var fs []fewshot.FeatureSet
		for i, m := range loaded {
			e, err := fewshot.EmbedRows(m, dir, labels, nil, progress)
			check(err)
			check(e.FailuresError())
			fs = append(fs, fewshot.FeatureSet{Name: names[i], Vectors: e.Vectors})
		}
		hnames, hand, err := fewshot.Handcrafted(dir, labels, nil, featureOptions, *cacheDir)
		check(err)
		t.Handcrafted = fmt.Sprintf("handcrafted (%d, 1–10 kHz, standardised)", len(hnames))
		fs = append(fs, fewshot.FeatureSet{Name: t.Handcrafted, Vectors: hand})
		u, err := fewshot.EmbedRows(untrained, dir, labels, nil, progress)
		check(err)
		check(u.FailuresError())
		fs = append(fs, fewshot.FeatureSet{Name: t.Untrained, Vectors: u.Vectors})

		o := fewshot.Options{PerClass: *perClass, Seeds: t.Seeds}
		res.FewShot, err = fewshot.Compare(labels, fs, o)
		check(err)
		o.NewClassifier = func() classify.Classifier {
			return classify.NewKNN(classify.KNNOptions{K: 1, Metric: classify.Cosine})
		}
		res.Retrieval, err = fewshot.Compare(labels, fs, o)
		check(err)
		fmt.Printf("== %s: few-shot\n%s== %s: retrieval\n%s", dir, res.FewShot, dir, res.Retrieval)
		t.Sets = append(t.Sets, res)
	}
	t.Seconds = time.Since(start).Seconds()
	md := t.Markdown()
	fmt.Print(md)
	if *out != "-" {
		raw, err := json.MarshalIndent(t, "", "  ")
		check(err)
		check(atomicfile.WriteFile(*out, append(raw, '\n')))
		check(atomicfile.WriteFile(strings.TrimSuffix(*out, filepath.Ext(*out))+".md", []byte(md)))
		log.Printf("wrote %s and its .md", *out)
	}
}

// usable returns the table restricted to the classes with at least
// minRecordings recordings (dataset.CanonicalFile) and, when maxRecordings >
// 0, to maxRecordings recordings of each (a seeded shuffle of its sorted
// recordings, the same for every feature set), filling in res's counts and
// classes. The returned table has only those classes' columns and rows.
func usable(labels *dataset.LabelTable, minRecordings, maxRecordings int, seed uint64, res *SetResult) *dataset.LabelTable {
	recs := make([][]string, len(labels.Classes))
	seen := map[string]bool{}
	for _, r := range labels.Rows {
		f := dataset.CanonicalFile(r.File)
		if c := slices.Index(r.Labels, 1); c >= 0 && !seen[f] {
			seen[f] = true
			recs[c] = append(recs[c], f)
		}
	}
	chosen := map[string]bool{}
	var kept []int
	for c, name := range labels.Classes {
		if len(recs[c]) < minRecordings {
			res.LeftOut = append(res.LeftOut, fmt.Sprintf("%s (%d recordings)", name, len(recs[c])))
			continue
		}
		files := recs[c]
		slices.Sort(files)
		if maxRecordings > 0 && len(files) > maxRecordings {
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
			files = files[:maxRecordings]
		}
		for _, f := range files {
			chosen[f] = true
		}
		kept = append(kept, c)
		res.Classes = append(res.Classes, name)
		res.Recordings += len(files)
	}
	out := &dataset.LabelTable{Classes: slices.Clone(res.Classes)}
	for _, r := range labels.Rows {
		if !chosen[dataset.CanonicalFile(r.File)] {
			continue
		}
		row := r
		row.Labels = make([]uint8, len(kept))
		for k, c := range kept {
			row.Labels[k] = r.Labels[c]
		}
		out.Rows = append(out.Rows, row)
	}
	res.Clips = len(out.Rows)
	return out
}

// Markdown is the table for README and records: one row per set and feature
// set, few-shot and retrieval side by side.
func (t *Table) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d clips per class drawn, %d draws (seeds %d–%d), mean %% and bootstrap 95 %% interval; commit %s, %s\n\n",
		t.PerClass, len(t.Seeds), t.Seeds[0], t.Seeds[len(t.Seeds)-1], t.GitCommit, t.MeasuredUTC)
	b.WriteString("| set (classes, recordings, clips) | features | few-shot accuracy (logistic) | retrieval P@1 (1-NN, cosine) |\n|---|---|---|---|\n")
	for _, s := range t.Sets {
		for k, r := range s.FewShot.Results {
			q := s.Retrieval.Results[k]
			set := ""
			if k == 0 {
				set = fmt.Sprintf("%s (%d, %d, %d)", filepath.Base(s.Data), len(s.Classes), s.Recordings, s.Clips)
			}
			fmt.Fprintf(&b, "| %s | %s | %.1f [%.1f, %.1f] | %.1f [%.1f, %.1f] |\n", set, r.Name,
				100*r.Mean, 100*r.CILow, 100*r.CIHigh, 100*q.Mean, 100*q.CILow, 100*q.CIHigh)
		}
	}
	return b.String()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "transfertable:", err)
		os.Exit(2)
	}
}
