package cnn

import (
	"encoding/json"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Dataset is a set of labelled images for Train: Images holds Labels.Len()
// front-end images one after the other (frame-major [time, mel], as
// Model.Images returns), Labels their classes, in either encoding of
// dataset.Labels (the type classify takes too, so a table's labels from
// dataset.FromTable serve both): class indices (Index) or multi-hot rows (Hot)
// of the model's number of classes. A SingleLabel model needs exactly one class
// per example, which Index always has; a MultiLabel model takes any number.
// Both encodings give the same training targets for the same classes.
//
// Layer, when set, says that Images holds instead each example's output of that
// layer (Model.DatasetAt makes them, Model.LayerShape gives their shape): the
// network then runs from the next layer on, and the layers up to and including
// Layer are frozen, for Train as for Evaluate.
type Dataset struct {
	Images []float32
	Labels dataset.Labels
	Layer  string
}

// NewDataset makes a Dataset from clips (mono samples at the front end's rate)
// and their labels, through the model's front end.
func (m *Model) NewDataset(clips [][]float32, labels dataset.Labels) (Dataset, error) {
	if len(clips) != labels.Len() {
		return Dataset{}, fmt.Errorf("cnn: %d clips and %d labels", len(clips), labels.Len())
	}
	images, err := m.Images(clips)
	if err != nil {
		return Dataset{}, err
	}
	d := Dataset{Images: images, Labels: labels}
	if err := d.check(m, "new"); err != nil {
		return Dataset{}, err
	}
	return d, nil
}

// Len is the number of examples.
func (d Dataset) Len() int { return d.Labels.Len() }

// check verifies the sizes, values and labels against the model.
func (d Dataset) check(m *Model, name string) error {
	if err := d.checkValues(m, name); err != nil {
		return err
	}
	k := len(m.cfg.Classes)
	if d.Len() > 0 && d.Labels.NumClasses != k {
		return fmt.Errorf("cnn: %s data: labels of %d classes, the model has %d classes", name, d.Labels.NumClasses, k)
	}
	for i, c := range d.Labels.Index {
		if c < 0 || c >= k {
			return fmt.Errorf("cnn: %s data: example %d has class %d, the model has %d classes", name, i, c, k)
		}
	}
	for i, row := range d.Labels.Hot {
		if len(row) != k {
			return fmt.Errorf("cnn: %s data: example %d has a multi-hot row of %d classes, the model has %d classes", name, i, len(row), k)
		}
		n := 0
		for c, v := range row {
			if v != 0 && v != 1 {
				return fmt.Errorf("cnn: %s data: example %d has value %d for class %d, want 0 or 1", name, i, v, c)
			}
			n += v
		}
		if m.cfg.Head == SingleLabel && n != 1 {
			return fmt.Errorf("cnn: %s data: example %d has %d labels, a single-label model needs exactly 1", name, i, n)
		}
	}
	return nil
}

// setTargets sets to 1 the entries of targets (one value per class) of the
// classes of example i of labels; the others are left as they are.
func setTargets(targets []float32, labels dataset.Labels, i int) {
	if labels.Hot == nil {
		targets[labels.Index[i]] = 1
		return
	}
	for c, v := range labels.Hot[i] {
		if v == 1 {
			targets[c] = 1
		}
	}
}

// checkValues verifies the sizes and values against the model, not the labels.
func (d Dataset) checkValues(m *Model, name string) error {
	dims, err := m.inputDims(d.Layer)
	if err != nil {
		return fmt.Errorf("cnn: %s data: %w", name, err)
	}
	size := 1
	for _, n := range dims {
		size *= n
	}
	if len(d.Images) != d.Len()*size {
		if d.Layer != "" {
			return fmt.Errorf("cnn: %s data: %d values for %d labels of %v outputs of layer %q", name, len(d.Images), d.Len(), dims, d.Layer)
		}
		return fmt.Errorf("cnn: %s data: %d image values for %d labels of %d×%d images", name, len(d.Images), d.Len(), m.frontEnd.Shape()[0], m.frontEnd.Shape()[1])
	}
	for i, v := range d.Images {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("cnn: %s data: image %d holds %v", name, i/size, v)
		}
	}
	return nil
}

