package classify

import (
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
	"github.com/gomlx/gomlx/backends"
)

const kindMLP = "mlp"

// MLPOptions configures an MLP. The zero value gives scikit-learn's
// MLPClassifier defaults (one hidden layer of 100, Adam at 1e-3, batch 200,
// L2 α = 1e-4, at most 200 epochs, stop after 11 epochs in a row without
// improvement: n_iter_no_change = 10).
type MLPOptions struct {
	// Hidden lists the sizes of the hidden layers (ReLU); nil means [100].
	// An empty non-nil slice makes a linear model trained by Adam.
	Hidden []int
	// Steps bounds the optimizer steps (one batch each); 0 means 200 epochs.
	Steps int
	// BatchSize is the number of examples per step; 0 means min(200, examples).
	BatchSize int
	// LearningRate is Adam's step size; 0 means 1e-3.
	LearningRate float64
	// WeightDecay is the L2 penalty α on the weights (not the biases), with
	// scikit-learn's convention: each step's loss gets α/2 · ‖W‖² / batch size
	// added, and Adam (not AdamW) minimizes the sum. 0 means 1e-4; a negative
	// value means no penalty.
	WeightDecay float64
	// Dropout is the fraction of each hidden layer's units zeroed at random in
	// each training step (inverted dropout; none at prediction); 0 means none.
	Dropout float64
	// ValidationFraction > 0 holds out this fraction of the training examples
	// (stratified for single labels; scikit-learn's early_stopping with
	// validation_fraction): training stops when their accuracy has not
	// improved by Tol for more than Patience evaluations in a row, and the
	// weights of the best evaluation are kept. 0 means no hold-out: training
	// stops when the mean training loss has not decreased by Tol for more
	// than Patience evaluations in a row. The rule is scikit-learn's, see
	// earlyStop.
	ValidationFraction float64
	// Patience is scikit-learn's n_iter_no_change: training stops at the
	// evaluation that makes Patience+1 in a row without improvement; 0 means
	// 10. A negative value never stops early.
	Patience int
	// Tol is the least change of the monitored figure (hold-out accuracy or
	// training loss) that counts as an improvement; 0 means 1e-4.
	Tol float64
	// EvalEvery is the number of steps between evaluations (history records
	// and early-stopping checks); 0 means one epoch.
	EvalEvery int
	// Seed fixes the initial weights, the shuffling, the hold-out and the
	// dropout masks: the same seed, data and engine give the same model.
	Seed uint64
	// Backend, when set, trains with a GoMLX graph on that engine (autodiff
	// and optimizers.Adam); nil trains in plain Go (lib/internal/gemm and a
	// fused Adam step), which is faster for these small dense layers. The two
	// agree to float32 rounding without dropout; with dropout each draws its
	// own seeded masks.
	Backend backends.Backend
}

// MLPTrainSample bounds the training examples MLPRecord.TrainAccuracy is
// measured on, so that recording learning curves stays cheap.
const MLPTrainSample = 512

// MLPRecord is one evaluation during training, for learning curves.
type MLPRecord struct {
	// Step is the number of optimizer steps done; Epoch the same in epochs.
	Step  int
	Epoch float64
	// TrainLoss is the mean loss of the steps since the previous record
	// (cross-entropy plus the L2 term, with dropout, as scikit-learn's
	// loss_curve_).
	TrainLoss float64
	// TrainAccuracy is measured, with a hold-out only, on a seeded sample of
	// at most MLPTrainSample training examples, without dropout; NaN without a
	// hold-out. Accuracies are exact-match for multi-label.
	TrainAccuracy float64
	// ValLoss and ValAccuracy are measured on the hold-out examples without
	// dropout or penalty; NaN without a hold-out.
	ValLoss, ValAccuracy float64
}

