package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestLabelRowClips checks train -labels' cutting of a label table into windows
// against the cutting done by hand (decode, mono, audio.Trim the row's span,
// audio.Split it, shift the times by the row's start): the same windows, to the
// bit, in the same order, with the same rows, for a short row (one padded
// window), a long one (several), one ending past its file's end, a stereo file
// at another rate, a file named by an absolute path, and an empty row; a row
// starting after its file's end and a missing file are logged and left out.
func TestLabelRowClips(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	write := func(path string, channels, rateHz int, seconds float64) {
		t.Helper()
		x := make([][]float32, channels)
		for c := range x {
			x[c] = make([]float32, int(seconds*float64(rateHz)))
			for i := range x[c] {
				x[c][i] = float32(0.3 * rng.NormFloat64())
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := audio.WriteWAV(path, x, rateHz, audio.WAV16); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "t", "a.wav"), 1, 16000, 4)
	other := filepath.Join(dir, "other", "c.wav")
	write(other, 2, 22050, 2.5)
	table := filepath.Join(dir, "t", "labels.csv")
	csv := "file,start_time,end_time,x,y\n" +
		"a.wav,0,0.75,1,0\n" + // one window, padded
		"a.wav,0.5,3.7,0,1\n" + // four windows, the last padded
		other + ",0.25,2,1,1\n" + // stereo, 22 050 Hz, as written
		"missing.wav,0,1,1,0\n" + // logged
		"a.wav,2.5,9,1,0\n" + // past the end: cut at 4 s
		"a.wav,5,6,0,1\n" + // starts after the end: logged
		"a.wav,1,1,0,1\n" // empty: no window
	if err := os.WriteFile(table, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	labels, err := dataset.ReadLabelCSV(table)
	if err != nil {
		t.Fatal(err)
	}
	split := audio.SplitOptions{ClipSeconds: 1, Final: audio.FinalPad, MinFinalSeconds: -1}

	// The windows cut by hand.
	var want []audio.Clip
	var wantRows []int
	for _, file := range []string{"a.wav", other, "missing.wav"} {
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, "t", file)
		}
		a, err := audio.Load(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range labels.Rows {
			if dataset.ResolveFile(filepath.Join(dir, "t"), row.File) != p || row.StartSeconds >= a.DurationSeconds() {
				continue
			}
			cs, err := audio.Split(audio.Trim(a.Mono(), a.SampleRateHz, row.StartSeconds, row.EndSeconds), a.SampleRateHz, p, split)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				c.StartSeconds += row.StartSeconds
				c.EndSeconds += row.StartSeconds
				want = append(want, c)
				wantRows = append(wantRows, r)
			}
		}
	}
	if len(want) != 1+4+2+2 {
		t.Fatalf("the reference cut %d windows, want 9", len(want))
	}

	var stderr bytes.Buffer
	e := &env{stderr: &stderr, errLog: &errorLog{command: "train", stderr: &stderr}}
	got, rows, err := labelRowClips(e, labels, table, split)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, wantRows) || len(got) != len(want) {
		t.Fatalf("rows %v, want %v (%d windows, want %d)", rows, wantRows, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		same := g.File == w.File && g.StartSeconds == w.StartSeconds && g.EndSeconds == w.EndSeconds &&
			g.SampleRateHz == w.SampleRateHz && len(g.Samples) == len(w.Samples)
		for j := 0; same && j < len(w.Samples); j++ {
			same = math.Float32bits(g.Samples[j]) == math.Float32bits(w.Samples[j])
		}
		if !same {
			t.Errorf("window %d: %s %g–%g s at %d Hz, %d samples; want %s %g–%g s at %d Hz, %d samples (or its samples differ)",
				i, g.File, g.StartSeconds, g.EndSeconds, g.SampleRateHz, len(g.Samples), w.File, w.StartSeconds, w.EndSeconds, w.SampleRateHz, len(w.Samples))
		}
	}
	log := stderr.String()
	if e.errLog.count != 2 || !strings.Contains(log, "missing.wav: audio: open") ||
		!strings.Contains(log, fmt.Sprintf("FAILED %s: %s:7: row 5–6 s starts after the file's end (4 s)", filepath.Join(dir, "t", "a.wav"), table)) {
		t.Errorf("%d logged, want 2 (the missing file, the row after the end):\n%s", e.errLog.count, log)
	}

	// A table none of whose files can be read is an error.
	if err := os.WriteFile(table, []byte("file,start_time,end_time,x\nmissing.wav,0,1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if labels, err = dataset.ReadLabelCSV(table); err != nil {
		t.Fatal(err)
	}
	if _, _, err := labelRowClips(e, labels, table, split); err == nil || !strings.Contains(err.Error(), "no row's recording could be read") {
		t.Errorf("no readable file: %v", err)
	}
}

// TestLabelRowClipsNoSample checks that a row holding no sample of its file once
// rounded to the file's rate (16 kHz, 4 s: 64 000 frames) is logged naming the
// table and its line, and that the file's other rows keep their windows, the
// same as when the table lacks that row.
func TestLabelRowClipsNoSample(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, 4*16000)
	for i := range x {
		x[i] = float32(0.3 * rng.NormFloat64())
	}
	if err := audio.WriteWAV(filepath.Join(dir, "a.wav"), [][]float32{x}, 16000, audio.WAV16); err != nil {
		t.Fatal(err)
	}
	const header = "file,start_time,end_time,x\n"
	good := "a.wav,0,0.75,1\na.wav,2.5,9,1\n" // one window; two, cut at 4 s
	split := audio.SplitOptions{ClipSeconds: 1, Final: audio.FinalPad, MinFinalSeconds: -1}
	for _, tc := range []struct {
		name, csv string
		wantRows  []int  // the table rows of the windows
		wantLog   string // after "FAILED <dir>/a.wav: <table>"
	}{
		{"rounds to no sample", header + "a.wav,0,0.75,1\na.wav,1,1.00002,1\na.wav,2.5,9,1\n",
			[]int{0, 2, 2}, ":3: row 1–1.00002 s holds no sample of the file (16000 Hz, 4 s): its span rounds to sample 16000 up to (not including) sample 16000, and the file's samples are 0 to 63999"},
		{"starts in the last half-sample", header + "a.wav,0,0.75,1\na.wav,2.5,9,1\na.wav,3.99999,5,1\n",
			[]int{0, 1, 1}, ":4: row 3.99999–5 s holds no sample of the file (16000 Hz, 4 s): its span rounds to sample 64000 up to (not including) sample 64000, and the file's samples are 0 to 63999"},
		{"blank lines counted", header + "a.wav,0,0.75,1\n\n\na.wav,2,2.00001,1\na.wav,2.5,9,1\n",
			[]int{0, 2, 2}, ":5: row 2–2.00001 s holds no sample"},
		{"a quoted field spanning lines", header + "a.wav,0,\"0.75\n\",1\n\na.wav,2,2.00001,1\na.wav,2.5,9,1\n",
			[]int{0, 2, 2}, ":5: row 2–2.00001 s holds no sample"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			table := filepath.Join(dir, "labels.csv")
			run := func(csv string) ([]audio.Clip, []int, *env, string) {
				t.Helper()
				if err := os.WriteFile(table, []byte(csv), 0o644); err != nil {
					t.Fatal(err)
				}
				labels, err := dataset.ReadLabelCSV(table)
				if err != nil {
					t.Fatal(err)
				}
				var stderr bytes.Buffer
				e := &env{stderr: &stderr, errLog: &errorLog{command: "train", stderr: &stderr}}
				clips, rows, err := labelRowClips(e, labels, table, split)
				if err != nil {
					t.Fatal(err)
				}
				return clips, rows, e, stderr.String()
			}
			want, _, _, _ := run(header + good)
			got, rows, e, log := run(tc.csv)
			if !slices.Equal(rows, tc.wantRows) {
				t.Errorf("rows %v, want %v", rows, tc.wantRows)
			}
			if want := "FAILED " + filepath.Join(dir, "a.wav") + ": " + table + tc.wantLog; e.errLog.count != 1 || !strings.Contains(log, want) {
				t.Errorf("%d logged, want 1 containing %q:\n%s", e.errLog.count, want, log)
			}
			if len(got) != len(want) {
				t.Fatalf("%d windows, want %d (as without the row)", len(got), len(want))
			}
			for i := range want {
				g, w := got[i], want[i]
				same := g.StartSeconds == w.StartSeconds && g.EndSeconds == w.EndSeconds && len(g.Samples) == len(w.Samples)
				for j := 0; same && j < len(w.Samples); j++ {
					same = math.Float32bits(g.Samples[j]) == math.Float32bits(w.Samples[j])
				}
				if !same {
					t.Errorf("window %d: %g–%g s differs from %g–%g s without the row", i, g.StartSeconds, g.EndSeconds, w.StartSeconds, w.EndSeconds)
				}
			}
		})
	}
}
