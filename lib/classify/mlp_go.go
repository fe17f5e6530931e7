package classify

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// smallestNormal32 is the least positive normal float32 (2^-126): the Go
// trainer flushes Adam's moments below it to zero (see goMLPTrainer).
const smallestNormal32 = 0x1p-126

// goMLPTrainer trains an MLP in plain Go: per step one forward pass through
// the layers (matrix products on lib/internal/gemm, the bias, ReLU and
// dropout applied in one sweep over each product), the loss and its gradient
// at the output in one sweep, the backward pass layer by layer, and Adam
// applied to each layer's weights as soon as its gradient is known, in one
// pass (vec.AdamStep, AVX2 on amd64) that also adds the L2 term's gradient.
// Products and the sweeps after them are split by rows over the cores
// (splitRows). Every buffer is allocated once, for the batch size.
//
// It computes what graphMLPTrainer's graph does, in float32, with GoMLX's
// Adam (bias-corrected moments, ε added to √v̂), up to rounding; its
// dropout masks come from its own seeded generator, so with dropout the two
// trainers follow different (equally seeded) paths.
//
// Subnormals: Adam's first moment decays geometrically (×0.9 a step) where
// gradients vanish (dead ReLU units, constant features), and within a few
// hundred steps falls below 2^-126, where each float operation on it costs
// tens of times a normal one on x86. The graph trainer's engine (purego)
// flushes them with the CPU's FTZ/DAZ bits around its ops; this trainer
// flushes in software instead (see vec.AdamStep): a moment below the smallest
// normal float32 in magnitude becomes 0. The update it would have made is at
// most about 2^-126·lr/ε ≈ 1e-33 per step, far under float32's resolution of
// any weight it could change.
type goMLPTrainer struct {
	sizes      []int       // Layer widths: inputs, hidden..., classes.
	multi      bool        // Per-class sigmoid outputs, else softmax.
	batch      int         // Rows per step.
	w, b       [][]float32 // Per layer: weights (in × out, row-major), biases.
	m1w, m2w   [][]float32 // Adam's first and second moments of w.
	m1b, m2b   [][]float32 // Adam's moments of b.
	act        [][]float32 // act[l]: batch × sizes[l] inputs of layer l (act[0] is the batch); act[L] the logits.
	grad       [][]float32 // grad[l]: batch × sizes[l+1] gradient of the loss at layer l's output (before ReLU).
	gradW      []float32   // One layer's weight gradient, reused.
	gradB      []float32   // One layer's bias gradient, reused.
	exps       []float64   // One row's exp(logit − max), reused.
	lr         float64
	alpha      float64 // L2 penalty α (≤ 0: none).
	dropout    float64
	dropoutRNG *rand.Rand
	steps      int
	// keepSubnormals turns the flush off, for the benchmark that measures it.
	keepSubnormals bool
}

// newGoMLPTrainer starts from the weights initW and zero biases.
func newGoMLPTrainer(o MLPOptions, sizes []int, initW [][]float32, multi bool, batch int) *goMLPTrainer {
	numLayers := len(sizes) - 1
	t := &goMLPTrainer{sizes: sizes, multi: multi, batch: batch, lr: o.LearningRate, alpha: o.WeightDecay,
		dropout: o.Dropout, dropoutRNG: rand.New(rand.NewPCG(o.Seed, 0x64726f70))}
	maxIn, maxOut := 0, 0
	for l := 0; l < numLayers; l++ {
		in, out := sizes[l], sizes[l+1]
		maxIn, maxOut = max(maxIn, in), max(maxOut, out)
		t.w = append(t.w, slices.Clone(initW[l]))
		t.b = append(t.b, make([]float32, out))
		t.m1w = append(t.m1w, make([]float32, in*out))
		t.m2w = append(t.m2w, make([]float32, in*out))
		t.m1b = append(t.m1b, make([]float32, out))
		t.m2b = append(t.m2b, make([]float32, out))
		t.grad = append(t.grad, make([]float32, batch*out))
	}
	for l := 0; l <= numLayers; l++ {
		t.act = append(t.act, make([]float32, batch*sizes[l]))
	}
	t.gradW = make([]float32, maxIn*maxOut)
	t.gradB = make([]float32, maxOut)
	t.exps = make([]float64, sizes[numLayers])
	return t
}

