package classify

import (
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"io"
	"math"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graphs read best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"gonum.org/v1/gonum/optimize"
)

const kindLogistic = "logistic"

// Defaults of LogisticOptions.
const (
	// DefaultLogisticMaxIter is the L-BFGS iteration limit. scikit-learn's
	// 100 stopped every fit on birds-v1 embeddings short of its tolerance
	// (transfercheck, lessons 04a and 05: 114–377 iterations to converge,
	// measured); 1000 leaves room, and a fit that converges sooner stops
	// sooner, with the same weights as under scikit-learn's limit.
	DefaultLogisticMaxIter = 1000
	// DefaultLogisticTol is the gradient tolerance, scikit-learn's.
	DefaultLogisticTol = 1e-4
)

// LogisticOptions configures LogisticRegression. The zero value gives
// scikit-learn's defaults, except for a larger iteration limit
// (DefaultLogisticMaxIter).
type LogisticOptions struct {
	// C is the inverse strength of the L2 penalty, as in scikit-learn: the fit
	// minimizes C·Σᵢ loss(xᵢ) + ½‖W‖² (the intercepts are not penalized).
	// 0 means 1.
	C float64
	// MaxIter bounds the L-BFGS iterations (0 means DefaultLogisticMaxIter,
	// 1000; scikit-learn's default is 100). A fit that reaches it before its
	// tolerance says so (Converged, Warning, Warnings).
	MaxIter int
	// Tol stops L-BFGS when the largest gradient component of the objective
	// above (the sum of losses, not the mean) falls below it, as scikit-learn's
	// tol does for its lbfgs solver. 0 means DefaultLogisticTol (1e-4).
	Tol float64
	// Backend runs the loss and gradient graph; nil means backend.NewSmallGraphs().
	Backend backends.Backend
	// Warnings, when not nil, receives one line when a fit stops at MaxIter
	// before converging (the line Warning returns). The fitted model says so
	// either way (Converged, Iterations, Warning).
	Warnings io.Writer
}

// LogisticRegression is a linear classifier (the lecture's "plane"):
// multinomial (softmax) for single labels, with one weight column per class;
// one sigmoid per class for multi-hot labels (the same as scikit-learn's
// OneVsRestClassifier(LogisticRegression)); one sigmoid column for two
// single-label classes (scikit-learn's binary case).
//
// Training is full-batch: a GoMLX graph (one compiled program on the backend)
// computes the penalized cross-entropy and its gradient, written out (x's
// weighted sums of predicted minus true), in float64, and gonum's L-BFGS (More–Thuente line search,
// 10 stored pairs, like scipy's L-BFGS-B under scikit-learn) drives it from
// zero weights. NumWeights = (features + 1) × columns.
type LogisticRegression struct {
	opts LogisticOptions
	m    *logisticState
}

// logisticState is the fitted model, as saved.
type logisticState struct {
	Header     header
	C          float64
	Cols       int       // Output columns: classes, or 1 for binary single-label.
	W          []float64 // Features × Cols, row-major, on standardized features.
	B          []float64 // Cols intercepts.
	Iterations int
	Converged  bool
	Loss       float64 // Final objective, divided by the number of examples.
	// MaxIter and Tol are the limits the fit ran under; GradMax is the
	// largest gradient component of the summed objective when it stopped
	// (below Tol when it converged by the gradient).
	MaxIter      int
	Tol, GradMax float64
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o LogisticOptions) withDefaults() LogisticOptions {
	if o.C == 0 {
		o.C = 1
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultLogisticMaxIter
	}
	if o.Tol == 0 {
		o.Tol = DefaultLogisticTol
	}
	return o
}

// NewLogisticRegression returns an unfitted logistic regression.
func NewLogisticRegression(o LogisticOptions) *LogisticRegression {
	return &LogisticRegression{opts: o.withDefaults()}
}