// TrainOptions configures Train. Zero fields take the defaults in brackets.
type TrainOptions struct {
	// Steps is the number of optimizer steps to reach (counted from the model's
	// first training step when resuming a checkpoint) [1000].
	Steps int
	// BatchSize is the number of images per step [32].
	BatchSize int
	// LearningRate is the classifier's peak learning rate [1e-3].
	LearningRate float64
	// FeatureExtractorLR is the feature extractor's peak learning rate, smaller
	// than LearningRate to fine-tune a pretrained extractor [LearningRate].
	FeatureExtractorLR float64
	// FreezeFeatureExtractor trains the classifier only: the extractor's weights,
	// batch-normalisation averages included, stay bit-identical (its batch
	// normalisation runs in inference mode).
	FreezeFeatureExtractor bool
	// WeightDecay is AdamW's decoupled weight decay, applied to kernels and dense
	// weights only [1e-4].
	WeightDecay float64
	// WarmupSteps is the number of steps of linear warm-up from 0 to the peak
	// rates [5% of Steps]; then the rates follow a cosine from the peak down to 0
	// at Steps, unless ConstantRate.
	WarmupSteps  int
	ConstantRate bool
	// EvalEvery is the number of steps between two records of the training and
	// validation metrics [Steps/20, at least 1]. The last step is always recorded.
	EvalEvery int
	// Augment configures the augmentations of training batches.
	Augment Augment
	// Seed determines the order of the examples, the augmentations and dropout
	// [0 is a seed like any other].
	Seed uint64
	// CheckpointDir, when set, is where a checkpoint (weights, optimizer and random
	// state, history) is written atomically every EvalEvery steps and at the end;
	// Train resumes from it when it is there, and the weights it reaches are the
	// same as those of an uninterrupted run.
	CheckpointDir string
	// StopAfterStep, when > 0, stops training after that step (writing the
	// checkpoint there), as an interruption would; calling Train again with the
	// same options and StopAfterStep 0 finishes the run. For training in chunks
	// (a notebook cell at a time) and for testing resumption.
	StopAfterStep int
	// Progress, when set, is called after every step (TerminalProgress draws a bar).
	Progress func(Progress) `json:"-"`
}

// Progress is what Train reports after each step.
type Progress struct {
	Step, Steps int
	// Loss is the mean training loss since the last record.
	Loss float64
	// Last is the latest record (nil before the first one).
	Last *Record
	// ElapsedSeconds is the wall time of training so far (in this process and in
	// those before a resume); ClipsPerSecond the training throughput of this process.
	ElapsedSeconds, ClipsPerSecond float64
	// Done is true after the last step.
	Done bool
}

