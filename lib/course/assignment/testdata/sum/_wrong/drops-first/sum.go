// Package sum, wrong: the loop starts at the second number, an off-by-one.
//
// caught by: TestSum
package sum

// Sum adds xs.
func Sum(xs []float64) float64 {
	// BEGIN SOLUTION
	total := 0.0
	for i := 1; i < len(xs); i++ {
		total += xs[i]
	}
	return total
	// END SOLUTION
}
