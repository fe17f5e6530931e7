package transfer

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// CurveTolerance is how far a recomputed learning-curve accuracy may be from a saved
// one before the saved rows no longer describe the code: 0.01, 4 of the 400 test clips
// of the default experiment. The default engine reproduces rows bit for bit (the same
// corpus, weights, options and engine give the same rows); the tolerance leaves room
// for another engine's rounding, which can flip a clip or two of fine-tuning.
const CurveTolerance = 0.01

// MatchRows checks rows computed now (live) against saved ones (a file's): each live
// row's (method, size, seed) must be among the saved rows exactly once, with the same
// number of steps and an accuracy within tolerance. It returns the largest accuracy
// difference, and an error naming every live row that is missing or differs (nil when
// all match).
func MatchRows(live, saved []Row, tolerance float64) (largest float64, err error) {
	type key struct {
		method Method
		size   int
		seed   uint64
	}
	bySaved := map[key][]Row{}
	for _, r := range saved {
		k := key{r.Method, r.Size, r.Seed}
		bySaved[k] = append(bySaved[k], r)
	}
	var problems []string
	for _, r := range live {
		matches := bySaved[key{r.Method, r.Size, r.Seed}]
		name := fmt.Sprintf("%s n=%d seed %d", r.Method, r.Size, r.Seed)
		if len(matches) != 1 {
			problems = append(problems, fmt.Sprintf("%s: %d saved rows, want 1", name, len(matches)))
			continue
		}
		s := matches[0]
		diff := math.Abs(s.Accuracy - r.Accuracy)
		if math.IsNaN(diff) {
			diff = math.Inf(1)
		}
		largest = math.Max(largest, diff)
		if diff > tolerance {
			problems = append(problems, fmt.Sprintf("%s: accuracy %.4f now, %.4f saved (%.4f apart, tolerance %g)", name, r.Accuracy, s.Accuracy, diff, tolerance))
		}
		if s.Steps != r.Steps {
			problems = append(problems, fmt.Sprintf("%s: %d steps now, %d saved", name, r.Steps, s.Steps))
		}
	}
	if len(problems) > 0 {
		return largest, fmt.Errorf("transfer: %d of %d rows do not match the saved ones:\n\t%s", len(problems), len(live), strings.Join(problems, "\n\t"))
	}
	return largest, nil
}

// Provenance says where learning-curve rows came from: the run that computed the rows
// of Method for every size of Sizes and seed of Seeds. A file of rows (as
// lib/cmd/learningcurve writes it) keeps one entry per method and run in its record,
// so rows kept from an earlier run keep that run's provenance.
type Provenance struct {
	Method Method   `json:"method"`
	Sizes  []int    `json:"sizes"`
	Seeds  []uint64 `json:"seeds"`
	// GitCommit is the commit the run's code was at (runrecord.CleanCommit: "-dirty"
	// when the tree had uncommitted changes); Command the command line that ran it.
	GitCommit string `json:"git_commit"`
	Command   string `json:"command"`
	// Engine ran the graphs; WeightsDigest is the pretrained weights' digest (not
	// for Scratch, which does not use them).
	Engine        string `json:"engine"`
	WeightsDigest string `json:"weights_digest,omitempty"`
	// Cache is the row cache the run read; "" when every row was computed by the run
	// (a cached row may come from other code: its key holds the options, corpus,
	// weights and engine, not the code).
	Cache    string `json:"cache"`
	Finished string `json:"finished"`
}

// Covers reports whether p is the provenance of row r.
func (p Provenance) Covers(r Row) bool {
	return p.Method == r.Method && slices.Contains(p.Sizes, r.Size) && slices.Contains(p.Seeds, r.Seed)
}

// CheckProvenance returns an error unless every row has exactly one provenance entry
// and every entry is the provenance of a row.
func CheckProvenance(rows []Row, provenance []Provenance) error {
	var problems []string
	used := make([]bool, len(provenance))
	for _, r := range rows {
		var found []int
		for i, p := range provenance {
			if p.Covers(r) {
				found = append(found, i)
				used[i] = true
			}
		}
		if len(found) != 1 {
			problems = append(problems, fmt.Sprintf("%s n=%d seed %d has %d provenance entries, want 1", r.Method, r.Size, r.Seed, len(found)))
		}
	}
	for i, p := range provenance {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("provenance entry %d (%s, sizes %v, seeds %v) covers no row", i+1, p.Method, p.Sizes, p.Seeds))
		}
	}
	if len(problems) > 5 {
		problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
	}
	if len(problems) > 0 {
		return fmt.Errorf("transfer: provenance: %s", strings.Join(problems, "; "))
	}
	return nil
}
