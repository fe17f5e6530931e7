package active_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

func TestMarginAndEntropyHandValues(t *testing.T) {
	// Margins are p₁ − p₂ by hand; entropies −Σ p ln p by hand (numpy agrees to 1e-7).
	tests := []struct {
		p               []float32
		margin, entropy float64
	}{
		{[]float32{0.7, 0.2, 0.1}, 0.5, -(0.7*math.Log(0.7) + 0.2*math.Log(0.2) + 0.1*math.Log(0.1))},
		{[]float32{0.5, 0.5}, 0, math.Ln2},
		{[]float32{0.2, 0.3, 0.5}, 0.2, -(0.2*math.Log(0.2) + 0.3*math.Log(0.3) + 0.5*math.Log(0.5))},
		{[]float32{0.25, 0.25, 0.25, 0.25}, 0, math.Log(4)},
		{[]float32{0, 1, 0}, 1, 0},
		{[]float32{1}, 1, 0},
		{[]float32{0.4, 0.6}, 0.2, -(0.4*math.Log(0.4) + 0.6*math.Log(0.6))},
	}
	for _, tc := range tests {
		if got := active.MarginOf(tc.p); math.Abs(got-tc.margin) > 1e-6 {
			t.Errorf("MarginOf(%v) = %v, want %v", tc.p, got, tc.margin)
		}
		if got := active.EntropyOf(tc.p); math.Abs(got-tc.entropy) > 1e-6 {
			t.Errorf("EntropyOf(%v) = %v, want %v", tc.p, got, tc.entropy)
		}
	}
}

// TestStrategiesChooseByHand gives every clip hand-picked probabilities (the lookup
// classifier returns the embedding) and checks round 1 asks about the clips each strategy
// should, best first.
func TestStrategiesChooseByHand(t *testing.T) {
	probs := [][]float32{
		{1, 0, 0},          // 0: initial (class 0)
		{0, 1, 0},          // 1: initial (class 1)
		{0.9, 0.05, 0.05},  // 2: margin 0.85, entropy 0.394
		{0.4, 0.35, 0.25},  // 3: margin 0.05, entropy 1.081
		{0.5, 0.5, 0},      // 4: margin 0,    entropy 0.693
		{0.34, 0.33, 0.33}, // 5: margin 0.01, entropy 1.0985
		{0.1, 0.8, 0.1},    // 6: margin 0.7,  entropy 0.639
		{0.5, 0.5, 0},      // 7: margin 0 (ties with 4: lower index first)
	}
	labels := []int{0, 1, 0, 0, 1, 2, 1, 0}
	tests := []struct {
		strategy active.Strategy
		target   int
		want     []int
	}{
		{active.Margin, 0, []int{4, 7, 5}},
		{active.Entropy, 0, []int{5, 3, 4}},
		{active.TopScore, 2, []int{5, 3, 6}}, // column 2: 0.33, 0.25, 0.1
		{active.TopScore, 1, []int{6, 4, 7}}, // column 1: 0.8, 0.5, 0.5 (tie: lower index)
	}
	for _, tc := range tests {
		oracle, err := active.NewSimulatedOracle(labels, 3, active.Noise{})
		if err != nil {
			t.Fatal(err)
		}
		h, err := active.Run(context.Background(), active.Pool{Embeddings: probs}, oracle, active.Options{
			Strategy: tc.strategy, NewClassifier: func() active.Classifier { return lookup{} },
			NumClasses: 3, Target: tc.target, BatchSize: 3, Rounds: 1, Initial: []int{0, 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Rounds[1].Chosen; !slices.Equal(got, tc.want) {
			t.Errorf("%v (target %d) chose %v, want %v", tc.strategy, tc.target, got, tc.want)
		}
	}

	// TopScore reads column 1 (Yes) of a binary classifier.
	binary := [][]float32{{1, 0}, {0, 1}, {0.3, 0.7}, {0.9, 0.1}, {0.05, 0.95}, {0.5, 0.5}}
	oracle, err := active.NewYesNoOracle([]int{0, 3, 3, 0, 3, 1}, 3, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := active.Run(context.Background(), active.Pool{Embeddings: binary}, oracle, active.Options{
		Strategy: active.TopScore, YesNo: true, Target: 3, NewClassifier: func() active.Classifier { return lookup{} },
		BatchSize: 2, Rounds: 1, Initial: []int{0, 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Rounds[1].Chosen, []int{4, 2}; !slices.Equal(got, want) {
		t.Errorf("TopScore chose %v, want %v", got, want)
	}
	if got, want := h.Rounds[1].Scores, []float64{0.95, 0.7}; math.Abs(got[0]-want[0]) > 1e-6 || math.Abs(got[1]-want[1]) > 1e-6 {
		t.Errorf("TopScore scores %v, want %v", got, want)
	}
	if got := h.Rounds[1].Found; got != 3 {
		t.Errorf("Found = %d after asking clips 0, 1, 4, 2 (labels 0, 3, 3, 3 for target 3), want 3", got)
	}
}

// TestEvaluationByHand measures hand-made probabilities (the lookup classifier returns
// the evaluation embeddings) against hand-counted accuracy and recall.
func TestEvaluationByHand(t *testing.T) {
	pool := active.Pool{Embeddings: [][]float32{{1, 0}, {0, 1}}}
	tests := []struct {
		name             string
		yesNo            bool
		eval             active.EvalSet
		accuracy, recall float64
	}{
		// argmax 0, 1, 0, 1 against 0, 1, 1, 1: 3 of 4 right; class 1 found in 2 of 3.
		{"classes", false, active.EvalSet{
			Embeddings: [][]float32{{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}}, Labels: []int{0, 1, 1, 1}}, 0.75, 2.0 / 3},
		// Yes at p ≥ 0.5: yes, yes, no, no against target 1 in labels 1, 2, 1, 0:
		// right on clips 0 and 3; target clips 0 and 2, one found.
		{"yes/no", true, active.EvalSet{
			Embeddings: [][]float32{{0.5, 0.5}, {0.1, 0.9}, {0.7, 0.3}, {0.8, 0.2}}, Labels: []int{1, 2, 1, 0}}, 0.5, 0.5},
	}
	for _, tc := range tests {
		oracle := oracleFunc(func(items []active.Item) []active.Answer {
			a := make([]active.Answer, len(items))
			for k, it := range items {
				a[k] = active.Answer(it.Index)
			}
			return a
		})
		h, err := active.Run(context.Background(), pool, oracle, active.Options{
			Strategy: active.Margin, YesNo: tc.yesNo, Target: 1, NumClasses: 2,
			NewClassifier: func() active.Classifier { return lookup{} },
			BatchSize:     1, Rounds: 0, Initial: []int{0, 1}, Eval: &tc.eval,
		})
		if err != nil {
			t.Fatal(err)
		}
		r := h.Rounds[0]
		if !r.Trained || math.Abs(r.Accuracy-tc.accuracy) > 1e-12 || math.Abs(r.Recall-tc.recall) > 1e-12 {
			t.Errorf("%s: trained %v, accuracy %v, recall %v; want true, %v, %v", tc.name, r.Trained, r.Accuracy, r.Recall, tc.accuracy, tc.recall)
		}
	}
}
