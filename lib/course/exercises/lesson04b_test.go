package exercises

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cluster"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/reduce"
)

// useRepoDatasets points Datasets at the repository's data sets, as a notebook in
// notebooks/ sees them (the working directory moves there, so that the embeddings' cache
// keys, which hold the audio paths, are the lesson's), and skips the test when
// synth-transfer is not built.
func useRepoDatasets(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "datasets", "synth-transfer", "labels.csv")); err != nil {
		t.Skipf("synth-transfer not built (%v): run `make setup`", err)
	}
	if err := os.MkdirAll(filepath.Join(root, "notebooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "notebooks"))
	old := Datasets
	Datasets = "../datasets"
	t.Cleanup(func() { Datasets = old })
}

// check04b runs CheckTo and returns its output.
func check04b(t *testing.T, l Lesson04b) string {
	t.Helper()
	var out bytes.Buffer
	if err := l.CheckTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestLesson04bNotYet: blank answers print "not yet" for each of the 10 checks (and read no
// embeddings, so it is quick); a species number out of range is named.
func TestLesson04bNotYet(t *testing.T) {
	useRepoDatasets(t)
	out := check04b(t, Lesson04b{})
	if n := strings.Count(out, ": not yet (your answer: not answered)"); n != 10 || !strings.Contains(out, "0 of 10 checks pass") {
		t.Errorf("blank answers: %d lines say not yet, want 10:\n%s", n, out)
	}
	out = check04b(t, Lesson04b{IslandSpecies: 20, IndividualIslands: "yes"})
	if !strings.Contains(out, "IslandSpecies is a species number from 0 to 19") {
		t.Errorf("species 20:\n%s", out)
	}
}

func TestLesson04bMissingData(t *testing.T) {
	old := Datasets
	Datasets = filepath.Join(t.TempDir(), "nowhere")
	t.Cleanup(func() { Datasets = old })
	err := Lesson04b{}.CheckTo(&bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(Datasets, "synth-transfer")) {
		t.Errorf("missing data sets: error %v, want one naming %s", err, filepath.Join(Datasets, "synth-transfer"))
	}
}

// TestLesson04bAnswers computes exercises 1 to 4 here, by loops of its own where it can
// (cosines in float64, unit vectors by hand, nearest map points by sorting distances), and
// checks that the right answers pass and wrong ones fail; exercise 1's measured share is
// printed only for the right answer.
func TestLesson04bAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds synth-transfer when build/embeddings lacks it, and maps it with t-SNE and UMAP")
	}
	useRepoDatasets(t)
	c, err := loadLesson04bCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.embed(); err != nil {
		t.Fatal(err)
	}
	x := c.vectors
	var right Lesson04b
	// Exercise 1, species 3: the nearest map point of the species, found by a full scan.
	points := reduce.MustTSNE(x, reduce.TSNEOptions{Seed: 1})
	same, own := 0, 0
	for i := range x {
		if c.species[i] != 3 {
			continue
		}
		own++
		best, bestD := -1, math.Inf(1)
		for j := range x {
			if j == i || c.species[j] != 3 {
				continue
			}
			if d := math.Pow(points[i][0]-points[j][0], 2) + math.Pow(points[i][1]-points[j][1], 2); d < bestD {
				best, bestD = j, d
			}
		}
		if c.individuals[best] == c.individuals[i] {
			same++
		}
	}
	right.IslandSpecies, right.IndividualIslands = 3, "no"
	if float64(same) >= 0.9*float64(own) {
		right.IndividualIslands = "yes"
	}
	// Exercise 2.
	right.Trust5 = reduce.MustTrustworthiness(x, reduce.MustUMAP(x, reduce.UMAPOptions{Neighbors: 5, Seed: 1}), 10)
	right.Trust50 = reduce.MustTrustworthiness(x, reduce.MustUMAP(x, reduce.UMAPOptions{Neighbors: 50, Seed: 1}), 10)
	// Exercise 3: unit vectors by hand.
	unit := make([][]float32, len(x))
	for i, v := range x {
		norm := 0.0
		for _, e := range v {
			norm += float64(e) * float64(e)
		}
		unit[i] = make([]float32, len(v))
		for k, e := range v {
			unit[i][k] = float32(float64(e) / math.Sqrt(norm))
		}
	}
	kmeans := cluster.MustKMeans(unit, cluster.KMeansOptions{K: 20, Seed: 1, Restarts: 4})
	right.UnitPurity, _ = cluster.Purity(kmeans.Labels, c.species)
	right.UnitARI, _ = cluster.AdjustedRandIndex(c.species, kmeans.Labels)
	// Exercise 4: the lowest-SNR recording, its top 5 by cosines in float64.
	low := 0
	for i, snr := range c.snrDB {
		if snr < c.snrDB[low] {
			low = i
		}
	}
	cosine := func(a, b []float32) float64 {
		var ab, aa, bb float64
		for k := range a {
			ab, aa, bb = ab+float64(a[k])*float64(b[k]), aa+float64(a[k])*float64(a[k]), bb+float64(b[k])*float64(b[k])
		}
		return ab / math.Sqrt(aa*bb)
	}
	taken := map[int]bool{low: true}
	hits := 0
	for range 5 {
		best := -1
		for j := range x {
			if !taken[j] && (best < 0 || cosine(x[low], x[j]) > cosine(x[low], x[best])) {
				best = j
			}
		}
		taken[best] = true
		if c.species[best] == c.species[low] {
			hits++
		}
	}
	right.LowSNRClip, right.LowSNRPrecision = low, float64(hits)/5

	out := check04b(t, right)
	if strings.Count(out, "✓") != 7 || !strings.Contains(out, "exercise 1: on the t-SNE map") {
		t.Errorf("right answers to exercises 1–4 (%+v): want 7 checks right:\n%s", right, out)
	}
	wrong := right
	wrong.IndividualIslands = map[string]string{"yes": "no", "no": "yes"}[right.IndividualIslands]
	wrong.Trust5 += 0.01
	wrong.UnitPurity += 0.01
	wrong.LowSNRPrecision = 1.2 - right.LowSNRPrecision
	wrong.LowSNRClip = lesson04bQuery + 1 // r0001: its SNR is above r0000's? the check says either way
	out = check04b(t, wrong)
	if strings.Contains(out, "on the t-SNE map") {
		t.Errorf("a wrong answer to exercise 1 printed the measured share:\n%s", out)
	}
	for _, name := range []string{"exercise 1: individuals", "exercise 2: trustworthiness, 5 ", "exercise 3: purity", "exercise 4: precision@5"} {
		if !strings.Contains(out, "✗ "+name) {
			t.Errorf("wrong answer to %q passed:\n%s", name, out)
		}
	}
	if c.snrDB[1] >= c.snrDB[0] && !strings.Contains(out, "✗ exercise 4: a query of lower SNR") {
		t.Errorf("row 1, of SNR %.1f dB against the query's %.1f, passed as lower:\n%s", c.snrDB[1], c.snrDB[0], out)
	}
}

// TestLesson04bActiveAnswers runs the active-learning comparisons here (about 20 loops)
// and checks exercises 5 and 6 from per-seed averages computed by hand: right answers
// pass and print the measured accuracies; with exercise 6 wrong they stay hidden.
func TestLesson04bActiveAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 40 active-learning loops")
	}
	useRepoDatasets(t)
	c, err := loadLesson04bCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.embed(); err != nil {
		t.Fatal(err)
	}
	split := dataset.MustStratifiedGroupSplit(c.labels, dataset.SplitOptions{Train: 0.5, Test: 0.5, Seed: 1})
	pool, poolSpecies, eval := active.MustSplitPool(c.vectors, c.species, split.Train, split.Test)
	run := func(noise active.Noise, strategies ...active.Strategy) []metrics.LearningCurve {
		person := active.MustNewSimulatedOracle(poolSpecies, 20, noise)
		return active.MustCompare(context.Background(), pool, person, active.Options{
			NewClassifier: func() active.Classifier {
				return active.FromClassify(classify.NewLogisticRegression(classify.LogisticOptions{}))
			},
			NumClasses: 20, InitialRandom: 20, BatchSize: 10, Rounds: 15, Eval: eval,
		}, strategies, []uint64{1, 2, 3, 4, 5}, active.Accuracy)
	}
	clean := run(active.Noise{}, active.Margin, active.Random, active.Entropy)
	noisy := run(active.Noise{WrongRate: 0.1, Seed: 1}, active.Margin)[0]
	// average returns the curve's mean over its points, and each run's.
	average := func(curve metrics.LearningCurve) (float64, []float64) {
		runs := make([]float64, 5)
		all := 0.0
		for _, values := range curve.Values {
			for r, v := range values {
				runs[r] += v / float64(len(curve.Values))
				all += v / float64(5*len(curve.Values))
			}
		}
		return all, runs
	}
	margin, _ := average(clean[0])
	random, randomRuns := average(clean[1])
	entropy, _ := average(clean[2])
	noisyMean, noisyRuns := average(noisy)
	var differences []float64
	for r := range noisyRuns {
		differences = append(differences, noisyRuns[r]-randomRuns[r])
	}
	in, err := metrics.MeanInterval(differences, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	right := Lesson04b{MarginLossPoints: 100 * (margin - noisyMean), StillBeatsRandom: "not separable", EntropyCloserTo: "random"}
	if in.Lower > 0 {
		right.StillBeatsRandom = "yes"
	} else if in.Upper < 0 {
		right.StillBeatsRandom = "no"
	}
	if math.Abs(entropy-margin) < math.Abs(entropy-random) {
		right.EntropyCloserTo = "margin"
	}
	out := check04b(t, right)
	if strings.Count(out, "✓") != 3 || !strings.Contains(out, "exercises 5 and 6: accuracy averaged") {
		t.Errorf("right answers %+v (difference %v): want 3 checks right and the measured accuracies:\n%s", right, in, out)
	}
	t.Logf("%+v\n%s", right, out)
	// One answer wrong: the others pass, and the numbers that would give it away stay hidden.
	wrong := right
	wrong.EntropyCloserTo = map[string]string{"margin": "random", "random": "margin"}[right.EntropyCloserTo]
	out = check04b(t, wrong)
	if strings.Count(out, "✓") != 2 || !strings.Contains(out, "✗ exercise 6") || strings.Contains(out, "exercises 5 and 6: accuracy") {
		t.Errorf("exercise 6 wrong (%q): want 2 checks right and no measured accuracies:\n%s", wrong.EntropyCloserTo, out)
	}
}
