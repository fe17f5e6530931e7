package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// ErrFormat is wrapped by every error about a malformed table.
var ErrFormat = errors.New("malformed table")

// Row is one clip of a label table.
type Row struct {
	// File is the audio file, relative to the table's folder (or absolute).
	// Tables read by ParseLabelCSV and made by ClipLabels hold it in its
	// canonical form (CanonicalFile), so `x.wav` and `./x.wav` are one file to
	// every package that groups or keys rows by file.
	File string
	// StartSeconds and EndSeconds bound the clip in the file.
	StartSeconds, EndSeconds float64
	// Labels[c] is 1 when class c is present, else 0: the multi-hot row
	// dataset.MultiLabel and lib/metrics take, as it is.
	Labels []int
	// Line is the row's 1-based line in the CSV it was read from (ParseLabelCSV,
	// ReadLabelCSV): the line its first field starts on, as encoding/csv counts
	// lines (blank lines counted, a quoted field spanning lines counted whole), so
	// an error about the row can name file:line. It is 0 when the row was made in
	// memory (ClipLabels, LabelsFromRaven, a literal); rows copied from a read
	// table keep it.
	Line int
}

// LabelTable is an OpenSoundscape-style label table.
type LabelTable struct {
	// Classes are the class column names, in order.
	Classes []string
	// Rows are the clips.
	Rows []Row
}

var indexColumns = []string{"file", "start_time", "end_time"}

// CanonicalFile is the one spelling of a table's file name that rows are
// grouped and keyed by: filepath.Clean's, with forward slashes. `x.wav`,
// `./x.wav` and `sub/../x.wav` are all `x.wav`; a path leaving the table's
// folder keeps its leading `..`. Two names for one file that differ otherwise
// (a symbolic link, an absolute path outside the table's folder) stay two.
func CanonicalFile(file string) string {
	return filepath.ToSlash(filepath.Clean(file))
}

// ResolveFile returns the path of a table's file, as a program opens it: file
// joined to dir, the folder the table's file names are relative to, or file
// itself when it is absolute.
func ResolveFile(dir, file string) string {
	if filepath.IsAbs(file) {
		return filepath.Clean(file)
	}
	return filepath.Join(dir, filepath.FromSlash(file))
}

// ReadLabelCSV reads a label table from path, as ParseLabelCSV does; an
// absolute file name inside the table's folder is made relative to it, so it
// is the same file as its relative spelling.
func ReadLabelCSV(path string) (*LabelTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return parseLabelCSV(f, path, dir)
}

// ParseLabelCSV reads a label table from r; name is used in errors. Each
// row's file name is stored in its canonical form (CanonicalFile). A clip
// (file, start and end, equal to the millisecond) listed on two lines is an
// error naming both, whether the lines agree or conflict: a table says once
// what a clip holds (a clip of several classes is one row with several 1s).
func ParseLabelCSV(r io.Reader, name string) (*LabelTable, error) {
	return parseLabelCSV(r, name, "")
}

