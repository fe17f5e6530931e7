package detections

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// ReadRaven reads a selection table that WriteRaven wrote (one recording's or a
// combined one) back into detections: each row's recording from its "Begin
// Path" column, its start from "File Offset (s)" (times within the recording,
// also in a combined table), its length from "Begin Time (s)" and "End Time
// (s)", its class from "Annotation" and its score from "Confidence". Rows of
// views other than Spectrogram are skipped (Raven writes a selection once per
// view). A missing column, a short row or a value that is not a finite number
// is an error naming the file, the line and the column.
func ReadRaven(path string) ([]Detection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("detections: %w", err)
	}
	defer f.Close()
	return ParseRaven(f, path)
}

// ravenNeeded are the columns ParseRaven reads.
var ravenNeeded = []string{"Begin Time (s)", "End Time (s)", "Begin Path", "File Offset (s)", "Annotation", "Confidence"}

// ParseRaven is ReadRaven on r; name is used in errors.
func ParseRaven(r io.Reader, name string) ([]Detection, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("detections: %s: %w", name, err)
		}
		return nil, fmt.Errorf("detections: %s: empty file, want a Raven selection table with columns %s", name, strings.Join(ravenNeeded, ", "))
	}
	header := strings.Split(strings.TrimRight(strings.TrimPrefix(sc.Text(), "\uFEFF"), "\r"), "\t")
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if j, dup := col[h]; dup {
			return nil, fmt.Errorf("detections: %s: line 1: column %q appears twice (columns %d and %d)", name, h, j+1, i+1)
		}
		col[h] = i
	}
	for _, c := range ravenNeeded {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("detections: %s: line 1: no %q column (columns: %s); is it a table 'dawnchorus analyze' wrote?", name, c, strings.Join(header, ", "))
		}
	}
	view, hasView := col["View"]
	var out []Detection
	for line := 2; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		field := func(c string) (string, error) {
			i := col[c]
			if i >= len(fields) {
				return "", fmt.Errorf("detections: %s: line %d: %d fields, no %q (column %d)", name, line, len(fields), c, i+1)
			}
			return strings.TrimSpace(fields[i]), nil
		}
		number := func(c string) (float64, error) {
			s, err := field(c)
			if err != nil {
				return 0, err
			}
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, fmt.Errorf("detections: %s: line %d: %q: %q is not a finite number", name, line, c, s)
			}
			return x, nil
		}
		if hasView && view < len(fields) && !strings.HasPrefix(strings.TrimSpace(fields[view]), "Spectrogram") {
			continue
		}
		var vals [4]float64
		for i, c := range []string{"Begin Time (s)", "End Time (s)", "File Offset (s)", "Confidence"} {
			v, err := number(c)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		begin, end, offset, conf := vals[0], vals[1], vals[2], vals[3]
		if end < begin || offset < 0 {
			return nil, fmt.Errorf("detections: %s: line %d: begin %g s, end %g s, file offset %g s: want begin ≤ end and offset ≥ 0", name, line, begin, end, offset)
		}
		file, err := field("Begin Path")
		if err != nil {
			return nil, err
		}
		label, err := field("Annotation")
		if err != nil {
			return nil, err
		}
		if file == "" || label == "" {
			return nil, fmt.Errorf("detections: %s: line %d: empty Begin Path or Annotation", name, line)
		}
		out = append(out, Detection{File: file, StartSeconds: offset, EndSeconds: offset + (end - begin), Label: label, Confidence: float32(conf)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("detections: %s: %w", name, err)
	}
	return out, nil
}
