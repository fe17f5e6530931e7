package active

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Classifier is the shallow model the loop refits every round: Fit trains on embeddings x
// (one row per clip) with class indices y, and PredictProba returns, for each row of x,
// one probability per class index 0…K−1 (K ≥ max(y)+1 of the last Fit).
type Classifier interface {
	Fit(x [][]float32, y []int) error
	PredictProba(x [][]float32) ([][]float32, error)
}

// Oracle answers questions about clips: for each item, the clip's class, or Yes/No in
// YesNo mode, or Unsure. It returns one Answer per item, in order. A person in a
// notebook (activeui.NotebookOracle) and SimulatedOracle are oracles.
type Oracle interface {
	Label(ctx context.Context, items []Item) ([]Answer, error)
}

// Answer is an oracle's reply about one clip: a class index ≥ 0, or Unsure. In YesNo
// mode it is Yes or No.
type Answer int

const (
	// Unsure sets the clip aside: it is not asked again and not used for training.
	Unsure Answer = -1
	// No says the clip is not of the target class (YesNo mode); it is class 0 of the
	// binary classifier.
	No Answer = 0
	// Yes says the clip is of the target class (YesNo mode); it is class 1 of the
	// binary classifier.
	Yes Answer = 1
)

// Pool is the set of clips to choose from. Embeddings is required; Keys and Clips are
// optional (nil, or one entry per clip) and only travel to the oracle for display.
type Pool struct {
	// Embeddings[i] is clip i's embedding; all rows have the same length.
	Embeddings [][]float32
	// Keys[i] says where clip i comes from (optional).
	Keys []embed.Key
	// Clips[i] is clip i's mono samples, for playing and drawing (optional).
	Clips [][]float32
	// SampleRateHz is the sample rate of Clips.
	SampleRateHz int
}

// Item is one clip put to the oracle.
type Item struct {
	// Index is the clip's index in the pool.
	Index int
	// Key says where the clip comes from (zero when the pool has no keys).
	Key embed.Key
	// Samples are the clip's samples (nil when the pool has no clips), at SampleRateHz.
	Samples      []float32
	SampleRateHz int
	// Score is the selection score that chose the clip: the margin (Margin), entropy in nats
	// (Entropy), probability of the target (TopScore); NaN for random choices.
	Score float64
}

// Strategy chooses which clips to ask about next.
type Strategy int

const (
	// Margin asks about the clips with the smallest gap between the two most probable
	// classes.
	Margin Strategy = iota + 1
	// Entropy asks about the clips with the largest entropy of the predicted distribution.
	Entropy
	// TopScore asks about the clips with the highest probability of Options.Target (of Yes
	// in YesNo mode).
	TopScore
	// Random asks about clips drawn uniformly at random: the baseline.
	Random
)

