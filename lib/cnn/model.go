package cnn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
	"github.com/gomlx/gomlx/pkg/ml/layers/batchnorm"
)

// Scopes of the model's variables in its GoMLX context. Every variable of the
// feature extractor lives under ExtractorScope, every variable of the classifier
// under ClassifierScope; the optimizer's state lives under OptimizerScope.
const (
	ExtractorScope  = "extractor"
	ClassifierScope = "classifier"
	OptimizerScope  = "adamw"
)

// InScope reports whether a variable's scope is root or lies under it:
// "/extractor" holds "/extractor" and "/extractor/stem_conv", not
// "/extractor2". Scopes are absolute, as GoMLX's Variable.Scope gives them.
func InScope(scope, root string) bool {
	return scope == root || strings.HasPrefix(scope, root+"/")
}

// IsNetworkScope reports whether a variable of that scope belongs to the
// network — the feature extractor or the classifier — not to the optimizer or
// the random state.
func IsNetworkScope(scope string) bool {
	return InScope(scope, "/"+ExtractorScope) || InScope(scope, "/"+ClassifierScope)
}

// Model is a CNN for spectrogram clips: a FeatureExtractor (every layer up to the
// embedding) followed by a Classifier (one dense layer). It holds the network's
// variables in a GoMLX context and the engine that runs it.
//
// A Model is safe for concurrent Embed and Predict calls; Train must not run
// concurrently with anything else on the same Model.
type Model struct {
	cfg      Config
	frontEnd *spectro.FrontEnd
	engine   backends.Backend
	ctx      *context.Context

	mu    sync.Mutex
	execs map[string]*context.Exec
}

// New builds a model with freshly initialised weights; the same configuration
// and seed give the same weights, bit for bit, on the same engine. It runs on
// backend.MustNew()'s engine.
func New(cfg Config, seed uint64) (*Model, error) {
	cfg, frontEnd, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	engine, err := backend.New()
	if err != nil {
		return nil, fmt.Errorf("cnn: %w", err)
	}
	m := &Model{cfg: cfg, frontEnd: frontEnd, engine: engine, ctx: context.New().Checked(false), execs: map[string]*context.Exec{}}
	if err := m.ctx.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, fmt.Errorf("cnn: seed: %w", err)
	}
	if err := m.initialize(); err != nil {
		return nil, err
	}
	return m, nil
}

// resolve returns the configuration as a model built from it holds it
// (Model.Config): defaults filled in, front-end options included, and checked;
// with the front end it describes.
func (cfg Config) resolve() (Config, *spectro.FrontEnd, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return Config{}, nil, err
	}
	frontEnd, err := spectro.NewFrontEnd(cfg.FrontEnd)
	if err != nil {
		return Config{}, nil, fmt.Errorf("cnn: %w", err)
	}
	cfg.FrontEnd = frontEnd.Options
	return cfg, frontEnd, nil
}

// MustNew is New that panics on error, for notebooks.
func MustNew(cfg Config, seed uint64) *Model {
	m, err := New(cfg, seed)
	if err != nil {
		panic(err)
	}
	return m
}

// initialize creates and initialises every variable of the network at once, in
// a fixed order, by running it on one silent image: later graphs (training,
// embedding) then never create variables, so the weights depend only on the seed.
func (m *Model) initialize() error {
	frames, mels := m.frontEnd.Shape()[0], m.frontEnd.Shape()[1]
	image := tensors.FromShape(shapes.Make(dtypes.Float32, 1, frames, mels, 1))
	_, err := context.ExecOnce(m.engine, m.ctx, func(ctx *context.Context, x *Node) *Node {
		embedding, _ := m.FeatureExtractor(ctx, x)
		return m.Classifier(ctx, embedding)
	}, image)
	if err != nil {
		return fmt.Errorf("cnn: initialise the network: %w", err)
	}
	return nil
}

