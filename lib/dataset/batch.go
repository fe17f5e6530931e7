package dataset

import (
	"fmt"
	"sort"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// RavenFile pairs a recording with its Raven selection table.
type RavenFile struct {
	// Audio is the recording's path, written into the label table's file column.
	Audio string
	// Table is the path of its selection table.
	Table string
	// DurationSeconds is the recording's length (lib/audio knows it; this package
	// does not read audio).
	DurationSeconds float64
}

// FileError is a file a batch function skipped, and why.
type FileError struct {
	// Path is the file that failed.
	Path string
	// Err says why; it names the file (and line).
	Err error
}

// Error returns Err's message.
func (e FileError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e FileError) Unwrap() error { return e.Err }

// ClipOptions says how recordings are cut into clips: lib/audio's options and
// rule (see ClipSpans), so that labels and embeddings of the same options
// name the same clips.
type ClipOptions = audio.SplitOptions

// LabelsFromRaven cuts every recording into clips and labels them from its Raven
// table by overlap, skipping recordings whose table cannot be read (listed in
// skipped) instead of stopping. A recording listed again (the same
// CanonicalFile of Audio) is skipped too, naming both its tables: its clips
// would otherwise appear twice, perhaps labelled two ways. With o.Classes nil
// the class columns are every annotation seen in the tables that were read,
// sorted.
func LabelsFromRaven(files []RavenFile, annotationColumn string, clips ClipOptions, o OverlapOptions) (labels *LabelTable, skipped []FileError) {
	type parsed struct {
		file RavenFile
		sel  []Selection
	}
	var ok []parsed
	tableOf := map[string]string{} // the first table listed for each recording
	for _, f := range files {
		audio := CanonicalFile(f.Audio)
		if first, dup := tableOf[audio]; dup {
			skipped = append(skipped, FileError{Path: f.Table, Err: fmt.Errorf("%s: recording %s is listed twice, with tables %s and %s; only the first is used", f.Table, audio, first, f.Table)})
			continue
		}
		tableOf[audio] = f.Table
		sel, err := ReadRaven(f.Table, annotationColumn)
		if err != nil {
			skipped = append(skipped, FileError{Path: f.Table, Err: err})
			continue
		}
		if !(f.DurationSeconds > 0) {
			skipped = append(skipped, FileError{Path: f.Audio, Err: fmt.Errorf("%s: duration %v s, want > 0", f.Audio, f.DurationSeconds)})
			continue
		}
		ok = append(ok, parsed{f, sel})
	}
	if o.Classes == nil {
		set := map[string]bool{}
		for _, p := range ok {
			for _, s := range p.sel {
				if s.Annotation != "" {
					set[s.Annotation] = true
				}
			}
		}
		o.Classes = []string{}
		for c := range set {
			o.Classes = append(o.Classes, c)
		}
		sort.Strings(o.Classes)
	}
	labels = &LabelTable{Classes: append([]string(nil), o.Classes...)}
	for _, p := range ok {
		spans, err := ClipSpans(p.file.DurationSeconds, clips)
		if err != nil {
			skipped = append(skipped, FileError{Path: p.file.Audio, Err: fmt.Errorf("%s: %w", p.file.Audio, err)})
			continue
		}
		labels.Rows = append(labels.Rows, ClipLabels(p.file.Audio, spans, p.sel, o).Rows...)
	}
	return labels, skipped
}

// Concat joins tables with the same classes, in order. A clip in two tables
// (or twice in one) is an error naming both places (see CheckDuplicates).
func Concat(tables ...*LabelTable) (*LabelTable, error) {
	if len(tables) == 0 {
		return &LabelTable{}, nil
	}
	out := &LabelTable{Classes: append([]string(nil), tables[0].Classes...)}
	for i, t := range tables {
		if len(t.Classes) != len(out.Classes) {
			return nil, fmt.Errorf("dataset: table %d has classes %v, table 0 has %v", i, t.Classes, out.Classes)
		}
		for c := range t.Classes {
			if t.Classes[c] != out.Classes[c] {
				return nil, fmt.Errorf("dataset: table %d has classes %v, table 0 has %v", i, t.Classes, out.Classes)
			}
		}
		out.Rows = append(out.Rows, t.Rows...)
	}
	if i, j, dup := out.duplicate(false); dup {
		where := func(row int) string {
			for k, t := range tables {
				if row < len(t.Rows) {
					return fmt.Sprintf("table %d row %d", k, row)
				}
				row -= len(t.Rows)
			}
			return ""
		}
		return nil, fmt.Errorf("dataset: %s", out.duplicateMessage(out.Rows[i], out.Rows[j], where(i), where(j)))
	}
	return out, nil
}
