// Package detections turns a classifier's scores over the windows of
// recordings into detections — a class in a span of a file, with a
// confidence — and writes them where researchers look at them: Raven Pro
// selection tables, Audacity label tracks, CSV and Parquet.
//
// # Scores and detections
//
// Scores are one row per window (file, start, end, one score in [0, 1] per
// class), written and read as OpenSoundscape's prediction table:
// file,start_time,end_time,<class>,…. Detect keeps, for each file and class,
// the windows scoring at least MinConfidence and, with Merge, joins windows
// that overlap or touch (a gap of at most MergeGapSeconds) into runs: a call
// that lasts several overlapping windows is one detection, not several. A run
// can span many calls, though (a bird singing every few seconds keeps every
// window above the threshold), and one detection finds one call; so a run is
// split where the score curve dips by SplitDrop between two peaks (peak
// picking with a minimum prominence) and cut into events of at most
// MaxEventSeconds (BirdNET-Analyzer's cap on merged windows, in seconds). A
// detection spans its windows, with the highest of their scores as its
// confidence.
//
// # Tables
//
//   - Raven (WriteRaven): tab-separated, Selection, View, Channel, Begin Time
//     (s), End Time (s), Low Freq (Hz), High Freq (Hz), Begin Path, File
//     Offset (s), Annotation, Confidence. Times of a table of one recording are
//     seconds in it; a combined table of several recordings lays them end to
//     end, as Raven does when it opens them as one: Begin Time adds the
//     durations of the recordings before (RavenOptions.Durations), and File
//     Offset (s) is the time in the recording itself. lib/dataset's ReadRaven
//     reads them back (annotation column "Annotation").
//   - Audacity (WriteAudacity): start, end and label "class confidence" per
//     line, seconds in the recording: one label track per recording.
//   - CSV (WriteCSV, ReadCSV): file,start_time,end_time,label,confidence.
//   - Parquet (WriteParquet, ReadParquet): the same columns, types string,
//     double, double, string, float.
//
// Every file is written atomically (lib/atomicfile).
package detections

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// Scores are a classifier's scores over windows: Values[i][c] is the score of
// class Classes[c] in window Keys[i].
type Scores struct {
	Classes []string
	Keys    []embed.Key
	Values  [][]float32
}

// Append adds windows and their scores (rows of len(Classes) values).
func (s *Scores) Append(keys []embed.Key, values [][]float32) error {
	if len(keys) != len(values) {
		return fmt.Errorf("detections: %d keys for %d rows of scores", len(keys), len(values))
	}
	for i, v := range values {
		if len(v) != len(s.Classes) {
			return fmt.Errorf("detections: %s at %g s: %d scores for %d classes", keys[i].File, keys[i].StartSeconds, len(v), len(s.Classes))
		}
	}
	s.Keys, s.Values = append(s.Keys, keys...), append(s.Values, values...)
	return nil
}

func formatSeconds(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// WriteCSV writes the scores as file,start_time,end_time,<class>,… atomically.
func (s *Scores) WriteCSV(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"file", "start_time", "end_time"}, s.Classes...))
		row := make([]string, 3+len(s.Classes))
		for i, k := range s.Keys {
			row[0], row[1], row[2] = k.File, formatSeconds(k.StartSeconds), formatSeconds(k.EndSeconds)
			for c, v := range s.Values[i] {
				row[3+c] = strconv.FormatFloat(float64(v), 'g', -1, 32)
			}
			cw.Write(row)
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadScoresCSV reads a table WriteCSV wrote (or OpenSoundscape's predict
// output): a header file,start_time,end_time then class columns, and per row
// finite scores. Errors name the file, line and value.
func ReadScoresCSV(path string) (*Scores, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("detections: %w", err)
	}
	defer f.Close()
	return ParseScoresCSV(f, path)
}

// ParseScoresCSV reads a scores table from r; name is used in errors.
func ParseScoresCSV(r io.Reader, name string) (*Scores, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: line 1: reading the header: %v", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	if len(header) < 4 || header[0] != "file" || header[1] != "start_time" || header[2] != "end_time" {
		return nil, fmt.Errorf("%s: line 1: header %q, want file,start_time,end_time,<class>,…", name, strings.Join(header, ","))
	}
	s := &Scores{Classes: header[3:]}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0)
		k := embed.Key{File: rec[0]}
		if k.File == "" {
			return nil, fmt.Errorf("%s: line %d: empty file name", name, line)
		}
		if k.StartSeconds, err = parseFinite(rec[1]); err != nil || k.StartSeconds < 0 {
			return nil, fmt.Errorf("%s: line %d: start_time %q: want seconds ≥ 0", name, line, rec[1])
		}
		if k.EndSeconds, err = parseFinite(rec[2]); err != nil || k.EndSeconds <= k.StartSeconds {
			return nil, fmt.Errorf("%s: line %d: end_time %q: want seconds after start_time %v", name, line, rec[2], k.StartSeconds)
		}
		v := make([]float32, len(s.Classes))
		for c := range v {
			x, err := parseFinite(rec[3+c])
			if err != nil {
				return nil, fmt.Errorf("%s: line %d: class %q: score %q: %v", name, line, s.Classes[c], rec[3+c], err)
			}
			v[c] = float32(x)
		}
		s.Keys, s.Values = append(s.Keys, k), append(s.Values, v)
	}
	return s, nil
}

func parseFinite(field string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("not finite")
	}
	return x, nil
}
