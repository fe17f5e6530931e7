package detections

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// MatchOptions configures Match.
type MatchOptions struct {
	// MinOverlapSeconds is how long a detection and an annotation must overlap
	// to match [0: any overlap of positive length].
	MinOverlapSeconds float64
}

// ClassMatch is the outcome of Match for one class: detections that matched an
// annotation (true positives), detections that matched none (false
// positives) and annotations no detection matched (false negatives). True
// negatives are undefined for events and stay 0.
type ClassMatch struct {
	Label string
	metrics.Counts
}

// Match scores detections against annotations (both as Detection; an
// annotation's Confidence is ignored) event by event, one to one, as object
// detection is scored: within each recording and class, detections are taken
// by confidence, highest first (then by start), and each matches the
// unmatched annotation it overlaps most, if that overlap exceeds
// MinOverlapSeconds. So a merged detection spanning two calls counts once
// (one call missed), and two detections of one call count one true and one
// false positive. The result holds every class of either list, sorted by label.
func Match(dets, annotations []Detection, o MatchOptions) []ClassMatch {
	type key struct{ file, label string }
	truth := map[key][]Detection{}
	found := map[key][]Detection{}
	labels := map[string]bool{}
	for _, a := range annotations {
		truth[key{a.File, a.Label}] = append(truth[key{a.File, a.Label}], a)
		labels[a.Label] = true
	}
	for _, d := range dets {
		found[key{d.File, d.Label}] = append(found[key{d.File, d.Label}], d)
		labels[d.Label] = true
	}
	counts := map[string]*metrics.Counts{}
	for l := range labels {
		counts[l] = &metrics.Counts{}
	}
	for k, ann := range truth {
		counts[k.label].FalseNegatives += len(ann)
	}
	for k, ds := range found {
		c := counts[k.label]
		ds = slices.Clone(ds)
		slices.SortStableFunc(ds, func(a, b Detection) int {
			return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), cmp.Compare(a.StartSeconds, b.StartSeconds))
		})
		ann := truth[k]
		used := make([]bool, len(ann))
		for _, d := range ds {
			best, bestOverlap := -1, 0.0
			for i, a := range ann {
				ov := min(d.EndSeconds, a.EndSeconds) - max(d.StartSeconds, a.StartSeconds)
				if used[i] || ov <= 0 || ov < o.MinOverlapSeconds || ov <= bestOverlap {
					continue
				}
				best, bestOverlap = i, ov
			}
			if best < 0 {
				c.FalsePositives++
				continue
			}
			used[best] = true
			c.TruePositives++
			c.FalseNegatives--
		}
	}
	out := make([]ClassMatch, 0, len(counts))
	for l, c := range counts {
		out = append(out, ClassMatch{Label: l, Counts: *c})
	}
	slices.SortFunc(out, func(a, b ClassMatch) int { return strings.Compare(a.Label, b.Label) })
	return out
}
