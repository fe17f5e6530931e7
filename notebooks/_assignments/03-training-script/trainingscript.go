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
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
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
	// TODO: a stratified split grouped by recording (dataset.StratifiedGroupSplit)
	panic("not implemented: a stratified split grouped by recording (dataset.StratifiedGroupSplit)")
}

// Config returns the configuration of your network for the given classes: a
// single-label classifier with one output per class, reading the course's
// front-end images (choose their size: lesson 03 uses a hop of 1024 samples and
// 32 mel bands to train faster).
func Config(classes []string) cnn.Config {
	// TODO: the network's configuration: front end, widths, dropout, head and classes
	panic("not implemented: the network's configuration: front end, widths, dropout, head and classes")
}

// TrainOptions returns the options of your full training run: steps, batch
// size, learning rate with its warm-up, weight decay, augmentation, Seed, and a
// record of the training and validation metrics often enough to draw curves (at
// least 10 records over the run); checkpoints are written to checkpointDir, so
// that an interrupted run resumes.
func TrainOptions(checkpointDir string) cnn.TrainOptions {
	// TODO: your training options (cnn.TrainOptions), with augmentation, Seed and checkpointDir
	panic("not implemented: your training options (cnn.TrainOptions), with augmentation, Seed and checkpointDir")
}

// Train builds a network with Config(classes), its initial weights drawn from
// o.Seed, turns the clips into images with the network's front end, and trains
// it with the options o on train while recording metrics on val. It returns the
// trained network and the history of the run (when o.CheckpointDir holds a
// checkpoint, the run resumes from it, and the history covers the whole run).
func Train(train, val Clips, classes []string,
	o cnn.TrainOptions) (*cnn.Model, cnn.History, error) {
	// TODO: build the model, make the training and validation data sets, train
	panic("not implemented: build the model, make the training and validation data sets, train")
}