func (t *goMLPTrainer) weights() (w, b [][]float32, err error) {
	for l := range t.w {
		w = append(w, slices.Clone(t.w[l]))
		b = append(b, slices.Clone(t.b[l]))
	}
	return w, b, nil
}

func (t *goMLPTrainer) step(xBatch, yBatch []float32) (float64, error) {
	n, numLayers := t.batch, len(t.w)
	copy(t.act[0], xBatch)
	keep := float32(1 - t.dropout)
	scale := 1 / keep

	// Forward: act[l+1] = dropout(relu(act[l]·W + b)), the last without either.
	for l := 0; l < numLayers; l++ {
		in, out := t.sizes[l], t.sizes[l+1]
		next, act, w, b := t.act[l+1], t.act[l], t.w[l], t.b[l]
		last := l == numLayers-1
		splitRows(n, out*in, func(lo, hi int) {
			gemm.Multiply(1, hi-lo, out, in,
				gemm.Operand[float32]{Data: act[lo*in : hi*in], BatchStride: (hi - lo) * in, RowStride: in, ColStride: 1},
				gemm.Operand[float32]{Data: w, BatchStride: in * out, RowStride: out, ColStride: 1},
				next[lo*out:hi*out], 1)
			switch {
			case last:
				for i := lo; i < hi; i++ {
					row := next[i*out : (i+1)*out]
					for c, bc := range b {
						row[c] += bc
					}
				}
			case t.dropout == 0:
				for i := lo; i < hi; i++ {
					row := next[i*out : (i+1)*out]
					for c, bc := range b {
						row[c] = max(row[c]+bc, 0)
					}
				}
			}
		})
		if !last && t.dropout > 0 {
			// Bias, ReLU and dropout in row order: the masks' draws follow
			// one sequence whatever the split.
			for i := 0; i < n; i++ {
				row := next[i*out : (i+1)*out]
				for c, bc := range b {
					v := max(row[c]+bc, 0)
					if v > 0 {
						if t.dropoutRNG.Float32() < keep {
							v *= scale
						} else {
							v = 0
						}
					}
					row[c] = v
				}
			}
		}
	}

	// Loss and its gradient at the logits, mean over the batch.
	k := t.sizes[numLayers]
	logits, delta := t.act[numLayers], t.grad[numLayers-1]
	inv := 1 / float64(n)
	var loss float64
	for i := 0; i < n; i++ {
		z, y, g := logits[i*k:(i+1)*k], yBatch[i*k:(i+1)*k], delta[i*k:(i+1)*k]
		if t.multi {
			for c, zc := range z {
				v, yc := float64(zc), float64(y[c])
				loss += math.Max(v, 0) - yc*v + math.Log1p(math.Exp(-math.Abs(v)))
				g[c] = float32((sigmoid(v) - yc) * inv)
			}
			continue
		}
		top := float64(slices.Max(z))
		var sum float64
		for c, zc := range z {
			e := math.Exp(float64(zc) - top)
			t.exps[c] = e
			sum += e
		}
		logSum := top + math.Log(sum)
		for c, zc := range z {
			loss -= float64(y[c]) * (float64(zc) - logSum)
			g[c] = float32((t.exps[c]/sum - float64(y[c])) * inv)
		}
	}
	loss *= inv

	// Backward, last layer first; each layer's Adam step follows its gradient.
	t.steps++
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	debias1 := float32(1 / (1 - math.Pow(beta1, float64(t.steps))))
	debias2 := float32(1 / (1 - math.Pow(beta2, float64(t.steps))))
	lr := float32(t.lr)
	decay := float32(0)
	var sumSquares float64
	if t.alpha > 0 {
		decay = float32(t.alpha * inv)
		for _, w := range t.w {
			for _, v := range w {
				sumSquares += float64(v) * float64(v)
			}
		}
	}
	flush := float32(smallestNormal32)
	if t.keepSubnormals {
		flush = 0
	}
	adamW := vec.Adam{Decay: decay, LR: lr, Debias1: debias1, Debias2: debias2, Beta1: beta1, Beta2: beta2, Eps: eps, FlushBelow: flush}
	adamB := adamW
	adamB.Decay = 0
	for l := numLayers - 1; l >= 0; l-- {
		in, out := t.sizes[l], t.sizes[l+1]
		delta := t.grad[l]
		// ∂L/∂W = act[l]ᵀ · delta; ∂L/∂b = Σ_rows delta.
		gradW, gradB, act := t.gradW[:in*out], t.gradB[:out], t.act[l]
		splitRows(in, out*n, func(lo, hi int) { // Rows lo..hi of ∂L/∂W: columns lo..hi of act.
			gemm.Multiply(1, hi-lo, out, n,
				gemm.Operand[float32]{Data: act[lo:], BatchStride: 0, RowStride: 1, ColStride: in},
				gemm.Operand[float32]{Data: delta, BatchStride: n * out, RowStride: out, ColStride: 1},
				gradW[lo*out:hi*out], 1)
		})
		clear(gradB)
		for i := 0; i < n; i++ {
			for c, v := range delta[i*out : (i+1)*out] {
				gradB[c] += v
			}
		}
		if l > 0 {
			// ∂L/∂act[l] = delta · Wᵀ, through ReLU and dropout: act[l] > 0
			// exactly where the unit was active and kept, with slope scale.
			prev, w := t.grad[l-1], t.w[l]
			splitRows(n, in*out, func(lo, hi int) {
				gemm.Multiply(1, hi-lo, in, out,
					gemm.Operand[float32]{Data: delta[lo*out : hi*out], BatchStride: (hi - lo) * out, RowStride: out, ColStride: 1},
					gemm.Operand[float32]{Data: w, BatchStride: in * out, RowStride: 1, ColStride: out},
					prev[lo*in:hi*in], 1)
				if t.dropout == 0 {
					reluMask(prev[lo*in:hi*in], act[lo*in:hi*in])
					return
				}
				for i := lo * in; i < hi*in; i++ {
					if act[i] > 0 {
						prev[i] *= scale
					} else {
						prev[i] = 0
					}
				}
			})
		}
		vec.AdamStep(t.w[l], gradW, t.m1w[l], t.m2w[l], adamW)
		vec.AdamStep(t.b[l], gradB, t.m1b[l], t.m2b[l], adamB)
	}
	if t.alpha > 0 {
		loss += t.alpha / 2 * inv * sumSquares
	}
	return loss, nil
}