// Config returns the model's configuration, defaults filled in.
func (m *Model) Config() Config {
	c := m.cfg
	c.StageChannels = append([]int(nil), c.StageChannels...)
	c.Classes = append([]string(nil), c.Classes...)
	return c
}

// FrontEnd returns the front end that turns clips into the network's images.
func (m *Model) FrontEnd() *spectro.FrontEnd { return m.frontEnd }

// Context returns the GoMLX context holding the model's variables, for graph
// code that builds on FeatureExtractor or Classifier.
func (m *Model) Context() *context.Context { return m.ctx }

// Engine returns the GoMLX engine the model runs on.
func (m *Model) Engine() backends.Backend { return m.engine }

// FeatureExtractor builds the graph from images [batch, time, mel, 1] (values in
// [0, 1], as spectro.FrontEnd makes them) to the embedding [batch,
// EmbeddingSize]; it also returns every named layer (Config.LayerNames): the
// convolutional ones as [batch, time, frequency, channels], "embedding" as the
// embedding itself. Its variables live under ExtractorScope of ctx. Batch
// normalisation uses the batch's statistics (and updates its running averages)
// when ctx is in training mode in that scope (ctx.SetTraining), and the running
// averages otherwise.
//
// The network: a 3×3 stride-2 convolution (the stem), then residual stages (each
// block two 3×3 convolutions with batch normalisation and ReLU, plus a shortcut
// that is a 1×1 convolution when the shape changes; the first block of each stage
// has stride 2), then the mean over time and frequency.
func (m *Model) FeatureExtractor(ctx *context.Context, images *Node) (embedding *Node, named map[string]*Node) {
	return m.extractorAfter(ctx, "", "", images)
}

// extractorAfter builds the feature extractor from the output x of the layer
// named after ("" for the input images) to the embedding: the layers up to and
// including after are not in the graph (they are frozen, their output given).
// named holds the layers it builds. A non-empty until stops after that layer
// (embedding is then nil).
func (m *Model) extractorAfter(ctx *context.Context, after, until string, x *Node) (embedding *Node, named map[string]*Node) {
	ctx = ctx.In(ExtractorScope)
	named = map[string]*Node{}
	if after == "embedding" {
		return x, named
	}
	building := after == ""
	if building {
		x = layers.Convolution(ctx.In("stem_conv"), x).Filters(m.cfg.StemChannels).KernelSize(3).Strides(2).PadSame().UseBias(false).Done()
		x = batchnorm.New(ctx.In("stem_bn"), x, -1).Done()
		x = activations.Relu(x)
		named["stem"] = x
		if until == "stem" {
			return nil, named
		}
	}
	building = building || after == "stem"
	for s, channels := range m.cfg.StageChannels {
		name := fmt.Sprintf("stage%d", s+1)
		if building {
			for b := 0; b < m.cfg.BlocksPerStage; b++ {
				stride := 1
				if b == 0 {
					stride = 2
				}
				x = residualBlock(ctx.In(fmt.Sprintf("stage%d_block%d", s+1, b+1)), x, channels, stride)
			}
			named[name] = x
			if until == name {
				return nil, named
			}
		}
		building = building || after == name
	}
	embedding = ReduceMean(x, 1, 2)
	if last := m.cfg.StageChannels[len(m.cfg.StageChannels)-1]; m.cfg.EmbeddingSize != last {
		embedding = activations.Relu(layers.Dense(ctx.In("projection"), embedding, true, m.cfg.EmbeddingSize))
	}
	named["embedding"] = embedding
	return embedding, named
}

