package main

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// trainingSound is a file a training set's rule takes, decoded.
type trainingSound struct {
	Package, SourcePath string
	sound               *sound
}

var (
	trainingMu    sync.Mutex
	trainingCache = map[string][]trainingSound{}
)

// trainingSounds decodes every file the rules of the guarded training sets
// (guardSets) take (all of them: a superset of the recordings those sets
// keep), once per run. Their packages must be unpacked (roots): run unpacks
// them whenever it builds an evaluation set.
func trainingSounds(roots map[string]string, o Options) ([]trainingSound, error) {
	var out []trainingSound
	for _, set := range guardSets(roots) {
		var key strings.Builder
		fmt.Fprintf(&key, "%s %+v", set.Name, o)
		for _, p := range set.Packages {
			if roots[p] == "" {
				return nil, fmt.Errorf("realdata: evaluation sets are checked against training set %s: its package %s is not unpacked", set.Name, p)
			}
			key.WriteString(" " + roots[p])
		}
		trainingMu.Lock()
		cached, ok := trainingCache[key.String()]
		trainingMu.Unlock()
		if !ok {
			cands, err := collect(set, roots)
			if err != nil {
				return nil, err
			}
			for _, d := range decodeAll(cands, o) {
				if d.err != nil {
					return nil, d.err
				}
				if d.drop == "" {
					cached = append(cached, trainingSound{d.rec.Package, d.rec.SourcePath, newSound(d.samples, o)})
				}
			}
			trainingMu.Lock()
			trainingCache[key.String()] = cached
			trainingMu.Unlock()
		}
		out = append(out, cached...)
	}
	return out, nil
}

// matchTraining returns, for each decoded file that is a training sound, an
// excerpt of one or holds one, the reason it is dropped ("" otherwise).
func matchTraining(ds []decoded, training []trainingSound, o Options) []string {
	reasons := make([]string, len(ds))
	if len(training) == 0 {
		return reasons
	}
	// One job per file, one per CPU, each writing its own place.
	_ = parallel.For(len(ds), runtime.NumCPU(), func(i int) error {
		if ds[i].drop != "" || ds[i].err != nil {
			return nil
		}
		s := newSound(ds[i].samples, o)
		for _, tr := range training {
			if m, ok := excerptOf(s, tr.sound, o); ok {
				reasons[i] = fmt.Sprintf("matches training recording %s %s (%s; envelope r %.2f, waveform r %.2f)",
					tr.Package, tr.SourcePath, m.relation("this file", "it"), m.Envelope, m.Wave)
				break
			}
		}
		return nil
	})
	return reasons
}

// relation says which of a and b is the excerpt, and where.
func (m excerptMatch) relation(a, b string) string {
	short, long := a, b
	if !m.ShortIsA {
		short, long = b, a
	}
	return fmt.Sprintf("%s is in %s at %.2f s", short, long, m.OffsetSeconds)
}

// Merge is a source file put in another's group because one is an excerpt of
// the other.
type Merge struct {
	Package, SourcePath, Group string
	// Of is the file it matched (package and path), Relation how.
	Of, Relation string
}

// mergeExcerpts finds the kept recordings of a grouped set that are excerpts
// of one another and puts each connected set of them in one group (the
// smallest of their groups), so that they land on one side of every split;
// when they carry different classes, they are all marked removed.
func mergeExcerpts(kept []*Recording, samples map[*Recording][]float32, removed map[*Recording]string, o Options) []Merge {
	var recs []*Recording
	for _, r := range kept {
		if removed[r] == "" {
			recs = append(recs, r)
		}
	}
	sounds := make([]*sound, len(recs))
	for i, r := range recs {
		sounds[i] = newSound(samples[r], o)
	}
	parent := make([]int, len(recs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	type link struct {
		a, b int
		m    excerptMatch
	}
	found := make([][]link, len(recs)) // the links of each i with every j > i, in j order
	_ = parallel.For(len(recs), runtime.NumCPU(), func(i int) error {
		for j := i + 1; j < len(recs); j++ {
			if recs[i].Group == recs[j].Group && recs[i].Class == recs[j].Class {
				continue // already one recording
			}
			if m, ok := excerptOf(sounds[i], sounds[j], o); ok {
				found[i] = append(found[i], link{i, j, m})
			}
		}
		return nil
	})
	var links []link // in (a, b) order, whatever the workers' timing
	for _, l := range found {
		links = append(links, l...)
	}
	for _, l := range links {
		parent[find(l.a)] = find(l.b)
	}
	// Files already in one group stay together: link each to its group's first.
	firstOf := map[string]int{}
	for i, r := range recs {
		key := r.Class + "\x00" + r.Group
		if f, ok := firstOf[key]; ok {
			parent[find(i)] = find(f)
		} else {
			firstOf[key] = i
		}
	}
	members := map[int][]int{}
	for i := range recs {
		members[find(i)] = append(members[find(i)], i)
	}
	name := func(r *Recording) string { return r.Package + " " + r.SourcePath }
	var merged []Merge
	for _, l := range links {
		a, b := recs[l.a], recs[l.b]
		comp := members[find(l.a)]
		classes, groups := map[string]bool{}, map[string]bool{}
		for _, i := range comp {
			classes[recs[i].Class] = true
			groups[recs[i].Group] = true
		}
		if len(classes) > 1 {
			for _, i := range comp {
				if removed[recs[i]] == "" {
					removed[recs[i]] = fmt.Sprintf("excerpt of, or holds, a recording filed under another class (%s)", strings.Join(slices.Sorted(maps.Keys(classes)), ", "))
				}
			}
			continue
		}
		merged = append(merged, Merge{a.Package, a.SourcePath, a.Group, name(b), l.m.relation("this file", "it")})
	}
	for _, comp := range members {
		group := recs[comp[0]].Group
		for _, i := range comp {
			group = min(group, recs[i].Group)
		}
		for _, i := range comp {
			recs[i].Group = group
		}
	}
	for i := range merged {
		for _, r := range recs {
			if r.Package == merged[i].Package && r.SourcePath == merged[i].SourcePath {
				merged[i].Group = r.Group
			}
		}
	}
	return merged
}