// MLP is a multi-layer perceptron: dense layers with ReLU between them and a
// softmax (single-label) or per-class sigmoid (multi-label) output. It trains
// with Adam on mini-batches, in plain Go or, with MLPOptions.Backend, as a
// GoMLX graph; see MLPOptions.
// Weights start Glorot-uniform (as scikit-learn's), biases at 0. Prediction
// runs in plain Go on the trained weights.
//
// NumWeights counts every weight and bias: for 1,000 inputs, one hidden layer
// of 100 and k classes, 1000·100 + 100 + 100·k + k.
type MLP struct {
	opts MLPOptions
	m    *mlpState
}

// mlpState is the fitted model, as saved.
type mlpState struct {
	Header  header
	Hidden  []int
	W, B    [][]float32 // Per layer: W in × out (row-major), B out.
	History []MLPRecord
	Steps   int
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o MLPOptions) withDefaults() MLPOptions {
	if o.Hidden == nil {
		o.Hidden = []int{100}
	}
	if o.LearningRate == 0 {
		o.LearningRate = 1e-3
	}
	if o.WeightDecay == 0 {
		o.WeightDecay = 1e-4
	}
	if o.Patience == 0 {
		o.Patience = 10
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
	}
	return o
}

// NewMLP returns an unfitted MLP.
func NewMLP(o MLPOptions) *MLP {
	return &MLP{opts: o.withDefaults()}
}

// Name implements Classifier.
func (m *MLP) Name() string {
	hidden := m.opts.Hidden
	if m.m != nil {
		hidden = m.m.Hidden
	}
	s := make([]string, len(hidden))
	for i, h := range hidden {
		s[i] = fmt.Sprint(h)
	}
	return fmt.Sprintf("MLP (hidden %s)", strings.Join(s, "-"))
}

func (m *MLP) fitted() *header {
	if m.m == nil {
		return nil
	}
	return &m.m.Header
}

func (m *MLP) kind() string { return kindMLP }

// NumWeights implements Classifier: all weights and biases.
func (m *MLP) NumWeights() int {
	if m.m == nil {
		return 0
	}
	n := 0
	for i := range m.m.W {
		n += len(m.m.W[i]) + len(m.m.B[i])
	}
	return n
}

// History returns the evaluations of the last Fit, in order.
func (m *MLP) History() []MLPRecord {
	if m.m == nil {
		return nil
	}
	return m.m.History
}

// Steps is the number of optimizer steps the last Fit took.
func (m *MLP) Steps() int {
	if m.m == nil {
		return 0
	}
	return m.m.Steps
}

// holdOut splits n examples into training and validation indices, stratified
// by class for single labels, seeded.
func holdOut(y dataset.Labels, fraction float64, rng *rand.Rand) (trainRows, valRows []int) {
	n := y.Len()
	perm := rng.Perm(n)
	if y.IsMulti() {
		nv := int(math.Round(fraction * float64(n)))
		nv = max(1, min(nv, n-1))
		valRows, trainRows = slices.Clone(perm[:nv]), slices.Clone(perm[nv:])
	} else {
		byClass := make([][]int, y.NumClasses)
		for _, i := range perm {
			byClass[y.Index[i]] = append(byClass[y.Index[i]], i)
		}
		for _, rows := range byClass {
			nv := int(math.Round(fraction * float64(len(rows))))
			if nv >= len(rows) {
				nv = len(rows) - 1
			}
			valRows = append(valRows, rows[:nv]...)
			trainRows = append(trainRows, rows[nv:]...)
		}
		if len(valRows) == 0 {
			valRows, trainRows = trainRows[:1], trainRows[1:]
		}
	}
	slices.Sort(trainRows)
	slices.Sort(valRows)
	return trainRows, valRows
}

