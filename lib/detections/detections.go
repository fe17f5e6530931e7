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

// Options configures Detect. Times are seconds in the recording; scores and
// thresholds are in [0, 1].
type Options struct {
	// MinConfidence is the lowest score kept [0: every window].
	MinConfidence float64
	// Merge joins a class's kept windows of a file that overlap or are at most
	// MergeGapSeconds apart into one event (a run), which the two rules below
	// may split again.
	Merge           bool
	MergeGapSeconds float64
	// MaxEventSeconds, with Merge, caps an event's length: a run longer than
	// this is cut, in time order, into events of as many whole windows as fit
	// in MaxEventSeconds (at least one) [0: no cap]. BirdNET-Analyzer's
	// --merge_consecutive is this cap counted in windows.
	MaxEventSeconds float64
	// SplitDrop, with Merge, ends an event at a dip of the score curve: a run
	// is cut after a window scoring at least SplitDrop below the highest score
	// before it in its event, when a later window of the run rises at least
	// SplitDrop above it again (peak picking with a minimum prominence of
	// SplitDrop) [0: no split; else at least MinSplitDrop].
	SplitDrop float64
}

// MinSplitDrop is the smallest SplitDrop but 0: a drop within the scores'
// rounding tolerance (float32 scores) would split a flat curve at every
// window.
const MinSplitDrop = 0.001

// OptionError is an option of Options out of range: its field name, its
// value and the range wanted.
type OptionError struct {
	Option string
	Value  float64
	Want   string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("detections: %s %g: want %s", e.Option, e.Value, e.Want)
}

// Check returns an *OptionError for the first option out of range.
func (o Options) Check() error {
	seconds := func(x float64) bool { return x >= 0 && !math.IsInf(x, 0) }
	switch {
	case !(o.MinConfidence >= 0 && o.MinConfidence <= 1):
		return &OptionError{"MinConfidence", o.MinConfidence, "a score in [0, 1]"}
	case !seconds(o.MergeGapSeconds):
		return &OptionError{"MergeGapSeconds", o.MergeGapSeconds, "seconds ≥ 0"}
	case !seconds(o.MaxEventSeconds):
		return &OptionError{"MaxEventSeconds", o.MaxEventSeconds, "seconds ≥ 0 (0: no cap)"}
	case !(o.SplitDrop == 0 || o.SplitDrop >= MinSplitDrop && o.SplitDrop <= 1):
		return &OptionError{"SplitDrop", o.SplitDrop, fmt.Sprintf("0 (no split) or a score difference in [%g, 1]", MinSplitDrop)}
	}
	return nil
}

// window is one kept window of a class: its span in seconds and its score.
type window struct {
	startSeconds, endSeconds float64
	score                    float32
}

// Detect returns the detections in s, ordered by file (in the order files first
// appear in s), then start time, then label: for each file and class, the
// windows scoring at least MinConfidence, each a detection, or with Merge
// joined into runs (mergeRuns), each run split at dips (splitAtDips) and cut
// to MaxEventSeconds (capLength); a detection spans its windows, with the
// highest of their scores as its confidence. Options out of range are an
// error (Options.Check).
func Detect(s *Scores, o Options) ([]Detection, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
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
			var kept []window
			for _, i := range rows {
				if score := s.Values[i][c]; float64(score) >= o.MinConfidence {
					kept = append(kept, window{s.Keys[i].StartSeconds, s.Keys[i].EndSeconds, score})
				}
			}
			for _, event := range events(kept, o) {
				d := Detection{File: file, StartSeconds: event[0].startSeconds, Label: label}
				for _, w := range event {
					d.EndSeconds = max(d.EndSeconds, w.endSeconds)
					d.Confidence = max(d.Confidence, w.score)
				}
				fileDets = append(fileDets, d)
			}
		}
		slices.SortStableFunc(fileDets, func(a, b Detection) int {
			return cmp.Or(cmp.Compare(a.StartSeconds, b.StartSeconds), strings.Compare(a.Label, b.Label))
		})
		out = append(out, fileDets...)
	}
	return out, nil
}

// events groups one class's kept windows of a file, sorted by start, into
// events as o says: one window each without Merge.
func events(kept []window, o Options) [][]window {
	if !o.Merge {
		out := make([][]window, len(kept))
		for i := range kept {
			out[i] = kept[i : i+1]
		}
		return out
	}
	var out [][]window
	for _, run := range mergeRuns(kept, o.MergeGapSeconds) {
		for _, part := range splitAtDips(run, o.SplitDrop) {
			out = append(out, capLength(part, o.MaxEventSeconds)...)
		}
	}
	return out
}

// timeTolerance absorbs rounding in window times written as decimals, and
// scoreTolerance that of float32 scores against float64 thresholds.
const (
	timeTolerance  = 1e-9
	scoreTolerance = 1e-6
)

// mergeRuns joins windows, sorted by start, into runs: a window joins the run
// before it when it starts at most gapSeconds after the run's end.
func mergeRuns(windows []window, gapSeconds float64) [][]window {
	var runs [][]window
	end := 0.0
	for i, w := range windows {
		if i == 0 || w.startSeconds > end+gapSeconds+timeTolerance {
			runs = append(runs, nil)
			end = w.endSeconds
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], w)
		end = max(end, w.endSeconds)
	}
	return runs
}

// splitAtDips cuts a run at the troughs of its score curve that lie at least
// drop below the peak before them (since the last cut) and below the peak
// after them: the trough window ends its event, the next window starts one
// (Billauer's peakdet with delta = drop). drop 0 keeps the run whole.
func splitAtDips(run []window, drop float64) [][]window {
	if drop <= 0 {
		return [][]window{run}
	}
	var out [][]window
	start := 0
	peak := float64(run[0].score)
	trough, troughAt := peak, -1 // troughAt ≥ 0 once the curve fell drop below peak
	for i := 1; i < len(run); i++ {
		x := float64(run[i].score)
		if troughAt < 0 {
			if x > peak {
				peak = x
			} else if x <= peak-drop+scoreTolerance {
				trough, troughAt = x, i
			}
			continue
		}
		if x < trough {
			trough, troughAt = x, i
		} else if x >= trough+drop-scoreTolerance {
			out = append(out, run[start:troughAt+1])
			start, peak, troughAt = troughAt+1, x, -1
			for j := start; j < i; j++ { // the rise to x belongs to the new event
				peak = max(peak, float64(run[j].score))
			}
		}
	}
	return append(out, run[start:])
}

// capLength cuts a run, in time order, into events no longer than maxSeconds
// from the first window's start to the last one's end, each at least one
// window. maxSeconds 0 keeps the run whole.
func capLength(run []window, maxSeconds float64) [][]window {
	if maxSeconds <= 0 {
		return [][]window{run}
	}
	var out [][]window
	start := 0
	for i := 1; i < len(run); i++ {
		if run[i].endSeconds-run[start].startSeconds > maxSeconds+timeTolerance {
			out = append(out, run[start:i])
			start = i
		}
	}
	return append(out, run[start:])
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
