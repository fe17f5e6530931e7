package classify

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graphs read best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// mlpTrainer takes Adam steps on an MLP's weights: MLP.Fit draws the batches,
// keeps the history and decides when to stop; a trainer owns the weights and
// the optimizer state in between.
type mlpTrainer interface {
	// step takes one Adam step on a batch (batch × inputs features, batch ×
	// classes 0/1 targets) and returns the batch's loss, L2 term included,
	// at the weights before the step.
	step(xBatch, yBatch []float32) (float64, error)
	// weights returns new copies of the current weights (in × out, row-major)
	// and biases of every layer.
	weights() (w, b [][]float32, err error)
}

// graphMLPTrainer trains on a GoMLX engine: the loss is a graph, its gradient
// comes from GoMLX's autodiff and the step from optimizers.Adam, compiled
// once for the batch size. Dropout masks come from the context's RNG.
type graphMLPTrainer struct {
	ctx       *context.Context
	trainer   *train.Trainer
	numLayers int
	shapeX    [2]int
	shapeY    [2]int
}

// newGraphMLPTrainer builds the training graph of an MLP of the given layer
// sizes (inputs, hidden..., classes) on o.Backend, starting from the weights
// initW and zero biases.
func newGraphMLPTrainer(o MLPOptions, sizes []int, initW [][]float32, multi bool, batch int) (*graphMLPTrainer, error) {
	engine := o.Backend
	numLayers := len(sizes) - 1
	ctx := context.New()
	if err := ctx.SetRNGStateFromSeed(int64(o.Seed)); err != nil {
		return nil, fmt.Errorf("classify: MLP seed: %w", err)
	}
	for l := 0; l < numLayers; l++ {
		in, out := sizes[l], sizes[l+1]
		lctx := ctx.In(fmt.Sprintf("layer_%d", l))
		lctx.VariableWithValue("weights", tensors.FromFlatDataAndDimensions(initW[l], in, out))
		lctx.VariableWithValue("biases", tensors.FromFlatDataAndDimensions(make([]float32, out), out))
	}
	alpha := o.WeightDecay
	modelFn := func(ctx *context.Context, _ any, inputs []*Node) []*Node {
		g := inputs[0].Graph()
		x := inputs[0]
		penalty := []*Node{}
		for l := 0; l < numLayers; l++ {
			lctx := ctx.In(fmt.Sprintf("layer_%d", l))
			w := lctx.GetVariableByScopeAndName(lctx.Scope(), "weights").ValueGraph(g)
			b := lctx.GetVariableByScopeAndName(lctx.Scope(), "biases").ValueGraph(g)
			x = Add(MatMul(x, w), InsertAxes(b, 0))
			if l < numLayers-1 {
				x = layers.DropoutStatic(ctx, Max(x, ZerosLike(x)), o.Dropout)
			}
			if alpha > 0 {
				penalty = append(penalty, ReduceAllSum(Square(w)))
			}
		}
		if alpha > 0 && ctx.IsTraining(g) {
			batchSize := float64(inputs[0].Shape().Dimensions[0])
			total := penalty[0]
			for _, p := range penalty[1:] {
				total = Add(total, p)
			}
			train.AddLoss(ctx, MulScalar(total, alpha/2/batchSize))
		}
		return []*Node{x}
	}
	lossFn := func(labels, predictions []*Node) *Node {
		return graphLoss(predictions[0], labels[0], multi)
	}
	optimizer := optimizers.Adam().LearningRate(o.LearningRate).Epsilon(1e-8).Done()
	t := &graphMLPTrainer{ctx: ctx, numLayers: numLayers,
		shapeX: [2]int{batch, sizes[0]}, shapeY: [2]int{batch, sizes[numLayers]}}
	if err := catchPanic(func() {
		t.trainer = train.NewTrainer(engine, ctx, modelFn, lossFn, optimizer, nil, nil)
	}); err != nil {
		return nil, fmt.Errorf("classify: MLP trainer: %w", err)
	}
	return t, nil
}

func (t *graphMLPTrainer) step(xBatch, yBatch []float32) (float64, error) {
	xT := tensors.FromFlatDataAndDimensions(xBatch, t.shapeX[0], t.shapeX[1])
	yT := tensors.FromFlatDataAndDimensions(yBatch, t.shapeY[0], t.shapeY[1])
	defer func() {
		_ = xT.FinalizeAll()
		_ = yT.FinalizeAll()
	}()
	metrics, err := t.trainer.TrainStep(nil, []*tensors.Tensor{xT}, []*tensors.Tensor{yT})
	if err != nil {
		return 0, err
	}
	loss := float64(tensors.ToScalar[float32](metrics[0]))
	for _, m := range metrics {
		_ = m.FinalizeAll()
	}
	return loss, nil
}

func (t *graphMLPTrainer) weights() (w, b [][]float32, err error) {
	w = make([][]float32, t.numLayers)
	b = make([][]float32, t.numLayers)
	for l := 0; l < t.numLayers; l++ {
		scope := t.ctx.In(fmt.Sprintf("layer_%d", l)).Scope()
		for name, dst := range map[string]*[]float32{"weights": &w[l], "biases": &b[l]} {
			v := t.ctx.GetVariableByScopeAndName(scope, name)
			if v == nil {
				return nil, nil, fmt.Errorf("variable %s/%s missing", scope, name)
			}
			value, err := v.Value()
			if err != nil {
				return nil, nil, err
			}
			if *dst, err = tensors.CopyFlatData[float32](value); err != nil {
				return nil, nil, err
			}
		}
	}
	return w, b, nil
}

// graphLoss is the mean over the batch of the softmax cross-entropy
// (single-label) or of the sum over classes of the sigmoid cross-entropies
// (multi-label), as scikit-learn's log loss.
func graphLoss(logits, labels *Node, multi bool) *Node {
	batch := float64(logits.Shape().Dimensions[0])
	if multi {
		perLabel := Sub(Add(Max(logits, ZerosLike(logits)), Log1p(Exp(Neg(Abs(logits))))), Mul(labels, logits))
		return MulScalar(ReduceAllSum(perLabel), 1/batch)
	}
	return MulScalar(Neg(ReduceAllSum(Mul(labels, LogSoftmax(logits, -1)))), 1/batch)
}

// catchPanic turns a GoMLX panic into an error.
func catchPanic(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	fn()
	return nil
}
