// Package shallow, wrong: ChooseAndTest chooses the candidate with the best test
// accuracy — the test clips choose the model that they then measure.
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
	res := Result{ValidationAccuracy: map[string]float64{}, TestAccuracy: -1}
	for _, c := range candidates {
		accuracy, err := fitAndScore(c.New(), x, labels, fit, validation)
		if err != nil {
			return Result{}, fmt.Errorf("shallow: %s: %w", c.Name, err)
		}
		res.ValidationAccuracy[c.Name] = accuracy
		testAccuracy, err := fitAndScore(c.New(), x, labels, train, test)
		if err != nil {
			return Result{}, fmt.Errorf("shallow: %s: %w", c.Name, err)
		}
		if testAccuracy > res.TestAccuracy {
			res.TestAccuracy, res.Chosen = testAccuracy, c.Name
		}
	}
	return res, nil
	// END SOLUTION
}
