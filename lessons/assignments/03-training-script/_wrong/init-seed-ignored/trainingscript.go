// Package trainingscript, wrong: Train draws the initial weights from the package's
// Seed, not from o.Seed (the order of the examples still follows o.Seed, so two
// seeds still give two networks).
//
// caught by: TestSameSeedSameWeights
package trainingscript

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

func Train(train, val Clips, classes []string,
	o cnn.TrainOptions) (*cnn.Model, cnn.History, error) {
	// BEGIN SOLUTION
	m, err := cnn.New(Config(classes), Seed)
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
