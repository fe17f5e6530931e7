package classify

import (
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

const kindSVM = "svm"

// Kernel is the similarity an SVM separates classes with.
type Kernel int

const (
	// Linear is the dot product of standardized rows: a separating plane.
	Linear Kernel = iota
	// RBF is exp(−γ‖a − b‖²), the Gaussian kernel: curved boundaries.
	RBF
)

// String names the kernel ("linear" or "RBF"), as in Name.
func (k Kernel) String() string {
	if k == RBF {
		return "RBF"
	}
	return "linear"
}

// SVMOptions configures an SVM. The zero value is a linear SVM with C = 1.
type SVMOptions struct {
	// Kernel is Linear (the zero value) or RBF.
	Kernel Kernel
	// C bounds each example's dual weight (the inverse of the margin
	// regularization, as in scikit-learn); 0 means 1.
	C float64
	// Gamma is the RBF width γ; 0 means 1/features, which is scikit-learn's
	// gamma="scale" on standardized features.
	Gamma float64
	// Tol stops SMO when the largest violation of the optimality conditions is
	// below it; 0 means 1e-3 (LIBSVM's and scikit-learn's).
	Tol float64
}

// MaxSVMExamples bounds the training examples of an SVM: the kernel matrix
// (examples² float32 values) is computed once and kept in memory.
const MaxSVMExamples = 10000

// SVM is a support vector machine: one binary soft-margin SVM per class
// against the rest (one-vs-rest), each solved by SMO with LIBSVM's second-order
// working-set selection and shrinking. Probabilities come from Platt's sigmoid fitted on
// each class's decision values over the training examples (scikit-learn fits
// it by 5-fold cross-validation on one-vs-one machines instead, so its
// probabilities differ; accuracies are comparable); for single labels they are
// normalized to sum to 1. Predict takes the largest decision value (single
// labels) or the positive ones (multi-hot), as scikit-learn's
// OneVsRestClassifier(SVC) does.
//
// NumWeights: for the linear kernel, the primal weights and bias of each
// class ((features + 1) × classes); for RBF, the stored support vectors
// (distinct ones × features) plus one dual coefficient per support vector per
// class and one bias per class.
type SVM struct {
	opts SVMOptions
	m    *svmState
}

type svmState struct {
	Header     header
	Options    SVMOptions
	SV         []float64   // Support vectors (RBF), standardized, nsv × d.
	Coef       [][]float64 // Per class: y·α per support vector (RBF) or primal weights (linear, d).
	Rho        []float64   // Per class: the bias, subtracted.
	PlattA     []float64   // Per class: P(class) = 1/(1+exp(A·f + B)).
	PlattB     []float64
	Iterations []int // SMO iterations per class.
}

// withDefaults returns o with its zero fields set to their documented defaults,
// but for Gamma's, which depends on the features (forFeatures).
func (o SVMOptions) withDefaults() SVMOptions {
	if o.C == 0 {
		o.C = 1
	}
	if o.Tol == 0 {
		o.Tol = 1e-3
	}
	return o
}

// forFeatures returns o with the defaults that depend on the number of
// features d filled in, at Fit: Gamma 1/d.
func (o SVMOptions) forFeatures(d int) SVMOptions {
	if o.Gamma == 0 {
		o.Gamma = 1 / float64(d)
	}
	return o
}

// NewSVM returns an unfitted SVM.
func NewSVM(o SVMOptions) *SVM {
	return &SVM{opts: o.withDefaults()}
}

// Name implements Classifier.
func (s *SVM) Name() string { return fmt.Sprintf("SVM (%s, C=%g)", s.opts.Kernel, s.opts.C) }

func (s *SVM) fitted() *header {
	if s.m == nil {
		return nil
	}
	return &s.m.Header
}

func (s *SVM) kind() string { return kindSVM }

// Fit implements Classifier.
func (s *SVM) Fit(x [][]float32, y dataset.Labels) error {
	h, err := begin(x, y)
	if err != nil {
		return err
	}
	o := s.opts
	if o.C <= 0 || o.Gamma < 0 || o.Tol <= 0 || (o.Kernel != Linear && o.Kernel != RBF) {
		return fmt.Errorf("classify: SVM options %+v: C and Tol must be > 0, Gamma ≥ 0, Kernel Linear or RBF: %w", o, ErrInput)
	}
	n, d, k := len(x), h.NumFeatures, h.NumClasses
	if n > MaxSVMExamples {
		return fmt.Errorf("classify: SVM on %d examples: at most %d (the kernel matrix is kept in memory); subsample or use LogisticRegression: %w", n, MaxSVMExamples, ErrInput)
	}
	o = o.forFeatures(d)
	z := h.Scaler.transform(x)
	kernel := kernelMatrix(z, n, d, o)
	st := &svmState{Header: h, Options: o, Coef: make([][]float64, k), Rho: make([]float64, k),
		PlattA: make([]float64, k), PlattB: make([]float64, k), Iterations: make([]int, k)}
	alphas := make([][]float64, k)
	// The k one-vs-rest problems are independent: they are solved in
	// parallel, each by one goroutine with its own buffers, so the result is
	// the same for any number of cores.
	parallelClasses(k, func(c int) {
		sign := make([]float64, n)
		for i := range sign {
			sign[i] = -1
			if y.Has(i, c) {
				sign[i] = 1
			}
		}
		var alpha []float64
		alpha, st.Rho[c], st.Iterations[c] = smo(kernel, sign, o.C, o.Tol)
		alphas[c] = alpha
		var support []int
		for i := range alpha {
			alpha[i] *= sign[i] // Now y·α.
			if alpha[i] != 0 {
				support = append(support, i)
			}
		}
		dec := make([]float64, n)
		for i := range dec {
			var f float64
			row := kernel[i*n : (i+1)*n]
			for _, j := range support {
				f += alpha[j] * float64(row[j])
			}
			dec[i] = f - st.Rho[c]
		}
		st.PlattA[c], st.PlattB[c] = plattFit(dec, sign)
	})
	if o.Kernel == Linear {
		for c := 0; c < k; c++ {
			w := make([]float64, d)
			for i, a := range alphas[c] {
				if a != 0 {
					for j, v := range z[i*d : (i+1)*d] {
						w[j] += a * v
					}
				}
			}
			st.Coef[c] = w
		}
	} else {
		var support []int
		for i := 0; i < n; i++ {
			for c := 0; c < k; c++ {
				if alphas[c][i] != 0 {
					support = append(support, i)
					break
				}
			}
		}
		st.SV = make([]float64, 0, len(support)*d)
		for c := 0; c < k; c++ {
			st.Coef[c] = make([]float64, len(support))
		}
		for s, i := range support {
			st.SV = append(st.SV, z[i*d:(i+1)*d]...)
			for c := 0; c < k; c++ {
				st.Coef[c][s] = alphas[c][i]
			}
		}
	}
	s.m = st
	return nil
}

// kernelBlock is the number of rows of the kernel matrix computed from one
// matrix product.
const kernelBlock = 128

// kernelMatrix computes the n × n kernel of the standardized rows z, blocks of
// rows in parallel. The dot products come from one matrix product per block
// (vec.Products); the RBF kernel uses ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b
// (clamped at 0), whose rounding error, relative to ‖a‖² + ‖b‖², is far below
// the float32 the matrix is kept in. Entries below the diagonal are computed
// and mirrored, so the matrix is exactly symmetric.
func kernelMatrix(z []float64, n, d int, o SVMOptions) []float32 {
	out := make([]float32, n*n)
	norms := make([]float64, n)
	for i := range norms {
		for _, v := range z[i*d : (i+1)*d] {
			norms[i] += v * v
		}
	}
	blocks := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dots := make([]float64, kernelBlock*n)
			for lo := range blocks {
				hi := min(lo+kernelBlock, n)
				// Rows [lo, hi) against rows [0, hi): the lower triangle of the block.
				vec.Products(dots, z[lo*d:hi*d], z[:hi*d], hi-lo, hi, d)
				for i := lo; i < hi; i++ {
					row := dots[(i-lo)*hi : (i-lo+1)*hi]
					for j := 0; j <= i; j++ {
						v := row[j]
						if o.Kernel == RBF {
							v = math.Exp(-o.Gamma * max(norms[i]+norms[j]-2*v, 0))
						}
						out[i*n+j] = float32(v)
						out[j*n+i] = float32(v)
					}
				}
			}
		}()
	}
	for lo := 0; lo < n; lo += kernelBlock {
		blocks <- lo
	}
	close(blocks)
	wg.Wait()
	return out
}

