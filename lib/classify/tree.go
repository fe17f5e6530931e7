package classify

import (
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

const (
	kindTree   = "tree"
	kindForest = "forest"
)

// TreeOptions configures a DecisionTree, and each tree of a RandomForest.
type TreeOptions struct {
	// MaxDepth bounds the depth (root = depth 0); 0 means unbounded.
	MaxDepth int
	// MinSamplesLeaf is the least number of training examples in a leaf; 0
	// means 1.
	MinSamplesLeaf int
}

// ForestOptions configures a RandomForest.
type ForestOptions struct {
	TreeOptions
	// Trees is the number of trees; 0 means 100.
	Trees int
	// MaxFeatures is the number of features drawn at random at each split; 0
	// means √features (scikit-learn's "sqrt").
	MaxFeatures int
	// Seed fixes the bootstrap samples and the feature draws.
	Seed uint64
}

// treeNode is one node of a fitted tree; a leaf has Feature < 0.
type treeNode struct {
	Feature     int
	Threshold   float64 // Go left when the standardized feature ≤ Threshold.
	Left, Right int
	Value       []float32 // Class fractions of the training examples here (leaves only).
}

// cart is one fitted CART tree, nodes in depth-first order, root first.
type cart struct {
	Nodes []treeNode
}

// treeBuilder grows CART trees (Gini impurity) on standardized rows.
type treeBuilder struct {
	z           []float64 // n × d
	d           int
	y           []int // Class of each example.
	k           int
	maxDepth    int
	minLeaf     int
	maxFeatures int // < d: random subset per node.
	rng         *rand.Rand
	sorted      []int
	features    []int
	nodes       []treeNode
}

func (b *treeBuilder) grow(rows []int) cart {
	b.nodes = nil
	b.sorted = make([]int, len(rows))
	b.features = make([]int, b.d)
	for i := range b.features {
		b.features[i] = i
	}
	b.node(rows, 0)
	return cart{Nodes: b.nodes}
}

// node adds the subtree over rows and returns its index.
func (b *treeBuilder) node(rows []int, depth int) int {
	idx := len(b.nodes)
	b.nodes = append(b.nodes, treeNode{Feature: -1})
	counts := make([]float64, b.k)
	for _, r := range rows {
		counts[b.y[r]]++
	}
	n := float64(len(rows))
	pure := false
	for _, c := range counts {
		if c == n {
			pure = true
		}
	}
	leaf := func() int {
		v := make([]float32, b.k)
		for c := range v {
			v[c] = float32(counts[c] / n)
		}
		b.nodes[idx].Value = v
		return idx
	}
	if pure || (b.maxDepth > 0 && depth >= b.maxDepth) || len(rows) < 2*b.minLeaf {
		return leaf()
	}
	// Candidate features: all, or a random subset (partial Fisher–Yates).
	candidates := b.features
	if b.maxFeatures < b.d {
		for i := 0; i < b.maxFeatures; i++ {
			j := i + b.rng.IntN(b.d-i)
			b.features[i], b.features[j] = b.features[j], b.features[i]
		}
		candidates = slices.Clone(b.features[:b.maxFeatures])
	}
	bestScore, bestFeature, bestThreshold := math.Inf(-1), -1, 0.0
	left := make([]float64, b.k)
	sorted := b.sorted[:len(rows)]
	for _, f := range candidates {
		copy(sorted, rows)
		slices.SortFunc(sorted, func(i, j int) int {
			vi, vj := b.z[i*b.d+f], b.z[j*b.d+f]
			switch {
			case vi < vj:
				return -1
			case vi > vj:
				return 1
			}
			return i - j
		})
		if b.z[sorted[0]*b.d+f] == b.z[sorted[len(sorted)-1]*b.d+f] {
			continue // Constant here.
		}
		// Maximize Σ left²/nl + Σ right²/nr, i.e. minimize the weighted Gini.
		clear(left)
		var sumLeft2, sumRight2 float64
		for _, c := range counts {
			sumRight2 += c * c
		}
		for i := 1; i < len(sorted); i++ {
			c := b.y[sorted[i-1]]
			right := counts[c] - left[c]
			sumLeft2 += 2*left[c] + 1
			sumRight2 -= 2*right - 1
			left[c]++
			if i < b.minLeaf || len(sorted)-i < b.minLeaf {
				continue
			}
			v0, v1 := b.z[sorted[i-1]*b.d+f], b.z[sorted[i]*b.d+f]
			if v0 == v1 {
				continue
			}
			nl := float64(i)
			score := sumLeft2/nl + sumRight2/(n-nl)
			if score > bestScore+1e-12 {
				bestScore, bestFeature, bestThreshold = score, f, v0/2+v1/2
				if bestThreshold == v1 { // Rounding: keep v0 ≤ t < v1.
					bestThreshold = v0
				}
			}
		}
	}
	if bestFeature < 0 {
		return leaf()
	}
	var lrows, rrows []int
	for _, r := range rows {
		if b.z[r*b.d+bestFeature] <= bestThreshold {
			lrows = append(lrows, r)
		} else {
			rrows = append(rrows, r)
		}
	}
	b.nodes[idx].Feature, b.nodes[idx].Threshold = bestFeature, bestThreshold
	l := b.node(lrows, depth+1)
	r := b.node(rrows, depth+1)
	b.nodes[idx].Left, b.nodes[idx].Right = l, r
	return idx
}

// leaf returns the values of the leaf row z falls in.
func (t *cart) leaf(z []float64) []float32 {
	i := 0
	for t.Nodes[i].Feature >= 0 {
		if z[t.Nodes[i].Feature] <= t.Nodes[i].Threshold {
			i = t.Nodes[i].Left
		} else {
			i = t.Nodes[i].Right
		}
	}
	return t.Nodes[i].Value
}

// numWeights: 2 per split (feature and threshold), the class fractions per leaf.
func (t *cart) numWeights() int {
	n := 0
	for _, nd := range t.Nodes {
		if nd.Feature >= 0 {
			n += 2
		} else {
			n += len(nd.Value)
		}
	}
	return n
}

// treeTargets returns the problems trees solve for y: one k-class problem for
// single labels, or k binary problems (one-vs-rest) for multi-hot labels.
func treeTargets(y dataset.Labels) (targets [][]int, classes int) {
	if !y.IsMulti() {
		return [][]int{y.Index}, y.NumClasses
	}
	targets = make([][]int, y.NumClasses)
	for c := range targets {
		targets[c] = make([]int, y.Len())
		for i := range targets[c] {
			targets[c][i] = y.Hot[i][c]
		}
	}
	return targets, 2
}

// treesState is a fitted tree or forest: Trees[m][p] is member m's tree for
// problem p (one problem for single labels, one per class for multi-label).
type treesState struct {
	Header  header
	Options ForestOptions
	Trees   [][]cart
}

// withDefaults returns o with its zero fields set to their documented
// defaults: MinSamplesLeaf 1.
func (o TreeOptions) withDefaults() TreeOptions {
	if o.MinSamplesLeaf == 0 {
		o.MinSamplesLeaf = 1
	}
	return o
}

// withDefaults returns o with its zero fields set to their documented
// defaults, but for MaxFeatures', which depends on the features
// (forFeatures): the tree's, and 100 Trees.
func (o ForestOptions) withDefaults() ForestOptions {
	o.TreeOptions = o.TreeOptions.withDefaults()
	if o.Trees == 0 {
		o.Trees = 100
	}
	return o
}

// forFeatures returns o with the defaults that depend on the number of
// features d filled in, at Fit: MaxFeatures ⌊√d⌋ (at least 1; at most d,
// whatever was asked).
func (o ForestOptions) forFeatures(d int) ForestOptions {
	if o.MaxFeatures == 0 {
		o.MaxFeatures = max(1, int(math.Sqrt(float64(d))))
	}
	o.MaxFeatures = min(o.MaxFeatures, d)
	return o
}

// fitTrees grows members trees (bootstrap when forest) in parallel; o has its
// defaults (ForestOptions.withDefaults for a forest, TreeOptions' for a tree).
func fitTrees(x [][]float32, y dataset.Labels, o ForestOptions, forest bool) (*treesState, error) {
	h, err := begin(x, y)
	if err != nil {
		return nil, err
	}
	if o.MaxDepth < 0 || o.MinSamplesLeaf < 0 || o.Trees < 0 || o.MaxFeatures < 0 {
		return nil, fmt.Errorf("classify: tree options must be ≥ 0 (%+v): %w", o, ErrInput)
	}
	d := h.NumFeatures
	maxFeatures, members := d, 1
	if forest {
		o = o.forFeatures(d)
		maxFeatures, members = o.MaxFeatures, o.Trees
	}
	z := h.Scaler.transform(x)
	targets, classes := treeTargets(y)
	st := &treesState{Header: h, Options: o, Trees: make([][]cart, members)}
	n := len(x)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), members); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				rng := rand.New(rand.NewPCG(o.Seed, uint64(m)))
				rows := make([]int, n)
				for i := range rows {
					rows[i] = i
					if forest {
						rows[i] = rng.IntN(n)
					}
				}
				st.Trees[m] = make([]cart, len(targets))
				for p, target := range targets {
					b := &treeBuilder{z: z, d: d, y: target, k: classes, maxDepth: o.MaxDepth,
						minLeaf: o.MinSamplesLeaf, maxFeatures: maxFeatures, rng: rng}
					st.Trees[m][p] = b.grow(rows)
				}
			}
		}()
	}
	for m := 0; m < members; m++ {
		work <- m
	}
	close(work)
	wg.Wait()
	return st, nil
}

