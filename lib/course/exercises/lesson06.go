package exercises

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
)

// Lesson 06's settings, as its cells use them: the data set, the class the
// loop looks for, the query that starts it, and the seeds and sizes.
const (
	lesson06Set     = "real-animals"
	lesson06Target  = "bird"
	lesson06Query   = "audio/bird/blackbird-4d836ce7.wav"
	lesson06Weak    = 20 // weak negatives of the lesson's training
	lesson06Seed    = 1  // the weak negatives' draw
	lesson06Sample  = 24 // windows of the stratified sample
	lesson06Seeds   = 5  // exercise 5's seeds, 1…5
	lesson06Hits    = 10 // hits of a search
	lesson06Round2  = 10 // windows of exercise 4's second round
	lesson06Density = 0.0005
)

// Lesson06 is lesson 06's answers (exercises 2–5; exercise 1 is the
// student's own listening). Archive is the notebook's archive of
// real-animals (its openArchive): the expected values are computed on the
// labels stored in it, so they follow a student's own answers when the
// student labelled the hits; it must hold the lesson's labels of "bird"
// (run the lesson's cells above the check first).
type Lesson06 struct {
	Archive *agile.Archive
	// InsectQuery is exercise 2's query, a file under audio/insect/
	// ("audio/insect/<name>.wav", its window at 0 s); InsectHits how many of
	// its 10 hits, the query included, hold an insect.
	InsectQuery string
	InsectHits  int
	// AboveWeak0, AboveWeak20 and AboveWeak40 (exercise 3) count the windows
	// scoring ≥ 0.5 over the archive when trained on the stored labels with
	// 0, 20 and 40 weak negatives (seed 1).
	AboveWeak0, AboveWeak20, AboveWeak40 int
	// Round2Birds (exercise 4) is how many of the 10 highest-scoring windows
	// (20 weak negatives) that are not labelled hold a bird, by labels.csv.
	Round2Birds int
	// DensityLowest and DensityHighest (exercise 5) are the smallest and
	// largest density estimates of the stratified sample drawn with seeds 1
	// to 5 (answered from labels.csv); IntervalsHolding how many of their 5
	// intervals hold the census's density.
	DensityLowest, DensityHighest float64
	IntervalsHolding              int
}

// lesson06Expected are the values Lesson06's answers are compared with.
type lesson06Expected struct {
	queryOK                              bool
	insectHits                           int
	aboveWeak0, aboveWeak20, aboveWeak40 int
	round2Birds                          int
	densityLowest, densityHighest        float64
	intervalsHolding                     int
}

// notValidation keeps the labels of the search's hits: the lesson's
// validations store their answers with "validation" in the provenance.
func notValidation(provenance string) bool { return !strings.Contains(provenance, "validation") }