// residualBlock is conv-BN-ReLU-conv-BN plus the shortcut, then ReLU.
func residualBlock(ctx *context.Context, x *Node, channels, stride int) *Node {
	y := layers.Convolution(ctx.In("conv1"), x).Filters(channels).KernelSize(3).Strides(stride).PadSame().UseBias(false).Done()
	y = batchnorm.New(ctx.In("bn1"), y, -1).Done()
	y = activations.Relu(y)
	y = layers.Convolution(ctx.In("conv2"), y).Filters(channels).KernelSize(3).PadSame().UseBias(false).Done()
	y = batchnorm.New(ctx.In("bn2"), y, -1).Done()
	shortcut := x
	if stride != 1 || x.Shape().Dimensions[3] != channels {
		shortcut = layers.Convolution(ctx.In("shortcut_conv"), x).Filters(channels).KernelSize(1).Strides(stride).PadSame().UseBias(false).Done()
		shortcut = batchnorm.New(ctx.In("shortcut_bn"), shortcut, -1).Done()
	}
	return activations.Relu(Add(y, shortcut))
}

// Classifier builds the last layer: a dense layer from the embedding [batch,
// EmbeddingSize] to one logit per class [batch, classes]. Softmax (SingleLabel)
// or sigmoid (MultiLabel) of the logits are the probabilities. Its variables live
// under ClassifierScope of ctx.
func (m *Model) Classifier(ctx *context.Context, embedding *Node) *Node {
	return layers.Dense(ctx.In(ClassifierScope), embedding, true, len(m.cfg.Classes))
}

// dropout zeroes each value of x with probability rate and scales the others by
// 1/(1−rate), drawing from ctx's random state (saved in checkpoints).
func dropout(ctx *context.Context, x *Node, rate float64) *Node {
	return dropoutWith(x, rate, func(s shapes.Shape) *Node { return ctx.RandomUniform(x.Graph(), s) })
}

// seededDropout is dropout with its own random state (made from
// EmbedOptions.Seed), so that embedding with Training on depends on that seed,
// not on the model's random state.
func seededDropout(x, state *Node, rate float64) *Node {
	return dropoutWith(x, rate, func(s shapes.Shape) *Node {
		_, uniform := RandomUniform(state, s)
		return uniform
	})
}

// dropoutWith is dropout drawing its uniform values in [0, 1) of x's shape
// from uniform, which is not called at all (no random state is used) when
// rate ≤ 0: a value is kept where its draw is ≥ rate.
func dropoutWith(x *Node, rate float64, uniform func(shapes.Shape) *Node) *Node {
	if rate <= 0 {
		return x
	}
	keep := GreaterOrEqual(uniform(x.Shape()), Scalar(x.Graph(), x.DType(), rate))
	return Where(keep, MulScalar(x, 1/(1-rate)), ZerosLike(x))
}

// Pooling says how a convolutional layer's [time, frequency, channels] output
// is reduced to a vector. It is the one pooling type of the library: lib/zoo's
// models (ONNX imports included) and lib/embed take it as it is.
type Pooling int

const (
	// MeanPooling averages over time and frequency (the default).
	MeanPooling Pooling = iota
	// MaxPooling takes the maximum over time and frequency.
	MaxPooling
)

// String returns "mean" or "max".
func (p Pooling) String() string {
	switch p {
	case MeanPooling:
		return "mean"
	case MaxPooling:
		return "max"
	}
	return fmt.Sprintf("Pooling(%d)", int(p))
}

// Check returns an error for a value that is neither MeanPooling nor MaxPooling.
func (p Pooling) Check() error {
	if p != MeanPooling && p != MaxPooling {
		return fmt.Errorf("unknown pooling %v", p)
	}
	return nil
}

// EmbedOptions says how to read embeddings from a network: which layer, how
// its time and frequency axes are pooled, inference or training mode, and the
// batch size. It is the one such type of the library: Model.Embed takes it, and
// so does every lib/zoo model (zoo.EmbedOptions is this type).
type EmbedOptions struct {
	// Layer names the layer to read (one of Config.LayerNames); "" is the embedding.
	Layer string
	// Pooling reduces a convolutional layer's time and frequency axes [MeanPooling].
	Pooling Pooling
	// Training turns on the embedding's dropout (rate Config.Dropout), seeded by
	// Seed, so the same clip gives a different embedding for each seed. Off by
	// default: inference mode is deterministic.
	Training bool
	Seed     uint64
	// BatchSize is how many clips go through the network at once [32]. A clip's
	// embedding does not depend on the other clips of a call, but the engine's
	// batched kernels may round differently for another BatchSize (last bits).
	BatchSize int
}