// parseLabelCSV is ParseLabelCSV; when dir (absolute) is not "", absolute
// file names under dir are made relative to it.
func parseLabelCSV(r io.Reader, name, dir string) (*LabelTable, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1 // checked here, with better messages
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, want a header %s,<class>...: %w", name, strings.Join(indexColumns, ","), ErrFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: line 1: %v: %w", name, err, ErrFormat)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF") // a BOM from spreadsheets
	}
	for i, want := range indexColumns {
		if i >= len(header) || strings.TrimSpace(header[i]) != want {
			got := "nothing"
			if i < len(header) {
				got = fmt.Sprintf("%q", header[i])
			}
			return nil, fmt.Errorf("%s: line 1: column %d is %s, want %q (header must start %s): %w", name, i+1, got, want, strings.Join(indexColumns, ","), ErrFormat)
		}
	}
	t := &LabelTable{}
	seen := map[string]int{}
	for i, c := range header[3:] {
		c = strings.TrimSpace(c)
		if c == "" {
			return nil, fmt.Errorf("%s: line 1: class column %d has an empty name: %w", name, i+4, ErrFormat)
		}
		if j, dup := seen[c]; dup {
			return nil, fmt.Errorf("%s: line 1: class %q appears in columns %d and %d: %w", name, c, j+4, i+4, ErrFormat)
		}
		seen[c] = i
		t.Classes = append(t.Classes, c)
	}
	if len(t.Classes) == 0 {
		return nil, fmt.Errorf("%s: line 1: no class columns after %s: %w", name, strings.Join(indexColumns, ","), ErrFormat)
	}
	rowOf := map[clipKey]int{} // the row of each clip so far
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil { // a *csv.ParseError, which names the line
			return nil, fmt.Errorf("%s: %v: %w", name, err, ErrFormat)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			what := "missing"
			if len(rec) > len(header) {
				what = "extra"
			}
			return nil, fmt.Errorf("%s: line %d: %d fields, header has %d (%s columns): %w", name, line, len(rec), len(header), what, ErrFormat)
		}
		row := Row{File: rec[0], Labels: make([]int, len(t.Classes)), Line: line}
		if row.File == "" {
			return nil, fmt.Errorf("%s: line %d: empty file name: %w", name, line, ErrFormat)
		}
		row.File = CanonicalFile(row.File)
		if dir != "" && filepath.IsAbs(row.File) {
			if rel, err := filepath.Rel(dir, filepath.FromSlash(row.File)); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				row.File = filepath.ToSlash(rel)
			}
		}
		if row.StartSeconds, err = parseSeconds(rec[1]); err != nil {
			return nil, fmt.Errorf("%s: line %d: start_time %q: %v: %w", name, line, rec[1], err, ErrFormat)
		}
		if row.EndSeconds, err = parseSeconds(rec[2]); err != nil {
			return nil, fmt.Errorf("%s: line %d: end_time %q: %v: %w", name, line, rec[2], err, ErrFormat)
		}
		if row.EndSeconds < row.StartSeconds {
			return nil, fmt.Errorf("%s: line %d: end_time %v before start_time %v: %w", name, line, row.EndSeconds, row.StartSeconds, ErrFormat)
		}
		for c, field := range rec[3:] {
			switch strings.TrimSpace(field) {
			case "0", "0.0":
			case "1", "1.0":
				row.Labels[c] = 1
			default:
				return nil, fmt.Errorf("%s: line %d: class %q is %q, want 0 or 1: %w", name, line, t.Classes[c], field, ErrFormat)
			}
		}
		key := keyOf(row)
		if first, dup := rowOf[key]; dup {
			return nil, fmt.Errorf("%s: line %d: %s: %w", name, line, t.duplicateMessage(t.Rows[first], row, fmt.Sprintf("line %d", t.Rows[first].Line), fmt.Sprintf("line %d", line)), ErrFormat)
		}
		rowOf[key] = len(t.Rows)
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func parseSeconds(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, errors.New("want a finite time ≥ 0")
	}
	return v, nil
}

// WriteCSV writes the table to path in OpenSoundscape's form, atomically.
func (t *LabelTable) WriteCSV(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append(append([]string(nil), indexColumns...), t.Classes...))
		for _, r := range t.Rows {
			rec := []string{r.File, strconv.FormatFloat(r.StartSeconds, 'g', -1, 64), strconv.FormatFloat(r.EndSeconds, 'g', -1, 64)}
			for _, l := range r.Labels {
				rec = append(rec, strconv.Itoa(int(l)))
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	})
}

// clipKey identifies a clip: its file's canonical name and its times in
// whole milliseconds (rounded), the precision to which two rows are one clip.
type clipKey struct {
	file           string
	startMs, endMs int64
}

func keyOf(r Row) clipKey {
	return clipKey{CanonicalFile(r.File), int64(math.Round(r.StartSeconds * 1000)), int64(math.Round(r.EndSeconds * 1000))}
}

// describe names a row's clip, e.g. "x.wav 0–3 s".
func (r Row) describe() string {
	return fmt.Sprintf("%s %g–%g s", CanonicalFile(r.File), r.StartSeconds, r.EndSeconds)
}

// classNames lists the classes of labels, e.g. "[a b]" ("[]" for none).
func (t *LabelTable) classNames(labels []int) string {
	var names []string
	for c, l := range labels {
		if l == 1 && c < len(t.Classes) {
			names = append(names, t.Classes[c])
		}
	}
	return "[" + strings.Join(names, " ") + "]"
}

