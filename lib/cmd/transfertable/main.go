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
// a wider interval, a cheaper run. A set written dir:N draws N clips per
// class instead of -per-class (and so needs N + 2 recordings per class):
// real-animal-kinds has 5 to 19 recordings per class and is measured 3-shot.
//
// Run from the repository root (the sets: make synth-hard, make realdata):
//
//	go run ./lib/cmd/transfertable -models birds-v1,general-v1,general-v2 -out lib/zoo/models/general-v2/transfer.json
//
// or `make transfertable`. Embeddings and handcrafted features are cached
// under build/embeddings.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Table is what transfertable writes (fewshot.ExtractorTable).
type Table = fewshot.ExtractorTable

// SetResult is one set's two comparisons.
type SetResult = fewshot.SetResult

func main() {
	log.SetFlags(log.Ltime)
	var (
		models = flag.String("models", zoo.BirdsV1, "comma-separated shipped models")
		sets   = flag.String("sets", "datasets/synth-transfer,datasets/synth-hard,datasets/real-narrators,datasets/real-animals,datasets/real-animal-kinds:3",
			"comma-separated set directories (labels.csv, audio), each optionally :N, N clips per class drawn on it instead of -per-class")
		perClass      = flag.Int("per-class", 10, "drawn clips per class")
		numSeeds      = flag.Int("seeds", 10, "draws (seeds 1..n)")
		untrainedSeed = flag.Uint64("untrained-seed", 1, "seed of the untrained network's weights")
		cacheDir      = flag.String("cache", "build/embeddings", "cache of embeddings and handcrafted features")
		maxRecordings = flag.Int("max-recordings", 0, "measure at most this many recordings of each class (a seeded choice; 0: all)")
		out           = flag.String("out", "", "table to write (JSON; a Markdown copy beside it, .md); - for none")
	)
	flag.Parse()
	if *out == "" {
		log.Fatal("transfertable: -out is required (e.g. lib/zoo/models/general-v2/transfer.json), or - for none")
	}
	start := time.Now()
	names := strings.Split(*models, ",")
	var loaded []zoo.Model
	t := Table{Models: names, WeightsDigest: map[string]string{}, PerClass: *perClass, MaxRecordings: *maxRecordings, Engine: backend.Engine(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GitCommit: runrecord.GitCommit(), MeasuredUTC: start.UTC().Format(time.RFC3339)}
	for _, n := range names {
		m, err := zoo.Load(n)
		check(err)
		loaded = append(loaded, m)
		t.WeightsDigest[n] = m.Info().Digest
	}
	untrained, err := zoo.Untrained(names[0], *untrainedSeed)
	check(err)
	t.Seeds = fewshot.Seeds(*numSeeds)
	t.Untrained = fmt.Sprintf("%s (untrained, seed %d)", untrained.Info().Name, *untrainedSeed)
	for _, spec := range strings.Split(*sets, ",") {
		dir, setPerClass, err := parseSet(spec, *perClass)
		check(err)
		res, handcrafted, _, err := fewshot.MeasureSet(dir, loaded, names, untrained, fewshot.MeasureOptions{
			PerClass: setPerClass, Seeds: t.Seeds, MaxRecordings: *maxRecordings, CacheDir: *cacheDir, Progress: os.Stderr, UntrainedName: t.Untrained})
		check(err)
		t.Handcrafted = handcrafted
		log.Printf("%s: %d clips of %d recordings in %d classes (left out: %v)", dir, res.Clips, res.Recordings, len(res.Classes), res.LeftOut)
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

// parseSet reads one -sets entry, dir or dir:N (N clips per class, a
// positive integer), with perClass for N when it has none.
func parseSet(spec string, perClass int) (dir string, n int, err error) {
	dir, count, found := strings.Cut(strings.TrimSpace(spec), ":")
	if dir == "" {
		return "", 0, fmt.Errorf("-sets: empty set in %q", spec)
	}
	if !found {
		return dir, perClass, nil
	}
	n, err = strconv.Atoi(count)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("-sets: %q: clips per class %q is not a positive integer", spec, count)
	}
	return dir, n, nil
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "transfertable:", err)
		os.Exit(2)
	}
}
