package detections

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// scores: windows of 3 s with 1 s overlap (hop 2 s) in a.wav, one in b.wav.
func testScores() *Scores {
	return &Scores{
		Classes: []string{"owl", "wren"},
		Keys: []embed.Key{
			{File: "a.wav", StartSeconds: 0, EndSeconds: 3}, {File: "a.wav", StartSeconds: 2, EndSeconds: 5}, {File: "a.wav", StartSeconds: 4, EndSeconds: 7}, {File: "a.wav", StartSeconds: 8, EndSeconds: 11}, {File: "a.wav", StartSeconds: 10, EndSeconds: 13},
			{File: "b.wav", StartSeconds: 0, EndSeconds: 3},
		},
		Values: [][]float32{{0.9, 0.1}, {0.6, 0.2}, {0.2, 0.7}, {0.55, 0.1}, {0.8, 0.4}, {0.3, 0.95}},
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
		want []Detection
	}{
		{"no merge", Options{MinConfidence: 0.5}, []Detection{
			{"a.wav", 0, 3, "owl", 0.9}, {"a.wav", 2, 5, "owl", 0.6}, {"a.wav", 4, 7, "wren", 0.7},
			{"a.wav", 8, 11, "owl", 0.55}, {"a.wav", 10, 13, "owl", 0.8}, {"b.wav", 0, 3, "wren", 0.95}}},
		// Overlapping owl windows merge (0–5, 8–13); 5 to 8 is a gap of 3 s.
		{"merge", Options{MinConfidence: 0.5, Merge: true}, []Detection{
			{"a.wav", 0, 5, "owl", 0.9}, {"a.wav", 4, 7, "wren", 0.7}, {"a.wav", 8, 13, "owl", 0.8}, {"b.wav", 0, 3, "wren", 0.95}}},
		{"merge over a 3 s gap", Options{MinConfidence: 0.5, Merge: true, MergeGapSeconds: 3}, []Detection{
			{"a.wav", 0, 13, "owl", 0.9}, {"a.wav", 4, 7, "wren", 0.7}, {"b.wav", 0, 3, "wren", 0.95}}},
		{"high threshold", Options{MinConfidence: 0.85, Merge: true}, []Detection{
			{"a.wav", 0, 3, "owl", 0.9}, {"b.wav", 0, 3, "wren", 0.95}}},
	} {
		if got, err := Detect(testScores(), c.o); err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v (%v)\nwant %v", c.name, got, err, c.want)
		}
	}
}

func TestTablesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	dets, err := Detect(testScores(), Options{MinConfidence: 0.5, Merge: true})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "d.csv")
	if err := WriteCSV(p, dets); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(p)
	if err != nil || !reflect.DeepEqual(back, dets) {
		t.Errorf("CSV: %v %v", back, err)
	}
	p = filepath.Join(dir, "d.parquet")
	if err := WriteParquet(p, dets); err != nil {
		t.Fatal(err)
	}
	back, err = ReadParquet(p)
	if err != nil || !reflect.DeepEqual(back, dets) {
		t.Errorf("Parquet: %v %v", back, err)
	}
	// A combined Raven table: b.wav starts after a.wav's 20 s.
	p = filepath.Join(dir, "d.selections.txt")
	if err := WriteRaven(p, dets, RavenOptions{LowHz: 500, HighHz: 11025, Files: []string{"a.wav", "b.wav"}, Durations: map[string]float64{"a.wav": 20, "b.wav": 5}}); err != nil {
		t.Fatal(err)
	}
	sel, err := dataset.ReadRaven(p, "Annotation")
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != len(dets) || sel[3].BeginSeconds != 20 || sel[3].EndSeconds != 23 || sel[3].Annotation != "wren" || sel[0].LowHz != 500 || sel[0].HighHz != 11025 {
		t.Errorf("Raven read back: %+v", sel)
	}
	if err := WriteRaven(p, dets, RavenOptions{Files: []string{"a.wav"}, Durations: map[string]float64{"a.wav": 20}}); err == nil {
		t.Error("a combined table missing b.wav was written")
	}
	p = filepath.Join(dir, "a.labels.txt")
	if err := WriteAudacity(p, dets[:1]); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "0.000000\t5.000000\towl 0.900\n" {
		t.Errorf("Audacity: %q", data)
	}
	p = filepath.Join(dir, "scores.csv")
	if err := testScores().WriteCSV(p); err != nil {
		t.Fatal(err)
	}
	s, err := ReadScoresCSV(p)
	if err != nil || !reflect.DeepEqual(s, testScores()) {
		t.Errorf("scores: %+v %v", s, err)
	}
}

func TestParseScoresErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "line 1"},
		{"file,start,end,owl\n", "header"},
		{"file,start_time,end_time,owl\na.wav,0,3,x\n", "line 2: class \"owl\""},
		{"file,start_time,end_time,owl\na.wav,3,3,0.5\n", "line 2: end_time"},
		{"file,start_time,end_time,owl\na.wav,0,3,NaN\n", "not finite"},
		{"file,start_time,end_time,owl\n,0,3,0.5\n", "empty file name"},
	} {
		_, err := ParseScoresCSV(strings.NewReader(c.in), "s.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "s.csv") {
			t.Errorf("%q: error %v, want one naming s.csv and %q", c.in, err, c.want)
		}
	}
}

func FuzzParseScoresCSV(f *testing.F) {
	f.Add("file,start_time,end_time,owl\na.wav,0,3,0.5\n")
	f.Add("file,start_time,end_time,a,b\nx,1,2,0,1\ny,1e9,2e9,1,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScoresCSV(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		for i, k := range s.Keys {
			if !(k.EndSeconds > k.StartSeconds) || k.StartSeconds < 0 || len(s.Values[i]) != len(s.Classes) {
				t.Fatalf("accepted row %d: %+v %v", i, k, s.Values[i])
			}
		}
		if _, err := Detect(s, Options{MinConfidence: 0.5, Merge: true, MaxEventSeconds: 3, SplitDrop: 0.1}); err != nil {
			t.Fatal(err)
		}
	})
}
