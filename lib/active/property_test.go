package active_test

import (
	"context"
	"math"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// TestMarginBeatsRandom is the property the lesson shows: on a pool where most clips are
// easy and far from the class boundary (linearPool with 10% of clips near it), margin
// selection reaches 99.5% accuracy with far fewer labels than random selection, averaged
// over seeds. A run that never reaches the level counts as spending every label it was
// allowed plus one batch, which only flatters the loser.
func TestMarginBeatsRandom(t *testing.T) {
	embeddings, labels := linearPool(2000, 0.1, 1)
	evalEmb, evalLabels := linearPool(2000, 0.1, 2)
	oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	seeds, rounds := []uint64{1, 2, 3, 4, 5}, 40
	if testing.Short() {
		seeds, rounds = seeds[:3], 30
	}
	const level = 0.995
	opts := active.Options{
		NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 5, Rounds: rounds, InitialRandom: 10,
		Eval: &active.EvalSet{Embeddings: evalEmb, Labels: evalLabels},
	}
	meanLabels := map[active.Strategy]float64{}
	for _, s := range []active.Strategy{active.Margin, active.Random} {
		for _, seed := range seeds {
			opts.Strategy, opts.Seed = s, seed
			h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, opts)
			if err != nil {
				t.Fatal(err)
			}
			spent, ok := h.LabelsToReach(active.Accuracy, level)
			if !ok {
				spent = 10 + 5*rounds + 5
			}
			t.Logf("%v, seed %d: accuracy %.3f after %d labels (%v), final %.4f",
				s, seed, level, spent, ok, h.Rounds[len(h.Rounds)-1].Accuracy)
			meanLabels[s] += float64(spent) / float64(len(seeds))
		}
	}
	t.Logf("mean labels to reach accuracy %.3f: margin %.1f, random %.1f", level, meanLabels[active.Margin], meanLabels[active.Random])
	if meanLabels[active.Margin] > 0.5*meanLabels[active.Random] {
		t.Errorf("margin needs %.1f labels on average to reach %.3f, random %.1f: want margin at most half of random",
			meanLabels[active.Margin], level, meanLabels[active.Random])
	}
}

// TestTopScoreFindsMoreThanRandom checks the "find more of species X" mode: asking about
// the clips the classifier scores highest finds more clips of the rare target class per
// label than random selection.
func TestTopScoreFindsMoreThanRandom(t *testing.T) {
	embeddings, labels := linearPool(1000, 0.3, 3)
	// Target: the far cluster around (4, 4), a quarter-ish of the far clips.
	classes := make([]int, len(labels))
	targets := 0
	for i, e := range embeddings {
		if e[0] > 2 && e[1] > 2 {
			classes[i] = 1
			targets++
		}
	}
	oracle, err := active.NewYesNoOracle(classes, 1, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	found := map[active.Strategy]int{}
	for _, s := range []active.Strategy{active.TopScore, active.Random} {
		h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
			Strategy: s, YesNo: true, Target: 1, NewClassifier: newSoftmax, BatchSize: 10, Rounds: 10, InitialRandom: 20, Seed: 4,
		})
		if err != nil {
			t.Fatal(err)
		}
		last := h.Rounds[len(h.Rounds)-1]
		found[s] = last.Found
		t.Logf("%v: %d of %d targets found with %d labels", s, last.Found, targets, last.LabelsSpent)
		if !math.IsNaN(last.Accuracy) {
			t.Errorf("%v: accuracy %v without an evaluation set; want NaN", s, last.Accuracy)
		}
	}
	// 120 labels: random finds about 120·targets/1000; top score should find nearly one per label after round 0.
	if found[active.TopScore] < 2*found[active.Random] {
		t.Errorf("top score found %d targets, random %d: want at least twice as many", found[active.TopScore], found[active.Random])
	}
}