// pool reduces a [batch, time, frequency, channels] layer to [batch, channels];
// a [batch, n] layer is returned as it is.
func pool(x *Node, p Pooling) *Node {
	if x.Rank() == 2 {
		return x
	}
	if p == MaxPooling {
		return ReduceMax(x, 1, 2)
	}
	return ReduceMean(x, 1, 2)
}

// Images turns clips into the network's input, frame-major, one image after the
// other (len(clips)·frames·mels values), with the model's front end.
func (m *Model) Images(clips [][]float32) ([]float32, error) {
	frames, mels := m.frontEnd.Shape()[0], m.frontEnd.Shape()[1]
	out := make([]float32, 0, len(clips)*frames*mels)
	for i, clip := range clips {
		image, err := m.frontEnd.Image(clip)
		if err != nil {
			return nil, fmt.Errorf("cnn: clip %d: %w", i, err)
		}
		out = append(out, image...)
	}
	return out, nil
}

// Embed returns one embedding per clip, read from layer o.Layer ("" for the
// embedding) pooled over time and frequency with o.Pooling. In inference mode
// (the default) it is deterministic; with o.Training the dropout of the
// embedding is on (rate Config.Dropout, seeded by o.Seed), as the classifier
// sees it in training, while batch normalisation keeps its running averages.
func (m *Model) Embed(clips [][]float32, o EmbedOptions) ([][]float32, error) {
	images, err := m.Images(clips)
	if err != nil {
		return nil, err
	}
	return m.EmbedImages(images, o)
}

// EmbedImages is Embed for images already made by the front end
// (len(images) = n·frames·mels, frame-major, as Images returns).
func (m *Model) EmbedImages(images []float32, o EmbedOptions) ([][]float32, error) {
	layer := o.Layer
	if layer == "" {
		layer = "embedding"
	}
	if !slices.Contains(m.cfg.LayerNames(), layer) {
		return nil, fmt.Errorf("cnn: no layer %q (have %v)", o.Layer, m.cfg.LayerNames())
	}
	if err := o.Pooling.Check(); err != nil {
		return nil, fmt.Errorf("cnn: %w", err)
	}
	key := fmt.Sprintf("embed/%s/%s/%v", layer, o.Pooling, o.Training)
	exec, err := m.exec(key, func(ctx *context.Context, x, seed *Node) *Node {
		_, named := m.FeatureExtractor(ctx, x)
		v := pool(named[layer], o.Pooling)
		if o.Training {
			v = seededDropout(v, seed, m.cfg.Dropout)
		}
		return v
	})
	if err != nil {
		return nil, err
	}
	var out [][]float32
	err = m.inBatches(images, o.BatchSize, func(batch *tensors.Tensor, index, rows int) error {
		state, err := RNGStateFromSeed(int64(o.Seed + uint64(index)))
		if err != nil {
			return fmt.Errorf("cnn: embed: %w", err)
		}
		res, err := exec.Exec(batch, state)
		if err != nil {
			return fmt.Errorf("cnn: embed: %w", err)
		}
		flat := tensors.MustCopyFlatData[float32](res[0])
		width := len(flat) / res[0].Shape().Dimensions[0]
		for r := range rows {
			out = append(out, flat[r*width:(r+1)*width:(r+1)*width])
		}
		return nil
	})
	return out, err
}

// Predict returns the probabilities of the classes for each clip: softmax of the
// logits for SingleLabel, sigmoid for MultiLabel; inference mode, deterministic.
func (m *Model) Predict(clips [][]float32) ([][]float32, error) {
	images, err := m.Images(clips)
	if err != nil {
		return nil, err
	}
	return m.PredictImages(images)
}

