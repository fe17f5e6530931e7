package embed

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

const rateHz = 8000

// fakeModel embeds a 1 s clip as [mean, peak] of its samples: easy to compute
// by hand.
type fakeModel struct{}

func (fakeModel) Info() zoo.Info {
	return zoo.Info{Name: "fake", SampleRateHz: rateHz, ClipSeconds: 1, EmbeddingSize: 2, Layers: []string{"embedding"}, Digest: "fake-v1"}
}

func (fakeModel) Embed(clips [][]float32, sampleRateHz int, o zoo.EmbedOptions) ([][]float32, error) {
	if sampleRateHz != rateHz {
		return nil, fmt.Errorf("fake: clips at %d Hz, want %d", sampleRateHz, rateHz)
	}
	out := make([][]float32, len(clips))
	for i, c := range clips {
		var sum, peak float64
		for _, v := range c {
			sum += float64(v)
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		out[i] = []float32{float32(sum / float64(len(c))), float32(peak)}
	}
	return out, nil
}

// writeSteps writes a 2 s WAV whose first second holds the constant a and
// whose second second holds b.
func writeSteps(t *testing.T, path string, a, b float32) {
	t.Helper()
	samples := make([]float32, 2*rateHz)
	for i := range samples {
		samples[i] = a
		if i >= rateHz {
			samples[i] = b
		}
	}
	if err := audio.WriteWAV(path, [][]float32{samples}, rateHz, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
}

// writeSeconds writes a WAV of the constant 0.5, seconds long at rateHz.
func writeSeconds(t *testing.T, path string, seconds float64) {
	t.Helper()
	samples := make([]float32, int(math.Round(seconds*rateHz)))
	for i := range samples {
		samples[i] = 0.5
	}
	if err := audio.WriteWAV(path, [][]float32{samples}, rateHz, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
}

// TestEmbedRows embeds rows that are the 1 s clips of two files, in an order
// that is not the files' own, from another working directory than the data's,
// and checks each row's vector against the clip's known mean and peak, and
// the keys against the table.
func TestEmbedRows(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, filepath.Join(dir, "a.wav"), 0.25, 0.5)
	writeSteps(t, filepath.Join(dir, "b.wav"), -0.125, 0.75)
	lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x,y\nb.wav,1,2,0,1\na.wav,0,1,1,0\na.wav,1,2,0,1\nb.wav,0,1,1,0\n"), "rows")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{0.75, 0.75}, {0.25, 0.25}, {0.5, 0.5}, {-0.125, 0.125}}
	cache := t.TempDir()
	for run := range 2 { // The second run reads the cache.
		e, err := EmbedRows(fakeModel{}, dir, lt, []int{0, 1, 2, 3}, Options{CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range e.Vectors {
			if math.Abs(float64(v[0]-want[i][0])) > 1e-6 || math.Abs(float64(v[1]-want[i][1])) > 1e-6 {
				t.Errorf("run %d, row %d: %v, want %v", run, i, v, want[i])
			}
			if k := e.Keys[i]; k.File != lt.Rows[i].File || k.StartSeconds != lt.Rows[i].StartSeconds {
				t.Errorf("run %d, row %d: key %+v, want %s at %g s", run, i, k, lt.Rows[i].File, lt.Rows[i].StartSeconds)
			}
		}
	}
	sub, err := EmbedRows(fakeModel{}, dir, lt, []int{3}, Options{})
	if err != nil || len(sub.Vectors) != 1 || sub.Vectors[0][0] != -0.125 {
		t.Errorf("one row: %v, %v", sub, err)
	}
	off, _ := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\na.wav,0.5,1.5,1\n"), "off")
	if _, err := EmbedRows(fakeModel{}, dir, off, nil, Options{}); err == nil || !strings.Contains(err.Error(), "row 0 (a.wav, 0.5–1.5 s)") {
		t.Errorf("a row off the clip grid: error %v", err)
	}
}

// TestEmbedRowsUnreadableFile: a row whose file cannot be read is an error
// naming the file and why, not a row silently missing (embed.EmbedFiles goes
// on past bad files and lists them; EmbedRows needs every row's clip).
func TestEmbedRowsUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, filepath.Join(dir, "a.wav"), 0.5, 0.25)
	if err := os.WriteFile(filepath.Join(dir, "junk.wav"), []byte("not audio at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x,y\na.wav,0,1,1,0\njunk.wav,0,1,0,1\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	_, err = EmbedRows(fakeModel{}, dir, lt, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "junk.wav") || strings.Contains(err.Error(), "matches no clip") {
		t.Errorf("error %v, want one naming junk.wav as unreadable", err)
	}
}

// TestEmbedRowsPastTheEnd: a row ending past its file's end whose final part
// gave no clip says the file's length and the option that would embed it; a
// row that matches a padded final clip is embedded, and a note says how much
// of it is audio.
func TestEmbedRowsPastTheEnd(t *testing.T) {
	dir := t.TempDir()
	writeSeconds(t, filepath.Join(dir, "short.wav"), 0.75) // shorter than the model's 1 s clip, longer than a third
	writeSeconds(t, filepath.Join(dir, "tiny.wav"), 0.25)  // shorter than a third of a clip
	writeSeconds(t, filepath.Join(dir, "tail.wav"), 2.25)  // 2 whole clips and 0.25 s
	parse := func(csv string) *dataset.LabelTable {
		lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\n"+csv), "rows")
		if err != nil {
			t.Fatal(err)
		}
		return lt
	}
	drop := Options{Final: audio.FinalDrop}
	for _, c := range []struct {
		name, csv string
		o         Options
		want      []string
	}{
		{"file shorter than a third of a clip", "tiny.wav,0,1,1\n", Options{}, []string{"row 0 (tiny.wav, 0–1 s)", "tiny.wav is 0.25 s long", "final part of 0.25 s", "shortest final part embedded, 0.333 s", minFinalOption + " to at most 0.25"}},
		{"row on the file's short tail", "tail.wav,0,1,1\ntail.wav,2,3,1\n", Options{}, []string{"row 1 (tail.wav, 2–3 s)", "tail.wav is 2.25 s long", "final part of 0.25 s", minFinalOption}},
		{"row on the tail, longer minimum", "tail.wav,2,3,1\n", Options{MinFinalSeconds: 0.5}, []string{"row 0 (tail.wav, 2–3 s)", "shortest final part embedded, 0.5 s", minFinalOption}},
		{"file shorter than a clip, final part dropped", "short.wav,0,1,1\n", drop, []string{"row 0 (short.wav, 0–1 s)", "short.wav is 0.75 s long", "audio.FinalDrop", padOption}},
		{"row on the tail, final part dropped", "tail.wav,2,3,1\n", drop, []string{"row 0 (tail.wav, 2–3 s)", "2.25 s long", padOption}},
		{"row after the file's end", "tail.wav,3,4,1\n", Options{}, []string{"row 0 (tail.wav, 3–4 s)", "starts after the end", "2.25 s long"}},
		{"row inside, off the grid", "tail.wav,0.5,1.5,1\n", Options{}, []string{"row 0 (tail.wav, 0.5–1.5 s)", "2.25 s long", "clips start every 1 s"}},
		{"row past the end, off the grid", "tail.wav,1.5,2.5,1\n", Options{MinFinalSeconds: -1}, []string{"row 0 (tail.wav, 1.5–2.5 s)", "2.25 s long", "clips start every 1 s"}},
	} {
		_, err := EmbedRows(fakeModel{}, dir, parse(c.csv), nil, c.o)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, err, w)
			}
		}
	}
	for _, c := range []struct {
		name, csv string
		o         Options
		mean      float64 // of the row's clip: the file's 0.5 over its audio, 0 over the padding
		note      string
	}{
		{"file shorter than a clip, padded by default", "short.wav,0,1,1\n", Options{}, 0.375, "row 0 (short.wav, 0–1 s) ends 0.25 s past the end of short.wav (0.75 s long): its clip holds 0.75 s of audio, padded"},
		{"short tail, shorter minimum", "tail.wav,2,3,1\ntail.wav,0,1,1\n", Options{MinFinalSeconds: 0.2}, 0.125, "row 0 (tail.wav, 2–3 s) ends 0.75 s past the end of tail.wav (2.25 s long): its clip holds 0.25 s of audio, padded"},
		{"short tail, any length", "tail.wav,2,3,1\n", Options{MinFinalSeconds: -1}, 0.125, "its clip holds 0.25 s of audio"},
		{"padded file before another file", "short.wav,0,1,1\ntail.wav,1,2,1\n", Options{}, 0.375, "row 0 (short.wav, 0–1 s) ends 0.25 s past the end of short.wav"},
	} {
		var notes bytes.Buffer
		c.o.Progress = &notes
		e, err := EmbedRows(fakeModel{}, dir, parse(c.csv), nil, c.o)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := e.Vectors[0][0]; math.Abs(float64(got)-c.mean) > 1e-6 {
			t.Errorf("%s: padded clip's mean %g, want %g", c.name, got, c.mean)
		}
		if n := strings.Count(notes.String(), "past the end"); n != 1 || !strings.Contains(notes.String(), c.note) {
			t.Errorf("%s: notes %q: want one note saying %q", c.name, notes.String(), c.note)
		}
	}
}

