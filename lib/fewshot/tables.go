package fewshot

import (
	"fmt"
	"math"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// seedList writes seeds as the lessons print a list: "1, 2, 3" (brackets mean a 95 %
// interval there, so a Go slice's "[1 2 3]" is not used).
func seedList(seeds []uint64) string {
	s := make([]string, len(seeds))
	for i, seed := range seeds {
		s[i] = fmt.Sprint(seed)
	}
	return strings.Join(s, ", ")
}

// Table writes the comparison of several classifiers (CompareClassifiers) or feature sets
// as the lessons print it: one line per result with its mean training accuracy, its mean
// test accuracy with the 95 % Student t interval over the distinct draws (Interval, in
// percent), the mean fit time in seconds and the number of weights. When reference is the
// index of a result, a last column gives every other result's test accuracy minus the
// reference's, in percentage points, with the 95 % t interval of the paired differences
// (Difference: every result saw the same draws), and a line under the table says so; a
// negative reference leaves the column out. With a single distinct draw the bounds cannot
// be computed and print as "—" (metrics.Interval.Bounds).
func (c *Comparison) Table(reference int) (string, error) {
	if reference >= len(c.Results) {
		return "", fmt.Errorf("%w: reference %d of %d results", ErrInput, reference, len(c.Results))
	}
	width := len("classifier (10 draws)")
	for _, r := range c.Results {
		width = max(width, len([]rune(r.Name)))
	}
	pad := func(s string, n int) string { // left-aligned in n runes
		return s + strings.Repeat(" ", max(0, n-len([]rune(s))))
	}
	var b strings.Builder
	b.WriteString(pad(fmt.Sprintf("classifier (%d draws)", len(c.Seeds)-len(c.Repeats)), width))
	fmt.Fprintf(&b, "  %7s  %-22s %7s %8s", "train", "test [95 % interval]", "fit (s)", "weights")
	if reference >= 0 {
		b.WriteString("  difference [95 %]")
	}
	b.WriteString("\n")
	for k, r := range c.Results {
		test, err := c.Interval(k)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s  %5.1f %%  %-22s %7.3f %8d", pad(r.Name, width), 100*r.TrainMean, test.Percent(), r.FitSeconds, r.NumWeights)
		if reference >= 0 && k != reference {
			d, err := c.Difference(k, reference)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "  %s", points(d))
		}
		b.WriteString("\n")
	}
	if reference >= 0 {
		fmt.Fprintf(&b, "difference: test accuracy minus that of %s, in points, paired by draw\n", c.Results[reference].Name)
	}
	return b.String(), nil
}

// MustTable is Table that panics on an error, for notebooks.
func (c *Comparison) MustTable(reference int) string {
	s, err := c.Table(reference)
	if err != nil {
		panic(err)
	}
	return s
}

// points writes a difference of two accuracies (fractions) in percentage points with its
// interval: "+0.80 [+0.02, +1.58]" ("+0.80 [—, —]" for NaN bounds).
func points(d metrics.Interval) string {
	return fmt.Sprintf("%+.2f %s", 100*d.Estimate, d.Bounds("%+.2f", 100))
}