// Name implements Classifier.
func (l *LogisticRegression) Name() string {
	c := l.opts.C
	if l.m != nil {
		c = l.m.C
	}
	return fmt.Sprintf("logistic regression (C=%g)", c)
}

func (l *LogisticRegression) fitted() *header {
	if l.m == nil {
		return nil
	}
	return &l.m.Header
}

func (l *LogisticRegression) kind() string { return kindLogistic }

// Iterations is the number of L-BFGS iterations the last Fit took.
func (l *LogisticRegression) Iterations() int {
	if l.m == nil {
		return 0
	}
	return l.m.Iterations
}

// Converged reports whether the last Fit met its tolerance before MaxIter.
func (l *LogisticRegression) Converged() bool { return l.m != nil && l.m.Converged }

// Warning is "" when the last Fit converged (or there was none); otherwise it
// says that the fit stopped at its iteration limit, how far from the optimum
// (the largest gradient component against the tolerance), and what to change.
// The weights of such a fit are not the penalized optimum, so its
// predictions depend on the limit.
func (l *LogisticRegression) Warning() string {
	if l.m == nil || l.m.Converged {
		return ""
	}
	far := ""
	if l.m.GradMax > 0 { // 0 in models saved before it was recorded
		far = fmt.Sprintf(" (largest gradient component %.3g, tolerance %g)", l.m.GradMax, l.m.Tol)
	}
	return fmt.Sprintf("classify: %s stopped at its limit of %d L-BFGS iterations before converging%s: raise LogisticOptions.MaxIter, or lower C",
		l.Name(), l.m.Iterations, far)
}

// NumWeights implements Classifier: (features + 1) × output columns.
func (l *LogisticRegression) NumWeights() int {
	if l.m == nil {
		return 0
	}
	return len(l.m.W) + len(l.m.B)
}

