package detections

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// Detection is a class found in a span of a recording, with its confidence
// (the classifier's score, in [0, 1]).
type Detection struct {
	File         string  `parquet:"file"`
	StartSeconds float64 `parquet:"start_time"`
	EndSeconds   float64 `parquet:"end_time"`
	Label        string  `parquet:"label"`
	Confidence   float32 `parquet:"confidence"`
}

// Options configures Detect.
type Options struct {
	// MinConfidence is the lowest score kept [0: every window].
	MinConfidence float64
	// Merge joins a class's kept windows of a file that overlap or are at most
	// MergeGapSeconds apart into one detection.
	Merge           bool
	MergeGapSeconds float64
}

// Detect returns the detections in s, ordered by file (in the order files first
// appear in s), then start time, then label.
func Detect(s *Scores, o Options) []Detection {
	var order []string
	byFile := map[string][]int{}
	for i, k := range s.Keys {
		if _, ok := byFile[k.File]; !ok {
			order = append(order, k.File)
		}
		byFile[k.File] = append(byFile[k.File], i)
	}
	var out []Detection
	for _, file := range order {
		rows := byFile[file]
		slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(s.Keys[a].StartSeconds, s.Keys[b].StartSeconds) })
		var fileDets []Detection
		for c, label := range s.Classes {
			var cur *Detection
			for _, i := range rows {
				score := s.Values[i][c]
				if float64(score) < o.MinConfidence {
					continue
				}
				k := s.Keys[i]
				if o.Merge && cur != nil && k.StartSeconds <= cur.EndSeconds+o.MergeGapSeconds+1e-9 {
					cur.EndSeconds = max(cur.EndSeconds, k.EndSeconds)
					cur.Confidence = max(cur.Confidence, score)
					continue
				}
				fileDets = append(fileDets, Detection{File: file, StartSeconds: k.StartSeconds, EndSeconds: k.EndSeconds, Label: label, Confidence: score})
				cur = &fileDets[len(fileDets)-1]
			}
		}
		slices.SortStableFunc(fileDets, func(a, b Detection) int {
			return cmp.Or(cmp.Compare(a.StartSeconds, b.StartSeconds), strings.Compare(a.Label, b.Label))
		})
		out = append(out, fileDets...)
	}
	return out
}

// ByFile groups detections by file, in the order files first appear.
func ByFile(dets []Detection) (files []string, groups map[string][]Detection) {
	groups = map[string][]Detection{}
	for _, d := range dets {
		if _, ok := groups[d.File]; !ok {
			files = append(files, d.File)
		}
		groups[d.File] = append(groups[d.File], d)
	}
	return files, groups
}

// RavenOptions configures WriteRaven.
type RavenOptions struct {
	// LowHz and HighHz are every selection's frequency bounds (the model's band).
	LowHz, HighHz float64
	// Files and Durations lay several recordings end to end: Files in order,
	// Durations[file] their lengths in seconds. Nil for a table of one
	// recording (times in it).
	Files     []string
	Durations map[string]float64
}

// RavenColumns are the columns WriteRaven writes.
var RavenColumns = []string{"Selection", "View", "Channel", "Begin Time (s)", "End Time (s)",
	"Low Freq (Hz)", "High Freq (Hz)", "Begin Path", "File Offset (s)", "Annotation", "Confidence"}

// WriteRaven writes a Raven Pro selection table (see the package doc).
func WriteRaven(path string, dets []Detection, o RavenOptions) error {
	offsets := map[string]float64{}
	if o.Files != nil {
		t := 0.0
		for _, f := range o.Files {
			offsets[f] = t
			d, ok := o.Durations[f]
			if !ok || !(d >= 0) {
				return fmt.Errorf("detections: %s: no duration of %s for a combined table", path, f)
			}
			t += d
		}
		for _, d := range dets {
			if _, ok := offsets[d.File]; !ok {
				return fmt.Errorf("detections: %s: detection in %s, which is not among the table's files", path, d.File)
			}
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, strings.Join(RavenColumns, "\t"))
		for i, d := range dets {
			off := offsets[d.File]
			fmt.Fprintf(bw, "%d\tSpectrogram 1\t1\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1,
				formatSeconds(off+d.StartSeconds), formatSeconds(off+d.EndSeconds),
				formatSeconds(o.LowHz), formatSeconds(o.HighHz), clean(d.File), formatSeconds(d.StartSeconds),
				clean(d.Label), strconv.FormatFloat(float64(d.Confidence), 'f', 4, 32))
		}
		return bw.Flush()
	})
}

// clean keeps a field on its line and in its column.
func clean(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }

// WriteAudacity writes an Audacity label track: start, end and "label
// confidence", tab-separated, one detection per line.
func WriteAudacity(path string, dets []Detection) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, d := range dets {
			fmt.Fprintf(bw, "%.6f\t%.6f\t%s %.3f\n", d.StartSeconds, d.EndSeconds, clean(d.Label), d.Confidence)
		}
		return bw.Flush()
	})
}

// CSVHeader is WriteCSV's header.
var CSVHeader = []string{"file", "start_time", "end_time", "label", "confidence"}

// WriteCSV writes detections as file,start_time,end_time,label,confidence.
func WriteCSV(path string, dets []Detection) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(CSVHeader)
		for _, d := range dets {
			cw.Write([]string{d.File, formatSeconds(d.StartSeconds), formatSeconds(d.EndSeconds), d.Label,
				strconv.FormatFloat(float64(d.Confidence), 'g', -1, 32)})
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadCSV reads a table WriteCSV wrote. Errors name the file, line and value.
func ReadCSV(path string) ([]Detection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("detections: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil || strings.Join(header, ",") != strings.Join(CSVHeader, ",") {
		return nil, fmt.Errorf("%s: line 1: want the header %s", path, strings.Join(CSVHeader, ","))
	}
	var out []Detection
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		d := Detection{File: rec[0], Label: rec[3]}
		var conf float64
		if d.StartSeconds, err = parseFinite(rec[1]); err != nil || d.StartSeconds < 0 {
			return nil, fmt.Errorf("%s: line %d: start_time %q: want seconds ≥ 0", path, line, rec[1])
		}
		if d.EndSeconds, err = parseFinite(rec[2]); err != nil || d.EndSeconds <= d.StartSeconds {
			return nil, fmt.Errorf("%s: line %d: end_time %q: want seconds after start_time", path, line, rec[2])
		}
		if conf, err = parseFinite(rec[4]); err != nil || conf < 0 || conf > 1 {
			return nil, fmt.Errorf("%s: line %d: confidence %q: want a number in [0, 1]", path, line, rec[4])
		}
		if d.File == "" {
			return nil, fmt.Errorf("%s: line %d: empty file name", path, line)
		}
		d.Confidence = float32(conf)
		out = append(out, d)
	}
}

// WriteParquet writes detections as a Parquet file (see the package doc).
func WriteParquet(path string, dets []Detection) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		return parquet.Write(w, dets)
	})
}

// ReadParquet reads a file WriteParquet wrote.
func ReadParquet(path string) ([]Detection, error) {
	dets, err := parquet.ReadFile[Detection](path)
	if err != nil {
		return nil, fmt.Errorf("detections: %s: %w", path, err)
	}
	for i, d := range dets {
		if math.IsNaN(d.StartSeconds) || !(d.EndSeconds > d.StartSeconds) {
			return nil, fmt.Errorf("detections: %s: row %d: span %v–%v s", path, i, d.StartSeconds, d.EndSeconds)
		}
	}
	return dets, nil
}