// Fit implements Classifier.
func (m *MLP) Fit(x [][]float32, y dataset.Labels) error {
	h, err := begin(x, y)
	if err != nil {
		return err
	}
	o := m.opts
	switch {
	case o.ValidationFraction < 0 || o.ValidationFraction >= 1:
		return fmt.Errorf("classify: MLP ValidationFraction %g outside [0, 1): %w", o.ValidationFraction, ErrInput)
	case o.Dropout < 0 || o.Dropout >= 1:
		return fmt.Errorf("classify: MLP Dropout %g outside [0, 1): %w", o.Dropout, ErrInput)
	case o.LearningRate < 0 || o.BatchSize < 0 || o.Steps < 0 || o.EvalEvery < 0:
		return fmt.Errorf("classify: MLP LearningRate, BatchSize, Steps and EvalEvery must be ≥ 0: %w", ErrInput)
	}
	for _, s := range o.Hidden {
		if s < 1 {
			return fmt.Errorf("classify: MLP hidden layer size %d: %w", s, ErrInput)
		}
	}
	if len(x) < 2 {
		return fmt.Errorf("classify: MLP needs at least 2 examples, got %d: %w", len(x), ErrInput)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x4d4c50))
	d, k := h.NumFeatures, h.NumClasses
	z := h.Scaler.transform32(x)
	trainRows := make([]int, len(x))
	for i := range trainRows {
		trainRows[i] = i
	}
	var valRows []int
	if o.ValidationFraction > 0 {
		trainRows, valRows = holdOut(y, o.ValidationFraction, rng)
	}
	var trainSample []int
	if len(valRows) > 0 {
		trainSample = slices.Clone(trainRows)
		if len(trainSample) > MLPTrainSample {
			rng.Shuffle(len(trainSample), func(i, j int) { trainSample[i], trainSample[j] = trainSample[j], trainSample[i] })
			trainSample = trainSample[:MLPTrainSample]
			slices.Sort(trainSample)
		}
	}
	n := len(trainRows)
	batch := o.BatchSize
	if batch == 0 {
		batch = min(200, n)
	}
	batch = min(batch, n)
	stepsPerEpoch := (n + batch - 1) / batch
	maxSteps := o.Steps
	if maxSteps == 0 {
		maxSteps = 200 * stepsPerEpoch
	}
	evalEvery := o.EvalEvery
	if evalEvery == 0 {
		evalEvery = stepsPerEpoch
	}

	// Layers and their Glorot-uniform initial weights (scikit-learn's bound,
	// with its factor 2 for sigmoid outputs).
	sizes := append(append([]int{d}, o.Hidden...), k)
	st := &mlpState{Header: h, Hidden: slices.Clone(o.Hidden)}
	numLayers := len(sizes) - 1
	initW := make([][]float32, numLayers)
	for l := 0; l < numLayers; l++ {
		in, out := sizes[l], sizes[l+1]
		factor := 6.0
		if l == numLayers-1 && h.Multi {
			factor = 2
		}
		bound := math.Sqrt(factor / float64(in+out))
		initW[l] = make([]float32, in*out)
		for i := range initW[l] {
			initW[l][i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	var trainer mlpTrainer
	if o.Backend != nil {
		trainer, err = newGraphMLPTrainer(o, sizes, initW, h.Multi, batch)
	} else {
		trainer = newGoMLPTrainer(o, sizes, initW, h.Multi, batch)
	}
	if err != nil {
		return err
	}

	// Mini-batches: successive seeded permutations of the training rows, cut
	// into batches of a fixed size (a batch may straddle two epochs), so the
	// graph compiles once.
	order := []int{}
	next := func() []int {
		for len(order) < batch {
			perm := rng.Perm(n)
			for _, p := range perm {
				order = append(order, trainRows[p])
			}
		}
		rows := order[:batch]
		order = order[batch:]
		return rows
	}
	xBatch := make([]float32, batch*d)
	yBatch := make([]float32, batch*k)
	stop := earlyStop{best: math.Inf(1), tol: o.Tol, patience: o.Patience}
	var (
		lossSum      float64
		lossSteps    int
		bestW, bestB [][]float32 // Weights at the best evaluation (trainer.weights makes new slices each time).
		step         int
	)
	for step = 1; step <= maxSteps; step++ {
		rows := next()
		clear(yBatch)
		for i, r := range rows {
			copy(xBatch[i*d:(i+1)*d], z[r*d:(r+1)*d])
			for c := 0; c < k; c++ {
				if y.Has(r, c) {
					yBatch[i*k+c] = 1
				}
			}
		}
		loss, err := trainer.step(xBatch, yBatch)
		if err != nil {
			return fmt.Errorf("classify: MLP step %d: %w", step, err)
		}
		lossSum += loss
		lossSteps++
		if step%evalEvery != 0 && step != maxSteps {
			continue
		}
		if st.W, st.B, err = trainer.weights(); err != nil {
			return fmt.Errorf("classify: MLP step %d: %w", step, err)
		}
		rec := MLPRecord{Step: step, Epoch: float64(step) / float64(stepsPerEpoch),
			TrainLoss: lossSum / float64(lossSteps), TrainAccuracy: math.NaN(), ValLoss: math.NaN(), ValAccuracy: math.NaN()}
		lossSum, lossSteps = 0, 0
		monitored := rec.TrainLoss
		if len(valRows) > 0 {
			rec.ValLoss, rec.ValAccuracy = st.evaluate(z, y, valRows)
			_, rec.TrainAccuracy = st.evaluate(z, y, trainSample)
			monitored = -rec.ValAccuracy
		}
		st.History = append(st.History, rec)
		if math.IsNaN(rec.TrainLoss) || math.IsInf(rec.TrainLoss, 0) {
			return fmt.Errorf("classify: MLP training loss became %v at step %d (learning rate %g too high?)", rec.TrainLoss, step, o.LearningRate)
		}
		improved, done := stop.observe(monitored)
		if improved && len(valRows) > 0 {
			bestW, bestB = st.W, st.B
		}
		if done {
			break
		}
	}
	st.Steps = min(step, maxSteps)
	if bestW != nil {
		st.W, st.B = bestW, bestB
	}
	m.m = st
	return nil
}

// earlyStop is scikit-learn's stopping rule for MLPClassifier (1.2:
// _update_no_improvement_count and _fit_stochastic), on a monitored figure
// where lower is better (the training loss, or minus the hold-out accuracy:
// scikit-learn's validation score). At each evaluation (an epoch, by
// default) the figure v is compared with the best seen before it:
//
//   - v > best − tol (not better by at least tol): one more evaluation
//     without improvement (_no_improvement_count += 1), else the count
//     restarts at 0;
//   - v < best: v is the new best, and with a hold-out its weights are kept
//     (best_validation_score_, _best_coefs) — even when it is better by
//     less than tol, in which case the count still grows;
//   - training stops when the count exceeds patience (n_iter_no_change):
//     at the evaluation that makes patience+1 in a row.
//
// So with patience 10 an MLP whose hold-out accuracy last improved (by tol)
// at epoch e stops after epoch e+11, as scikit-learn's n_iter_ reports.
type earlyStop struct {
	best     float64 // Lowest figure seen; start at +Inf.
	tol      float64
	patience int // ≤ 0: never stop.
	bad      int // Evaluations in a row without an improvement of tol.
}

// observe records one evaluation's figure: improved says it is the best so
// far (keep these weights), stop that training ends here.
func (e *earlyStop) observe(v float64) (improved, stop bool) {
	if v > e.best-e.tol {
		e.bad++
	} else {
		e.bad = 0
	}
	if v < e.best {
		e.best = v
		improved = true
	}
	return improved, e.patience > 0 && e.bad > e.patience
}

// forward returns the output layer's values for the given rows of the
// standardized rows z (n × features), flat (n × outputs, row-major) with
// the number of outputs, in Go: one matrix product per layer over all rows
// (lib/internal/gemm). The result and its intermediate layers come from
// f32Pool; the caller may put the result back.
func (st *mlpState) forward(z []float32, rows []int) ([]float32, int) {
	d := st.Header.NumFeatures
	n := len(rows)
	act := getF32(n * d)
	for i, r := range rows {
		copy(act[i*d:(i+1)*d], z[r*d:(r+1)*d])
	}
	in := d
	for l, w := range st.W {
		b := st.B[l]
		width := len(b)
		next := getF32(n * width)
		gemm.Multiply(1, n, width, in,
			gemm.Operand[float32]{Data: act, BatchStride: n * in, RowStride: in, ColStride: 1},
			gemm.Operand[float32]{Data: w, BatchStride: in * width, RowStride: width, ColStride: 1},
			next, 0)
		relu := l < len(st.W)-1
		for i := 0; i < n; i++ {
			row := next[i*width : (i+1)*width]
			for c, bc := range b {
				v := row[c] + bc
				if relu {
					v = max(v, 0)
				}
				row[c] = v
			}
		}
		putF32(act)
		act, in = next, width
	}
	return act, in
}

// f32Pool holds float32 buffers for forward between calls (evaluate runs
// it every epoch): fresh ones cost the allocator and page faults each time.
var f32Pool sync.Pool

// getF32 returns a float32 slice of length n from f32Pool (contents
// unspecified), or a new one.
func getF32(n int) []float32 {
	if p, ok := f32Pool.Get().(*[]float32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float32, n)
}

// putF32 returns s to f32Pool.
func putF32(s []float32) { f32Pool.Put(&s) }

// logits returns forward's values as one float64 row per example.
func (st *mlpState) logits(z []float32, rows []int) [][]float64 {
	act, k := st.forward(z, rows)
	out := make([][]float64, len(rows))
	for i := range out {
		out[i] = make([]float64, k)
		for c, v := range act[i*k : (i+1)*k] {
			out[i][c] = float64(v)
		}
	}
	putF32(act)
	return out
}

// proba turns logits into probabilities.
func (st *mlpState) proba(logits [][]float64) [][]float32 {
	out := make([][]float32, len(logits))
	for i, row := range logits {
		out[i] = make([]float32, len(row))
		st.probaInto(out[i], row)
	}
	return out
}

// probaInto writes the probabilities of one row of logits into out.
func (st *mlpState) probaInto(out []float32, logits []float64) {
	if st.Header.Multi {
		for c, v := range logits {
			out[c] = float32(sigmoid(v))
		}
	} else {
		softmaxInto(out, logits)
	}
}

// evaluate returns the mean loss (no penalty) and the accuracy on rows: the
// loss from the float32 probabilities that PredictProba gives (single
// label) or from the logits (multi-label), the accuracy from their argmax
// (or 0.5 threshold), one row at a time in reused buffers.
func (st *mlpState) evaluate(z []float32, y dataset.Labels, rows []int) (loss, accuracy float64) {
	act, k := st.forward(z, rows)
	v, p := make([]float64, k), make([]float32, k)
	right := 0
	for i, r := range rows {
		for c, a := range act[i*k : (i+1)*k] {
			v[c] = float64(a)
		}
		st.probaInto(p, v)
		ok := true
		if st.Header.Multi {
			for c, l := range v {
				t := 0.0
				if y.Has(r, c) {
					t = 1
				}
				loss += math.Max(l, 0) - t*l + math.Log1p(math.Exp(-math.Abs(l)))
				if (p[c] >= 0.5) != y.Has(r, c) {
					ok = false
				}
			}
		} else {
			loss -= math.Log(math.Max(float64(p[y.Index[r]]), 1e-300))
			ok = vec.Argmax(p) == y.Index[r]
		}
		if ok {
			right++
		}
	}
	putF32(act)
	return loss / float64(len(rows)), float64(right) / float64(len(rows))
}

// PredictProba implements Classifier.
func (m *MLP) PredictProba(x [][]float32) ([][]float32, error) {
	h := m.fitted()
	if err := h.check(x, m.Name()); err != nil {
		return nil, err
	}
	rows := make([]int, len(x))
	for i := range rows {
		rows[i] = i
	}
	return m.m.proba(m.m.logits(h.Scaler.transform32(x), rows)), nil
}

// Predict implements Classifier.
func (m *MLP) Predict(x [][]float32) (dataset.Labels, error) {
	return predictFromProba(m, x)
}

// Save implements Classifier.
func (m *MLP) Save(path string) error {
	return saveFitted(m, path)
}

func (m *MLP) encodeState() (any, error) { return m.m, nil }

func (m *MLP) decodeState(dec *gob.Decoder) error {
	var st mlpState
	if err := dec.Decode(&st); err != nil {
		return err
	}
	m.m, m.opts = &st, MLPOptions{Hidden: st.Hidden}
	return nil
}