// Fit implements Classifier.
func (l *LogisticRegression) Fit(x [][]float32, y dataset.Labels) error {
	h, err := begin(x, y)
	if err != nil {
		return err
	}
	if l.opts.C <= 0 || math.IsNaN(l.opts.C) {
		return fmt.Errorf("classify: logistic regression C = %g, must be > 0: %w", l.opts.C, ErrInput)
	}
	n, d, k := len(x), h.NumFeatures, h.NumClasses
	cols, sigmoid := k, h.Multi
	if !h.Multi && k == 2 {
		cols, sigmoid = 1, true
	}
	xs := h.Scaler.transform(x)
	target := make([]float64, n*cols)
	for i := 0; i < n; i++ {
		if cols == 1 && !h.Multi { // binary single-label: one sigmoid for class 1
			if y.Has(i, 1) {
				target[i] = 1
			}
			continue
		}
		for c := 0; c < k; c++ {
			if y.Has(i, c) {
				target[i*cols+c] = 1
			}
		}
	}
	engine := l.opts.Backend
	if engine == nil {
		if engine, err = backend.NewSmallGraphs(); err != nil {
			return fmt.Errorf("classify: logistic regression: %w", err)
		}
	}
	// The graph computes the objective / n, mean loss + ‖W‖² / (2·C·n), and
	// its gradient (scikit-learn's / n). The intercepts ride in W's last row
	// against a column of ones appended to x, so no op broadcasts them. The
	// gradient is written out, (p − y)ᵀ-weighted sums of x for both the
	// softmax and the sigmoid loss, rather than taken by automatic
	// differentiation: the same numbers (checked against scikit-learn's fit in
	// the tests) from fewer ops, which matters because L-BFGS runs the graph
	// about once per iteration.
	l2 := 1 / (l.opts.C * float64(n))
	invN := 1 / float64(n)
	mask := make([]float64, (d+1)*cols) // 1 for weights, 0 for intercepts: what the penalty sees.
	for i := range d * cols {
		mask[i] = 1
	}
	exec, err := NewExec(engine, func(xNode, yNode, w *Node) (*Node, *Node) {
		g := xNode.Graph()
		logits := MatMul(xNode, w)
		var dataLoss, dLogits *Node
		if sigmoid {
			// log(1+e^z) − y·z, computed stably as max(z,0) + log1p(e^−|z|) − y·z; d/dz = σ(z) − y.
			perLabel := Sub(Add(Max(logits, ScalarZero(g, logits.DType())), Log1p(Exp(Neg(Abs(logits))))), Mul(yNode, logits))
			dataLoss = ReduceAllSum(perLabel)
			dLogits = Sub(Sigmoid(logits), yNode)
		} else {
			// −Σ y·log softmax(z) with one class per row: Σᵢ log Σ_c e^(zᵢc−mᵢ) − Σ y·(z−m); d/dz = softmax(z) − y.
			shifted := Sub(logits, ReduceAndKeep(logits, ReduceMax, -1))
			e := Exp(shifted)
			sumE := ReduceAndKeep(e, ReduceSum, -1)
			dataLoss = Sub(ReduceAllSum(Log(sumE)), ReduceAllSum(Mul(yNode, shifted)))
			dLogits = Sub(Div(e, sumE), yNode)
		}
		penalized := Mul(w, Const(g, tensors.FromFlatDataAndDimensions(mask, d+1, cols)))
		loss := Add(MulScalar(dataLoss, invN), MulScalar(ReduceAllSum(Square(penalized)), l2/2))
		grad := Add(MulScalar(DotGeneral(xNode, []int{0}, nil, dLogits, []int{0}, nil), invN), MulScalar(penalized, l2))
		return loss, grad
	})
	if err != nil {
		return fmt.Errorf("classify: logistic regression graph: %w", err)
	}
	defer exec.Finalize()
	x1 := make([]float64, n*(d+1))
	for i := range n {
		copy(x1[i*(d+1):], xs[i*d:(i+1)*d])
		x1[i*(d+1)+d] = 1
	}
	xT := tensors.FromFlatDataAndDimensions(x1, n, d+1)
	yT := tensors.FromFlatDataAndDimensions(target, n, cols)
	defer func() { _ = xT.FinalizeAll(); _ = yT.FinalizeAll() }()

	nw := d * cols
	var (
		lastP    []float64
		lastF    float64
		lastG    = make([]float64, nw+cols)
		evalErr  error
		evaluate = func(p []float64) {
			if evalErr != nil || slices.Equal(p, lastP) {
				return
			}
			// p is W (d × cols, row-major) then the cols intercepts: W's rows and then its last row.
			wT := tensors.FromFlatDataAndDimensions(p, d+1, cols)
			outs, err := exec.Exec(xT, yT, wT)
			if err != nil {
				evalErr = err
				return
			}
			lastF = tensors.ToScalar[float64](outs[0])
			copy(lastG, tensors.MustCopyFlatData[float64](outs[1]))
			for _, t := range outs {
				_ = t.FinalizeAll()
			}
			_ = wT.FinalizeAll()
			lastP = append(lastP[:0], p...)
		}
	)
	problem := optimize.Problem{
		Func: func(p []float64) float64 {
			evaluate(p)
			if evalErr != nil {
				return math.NaN()
			}
			return lastF
		},
		Grad: func(grad, p []float64) {
			evaluate(p)
			copy(grad, lastG)
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: l.opts.Tol * invN,
		MajorIterations:   l.opts.MaxIter,
		// scipy's L-BFGS-B also stops when the objective's relative decrease
		// falls below factr·eps = 1e7 · 2.2e-16.
		Converger: &optimize.FunctionConverge{Relative: 2.2e-9, Iterations: 1},
	}
	method := &optimize.LBFGS{Store: 10, Linesearcher: &optimize.MoreThuente{}}
	result, err := optimize.Minimize(problem, make([]float64, nw+cols), settings, method)
	if evalErr != nil {
		return fmt.Errorf("classify: logistic regression gradient: %w", evalErr)
	}
	if result == nil {
		return fmt.Errorf("classify: logistic regression L-BFGS: %w", err)
	}
	if err != nil && result.Status != optimize.IterationLimit && result.Status != optimize.FunctionConvergence {
		return fmt.Errorf("classify: logistic regression L-BFGS (%v): %w", result.Status, err)
	}
	p := result.X
	gradMax := 0.0
	for _, g := range result.Gradient {
		gradMax = math.Max(gradMax, math.Abs(g)*float64(n)) // the summed objective's, as Tol is
	}
	l.m = &logisticState{
		Header: h, C: l.opts.C, Cols: cols,
		W: slices.Clone(p[:nw]), B: slices.Clone(p[nw:]),
		Iterations: result.Stats.MajorIterations,
		Converged:  result.Status == optimize.GradientThreshold || result.Status == optimize.FunctionConvergence,
		Loss:       result.F,
		MaxIter:    l.opts.MaxIter, Tol: l.opts.Tol, GradMax: gradMax,
	}
	if w := l.Warning(); w != "" && l.opts.Warnings != nil {
		fmt.Fprintln(l.opts.Warnings, w)
	}
	return nil
}

// PredictProba implements Classifier.
func (l *LogisticRegression) PredictProba(x [][]float32) ([][]float32, error) {
	h := l.fitted()
	if err := h.check(x, l.Name()); err != nil {
		return nil, err
	}
	return linearProba(h, h.Scaler.transform(x), len(x), l.m.W, l.m.B, l.m.Cols), nil
}

// linearProba returns softmax or sigmoid probabilities of z·W + b (z
// standardized, n × d; W d × cols).
func linearProba(h *header, z []float64, n int, w, b []float64, cols int) [][]float32 {
	d, k := h.NumFeatures, h.NumClasses
	out := make([][]float32, n)
	logits := make([]float64, cols)
	for i := 0; i < n; i++ {
		copy(logits, b)
		row := z[i*d : (i+1)*d]
		for j, v := range row {
			if v == 0 {
				continue
			}
			wj := w[j*cols : (j+1)*cols]
			for c := range logits {
				logits[c] += v * wj[c]
			}
		}
		out[i] = make([]float32, k)
		switch {
		case cols == 1 && !h.Multi: // Binary single-label.
			p := sigmoid(logits[0])
			out[i][0], out[i][1] = float32(1-p), float32(p)
		case h.Multi:
			for c, v := range logits {
				out[i][c] = float32(sigmoid(v))
			}
		default:
			softmaxInto(out[i], logits)
		}
	}
	return out
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softmaxInto writes softmax(logits) into out.
func softmaxInto(out []float32, logits []float64) {
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, v)
	}
	// Each exponential once, kept in float64 until the division.
	var stack [64]float64
	e := stack[:0]
	if len(logits) > len(stack) {
		e = make([]float64, 0, len(logits))
	}
	var sum float64
	for _, v := range logits {
		x := math.Exp(v - m)
		e = append(e, x)
		sum += x
	}
	for c, x := range e {
		out[c] = float32(x / sum)
	}
}

// Predict implements Classifier.
func (l *LogisticRegression) Predict(x [][]float32) (dataset.Labels, error) {
	return predictFromProba(l, x)
}

// Save implements Classifier.
func (l *LogisticRegression) Save(path string) error {
	return saveFitted(l, path)
}

func (l *LogisticRegression) encodeState() (any, error) { return l.m, nil }

func (l *LogisticRegression) decodeState(dec *gob.Decoder) error {
	var m logisticState
	if err := dec.Decode(&m); err != nil {
		return err
	}
	if m.MaxIter == 0 { // saved before the limits were saved: scikit-learn's
		m.MaxIter, m.Tol = 100, 1e-4
	}
	l.m, l.opts = &m, LogisticOptions{C: m.C, MaxIter: m.MaxIter, Tol: m.Tol}
	return nil
}
