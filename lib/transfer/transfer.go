package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Method is a way of reusing (or not) a pretrained network for a new task.
type Method string

const (
	// Frozen: the pretrained embeddings, unchanged, and a logistic regression.
	Frozen Method = "frozen"
	// FineTune: the pretrained network, a new classifier, the layers after
	// Options.FineTuneAfter trained with a small learning rate.
	FineTune Method = "finetune"
	// Scratch: the same architecture freshly initialised, every layer trained.
	Scratch Method = "scratch"
)

// Description says in a few words what the method does, for legends.
func (m Method) Description() string {
	switch m {
	case Frozen:
		return "frozen embedding + logistic"
	case FineTune:
		return "fine-tuned"
	case Scratch:
		return "trained from scratch"
	}
	return string(m)
}

// Options configures Run. Zero fields take the defaults in brackets.
type Options struct {
	// Sizes are the training-set sizes, in clips in total over all classes
	// [20, 60, 100, 300, 1000]; SizesFor overrides them for a method.
	Sizes    []int
	SizesFor map[Method][]int
	// Methods are the methods to run, in order [Frozen, FineTune, Scratch].
	Methods []Method
	// Seeds draw the training subsets and seed each method's training [1, 2, 3];
	// SeedsFor overrides them for a method (fewer seeds for a costly one).
	Seeds    []uint64
	SeedsFor map[Method][]uint64
	// TestPerClass clips of every class form the test set [20]; SplitSeed draws
	// them [1].
	TestPerClass int
	SplitSeed    uint64
	// FineTuneAfter names the last frozen layer of FineTune ("stage2" trains the
	// last stage, the embedding and the classifier) [the last stage but one];
	// "input" fine-tunes the whole extractor.
	FineTuneAfter string
	// Epochs, MinSteps and MaxSteps set the training length of FineTune and
	// Scratch: ⌈Epochs·n/BatchSize⌉ steps, clamped to [MinSteps, MaxSteps]
	// [10, 20, 100]. BatchSize is the number of clips per step [32].
	Epochs             float64
	MinSteps, MaxSteps int
	BatchSize          int
	// LearningRate is FineTune's peak rate for the new classifier [1e-2], and
	// FeatureExtractorLR its (smaller) one for the extractor layers that learn
	// [1e-3]. ScratchLR is Scratch's peak rate for every layer [2e-3, the rate
	// birds-v1 was pretrained with].
	LearningRate, FeatureExtractorLR, ScratchLR float64
	// HeadSteps, when > 0, first trains FineTune's new classifier alone for that
	// many steps on the frozen embeddings (at LearningRate, a linear probe: cheap,
	// as no convolution runs), then fine-tunes from there ("LP-FT", Kumar et al.
	// 2022), so fine-tuning starts from a trained classifier instead of a random
	// one [0: fine-tune from the random classifier].
	HeadSteps int
	// LogisticC is the inverse L2 strength of Frozen's logistic regression [1].
	LogisticC float64
	// CacheDir, when set, keeps every row in a file keyed by everything it
	// depends on (see the package doc).
	CacheDir string
	// Progress, when set, gets one line per row.
	Progress io.Writer
}

