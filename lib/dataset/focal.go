package dataset

import (
	"fmt"
	"slices"
)

// FirstPerClass splits a single-label table into the first n rows of each class and the
// rest, both in table order: the rest stands for data collected later (next season's
// recordings), which no split may see, or is simply left out (half of a data set, to keep
// a lesson fast). A row without exactly one class, n < 0, or a class with fewer than n
// rows is an error naming it.
func FirstPerClass(t *LabelTable, n int) (first, rest *LabelTable, err error) {
	if n < 0 {
		return nil, nil, fmt.Errorf("dataset: first %d rows per class, want n ≥ 0", n)
	}
	first = &LabelTable{Classes: slices.Clone(t.Classes)}
	rest = &LabelTable{Classes: slices.Clone(t.Classes)}
	seen := make([]int, len(t.Classes))
	for i, row := range t.Rows {
		c := row.ClassOf()
		if c < 0 {
			return nil, nil, fmt.Errorf("dataset: first rows per class: row %d (%s at %g s) has not exactly one class", i, row.File, row.StartSeconds)
		}
		if seen[c] < n {
			first.Rows = append(first.Rows, row)
		} else {
			rest.Rows = append(rest.Rows, row)
		}
		seen[c]++
	}
	for c, count := range seen {
		if count < n {
			return nil, nil, fmt.Errorf("dataset: first %d rows per class: class %s has only %d rows", n, t.Classes[c], count)
		}
	}
	return first, rest, nil
}

// MustFirstPerClass is [FirstPerClass] for notebooks: it panics on error.
func MustFirstPerClass(t *LabelTable, n int) (first, rest *LabelTable) {
	first, rest, err := FirstPerClass(t, n)
	if err != nil {
		panic(err)
	}
	return first, rest
}

// FocalOptions says how FocalClips cuts focal recordings into clips and which clips it
// keeps.
type FocalOptions struct {
	// Selections returns the path of a recording's Raven selection table, relative to the
	// folder given to FocalClips, from the recording's file as the table names it
	// (synth.SelectionsFile for lib/synth's corpora).
	Selections func(file string) string
	// AnnotationColumn is the selection tables' column that names the species
	// ["Species"].
	AnnotationColumn string
	// Clips says how a recording is cut into clips (ClipSpans): set ClipSeconds to the
	// model's clip length, so that the clips are those embed.EmbedFiles embeds.
	Clips ClipOptions
	// MinOverlapSeconds is how long the focal species must sing in a clip, in seconds,
	// for the clip to be kept (0: any overlap).
	MinOverlapSeconds float64
}

// FocalClips cuts focal recordings into clips and keeps the clips in which the recording's
// own species sings. Each row of recordings is one whole recording (from 0 s to its
// EndSeconds, its length; file relative to dir) labelled with its focal species, its one
// class. A clip is kept when a selection of that species in the recording's Raven table
// overlaps it by at least o.MinOverlapSeconds, and it is labelled with the focal species
// only: another bird singing in it is part of its background, so the table stays
// single-label. The rows come recording by recording, each recording's clips in time
// order; a clip where the focal bird is silent is dropped, since it holds nothing to
// recognise it by. A row that is not one whole single-label recording, or a selection
// table that cannot be read, is an error naming the row or the table.
func FocalClips(dir string, recordings *LabelTable, o FocalOptions) (*LabelTable, error) {
	if o.Selections == nil {
		return nil, fmt.Errorf("dataset: focal clips: FocalOptions.Selections is nil, want the path of each recording's selection table")
	}
	if o.AnnotationColumn == "" {
		o.AnnotationColumn = "Species"
	}
	out := &LabelTable{Classes: slices.Clone(recordings.Classes)}
	overlap := OverlapOptions{MinOverlapSeconds: o.MinOverlapSeconds, Classes: recordings.Classes}
	for i, recording := range recordings.Rows {
		focal := recording.ClassOf()
		switch {
		case focal < 0:
			return nil, fmt.Errorf("dataset: focal clips: row %d (%s) has not exactly one class, want its focal species", i, recording.File)
		case recording.StartSeconds != 0:
			return nil, fmt.Errorf("dataset: focal clips: row %d (%s) starts at %g s, want a whole recording from 0 s", i, recording.File, recording.StartSeconds)
		}
		spans, err := ClipSpans(recording.EndSeconds, o.Clips)
		if err != nil {
			return nil, fmt.Errorf("dataset: focal clips: row %d (%s): %w", i, recording.File, err)
		}
		selections, err := ReadRaven(ResolveFile(dir, o.Selections(recording.File)), o.AnnotationColumn)
		if err != nil {
			return nil, fmt.Errorf("dataset: focal clips: %w", err)
		}
		for _, clip := range ClipLabels(recording.File, spans, selections, overlap).Rows {
			if clip.Labels[focal] == 1 {
				clip.Labels = slices.Clone(recording.Labels)
				out.Rows = append(out.Rows, clip)
			}
		}
	}
	return out, nil
}

// MustFocalClips is [FocalClips] for notebooks: it panics on error.
func MustFocalClips(dir string, recordings *LabelTable, o FocalOptions) *LabelTable {
	t, err := FocalClips(dir, recordings, o)
	if err != nil {
		panic(err)
	}
	return t
}
