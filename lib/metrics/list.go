package metrics

import (
	"fmt"
	"strings"
)

// List writes values each with format, separated by ", ": List("%.3f", v) gives
// "0.078, 0.018, 0.934". It is how the course prints a list of numbers, since Go's own
// form, [0.078 0.018 0.934], would read as an interval: in the course's outputs brackets
// always hold a 95 % interval ([Interval.String]). No values give "".
func List[T ~int | ~int64 | ~uint64 | ~float32 | ~float64](format string, values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf(format, v)
	}
	return strings.Join(parts, ", ")
}
