// Package evaluation, wrong: GroupedSplit shuffles rows, not recordings, so the
// clips of one recording land on both sides of the split.
//
// caught by: TestGroupedSplit
package evaluation

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

func GroupedSplit(groups []string, testFraction float64,
	seed uint64) (train, test []int, err error) {
	// BEGIN SOLUTION
	if len(groups) == 0 {
		return nil, nil, errors.New("GroupedSplit: no rows")
	}
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, fmt.Errorf("GroupedSplit: test fraction %v: want a value in (0, 1)", testFraction)
	}
	rows := rand.New(rand.NewPCG(seed, 0)).Perm(len(groups))
	cut := int(testFraction*float64(len(groups)) + 0.999999)
	test, train = rows[:cut], rows[cut:]
	sort.Ints(train)
	sort.Ints(test)
	return train, test, nil
	// END SOLUTION
}
