package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Split holds row indices of a table, per part.
type Split struct {
	Train, Validation, Test []int
}

// SplitOptions configures StratifiedGroupSplit.
type SplitOptions struct {
	// Train, Validation and Test are the target fractions (≥ 0, summing to 1).
	Train, Validation, Test float64
	// Seed determines the split.
	Seed uint64
	// Group names the group of a row; rows of one group land in one part. nil
	// groups by recording: CanonicalFile(Row.File), so `x.wav` and `./x.wav`
	// are one group.
	Group func(Row) string
}

// StratifiedGroupSplit divides the rows of t into train, validation and test so
// that every group lands in exactly one part and each class's rows are spread as
// close to the target fractions as whole groups allow. Groups are visited in a
// seeded random order, largest first, and each goes to the part where it most
// reduces the squared gap between achieved and target class counts (and rows).
// Row indices in each part are sorted.
func StratifiedGroupSplit(t *LabelTable, o SplitOptions) (Split, error) {
	targets := []float64{o.Train, o.Validation, o.Test}
	sum := 0.0
	for _, f := range targets {
		if f < 0 || math.IsNaN(f) {
			return Split{}, fmt.Errorf("dataset: split fractions %v, want ≥ 0", targets)
		}
		sum += f
	}
	if math.Abs(sum-1) > 1e-9 {
		return Split{}, fmt.Errorf("dataset: split fractions %v sum to %v, want 1", targets, sum)
	}
	groupOf := o.Group
	if groupOf == nil {
		groupOf = func(r Row) string { return CanonicalFile(r.File) }
	}
	nc := len(t.Classes)
	type group struct {
		rows   []int
		counts []float64 // per class, then the row count last
	}
	var groups []*group
	byName := map[string]*group{}
	for i, r := range t.Rows {
		name := groupOf(r)
		g := byName[name]
		if g == nil {
			g = &group{counts: make([]float64, nc+1)}
			byName[name] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, i)
		for c, l := range r.Labels {
			g.counts[c] += float64(l)
		}
		g.counts[nc]++
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5EED5EED))
	rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].counts[nc] > groups[j].counts[nc] })
	total := make([]float64, nc+1)
	for _, g := range groups {
		for c, v := range g.counts {
			total[c] += v
		}
	}
	// Weight each class by 1/total so rare classes matter as much as common ones.
	weight := make([]float64, nc+1)
	for c, v := range total {
		if v > 0 {
			weight[c] = 1 / v
		}
	}
	achieved := [3][]float64{make([]float64, nc+1), make([]float64, nc+1), make([]float64, nc+1)}
	parts := [3][]int{}
	for _, g := range groups {
		best, bestCost := -1, math.Inf(1)
		for p := range 3 {
			if targets[p] == 0 {
				continue
			}
			cost := 0.0
			for c := range total {
				for q := range 3 {
					a := achieved[q][c]
					if q == p {
						a += g.counts[c]
					}
					gap := a - targets[q]*total[c]
					cost += weight[c] * gap * gap
				}
			}
			if cost < bestCost-1e-12 {
				best, bestCost = p, cost
			}
		}
		for c, v := range g.counts {
			achieved[best][c] += v
		}
		parts[best] = append(parts[best], g.rows...)
	}
	for p := range parts {
		sort.Ints(parts[p])
	}
	return Split{Train: parts[0], Validation: parts[1], Test: parts[2]}, nil
}

// SamplePerClass draws n rows of each class from rows (all rows when nil), seeded:
// exactly n per class for a single-label table. A row counts for every class it
// has and is never drawn twice, so in a multi-label table a class can end up with
// more than n rows. The result is sorted. A class with fewer than n rows is an error naming it and its count.
func SamplePerClass(t *LabelTable, rows []int, n int, seed uint64) ([]int, error) {
	if n < 1 {
		return nil, fmt.Errorf("dataset: %d samples per class, want ≥ 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0xC1A55))
	var pool []int
	each(t, rows, func(i int) { pool = append(pool, i) })
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	taken := map[int]bool{}
	got := make([]int, len(t.Classes))
	var out []int
	// First pass: rows already counting for a class they were drawn for.
	for c := range t.Classes {
		for _, i := range pool {
			if got[c] >= n {
				break
			}
			if t.Rows[i].Labels[c] == 1 && !taken[i] {
				taken[i] = true
				out = append(out, i)
				for c2, l := range t.Rows[i].Labels {
					got[c2] += int(l)
				}
			}
		}
		if got[c] < n {
			avail := 0
			for _, i := range pool {
				avail += t.Rows[i].Labels[c]
			}
			return nil, fmt.Errorf("dataset: class %q has %d rows, fewer than the %d asked for", t.Classes[c], avail, n)
		}
	}
	sort.Ints(out)
	return out, nil
}