// String names the strategy as the plots' legends do.
func (s Strategy) String() string {
	switch s {
	case Margin:
		return "margin"
	case Entropy:
		return "entropy"
	case TopScore:
		return "top score"
	case Random:
		return "random"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// EvalSet is held-out data with true class indices, for measuring each round's classifier.
type EvalSet struct {
	Embeddings [][]float32
	Labels     []int
}

// Options configures Run.
type Options struct {
	// Strategy chooses the clips each round (required).
	Strategy Strategy
	// NewClassifier makes a fresh, untrained classifier; it is called once per round
	// (required).
	NewClassifier func() Classifier
	// NumClasses is the number of classes (≥ 2) the oracle answers with; ignored in
	// YesNo mode, where it is 2 (No, Yes).
	NumClasses int
	// YesNo makes the task binary: the oracle answers Yes or No to "is this clip of class
	// Target?" and the classifier learns No (0) and Yes (1). Any strategy works in this
	// mode; TopScore with YesNo is "find more of species X".
	YesNo bool
	// Target is the class to find, as a class index of the evaluation labels: TopScore
	// asks about the clips most probably of it, and Round.Recall and Round.Found count it.
	Target int
	// BatchSize is the number of clips asked per round (≥ 1).
	BatchSize int
	// Rounds is the number of rounds after the initial one (≥ 0). Run stops early when
	// every clip has been asked.
	Rounds int
	// Initial lists pool indices to ask first, in round 0: the few labels a person starts
	// from (PickPerClass picks some per class). When empty, round 0 asks InitialRandom
	// clips drawn at random.
	Initial []int
	// InitialRandom is the number of random clips round 0 asks when Initial is empty.
	InitialRandom int
	// Seed seeds random selection (Random, the random initial clips, cold starts).
	Seed uint64
	// Eval is the held-out set each round's classifier is measured on (optional).
	Eval *EvalSet
}

// Round records the state after one round: what was asked, and how the classifier
// trained on every answer so far does on the evaluation set.
type Round struct {
	// Round is 0 for the initial clips, then 1, 2, ….
	Round int
	// Chosen are the pool indices asked this round, in the order asked, and Answers the
	// oracle's answers to them.
	Chosen  []int
	Answers []Answer
	// Scores are the selection scores of Chosen (see Item.Score).
	Scores []float64
	// ColdStart is true when the round chose at random because the answers before it held
	// fewer than two classes.
	ColdStart bool
	// LabelsSpent is the number of clips asked so far, Unsure answers included.
	LabelsSpent int
	// Labelled is the number of answers used for training so far (LabelsSpent − Unsure).
	Labelled int
	// Unsure is the number of Unsure answers so far.
	Unsure int
	// Found is the number of answers so far that were Options.Target (Yes in YesNo mode),
	// as the oracle gave them (a noisy oracle's wrong answers included).
	Found int
	// Trained is false when no classifier could be trained after this round (fewer than
	// two classes so far); the metrics are then NaN.
	Trained bool
	// Accuracy is the classifier's accuracy on the evaluation set: of the argmax class, or
	// in YesNo mode of the Yes/No decision at probability 0.5. NaN without an evaluation
	// set.
	Accuracy float64
	// Recall is the fraction of the evaluation set's clips of class Options.Target that the
	// classifier finds (argmax, or Yes probability ≥ 0.5 in YesNo mode); NaN without an
	// evaluation set or when it holds no such clip.
	Recall float64
}

// History is the record of one Run.
type History struct {
	Strategy Strategy
	Seed     uint64
	Rounds   []Round
	// Asked lists every pool index asked, in order, and Answers the oracle's replies.
	Asked   []int
	Answers []Answer
}

func (o *Options) check(pool Pool) error {
	switch o.Strategy {
	case Margin, Entropy, TopScore, Random:
	case 0:
		return errors.New("active: Options.Strategy is not set (Margin, Entropy, TopScore or Random)")
	default:
		return fmt.Errorf("active: unknown Options.Strategy %d", int(o.Strategy))
	}
	if o.NewClassifier == nil {
		return errors.New("active: Options.NewClassifier is nil: give a function that returns a fresh classifier")
	}
	n := len(pool.Embeddings)
	if n == 0 {
		return errors.New("active: the pool has no embeddings")
	}
	if err := checkRows("pool", pool.Embeddings); err != nil {
		return err
	}
	if pool.Keys != nil && len(pool.Keys) != n {
		return fmt.Errorf("active: the pool has %d keys for %d embeddings", len(pool.Keys), n)
	}
	if pool.Clips != nil {
		if len(pool.Clips) != n {
			return fmt.Errorf("active: the pool has %d clips for %d embeddings", len(pool.Clips), n)
		}
		if pool.SampleRateHz <= 0 {
			return fmt.Errorf("active: the pool has clips but SampleRateHz is %d", pool.SampleRateHz)
		}
	}
	if !o.YesNo {
		if o.NumClasses < 2 {
			return fmt.Errorf("active: Options.NumClasses is %d; need at least 2 (or set YesNo)", o.NumClasses)
		}
		if o.Target < 0 || o.Target >= o.NumClasses {
			return fmt.Errorf("active: Options.Target is %d; need a class in [0, %d)", o.Target, o.NumClasses)
		}
	} else if o.Target < 0 {
		return fmt.Errorf("active: Options.Target is %d; need a class index ≥ 0", o.Target)
	}
	if o.BatchSize < 1 {
		return fmt.Errorf("active: Options.BatchSize is %d; need at least 1", o.BatchSize)
	}
	if o.Rounds < 0 {
		return fmt.Errorf("active: Options.Rounds is %d; need 0 or more", o.Rounds)
	}
	if o.InitialRandom < 0 || o.InitialRandom > n {
		return fmt.Errorf("active: Options.InitialRandom is %d; need 0 to %d (the pool's size)", o.InitialRandom, n)
	}
	if len(o.Initial) == 0 && o.InitialRandom == 0 {
		return errors.New("active: no initial clips: set Options.Initial or Options.InitialRandom")
	}
	seen := make(map[int]bool, len(o.Initial))
	for _, i := range o.Initial {
		if i < 0 || i >= n {
			return fmt.Errorf("active: Options.Initial holds index %d, outside the pool of %d clips", i, n)
		}
		if seen[i] {
			return fmt.Errorf("active: Options.Initial holds index %d twice", i)
		}
		seen[i] = true
	}
	if o.Eval != nil {
		if len(o.Eval.Embeddings) == 0 || len(o.Eval.Embeddings) != len(o.Eval.Labels) {
			return fmt.Errorf("active: the evaluation set has %d embeddings and %d labels; need the same, non-zero number",
				len(o.Eval.Embeddings), len(o.Eval.Labels))
		}
		if err := checkRows("evaluation set", o.Eval.Embeddings); err != nil {
			return err
		}
		if len(o.Eval.Embeddings[0]) != len(pool.Embeddings[0]) {
			return fmt.Errorf("active: evaluation embeddings have %d dimensions, the pool's %d",
				len(o.Eval.Embeddings[0]), len(pool.Embeddings[0]))
		}
		for i, y := range o.Eval.Labels {
			if y < 0 || (!o.YesNo && y >= o.NumClasses) {
				return fmt.Errorf("active: evaluation label %d of clip %d is outside [0, %d)", y, i, o.NumClasses)
			}
		}
	}
	return nil
}

func checkRows(what string, rows [][]float32) error {
	d := len(rows[0])
	if d == 0 {
		return fmt.Errorf("active: %s embedding 0 is empty", what)
	}
	for i, row := range rows {
		if len(row) != d {
			return fmt.Errorf("active: %s embedding %d has %d dimensions, embedding 0 has %d", what, i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("active: %s embedding %d has %v at dimension %d", what, i, v, j)
			}
		}
	}
	return nil
}

// Run runs the active-learning loop on pool with oracle and returns the record of every
// round. It stops with an error when the oracle or the classifier fails or ctx is done,
// returning the rounds completed so far along with the error.
func Run(ctx context.Context, pool Pool, oracle Oracle, o Options) (*History, error) {
	if err := o.check(pool); err != nil {
		return nil, err
	}
	if oracle == nil {
		return nil, errors.New("active: the oracle is nil (use SimulatedOracle for a headless run)")
	}
	numClasses, targetColumn := o.NumClasses, o.Target
	if o.YesNo {
		numClasses, targetColumn = 2, int(Yes)
	}
	n := len(pool.Embeddings)
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed_ac7e))
	h := &History{Strategy: o.Strategy, Seed: o.Seed}
	asked := make([]bool, n)
	var trainX [][]float32
	var trainY []int
	classSeen := make([]bool, numClasses)
	var unsure, found int

	// ask puts chosen to the oracle and records the round.
	ask := func(round int, chosen []int, scores []float64, coldStart bool) error {
		items := make([]Item, len(chosen))
		for k, i := range chosen {
			items[k] = pool.item(i, scores[k])
		}
		answers, err := oracle.Label(ctx, items)
		if err != nil {
			return fmt.Errorf("active: round %d: oracle: %w", round, err)
		}
		if len(answers) != len(items) {
			return fmt.Errorf("active: round %d: the oracle gave %d answers for %d clips", round, len(answers), len(items))
		}
		for k, a := range answers {
			i := chosen[k]
			asked[i] = true
			h.Asked = append(h.Asked, i)
			h.Answers = append(h.Answers, a)
			switch {
			case a == Unsure:
				unsure++
				continue
			case a < 0 || int(a) >= numClasses:
				return fmt.Errorf("active: round %d: the oracle answered %d for clip %d; want Unsure or a class in [0, %d)",
					round, a, i, numClasses)
			}
			if int(a) == targetColumn {
				found++
			}
			trainX = append(trainX, pool.Embeddings[i])
			trainY = append(trainY, int(a))
			classSeen[a] = true
		}
		h.Rounds = append(h.Rounds, Round{
			Round: round, Chosen: chosen, Answers: answers, Scores: scores, ColdStart: coldStart,
			LabelsSpent: len(h.Asked), Labelled: len(trainY), Unsure: unsure, Found: found,
			Accuracy: math.NaN(), Recall: math.NaN(),
		})
		return nil
	}

	// Round 0: the initial clips.
	initial := slices.Clone(o.Initial)
	if len(initial) == 0 {
		initial = rng.Perm(n)[:o.InitialRandom]
	}
	if err := ask(0, initial, nanScores(len(initial)), false); err != nil {
		return h, err
	}
	model, err := train(o, trainX, trainY, classSeen)
	if err != nil {
		return h, err
	}
	if err := evaluate(model, o, numClasses, &h.Rounds[0]); err != nil {
		return h, err
	}

	for round := 1; round <= o.Rounds; round++ {
		if err := ctx.Err(); err != nil {
			return h, fmt.Errorf("active: round %d: %w", round, err)
		}
		var candidates []int
		for i := range n {
			if !asked[i] {
				candidates = append(candidates, i)
			}
		}
		if len(candidates) == 0 {
			break
		}
		k := min(o.BatchSize, len(candidates))
		var chosen []int
		var scores []float64
		coldStart := model == nil && o.Strategy != Random
		if model == nil || o.Strategy == Random {
			perm := rng.Perm(len(candidates))[:k]
			for _, p := range perm {
				chosen = append(chosen, candidates[p])
			}
			scores = nanScores(k)
		} else {
			chosen, scores, err = choose(model, pool, candidates, o.Strategy, numClasses, targetColumn, k)
			if err != nil {
				return h, fmt.Errorf("active: round %d: %w", round, err)
			}
		}
		if err := ask(round, chosen, scores, coldStart); err != nil {
			return h, err
		}
		if model, err = train(o, trainX, trainY, classSeen); err != nil {
			return h, fmt.Errorf("active: round %d: %w", round, err)
		}
		if err := evaluate(model, o, numClasses, &h.Rounds[len(h.Rounds)-1]); err != nil {
			return h, fmt.Errorf("active: round %d: %w", round, err)
		}
	}
	return h, nil
}

