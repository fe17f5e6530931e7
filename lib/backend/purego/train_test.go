package purego

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
	"github.com/gomlx/gomlx/pkg/ml/layers/batchnorm"
	"github.com/gomlx/gomlx/pkg/ml/layers/fnn"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// stripesTask draws images [n, size, size, 1] of noise plus either horizontal
// (label 0) or vertical (label 1) stripes: a task a small CNN learns quickly.
func stripesTask(rng *rand.Rand, n, size int) (*tensors.Tensor, *tensors.Tensor) {
	images := make([]float32, n*size*size)
	labels := make([]int32, n)
	for i := range n {
		labels[i] = int32(rng.IntN(2))
		phase := rng.IntN(2)
		for r := range size {
			for c := range size {
				coord := r
				if labels[i] == 1 {
					coord = c
				}
				v := float32(rng.NormFloat64() * 0.3)
				if (coord+phase)%2 == 0 {
					v += 1
				}
				images[(i*size+r)*size+c] = v
			}
		}
	}
	return tensors.FromFlatDataAndDimensions(images, n, size, size, 1), tensors.FromFlatDataAndDimensions(labels, n, 1)
}

// clustersTask draws points [n, dim] around one of classes random centers, labeled by center.
func clustersTask(rng *rand.Rand, n, dim, classes int) (*tensors.Tensor, *tensors.Tensor) {
	centers := make([]float32, classes*dim)
	for i := range centers {
		centers[i] = float32(rng.NormFloat64())
	}
	points := make([]float32, n*dim)
	labels := make([]int32, n)
	for i := range n {
		labels[i] = int32(rng.IntN(classes))
		for j := range dim {
			points[i*dim+j] = centers[int(labels[i])*dim+j] + float32(rng.NormFloat64()*0.5)
		}
	}
	return tensors.FromFlatDataAndDimensions(points, n, dim), tensors.FromFlatDataAndDimensions(labels, n, 1)
}

// trainLosses runs steps Adam steps of model on one fixed batch and returns
// the loss of the first and of the last step, and the trained context.
func trainLosses(t *testing.T, model train.ModelFn, inputs, labels *tensors.Tensor, steps int, learningRate float64) (first, last float32, ctx *context.Context) {
	t.Helper()
	ctx = context.New()
	if err := ctx.SetRNGStateFromSeed(42); err != nil { // Reproducible initialization and dropout.
		t.Fatal(err)
	}
	trainer := train.NewTrainer(pureEngine(), ctx, model, losses.SparseCategoricalCrossEntropyLogits,
		optimizers.Adam().LearningRate(learningRate).Done(), nil, nil)
	for step := range steps {
		metrics, err := trainer.TrainStep(nil, []*tensors.Tensor{inputs}, []*tensors.Tensor{labels})
		if err != nil {
			t.Fatalf("train step %d: %v", step, err)
		}
		loss := tensors.ToScalar[float32](metrics[0]) // The batch loss.
		if step == 0 {
			first = loss
		}
		last = loss
	}
	return first, last, ctx
}

// predict runs model in inference mode with the trained ctx and returns the
// predicted class of each example.
func predict(t *testing.T, ctx *context.Context, model train.ModelFn, inputs *tensors.Tensor) []int {
	t.Helper()
	logits, err := context.ExecOnce(pureEngine(), ctx.Reuse(), func(ctx *context.Context, x *Node) *Node {
		return model(ctx, nil, []*Node{x})[0]
	}, inputs)
	if err != nil {
		t.Fatalf("inference: %v", err)
	}
	dims := logits.Shape().Dimensions
	values := tensors.MustCopyFlatData[float32](logits)
	classes := make([]int, dims[0])
	for i := range classes {
		row := values[i*dims[1] : (i+1)*dims[1]]
		for j, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("inference: logit [%d, %d] = %v", i, j, v)
			}
			if v > row[classes[i]] {
				classes[i] = j
			}
		}
	}
	return classes
}

// accuracy is the fraction of predicted equal to the labels [n, 1].
func accuracy(predicted []int, labels *tensors.Tensor) float64 {
	want := tensors.MustCopyFlatData[int32](labels)
	hits := 0
	for i, p := range predicted {
		if int32(p) == want[i] {
			hits++
		}
	}
	return float64(hits) / float64(len(predicted))
}

// TestSmallCNNTrains trains conv + batch norm + max-pool + mean-pool + dense
// with the standard GoMLX layers on the purego engine.
func TestSmallCNNTrains(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	images, labels := stripesTask(rng, 16, 8)
	model := func(ctx *context.Context, _ any, inputs []*Node) []*Node {
		x := inputs[0]
		x = layers.Convolution(ctx.In("conv1"), x).Filters(8).KernelSize(3).PadSame().Done()
		x = batchnorm.New(ctx.In("bn1"), x, -1).Done()
		x = activations.Relu(x)
		x = MaxPool(x).Window(2).Done()
		x = layers.Convolution(ctx.In("conv2"), x).Filters(8).KernelSize(3).Strides(2).PadSame().Done()
		x = activations.Relu(x)
		x = MeanPool(x).Window(2).Done()
		x = Reshape(x, x.Shape().Dimensions[0], -1)
		return []*Node{layers.Dense(ctx.In("dense"), x, true, 2)}
	}
	steps := 40
	if testing.Short() {
		steps = 15
	}
	first, last, ctx := trainLosses(t, model, images, labels, steps, 0.01)
	t.Logf("CNN loss %.4f -> %.4f in %d steps", first, last, steps)
	if !(last < first*0.5) {
		t.Errorf("CNN loss went from %.4f to %.4f in %d steps, want it at least halved", first, last, steps)
	}
	// Inference mode (batch norm with its running averages) runs and gives finite logits.
	t.Logf("CNN training-set accuracy in inference mode: %.2f", accuracy(predict(t, ctx, model, images), labels))
}

// TestMLPTrains trains MLPs on separable clusters: one of layers.Dense, one
// of fnn with dropout and layer normalization; then checks their inference.
func TestMLPTrains(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	points, labels := clustersTask(rng, 64, 32, 5)
	models := []struct {
		name  string
		model train.ModelFn
	}{
		{"dense", func(ctx *context.Context, _ any, inputs []*Node) []*Node {
			x := activations.Relu(layers.Dense(ctx.In("hidden"), inputs[0], true, 16))
			return []*Node{layers.Dense(ctx.In("output"), x, true, 5)}
		}},
		{"fnn with dropout", func(ctx *context.Context, _ any, inputs []*Node) []*Node {
			return []*Node{fnn.New(ctx, inputs[0], 5).NumHiddenLayers(2, 16).Dropout(0.1).Normalization("layer").Done()}
		}},
	}
	for _, m := range models {
		name, model := m.name, m.model
		first, last, ctx := trainLosses(t, model, points, labels, 30, 0.01)
		t.Logf("%s: loss %.4f -> %.4f in 30 steps", name, first, last)
		if !(last < first*0.3) {
			t.Errorf("%s: loss went from %.4f to %.4f in 30 steps, want it below 30%%", name, first, last)
		}
		if acc := accuracy(predict(t, ctx, model, points), labels); acc < 0.9 {
			t.Errorf("%s: training-set accuracy %.2f in inference mode, want >= 0.9", name, acc)
		}
	}
}
