// Package trainingscript, wrong: Split shuffles clips, not recordings, so clips of
// one recording land in training and in test.
//
// caught by: TestSplitGroupsRecordings
package trainingscript

import (
	"math/rand/v2"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

func Split(labels *dataset.LabelTable) (dataset.Split, error) {
	// BEGIN SOLUTION
	rows := rand.New(rand.NewPCG(Seed, 0)).Perm(len(labels.Rows))
	n := len(rows)
	return dataset.Split{Train: rows[:n*6/10], Validation: rows[n*6/10 : n*8/10], Test: rows[n*8/10:]}, nil
	// END SOLUTION
}
