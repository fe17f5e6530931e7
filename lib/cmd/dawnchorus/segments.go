package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/detections"
)

// readDetections reads a detections table: .parquet, else CSV.
func readDetections(path string) ([]detections.Detection, error) {
	if strings.EqualFold(filepath.Ext(path), ".parquet") {
		return detections.ReadParquet(path)
	}
	return detections.ReadCSV(path)
}

func runSegments(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "segments", "[flags] DETECTIONS.csv|.parquet…   (tables written by 'analyze -formats csv' or parquet)")
	out := fs.String("out", "segments", "folder of the clips: one subfolder per label")
	minConf := fs.Float64("min-confidence", 0, "skip detections scoring below this")
	pad := fs.Float64("pad", 0, "seconds of sound kept before and after each detection")
	maxPer := fs.Int("max-per-label", 0, "at most this many clips per label, the most confident first (0: all)")
	label := fs.String("label", "", "only detections of this label")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, fs, "give one or more detection tables")
	}
	if *pad < 0 || math.IsNaN(*pad) {
		return usageErr(e, fs, "-pad %g: want ≥ 0", *pad)
	}
	var dets []detections.Detection
	for _, p := range fs.Args() {
		d, err := readDetections(p)
		if err != nil {
			return fail(e, "segments", err)
		}
		for _, x := range d {
			if float64(x.Confidence) >= *minConf && (*label == "" || x.Label == *label) {
				dets = append(dets, x)
			}
		}
	}
	if *maxPer > 0 {
		slices.SortStableFunc(dets, func(a, b detections.Detection) int {
			if a.Label != b.Label {
				return strings.Compare(a.Label, b.Label)
			}
			switch {
			case a.Confidence > b.Confidence:
				return -1
			case a.Confidence < b.Confidence:
				return 1
			}
			return 0
		})
		var kept []detections.Detection
		n := map[string]int{}
		for _, d := range dets {
			if n[d.Label] < *maxPer {
				n[d.Label]++
				kept = append(kept, d)
			}
		}
		dets = kept
	}
	files, groups := detections.ByFile(dets)
	written := 0
	for _, file := range files {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		a, err := audio.Load(file)
		if err != nil {
			e.errLog.add(file, err)
			continue
		}
		mono := a.Mono()
		stem := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		for _, d := range groups[file] {
			start, end := max(0, d.StartSeconds-*pad), min(a.DurationSeconds(), d.EndSeconds+*pad)
			samples := audio.Trim(mono, a.SampleRateHz, start, end)
			if len(samples) == 0 {
				e.errLog.add(file, fmt.Errorf("%s: detection %g–%g s is past the end of the file (%g s)", file, d.StartSeconds, d.EndSeconds, a.DurationSeconds()))
				continue
			}
			dir := filepath.Join(*out, safeName(d.Label))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fail(e, "segments", err)
			}
			name := fmt.Sprintf("%s_%.2f-%.2fs_%.3f.wav", safeName(stem), d.StartSeconds, d.EndSeconds, d.Confidence)
			if err := audio.WriteWAV(filepath.Join(dir, name), [][]float32{samples}, a.SampleRateHz, audio.WAV16); err != nil {
				return fail(e, "segments", err)
			}
			written++
		}
	}
	fmt.Fprintf(e.stdout, "wrote %d clips of %d recordings into %s\n", written, len(files), *out)
	return exitOK
}

// safeName keeps a label or file name usable as one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == ':' {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}
