// Package shallow, wrong: SplitValidation draws its validation rows from every row
// of the table, test rows included — a leak across the split.
//
// caught by: TestSplitValidation
package shallow

import (
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

func SplitValidation(labels *dataset.LabelTable, train []int, validationPerClass int,
	seed uint64) (fit, validation []int, err error) {
	// BEGIN SOLUTION
	validation, err = dataset.SamplePerClass(labels, nil, validationPerClass, seed)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range train {
		if !slices.Contains(validation, r) {
			fit = append(fit, r)
		}
	}
	slices.Sort(fit)
	return fit, validation, nil
	// END SOLUTION
}
