package classify

import (
	"errors"
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Classifier is what every shallow classifier of this package does: learn
// from feature rows and their labels, then score and label new rows.
//
// x is always a slice of rows, one []float32 of features per example (an
// embedding or a vector of handcrafted features); all rows have the same
// length. Each fitted model standardizes features itself (mean 0, standard
// deviation 1 per feature, learnt in Fit and saved with the model), so callers
// pass raw features.
type Classifier interface {
	// Name is the kind of classifier with its main settings, for tables and logs
	// (e.g. "logistic regression (C=1)").
	Name() string
	// Fit learns the model from x (rows × features) and y (one label entry per
	// row). Fitting again starts from scratch.
	Fit(x [][]float32, y dataset.Labels) error
	// PredictProba returns one row of class scores in [0, 1] per row of x:
	// softmax probabilities summing to 1 for a model fitted on single labels,
	// independent per-class probabilities for a model fitted on multi-hot labels.
	PredictProba(x [][]float32) ([][]float32, error)
	// Predict returns labels of the kind the model was fitted on: class indices
	// (the most probable class) or multi-hot (classes with probability ≥ 0.5).
	Predict(x [][]float32) (dataset.Labels, error)
	// NumWeights is the number of learnt numbers in the fitted model (0 before
	// Fit); each type's doc says what it counts. The 2 numbers per feature of the
	// standardization are not counted.
	NumWeights() int
	// Save writes the fitted model to path atomically; Load reads it back.
	Save(path string) error
}

// Iterative is implemented by classifiers fitted by an iterative solver that
// can stop at its iteration limit before converging (LogisticRegression):
// callers that fit many models (fewshot.Compare) report such fits.
type Iterative interface {
	// Iterations is the number of iterations the last Fit took.
	Iterations() int
	// Converged reports whether the last Fit met its tolerance before its limit.
	Converged() bool
	// Warning is "" after a converged Fit, else a sentence saying it stopped short.
	Warning() string
}

// ErrInput is wrapped by every error about bad features or labels.
var ErrInput = errors.New("bad input")

// ErrNotFitted is returned when a model is used before Fit or Load.
var ErrNotFitted = errors.New("classifier not fitted")

// checkFeatures checks x is a non-empty, rectangular matrix of finite values
// with want columns (any when want < 0) and returns its column count.
func checkFeatures(x [][]float32, want int) (int, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("classify: no feature rows: %w", ErrInput)
	}
	d := len(x[0])
	if want >= 0 && d != want {
		return 0, fmt.Errorf("classify: row 0 has %d features, the model was fitted on %d: %w", d, want, ErrInput)
	}
	if d == 0 {
		return 0, fmt.Errorf("classify: rows have no features: %w", ErrInput)
	}
	for i, row := range x {
		if len(row) != d {
			return 0, fmt.Errorf("classify: row %d has %d features, row 0 has %d (ragged rows): %w", i, len(row), d, ErrInput)
		}
		if j := vec.Finite(row); j >= 0 {
			return 0, fmt.Errorf("classify: row %d feature %d is %v: %w", i, j, row[j], ErrInput)
		}
	}
	return d, nil
}

// checkLabels checks y matches n examples and has at least two classes
// present (single-label) or is rectangular and 0/1 (multi-label).
func checkLabels(y dataset.Labels, n int) error {
	if y.Len() != n {
		return fmt.Errorf("classify: %d labels for %d feature rows: %w", y.Len(), n, ErrInput)
	}
	if y.NumClasses < 1 {
		return fmt.Errorf("classify: labels have %d classes: %w", y.NumClasses, ErrInput)
	}
	if y.Hot != nil {
		for i, row := range y.Hot {
			if len(row) != y.NumClasses {
				return fmt.Errorf("classify: multi-hot label row %d has %d classes, expected %d: %w", i, len(row), y.NumClasses, ErrInput)
			}
			for c, v := range row {
				if v != 0 && v != 1 {
					return fmt.Errorf("classify: multi-hot label row %d class %d is %d, want 0 or 1: %w", i, c, v, ErrInput)
				}
			}
		}
		return nil
	}
	if y.NumClasses < 2 {
		return fmt.Errorf("classify: single-label data needs at least 2 classes, got %d: %w", y.NumClasses, ErrInput)
	}
	seen := map[int]bool{}
	for i, c := range y.Index {
		if c < 0 || c >= y.NumClasses {
			return fmt.Errorf("classify: label %d is class %d, outside [0, %d): %w", i, c, y.NumClasses, ErrInput)
		}
		seen[c] = true
	}
	if len(seen) < 2 {
		return fmt.Errorf("classify: all %d examples have the same class %d; a classifier needs at least 2 classes present: %w", n, y.Index[0], ErrInput)
	}
	return nil
}

// scaler standardizes features: (x - Mean) / Std per feature, as
// scikit-learn's StandardScaler (population standard deviation; a constant
// feature keeps scale 1).
type scaler struct {
	Mean, Std []float64
}

// epsilon64 is the float64 machine epsilon (numpy's finfo(float64).eps).
const epsilon64 = 2.220446049250313e-16

