package selfcheck

import (
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
)

// Checker runs an exercise cell's checks and prints one line per check to its writer.
type Checker struct {
	w              io.Writer
	passed, failed int
}

// New returns a Checker that prints to standard output (the cell's output in a notebook).
func New() *Checker { return NewTo(os.Stdout) }

// NewTo returns a Checker that prints to w.
func NewTo(w io.Writer) *Checker { return &Checker{w: w} }

// Passed and Failed count the checks run so far.
func (c *Checker) Passed() int { return c.passed }

// Failed counts the checks run so far that did not pass.
func (c *Checker) Failed() int { return c.failed }

// report prints the line of one check and counts it.
func (c *Checker) report(name string, ok bool, got, hint string) bool {
	if ok {
		c.passed++
		fmt.Fprintf(c.w, "✓ %s: right (%s)\n", name, got)
		return true
	}
	c.failed++
	fmt.Fprintf(c.w, "✗ %s: not yet (your answer: %s). Hint: %s\n", name, got, hint)
	return false
}

// formatNumber writes x with up to 4 significant digits, and a number that is not
// finite in words.
func formatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "not a number"
	case math.IsInf(x, 1):
		return "infinite"
	case math.IsInf(x, -1):
		return "minus infinite"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// Near checks that got is within tolerance of want (|got − want| ≤ tolerance).
func (c *Checker) Near(name string, got, want, tolerance float64, hint string) bool {
	ok := !math.IsNaN(got) && math.Abs(got-want) <= tolerance
	return c.report(name, ok, formatNumber(got), hint)
}

// Between checks that low ≤ got ≤ high.
func (c *Checker) Between(name string, got, low, high float64, hint string) bool {
	ok := got >= low && got <= high
	return c.report(name, ok, formatNumber(got), hint)
}

// Equal checks that got is want: an exact answer, such as a count or a word, of the
// same type (an int is not an int64; reflect.DeepEqual compares them, so slices may be
// answers too).
func (c *Checker) Equal(name string, got, want any, hint string) bool {
	answer := fmt.Sprint(got)
	if text, ok := got.(string); ok {
		answer = strconv.Quote(text) // an empty answer shows as ""
	}
	return c.report(name, reflect.DeepEqual(got, want), answer, hint)
}

// That checks a condition the cell computed; got says what was measured, for the line.
func (c *Checker) That(name string, ok bool, got, hint string) bool {
	return c.report(name, ok, got, hint)
}

// Done prints how many of the checks pass, and returns whether all did.
func (c *Checker) Done() bool {
	total := c.passed + c.failed
	switch {
	case total == 0:
		fmt.Fprintln(c.w, "no checks ran")
	case c.failed == 0:
		fmt.Fprintf(c.w, "all %d checks pass\n", total)
	default:
		fmt.Fprintf(c.w, "%d of %d checks pass: edit your answers above and run the cell again\n", c.passed, total)
	}
	return total > 0 && c.failed == 0
}
