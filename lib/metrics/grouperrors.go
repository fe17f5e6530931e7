package metrics

import "fmt"

// ErrorsWithinGroups splits the errors of a confusion matrix (rows true classes, columns
// predicted classes, as ConfusionMatrix returns) by whether the predicted class is in the
// true class's group (groupOfClass[k] names class k's group: its family, say): within
// counts the clips mistaken for another class of their own group, across those mistaken
// for a class of another group. within + across is every off-diagonal clip. A matrix that
// is not square, or a groupOfClass of another length, is an error giving both sizes.
func ErrorsWithinGroups(confusion [][]int, groupOfClass []string) (within, across int, err error) {
	if len(groupOfClass) != len(confusion) {
		return 0, 0, fmt.Errorf("metrics: %d group names for a confusion matrix of %d classes", len(groupOfClass), len(confusion))
	}
	for t, row := range confusion {
		if len(row) != len(confusion) {
			return 0, 0, fmt.Errorf("metrics: confusion matrix row %d has %d columns, want %d", t, len(row), len(confusion))
		}
		for p, n := range row {
			switch {
			case p == t:
			case groupOfClass[p] == groupOfClass[t]:
				within += n
			default:
				across += n
			}
		}
	}
	return within, across, nil
}

// MustErrorsWithinGroups is [ErrorsWithinGroups] for notebooks: it panics on an error.
func MustErrorsWithinGroups(confusion [][]int, groupOfClass []string) (within, across int) {
	within, across, err := ErrorsWithinGroups(confusion, groupOfClass)
	if err != nil {
		panic(err)
	}
	return within, across
}
