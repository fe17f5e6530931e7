package dataset

import (
	"fmt"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// NestedSplitOptions configures NestedSplit: a test part held out of every row, then a
// validation part held out of the rest.
type NestedSplitOptions struct {
	// Test is the fraction of all rows held out for testing, in (0, 1).
	Test float64
	// Validation is the fraction of the rows left after the test part that is held out
	// for validation, in [0, 1): 0.2 of the 70 % a 0.3 test part leaves is 14 % of all rows.
	Validation float64
	// Seed determines both splits.
	Seed uint64
	// Group names the group of a row, as in SplitOptions (nil: the recording).
	Group func(Row) string
}

// NestedSplit divides the rows of t into training, validation and test parts in two
// StratifiedGroupSplit steps: first {Train: 1 − Test, Test: Test} over every row, then
// {Train: 1 − Validation, Validation: Validation} over the first step's training rows,
// both with o.Seed and o.Group. The test part is therefore exactly the one a two-part
// split with the same fraction and seed gives, so a lesson that adds a validation part
// still tests on the rows an earlier one tested on; and each part holds whole groups.
// Row indices in each part are sorted.
func NestedSplit(t *LabelTable, o NestedSplitOptions) (Split, error) {
	if !(o.Test > 0 && o.Test < 1) {
		return Split{}, fmt.Errorf("dataset: nested split test fraction %v, want a value in (0, 1)", o.Test)
	}
	if !(o.Validation >= 0 && o.Validation < 1) {
		return Split{}, fmt.Errorf("dataset: nested split validation fraction %v, want a value in [0, 1)", o.Validation)
	}
	outer, err := StratifiedGroupSplit(t, SplitOptions{Train: 1 - o.Test, Test: o.Test, Seed: o.Seed, Group: o.Group})
	if err != nil {
		return Split{}, err
	}
	split := Split{Train: outer.Train, Test: outer.Test}
	if o.Validation == 0 {
		return split, nil
	}
	rest := &LabelTable{Classes: t.Classes, Rows: make([]Row, len(outer.Train))}
	for i, row := range outer.Train {
		rest.Rows[i] = t.Rows[row]
	}
	inner, err := StratifiedGroupSplit(rest, SplitOptions{Train: 1 - o.Validation, Validation: o.Validation, Seed: o.Seed, Group: o.Group})
	if err != nil {
		return Split{}, err
	}
	split.Train = make([]int, len(inner.Train))
	for i, r := range inner.Train {
		split.Train[i] = outer.Train[r]
	}
	split.Validation = make([]int, len(inner.Validation))
	for i, r := range inner.Validation {
		split.Validation[i] = outer.Train[r]
	}
	return split, nil
}

// MustNestedSplit is [NestedSplit] for notebooks: it panics on error.
func MustNestedSplit(t *LabelTable, o NestedSplitOptions) Split {
	s, err := NestedSplit(t, o)
	if err != nil {
		panic(err)
	}
	return s
}

// Part is one part of a Split: its name and its rows.
type Part struct {
	Name string // "training", "validation" or "test"
	Rows []int
}

// Parts returns the split's parts with their names, in the order training, validation,
// test: what a loop over the parts reads.
func (s Split) Parts() []Part {
	return []Part{{"training", s.Train}, {"validation", s.Validation}, {"test", s.Test}}
}

// CheckGroups checks that no group of rows of t lies in two parts of the split (group
// names a row's group; nil: its recording, CanonicalFile(Row.File), the default of
// SplitOptions) and returns how many groups the parts hold. A group found in two parts is
// an error naming it and both parts: such a split leaks, rewarding a model for recognising
// the group rather than the class.
func (s Split) CheckGroups(t *LabelTable, group func(Row) string) (int, error) {
	if group == nil {
		group = func(r Row) string { return CanonicalFile(r.File) }
	}
	partOf := map[string]string{}
	for _, part := range s.Parts() {
		for _, row := range part.Rows {
			if row < 0 || row >= len(t.Rows) {
				return 0, fmt.Errorf("dataset: split row %d outside the table's %d rows", row, len(t.Rows))
			}
			g := group(t.Rows[row])
			if other, seen := partOf[g]; seen && other != part.Name {
				return 0, fmt.Errorf("dataset: %s is in the %s and the %s part", g, other, part.Name)
			}
			partOf[g] = part.Name
		}
	}
	return len(partOf), nil
}

// Describe returns one line per part of the split: its name, its number of rows of t
// (counted in unit: "recordings", "clips") and how many of them have each class, in the
// order of t.Classes, joined with commas ("training    68 recordings, per class 6, 6,
// 5, …"); brackets are kept for confidence intervals. An empty part is left out.
func (s Split) Describe(t *LabelTable, unit string) string {
	var b strings.Builder
	for _, part := range s.Parts() {
		if len(part.Rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%-10s %3d %s, per class %s\n", part.Name, len(part.Rows), unit,
			metrics.List("%d", t.ClassCounts(part.Rows)))
	}
	return b.String()
}

// RowFiles returns the File of each of the given rows of t (all rows when nil), in order
// and as the table spells it, one per row; [LabelTable.Files] gives the distinct files.
func (t *LabelTable) RowFiles(rows []int) []string {
	var files []string
	each(t, rows, func(i int) { files = append(files, t.Rows[i].File) })
	return files
}

// MustSamplePerClass is [SamplePerClass] for notebooks: it panics on error.
func MustSamplePerClass(t *LabelTable, rows []int, n int, seed uint64) []int {
	sample, err := SamplePerClass(t, rows, n, seed)
	if err != nil {
		panic(err)
	}
	return sample
}