// Pairs compares every pair of results whose names do not start with skip ("" skips
// none), each by the 95 % t interval of its paired differences (Difference), and writes
// one line for each pair whose interval excludes zero, then a line with the number of
// pairs compared and the largest distance from zero any of their intervals reaches, in
// points: with many pairs, about one in twenty excludes zero by chance alone at 95 %.
// Pairs whose interval cannot be computed (NaN bounds: a single distinct draw) neither
// exclude zero nor count towards the widest; the last line says how many there were, and
// "no interval" for the widest when none could be computed.
func (c *Comparison) Pairs(skip string) (string, error) {
	var b strings.Builder
	pairs, undefined, widest := 0, 0, 0.0
	kept := func(k int) bool { return skip == "" || !strings.HasPrefix(c.Results[k].Name, skip) }
	for a := range c.Results {
		for bb := a + 1; bb < len(c.Results); bb++ {
			if !kept(a) || !kept(bb) {
				continue
			}
			d, err := c.Difference(a, bb)
			if err != nil {
				return "", err
			}
			pairs++
			if math.IsNaN(d.Lower) || math.IsNaN(d.Upper) {
				undefined++
				continue
			}
			widest = max(widest, 100*math.Abs(d.Lower), 100*math.Abs(d.Upper))
			if d.Lower > 0 || d.Upper < 0 {
				fmt.Fprintf(&b, "excludes zero: %s − %s: %s points\n", c.Results[a].Name, c.Results[bb].Name, points(d))
			}
		}
	}
	without := ""
	if skip != "" {
		without = fmt.Sprintf(" without %s", skip)
	}
	switch {
	case undefined == pairs:
		fmt.Fprintf(&b, "%d pairs%s: no interval (fewer than two distinct draws)\n", pairs, without)
	case undefined > 0:
		fmt.Fprintf(&b, "%d pairs%s: every paired difference's interval within ±%.2f points (%d pairs without one)\n", pairs, without, widest, undefined)
	default:
		fmt.Fprintf(&b, "%d pairs%s: every paired difference's interval within ±%.2f points\n", pairs, without, widest)
	}
	return b.String(), nil
}

// MustPairs is Pairs that panics on an error, for notebooks.
func (c *Comparison) MustPairs(skip string) string {
	s, err := c.Pairs(skip)
	if err != nil {
		panic(err)
	}
	return s
}

// CompareSizes runs Compare once for each number of training clips per class in perClass
// (o.PerClass is ignored; o's other fields hold for every size): the same feature sets
// measured as the training set grows, each size over the same seeds.
func CompareSizes(labels *dataset.LabelTable, sets []FeatureSet, perClass []int, o Options) ([]*Comparison, error) {
	if len(perClass) == 0 {
		return nil, fmt.Errorf("%w: no training-set sizes", ErrInput)
	}
	var out []*Comparison
	for _, n := range perClass {
		if n <= 0 {
			return nil, fmt.Errorf("%w: %d training clips per class, want at least 1", ErrInput, n)
		}
		o.PerClass = n
		c, err := Compare(labels, sets, o)
		if err != nil {
			return nil, fmt.Errorf("fewshot: %d per class: %w", n, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// MustCompareSizes is CompareSizes that panics on an error, for notebooks.
func MustCompareSizes(labels *dataset.LabelTable, sets []FeatureSet, perClass []int, o Options) []*Comparison {
	out, err := CompareSizes(labels, sets, perClass, o)
	if err != nil {
		panic(err)
	}
	return out
}

// SizesTable writes CompareSizes' comparisons as a table: one line per training-set size
// (clips per class), one column per feature set with its mean test accuracy and 95 %
// Student t interval (Comparison.Interval, in percent; bounds "—" where they cannot be
// computed, with a single distinct draw: "85.0 % [—, —]"). The comparisons must hold the
// same feature sets.
func SizesTable(comparisons []*Comparison) (string, error) {
	if len(comparisons) == 0 {
		return "", fmt.Errorf("%w: no comparisons", ErrInput)
	}
	first := comparisons[0].Results
	width := len("100.0 % [100.0, 100.0]")
	for _, r := range first {
		width = max(width, len([]rune(r.Name)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s", "per class")
	for _, r := range first {
		fmt.Fprintf(&b, "  %*s", width, r.Name)
	}
	b.WriteString("\n")
	for _, c := range comparisons {
		if len(c.Results) != len(first) {
			return "", fmt.Errorf("%w: %d per class has %d results, the first size %d", ErrInput, c.PerClass, len(c.Results), len(first))
		}
		fmt.Fprintf(&b, "%-10d", c.PerClass)
		for k, r := range c.Results {
			if r.Name != first[k].Name {
				return "", fmt.Errorf("%w: %d per class: result %d is %q, the first size's %q", ErrInput, c.PerClass, k, r.Name, first[k].Name)
			}
			iv, err := c.Interval(k)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "  %*s", width, iv.Percent())
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// MustSizesTable is SizesTable that panics on an error, for notebooks.
func MustSizesTable(comparisons []*Comparison) string {
	s, err := SizesTable(comparisons)
	if err != nil {
		panic(err)
	}
	return s
}
