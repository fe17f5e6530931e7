// Package trainingscript is the assignment of lesson 03: your own training script
// for the course's CNN, written as functions that a program (or a notebook) calls
// in order, and that the autograder calls on tiny data sets:
//
//	split, _ := Split(labels) // which recordings train, validate, test
//	model, history, _ := Train(trainClips, valClips, labels.Classes, TrainOptions(dir))
//
// Write the parts marked TODO; lesson 03 (lessons/03-training-a-cnn.md) shows every
// call you need. Grade your version with `make grade A=03-training-script`.
package trainingscript

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Seed is the seed of everything random in your script: the split, the initial
// weights, the order of the examples, the augmentations and dropout.
const Seed = 1

// Clips are labelled audio clips: mono samples at the front end's sample rate
// (Config's FrontEnd.SampleRateHz, 22050 Hz by default), at most one clip long,
// and the class index of each.
type Clips struct {
	Samples [][]float32
	Classes []int
}

// Split divides the rows of labels into a training, a validation and a test
// part (about 60 %, 20 % and 20 % of the recordings), stratified by class and
// grouped by recording: all clips of one recording (rows with the same File)
// land in the same part, so that no recording leaks from training into
// validation or test. It uses Seed.
func Split(labels *dataset.LabelTable) (dataset.Split, error) {
	// BEGIN SOLUTION a stratified split grouped by recording (dataset.StratifiedGroupSplit)
	return dataset.StratifiedGroupSplit(labels,
		dataset.SplitOptions{Train: 0.6, Validation: 0.2, Test: 0.2, Seed: Seed})
	// END SOLUTION
}

// Config returns the configuration of your network for the given classes: a
// single-label classifier with one output per class, reading the course's
// front-end images (choose their size: lesson 03 uses a hop of 1024 samples and
// 32 mel bands to train faster).
func Config(classes []string) cnn.Config {
	// BEGIN SOLUTION the network's configuration: front end, widths, dropout, head and classes
	return cnn.Config{
		FrontEnd: spectro.FrontEndOptions{Hop: 1024, NumMels: 32},
		Dropout:  0.2,
		Head:     cnn.SingleLabel,
		Classes:  classes,
	}
	// END SOLUTION
}

// TrainOptions returns the options of your full training run: steps, batch
// size, learning rate with its warm-up, weight decay, augmentation, Seed, and a
// record of the training and validation metrics often enough to draw curves (at
// least 10 records over the run); checkpoints are written to checkpointDir, so
// that an interrupted run resumes.
func TrainOptions(checkpointDir string) cnn.TrainOptions {
	// BEGIN SOLUTION your training options (cnn.TrainOptions), with augmentation, Seed and checkpointDir
	return cnn.TrainOptions{
		Steps:        300,
		BatchSize:    16,
		LearningRate: 3e-3,
		WarmupSteps:  15,
		WeightDecay:  1e-4,
		EvalEvery:    15,
		Augment: cnn.Augment{
			TimeShiftFrames: 20,
			TimeMasks:       1, TimeMaskFrames: 15,
			FreqMasks: 1, FreqMaskBands: 8,
			MixupProbability: 0.3,
		},
		Seed:          Seed,
		CheckpointDir: checkpointDir,
	}
	// END SOLUTION
}

// Train builds a network with Config(classes), its initial weights drawn from
// o.Seed, turns the clips into images with the network's front end, and trains
// it with the options o on train while recording metrics on val. It returns the
// trained network and the history of the run (when o.CheckpointDir holds a
// checkpoint, the run resumes from it, and the history covers the whole run).
func Train(train, val Clips, classes []string,
	o cnn.TrainOptions) (*cnn.Model, cnn.History, error) {
	// BEGIN SOLUTION build the model, make the training and validation data sets, train
	m, err := cnn.New(Config(classes), o.Seed)
	if err != nil {
		return nil, cnn.History{}, err
	}
	datasets := make([]cnn.Dataset, 2)
	for i, clips := range []Clips{train, val} {
		labels := dataset.SingleLabel(clips.Classes, len(classes))
		if datasets[i], err = m.NewDataset(clips.Samples, labels); err != nil {
			return nil, cnn.History{}, fmt.Errorf("trainingscript: %w", err)
		}
	}
	history, err := cnn.Train(m, datasets[0], datasets[1], o)
	if err != nil {
		return nil, cnn.History{}, err
	}
	return m, history, nil
	// END SOLUTION
}