// duplicateMessage says that row (at where, e.g. "line 4") repeats first (at
// firstWhere), with the same labels or conflicting ones.
func (t *LabelTable) duplicateMessage(first, row Row, firstWhere, where string) string {
	if slices.Equal(first.Labels, row.Labels) {
		return fmt.Sprintf("clip %s is listed twice, on %s and %s (remove one of them)", row.describe(), firstWhere, where)
	}
	return fmt.Sprintf("clip %s is labelled %s on %s and %s on %s: conflicting labels for one clip (keep one row; a clip of several classes is one row with several 1s)",
		row.describe(), t.classNames(first.Labels), firstWhere, t.classNames(row.Labels), where)
}

// duplicate returns the first pair of rows i < j that are one clip
// (CanonicalFile of the file, times equal to the millisecond), only those
// with different labels when conflictsOnly; ok is false when there is none.
func (t *LabelTable) duplicate(conflictsOnly bool) (i, j int, ok bool) {
	rowOf := map[clipKey]int{}
	for j, r := range t.Rows {
		key := keyOf(r)
		if i, dup := rowOf[key]; dup {
			if !conflictsOnly || !slices.Equal(t.Rows[i].Labels, r.Labels) {
				return i, j, true
			}
			continue
		}
		rowOf[key] = j
	}
	return 0, 0, false
}

// CheckDuplicates returns an error naming the first two rows that are one
// clip (the same file by CanonicalFile, start and end equal to the
// millisecond), with the same labels or conflicting ones, or nil when every
// clip is listed once. ParseLabelCSV refuses such tables; this checks one
// built in code.
func (t *LabelTable) CheckDuplicates() error {
	i, j, ok := t.duplicate(false)
	if !ok {
		return nil
	}
	return fmt.Errorf("dataset: %s", t.duplicateMessage(t.Rows[i], t.Rows[j], fmt.Sprintf("row %d", i), fmt.Sprintf("row %d", j)))
}

// IsSingleLabel reports whether every clip has exactly one class: every row
// has exactly one, and no clip is listed twice with different labels (which
// would give it two).
func (t *LabelTable) IsSingleLabel() bool {
	for _, r := range t.Rows {
		n := 0
		for _, l := range r.Labels {
			n += int(l)
		}
		if n != 1 {
			return false
		}
	}
	_, _, conflict := t.duplicate(true)
	return !conflict
}

// ClassOf returns the class index of a single-label row, or -1 when the row has
// zero or several classes.
func (r Row) ClassOf() int {
	class := -1
	for c, l := range r.Labels {
		if l == 1 {
			if class >= 0 {
				return -1
			}
			class = c
		}
	}
	return class
}

// ClassCounts returns how many of the given rows (all when rows is nil) have each class.
func (t *LabelTable) ClassCounts(rows []int) []int {
	counts := make([]int, len(t.Classes))
	each(t, rows, func(i int) {
		for c, l := range t.Rows[i].Labels {
			counts[c] += int(l)
		}
	})
	return counts
}

// Files returns the distinct files of the given rows (all when rows is nil), in the order
// they first appear, as CanonicalFile spells them: the recordings a set of clips comes from.
func (t *LabelTable) Files(rows []int) []string {
	var files []string
	seen := map[string]bool{}
	each(t, rows, func(i int) {
		if file := CanonicalFile(t.Rows[i].File); !seen[file] {
			seen[file] = true
			files = append(files, file)
		}
	})
	return files
}

// AllRows returns 0, 1, …, len(t.Rows)−1: every row of the table, for
// functions that take the rows to use.
func (t *LabelTable) AllRows() []int {
	rows := make([]int, len(t.Rows))
	for i := range rows {
		rows[i] = i
	}
	return rows
}

func each(t *LabelTable, rows []int, fn func(i int)) {
	if rows == nil {
		for i := range t.Rows {
			fn(i)
		}
		return
	}
	for _, i := range rows {
		fn(i)
	}
}

// LabelKind chooses how labels are encoded for a classifier's output (as
// FromTable takes it).
type LabelKind int

const (
	// MultiHot labels are one 0/1 value per class, 1 where a class is present
	// (for sigmoid outputs).
	MultiHot LabelKind = iota
	// ClassIndex labels are the single class of each row (for a softmax
	// output); every row must have exactly one class.
	ClassIndex
)