func (p Pool) item(i int, score float64) Item {
	it := Item{Index: i, Score: score}
	if p.Keys != nil {
		it.Key = p.Keys[i]
	}
	if p.Clips != nil {
		it.Samples, it.SampleRateHz = p.Clips[i], p.SampleRateHz
	}
	return it
}

func nanScores(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// train fits a fresh classifier on the answers so far, or returns nil when they hold fewer
// than two classes.
func train(o Options, x [][]float32, y []int, classSeen []bool) (Classifier, error) {
	classes := 0
	for _, seen := range classSeen {
		if seen {
			classes++
		}
	}
	if classes < 2 {
		return nil, nil
	}
	c := o.NewClassifier()
	if c == nil {
		return nil, errors.New("active: Options.NewClassifier returned nil")
	}
	if err := c.Fit(x, y); err != nil {
		return nil, fmt.Errorf("active: fitting the classifier on %d labels: %w", len(y), err)
	}
	return c, nil
}

// probabilities runs c on x and pads every row to numClasses columns.
func probabilities(c Classifier, x [][]float32, numClasses int) ([][]float32, error) {
	p, err := c.PredictProba(x)
	if err != nil {
		return nil, fmt.Errorf("classifier's PredictProba: %w", err)
	}
	if len(p) != len(x) {
		return nil, fmt.Errorf("classifier's PredictProba gave %d rows for %d inputs", len(p), len(x))
	}
	for i, row := range p {
		if len(row) > numClasses {
			return nil, fmt.Errorf("classifier's PredictProba gave %d classes for clip %d; the task has %d", len(row), i, numClasses)
		}
		if len(row) < numClasses {
			padded := make([]float32, numClasses)
			copy(padded, row)
			p[i] = padded
		}
	}
	return p, nil
}

// choose scores the candidates with model and returns the k best, best first, with their
// scores; ties go to the lower pool index.
func choose(model Classifier, pool Pool, candidates []int, s Strategy, numClasses, targetColumn, k int) ([]int, []float64, error) {
	x := make([][]float32, len(candidates))
	for j, i := range candidates {
		x[j] = pool.Embeddings[i]
	}
	p, err := probabilities(model, x, numClasses)
	if err != nil {
		return nil, nil, err
	}
	type scored struct {
		index int
		score float64
	}
	all := make([]scored, len(candidates))
	for j, i := range candidates {
		var v float64
		switch s {
		case Margin:
			v = MarginOf(p[j])
		case Entropy:
			v = EntropyOf(p[j])
		case TopScore:
			v = float64(p[j][targetColumn])
		}
		if math.IsNaN(v) {
			return nil, nil, fmt.Errorf("classifier's probabilities for clip %d give a NaN %v score", i, s)
		}
		all[j] = scored{i, v}
	}
	smallestFirst := s == Margin
	sort.SliceStable(all, func(a, b int) bool {
		if smallestFirst {
			return all[a].score < all[b].score
		}
		return all[a].score > all[b].score
	})
	chosen := make([]int, k)
	scores := make([]float64, k)
	for j := range k {
		chosen[j], scores[j] = all[j].index, all[j].score
	}
	return chosen, scores, nil
}

// MarginOf returns p₁ − p₂, the gap between the largest and second-largest probabilities
// in p (p₁ itself when p has one entry). A small margin means an uncertain classifier.
func MarginOf(p []float32) float64 {
	first, second := math.Inf(-1), math.Inf(-1)
	for _, v := range p {
		x := float64(v)
		switch {
		case x > first:
			first, second = x, first
		case x > second:
			second = x
		}
	}
	if len(p) == 1 {
		return first
	}
	return first - second
}

// EntropyOf returns −Σ pₖ ln pₖ in nats, with 0·ln 0 = 0. It is largest, ln K, when the K
// probabilities are equal.
func EntropyOf(p []float32) float64 {
	h := 0.0
	for _, v := range p {
		if v > 0 {
			h -= float64(v) * math.Log(float64(v))
		}
	}
	return h
}

// evaluate measures model on the evaluation set into r.
func evaluate(model Classifier, o Options, numClasses int, r *Round) error {
	if model == nil {
		return nil
	}
	r.Trained = true
	if o.Eval == nil {
		return nil
	}
	p, err := probabilities(model, o.Eval.Embeddings, numClasses)
	if err != nil {
		return fmt.Errorf("active: evaluating: %w", err)
	}
	correct, positives, hits := 0, 0, 0
	for i, row := range p {
		truth := o.Eval.Labels[i]
		isTarget := truth == o.Target
		var saysTarget bool
		if o.YesNo {
			saysTarget = row[int(Yes)] >= 0.5
			if isTarget == saysTarget {
				correct++
			}
		} else {
			predicted := vec.Argmax(row)
			saysTarget = predicted == o.Target
			if predicted == truth {
				correct++
			}
		}
		if isTarget {
			positives++
			if saysTarget {
				hits++
			}
		}
	}
	r.Accuracy = float64(correct) / float64(len(p))
	if positives > 0 {
		r.Recall = float64(hits) / float64(positives)
	}
	return nil
}

// MustRun is Run for notebook cells: it panics on error.
func MustRun(ctx context.Context, pool Pool, oracle Oracle, o Options) *History {
	h, err := Run(ctx, pool, oracle, o)
	if err != nil {
		panic(err)
	}
	return h
}

// SplitPool makes a labelling experiment from labelled embeddings: the pool holds the
// rows poolRows of embeddings (the clips the loop may ask about), poolLabels their labels
// (what a simulated person answers with, [NewSimulatedOracle]), and the evaluation set the
// rows evalRows with theirs. labels holds one class index per row of embeddings. The rows
// are shared, not copied. A row out of range, or a row in both, is an error.
func SplitPool(embeddings [][]float32, labels []int, poolRows, evalRows []int) (Pool, []int, *EvalSet, error) {
	if len(labels) != len(embeddings) {
		return Pool{}, nil, nil, fmt.Errorf("active: %d embeddings but %d labels", len(embeddings), len(labels))
	}
	inPool := map[int]bool{}
	var pool Pool
	var poolLabels []int
	for _, r := range poolRows {
		if r < 0 || r >= len(embeddings) {
			return Pool{}, nil, nil, fmt.Errorf("active: pool row %d of %d embeddings", r, len(embeddings))
		}
		inPool[r] = true
		pool.Embeddings, poolLabels = append(pool.Embeddings, embeddings[r]), append(poolLabels, labels[r])
	}
	eval := &EvalSet{}
	for _, r := range evalRows {
		if r < 0 || r >= len(embeddings) {
			return Pool{}, nil, nil, fmt.Errorf("active: evaluation row %d of %d embeddings", r, len(embeddings))
		}
		if inPool[r] {
			return Pool{}, nil, nil, fmt.Errorf("active: row %d is both in the pool and in the evaluation set", r)
		}
		eval.Embeddings, eval.Labels = append(eval.Embeddings, embeddings[r]), append(eval.Labels, labels[r])
	}
	return pool, poolLabels, eval, nil
}

// MustSplitPool is SplitPool for notebooks: it panics on error.
func MustSplitPool(embeddings [][]float32, labels []int, poolRows, evalRows []int) (Pool, []int, *EvalSet) {
	pool, poolLabels, eval, err := SplitPool(embeddings, labels, poolRows, evalRows)
	if err != nil {
		panic(err)
	}
	return pool, poolLabels, eval
}
