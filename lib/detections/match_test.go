package detections

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// TestMatch: hand-counted cases of one-to-one event matching.
func TestMatch(t *testing.T) {
	ann := func(file string, s, e float64, label string) Detection {
		return Detection{File: file, StartSeconds: s, EndSeconds: e, Label: label}
	}
	det := func(file string, s, e float64, label string, conf float32) Detection {
		return Detection{File: file, StartSeconds: s, EndSeconds: e, Label: label, Confidence: conf}
	}
	tests := []struct {
		name        string
		dets, truth []Detection
		o           MatchOptions
		want        map[string]metrics.Counts
	}{
		{"one hit, one false alarm, one miss",
			[]Detection{det("a", 0, 3, "x", 0.9), det("a", 10, 13, "x", 0.8)},
			[]Detection{ann("a", 1, 2, "x"), ann("a", 20, 21, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {TruePositives: 1, FalsePositives: 1, FalseNegatives: 1}}},
		{"a merged detection over two calls counts once",
			[]Detection{det("a", 0, 9, "x", 0.9)},
			[]Detection{ann("a", 1, 2, "x"), ann("a", 5, 6, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {TruePositives: 1, FalseNegatives: 1}}},
		{"two detections of one call: the more confident matches",
			[]Detection{det("a", 0, 3, "x", 0.6), det("a", 1.5, 4.5, "x", 0.7)},
			[]Detection{ann("a", 2, 3, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {TruePositives: 1, FalsePositives: 1}}},
		{"another class or another file does not match; touching is no overlap",
			[]Detection{det("a", 0, 3, "y", 0.9), det("b", 0, 3, "x", 0.9), det("a", 3, 6, "x", 0.9)},
			[]Detection{ann("a", 0, 3, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {FalsePositives: 2, FalseNegatives: 1}, "y": {FalsePositives: 1}}},
		{"minimum overlap",
			[]Detection{det("a", 0, 3, "x", 0.9), det("a", 10, 13, "x", 0.9)},
			[]Detection{ann("a", 2.5, 5, "x"), ann("a", 11, 12, "x")}, MatchOptions{MinOverlapSeconds: 1},
			map[string]metrics.Counts{"x": {TruePositives: 1, FalsePositives: 1, FalseNegatives: 1}}},
		{"greedy by confidence takes the largest overlap",
			[]Detection{det("a", 0, 4, "x", 0.9), det("a", 3, 7, "x", 0.5)},
			[]Detection{ann("a", 1, 3.5, "x"), ann("a", 3.5, 6, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {TruePositives: 2}}},
		{"nothing detected", nil, []Detection{ann("a", 0, 1, "x")}, MatchOptions{},
			map[string]metrics.Counts{"x": {FalseNegatives: 1}}},
	}
	for _, tc := range tests {
		got := Match(tc.dets, tc.truth, tc.o)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d classes %+v, want %d", tc.name, len(got), got, len(tc.want))
			continue
		}
		for _, g := range got {
			if w, ok := tc.want[g.Label]; !ok || g.Counts != w {
				t.Errorf("%s: class %s: %+v, want %+v", tc.name, g.Label, g.Counts, w)
			}
		}
	}
}

// TestReadRavenRoundTrip: WriteRaven's tables, one recording's and combined,
// read back to the same detections.
func TestReadRavenRoundTrip(t *testing.T) {
	dets := []Detection{
		{File: "site/a.wav", StartSeconds: 0, EndSeconds: 3, Label: "wren", Confidence: 0.9},
		{File: "site/a.wav", StartSeconds: 4.5, EndSeconds: 9, Label: "robin", Confidence: 0.625},
		{File: "site/b.wav", StartSeconds: 1.5, EndSeconds: 4.5, Label: "wren", Confidence: 0.5},
	}
	dir := t.TempDir()
	one := filepath.Join(dir, "a.selections.txt")
	if err := WriteRaven(one, dets[:2], RavenOptions{LowHz: 100, HighHz: 8000}); err != nil {
		t.Fatal(err)
	}
	combined := filepath.Join(dir, "all.selections.txt")
	if err := WriteRaven(combined, dets, RavenOptions{Files: []string{"site/a.wav", "site/b.wav"}, Durations: map[string]float64{"site/a.wav": 60, "site/b.wav": 30}}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]Detection{one: dets[:2], combined: dets} {
		got, err := ReadRaven(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d detections, want %d", path, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: row %d: %+v, want %+v", path, i, got[i], want[i])
			}
		}
	}
}

func TestParseRavenErrors(t *testing.T) {
	head := "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tBegin Path\tFile Offset (s)\tAnnotation\tConfidence\n"
	tests := []struct{ table, want string }{
		{"", "empty file"},
		{"Begin Time (s)\tEnd Time (s)\tAnnotation\n", `no "Begin Path" column`},
		{head + "1\tSpectrogram 1\t1\t0\t3\ta.wav\t0\twren\n", `line 2: 8 fields, no "Confidence"`},
		{head + "1\tSpectrogram 1\t1\t0\t3\ta.wav\t0\twren\tNaN\n", `line 2: "Confidence": "NaN" is not a finite number`},
		{head + "1\tSpectrogram 1\t1\t5\t3\ta.wav\t0\twren\t0.5\n", "line 2: begin 5 s, end 3 s"},
		{head + "1\tSpectrogram 1\t1\t0\t3\t\t0\twren\t0.5\n", "line 2: empty Begin Path"},
	}
	for _, tc := range tests {
		_, err := ParseRaven(strings.NewReader(tc.table), "t.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "t.txt") {
			t.Errorf("table %q: error %v, want one naming t.txt and %q", tc.table, err, tc.want)
		}
	}
	// Waveform rows are skipped.
	got, err := ParseRaven(strings.NewReader(head+"1\tWaveform 1\t1\t0\t3\ta.wav\t0\twren\t0.5\n1\tSpectrogram 1\t1\t0\t3\ta.wav\t0\twren\t0.5\n"), "t.txt")
	if err != nil || len(got) != 1 {
		t.Errorf("views: %v, %v", got, err)
	}
}

// FuzzParseRaven: any input gives detections or an error, never a panic, and
// every detection is finite, ordered and labelled.
func FuzzParseRaven(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.txt")
	if err := WriteRaven(path, []Detection{{File: "a.wav", EndSeconds: 3, Label: "x", Confidence: 0.5}}, RavenOptions{}); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Add([]byte("Begin Time (s)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dets, err := ParseRaven(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for _, d := range dets {
			if !(d.StartSeconds >= 0 && d.EndSeconds >= d.StartSeconds) || d.File == "" || d.Label == "" {
				t.Fatalf("bad detection %+v", d)
			}
		}
	})
}
