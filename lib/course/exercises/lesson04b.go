package exercises

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cluster"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/reduce"
	"github.com/dawnchorus/dawnchorus/lib/search"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
	"github.com/dawnchorus/dawnchorus/lib/synth"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Lesson04b holds the answers to lesson 04b's exercises (Exploring embeddings), on
// synth-transfer's 1600 recordings embedded by birds-v1. A zero field is an exercise not
// answered yet; only the answered exercises are computed, so a cell of blank answers is
// quick.
type Lesson04b struct {
	// IslandSpecies is the species exercise 1 colours (an index into labels.csv's
	// species), and IndividualIslands whether its individuals form islands on the t-SNE
	// map: "yes" when 90 % or more of its recordings have a recording of their own
	// individual as their nearest point of the species, else "no".
	IslandSpecies     int
	IndividualIslands string
	// Trust5 and Trust50 are exercise 2's trustworthiness (k = 10) of the UMAP map
	// (seed 1) with 5 and with 50 neighbours.
	Trust5, Trust50 float64
	// UnitPurity and UnitARI are exercise 3's purity and adjusted Rand index against
	// the species of k-means (k = 20, seed 1, 4 restarts) on unit-length embeddings.
	UnitPurity, UnitARI float64
	// LowSNRClip is exercise 4's query, a row of labels.csv whose SNR is below that of
	// the lesson's query (row 0), and LowSNRPrecision the share of its 5 nearest
	// recordings by cosine similarity (itself left out) that are of its species.
	LowSNRClip      int
	LowSNRPrecision float64
	// MarginLossPoints is exercise 5's loss of the margin strategy, in accuracy points,
	// when the simulated person is wrong 10 % of the time: its curve's mean over the
	// rounds, noiseless minus noisy. StillBeatsRandom says whether noisy margin, so
	// averaged, beats noiseless random: "yes" or "no" when the paired t interval over
	// the 5 seeds of their difference is above or below 0, "not separable" when it holds 0.
	MarginLossPoints float64
	StillBeatsRandom string
	// EntropyCloserTo is exercise 6's answer: is active.Entropy's curve, averaged over
	// the rounds, closer to "margin"'s or to "random"'s?
	EntropyCloserTo string
}

// lesson04bQuery is the lesson's query recording, a row of labels.csv.
const lesson04bQuery = 0

// lesson04bCorpus is synth-transfer as lesson 04b loads it.
type lesson04bCorpus struct {
	labels      *dataset.LabelTable
	vectors     [][]float32
	species     []int
	individuals []int
	snrDB       []float64
}

// loadLesson04bCorpus reads synth-transfer's labels and metadata under Datasets; its
// embeddings wait for embed.
func loadLesson04bCorpus() (*lesson04bCorpus, error) {
	dir := filepath.Join(Datasets, "synth-transfer")
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("exercises: lesson 04b needs synth-transfer: %w", err)
	}
	labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return nil, fmt.Errorf("exercises: %w", err)
	}
	meta, err := synth.ReadCorpusMetadata(dir)
	if err != nil {
		return nil, fmt.Errorf("exercises: %w", err)
	}
	if len(meta) != len(labels.Rows) {
		return nil, fmt.Errorf("exercises: %s has %d rows in metadata.csv and %d in labels.csv", dir, len(meta), len(labels.Rows))
	}
	c := &lesson04bCorpus{labels: labels, species: labels.ClassesOf(nil)}
	for _, m := range meta {
		c.individuals, c.snrDB = append(c.individuals, m.Individual), append(c.snrDB, m.SNRdB)
	}
	return c, nil
}

