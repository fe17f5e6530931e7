// Package evaluation, wrong: GroupedSplit returns the rows in the shuffled order of
// their recordings, not sorted as its doc comment promises. It scored full marks
// before issue 20.
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
	rowsOf := map[string][]int{}
	var names []string
	for i, g := range groups {
		if _, ok := rowsOf[g]; !ok {
			names = append(names, g)
		}
		rowsOf[g] = append(rowsOf[g], i)
	}
	sort.Strings(names)
	rng := rand.New(rand.NewPCG(seed, 0))
	rng.Shuffle(len(names), func(a, b int) { names[a], names[b] = names[b], names[a] })
	want := testFraction * float64(len(groups))
	for _, g := range names {
		if float64(len(test)) < want {
			test = append(test, rowsOf[g]...)
		} else {
			train = append(train, rowsOf[g]...)
		}
	}
	return train, test, nil
	// END SOLUTION
}