// fitScaler learns the per-feature mean and standard deviation of x.
func fitScaler(x [][]float32) scaler {
	d := len(x[0])
	s := scaler{Mean: make([]float64, d), Std: make([]float64, d)}
	for _, row := range x {
		for j, v := range row {
			s.Mean[j] += float64(v)
		}
	}
	n := float64(len(x))
	for j := range s.Mean {
		s.Mean[j] /= n
	}
	for _, row := range x {
		for j, v := range row {
			dv := float64(v) - s.Mean[j]
			s.Std[j] += dv * dv
		}
	}
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / n)
		if s.Std[j] < 10*epsilon64 { // scikit-learn's test for a constant feature.
			s.Std[j] = 1
		}
	}
	return s
}

// transform returns the standardized rows, flattened row-major (n × d).
func (s scaler) transform(x [][]float32) []float64 { return standardize[float64](s, x) }

// transform32 is transform in float32.
func (s scaler) transform32(x [][]float32) []float32 { return standardize[float32](s, x) }

func standardize[T float32 | float64](s scaler, x [][]float32) []T {
	d := len(s.Mean)
	out := make([]T, len(x)*d)
	for i, row := range x {
		o := out[i*d : (i+1)*d]
		for j, v := range row {
			o[j] = T((float64(v) - s.Mean[j]) / s.Std[j])
		}
	}
	return out
}

// header is what every fitted model keeps besides its own weights.
type header struct {
	NumFeatures, NumClasses int
	Multi                   bool
	Scaler                  scaler
}

// begin validates a Fit's inputs and returns the header of the new model.
func begin(x [][]float32, y dataset.Labels) (header, error) {
	d, err := checkFeatures(x, -1)
	if err != nil {
		return header{}, err
	}
	if err := checkLabels(y, len(x)); err != nil {
		return header{}, err
	}
	return header{NumFeatures: d, NumClasses: y.NumClasses, Multi: y.IsMulti(), Scaler: fitScaler(x)}, nil
}

// check validates Predict inputs against a fitted header (nil: not fitted).
func (h *header) check(x [][]float32, name string) error {
	if h == nil {
		return fmt.Errorf("classify: %s: %w", name, ErrNotFitted)
	}
	_, err := checkFeatures(x, h.NumFeatures)
	return err
}

// labelsFromProba turns probabilities into labels: argmax for single-label,
// p ≥ 0.5 for multi-label.
func labelsFromProba(p [][]float32, k int, multi bool) dataset.Labels {
	if multi {
		hot := make([][]int, len(p))
		for i, row := range p {
			hot[i] = make([]int, k)
			for c, v := range row {
				if v >= 0.5 {
					hot[i][c] = 1
				}
			}
		}
		return dataset.Labels{NumClasses: k, Hot: hot}
	}
	index := make([]int, len(p))
	for i, row := range p {
		index[i] = vec.Argmax(row)
	}
	return dataset.Labels{NumClasses: k, Index: index}
}

// ExactMatches says, for each example, whether its predicted labels equal the true ones
// exactly: the one class for a single-label example, every class (none missing, none
// extra) for a multi-label one. It is the one definition of "right" that Accuracy and
// fewshot's per-row intervals share. Labels of different lengths, class counts or
// encodings, or none at all, are an error.
func ExactMatches(truth, predicted dataset.Labels) ([]bool, error) {
	if truth.Len() != predicted.Len() || truth.NumClasses != predicted.NumClasses || truth.IsMulti() != predicted.IsMulti() {
		return nil, fmt.Errorf("classify: comparing %d labels (%d classes, multi=%v) with %d (%d classes, multi=%v): %w",
			truth.Len(), truth.NumClasses, truth.IsMulti(), predicted.Len(), predicted.NumClasses, predicted.IsMulti(), ErrInput)
	}
	if truth.Len() == 0 {
		return nil, fmt.Errorf("classify: no labels to compare: %w", ErrInput)
	}
	right := make([]bool, truth.Len())
	for i := range right {
		right[i] = true
		for c := 0; c < truth.NumClasses; c++ {
			if truth.Has(i, c) != predicted.Has(i, c) {
				right[i] = false
				break
			}
		}
	}
	return right, nil
}

// FractionTrue is the fraction of ok that is true, in [0, 1]: the accuracy of a list of
// ExactMatches. It is 0 for an empty list.
func FractionTrue(ok []bool) float64 {
	if len(ok) == 0 {
		return 0
	}
	n := 0
	for _, v := range ok {
		if v {
			n++
		}
	}
	return float64(n) / float64(len(ok))
}

// Accuracy is the fraction of examples whose predicted labels equal the true
// ones exactly (ExactMatches; for multi-label: all classes right, scikit-learn's
// subset accuracy). See lib/metrics for the other measures.
func Accuracy(truth, predicted dataset.Labels) (float64, error) {
	right, err := ExactMatches(truth, predicted)
	if err != nil {
		return 0, err
	}
	return FractionTrue(right), nil
}

// Named returns model under another name: for a table that compares settings its own
// Name does not show (an MLP's weight decay or number of steps). Everything else is
// model's; the Iterative methods, where model has them, are not passed on.
func Named(name string, model Classifier) Classifier { return named{model, name} }

// named is Named's classifier.
type named struct {
	Classifier
	name string
}

// Name implements Classifier.
func (n named) Name() string { return n.name }