// Record holds the metrics at one step: training loss and accuracy are means
// over the steps since the previous record (augmented batches, training mode),
// validation ones over the whole validation set (inference mode; Validated is
// false and they are 0 when there is no validation data). Accuracy is
// the fraction of argmax hits for SingleLabel, the fraction of correct
// class-by-class decisions at 0.5 for MultiLabel.
type Record struct {
	Step           int     `json:"step"`
	TrainLoss      float64 `json:"train_loss"`
	TrainAccuracy  float64 `json:"train_accuracy"`
	ValLoss        float64 `json:"val_loss"`
	ValAccuracy    float64 `json:"val_accuracy"`
	Validated      bool    `json:"validated"`
	LearningRate   float64 `json:"learning_rate"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// History is the list of records of a training run, in step order.
type History struct {
	Records []Record `json:"records"`
}

// Last returns the last record (zero when there is none).
func (h History) Last() Record {
	if len(h.Records) == 0 {
		return Record{}
	}
	return h.Records[len(h.Records)-1]
}

// WithDefaults returns the options with the zero fields filled in, as Train
// uses them (for records).
func (o TrainOptions) WithDefaults() TrainOptions {
	if o.Steps == 0 {
		o.Steps = 1000
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.LearningRate == 0 {
		o.LearningRate = 1e-3
	}
	if o.FeatureExtractorLR == 0 {
		o.FeatureExtractorLR = o.LearningRate
	}
	if o.WeightDecay == 0 {
		o.WeightDecay = 1e-4
	}
	if o.WarmupSteps == 0 {
		o.WarmupSteps = o.Steps / 20
	}
	if o.EvalEvery == 0 {
		o.EvalEvery = max(1, o.Steps/20)
	}
	return o
}

// RateFactor is the schedule: the fraction of the peak learning rate used at
// step (from 1): linear warm-up over warmup steps, then a cosine decay to 0 at
// steps (or 1 throughout the rest when constant).
func RateFactor(step, steps, warmup int, constant bool) float64 {
	if step <= warmup {
		return float64(step) / float64(warmup)
	}
	if constant || steps <= warmup {
		return 1
	}
	progress := float64(step-warmup) / float64(steps-warmup)
	return 0.5 * (1 + math.Cos(math.Pi*math.Min(1, progress)))
}

// trainState is what a checkpoint adds to the variables.
type trainState struct {
	Step           int          `json:"step"`
	History        History      `json:"history"`
	ElapsedSeconds float64      `json:"elapsed_seconds"`
	Options        TrainOptions `json:"options"`
	// Accumulated training metrics since the last record.
	SumLoss, SumAccuracy float64
	Accumulated          int
}

// CheckpointFile is the checkpoint's name inside TrainOptions.CheckpointDir.
const CheckpointFile = "checkpoint.dcnn"

// Train trains the model on train, records metrics on val (may be empty), and
// returns the history of the run. It runs AdamW (see AdamW) with one learning
// rate for the classifier and one for the feature extractor (or a frozen
// extractor), under a warm-up and cosine schedule; dropout drops embedding
// values before the classifier. The same model, data, options and engine give
// the same weights, bit for bit, whether the run was interrupted and resumed
// from its checkpoint or not.
func Train(m *Model, train, val Dataset, o TrainOptions) (History, error) {
	o = o.WithDefaults()
	if err := train.check(m, "training"); err != nil {
		return History{}, err
	}
	if err := val.check(m, "validation"); err != nil {
		return History{}, err
	}
	if train.Len() == 0 {
		return History{}, fmt.Errorf("cnn: no training data")
	}
	if val.Len() > 0 && val.Layer != train.Layer {
		return History{}, fmt.Errorf("cnn: training data at layer %q, validation data at layer %q: want the same", train.Layer, val.Layer)
	}
	if train.Layer != "" && o.Augment != (Augment{}) {
		return History{}, fmt.Errorf("cnn: training data at layer %q: augmentations act on front-end images, switch them off (Augment{})", train.Layer)
	}
	if o.Steps < 0 || o.BatchSize < 1 || o.WarmupSteps < 0 || o.EvalEvery < 1 {
		return History{}, fmt.Errorf("cnn: steps %d, batch size %d, warm-up %d, eval every %d: want ≥ 0, ≥ 1, ≥ 0, ≥ 1", o.Steps, o.BatchSize, o.WarmupSteps, o.EvalEvery)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"learning rate", o.LearningRate}, {"feature extractor learning rate", o.FeatureExtractorLR}, {"weight decay", o.WeightDecay}} {
		if err := checkRate(r.name, r.v); err != nil {
			return History{}, err
		}
	}
	if err := o.Augment.validate(); err != nil {
		return History{}, err
	}

	state := trainState{Options: o}
	checkpoint := ""
	if o.CheckpointDir != "" {
		checkpoint = filepath.Join(o.CheckpointDir, CheckpointFile)
		if err := m.resume(checkpoint, &state); err != nil && err != errNoCheckpoint {
			return History{}, err
		}
	}

	frames, mels := m.frontEnd.Shape()[0], m.frontEnd.Shape()[1]
	classes := len(m.cfg.Classes)
	dims, _ := m.inputDims(train.Layer)
	size := 1
	for _, n := range dims {
		size *= n
	}
	stepExec, err := context.NewExec(m.engine, m.ctx.Reuse(), func(ctx *context.Context, images, targets, classifierRate, extractorRate *Node) (*Node, *Node) {
		g := images.Graph()
		ctx.SetTraining(g, true)
		if o.FreezeFeatureExtractor {
			ctx.In(ExtractorScope).SetTraining(g, false)
		}
		embedding, _ := m.extractorAfter(ctx, train.Layer, "", images)
		embedding = dropout(ctx, embedding, m.cfg.Dropout)
		if o.FreezeFeatureExtractor {
			embedding = StopGradient(embedding)
		}
		logits := m.Classifier(ctx, embedding)
		loss, accuracy := m.lossAndAccuracy(logits, targets)
		groups := []Group{{"/" + ClassifierScope, classifierRate}}
		if !o.FreezeFeatureExtractor {
			groups = append(groups, Group{"/" + ExtractorScope, extractorRate})
		}
		AdamW{WeightDecay: o.WeightDecay}.Update(ctx, loss, groups)
		return loss, accuracy
	})
	if err != nil {
		return History{}, fmt.Errorf("cnn: build the training step: %w", err)
	}

	perms := map[int][]int{}
	order := func(q int) int {
		epoch := q / train.Len()
		perm, ok := perms[epoch]
		if !ok {
			clear(perms)
			perm = rand.New(rand.NewPCG(o.Seed, uint64(epoch))).Perm(train.Len())
			perms[epoch] = perm
		}
		return perm[q%train.Len()]
	}

	start := time.Now()
	elapsedBefore := state.ElapsedSeconds
	clipsDone := 0
	batchImages := make([]float32, o.BatchSize*size)
	batchTargets := make([]float32, o.BatchSize*classes)
	for state.Step < o.Steps {
		step := state.Step + 1
		clear(batchTargets)
		for i := range o.BatchSize {
			row := order(state.Step*o.BatchSize + i)
			copy(batchImages[i*size:(i+1)*size], train.Images[row*size:(row+1)*size])
			setTargets(batchTargets[i*classes:(i+1)*classes], train.Labels, row)
		}
		augRNG := rand.New(rand.NewPCG(o.Seed^0x5eed_a06e, uint64(step)))
		if train.Layer == "" {
			o.Augment.apply(batchImages, batchTargets, o.BatchSize, frames, mels, classes, augRNG)
		}
		factor := RateFactor(step, o.Steps, o.WarmupSteps, o.ConstantRate)
		out, err := stepExec.Exec(
			tensors.FromFlatDataAndDimensions(batchImages, append([]int{o.BatchSize}, dims...)...),
			tensors.FromFlatDataAndDimensions(batchTargets, o.BatchSize, classes),
			float32(o.LearningRate*factor), float32(o.FeatureExtractorLR*factor))
		if err != nil {
			return state.History, fmt.Errorf("cnn: training step %d: %w", step, err)
		}
		loss := float64(tensors.ToScalar[float32](out[0]))
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return state.History, fmt.Errorf("cnn: training step %d: loss is %v (learning rate %g too high?)", step, loss, o.LearningRate*factor)
		}
		state.SumLoss += loss
		state.SumAccuracy += float64(tensors.ToScalar[float32](out[1]))
		state.Accumulated++
		state.Step = step
		clipsDone += o.BatchSize
		state.ElapsedSeconds = elapsedBefore + time.Since(start).Seconds()

		stopping := step == o.StopAfterStep
		recording := step%o.EvalEvery == 0 || step == o.Steps
		if recording {
			rec := Record{Step: step, TrainLoss: state.SumLoss / float64(state.Accumulated), TrainAccuracy: state.SumAccuracy / float64(state.Accumulated),
				LearningRate: o.LearningRate * factor}
			if val.Len() > 0 {
				rec.Validated = true
				if rec.ValLoss, rec.ValAccuracy, err = m.Evaluate(val); err != nil {
					return state.History, err
				}
			}
			state.ElapsedSeconds = elapsedBefore + time.Since(start).Seconds()
			rec.ElapsedSeconds = state.ElapsedSeconds
			state.History.Records = append(state.History.Records, rec)
			state.SumLoss, state.SumAccuracy, state.Accumulated = 0, 0, 0
		}
		if checkpoint != "" && (recording || stopping) {
			if err := os.MkdirAll(o.CheckpointDir, 0o755); err != nil {
				return state.History, fmt.Errorf("cnn: checkpoint: %w", err)
			}
			if err := m.writeModelFile(checkpoint, true, state); err != nil {
				return state.History, err
			}
		}
		if o.Progress != nil {
			p := Progress{Step: step, Steps: o.Steps, ElapsedSeconds: state.ElapsedSeconds, Done: step == o.Steps,
				ClipsPerSecond: float64(clipsDone) / time.Since(start).Seconds()}
			if state.Accumulated > 0 {
				p.Loss = state.SumLoss / float64(state.Accumulated)
			} else {
				p.Loss = state.History.Last().TrainLoss
			}
			if len(state.History.Records) > 0 {
				last := state.History.Last()
				p.Last = &last
			}
			o.Progress(p)
		}
		if stopping {
			break
		}
	}
	return state.History, nil
}

// resume loads the checkpoint into the model and state, if there is one.
func (m *Model) resume(path string, state *trainState) error {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return errNoCheckpoint
	}
	if err != nil {
		return fmt.Errorf("cnn: resume: %w", err)
	}
	header, values, err := readModelFile(path, data, false)
	if err != nil {
		return err
	}
	a, _ := json.Marshal(header.Config)
	b, _ := json.Marshal(m.cfg)
	if string(a) != string(b) {
		return fmt.Errorf("cnn: resume %s: the checkpoint's network config %s differs from the model's %s", path, a, b)
	}
	var saved trainState
	if err := json.Unmarshal(header.State, &saved); err != nil {
		return fmt.Errorf("cnn: resume %s: state: %w", path, err)
	}
	if err := m.setVariables(path, header, values); err != nil {
		return err
	}
	saved.Options = state.Options
	*state = saved
	return nil
}

// lossAndAccuracy builds the mean loss and accuracy of logits [batch, classes]
// against targets [batch, classes] (probabilities: one-hot, multi-hot or mixed).
func (m *Model) lossAndAccuracy(logits, targets *Node) (loss, accuracy *Node) {
	perLoss, perAccuracy := m.perExample(logits, targets)
	return ReduceAllMean(perLoss), ReduceAllMean(perAccuracy)
}

// perExample builds each example's loss and accuracy [batch]: softmax
// cross-entropy and argmax hit (SingleLabel), or binary cross-entropy and the
// fraction of right decisions at 0.5, averaged over the classes (MultiLabel).
func (m *Model) perExample(logits, targets *Node) (loss, accuracy *Node) {
	if m.cfg.Head == MultiLabel {
		// Binary cross-entropy from logits, stable form: max(x,0) − x·t + log(1+e^−|x|).
		perValue := Add(Sub(Max(logits, ZerosLike(logits)), Mul(logits, targets)), Log1P(Exp(Neg(Abs(logits)))))
		decided := ConvertDType(GreaterThan(logits, ZerosLike(logits)), dtypes.Float32)
		truth := ConvertDType(GreaterThan(targets, MulScalar(OnesLike(targets), 0.5)), dtypes.Float32)
		return ReduceMean(perValue, -1), ReduceMean(ConvertDType(Equal(decided, truth), dtypes.Float32), -1)
	}
	loss = Neg(ReduceSum(Mul(targets, LogSoftmax(logits, -1)), -1))
	return loss, ConvertDType(Equal(ArgMax(logits, -1), ArgMax(targets, -1)), dtypes.Float32)
}

// Evaluate returns the mean loss and the accuracy (see Record) of the model on
// data, in inference mode.
func (m *Model) Evaluate(data Dataset) (loss, accuracy float64, err error) {
	if err := data.check(m, "evaluation"); err != nil {
		return 0, 0, err
	}
	// Sums over the real examples of a padded batch (weights 1, padding 0).
	exec, err := m.exec("evaluate/"+data.Layer, func(ctx *context.Context, images, targets, weights *Node) (*Node, *Node) {
		embedding, _ := m.extractorAfter(ctx, data.Layer, "", images)
		l, a := m.perExample(m.Classifier(ctx, embedding), targets)
		return ReduceAllSum(Mul(l, weights)), ReduceAllSum(Mul(a, weights))
	})
	if err != nil {
		return 0, 0, err
	}
	classes := len(m.cfg.Classes)
	const batchSize = 64
	start := 0
	err = m.inBatchesAt(data.Layer, data.Images, batchSize, true, func(batch *tensors.Tensor, index, rows int) error {
		targets := make([]float32, batchSize*classes)
		weights := make([]float32, batchSize)
		for r := range rows {
			weights[r] = 1
			setTargets(targets[r*classes:(r+1)*classes], data.Labels, start+r)
		}
		out, err := exec.Exec(batch, tensors.FromFlatDataAndDimensions(targets, batchSize, classes), tensors.FromFlatDataAndDimensions(weights, batchSize))
		if err != nil {
			return fmt.Errorf("cnn: evaluate: %w", err)
		}
		loss += float64(tensors.ToScalar[float32](out[0]))
		accuracy += float64(tensors.ToScalar[float32](out[1]))
		start += rows
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return loss / float64(data.Len()), accuracy / float64(data.Len()), nil
}
