// Package sum, wrong: it sorts the caller's numbers before adding them up, a mistake
// TestSum does not see (lib/course/assignment's tests use it to show the gate failing).
//
// caught by: TestSum
package sum

import "sort"

// Sum adds xs.
func Sum(xs []float64) float64 {
	// BEGIN SOLUTION
	sort.Float64s(xs)
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total
	// END SOLUTION
}