// embed reads the corpus's birds-v1 embeddings, as the lesson computes them, from the cache
// the lessons share (build/embeddings beside Datasets; computed and stored there when
// missing, which takes a minute or two), once.
func (c *lesson04bCorpus) embed() error {
	if c.vectors != nil {
		return nil
	}
	dir := filepath.Join(Datasets, "synth-transfer")
	model, err := zoo.Load(zoo.BirdsV1)
	if err != nil {
		return fmt.Errorf("exercises: %w", err)
	}
	cache := filepath.Join(filepath.Dir(filepath.Clean(Datasets)), "build", "embeddings")
	o := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 1}, CacheDir: cache} // as the lesson
	e, err := embed.EmbedTable(model, dir, c.labels, o)
	if err != nil {
		return fmt.Errorf("exercises: embedding %s: %w", dir, err)
	}
	c.vectors = e.Vectors
	return nil
}

// CheckTo checks the answers, one line per check, on w. It returns an error when
// synth-transfer or its embeddings cannot be read, or a computation fails. The embeddings
// are read only when an answer needs them. What it measured (exercise 1's share, exercises
// 5 and 6's accuracies and interval) is printed only once the answers it would give away
// are right; until then a wrong answer gets its hint.
func (l Lesson04b) CheckTo(w io.Writer) error {
	c, err := loadLesson04bCorpus()
	if err != nil {
		return err
	}
	var x [][]float32 // the embeddings, once an answer needs them
	vectors := func() error {
		if err := c.embed(); err != nil {
			return err
		}
		x = c.vectors
		return nil
	}
	check := selfcheck.NewTo(w)
	notYet := func(name, hint string) { check.That(name, false, "not answered", hint) }

	const ex1 = "exercise 1: individuals in islands?"
	hint1 := "on the map, how often is a recording's nearest point of its species its own individual?"
	switch {
	case l.IndividualIslands == "":
		notYet(ex1, hint1)
	case l.IslandSpecies < 0 || l.IslandSpecies >= len(c.labels.Classes):
		check.That(ex1, false, fmt.Sprint(l.IslandSpecies), fmt.Sprintf("IslandSpecies is a species number from 0 to %d", len(c.labels.Classes)-1))
	default:
		if err := vectors(); err != nil {
			return err
		}
		points, err := reduce.TSNE(x, reduce.TSNEOptions{Seed: 1})
		if err != nil {
			return fmt.Errorf("exercises: exercise 1's t-SNE map: %w", err)
		}
		same, own := ownIndividualNearest(points, c.species, c.individuals, l.IslandSpecies)
		share := float64(same) / float64(own)
		if check.Equal(ex1, l.IndividualIslands, map[bool]string{true: "yes", false: "no"}[share >= 0.9], hint1) {
			fmt.Fprintf(w, "exercise 1: on the t-SNE map, %d of %s's %d recordings (%.0f %%) sit next to their own individual; islands means 90 %% or more\n",
				same, c.labels.Classes[l.IslandSpecies], own, 100*share)
		}
	}

	for _, ex := range []struct {
		neighbours int
		answer     float64
		hint       string
	}{
		{5, l.Trust5, "reduce.MustTrustworthiness(x, points, 10) of the map with Neighbors: 5"},
		{50, l.Trust50, "the same with Neighbors: 50"},
	} {
		name := fmt.Sprintf("exercise 2: trustworthiness, %d neighbours", ex.neighbours)
		if ex.answer == 0 {
			notYet(name, ex.hint)
			continue
		}
		if err := vectors(); err != nil {
			return err
		}
		points, err := reduce.UMAP(x, reduce.UMAPOptions{Neighbors: ex.neighbours, Seed: 1})
		if err != nil {
			return fmt.Errorf("exercises: exercise 2's UMAP map: %w", err)
		}
		trust, err := reduce.Trustworthiness(x, points, 10)
		if err != nil {
			return fmt.Errorf("exercises: exercise 2: %w", err)
		}
		check.Near(name, ex.answer, trust, 0.0005, ex.hint)
	}

	const ex3p, ex3a = "exercise 3: purity of unit-length k-means", "exercise 3: ARI of unit-length k-means"
	hint3p, hint3a := "divide each vector by its length before cluster.MustKMeans", "cluster.AdjustedRandIndex(c.species, labels), as in the table"
	if l.UnitPurity == 0 && l.UnitARI == 0 {
		notYet(ex3p, hint3p)
		notYet(ex3a, hint3a)
	} else {
		if err := vectors(); err != nil {
			return err
		}
		unit, err := search.UnitVectors(x)
		if err != nil {
			return fmt.Errorf("exercises: exercise 3: %w", err)
		}
		kmeans, err := cluster.KMeans(unit, cluster.KMeansOptions{K: 20, Seed: 1, Restarts: 4})
		if err != nil {
			return fmt.Errorf("exercises: exercise 3: %w", err)
		}
		purity, _ := cluster.Purity(kmeans.Labels, c.species)
		ari, _ := cluster.AdjustedRandIndex(c.species, kmeans.Labels)
		check.Near(ex3p, l.UnitPurity, purity, 0.0005, hint3p)
		check.Near(ex3a, l.UnitARI, ari, 0.0005, hint3a)
	}

	const ex4q, ex4p = "exercise 4: a query of lower SNR", "exercise 4: precision@5 of your query"
	hint4q, hint4p := "a row whose snr_db in metadata.csv is below the lesson query's", "the number of the top 5 of the query's species, divided by 5"
	switch {
	case l.LowSNRClip == lesson04bQuery && l.LowSNRPrecision == 0:
		notYet(ex4q, hint4q)
		notYet(ex4p, hint4p)
	case l.LowSNRClip < 0 || l.LowSNRClip >= len(c.snrDB):
		check.That(ex4q, false, fmt.Sprint(l.LowSNRClip), fmt.Sprintf("LowSNRClip is a row from 0 to %d", len(c.snrDB)-1))
	default:
		check.That(ex4q, c.snrDB[l.LowSNRClip] < c.snrDB[lesson04bQuery], fmt.Sprint(l.LowSNRClip), hint4q)
		if err := vectors(); err != nil {
			return err
		}
		index, err := search.NewExact(x, search.ExactOptions{})
		if err != nil {
			return fmt.Errorf("exercises: exercise 4: %w", err)
		}
		hits, err := index.Search(x[l.LowSNRClip], 6)
		if err != nil {
			return fmt.Errorf("exercises: exercise 4: %w", err)
		}
		same, counted := 0, 0
		for _, h := range hits {
			if h.Index != l.LowSNRClip && counted < 5 {
				counted++
				if c.species[h.Index] == c.species[l.LowSNRClip] {
					same++
				}
			}
		}
		check.Near(ex4p, l.LowSNRPrecision, float64(same)/5, 0.001, hint4p)
	}

	const ex5l, ex5b, ex6 = "exercise 5: margin's loss with 10 % errors (points)", "exercise 5: does noisy margin still beat random?", "exercise 6: entropy is closer to"
	hint5l := "the average of margin's curve.Mean, noiseless minus noisy"
	hint5b := "metrics.PairedInterval of noisy margin's and noiseless random's RunAverages: above 0, below 0, or holding 0"
	hint6 := "add active.Entropy to the strategies and compare the average accuracies"
	if l.MarginLossPoints == 0 && l.StillBeatsRandom == "" && l.EntropyCloserTo == "" {
		notYet(ex5l, hint5l)
		notYet(ex5b, hint5b)
		notYet(ex6, hint6)
		check.Done()
		return nil
	}
	if err := vectors(); err != nil {
		return err
	}
	clean, err := lesson04bCurves(c, active.Noise{}, active.Margin, active.Random, active.Entropy)
	if err != nil {
		return err
	}
	noisy, err := lesson04bCurves(c, active.Noise{WrongRate: 0.1, Seed: 1}, active.Margin)
	if err != nil {
		return err
	}
	margin, random, entropy, noisyMargin := meanOf(clean[0].Mean), meanOf(clean[1].Mean), meanOf(clean[2].Mean), meanOf(noisy[0].Mean)
	noisyRuns, err := noisy[0].RunAverages()
	if err != nil {
		return err
	}
	randomRuns, err := clean[1].RunAverages()
	if err != nil {
		return err
	}
	difference, err := metrics.PairedInterval(noisyRuns, randomRuns, 0.95)
	if err != nil {
		return err
	}
	difference = difference.Clip(-1, 1)
	beats := "not separable"
	if difference.Lower > 0 {
		beats = "yes"
	} else if difference.Upper < 0 {
		beats = "no"
	}
	closer := "random"
	if math.Abs(entropy-margin) < math.Abs(entropy-random) {
		closer = "margin"
	}
	rightLoss := check.Near(ex5l, l.MarginLossPoints, 100*(margin-noisyMargin), 0.05, hint5l)
	rightBeats := check.Equal(ex5b, l.StillBeatsRandom, beats, hint5b)
	rightCloser := check.Equal(ex6, l.EntropyCloserTo, closer, hint6)
	if rightLoss && rightBeats && rightCloser { // any of these numbers gives the others away
		fmt.Fprintf(w, "exercises 5 and 6: accuracy averaged over the rounds, mean of 5 runs: margin %.3f, with 10 %% errors %.3f, random %.3f, entropy %.3f; noisy margin − random %v (t over the 5 seeds)\n",
			margin, noisyMargin, random, entropy, difference)
	}
	check.Done()
	return nil
}

