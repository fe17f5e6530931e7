package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// ErrFormat is wrapped by every error about a malformed table.
var ErrFormat = errors.New("malformed table")

// Row is one clip of a label table.
type Row struct {
	// File is the audio file, as written in the table.
	File string
	// StartSeconds and EndSeconds bound the clip in the file.
	StartSeconds, EndSeconds float64
	// Labels[c] is 1 when class c is present, else 0.
	Labels []uint8
}

// LabelTable is an OpenSoundscape-style label table.
type LabelTable struct {
	// Classes are the class column names, in order.
	Classes []string
	// Rows are the clips.
	Rows []Row
}

var indexColumns = []string{"file", "start_time", "end_time"}

// ReadLabelCSV reads a label table from path.
func ReadLabelCSV(path string) (*LabelTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	return ParseLabelCSV(f, path)
}

// ParseLabelCSV reads a label table from r; name is used in errors.
func ParseLabelCSV(r io.Reader, name string) (*LabelTable, error) {
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
		row := Row{File: rec[0], Labels: make([]uint8, len(t.Classes))}
		if row.File == "" {
			return nil, fmt.Errorf("%s: line %d: empty file name: %w", name, line, ErrFormat)
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

// IsSingleLabel reports whether every row has exactly one class.
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
	return true
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
