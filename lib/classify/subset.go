package classify

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Subset returns the features and the single-label classes of the given rows of a label
// table, in that order: what a classifier is fitted or scored on. features[i] belongs to
// t.Rows[i] (an embedding or feature vector per row); nil rows means every row. The vectors
// are shared, not copied.
func Subset(t *dataset.LabelTable, features [][]float32, rows []int) ([][]float32, dataset.Labels, error) {
	if len(features) != len(t.Rows) {
		return nil, dataset.Labels{}, fmt.Errorf("classify: %d feature vectors for a label table of %d rows", len(features), len(t.Rows))
	}
	if rows == nil {
		rows = t.AllRows()
	}
	y, err := dataset.FromTable(t, rows, dataset.ClassIndex)
	if err != nil {
		return nil, dataset.Labels{}, err
	}
	x := make([][]float32, len(rows))
	for i, r := range rows {
		x[i] = features[r] // r is in range: dataset.FromTable checked it
	}
	return x, y, nil
}

// MustSubset is [Subset] for notebooks: it panics on error.
func MustSubset(t *dataset.LabelTable, features [][]float32, rows []int) ([][]float32, dataset.Labels) {
	x, y, err := Subset(t, features, rows)
	if err != nil {
		panic(err)
	}
	return x, y
}

// FitAccuracy fits model on (xTrain, yTrain) and returns the fraction of (x, y) it then
// classifies right: one train-and-test measurement.
func FitAccuracy(model Classifier, xTrain [][]float32, yTrain dataset.Labels, x [][]float32, y dataset.Labels) (float64, error) {
	predicted, err := FitPredict(model, xTrain, yTrain, x)
	if err != nil {
		return 0, err
	}
	return Accuracy(y, predicted)
}

// FitPredict fits model on (xTrain, yTrain) and returns the labels it then predicts for
// each row of x (class indices for single-label training data): one model fitted on a
// training set and applied to a test set, as FitAccuracy and a comparison of models on
// the same test rows both need.
func FitPredict(model Classifier, xTrain [][]float32, yTrain dataset.Labels, x [][]float32) (dataset.Labels, error) {
	if err := model.Fit(xTrain, yTrain); err != nil {
		return dataset.Labels{}, fmt.Errorf("classify: fitting %s: %w", model.Name(), err)
	}
	predicted, err := model.Predict(x)
	if err != nil {
		return dataset.Labels{}, fmt.Errorf("classify: %s predicting: %w", model.Name(), err)
	}
	return predicted, nil
}

// MustFitPredict is [FitPredict] for notebooks: it panics on error.
func MustFitPredict(model Classifier, xTrain [][]float32, yTrain dataset.Labels, x [][]float32) dataset.Labels {
	predicted, err := FitPredict(model, xTrain, yTrain, x)
	if err != nil {
		panic(err)
	}
	return predicted
}

// FitPredictSplit fits model on the rows of split.Train of the single-label table t and
// returns the true and the predicted classes of the rows of split.Test, in split.Test's
// order: one train-and-test measurement, kept as predictions so that an accuracy, its
// bootstrap interval (metrics.AccuracyInterval) or a confusion matrix can be computed
// from them. features[i] belongs to t.Rows[i] (see [Subset]); split.Validation is unused.
// An empty Train or Test is an error (Subset would read nil as every row).
func FitPredictSplit(model Classifier, t *dataset.LabelTable, features [][]float32, split dataset.Split) (truth, predicted dataset.Labels, err error) {
	if len(split.Train) == 0 || len(split.Test) == 0 {
		return dataset.Labels{}, dataset.Labels{}, fmt.Errorf("classify: a split of %d training and %d test rows, want at least one of each", len(split.Train), len(split.Test))
	}
	xTrain, yTrain, err := Subset(t, features, split.Train)
	if err != nil {
		return dataset.Labels{}, dataset.Labels{}, err
	}
	x, truth, err := Subset(t, features, split.Test)
	if err != nil {
		return dataset.Labels{}, dataset.Labels{}, err
	}
	predicted, err = FitPredict(model, xTrain, yTrain, x)
	if err != nil {
		return dataset.Labels{}, dataset.Labels{}, err
	}
	return truth, predicted, nil
}

// MustFitPredictSplit is [FitPredictSplit] for notebooks: it panics on error.
func MustFitPredictSplit(model Classifier, t *dataset.LabelTable, features [][]float32, split dataset.Split) (truth, predicted dataset.Labels) {
	truth, predicted, err := FitPredictSplit(model, t, features, split)
	if err != nil {
		panic(err)
	}
	return truth, predicted
}

// MustFitAccuracy is [FitAccuracy] for notebooks: it panics on error.
func MustFitAccuracy(model Classifier, xTrain [][]float32, yTrain dataset.Labels, x [][]float32, y dataset.Labels) float64 {
	accuracy, err := FitAccuracy(model, xTrain, yTrain, x, y)
	if err != nil {
		panic(err)
	}
	return accuracy
}

// SplitScores holds a model's class scores on the validation and the test rows of a split,
// one row of scores per table row, in the split's order, as float64 for lib/metrics.
// Its JSON (lib/jsoncache) is {"Validation": [[…]], "Test": [[…]]}.
type SplitScores struct {
	Validation, Test [][]float64
}

// FitScores fits model on the train rows of a split of a label table, with features[i] the
// feature vector (an embedding) of t.Rows[i] and labels of the given kind
// (dataset.ClassIndex for one softmax over the classes, dataset.MultiHot for one sigmoid
// per class), and returns its PredictProba on the split's validation and test rows: what
// an evaluation reads. An empty validation or test part gives nil scores for it.
func FitScores(model Classifier, t *dataset.LabelTable, features [][]float32, split dataset.Split, kind dataset.LabelKind) (SplitScores, error) {
	if len(features) != len(t.Rows) {
		return SplitScores{}, fmt.Errorf("classify: fit scores: %d feature vectors for a label table of %d rows", len(features), len(t.Rows))
	}
	y, err := dataset.FromTable(t, split.Train, kind)
	if err != nil {
		return SplitScores{}, fmt.Errorf("classify: fit scores, train rows: %w", err)
	}
	if err := model.Fit(metrics.Rows(features, split.Train), y); err != nil {
		return SplitScores{}, fmt.Errorf("classify: fitting %s: %w", model.Name(), err)
	}
	predict := func(rows []int) ([][]float64, error) {
		if len(rows) == 0 {
			return nil, nil
		}
		for _, r := range rows {
			if r < 0 || r >= len(features) {
				return nil, fmt.Errorf("classify: fit scores: row %d outside the table's %d rows", r, len(features))
			}
		}
		p, err := model.PredictProba(metrics.Rows(features, rows))
		if err != nil {
			return nil, fmt.Errorf("classify: %s predicting: %w", model.Name(), err)
		}
		return metrics.Float64Rows(p), nil
	}
	var scores SplitScores
	if scores.Validation, err = predict(split.Validation); err != nil {
		return SplitScores{}, err
	}
	if scores.Test, err = predict(split.Test); err != nil {
		return SplitScores{}, err
	}
	return scores, nil
}

// MustFitScores is [FitScores] for notebooks: it panics on error.
func MustFitScores(model Classifier, t *dataset.LabelTable, features [][]float32, split dataset.Split, kind dataset.LabelKind) SplitScores {
	scores, err := FitScores(model, t, features, split, kind)
	if err != nil {
		panic(err)
	}
	return scores
}
