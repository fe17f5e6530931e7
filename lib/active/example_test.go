package active_test

import (
	"context"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// Margin selection against random selection on a pool where 10% of the clips lie near
// the class boundary and the rest far from it (linearPool, in helpers_test.go), with a
// small logistic regression refitted every round and a person simulated from the true
// labels.
func ExampleCompare() {
	embeddings, labels := linearPool(1000, 0.1, 1)
	evalEmbeddings, evalLabels := linearPool(1000, 0.1, 2)
	oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{})
	if err != nil {
		panic(err)
	}
	curves, err := active.Compare(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
		NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 10, Rounds: 6, InitialRandom: 10,
		Eval: &active.EvalSet{Embeddings: evalEmbeddings, Labels: evalLabels},
	}, []active.Strategy{active.Margin, active.Random}, []uint64{1, 2, 3}, active.Accuracy)
	if err != nil {
		panic(err)
	}
	for _, c := range curves {
		fmt.Printf("%-6s", c.Name)
		for k := range c.Mean {
			fmt.Printf(" %3.0f:%.3f", c.LabelsSpent[k], c.Mean[k])
		}
		fmt.Println()
	}
	// Output:
	// margin  10:0.992  20:0.979  30:0.996  40:0.999  50:0.999  60:0.999  70:0.999
	// random  10:0.992  20:0.986  30:0.987  40:0.978  50:0.982  60:0.983  70:0.992
}

// One run in the "find more of species X" mode: Yes/No answers about the target class,
// asking about the clips the classifier scores highest. A fifth of the answers are
// wrong or unsure, as from a tired person.
func ExampleRun_topScore() {
	embeddings, labels := linearPool(500, 0.3, 3)
	isTarget := make([]int, len(labels))
	for i, e := range embeddings {
		if e[0] > 2 && e[1] > 2 { // the far cluster around (4, 4)
			isTarget[i] = 1
		}
	}
	oracle, err := active.NewYesNoOracle(isTarget, 1, active.Noise{WrongRate: 0.1, UnsureRate: 0.1, Seed: 1})
	if err != nil {
		panic(err)
	}
	h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
		Strategy: active.TopScore, YesNo: true, Target: 1, NewClassifier: newSoftmax,
		BatchSize: 10, Rounds: 4, InitialRandom: 10, Seed: 1,
	})
	if err != nil {
		panic(err)
	}
	for _, r := range h.Rounds {
		fmt.Printf("round %d: %2d labels spent, %d unsure, %2d yes\n", r.Round, r.LabelsSpent, r.Unsure, r.Found)
	}
	// Output:
	// round 0: 10 labels spent, 2 unsure,  1 yes
	// round 1: 20 labels spent, 4 unsure,  9 yes
	// round 2: 30 labels spent, 5 unsure, 17 yes
	// round 3: 40 labels spent, 6 unsure, 26 yes
	// round 4: 50 labels spent, 6 unsure, 35 yes
}
