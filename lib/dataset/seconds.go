package dataset

import (
	"math"
	"strconv"
)

// RowTolerance is how far, in seconds, a clip's start may lie from a label-table row's
// start and still be that row's clip, and how far a row may end past its file's end and
// still lie inside it: 1 ms, the precision FormatSeconds writes.
const RowTolerance = 1e-3

// FormatSeconds writes a time in seconds rounded to the millisecond, in its shortest form
// ("2.5", "0.001"): how messages about a row's times and a file's length name them.
func FormatSeconds(seconds float64) string {
	return strconv.FormatFloat(math.Round(seconds*1000)/1000, 'f', -1, 64)
}
