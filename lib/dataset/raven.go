package dataset

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// Selection is one annotated box of a Raven selection table.
type Selection struct {
	// Line is the 1-based line of the table it came from.
	Line int
	// BeginSeconds and EndSeconds bound the box in time.
	BeginSeconds, EndSeconds float64
	// LowHz and HighHz bound it in frequency (NaN when the table has no such column).
	LowHz, HighHz float64
	// Annotation is the value of the annotation column (trimmed).
	Annotation string
}

// Raven column names.
const (
	RavenBegin = "Begin Time (s)"
	RavenEnd   = "End Time (s)"
	RavenLow   = "Low Freq (Hz)"
	RavenHigh  = "High Freq (Hz)"
	ravenView  = "View"
)

// ReadRaven reads a Raven Pro selection table from path, taking annotations from
// the column annotationColumn.
func ReadRaven(path, annotationColumn string) ([]Selection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	return ParseRaven(f, path, annotationColumn)
}

// ParseRaven reads a Raven selection table from r; name is used in errors. The
// time columns and annotationColumn are required, in the header and in every
// row: a row too short to reach one of them is an error naming the line and
// the column (it would otherwise be a selection of no class, making its clips
// negatives for every class). An empty annotation field, present but blank,
// is an unlabelled selection: it labels no clip. The frequency columns are
// optional. A column this reads (times, frequencies, View, annotationColumn)
// named twice in the header is an error. When a View column exists only
// Spectrogram rows are kept (Raven writes each selection once per view).
func ParseRaven(r io.Reader, name, annotationColumn string) ([]Selection, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, fmt.Errorf("%s: empty file, want a tab-separated header with %q and %q: %w", name, RavenBegin, RavenEnd, ErrFormat)
	}
	header := strings.Split(strings.TrimRight(strings.TrimPrefix(sc.Text(), "\uFEFF"), "\r"), "\t")
	col := map[string]int{}
	read := map[string]bool{RavenBegin: true, RavenEnd: true, RavenLow: true, RavenHigh: true, ravenView: true, annotationColumn: true}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if j, dup := col[h]; dup && read[h] {
			return nil, fmt.Errorf("%s: line 1: column %q appears twice, in columns %d and %d; which one holds the selections' values is unclear: %w", name, h, j+1, i+1, ErrFormat)
		}
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	need := func(c string) (int, error) {
		i, ok := col[c]
		if !ok {
			return 0, fmt.Errorf("%s: line 1: no %q column (columns: %s): %w", name, c, strings.Join(header, ", "), ErrFormat)
		}
		return i, nil
	}
	begin, err := need(RavenBegin)
	if err != nil {
		return nil, err
	}
	end, err := need(RavenEnd)
	if err != nil {
		return nil, err
	}
	ann, err := need(annotationColumn)
	if err != nil {
		return nil, err
	}
	low, hasLow := col[RavenLow]
	high, hasHigh := col[RavenHigh]
	view, hasView := col[ravenView]
	var out []Selection
	for line := 2; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) > len(header) {
			return nil, fmt.Errorf("%s: line %d: %d fields, header has %d: %w", name, line, len(fields), len(header), ErrFormat)
		}
		get := func(i int) string {
			if i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		if hasView && get(view) != "" && !strings.HasPrefix(get(view), "Spectrogram") {
			continue
		}
		for _, c := range []struct {
			i    int
			name string
		}{{begin, RavenBegin}, {end, RavenEnd}, {ann, annotationColumn}} {
			if c.i >= len(fields) {
				hint := ""
				if c.i == ann {
					hint = " (an unlabelled selection keeps the field, empty)"
				}
				return nil, fmt.Errorf("%s: line %d: %d fields, so no column %d (%q); every selection needs it%s: %w",
					name, line, len(fields), c.i+1, c.name, hint, ErrFormat)
			}
		}
		s := Selection{Line: line, LowHz: math.NaN(), HighHz: math.NaN(), Annotation: get(ann)}
		num := func(i int, column string, dst *float64) error {
			v, err := parseSeconds(get(i))
			if err != nil {
				return fmt.Errorf("%s: line %d: %s %q: %v: %w", name, line, column, get(i), err, ErrFormat)
			}
			*dst = v
			return nil
		}
		if err := num(begin, RavenBegin, &s.BeginSeconds); err != nil {
			return nil, err
		}
		if err := num(end, RavenEnd, &s.EndSeconds); err != nil {
			return nil, err
		}
		if s.EndSeconds < s.BeginSeconds {
			return nil, fmt.Errorf("%s: line %d: end %v s before begin %v s: %w", name, line, s.EndSeconds, s.BeginSeconds, ErrFormat)
		}
		if hasLow && get(low) != "" {
			if err := num(low, RavenLow, &s.LowHz); err != nil {
				return nil, err
			}
		}
		if hasHigh && get(high) != "" {
			if err := num(high, RavenHigh, &s.HighHz); err != nil {
				return nil, err
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// Span is a clip's extent in a file, in seconds (audio.Span).
type Span = audio.Span

// ClipSpans returns the spans of the clips of a file durationSeconds long, cut
// by lib/audio's one rule (audio.SpansOfDuration; see audio.FinalClip): clips
// of o.ClipSeconds every o.ClipSeconds−o.OverlapSeconds, and by default a
// final clip, padded past the end, for a leftover of at least a third of a
// clip — the clips, with the keys, that embed.EmbedFiles embeds with the same
// options (with audio.FinalRemainder the last span is the short remainder).
// o.SampleRateHz and o.Dropped are not used.
func ClipSpans(durationSeconds float64, o ClipOptions) ([]Span, error) {
	o.Dropped = nil
	spans, _, err := audio.SpansOfDuration(durationSeconds, o)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return spans, nil
}

// OverlapOptions says when an annotation labels a clip.
type OverlapOptions struct {
	// MinOverlapSeconds: an annotation overlapping the clip by at least this much
	// labels it (0 means any positive overlap).
	MinOverlapSeconds float64
	// MinOverlapFraction: an annotation with at least this fraction of its own
	// duration inside the clip labels it, even when the overlap is shorter than
	// MinOverlapSeconds (0 disables the rule).
	MinOverlapFraction float64
	// Classes fixes the label columns; annotations of other classes are ignored.
	// When nil, the columns are every non-empty annotation, sorted.
	Classes []string
}

// ClipLabels labels the clips of one file from its selections; the rows name
// the file by CanonicalFile(file).
func ClipLabels(file string, clips []Span, selections []Selection, o OverlapOptions) *LabelTable {
	classes := o.Classes
	if classes == nil {
		set := map[string]bool{}
		for _, s := range selections {
			if s.Annotation != "" {
				set[s.Annotation] = true
			}
		}
		for c := range set {
			classes = append(classes, c)
		}
		sort.Strings(classes)
	}
	index := map[string]int{}
	for i, c := range classes {
		index[c] = i
	}
	t := &LabelTable{Classes: append([]string(nil), classes...)}
	for _, clip := range clips {
		row := Row{File: CanonicalFile(file), StartSeconds: clip.StartSeconds, EndSeconds: clip.EndSeconds, Labels: make([]int, len(classes))}
		for _, s := range selections {
			c, ok := index[s.Annotation]
			if !ok {
				continue
			}
			overlap := math.Min(clip.EndSeconds, s.EndSeconds) - math.Max(clip.StartSeconds, s.BeginSeconds)
			if overlap <= 0 {
				continue
			}
			byTime := overlap >= o.MinOverlapSeconds
			dur := s.EndSeconds - s.BeginSeconds
			byFraction := o.MinOverlapFraction > 0 && dur > 0 && overlap >= o.MinOverlapFraction*dur
			if byTime || byFraction {
				row.Labels[c] = 1
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
