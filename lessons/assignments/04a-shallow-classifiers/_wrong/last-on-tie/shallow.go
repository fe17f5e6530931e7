// Package shallow, wrong: on a tie of validation accuracies ChooseAndTest keeps the
// last candidate, not the first (≥ instead of >).
//
// caught by: TestChooseRealClassifiers
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
		if accuracy >= best {
			best, res.Chosen = accuracy, c.Name
		}
	}
	for _, c := range candidates {
		if c.Name == res.Chosen {
			res.TestAccuracy, err = fitAndScore(c.New(), x, labels, train, test)
			if err != nil {
				return Result{}, fmt.Errorf("shallow: %s: %w", c.Name, err)
			}
			break
		}
	}
	return res, nil
	// END SOLUTION
}
