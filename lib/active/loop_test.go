package active_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

func TestNoClipAskedTwice(t *testing.T) {
	embeddings, labels := linearPool(60, 0.5, 5)
	for _, s := range []active.Strategy{active.Margin, active.Entropy, active.TopScore, active.Random} {
		inner, err := active.NewSimulatedOracle(labels, 2, active.Noise{UnsureRate: 0.2, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		oracle := &recordingOracle{inner: inner}
		// 7 initial + 20 rounds of 3 would be 67 > 60 clips: the last round gets the 2
		// left, and the loop stops when none is left.
		h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
			Strategy: s, NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 3, Rounds: 20, InitialRandom: 7, Seed: 3,
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, call := range oracle.calls {
			for _, i := range call {
				if seen[i] {
					t.Errorf("%v: clip %d asked twice", s, i)
				}
				seen[i] = true
			}
		}
		if len(seen) != 60 || len(h.Asked) != 60 {
			t.Errorf("%v: %d distinct clips asked, history lists %d; want all 60", s, len(seen), len(h.Asked))
		}
		last := h.Rounds[len(h.Rounds)-1]
		if len(h.Rounds) != 19 || len(last.Chosen) != 2 || last.LabelsSpent != 60 {
			t.Errorf("%v: %d rounds, last asked %d and spent %d; want 19 rounds (0…18), 2 and 60",
				s, len(h.Rounds), len(last.Chosen), last.LabelsSpent)
		}
	}
}

func TestUnsureSetAside(t *testing.T) {
	embeddings, labels := linearPool(200, 0.5, 6)
	oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{UnsureRate: 0.3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	// The lookup classifier records the labels it is fitted on; with embeddings that are
	// not probabilities we only use Random, which does not read them.
	var fitted [][]int
	h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
		Strategy: active.Random, NewClassifier: func() active.Classifier { return lookup{fitted: &fitted} },
		NumClasses: 2, BatchSize: 10, Rounds: 5, InitialRandom: 10, Seed: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	unsure := 0
	var usable []int
	for k, a := range h.Answers {
		if a == active.Unsure {
			unsure++
			continue
		}
		usable = append(usable, int(a))
		if int(a) != labels[h.Asked[k]] {
			t.Errorf("clip %d answered %d, its label is %d (no wrong answers asked for)", h.Asked[k], a, labels[h.Asked[k]])
		}
	}
	if unsure == 0 {
		t.Fatal("no Unsure answers in 60 at rate 0.3: the test does not test anything")
	}
	last := h.Rounds[len(h.Rounds)-1]
	if last.Unsure != unsure || last.Labelled != 60-unsure || last.LabelsSpent != 60 {
		t.Errorf("last round: Unsure %d, Labelled %d, LabelsSpent %d; want %d, %d, 60", last.Unsure, last.Labelled, last.LabelsSpent, unsure, 60-unsure)
	}
	// The last fit saw exactly the usable answers, in the order asked.
	if got := fitted[len(fitted)-1]; !slices.Equal(got, usable) {
		t.Errorf("last fit on labels %v, want the %d non-Unsure answers %v", got, len(usable), usable)
	}
}

func TestDeterministicForASeed(t *testing.T) {
	embeddings, labels := linearPool(300, 0.3, 7)
	evalEmb, evalLabels := linearPool(300, 0.3, 8)
	run := func(s active.Strategy, seed uint64) *active.History {
		oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{WrongRate: 0.1, UnsureRate: 0.1, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		h, err := active.Run(context.Background(), active.Pool{Embeddings: embeddings}, oracle, active.Options{
			Strategy: s, NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 4, Rounds: 6, InitialRandom: 6, Seed: seed,
			Eval: &active.EvalSet{Embeddings: evalEmb, Labels: evalLabels},
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	accuracies := func(h *active.History) []float64 {
		var a []float64
		for _, r := range h.Rounds {
			a = append(a, r.Accuracy)
		}
		return a
	}
	for _, s := range []active.Strategy{active.Margin, active.Random} {
		a, b := run(s, 11), run(s, 11)
		if !slices.Equal(a.Asked, b.Asked) || !slices.Equal(a.Answers, b.Answers) || !slices.Equal(accuracies(a), accuracies(b)) {
			t.Errorf("%v: two runs with seed 11 differ: asked %v vs %v", s, a.Asked, b.Asked)
		}
		c := run(s, 12)
		if slices.Equal(a.Asked, c.Asked) {
			t.Errorf("%v: seeds 11 and 12 asked the same clips %v", s, a.Asked)
		}
		// Same seed, same initial clips, whichever the strategy.
		if !slices.Equal(a.Rounds[0].Chosen, run(active.Entropy, 11).Rounds[0].Chosen) {
			t.Errorf("%v: initial clips depend on the strategy", s)
		}
	}
}

func TestColdStartFallsBackToRandom(t *testing.T) {
	// Every initial clip is class 0: no classifier can be trained until a class-1 answer
	// arrives, so the rounds before it choose at random and say so.
	probs := make([][]float32, 40)
	labels := make([]int, 40)
	for i := range probs {
		probs[i] = []float32{0.5, 0.5}
		if i >= 30 {
			labels[i] = 1
		}
	}
	oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := active.Run(context.Background(), active.Pool{Embeddings: probs}, oracle, active.Options{
		Strategy: active.Margin, NewClassifier: func() active.Classifier { return lookup{} },
		NumClasses: 2, BatchSize: 2, Rounds: 10, Initial: []int{0, 1, 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.Rounds[0].Trained || !math.IsNaN(h.Rounds[0].Accuracy) {
		t.Errorf("round 0 with one class: Trained %v, accuracy %v; want false, NaN", h.Rounds[0].Trained, h.Rounds[0].Accuracy)
	}
	sawClass1 := false
	for _, r := range h.Rounds[1:] {
		if r.ColdStart == sawClass1 {
			t.Errorf("round %d: ColdStart %v, but a class-1 answer came before it: %v", r.Round, r.ColdStart, sawClass1)
		}
		if r.ColdStart && !math.IsNaN(r.Scores[0]) {
			t.Errorf("round %d: a cold-start choice has score %v, want NaN", r.Round, r.Scores[0])
		}
		sawClass1 = sawClass1 || slices.Contains(r.Answers, 1)
	}
	if !sawClass1 {
		t.Error("no class-1 clip found in 20 random picks from 37 with 10 of class 1; seed the test differently")
	}
}

func TestItemsCarryKeysAndClips(t *testing.T) {
	pool := active.Pool{
		Embeddings:   [][]float32{{1, 0}, {0, 1}, {0.5, 0.5}},
		Keys:         []embed.Key{{File: "a.wav", StartSeconds: 0, EndSeconds: 3}, {File: "a.wav", StartSeconds: 3, EndSeconds: 6}, {File: "b.wav", StartSeconds: 0, EndSeconds: 3}},
		Clips:        [][]float32{{1}, {2}, {3}},
		SampleRateHz: 16000,
	}
	var got []active.Item
	oracle := oracleFunc(func(items []active.Item) []active.Answer {
		got = append(got, items...)
		answers := make([]active.Answer, len(items))
		for k, it := range items {
			answers[k] = active.Answer(it.Index % 2)
		}
		return answers
	})
	_, err := active.Run(context.Background(), pool, oracle, active.Options{
		Strategy: active.Margin, NewClassifier: func() active.Classifier { return lookup{} },
		NumClasses: 2, BatchSize: 1, Rounds: 1, Initial: []int{0, 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	last := got[2]
	if last.Index != 2 || last.Key != pool.Keys[2] || last.Samples[0] != 3 || last.SampleRateHz != 16000 || last.Score != 0 {
		t.Errorf("round 1 asked %+v; want clip 2 with its key, samples, rate and margin 0", last)
	}
}

type oracleFunc func(items []active.Item) []active.Answer

func (f oracleFunc) Label(_ context.Context, items []active.Item) ([]active.Answer, error) {
	return f(items), nil
}

func TestBadOptions(t *testing.T) {
	emb := [][]float32{{0, 1}, {1, 0}, {1, 1}}
	good := active.Options{Strategy: active.Margin, NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 1, Rounds: 1, InitialRandom: 2}
	oracle, err := active.NewSimulatedOracle([]int{0, 1, 1}, 2, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pool   active.Pool
		change func(o *active.Options)
		want   string
	}{
		{"no strategy", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Strategy = 0 }, "Strategy is not set"},
		{"unknown strategy", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Strategy = 9 }, "unknown Options.Strategy 9"},
		{"no classifier", active.Pool{Embeddings: emb}, func(o *active.Options) { o.NewClassifier = nil }, "NewClassifier is nil"},
		{"one class", active.Pool{Embeddings: emb}, func(o *active.Options) { o.NumClasses = 1 }, "NumClasses is 1"},
		{"target outside", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Target = 2 }, "Target is 2"},
		{"batch 0", active.Pool{Embeddings: emb}, func(o *active.Options) { o.BatchSize = 0 }, "BatchSize is 0"},
		{"negative rounds", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Rounds = -1 }, "Rounds is -1"},
		{"no initial", active.Pool{Embeddings: emb}, func(o *active.Options) { o.InitialRandom = 0 }, "no initial clips"},
		{"too many initial", active.Pool{Embeddings: emb}, func(o *active.Options) { o.InitialRandom = 4 }, "InitialRandom is 4"},
		{"initial outside", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Initial = []int{0, 3} }, "index 3, outside the pool of 3"},
		{"initial twice", active.Pool{Embeddings: emb}, func(o *active.Options) { o.Initial = []int{1, 1} }, "index 1 twice"},
		{"empty pool", active.Pool{}, func(o *active.Options) {}, "no embeddings"},
		{"ragged pool", active.Pool{Embeddings: [][]float32{{0, 1}, {1}}}, func(o *active.Options) {}, "embedding 1 has 1 dimensions"},
		{"NaN in pool", active.Pool{Embeddings: [][]float32{{0, 1}, {float32(math.NaN()), 0}}}, func(o *active.Options) {}, "embedding 1 has NaN at dimension 0"},
		{"keys", active.Pool{Embeddings: emb, Keys: make([]embed.Key, 2)}, func(o *active.Options) {}, "2 keys for 3 embeddings"},
		{"clips without rate", active.Pool{Embeddings: emb, Clips: make([][]float32, 3)}, func(o *active.Options) {}, "SampleRateHz is 0"},
		{"eval sizes", active.Pool{Embeddings: emb}, func(o *active.Options) {
			o.Eval = &active.EvalSet{Embeddings: emb, Labels: []int{0}}
		}, "3 embeddings and 1 labels"},
		{"eval dims", active.Pool{Embeddings: emb}, func(o *active.Options) {
			o.Eval = &active.EvalSet{Embeddings: [][]float32{{1, 2, 3}}, Labels: []int{0}}
		}, "3 dimensions, the pool's 2"},
		{"eval label", active.Pool{Embeddings: emb}, func(o *active.Options) {
			o.Eval = &active.EvalSet{Embeddings: emb, Labels: []int{0, 1, 2}}
		}, "evaluation label 2 of clip 2 is outside [0, 2)"},
	}
	for _, tc := range tests {
		o := good
		tc.change(&o)
		_, err := active.Run(context.Background(), tc.pool, oracle, o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := active.Run(context.Background(), active.Pool{Embeddings: emb}, nil, good); err == nil || !strings.Contains(err.Error(), "SimulatedOracle") {
		t.Errorf("nil oracle: error %v, want one pointing at SimulatedOracle", err)
	}
}

func TestOracleFailuresStopTheLoop(t *testing.T) {
	emb := [][]float32{{0, 1}, {1, 0}, {1, 1}, {0, 0}}
	o := active.Options{Strategy: active.Random, NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 1, Rounds: 2, Initial: []int{0, 1}}
	boom := errors.New("boom")
	tests := []struct {
		name   string
		oracle active.Oracle
		want   string
	}{
		{"error", errOracle{boom}, "round 0: oracle: boom"},
		{"short", oracleFunc(func([]active.Item) []active.Answer { return []active.Answer{0} }), "1 answers for 2 clips"},
		{"class outside", oracleFunc(func(items []active.Item) []active.Answer {
			a := make([]active.Answer, len(items))
			a[0] = 5
			return a
		}), "answered 5 for clip 0"},
	}
	for _, tc := range tests {
		_, err := active.Run(context.Background(), active.Pool{Embeddings: emb}, tc.oracle, o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	_, err := active.Run(context.Background(), active.Pool{Embeddings: emb}, errOracle{boom}, o)
	if !errors.Is(err, boom) {
		t.Errorf("oracle error not wrapped: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	oracle, _ := active.NewSimulatedOracle([]int{0, 1, 0, 1}, 2, active.Noise{})
	if _, err := active.Run(ctx, active.Pool{Embeddings: emb}, oracle, o); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: error %v, want context.Canceled", err)
	}
}

type errOracle struct{ err error }

func (e errOracle) Label(context.Context, []active.Item) ([]active.Answer, error) { return nil, e.err }
