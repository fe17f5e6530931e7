package active

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"

	"github.com/dawnchorus/dawnchorus/lib/classify"
)

// FromClassify adapts a lib/classify classifier (logistic regression, MLP, forest, SVM,
// k-NN…) to the loop's Classifier, whose labels are plain class indices: Fit passes y
// on as dataset.SingleLabel(y, max(y)+1).
//
// Early rounds often hold only some classes (say 0, 3 and 7 of 20): the classes between
// them that have no examples yet stay in the model, as columns whose probability the
// fit drives towards zero, so every class keeps its index and PredictProba returns
// max(y)+1 columns (the loop pads the missing higher classes with zeros). Two classes
// present are enough; classify rejects fewer.
//
// Use it in Options.NewClassifier, which must return a fresh model every round:
//
//	NewClassifier: func() active.Classifier {
//		return active.FromClassify(classify.NewLogisticRegression(classify.LogisticOptions{}))
//	}
func FromClassify(c classify.Classifier) Classifier {
	return classifyAdapter{c}
}

// classifyAdapter is the Classifier FromClassify returns.
type classifyAdapter struct {
	model classify.Classifier
}

// Fit implements Classifier.
func (a classifyAdapter) Fit(x [][]float32, y []int) error {
	numClasses := 0
	for i, c := range y {
		if c < 0 {
			return fmt.Errorf("active: %s: label %d is class %d, must be ≥ 0", a.model.Name(), i, c)
		}
		numClasses = max(numClasses, c+1)
	}
	if err := a.model.Fit(x, dataset.SingleLabel(y, numClasses)); err != nil {
		return fmt.Errorf("active: %w", err)
	}
	return nil
}

// PredictProba implements Classifier.
func (a classifyAdapter) PredictProba(x [][]float32) ([][]float32, error) {
	p, err := a.model.PredictProba(x)
	if err != nil {
		return nil, fmt.Errorf("active: %w", err)
	}
	return p, nil
}