// expected computes what the answers should be, on the archive's stored
// labels and the data set's labels.csv.
func (l Lesson06) expected() (lesson06Expected, error) {
	var e lesson06Expected
	a := l.Archive
	if a == nil {
		return e, errors.New("exercises: Lesson06 needs the lesson's archive (Archive: a)")
	}
	setDir := filepath.Join(Datasets, lesson06Set)
	labelsCSV := filepath.Join(setDir, "labels.csv")
	if _, err := os.Stat(labelsCSV); err != nil {
		return e, fmt.Errorf("exercises: lesson 06 reads %s: %w", labelsCSV, err)
	}
	isTarget, err := a.Truth(labelsCSV, lesson06Target)
	if err != nil {
		return e, err
	}
	isInsect, err := a.Truth(labelsCSV, "insect")
	if err != nil {
		return e, err
	}
	// Exercise 2: the student's query's hits.
	if q, ok := a.Find(filepath.Join(setDir, l.InsectQuery), 0); ok && strings.HasPrefix(l.InsectQuery, "audio/insect/") {
		hits, err := a.Search(a.Windows.Vectors[q], lesson06Hits)
		if err != nil {
			return e, err
		}
		e.queryOK = true
		for _, h := range hits {
			e.insectHits += isInsect[h.Index]
		}
	}
	labels, err := a.Labels(lesson06Target, notValidation)
	if err != nil {
		return e, err
	}
	// Exercise 3: windows ≥ 0.5 by number of weak negatives (−1 where the
	// labels cannot train a classifier, such as without any negative).
	for _, n := range []struct {
		weak int
		into *int
	}{{0, &e.aboveWeak0}, {20, &e.aboveWeak20}, {40, &e.aboveWeak40}} {
		*n.into = -1
		if scores, _, err := a.TrainScores(labels, n.weak, lesson06Seed); err == nil {
			*n.into = agile.CountAbove(scores, 0.5)
		}
	}
	scores, used, err := a.TrainScores(labels, lesson06Weak, lesson06Seed)
	if err != nil {
		return e, fmt.Errorf("exercises: lesson 06's labels of %q cannot train (run the lesson's cells above first): %w", lesson06Target, err)
	}
	// Exercise 4: the next round's 10 windows.
	labelled := slices.Concat(labels.Positives, labels.Negatives)
	asked := 0
	for _, i := range agile.Ranked(scores) {
		if asked < lesson06Round2 && !slices.Contains(labelled, i) {
			asked, e.round2Birds = asked+1, e.round2Birds+isTarget[i]
		}
	}
	// Exercise 5: the stratified sample with seeds 1…5, answered by labels.csv.
	leftOut := a.Files(used)
	leftOut[filepath.Join(setDir, lesson06Query)] = true
	census, err := a.CensusOf(scores, isTarget, 0.5, leftOut)
	if err != nil {
		return e, err
	}
	e.densityLowest, e.densityHighest = math.Inf(1), math.Inf(-1)
	for seed := uint64(1); seed <= lesson06Seeds; seed++ {
		o := agile.SampleOptions{N: lesson06Sample, By: agile.Quantiles, Exclude: leftOut, Seed: seed}
		sample, err := a.ValidateSample(scores, o)
		if err != nil {
			return e, err
		}
		answers := make([]active.Answer, len(sample.Rows))
		for r, i := range sample.Indices() {
			answers[r] = active.Answer(isTarget[i]) // 1 is Yes, 0 is No
		}
		estimate, err := sample.Estimate(answers, 0.5)
		if err != nil {
			return e, err
		}
		e.densityLowest = min(e.densityLowest, estimate.Density)
		e.densityHighest = max(e.densityHighest, estimate.Density)
		if estimate.DensityLow <= census.Density() && census.Density() <= estimate.DensityHigh {
			e.intervalsHolding++
		}
	}
	return e, nil
}

// CheckTo prints one line per answer to w: ✓ when it is right, else "not
// yet" and a hint. It returns an error only when the data set or the
// archive's labels cannot be read.
func (l Lesson06) CheckTo(w io.Writer) error {
	e, err := l.expected()
	if err != nil {
		return err
	}
	check := selfcheck.NewTo(w)
	if !e.queryOK {
		check.That("exercise 2: your insect query", false, strconv.Quote(l.InsectQuery),
			"name a file under audio/insect/ (ls ../datasets/real-animals/audio/insect)")
	} else {
		check.Equal("exercise 2: insect hits", l.InsectHits, e.insectHits,
			"count the hits whose file lies under audio/insect/, the query included")
	}
	for _, n := range []struct{ weak, answer, want int }{{0, l.AboveWeak0, e.aboveWeak0},
		{20, l.AboveWeak20, e.aboveWeak20}, {40, l.AboveWeak40, e.aboveWeak40}} {
		check.Equal(fmt.Sprintf("exercise 3: windows ≥ 0.5 with %d weak negatives", n.weak),
			n.answer, n.want, "pass it to a.TrainingSet and count the scores")
	}
	check.Equal("exercise 4: birds among the 10 new windows", l.Round2Birds, e.round2Birds,
		"rank with agile.Ranked, skip labels.Positives and Negatives, take 10")
	check.Near("exercise 5: the lowest density", l.DensityLowest, e.densityLowest, lesson06Density,
		"Estimate's Density for each seed; answers from truth(a)")
	check.Near("exercise 5: the highest density", l.DensityHighest, e.densityHighest, lesson06Density,
		"Estimate's Density for each seed; answers from truth(a)")
	check.Equal("exercise 5: intervals that hold the census", l.IntervalsHolding, e.intervalsHolding,
		"compare DensityLow and DensityHigh with the census's Density()")
	check.Done()
	return nil
}

// MustCheck is CheckTo on standard output (the cell's output), panicking
// when the data cannot be read.
func (l Lesson06) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(err)
	}
}
