package cnn

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Corpus is a label table split into training, validation and test parts, with the
// images of each part as one network's front end makes them: what a training script
// loads once and hands to Train (Train and Validation) and to Evaluate (Test, once, at
// the end). Train holds the images of Split.Train in that order, and so on.
type Corpus struct {
	// Dir is the directory the table's files are found under (dataset.ResolveFile).
	Dir string
	// Labels is the label table, Split its rows per part.
	Labels *dataset.LabelTable
	Split  dataset.Split
	// Train, Validation and Test are the images and labels of each part's rows.
	Train, Validation, Test Dataset
}

// LoadCorpus makes the images of each part of split (rows of labels, their clips under
// dir) with the model's front end, as TableDataset does for one part: the clips are
// loaded at the front end's rate and cut to each row's span, and the labels are the
// table's, in the encoding of the model's head. An error names the part and the row.
func (m *Model) LoadCorpus(dir string, labels *dataset.LabelTable, split dataset.Split) (Corpus, error) {
	c := Corpus{Dir: dir, Labels: labels, Split: split}
	for _, part := range []struct {
		name string
		rows []int
		data *Dataset
	}{{"training", split.Train, &c.Train}, {"validation", split.Validation, &c.Validation}, {"test", split.Test, &c.Test}} {
		d, err := m.TableDataset(dir, labels, part.rows)
		if err != nil {
			return Corpus{}, fmt.Errorf("%w (the %s part)", err, part.name)
		}
		*part.data = d
	}
	return c, nil
}

// MustLoadCorpus is [Model.LoadCorpus] for notebooks: it panics on error.
func (m *Model) MustLoadCorpus(dir string, labels *dataset.LabelTable, split dataset.Split) Corpus {
	c, err := m.LoadCorpus(dir, labels, split)
	if err != nil {
		panic(err)
	}
	return c
}

// Select returns the images and labels of the given rows of c.Labels, in that order,
// each taken from the part of the split that holds it (copied, not shared): a training
// set of a few rows per class, say (dataset.SamplePerClass on Split.Train). A row in no
// part is an error naming it.
func (c Corpus) Select(rows []int) (Dataset, error) {
	type place struct {
		data     *Dataset
		position int
	}
	where := map[int]place{}
	for _, part := range []struct {
		rows []int
		data *Dataset
	}{{c.Split.Train, &c.Train}, {c.Split.Validation, &c.Validation}, {c.Split.Test, &c.Test}} {
		for i, row := range part.rows {
			if _, twice := where[row]; twice {
				return Dataset{}, fmt.Errorf("cnn: select: label table row %d is in two parts of the split", row)
			}
			where[row] = place{part.data, i}
		}
	}
	var out Dataset
	out.Labels.NumClasses = c.Train.Labels.NumClasses
	for _, row := range rows {
		p, ok := where[row]
		if !ok {
			return Dataset{}, fmt.Errorf("cnn: select: label table row %d is in no part of the split", row)
		}
		out.Images = append(out.Images, p.data.Image(p.position)...)
		if p.data.Labels.IsMulti() {
			out.Labels.Hot = append(out.Labels.Hot, p.data.Labels.Hot[p.position])
		} else {
			out.Labels.Index = append(out.Labels.Index, p.data.Labels.Index[p.position])
		}
		out.Layer = p.data.Layer
	}
	return out, nil
}

// MustSelect is [Corpus.Select] for notebooks: it panics on error.
func (c Corpus) MustSelect(rows []int) Dataset {
	d, err := c.Select(rows)
	if err != nil {
		panic(err)
	}
	return d
}

// Image returns example i's image (or layer output) in d: a view of d.Images, not a copy.
func (d Dataset) Image(i int) []float32 {
	size := len(d.Images) / d.Len()
	return d.Images[i*size : (i+1)*size]
}

// Classify returns the class the model gives each example of d (the highest score, in
// inference mode): what metrics' single-label functions take as predicted classes.
func (m *Model) Classify(d Dataset) ([]int, error) {
	if d.Layer != "" {
		return nil, fmt.Errorf("cnn: classify: the dataset holds outputs of layer %q, want images", d.Layer)
	}
	scores, err := m.PredictImages(d.Images)
	if err != nil {
		return nil, err
	}
	return metrics.Argmax(scores)
}

// MustClassify is [Model.Classify] for notebooks: it panics on error.
func (m *Model) MustClassify(d Dataset) []int {
	classes, err := m.Classify(d)
	if err != nil {
		panic(err)
	}
	return classes
}

// Gap is a network's accuracy on its training clips and on its validation clips, and
// their difference (training minus validation), each with a bootstrap confidence
// interval: how far it has memorised its training set rather than learnt what carries
// over.
type Gap struct {
	Train, Validation metrics.Interval
	// Difference is Train's estimate minus Validation's, with its own interval
	// (metrics.AccuracyGapInterval).
	Difference metrics.Interval
}