// proba averages the members' leaf values.
func (st *treesState) proba(x [][]float32) [][]float32 {
	h := st.Header
	z := h.Scaler.transform(x)
	d, k := h.NumFeatures, h.NumClasses
	out := make([][]float32, len(x))
	scale := 1 / float64(len(st.Trees))
	for i := range x {
		row := z[i*d : (i+1)*d]
		acc := make([]float64, k)
		for _, member := range st.Trees {
			if h.Multi {
				for c := range member {
					acc[c] += float64(member[c].leaf(row)[1])
				}
				continue
			}
			for c, v := range member[0].leaf(row) {
				acc[c] += float64(v)
			}
		}
		out[i] = make([]float32, k)
		for c := range acc {
			out[i][c] = float32(acc[c] * scale)
		}
	}
	return out
}

func (st *treesState) numWeights() int {
	if st == nil {
		return 0
	}
	n := 0
	for _, member := range st.Trees {
		for _, t := range member {
			n += t.numWeights()
		}
	}
	return n
}

// DecisionTree is a CART classification tree: binary splits on one feature
// at a time chosen by the Gini impurity (threshold halfway between training
// values, as scikit-learn), leaves holding the training class fractions.
// Multi-hot labels get one binary tree per class (one-vs-rest).
// NumWeights counts 2 per split (feature, threshold) and the class fractions
// of each leaf.
type DecisionTree struct {
	opts TreeOptions
	m    *treesState
}