// TestEmbedRowsSpellings: rows naming one file as x.wav, ./x.wav and by its
// absolute path embed the same clips, and the keys name the file canonically.
func TestEmbedRowsSpellings(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, filepath.Join(dir, "a.wav"), 0.25, 0.5)
	lt := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{
		{File: "./a.wav", StartSeconds: 0, EndSeconds: 1, Labels: []int{1}},
		{File: filepath.Join(dir, "a.wav"), StartSeconds: 1, EndSeconds: 2, Labels: []int{1}},
	}}
	e, err := EmbedRows(fakeModel{}, "some/other/dir", lt, nil, Options{})
	if err == nil {
		t.Fatalf("a relative name under the wrong folder embedded: %+v", e)
	}
	lt.Rows[0].File = "a.wav/../a.wav"
	e, err = EmbedRows(fakeModel{}, dir, lt, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []float32{e.Vectors[0][0], e.Vectors[1][0]}; !slices.Equal(got, []float32{0.25, 0.5}) {
		t.Errorf("means %v, want 0.25 and 0.5", got)
	}
	if e.Keys[0].File != "a.wav" || e.Keys[1].File != filepath.ToSlash(filepath.Join(dir, "a.wav")) {
		t.Errorf("keys %+v, want a.wav and the absolute path", e.Keys)
	}
}
