package dataset

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

func TestParseLabelCSV(t *testing.T) {
	tbl, err := ReadLabelCSV(filepath.Join("testdata", "labels_multi.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := &LabelTable{Classes: []string{"amro", "bcch", "wiwa"}, Rows: []Row{
		{"a.wav", 0, 3, []int{1, 0, 0}, 2}, {"a.wav", 3, 6, []int{1, 1, 0}, 3}, {"b.wav", 0, 3, []int{0, 0, 0}, 4}}}
	if !reflect.DeepEqual(tbl, want) {
		t.Fatalf("got %+v, want %+v", tbl, want)
	}
	if tbl.IsSingleLabel() || tbl.Rows[0].ClassOf() != 0 || tbl.Rows[1].ClassOf() != -1 {
		t.Error("single-label detection wrong")
	}
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := tbl.WriteCSV(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadLabelCSV(path)
	if err != nil || !reflect.DeepEqual(back, tbl) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func TestParseLabelCSVErrors(t *testing.T) {
	tests := []struct {
		name, csv, wantInMessage string
	}{
		{"empty", "", "empty file"},
		{"missing index column", "file,start_time,amro\na.wav,0,1\n", `column 3 is "amro", want "end_time"`},
		{"no classes", "file,start_time,end_time\na.wav,0,1\n", "no class columns"},
		{"duplicate class", "file,start_time,end_time,a,a\n", `class "a" appears in columns 4 and 5`},
		{"extra field", "file,start_time,end_time,a\nx.wav,0,1,1,0\n", "line 2: 5 fields, header has 4 (extra columns)"},
		{"missing field", "file,start_time,end_time,a,b\nx.wav,0,1,1,0\ny.wav,0,1,1\n", "line 3: 4 fields, header has 5 (missing columns)"},
		{"not 0/1", "file,start_time,end_time,a,b\nx.wav,0,1,1,2\n", `line 2: class "b" is "2", want 0 or 1`},
		{"word label", "file,start_time,end_time,a\nx.wav,0,1,yes\n", `class "a" is "yes"`},
		{"bad time", "file,start_time,end_time,a\nx.wav,zero,1,1\n", `start_time "zero": not a number`},
		{"negative time", "file,start_time,end_time,a\nx.wav,-1,1,1\n", `start_time "-1"`},
		{"end before start", "file,start_time,end_time,a\nx.wav,2,1,1\n", "end_time 1 before start_time 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLabelCSV(strings.NewReader(tc.csv), "labels.csv")
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v, want ErrFormat", err)
			}
			if !strings.HasPrefix(err.Error(), "labels.csv: ") || !strings.Contains(err.Error(), tc.wantInMessage) {
				t.Errorf("error %q, want it to name the file and say %q", err, tc.wantInMessage)
			}
		})
	}
}

func TestParseRaven(t *testing.T) {
	sel, err := ReadRaven(filepath.Join("testdata", "example.Raven.selections.txt"), "Species")
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != 4 { // the Waveform duplicate is dropped
		t.Fatalf("%d selections, want 4: %+v", len(sel), sel)
	}
	first := sel[0]
	if first.Line != 3 || first.BeginSeconds != 1 || first.EndSeconds != 2.5 || first.LowHz != 2000 || first.HighHz != 4000.5 || first.Annotation != "amro" {
		t.Errorf("first selection %+v", first)
	}
	if sel[3].Annotation != "" {
		t.Errorf("unlabelled selection annotated %q", sel[3].Annotation)
	}
	_, err = ReadRaven(filepath.Join("testdata", "example.Raven.selections.txt"), "Annotation")
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `no "Annotation" column`) || !strings.Contains(err.Error(), "example.Raven.selections.txt: line 1") {
		t.Errorf("missing annotation column: %v", err)
	}
	_, err = ParseRaven(strings.NewReader("Begin Time (s)\tEnd Time (s)\tSpecies\n1\tx\ta\n"), "t.txt", "Species")
	if err == nil || !strings.Contains(err.Error(), `t.txt: line 2: End Time (s) "x"`) {
		t.Errorf("bad number: %v", err)
	}
}