// withDefaults fills the zero fields (FineTuneAfter only when pretrained is
// not nil).
func (o Options) withDefaults(pretrained *cnn.Model) Options {
	if o.Sizes == nil {
		o.Sizes = []int{20, 60, 100, 300, 1000}
	}
	if o.Methods == nil {
		o.Methods = []Method{Frozen, FineTune, Scratch}
	}
	if o.Seeds == nil {
		o.Seeds = []uint64{1, 2, 3}
	}
	if o.TestPerClass == 0 {
		o.TestPerClass = 20
	}
	if o.SplitSeed == 0 {
		o.SplitSeed = 1
	}
	if o.FineTuneAfter == "" && pretrained != nil {
		names := pretrained.Config().LayerNames()
		o.FineTuneAfter = names[max(0, len(names)-3)]
	}
	if o.Epochs == 0 {
		o.Epochs = 10
	}
	if o.MinSteps == 0 {
		o.MinSteps = 20
	}
	if o.MaxSteps == 0 {
		o.MaxSteps = 100
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.LearningRate == 0 {
		o.LearningRate = 1e-2
	}
	if o.FeatureExtractorLR == 0 {
		o.FeatureExtractorLR = 1e-3
	}
	if o.ScratchLR == 0 {
		o.ScratchLR = 2e-3
	}
	if o.LogisticC == 0 {
		o.LogisticC = 1
	}
	return o
}

// StepsFor is the number of training steps FineTune and Scratch take on n
// clips: ⌈Epochs·n/BatchSize⌉ clamped to [MinSteps, MaxSteps], zero fields
// taking their defaults.
func (o Options) StepsFor(n int) int {
	o = o.withDefaults(nil)
	steps := int(math.Ceil(o.Epochs * float64(n) / float64(o.BatchSize)))
	return min(max(steps, o.MinSteps), o.MaxSteps)
}

// sizesFor returns the training-set sizes of method m.
func (o Options) sizesFor(m Method) []int {
	if s, ok := o.SizesFor[m]; ok {
		return s
	}
	return o.Sizes
}

// seedsFor returns the seeds of method m.
func (o Options) seedsFor(m Method) []uint64 {
	if s, ok := o.SeedsFor[m]; ok {
		return s
	}
	return o.Seeds
}

// Row is one point of a learning curve.
type Row struct {
	Method Method `json:"method"`
	// Size is the number of labelled training clips; Seed drew them and seeded
	// the training.
	Size int    `json:"size"`
	Seed uint64 `json:"seed"`
	// Accuracy is the fraction of test clips whose most probable class is right.
	Accuracy float64 `json:"accuracy"`
	// Steps is the number of optimizer steps (0 for Frozen, whose L-BFGS fit runs
	// to convergence; one that stops at its iteration limit says so on
	// Options.Progress).
	Steps int `json:"steps"`
	// Seconds is the wall time of the row's training and test when it was
	// computed (a cached row keeps it).
	Seconds float64 `json:"seconds"`
}

// Run runs the learning-curve experiment: every method of o.Methods, for every
// size of o.Sizes and every seed, trained on a stratified, nested subset of the
// corpus's pool and tested on the fixed test set. pretrained is the network
// whose extractor Frozen and FineTune reuse (it is never changed) and whose
// architecture Scratch copies. Rows come method by method, then seed, then
// size.
func Run(pretrained *cnn.Model, corpus *Corpus, o Options) ([]Row, error) {
	o = o.withDefaults(pretrained)
	if err := o.validate(pretrained, corpus); err != nil {
		return nil, err
	}
	test, pool, leftOut := split(corpus, o.TestPerClass, o.SplitSeed)
	e := &experiment{pretrained: pretrained, corpus: corpus, o: o, test: test, pool: pool, leftOut: leftOut}
	var rows []Row
	for _, method := range o.Methods {
		for _, seed := range o.seedsFor(method) {
			order := poolOrder(pool, len(corpus.Classes), seed)
			for _, size := range o.sizesFor(method) {
				row, cached, err := e.row(method, size, seed, order)
				if err != nil {
					return rows, err
				}
				if o.Progress != nil {
					note := ""
					if cached {
						note = ", cached"
					}
					fmt.Fprintf(o.Progress, "%-8s n=%-5d seed %d: accuracy %.3f (%d steps, %.1f s%s)\n", method, size, seed, row.Accuracy, row.Steps, row.Seconds, note)
				}
				rows = append(rows, row)
			}
		}
	}
	return rows, nil
}

// MustRun is Run that panics on error, for notebooks.
func MustRun(pretrained *cnn.Model, corpus *Corpus, o Options) []Row {
	rows, err := Run(pretrained, corpus, o)
	if err != nil {
		panic(err)
	}
	return rows
}

// validate checks the options against the corpus and the network.
func (o Options) validate(pretrained *cnn.Model, corpus *Corpus) error {
	if corpus.Len() == 0 || len(corpus.Classes) < 2 {
		return fmt.Errorf("transfer: the corpus has %d clips of %d classes, want some clips of at least 2", corpus.Len(), len(corpus.Classes))
	}
	dims, _ := pretrained.LayerShape("")
	if len(corpus.Images) != corpus.Len()*dims[0]*dims[1] {
		return fmt.Errorf("transfer: the corpus holds %d image values for %d clips, the network's images are %d×%d", len(corpus.Images), corpus.Len(), dims[0], dims[1])
	}
	if corpus.Labels.Hot != nil {
		return errors.New("transfer: the corpus's labels are multi-label; transfer compares single-label classifiers")
	}
	if corpus.Labels.NumClasses != len(corpus.Classes) {
		return fmt.Errorf("transfer: the corpus's labels count %d classes (Labels.NumClasses), its Classes list %d", corpus.Labels.NumClasses, len(corpus.Classes))
	}
	for i, l := range corpus.Labels.Index {
		if l < 0 || l >= len(corpus.Classes) {
			return fmt.Errorf("transfer: clip %d (%s) has class %d, the corpus has %d classes", i, corpus.file(i), l, len(corpus.Classes))
		}
	}
	counts := make([]int, len(corpus.Classes))
	for _, l := range corpus.Labels.Index {
		counts[l]++
	}
	poolMin := slices.Min(counts) - o.TestPerClass
	if o.TestPerClass < 1 || poolMin < 1 {
		return fmt.Errorf("transfer: %d test clips per class leave %d for training in the smallest class (%d clips), want ≥ 1 of each", o.TestPerClass, poolMin, slices.Min(counts))
	}
	if _, pool, leftOut := split(corpus, o.TestPerClass, o.SplitSeed); len(leftOut) > 0 {
		poolMin = math.MaxInt
		for _, rows := range pool {
			poolMin = min(poolMin, len(rows))
		}
		if poolMin < 1 {
			return fmt.Errorf("transfer: %d test clips per class, with the other clips of their recordings, leave no training clip in some class", o.TestPerClass)
		}
	}
	var sizes []int
	for _, m := range o.Methods {
		sizes = append(sizes, o.sizesFor(m)...)
	}
	for _, n := range sizes {
		if n < 1 || (n+len(counts)-1)/len(counts) > poolMin {
			return fmt.Errorf("transfer: training-set size %d needs up to %d clips per class, the pool has %d in its smallest class", n, (n+len(counts)-1)/len(counts), poolMin)
		}
	}
	for _, m := range o.Methods {
		if m != Frozen && m != FineTune && m != Scratch {
			return fmt.Errorf("transfer: unknown method %q (want %q, %q or %q)", m, Frozen, FineTune, Scratch)
		}
	}
	if o.FineTuneAfter != "input" {
		if _, err := pretrained.LayerShape(o.FineTuneAfter); err != nil || o.FineTuneAfter == "embedding" {
			return fmt.Errorf("transfer: FineTuneAfter %q: want a convolutional layer of %v or \"input\"", o.FineTuneAfter, pretrained.Config().LayerNames())
		}
	}
	for _, r := range []float64{o.LearningRate, o.FeatureExtractorLR, o.ScratchLR} {
		if !(r > 0 && r <= 1) {
			return fmt.Errorf("transfer: learning rates %g, %g, %g: want in (0, 1]", o.LearningRate, o.FeatureExtractorLR, o.ScratchLR)
		}
	}
	if o.HeadSteps < 0 {
		return fmt.Errorf("transfer: HeadSteps %d, want ≥ 0", o.HeadSteps)
	}
	if o.Epochs < 0 || o.MinSteps < 1 || o.MaxSteps < o.MinSteps || o.BatchSize < 1 || o.LogisticC < 0 {
		return fmt.Errorf("transfer: epochs %g, steps [%d, %d], batch size %d, C %g: want ≥ 0, 1 ≤ min ≤ max, ≥ 1, ≥ 0", o.Epochs, o.MinSteps, o.MaxSteps, o.BatchSize, o.LogisticC)
	}
	return nil
}

func (c *Corpus) file(i int) string {
	if i < len(c.Files) {
		return c.Files[i]
	}
	return fmt.Sprintf("#%d", i)
}

// split draws testPerClass clips of every class for the test set (seeded);
// pool[c] lists the other clips of class c, in corpus order, less those of a
// recording (Files, by dataset.CanonicalFile) that gave a test clip: they are
// leftOut, so no recording is on both sides.
func split(c *Corpus, testPerClass int, seed uint64) (test []int, pool [][]int, leftOut []int) {
	byClass := make([][]int, len(c.Classes))
	for i, l := range c.Labels.Index {
		byClass[l] = append(byClass[l], i)
	}
	pool = make([][]int, len(byClass))
	for k, rows := range byClass {
		perm := rand.New(rand.NewPCG(seed, uint64(k))).Perm(len(rows))
		chosen := make([]bool, len(rows))
		for _, p := range perm[:testPerClass] {
			chosen[p] = true
		}
		for j, r := range rows {
			if chosen[j] {
				test = append(test, r)
			} else {
				pool[k] = append(pool[k], r)
			}
		}
	}
	slices.Sort(test)
	if len(c.Files) == c.Len() {
		testRecordings := map[string]bool{}
		for _, r := range test {
			testRecordings[dataset.CanonicalFile(c.Files[r])] = true
		}
		for k, rows := range pool {
			kept := rows[:0]
			for _, r := range rows {
				if testRecordings[dataset.CanonicalFile(c.Files[r])] {
					leftOut = append(leftOut, r)
				} else {
					kept = append(kept, r)
				}
			}
			pool[k] = kept
		}
		slices.Sort(leftOut)
	}
	return test, pool, leftOut
}

// poolOrder is the seed's order of the pool: each class's clips shuffled, and
// the classes that get one clip more when a size is not a multiple of their
// number.
type order struct {
	perClass   [][]int
	classOrder []int
}

func poolOrder(pool [][]int, classes int, seed uint64) order {
	o := order{classOrder: rand.New(rand.NewPCG(seed, 0xc1a55)).Perm(classes)}
	for k, rows := range pool {
		perm := rand.New(rand.NewPCG(seed, 1+uint64(k))).Perm(len(rows))
		shuffled := make([]int, len(rows))
		for j, p := range perm {
			shuffled[j] = rows[p]
		}
		o.perClass = append(o.perClass, shuffled)
	}
	return o
}

// subset returns the n clips of the order's training set of size n, sorted:
// ⌊n/C⌋ of each class and one more for the first n mod C classes of classOrder.
// Sets of one order are nested.
func (o order) subset(n int) []int {
	classes := len(o.perClass)
	var rows []int
	for rank, k := range o.classOrder {
		take := n / classes
		if rank < n%classes {
			take++
		}
		rows = append(rows, o.perClass[k][:take]...)
	}
	slices.Sort(rows)
	return rows
}

// experiment holds what the rows share, computed when first needed.
type experiment struct {
	pretrained *cnn.Model
	corpus     *Corpus
	o          Options
	test       []int
	pool       [][]int
	leftOut    []int // clips of the test clips' recordings, in neither part

	corpusDigest, weightsDigest string
	atLayer                     *cnn.Dataset // every clip at FineTuneAfter, pretrained
	embeddings                  [][]float32  // every clip's pretrained embedding
}

// row computes (or reads from the cache) one row.
func (e *experiment) row(method Method, size int, seed uint64, ord order) (Row, bool, error) {
	path := ""
	if e.o.CacheDir != "" {
		path = filepath.Join(e.o.CacheDir, "transfer-"+e.key(method, size, seed)+".json")
		if data, err := os.ReadFile(path); err == nil {
			var row Row
			if json.Unmarshal(data, &row) == nil && row.Method == method && row.Size == size && row.Seed == seed {
				return row, true, nil
			}
		}
	}
	start := time.Now()
	train := ord.subset(size)
	row := Row{Method: method, Size: size, Seed: seed}
	var err error
	switch method {
	case Frozen:
		row.Accuracy, err = e.frozen(train)
	case FineTune:
		row.Steps = e.o.StepsFor(size)
		row.Accuracy, err = e.finetune(train, seed, row.Steps)
	case Scratch:
		row.Steps = e.o.StepsFor(size)
		row.Accuracy, err = e.scratch(train, seed, row.Steps)
	}
	if err != nil {
		return row, false, fmt.Errorf("transfer: %s, %d clips, seed %d: %w", method, size, seed, err)
	}
	row.Seconds = math.Round(time.Since(start).Seconds()*100) / 100
	if path != "" {
		data, _ := json.Marshal(row)
		if err := os.MkdirAll(e.o.CacheDir, 0o755); err != nil {
			return row, false, fmt.Errorf("transfer: cache: %w", err)
		}
		if err := atomicfile.WriteFile(path, data); err != nil {
			return row, false, fmt.Errorf("transfer: cache: %w", err)
		}
	}
	return row, false, nil
}

// dataset returns the corpus's clips rows as a cnn.Dataset of front-end images.
func (e *experiment) dataset(rows []int) cnn.Dataset {
	return selectRows(cnn.Dataset{Images: e.corpus.Images, Labels: e.labels()}, rows)
}

// labels returns the corpus's classes as cnn and classify take them: the corpus's own
// Labels, single-label with NumClasses = len(Classes) (validate checks both).
func (e *experiment) labels() dataset.Labels {
	return e.corpus.Labels
}

// selectRows picks examples of d, in the order given.
func selectRows(d cnn.Dataset, rows []int) cnn.Dataset {
	size := len(d.Images) / d.Len()
	out := cnn.Dataset{Layer: d.Layer, Images: make([]float32, 0, len(rows)*size), Labels: d.Labels.Subset(rows)}
	for _, r := range rows {
		out.Images = append(out.Images, d.Images[r*size:(r+1)*size]...)
	}
	return out
}

// frozenLayer returns every clip at the last frozen layer of FineTune, computed
// once with the pretrained network (those layers never change).
func (e *experiment) frozenLayer() (cnn.Dataset, error) {
	if e.atLayer == nil {
		all := cnn.Dataset{Images: e.corpus.Images, Labels: e.labels()}
		if e.o.FineTuneAfter != "input" {
			var err error
			if all, err = e.pretrained.DatasetAt(all, e.o.FineTuneAfter); err != nil {
				return cnn.Dataset{}, err
			}
		}
		e.atLayer = &all
	}
	return *e.atLayer, nil
}

// frozen fits a logistic regression on the pretrained embeddings of train and
// returns its accuracy on the test set: cnn.Model.EmbedImages (what zoo's
// networks, and so lib/embed, embed with; every clip embedded once, on the
// first call) and classify.FitAccuracy.
func (e *experiment) frozen(train []int) (float64, error) {
	if e.embeddings == nil {
		vectors, err := e.pretrained.EmbedImages(e.corpus.Images, cnn.EmbedOptions{})
		if err != nil {
			return 0, err
		}
		e.embeddings = vectors
	}
	rowsOf := func(rows []int) ([][]float32, dataset.Labels) {
		x := make([][]float32, len(rows))
		for i, r := range rows {
			x[i] = e.embeddings[r]
		}
		return x, e.labels().Subset(rows)
	}
	x, y := rowsOf(train)
	testX, testY := rowsOf(e.test)
	lr := classify.NewLogisticRegression(classify.LogisticOptions{C: e.o.LogisticC, Backend: e.pretrained.Engine(), Warnings: e.o.Progress})
	return classify.FitAccuracy(lr, x, y, testX, testY)
}

// finetune trains a copy of the pretrained network with a new classifier on
// train, the layers after FineTuneAfter learning.
func (e *experiment) finetune(train []int, seed uint64, steps int) (float64, error) {
	at, err := e.frozenLayer()
	if err != nil {
		return 0, err
	}
	net, err := e.pretrained.WithClassifier(e.corpus.Classes, seed)
	if err != nil {
		return 0, err
	}
	if e.o.HeadSteps > 0 {
		embedded, err := net.DatasetAt(selectRows(at, train), "embedding")
		if err != nil {
			return 0, err
		}
		_, err = cnn.Train(net, embedded, cnn.Dataset{}, cnn.TrainOptions{
			Steps: e.o.HeadSteps, BatchSize: e.o.BatchSize, EvalEvery: e.o.HeadSteps, LearningRate: e.o.LearningRate, Seed: seed,
		})
		if err != nil {
			return 0, fmt.Errorf("linear probe: %w", err)
		}
	}
	return e.trainAndTest(net, selectRows(at, train), selectRows(at, e.test), seed, steps, e.o.LearningRate, e.o.FeatureExtractorLR)
}

// scratch trains a fresh network of the pretrained one's architecture on train.
func (e *experiment) scratch(train []int, seed uint64, steps int) (float64, error) {
	cfg := e.pretrained.Config()
	cfg.Classes = e.corpus.Classes
	net, err := cnn.New(cfg, seed)
	if err != nil {
		return 0, err
	}
	return e.trainAndTest(net, e.dataset(train), e.dataset(e.test), seed, steps, e.o.ScratchLR, e.o.ScratchLR)
}

// trainAndTest trains net and returns its accuracy on test.
func (e *experiment) trainAndTest(net *cnn.Model, train, test cnn.Dataset, seed uint64, steps int, classifierLR, extractorLR float64) (float64, error) {
	_, err := cnn.Train(net, train, cnn.Dataset{}, cnn.TrainOptions{
		Steps: steps, BatchSize: e.o.BatchSize, EvalEvery: steps,
		LearningRate: classifierLR, FeatureExtractorLR: extractorLR, Seed: seed,
	})
	if err != nil {
		return 0, err
	}
	_, accuracy, err := net.Evaluate(test)
	return accuracy, err
}