// PredictImages is Predict for images already made by the front end.
func (m *Model) PredictImages(images []float32) ([][]float32, error) {
	exec, err := m.exec("predict", func(ctx *context.Context, x *Node) *Node {
		embedding, _ := m.FeatureExtractor(ctx, x)
		logits := m.Classifier(ctx, embedding)
		if m.cfg.Head == MultiLabel {
			return Sigmoid(logits)
		}
		return Softmax(logits, -1)
	})
	if err != nil {
		return nil, err
	}
	var out [][]float32
	err = m.inBatches(images, 0, func(batch *tensors.Tensor, _, rows int) error {
		res, err := exec.Exec(batch)
		if err != nil {
			return fmt.Errorf("cnn: predict: %w", err)
		}
		flat := tensors.MustCopyFlatData[float32](res[0])
		classes := len(m.cfg.Classes)
		for r := range rows {
			out = append(out, flat[r*classes:(r+1)*classes:(r+1)*classes])
		}
		return nil
	})
	return out, err
}

// inBatches cuts images into tensors [batchSize, frames, mels, 1] (32 when 0),
// the last one padded with silent images, and calls fn on each with its index
// and the number of real images in it.
func (m *Model) inBatches(images []float32, batchSize int, fn func(batch *tensors.Tensor, index, rows int) error) error {
	return m.inBatchesAt("", images, batchSize, false, fn)
}

// inBatchesAt is inBatches for the outputs of the named layer ("" for images):
// tensors [batchSize, LayerShape(layer)...], the last one padded with zeros.
// Every value must be finite; checked says the caller has already made sure
// of it (Dataset.checkValues), so the values are not scanned a second time.
func (m *Model) inBatchesAt(layer string, values []float32, batchSize int, checked bool, fn func(batch *tensors.Tensor, index, rows int) error) error {
	dims, err := m.inputDims(layer)
	if err != nil {
		return err
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	if len(values)%size != 0 {
		if layer == "" {
			return fmt.Errorf("cnn: %d image values is not a whole number of %d×%d images", len(values), dims[0], dims[1])
		}
		return fmt.Errorf("cnn: %d values is not a whole number of %v outputs of layer %q", len(values), dims, layer)
	}
	if !checked {
		for i, v := range values {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				if layer == "" {
					return fmt.Errorf("cnn: image %d holds %v at [%d, %d]", i/size, v, (i%size)/dims[1], i%dims[1])
				}
				return fmt.Errorf("cnn: example %d of layer %q holds %v at offset %d", i/size, layer, v, i%size)
			}
		}
	}
	if batchSize <= 0 {
		batchSize = 32
	}
	n := len(values) / size
	for start, index := 0, 0; start < n; start, index = start+batchSize, index+1 {
		end := min(start+batchSize, n)
		// The last batch is padded with silent images to the full size: the engine's
		// batched kernels may round differently for another batch size, and a clip's
		// embedding must not depend on how many clips came with it. A full batch is
		// read in place (the tensor copies it anyway).
		batchValues := values[start*size : end*size]
		if end-start < batchSize {
			batchValues = make([]float32, batchSize*size)
			copy(batchValues, values[start*size:end*size])
		}
		batch := tensors.FromFlatDataAndDimensions(batchValues, append([]int{batchSize}, dims...)...)
		if err := fn(batch, index, end-start); err != nil {
			return err
		}
	}
	return nil
}

// exec returns the cached executor named key, building it with fn the first time.
func (m *Model) exec(key string, fn any) (*context.Exec, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.execs[key]; ok {
		return e, nil
	}
	e, err := context.NewExecAny(m.engine, m.ctx.Reuse(), fn)
	if err != nil {
		return nil, fmt.Errorf("cnn: build %s: %w", key, err)
	}
	m.execs[key] = e
	return e, nil
}

// resetExecs forgets the compiled graphs (after the variables were replaced).
func (m *Model) resetExecs() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.execs = map[string]*context.Exec{}
}