// NewDecisionTree returns an unfitted decision tree.
func NewDecisionTree(o TreeOptions) *DecisionTree { return &DecisionTree{opts: o.withDefaults()} }

// Name implements Classifier.
func (t *DecisionTree) Name() string {
	if t.opts.MaxDepth > 0 {
		return fmt.Sprintf("decision tree (max depth %d)", t.opts.MaxDepth)
	}
	return "decision tree"
}

func (t *DecisionTree) fitted() *header {
	if t.m == nil {
		return nil
	}
	return &t.m.Header
}

func (t *DecisionTree) kind() string { return kindTree }

// Fit implements Classifier.
func (t *DecisionTree) Fit(x [][]float32, y dataset.Labels) error {
	st, err := fitTrees(x, y, ForestOptions{TreeOptions: t.opts}, false)
	if err != nil {
		return err
	}
	t.m = st
	return nil
}

// Depth is the depth of the fitted tree (of the deepest, for multi-label).
func (t *DecisionTree) Depth() int {
	if t.m == nil {
		return 0
	}
	deepest := 0
	for _, tree := range t.m.Trees[0] {
		var walk func(i, depth int)
		walk = func(i, depth int) {
			deepest = max(deepest, depth)
			if nd := tree.Nodes[i]; nd.Feature >= 0 {
				walk(nd.Left, depth+1)
				walk(nd.Right, depth+1)
			}
		}
		walk(0, 0)
	}
	return deepest
}

