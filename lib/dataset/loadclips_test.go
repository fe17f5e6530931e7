package dataset

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// TestLoadClips writes a stereo ramp (left i, right -i/2 at frame i, so mono is i/4) and
// cuts rows out of it: every clip's first and last value and length are worked out by hand.
func TestLoadClips(t *testing.T) {
	dir := t.TempDir()
	const rate = 1000
	left, right := make([]float32, 3*rate), make([]float32, 3*rate)
	for i := range left {
		left[i], right[i] = float32(i)/4096, -float32(i)/8192
	}
	if err := audio.WriteWAV(filepath.Join(dir, "ramp.wav"), [][]float32{left, right}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	table := &LabelTable{Classes: []string{"x"}, Rows: []Row{
		{File: "ramp.wav", StartSeconds: 1, EndSeconds: 2, Labels: []int{1}},
		{File: "ramp.wav", StartSeconds: 0, EndSeconds: 0, Labels: []int{1}}, // the whole file
		{File: "ramp.wav", StartSeconds: 2.5, EndSeconds: 3.5, Labels: []int{1}},
		{File: "gone.wav", EndSeconds: 1, Labels: []int{1}},
	}}
	mono := func(i int) float32 { return float32(i) / 4096 / 4 } // (i/4096 − i/8192)/2
	clips, err := LoadClips(dir, table, []int{0, 1}, rate)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []struct{ first, n int }{{1000, 1000}, {0, 3000}} {
		c := clips[k]
		if len(c) != want.n || c[0] != mono(want.first) || c[len(c)-1] != mono(want.first+want.n-1) {
			t.Errorf("clip %d: %d samples from %v to %v; want %d from %v to %v", k, len(c), c[0], c[len(c)-1],
				want.n, mono(want.first), mono(want.first+want.n-1))
		}
	}
	half, err := LoadClips(dir, table, []int{0}, rate/2) // resampled: 500 samples for 1 s
	if err != nil || len(half[0]) != 500 {
		t.Errorf("at %d Hz: %d samples, %v; want 500", rate/2, len(half[0]), err)
	}
	for _, tc := range []struct {
		rows []int
		rate int
		want string
	}{
		{[]int{2}, rate, "ramp.wav: row 2 (2.5–3.5 s) ends past the end of the file, which is 3 s long, so the file holds 0.5 s of the row's 1 s"},
		{[]int{3}, rate, "gone.wav"},
		{[]int{9}, rate, "row 9 out of"},
		{[]int{0}, 0, "at 0 Hz"},
	} {
		if _, err := LoadClips(dir, table, tc.rows, tc.rate); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rows %v at %d Hz: error %v, want one containing %q", tc.rows, tc.rate, err, tc.want)
		}
	}
}

// TestLoadClipsTolerance checks RowTolerance at a file's end: a row may end up to 1 ms past
// its file (label tables give times to the millisecond) and its clip is then cut at the
// file's last sample; a row ending further past is an error naming the file, the row's
// times and the file's length. The file is 2 s at 1000 Hz (one sample every 1 ms) and at
// 8000 Hz (eight per ms), so 0.5 ms past is less than one sample at one rate and four at
// the other.
func TestLoadClipsTolerance(t *testing.T) {
	dir := t.TempDir()
	for _, rate := range []int{1000, 8000} {
		samples := make([]float32, 2*rate)
		for i := range samples {
			samples[i] = float32(i+1) / float32(len(samples))
		}
		file := fmt.Sprintf("f%d.wav", rate)
		if err := audio.WriteWAV(filepath.Join(dir, file), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name       string
			start, end float64
			want       int    // samples in the clip, the last one the file's last
			err        string // "" when the row loads
		}{
			{"ends at the end", 1, 2, rate, ""},
			{"0.5 ms past", 1, 2.0005, rate, ""},
			{"exactly 1 ms past", 1, 2.001, rate, ""},
			{"2 ms past", 1, 2.002, 0, file + ": row 0 (1–2.002 s) ends past the end of the file, which is 2 s long"},
			{"starts at the end", 2, 2.0005, 0, fmt.Sprintf("%s: row 0 (2–2.0005 s) holds no sample of the file (%d Hz, 2 s): its span rounds to sample %d up to (not including) sample %[3]d", file, rate, 2*rate)},
		} {
			table := &LabelTable{Classes: []string{"x"}, Rows: []Row{{File: file, StartSeconds: tc.start, EndSeconds: tc.end, Labels: []int{1}}}}
			clips, err := LoadClips(dir, table, []int{0}, rate)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("%d Hz, %s: error %v, want one containing %q", rate, tc.name, err, tc.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%d Hz, %s: %v", rate, tc.name, err)
				continue
			}
			if c := clips[0]; len(c) != tc.want || c[0] != samples[rate] || c[len(c)-1] != samples[len(samples)-1] {
				t.Errorf("%d Hz, %s: %d samples from %v to %v; want %d from %v to %v (the file's last)",
					rate, tc.name, len(c), c[0], c[len(c)-1], tc.want, samples[rate], samples[len(samples)-1])
			}
		}
	}
}