// TestClipLabels checks the overlap rules against a hand computation (see the
// comments for each clip).
func TestClipLabels(t *testing.T) {
	sel, _ := ReadRaven(filepath.Join("testdata", "example.Raven.selections.txt"), "Species")
	// amro 1–2.5, bcch 4.8–5.3, amro 6.9–9.0, unlabelled 7.5–7.6.
	clips, err := ClipSpans(10, ClipOptions{ClipSeconds: 3, OverlapSeconds: 1, MinFinalSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantSpans := []Span{{StartSeconds: 0, EndSeconds: 3}, {StartSeconds: 2, EndSeconds: 5}, {StartSeconds: 4, EndSeconds: 7}, {StartSeconds: 6, EndSeconds: 9}, {StartSeconds: 8, EndSeconds: 11}}
	if !reflect.DeepEqual(clips, wantSpans) {
		t.Fatalf("ClipSpans = %v, want %v", clips, wantSpans)
	}
	byTime := ClipLabels("rec.wav", clips, sel, OverlapOptions{MinOverlapSeconds: 0.25})
	if !reflect.DeepEqual(byTime.Classes, []string{"amro", "bcch"}) {
		t.Fatalf("classes %v", byTime.Classes)
	}
	want := [][]int{
		{1, 0}, // 0–3: amro overlaps 1.5 s
		{1, 0}, // 2–5: amro 0.5 s; bcch only 0.2 s
		{0, 1}, // 4–7: bcch 0.5 s; amro only 0.1 s
		{1, 0}, // 6–9: amro 2.1 s
		{1, 0}, // 8–11: amro 1.0 s
	}
	for k, row := range byTime.Rows {
		if !reflect.DeepEqual(row.Labels, want[k]) || row.File != "rec.wav" {
			t.Errorf("clip %v: %v, want %v", clips[k], row.Labels, want[k])
		}
	}
	// With a 30% fraction rule, bcch (0.5 s long) counts in 2–5 (0.2 s = 40%).
	withFraction := ClipLabels("rec.wav", clips, sel, OverlapOptions{MinOverlapSeconds: 0.25, MinOverlapFraction: 0.3, Classes: []string{"bcch", "amro", "wiwa"}})
	if got := withFraction.Rows[1].Labels; !reflect.DeepEqual(got, []int{1, 1, 0}) {
		t.Errorf("clip 2–5 with fraction rule: %v, want [1 1 0] (bcch, amro, wiwa)", got)
	}
}

// splitTable: 60 recordings of 3 clips; classes by recording: 30 of a, 15 of b,
// 10 of c, 5 of d.
func splitTable() *LabelTable {
	t := &LabelTable{Classes: []string{"a", "b", "c", "d"}}
	for r := 0; r < 60; r++ {
		class := 0
		switch {
		case r >= 55:
			class = 3
		case r >= 45:
			class = 2
		case r >= 30:
			class = 1
		}
		for k := 0; k < 3; k++ {
			labels := make([]int, 4)
			labels[class] = 1
			t.Rows = append(t.Rows, Row{File: "rec" + string(rune('A'+r/26)) + string(rune('a'+r%26)) + ".wav", StartSeconds: float64(3 * k), EndSeconds: float64(3*k + 3), Labels: labels})
		}
	}
	return t
}

func TestStratifiedGroupSplit(t *testing.T) {
	tbl := splitTable()
	opts := SplitOptions{Train: 0.6, Validation: 0.2, Test: 0.2, Seed: 1}
	s, err := StratifiedGroupSplit(tbl, opts)
	if err != nil {
		t.Fatal(err)
	}
	part := map[string]string{}
	seen := map[int]bool{}
	for name, rows := range map[string][]int{"train": s.Train, "validation": s.Validation, "test": s.Test} {
		for _, i := range rows {
			if seen[i] {
				t.Fatalf("row %d in two parts", i)
			}
			seen[i] = true
			if p, ok := part[tbl.Rows[i].File]; ok && p != name {
				t.Fatalf("recording %s in %s and %s", tbl.Rows[i].File, p, name)
			}
			part[tbl.Rows[i].File] = name
		}
	}
	if len(seen) != len(tbl.Rows) {
		t.Fatalf("%d of %d rows assigned", len(seen), len(tbl.Rows))
	}
	// Per class, recordings: a 30 → 18/6/6, b 15 → 9/3/3, c 10 → 6/2/2, d 5 → 3/1/1 (rounded).
	wantRecordings := [][3]int{{18, 6, 6}, {9, 3, 3}, {6, 2, 2}, {3, 1, 1}}
	counts := [3][]int{tbl.ClassCounts(s.Train), tbl.ClassCounts(s.Validation), tbl.ClassCounts(s.Test)}
	for c := range tbl.Classes {
		for p := 0; p < 3; p++ {
			if got := counts[p][c] / 3; math.Abs(float64(got-wantRecordings[c][p])) > 1 {
				t.Errorf("class %s part %d: %d recordings, want %d ± 1", tbl.Classes[c], p, got, wantRecordings[c][p])
			}
		}
	}
	again, _ := StratifiedGroupSplit(tbl, opts)
	if !reflect.DeepEqual(again, s) {
		t.Error("same seed, different split")
	}
	opts.Seed = 2
	other, _ := StratifiedGroupSplit(tbl, opts)
	if reflect.DeepEqual(other, s) {
		t.Error("seeds 1 and 2 gave the same split")
	}
	if _, err := StratifiedGroupSplit(tbl, SplitOptions{Train: 0.5, Validation: 0.2, Test: 0.2}); err == nil {
		t.Error("fractions summing to 0.9 accepted")
	}
}

func TestSamplePerClass(t *testing.T) {
	tbl := splitTable()
	rows, err := SamplePerClass(tbl, nil, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := tbl.ClassCounts(rows); !reflect.DeepEqual(got, []int{10, 10, 10, 10}) {
		t.Errorf("class counts %v, want 10 each", got)
	}
	again, _ := SamplePerClass(tbl, nil, 10, 3)
	if !reflect.DeepEqual(again, rows) {
		t.Error("same seed, different sample")
	}
	_, err = SamplePerClass(tbl, nil, 16, 3)
	if err == nil || !strings.Contains(err.Error(), `class "d" has 15 rows, fewer than the 16`) {
		t.Errorf("too few rows: %v", err)
	}
}

// TestStratifiedGroupSplitMultiLabel: 40 recordings of 2 clips, each clip with one
// or two of three classes; groups stay whole and every class reaches every part.
func TestStratifiedGroupSplitMultiLabel(t *testing.T) {
	tbl := &LabelTable{Classes: []string{"x", "y", "z"}}
	for r := 0; r < 40; r++ {
		for k := 0; k < 2; k++ {
			labels := []int{r % 2, (r / 2) % 2, 0}
			if r%5 == 0 {
				labels[2] = 1
			}
			if labels[0]+labels[1]+labels[2] == 0 {
				labels[2] = 1
			}
			tbl.Rows = append(tbl.Rows, Row{File: string(rune('A'+r%26)) + string(rune('a'+r/26)), StartSeconds: float64(k), EndSeconds: float64(k + 1), Labels: labels})
		}
	}
	s, err := StratifiedGroupSplit(tbl, SplitOptions{Train: 0.5, Validation: 0.25, Test: 0.25, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]int{}
	for p, rows := range [][]int{s.Train, s.Validation, s.Test} {
		counts := tbl.ClassCounts(rows)
		for c, n := range counts {
			if n == 0 {
				t.Errorf("part %d has no %s", p, tbl.Classes[c])
			}
		}
		for _, i := range rows {
			if q, ok := where[tbl.Rows[i].File]; ok && q != p {
				t.Fatalf("recording %s in parts %d and %d", tbl.Rows[i].File, q, p)
			}
			where[tbl.Rows[i].File] = p
		}
	}
	if n := len(s.Train); n < 36 || n > 44 {
		t.Errorf("train holds %d of 80 rows, want about 40", n)
	}
}

// TestClipSpansAgreeWithSplitting: the label rows ClipSpans makes from a
// recording's duration are the clips lib/audio cuts from the file itself, for
// short files too (a 1.96 s file gives one padded 3 s clip, a 0.8 s file none).
func TestClipSpansAgreeWithSplitting(t *testing.T) {
	dir := t.TempDir()
	const rate = 22050
	for _, seconds := range []float64{0.8, 0.999, 1.96, 3, 3.5, 4, 7.2, 10} {
		frames := int(math.Round(seconds * rate))
		path := filepath.Join(dir, fmt.Sprintf("%g.wav", seconds))
		if err := audio.WriteWAV(path, [][]float32{make([]float32, frames)}, rate, audio.WAV16); err != nil {
			t.Fatal(err)
		}
		for k, o := range []ClipOptions{{ClipSeconds: 3}, {ClipSeconds: 3, OverlapSeconds: 1}, {ClipSeconds: 3, Final: audio.FinalDrop}, {ClipSeconds: 3, MinFinalSeconds: 2}} {
			spans, err := ClipSpans(float64(frames)/rate, o)
			if err != nil {
				t.Fatal(err)
			}
			var cut []Span
			if err := audio.SplitFile(path, o, func(c audio.Clip) error {
				cut = append(cut, Span{StartSeconds: c.StartSeconds, EndSeconds: c.EndSeconds})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(spans) != len(cut) {
				t.Fatalf("%g s, %+v: ClipSpans %v, SplitFile %v", seconds, o, spans, cut)
			}
			for i := range spans {
				if math.Abs(spans[i].StartSeconds-cut[i].StartSeconds) > 1e-6 || math.Abs(spans[i].EndSeconds-cut[i].EndSeconds) > 1e-6 {
					t.Errorf("%g s, %+v: clip %d: ClipSpans %v, SplitFile %v", seconds, o, i, spans[i], cut[i])
				}
			}
			if seconds == 1.96 && k == 0 && (len(spans) != 1 || spans[0].EndSeconds != 3) {
				t.Errorf("1.96 s by default: %v, want one padded clip 0–3 s", spans)
			}
		}
	}
}