// String writes the gap as lesson 03 prints it: "training 94.1 % [86.1, 100.0],
// validation 62.5 % [35.3, 86.7]: a gap of 31.6 points [3.2, 59.1]".
func (g Gap) String() string {
	return fmt.Sprintf("training %s, validation %s: a gap of %.1f points [%.1f, %.1f]",
		g.Train.Percent(), g.Validation.Percent(), 100*g.Difference.Estimate,
		100*g.Difference.Lower, 100*g.Difference.Upper)
}

// AccuracyGap measures a single-label model on clean images (inference mode) of the
// training rows given (all of Split.Train, or the few a run trained on) and of the
// validation part, and returns both accuracies and their gap, each with a bootstrap
// interval. config.Groups, when set, names the group of every row of c.Labels (the bird
// singing in it, say): whole groups are redrawn, and a group on both sides is drawn for
// both at once (see metrics.AccuracyGapInterval). The model is held fixed: the intervals
// say how well these recordings measure it, not how another training run would do.
func (c Corpus) AccuracyGap(m *Model, trainRows []int, config metrics.BootstrapConfig) (Gap, error) {
	if config.Groups != nil && len(config.Groups) != len(c.Labels.Rows) {
		return Gap{}, fmt.Errorf("cnn: accuracy gap: %d group keys for a label table of %d rows, want one per row", len(config.Groups), len(c.Labels.Rows))
	}
	train, err := c.Select(trainRows)
	if err != nil {
		return Gap{}, err
	}
	if train.Labels.IsMulti() || c.Validation.Labels.IsMulti() {
		return Gap{}, fmt.Errorf("cnn: accuracy gap: multi-label data, want one class per example")
	}
	trainPredicted, err := m.Classify(train)
	if err != nil {
		return Gap{}, err
	}
	valPredicted, err := m.Classify(c.Validation)
	if err != nil {
		return Gap{}, err
	}
	groupsOf := func(rows []int) []string {
		if config.Groups == nil {
			return nil
		}
		groups := make([]string, len(rows))
		for i, r := range rows {
			groups[i] = config.Groups[r]
		}
		return groups
	}
	var g Gap
	sideConfig := config
	sideConfig.Groups = groupsOf(trainRows)
	if g.Train, err = metrics.AccuracyInterval(train.Labels.Index, trainPredicted, sideConfig); err != nil {
		return Gap{}, fmt.Errorf("cnn: accuracy gap, training side: %w", err)
	}
	sideConfig.Groups = groupsOf(c.Split.Validation)
	if g.Validation, err = metrics.AccuracyInterval(c.Validation.Labels.Index, valPredicted, sideConfig); err != nil {
		return Gap{}, fmt.Errorf("cnn: accuracy gap, validation side: %w", err)
	}
	if config.Groups != nil {
		config.Groups = slices.Concat(groupsOf(trainRows), groupsOf(c.Split.Validation))
	}
	g.Difference, err = metrics.AccuracyGapInterval(train.Labels.Index, trainPredicted,
		c.Validation.Labels.Index, valPredicted, config)
	if err != nil {
		return Gap{}, fmt.Errorf("cnn: accuracy gap: %w", err)
	}
	return g, nil
}

// MustAccuracyGap is [Corpus.AccuracyGap] for notebooks: it panics on error.
func (c Corpus) MustAccuracyGap(m *Model, trainRows []int, config metrics.BootstrapConfig) Gap {
	g, err := c.AccuracyGap(m, trainRows, config)
	if err != nil {
		panic(err)
	}
	return g
}

// MustTrain is [Train] for notebooks: it panics on error.
func MustTrain(m *Model, train, val Dataset, o TrainOptions) History {
	h, err := Train(m, train, val, o)
	if err != nil {
		panic(err)
	}
	return h
}

// MustEvaluate is [Model.Evaluate] for notebooks: it panics on error.
func (m *Model) MustEvaluate(data Dataset) (loss, accuracy float64) {
	loss, accuracy, err := m.Evaluate(data)
	if err != nil {
		panic(err)
	}
	return loss, accuracy
}

// WeightsDigest returns the hex SHA-256 of the weights file Save would write for the
// model now (Digest of its bytes): a fingerprint of the network's weights, the same for
// two models whose weights are the same bit for bit. It saves to a temporary directory,
// removed before it returns.
func (m *Model) WeightsDigest() (string, error) {
	dir, err := os.MkdirTemp("", "cnn-weights-digest")
	if err != nil {
		return "", fmt.Errorf("cnn: weights digest: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := m.Save(dir); err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(dir, WeightsFile))
	if err != nil {
		return "", fmt.Errorf("cnn: weights digest: %w", err)
	}
	return Digest(data), nil
}

// MustWeightsDigest is [Model.WeightsDigest] for notebooks: it panics on error.
func (m *Model) MustWeightsDigest() string {
	digest, err := m.WeightsDigest()
	if err != nil {
		panic(err)
	}
	return digest
}