// MustCheck checks the answers and prints the result in the cell's output; it panics
// when the data cannot be read.
func (l Lesson04b) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}

// ownIndividualNearest counts the recordings of species sp whose nearest point of that
// species on the 2-D map (Euclidean) is of their own individual, and returns the count and
// how many recordings the species has.
func ownIndividualNearest(points [][]float64, species, individuals []int, sp int) (same, own int) {
	var rows []int
	for i, k := range species {
		if k == sp {
			rows = append(rows, i)
		}
	}
	for _, i := range rows {
		nearest, best := -1, math.Inf(1)
		for _, j := range rows {
			if d := math.Hypot(points[i][0]-points[j][0], points[i][1]-points[j][1]); j != i && d < best {
				nearest, best = j, d
			}
		}
		if nearest >= 0 && individuals[nearest] == individuals[i] {
			same++
		}
	}
	return same, len(rows)
}

// lesson04bCurves runs the lesson's margin-versus-random comparison (pool and evaluation
// halves of the corpus, 20 random labels then 15 rounds of 10, logistic regression, seeds
// 1–5) with the given strategies and simulated person's noise.
func lesson04bCurves(c *lesson04bCorpus, noise active.Noise, strategies ...active.Strategy) ([]metrics.LearningCurve, error) {
	split, err := dataset.StratifiedGroupSplit(c.labels, dataset.SplitOptions{Train: 0.5, Test: 0.5, Seed: 1})
	if err != nil {
		return nil, fmt.Errorf("exercises: %w", err)
	}
	pool, poolSpecies, eval, err := active.SplitPool(c.vectors, c.species, split.Train, split.Test)
	if err != nil {
		return nil, fmt.Errorf("exercises: %w", err)
	}
	person, err := active.NewSimulatedOracle(poolSpecies, len(c.labels.Classes), noise)
	if err != nil {
		return nil, fmt.Errorf("exercises: %w", err)
	}
	newLogistic := func() active.Classifier {
		return active.FromClassify(classify.NewLogisticRegression(classify.LogisticOptions{}))
	}
	curves, err := active.Compare(context.Background(), pool, person, active.Options{
		NewClassifier: newLogistic, NumClasses: len(c.labels.Classes),
		InitialRandom: 20, BatchSize: 10, Rounds: 15, Eval: eval,
	}, strategies, []uint64{1, 2, 3, 4, 5}, active.Accuracy)
	if err != nil {
		return nil, fmt.Errorf("exercises: active learning: %w", err)
	}
	return curves, nil
}

// meanOf returns the mean of values.
func meanOf(values []float64) float64 {
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	return sum / float64(len(values))
}