func kernelValue(a, b []float64, o SVMOptions) float64 {
	var s float64
	if o.Kernel == Linear {
		for j, v := range a {
			s += v * b[j]
		}
		return s
	}
	for j, v := range a {
		dv := v - b[j]
		s += dv * dv
	}
	return math.Exp(-o.Gamma * s)
}

// svmShrinking turns SMO's shrinking on; tests turn it off to compare.
var svmShrinking = true

// parallelClasses runs fn(c) for c in [0, k) on up to GOMAXPROCS goroutines.
func parallelClasses(k int, fn func(c int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(k, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := int(next.Add(1) - 1); c < k; c = int(next.Add(1) - 1) {
				fn(c)
			}
		}()
	}
	wg.Wait()
}

// smo solves the binary soft-margin SVM dual, min ½αᵀQα − Σα with
// Q_ij = y_i y_j K_ij, 0 ≤ α ≤ C, yᵀα = 0, by sequential minimal optimization
// with LIBSVM's second-order working-set selection (Fan, Chen & Lin, 2005) and
// its shrinking (see below; svmShrinking).
// It returns α, the bias ρ (decision f(x) = Σ y_i α_i K(x_i, x) − ρ) and the
// iterations. A problem with one side only returns α = 0 and a ρ that puts
// every example on that side.
func smo(kernel []float32, y []float64, c, tol float64) (alpha []float64, rho float64, iterations int) {
	n := len(y)
	alpha = make([]float64, n)
	pos := 0
	for _, v := range y {
		if v > 0 {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return alpha, -y[0], 0
	}
	const tau = 1e-12
	grad := make([]float64, n)
	for i := range grad {
		grad[i] = -1
	}
	// diag holds K_tt (read once per candidate j: in the matrix they lie a
	// row apart); upper and lower say which α may still grow along y or
	// shrink, kept up to date for the two α each iteration changes.
	diag := make([]float64, n)
	upper := make([]bool, n)
	lower := make([]bool, n)
	setBounds := func(t int) {
		upper[t] = (y[t] > 0 && alpha[t] < c) || (y[t] < 0 && alpha[t] > 0)
		lower[t] = (y[t] > 0 && alpha[t] > 0) || (y[t] < 0 && alpha[t] < c)
	}
	for t := range n {
		diag[t] = float64(kernel[t*n+t])
		setBounds(t)
	}
	// Shrinking (LIBSVM's heuristic): every min(n, 1000) iterations the α
	// stuck at a bound whose gradient pushes them further out leave the
	// active set, and the passes below skip them (their gradients go
	// stale). Once the active set looks optimal, or the first time the
	// violation falls under 10·tol, every gradient is rebuilt from α and all
	// return; the stopping test is always passed on the full set. Until the
	// first shrink the active set is 0..n−1 in order, so problems solved in
	// fewer iterations get exactly the result they would without it.
	active := make([]int, n)
	for t := range active {
		active[t] = t
	}
	shrinkEvery := min(n, 1000)
	countdown := shrinkEvery + 1
	unshrunk := false
	rebuild := func() { // Every gradient from α, then all indices active.
		if len(active) == n {
			return
		}
		isActive := make([]bool, n)
		for _, t := range active {
			isActive[t] = true
		}
		var support []int
		for t := range n {
			if alpha[t] != 0 {
				support = append(support, t)
			}
		}
		for t := range n {
			if isActive[t] {
				continue
			}
			row := kernel[t*n : (t+1)*n]
			var s float64
			for _, u := range support {
				s += y[u] * alpha[u] * float64(row[u])
			}
			grad[t] = y[t]*s - 1
		}
		active = active[:n]
		for t := range active {
			active[t] = t
		}
	}
	shrink := func() {
		gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
		for _, t := range active {
			if upper[t] {
				gmax1 = max(gmax1, -y[t]*grad[t])
			}
			if lower[t] {
				gmax2 = max(gmax2, y[t]*grad[t])
			}
		}
		if !unshrunk && gmax1+gmax2 <= 10*tol {
			unshrunk = true
			rebuild()
		}
		kept := active[:0]
		for _, t := range active {
			out := false
			switch yg := y[t] * grad[t]; {
			case alpha[t] >= c: // At the upper bound: shrunk if it wants to grow.
				out = (y[t] > 0 && -yg > gmax1) || (y[t] < 0 && yg > gmax2)
			case alpha[t] <= 0: // At zero: shrunk if it wants to fall.
				out = (y[t] > 0 && yg > gmax2) || (y[t] < 0 && -yg > gmax1)
			}
			if !out {
				kept = append(kept, t)
			}
		}
		active = kept
	}
	// selectFirst returns the first index of the working set: the largest
	// −y·∇ among the active α that may grow (the last such t on ties). After
	// an update it comes from the pass that updates the gradient.
	selectFirst := func() (float64, int) {
		gmax, i := math.Inf(-1), -1
		for _, t := range active {
			if upper[t] && -y[t]*grad[t] >= gmax {
				gmax, i = -y[t]*grad[t], t
			}
		}
		return gmax, i
	}
	gmax, i := selectFirst()
	maxIter := max(10_000_000, 100*n)
	for iterations = 0; iterations < maxIter; iterations++ {
		if countdown--; countdown == 0 && svmShrinking {
			countdown = shrinkEvery
			shrink()
			gmax, i = selectFirst()
		}
		var j int
		var ki []float32
		for {
			j = -1
			if i >= 0 {
				ki = kernel[i*n : (i+1)*n]
				kii := float64(ki[i])
				gmax2, objMin := math.Inf(-1), math.Inf(1)
				for _, t := range active {
					if !lower[t] {
						continue
					}
					yg := y[t] * grad[t]
					if yg > gmax2 { // Not math.Max: it is not inlined on amd64, and yg is never NaN.
						gmax2 = yg
					}
					diff := gmax + yg
					if diff > 0 {
						quad := kii + diag[t] - 2*float64(ki[t])
						if quad <= 0 {
							quad = tau
						}
						if obj := -diff * diff / quad; obj <= objMin {
							objMin, j = obj, t
						}
					}
				}
				if gmax+gmax2 < tol {
					j = -1
				}
			}
			if j >= 0 || len(active) == n {
				break
			}
			// Optimal on the active set: check on all of them.
			rebuild()
			gmax, i = selectFirst()
			countdown = 1
		}
		if j < 0 {
			break
		}
		kj := kernel[j*n : (j+1)*n]
		oldI, oldJ := alpha[i], alpha[j]
		quad := float64(ki[i]) + float64(kj[j]) - 2*float64(ki[j])
		if quad <= 0 {
			quad = tau
		}
		if y[i] != y[j] {
			delta := (-grad[i] - grad[j]) / quad
			diff := alpha[i] - alpha[j]
			alpha[i] += delta
			alpha[j] += delta
			if diff > 0 {
				if alpha[j] < 0 {
					alpha[j], alpha[i] = 0, diff
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, -diff
			}
			if diff > 0 {
				if alpha[i] > c {
					alpha[i], alpha[j] = c, c-diff
				}
			} else if alpha[j] > c {
				alpha[j], alpha[i] = c, c+diff
			}
		} else {
			delta := (grad[i] - grad[j]) / quad
			sum := alpha[i] + alpha[j]
			alpha[i] -= delta
			alpha[j] += delta
			if sum > c {
				if alpha[i] > c {
					alpha[i], alpha[j] = c, sum-c
				}
			} else if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, sum
			}
			if sum > c {
				if alpha[j] > c {
					alpha[j], alpha[i] = c, sum-c
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, sum
			}
		}
		dI, dJ := alpha[i]-oldI, alpha[j]-oldJ
		setBounds(i)
		setBounds(j)
		// y_i·K_ti·dI = K_ti·(y_i·dI) exactly, y being ±1.
		cI, cJ := y[i]*dI, y[j]*dJ
		gmax, i = math.Inf(-1), -1
		kj = kj[:n]
		ki = ki[:n]
		for _, t := range active {
			g := grad[t] + y[t]*(float64(ki[t])*cI+float64(kj[t])*cJ)
			grad[t] = g
			if upper[t] && -y[t]*g >= gmax {
				gmax, i = -y[t]*g, t
			}
		}
	}
	rebuild() // Stopped by maxIter while shrunk: ρ needs every gradient.
	ub, lb, sum, free := math.Inf(1), math.Inf(-1), 0.0, 0
	for t := 0; t < n; t++ {
		yg := y[t] * grad[t]
		switch {
		case alpha[t] >= c:
			if y[t] < 0 {
				ub = math.Min(ub, yg)
			} else {
				lb = math.Max(lb, yg)
			}
		case alpha[t] <= 0:
			if y[t] > 0 {
				ub = math.Min(ub, yg)
			} else {
				lb = math.Max(lb, yg)
			}
		default:
			free++
			sum += yg
		}
	}
	if free > 0 {
		rho = sum / float64(free)
	} else {
		rho = (ub + lb) / 2
	}
	return alpha, rho, iterations
}

// plattFit fits P(y=+1 | f) = 1/(1+exp(A·f + B)) to decision values f by
// Newton's method with backtracking (Lin, Lin & Weng, 2007), with Platt's
// smoothed targets.
func plattFit(f, y []float64) (a, b float64) {
	var prior1, prior0 float64
	for _, v := range y {
		if v > 0 {
			prior1++
		} else {
			prior0++
		}
	}
	hi, lo := (prior1+1)/(prior1+2), 1/(prior0+2)
	t := make([]float64, len(y))
	for i, v := range y {
		t[i] = lo
		if v > 0 {
			t[i] = hi
		}
	}
	objective := func(a, b float64) float64 {
		var s float64
		for i, fi := range f {
			z := fi*a + b
			if z >= 0 {
				s += t[i]*z + math.Log1p(math.Exp(-z))
			} else {
				s += (t[i]-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return s
	}
	a, b = 0, math.Log((prior0+1)/(prior1+1))
	fval := objective(a, b)
	for iter := 0; iter < 100; iter++ {
		h11, h22, h21, g1, g2 := 1e-12, 1e-12, 0.0, 0.0, 0.0
		for i, fi := range f {
			z := fi*a + b
			var p, q float64
			if z >= 0 {
				e := math.Exp(-z) // Once: archExp is assembly, not inlined, so not shared by the compiler.
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(z)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += fi * fi * d2
			h22 += d2
			h21 += fi * d2
			d1 := t[i] - p
			g1 += fi * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-5 && math.Abs(g2) < 1e-5 {
			break
		}
		det := h11*h22 - h21*h21
		da, db := -(h22*g1-h21*g2)/det, -(-h21*g1+h11*g2)/det
		gd := g1*da + g2*db
		step := 1.0
		for ; step >= 1e-10; step /= 2 {
			na, nb := a+step*da, b+step*db
			if nf := objective(na, nb); nf < fval+1e-4*step*gd {
				a, b, fval = na, nb, nf
				break
			}
		}
		if step < 1e-10 {
			break
		}
	}
	return a, b
}

// NumWeights implements Classifier.
func (s *SVM) NumWeights() int {
	if s.m == nil {
		return 0
	}
	n := len(s.m.SV) + len(s.m.Rho)
	for _, c := range s.m.Coef {
		n += len(c)
	}
	return n
}

// decision returns the per-class decision values of the standardized rows.
func (st *svmState) decision(z []float64, n int) [][]float64 {
	d, k := st.Header.NumFeatures, st.Header.NumClasses
	out := make([][]float64, n)
	nsv := len(st.SV) / d
	kv := make([]float64, nsv)
	for i := 0; i < n; i++ {
		zi := z[i*d : (i+1)*d]
		out[i] = make([]float64, k)
		if st.Options.Kernel == Linear {
			for c := 0; c < k; c++ {
				var f float64
				for j, v := range zi {
					f += v * st.Coef[c][j]
				}
				out[i][c] = f - st.Rho[c]
			}
			continue
		}
		for s := 0; s < nsv; s++ {
			kv[s] = kernelValue(zi, st.SV[s*d:(s+1)*d], st.Options)
		}
		for c := 0; c < k; c++ {
			var f float64
			for s, a := range st.Coef[c] {
				f += a * kv[s]
			}
			out[i][c] = f - st.Rho[c]
		}
	}
	return out
}

// Decision returns each row's decision value per class (positive: on the
// class's side of its one-vs-rest boundary).
func (s *SVM) Decision(x [][]float32) ([][]float64, error) {
	h := s.fitted()
	if err := h.check(x, s.Name()); err != nil {
		return nil, err
	}
	return s.m.decision(h.Scaler.transform(x), len(x)), nil
}

// PredictProba implements Classifier: Platt's sigmoid of each class's
// decision value, normalized to sum 1 for single labels.
func (s *SVM) PredictProba(x [][]float32) ([][]float32, error) {
	dec, err := s.Decision(x)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, len(dec))
	for i, row := range dec {
		p := make([]float64, len(row))
		var sum float64
		for c, f := range row {
			p[c] = sigmoid(-(s.m.PlattA[c]*f + s.m.PlattB[c]))
			sum += p[c]
		}
		out[i] = make([]float32, len(row))
		for c := range p {
			if !s.m.Header.Multi {
				p[c] /= sum
			}
			out[i][c] = float32(p[c])
		}
	}
	return out, nil
}

// Predict implements Classifier: for single labels the class with the
// largest decision value (as scikit-learn's OneVsRestClassifier), for
// multi-hot labels every class with a positive one.
func (s *SVM) Predict(x [][]float32) (dataset.Labels, error) {
	dec, err := s.Decision(x)
	if err != nil {
		return dataset.Labels{}, err
	}
	k := s.m.Header.NumClasses
	if s.m.Header.Multi {
		hot := make([][]int, len(dec))
		for i, row := range dec {
			hot[i] = make([]int, k)
			for c, f := range row {
				if f > 0 {
					hot[i][c] = 1
				}
			}
		}
		return dataset.Labels{NumClasses: k, Hot: hot}, nil
	}
	index := make([]int, len(dec))
	for i, row := range dec {
		for c, f := range row {
			if f > row[index[i]] {
				index[i] = c
			}
		}
	}
	return dataset.Labels{NumClasses: k, Index: index}, nil
}

// Save implements Classifier.
func (s *SVM) Save(path string) error {
	return saveFitted(s, path)
}

func (s *SVM) encodeState() (any, error) { return s.m, nil }

func (s *SVM) decodeState(dec *gob.Decoder) error {
	var st svmState
	if err := dec.Decode(&st); err != nil {
		return err
	}
	s.m, s.opts = &st, st.Options
	return nil
}
