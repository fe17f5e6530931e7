// Command benchvalidate measures what scoring an archive costs in memory: agile.Open
// and Archive.Scores (every embedding in memory) against agile.OpenScored (a
// batch at a time, keys and scores kept), as `dawnchorus validate` does.
//
//	go run ./lib/cmd/benchvalidate -make 50000 -db /tmp/m.db   # a database of seeded windows
//	go run ./lib/cmd/benchvalidate -make 100000 -db dawnchorus.db -model NAME   # add them to a model 'dawnchorus embed' made
//	/usr/bin/time -v go run ./lib/cmd/benchvalidate -db /tmp/m.db -mode open
//	/usr/bin/time -v go run ./lib/cmd/benchvalidate -db /tmp/m.db -mode scored
//	/usr/bin/time -v go run ./lib/cmd/benchvalidate -db /tmp/m.db -mode keys
//
// Build it first (go build -o) so that /usr/bin/time's maximum resident set
// size is the command's alone. It prints the windows, the peak heap in use
// (sampled every 10 ms) and a hash of the scores, equal between the modes
// when they score alike (-mode keys hashes a number made of each key instead:
// equal between builds that read the same keys).
//
// -make builds no search index (embeddb.Options.NoIndex): the benchmark never
// searches, and building an HNSW index of every window at Close (what
// IndexLater does) would cost minutes and a file as large as the vectors.
// With -model, the windows go to that model of an existing database (with its
// dimension), e.g. one that `dawnchorus embed` made from a short recording,
// so that the command's subcommands accept it; -mode then also needs -model.
// RESULTS.md measures `dawnchorus train -annotations` on such a database too.
package main

import (
	"flag"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

const dim = 128

func main() {
	path := flag.String("db", "memscore.db", "the database")
	n := flag.Int("make", 0, "make the database with this many windows (100 per recording) and stop")
	mode := flag.String("mode", "scored", "open (all embeddings in memory), scored (a batch at a time) or keys (agile.OpenKeys: the keys alone)")
	batch := flag.Int("batch", 0, "with -mode scored or keys: windows per batch (0: embeddb.DefaultBatch)")
	modelName := flag.String("model", "memscore", "the model whose windows are made or scored: with -make, one the database holds already, else a new model of 128 dimensions")
	flag.Parse()
	if *n > 0 {
		check(build(*path, *modelName, *n))
		return
	}
	db, err := embeddb.Open(*path, embeddb.Options{NoIndex: true})
	check(err)
	defer db.Close()
	m, err := findModel(db, *modelName)
	check(err)
	clf := classifier(m.Dim)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var scores []float64
	switch *mode {
	case "open":
		a, err := agile.Open(db, m)
		check(err)
		scores, err = a.Scores(clf)
		check(err)
	case "scored":
		_, scores, err = agile.OpenScored(db, m, *batch, agile.ClassScores(clf, 1))
		check(err)
	case "keys": // the pass of train -annotations: keys only, one score per window from its start
		a, err := agile.OpenKeys(db, m, *batch)
		check(err)
		for _, k := range a.Windows.Keys {
			scores = append(scores, k.StartSeconds+float64(len(k.File)))
		}
	default:
		check(fmt.Errorf("-mode %q: want open, scored or keys", *mode))
	}
	elapsed := time.Since(start)
	close(done)
	h := fnv.New64a()
	for _, s := range scores {
		fmt.Fprintf(h, "%x;", math.Float64bits(s))
	}
	fmt.Printf("%s: %d windows in %v, peak heap in use %.1f MiB, scores hash %016x\n",
		*mode, len(scores), elapsed.Round(time.Millisecond), float64(peak.Load())/(1<<20), h.Sum64())
}

// vector returns a seeded Gaussian vector; class 1 has its first value raised.
func vector(rng *rand.Rand, dim, class int) []float32 {
	v := make([]float32, dim)
	for j := range v {
		v[j] = float32(rng.NormFloat64())
	}
	v[0] += float32(2 * class)
	return v
}

// classifier fits a logistic regression on 2,000 seeded vectors of two classes.
func classifier(dim int) classify.Classifier {
	rng := rand.New(rand.NewPCG(1, 2))
	var x [][]float32
	var y []int
	for i := range 2000 {
		x, y = append(x, vector(rng, dim, i%2)), append(y, i%2)
	}
	clf := classify.NewLogisticRegression(classify.LogisticOptions{})
	check(clf.Fit(x, dataset.SingleLabel(y, 2)))
	return clf
}

// findModel returns the database's model named name (the first of that name).
func findModel(db *embeddb.DB, name string) (embeddb.Model, error) {
	models, err := db.Models()
	if err != nil {
		return embeddb.Model{}, err
	}
	for _, m := range models {
		if m.Name == name {
			return m, nil
		}
	}
	return embeddb.Model{}, fmt.Errorf("no model %s in %s", name, db.Path())
}

// build writes n seeded windows, 100 per recording of 3 s windows, one
// recording in 20 of class 1, into the model named modelName: the database's
// (with its dimension) when it holds one, else a new one of 128 dimensions.
// It builds no search index (NoIndex).
func build(path, modelName string, n int) (err error) {
	db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	m, err := findModel(db, modelName)
	if err != nil {
		if m, err = db.AddModel(modelName, nil, dim); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for r := 0; r*100 < n; r++ {
		ws := make([]embeddb.Window, min(100, n-r*100))
		for w := range ws {
			class := 0
			if r%20 == 0 {
				class = 1
			}
			ws[w] = embeddb.Window{StartSeconds: float64(3 * w), EndSeconds: float64(3*w + 3), Embedding: vector(rng, m.Dim, class)}
		}
		if _, err := db.AddRecording(embeddb.Recording{File: fmt.Sprintf("site%02d/rec%05d.wav", r%7, r)}, m, ws); err != nil {
			return err
		}
	}
	return nil
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchvalidate")