// TestLoadClipsNative loads rows of two files, a ramp at 1000 Hz and one at 8000 Hz (sample
// i is (i+1)/8192), without resampling: each clip comes at its file's rate, with the samples
// of its span worked out by hand; a row past a file's end is LoadClips' error.
func TestLoadClipsNative(t *testing.T) {
	dir := t.TempDir()
	ramp := func(i int) float32 { return float32(i+1) / 8192 }
	for _, rate := range []int{1000, 8000} {
		samples := make([]float32, 2*rate)
		for i := range samples {
			samples[i] = ramp(i)
		}
		if err := audio.WriteWAV(filepath.Join(dir, fmt.Sprintf("f%d.wav", rate)), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
	}
	table := &LabelTable{Classes: []string{"x"}, Rows: []Row{
		{File: "f1000.wav", StartSeconds: 0.5, EndSeconds: 1.5, Labels: []int{1}},
		{File: "f8000.wav", StartSeconds: 0.25, EndSeconds: 2, Labels: []int{1}},
		{File: "f1000.wav", StartSeconds: 1.25, EndSeconds: 0, Labels: []int{1}}, // to the end
		{File: "f8000.wav", StartSeconds: 1, EndSeconds: 2.5, Labels: []int{1}},
	}}
	clips, rates, err := LoadClipsNative(dir, table, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []struct{ rate, first, n int }{{1000, 500, 1000}, {8000, 2000, 14000}, {1000, 1250, 750}} {
		c := clips[k]
		if rates[k] != want.rate || len(c) != want.n || c[0] != ramp(want.first) || c[len(c)-1] != ramp(want.first+want.n-1) {
			t.Errorf("row %d: %d Hz, %d samples from %v to %v; want %d Hz, %d from %v to %v", k, rates[k], len(c), c[0], c[len(c)-1],
				want.rate, want.n, ramp(want.first), ramp(want.first+want.n-1))
		}
	}
	want := "f8000.wav: row 3 (1–2.5 s) ends past the end of the file, which is 2 s long, so the file holds 1 s of the row's 1.5 s"
	if _, _, err := LoadClipsNative(dir, table, []int{3}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("row past the end: error %v, want one containing %q", err, want)
	}
}

// TestRowSamples checks the rounding rule against sample indices worked out by hand:
// first = round(start·rate), end = round(end·rate) cut to the file's length (the file's
// length when the end is 0), at 16 kHz, 44.1 kHz and 1024 Hz (where a half sample is
// exact in binary, so the tie is a real tie), with spans that round to no sample.
func TestRowSamples(t *testing.T) {
	for _, tc := range []struct {
		name               string
		start, end         float64
		rateHz, frames     int
		wantFirst, wantEnd int
		wantErr            string // "" when the span holds a sample
	}{
		{"16 kHz, inside", 1, 2, 16000, 64000, 16000, 32000, ""},
		{"16 kHz, to the end (end 0)", 0.5, 0, 16000, 64000, 8000, 64000, ""},
		{"16 kHz, end past the file", 3.5, 9, 16000, 64000, 56000, 64000, ""},
		{"16 kHz, start in the last sample's first half", 3.99996, 5, 16000, 64000, 63999, 64000, ""},       // 63999.36
		{"16 kHz, start in the last half-sample", 3.99997, 5, 16000, 64000, 0, 0, "rounds to sample 64000"}, // 63999.52
		{"16 kHz, a start far past the file (1e15 s overflows int)", 1e15, 0, 16000, 64000, 0, 0, "holds no sample"},
		{"16 kHz, rounds to no sample", 1, 1.00002, 16000, 64000, 0, 0, "rounds to sample 16000 up to (not including) sample 16000"},
		{"16 kHz, starts after the end", 5, 6, 16000, 64000, 0, 0, "the file's samples are 0 to 63999"},
		{"44.1 kHz, whole samples", 0.25, 1.5, 44100, 88200, 11025, 66150, ""},
		{"44.1 kHz, rounded", 0.1234, 0.5678, 44100, 88200, 5442, 25040, ""}, // 5441.94, 25039.98
		{"44.1 kHz, end past the file", 0.5, 1.2, 44100, 44100, 22050, 44100, ""},
		{"1024 Hz, a tie rounds up", 1.5 / 1024, 2.5 / 1024, 1024, 1024, 2, 3, ""},
		{"empty span", 1, 1, 16000, 64000, 0, 0, "holds no sample"},
		{"negative start", -0.5, 1, 16000, 64000, 0, 0, "starts at -0.5 s"},
		{"end not a number", 0, math.NaN(), 16000, 64000, 0, 0, "ends at NaN s"},
		{"no rate", 0, 1, 0, 64000, 0, 0, "at 0 Hz"},
	} {
		row := Row{File: "a.wav", StartSeconds: tc.start, EndSeconds: tc.end, Labels: []int{1}}
		first, end, err := RowSamples(row, tc.rateHz, tc.frames)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: samples %d–%d, error %v; want an error containing %q", tc.name, first, end, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || first != tc.wantFirst || end != tc.wantEnd):
			t.Errorf("%s: samples %d up to %d, error %v; want %d up to %d", tc.name, first, end, err, tc.wantFirst, tc.wantEnd)
		}
	}
}

// TestRowError reads a label table whose rows are not one a line (blank lines, a quoted
// field spanning two lines) and checks that each row knows its line, and that a row
// LoadClips cannot cut comes back as a *RowError (found by errors.As) with its index in
// the table given and that line, in a subset of the table too.
func TestRowError(t *testing.T) {
	dir := t.TempDir()
	samples := make([]float32, 1000) // 1 s at 1000 Hz, a ramp (a silent file is refused)
	for i := range samples {
		samples[i] = float32(i+1) / 1000
	}
	if err := audio.WriteWAV(filepath.Join(dir, "a.wav"), [][]float32{samples}, 1000, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	csv := "file,start_time,end_time,x\n" + // line 1
		"a.wav,0,0.5,1\n" + // line 2
		"\n\n" + // lines 3, 4
		"a.wav,0.2,\"0.4\n\",1\n" + // lines 5–6: a quoted end_time spanning them
		"a.wav,0.5,1.5,1\n" + // line 7: 0.5 s past the end
		"a.wav,1,1.0005,1\n" // line 8: within RowTolerance, but it rounds to no sample
	path := filepath.Join(dir, "labels.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	table, err := ReadLabelCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := []int{}
	for _, r := range table.Rows {
		lines = append(lines, r.Line)
	}
	if !slices.Equal(lines, []int{2, 5, 7, 8}) {
		t.Fatalf("rows on lines %v, want [2 5 7 8]", lines)
	}
	subset := &LabelTable{Classes: table.Classes, Rows: []Row{table.Rows[0], table.Rows[3]}}
	for _, tc := range []struct {
		name                string
		table               *LabelTable
		rows                []int
		wantRow, wantLine   int
		wantText, wantCause string
	}{
		{"past the end", table, []int{0, 1, 2}, 2, 7, "row 2 (0.5–1.5 s; line 7 of the label table) ends past the end of the file", "ends past the end"},
		{"no sample", table, []int{3}, 3, 8, "row 3 (1–1.0005 s; line 8 of the label table) holds no sample of the file (1000 Hz, 1 s)", "rounds to sample 1000"},
		{"no sample, in a subset", subset, []int{0, 1}, 1, 8, "row 1 (1–1.0005 s; line 8 of the label table) holds no sample", "holds no sample"},
	} {
		for _, native := range []bool{false, true} {
			var err error
			if native {
				_, _, err = LoadClipsNative(dir, tc.table, tc.rows)
			} else {
				_, err = LoadClips(dir, tc.table, tc.rows, 1000)
			}
			var re *RowError
			if !errors.As(err, &re) {
				t.Errorf("%s (native %v): error %v, want a *RowError", tc.name, native, err)
				continue
			}
			if re.Row != tc.wantRow || re.Line != tc.wantLine || re.Path != filepath.Join(dir, "a.wav") ||
				!strings.Contains(err.Error(), tc.wantText) || errors.Unwrap(err) == nil || !strings.Contains(errors.Unwrap(err).Error(), tc.wantCause) {
				t.Errorf("%s (native %v): row %d, line %d, path %s, %q (cause %v); want row %d, line %d, text containing %q, a cause containing %q",
					tc.name, native, re.Row, re.Line, re.Path, err, errors.Unwrap(err), tc.wantRow, tc.wantLine, tc.wantText, tc.wantCause)
			}
		}
	}
}