// reluMask zeroes grad[i] where act[i] is +0, without branches (which the
// CPU mispredicts on the ~50 % of units ReLU switches off): act comes out of
// a ReLU, so its bits are 0 or a positive float's, and bits|−bits has its
// sign bit set exactly when act[i] > 0.
func reluMask(grad, act []float32) {
	grad = grad[:len(act)]
	for i, a := range act {
		bits := math.Float32bits(a)
		keep := uint32(int32(bits|-bits) >> 31)
		grad[i] = math.Float32frombits(math.Float32bits(grad[i]) & keep)
	}
}

// splitMinRows is the fewest rows splitRows gives a part: more than the 4 rows
// up to which gemm computes a product by dot products (summed in another
// order), so that every part's values are those of one product over all rows.
const splitMinRows = 8

// splitRows runs fn over rows [0, rows) cut into consecutive parts, one per
// goroutine up to GOMAXPROCS, each part's rows costing perRow multiply-adds;
// small products (under 2^16 multiply-adds) and those with too few rows run
// in one part on the calling goroutine. Each part runs its own single-worker
// products: B is packed once per part, not once per gemm task, and the
// element-wise work after a product is split with it. The values do not depend
// on the split (see splitMinRows and lib/internal/gemm).
func splitRows(rows, perRow int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), rows/splitMinRows)
	if parts <= 1 || rows*perRow < 1<<16 {
		fn(0, rows)
		return
	}
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(p*rows/parts, (p+1)*rows/parts)
		}()
	}
	fn(0, rows/parts)
	wg.Wait()
}
