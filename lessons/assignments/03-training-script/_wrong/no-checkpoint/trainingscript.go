// Package trainingscript, wrong: TrainOptions forgets the checkpoint directory, so
// an interrupted run starts over.
//
// caught by: TestTrainOptions, TestCheckpointResumes
package trainingscript

import "github.com/dawnchorus/dawnchorus/lib/cnn"

func TrainOptions(checkpointDir string) cnn.TrainOptions {
	// BEGIN SOLUTION
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
		Seed: Seed,
	}
	// END SOLUTION
}
