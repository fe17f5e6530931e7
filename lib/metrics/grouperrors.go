package metrics

import (
	"fmt"
	"math"
)

// GroupErrors says where a classifier's errors fall: how many of the clips it gets wrong
// are taken for another class of the true class's group (a species for its sibling in the
// same family) rather than for a class of another group.
type GroupErrors struct {
	// Clips, Errors and WithinGroup count the clips, the wrong predictions, and the wrong
	// predictions of a class in the true class's group; Errors − WithinGroup went across
	// groups.
	Clips, Errors, WithinGroup int
	// Accuracy is the share of right predictions and WithinGroupShare WithinGroup/Errors,
	// each with a bootstrap interval over the clips (config.Groups redraws whole
	// recordings). A resample without an error has no share and is skipped
	// (Interval.Skipped); with no error at all, WithinGroupShare's Estimate, Lower and
	// Upper are NaN, as one cannot say where errors go when there are none.
	Accuracy, WithinGroupShare Interval
}

// ErrorsWithinGroups counts where the wrong predictions of a classifier fall. truth and
// predicted hold one class index per clip, groupOfClass the group of each class (its
// family, by name or by number). Set WithinGroupShare against the share that errors
// falling at random would give (for a class with one sibling among C classes, 1 in C−1)
// to say whether errors go to related classes more than by chance. A class outside
// groupOfClass, or predictions of another length, is an error giving the sizes.
func ErrorsWithinGroups[G comparable](truth, predicted []int, groupOfClass []G, config BootstrapConfig) (GroupErrors, error) {
	correct, err := agreement(truth, predicted, "predictions")
	if err != nil {
		return GroupErrors{}, err
	}
	errs, within := make([]float64, len(truth)), make([]float64, len(truth))
	out := GroupErrors{Clips: len(truth)}
	for i := range truth {
		if truth[i] < 0 || truth[i] >= len(groupOfClass) || predicted[i] < 0 || predicted[i] >= len(groupOfClass) {
			return GroupErrors{}, fmt.Errorf("metrics: clip %d has class %d predicted as %d, but groups are given for classes 0 to %d", i, truth[i], predicted[i], len(groupOfClass)-1)
		}
		if correct[i] == 0 {
			errs[i] = 1
			out.Errors++
			if groupOfClass[truth[i]] == groupOfClass[predicted[i]] {
				within[i] = 1
				out.WithinGroup++
			}
		}
	}
	if out.Accuracy, err = BootstrapMean(correct, config); err != nil {
		return GroupErrors{}, err
	}
	if out.Errors == 0 {
		nan := math.NaN()
		out.WithinGroupShare = Interval{Estimate: nan, Lower: nan, Upper: nan, Level: config.withDefaults().Level}
		return out, nil
	}
	if out.WithinGroupShare, err = BootstrapRatio(within, errs, config); err != nil {
		return GroupErrors{}, err
	}
	return out, nil
}

// MustErrorsWithinGroups is [ErrorsWithinGroups] for notebooks: it panics on an error.
func MustErrorsWithinGroups[G comparable](truth, predicted []int, groupOfClass []G, config BootstrapConfig) GroupErrors {
	g, err := ErrorsWithinGroups(truth, predicted, groupOfClass, config)
	if err != nil {
		panic(err)
	}
	return g
}
