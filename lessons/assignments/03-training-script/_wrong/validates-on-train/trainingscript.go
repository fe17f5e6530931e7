// Package trainingscript, wrong: Train records its validation metrics on the
// training clips, not on val.
//
// caught by: TestValidationRecorded
package trainingscript

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

func Train(train, val Clips, classes []string,
	o cnn.TrainOptions) (*cnn.Model, cnn.History, error) {
	// BEGIN SOLUTION
	m, err := cnn.New(Config(classes), o.Seed)
	if err != nil {
		return nil, cnn.History{}, err
	}
	labels := dataset.SingleLabel(train.Classes, len(classes))
	trainData, err := m.NewDataset(train.Samples, labels)
	if err != nil {
		return nil, cnn.History{}, fmt.Errorf("trainingscript: %w", err)
	}
	history, err := cnn.Train(m, trainData, trainData, o)
	if err != nil {
		return nil, cnn.History{}, err
	}
	return m, history, nil
	// END SOLUTION
}
