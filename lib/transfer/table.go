package transfer

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Curves summarises rows as one curve per method (in order of appearance):
// for each size, ascending, the mean, minimum and maximum accuracy over the
// seeds. Runs is the smallest number of seeds of any of its sizes.
func Curves(rows []Row) []metrics.LearningCurve {
	_, curves := curvesOf(rows)
	return curves
}

// curvesOf is Curves, with the method of each curve.
func curvesOf(rows []Row) ([]Method, []metrics.LearningCurve) {
	var methods []Method
	bySize := map[Method]map[int][]float64{}
	for _, r := range rows {
		if bySize[r.Method] == nil {
			methods = append(methods, r.Method)
			bySize[r.Method] = map[int][]float64{}
		}
		bySize[r.Method][r.Size] = append(bySize[r.Method][r.Size], r.Accuracy)
	}
	var curves []metrics.LearningCurve
	for _, m := range methods {
		c := metrics.LearningCurve{Name: m.Description(), Metric: "accuracy"}
		sizes := make([]int, 0, len(bySize[m]))
		for s := range bySize[m] {
			sizes = append(sizes, s)
		}
		slices.Sort(sizes)
		for _, s := range sizes {
			c.Add(float64(s), bySize[m][s])
		}
		curves = append(curves, c)
	}
	return methods, curves
}

// Table formats rows as a text table: one line per size, one column per
// method, each cell the mean accuracy over the seeds and its range
// (minimum–maximum) in parentheses: brackets are kept, course-wide, for 95 %
// intervals.
func Table(rows []Row) string {
	methods, curves := curvesOf(rows)
	var sizes []float64
	for _, c := range curves {
		for _, s := range c.LabelsSpent {
			if !slices.Contains(sizes, s) {
				sizes = append(sizes, s)
			}
		}
	}
	slices.Sort(sizes)
	header := []string{fmt.Sprintf("%8s", "clips")}
	for i, c := range curves {
		seeds := "seeds"
		if c.Runs == 1 {
			seeds = "seed"
		}
		header = append(header, fmt.Sprintf("%s (%d %s)", methods[i], c.Runs, seeds))
	}
	lines := [][]string{header}
	for _, s := range sizes {
		line := []string{fmt.Sprintf("%8d", int(s))}
		for _, c := range curves {
			cell := "—"
			if k := slices.Index(c.LabelsSpent, s); k >= 0 {
				cell = fmt.Sprintf("%.3f (%.3f–%.3f)", c.Mean[k], c.Min[k], c.Max[k])
			}
			line = append(line, cell)
		}
		lines = append(lines, line)
	}
	// Every column but the first and the last is padded to 22 runes, or to its
	// longest cell (a long method name), so that its cells line up.
	widths := make([]int, len(header))
	for _, line := range lines {
		for j, cell := range line {
			widths[j] = max(widths[j], 22, utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, line := range lines {
		writeLine(&b, line, widths)
	}
	return b.String()
}

// writeLine writes cells two spaces apart, each but the first and the last padded
// to its column's width in runes, with no trailing space.
func writeLine(b *strings.Builder, cells []string, widths []int) {
	var l strings.Builder
	for i, c := range cells {
		if i > 0 {
			l.WriteString("  ")
		}
		l.WriteString(c)
		if i > 0 && i < len(cells)-1 {
			l.WriteString(strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(c))))
		}
	}
	b.WriteString(l.String())
	b.WriteString("\n")
}