// NumWeights implements Classifier.
func (t *DecisionTree) NumWeights() int { return t.m.numWeights() }

// PredictProba implements Classifier: the training class fractions of the leaf.
func (t *DecisionTree) PredictProba(x [][]float32) ([][]float32, error) {
	h := t.fitted()
	if err := h.check(x, t.Name()); err != nil {
		return nil, err
	}
	return t.m.proba(x), nil
}

// Predict implements Classifier.
func (t *DecisionTree) Predict(x [][]float32) (dataset.Labels, error) {
	return predictFromProba(t, x)
}

// Save implements Classifier.
func (t *DecisionTree) Save(path string) error {
	return saveFitted(t, path)
}

func (t *DecisionTree) encodeState() (any, error) { return t.m, nil }

func (t *DecisionTree) decodeState(dec *gob.Decoder) error {
	var st treesState
	if err := dec.Decode(&st); err != nil {
		return err
	}
	t.m, t.opts = &st, st.Options.TreeOptions
	return nil
}

// RandomForest averages the class fractions of many CART trees, each grown
// on a bootstrap sample of the training examples with a random subset of
// features tried at each split (Breiman's forest, as scikit-learn's
// RandomForestClassifier). Trees grow in parallel; the result depends only on
// the seed. Multi-hot labels get one forest of binary trees per class.
// NumWeights sums the trees' (see DecisionTree).
type RandomForest struct {
	opts ForestOptions
	m    *treesState
}

// NewRandomForest returns an unfitted random forest.
func NewRandomForest(o ForestOptions) *RandomForest { return &RandomForest{opts: o.withDefaults()} }

// Name implements Classifier.
func (f *RandomForest) Name() string {
	return fmt.Sprintf("random forest (%d trees)", f.opts.Trees)
}

func (f *RandomForest) fitted() *header {
	if f.m == nil {
		return nil
	}
	return &f.m.Header
}

func (f *RandomForest) kind() string { return kindForest }

// Fit implements Classifier.
func (f *RandomForest) Fit(x [][]float32, y dataset.Labels) error {
	st, err := fitTrees(x, y, f.opts, true)
	if err != nil {
		return err
	}
	f.m = st
	return nil
}

// NumWeights implements Classifier.
func (f *RandomForest) NumWeights() int { return f.m.numWeights() }

// PredictProba implements Classifier: the mean over trees of the leaf class fractions.
func (f *RandomForest) PredictProba(x [][]float32) ([][]float32, error) {
	h := f.fitted()
	if err := h.check(x, f.Name()); err != nil {
		return nil, err
	}
	return f.m.proba(x), nil
}

// Predict implements Classifier.
func (f *RandomForest) Predict(x [][]float32) (dataset.Labels, error) {
	return predictFromProba(f, x)
}

// Save implements Classifier.
func (f *RandomForest) Save(path string) error {
	return saveFitted(f, path)
}

func (f *RandomForest) encodeState() (any, error) { return f.m, nil }

func (f *RandomForest) decodeState(dec *gob.Decoder) error {
	var st treesState
	if err := dec.Decode(&st); err != nil {
		return err
	}
	f.m, f.opts = &st, st.Options
	return nil
}
