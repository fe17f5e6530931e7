// Package shallow, wrong: ChooseAndTest tests the chosen candidate as it was fitted
// for validation, on the fit rows only, instead of refitting it on all the training
// rows.
//
// caught by: TestChooseByValidation
package shallow

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

func ChooseAndTest(x [][]float32, labels *dataset.LabelTable, train, test []int,
	candidates []Candidate, validationPerClass int, seed uint64) (Result, error) {
	// BEGIN SOLUTION
	if len(candidates) == 0 {
		return Result{}, fmt.Errorf("shallow: no candidates")
	}
	fit, validation, err := SplitValidation(labels, train, validationPerClass, seed)
	if err != nil {
		return Result{}, err
	}
	res := Result{ValidationAccuracy: map[string]float64{}}
	best := -1.0
	for _, c := range candidates {
		accuracy, err := fitAndScore(c.New(), x, labels, fit, validation)
		if err != nil {
			return Result{}, fmt.Errorf("shallow: %s: %w", c.Name, err)
		}
		res.ValidationAccuracy[c.Name] = accuracy
		if accuracy > best {
			best, res.Chosen = accuracy, c.Name
			// The fitted model is scored on the test rows right away.
			if res.TestAccuracy, err = fitAndScore(c.New(), x, labels, fit, test); err != nil {
				return Result{}, err
			}
		}
	}
	return res, nil
	// END SOLUTION
}
