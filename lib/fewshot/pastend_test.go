package fewshot

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
)

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
	drop := embed.Options{Final: audio.FinalDrop}
	for _, c := range []struct {
		name, csv string
		o         embed.Options
		want      []string
	}{
		{"file shorter than a third of a clip", "tiny.wav,0,1,1\n", embed.Options{}, []string{"row 0 (tiny.wav, 0–1 s)", "tiny.wav is 0.25 s long", "final part of 0.25 s", "shortest final part embedded, 0.333 s", minFinalOption + " to at most 0.25"}},
		{"row on the file's short tail", "tail.wav,0,1,1\ntail.wav,2,3,1\n", embed.Options{}, []string{"row 1 (tail.wav, 2–3 s)", "tail.wav is 2.25 s long", "final part of 0.25 s", minFinalOption}},
		{"row on the tail, longer minimum", "tail.wav,2,3,1\n", embed.Options{MinFinalSeconds: 0.5}, []string{"row 0 (tail.wav, 2–3 s)", "shortest final part embedded, 0.5 s", minFinalOption}},
		{"file shorter than a clip, final part dropped", "short.wav,0,1,1\n", drop, []string{"row 0 (short.wav, 0–1 s)", "short.wav is 0.75 s long", "audio.FinalDrop", padOption}},
		{"row on the tail, final part dropped", "tail.wav,2,3,1\n", drop, []string{"row 0 (tail.wav, 2–3 s)", "2.25 s long", padOption}},
		{"row after the file's end", "tail.wav,3,4,1\n", embed.Options{}, []string{"row 0 (tail.wav, 3–4 s)", "starts after the end", "2.25 s long"}},
		{"row inside, off the grid", "tail.wav,0.5,1.5,1\n", embed.Options{}, []string{"row 0 (tail.wav, 0.5–1.5 s)", "2.25 s long", "clips start every 1 s"}},
		{"row past the end, off the grid", "tail.wav,1.5,2.5,1\n", embed.Options{MinFinalSeconds: -1}, []string{"row 0 (tail.wav, 1.5–2.5 s)", "2.25 s long", "clips start every 1 s"}},
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
		o         embed.Options
		mean      float64 // of the row's clip: the file's 0.5 over its audio, 0 over the padding
		note      string
	}{
		{"file shorter than a clip, padded by default", "short.wav,0,1,1\n", embed.Options{}, 0.375, "row 0 (short.wav, 0–1 s) ends 0.25 s past the end of short.wav (0.75 s long): its clip holds 0.75 s of audio, padded"},
		{"short tail, shorter minimum", "tail.wav,2,3,1\ntail.wav,0,1,1\n", embed.Options{MinFinalSeconds: 0.2}, 0.125, "row 0 (tail.wav, 2–3 s) ends 0.75 s past the end of tail.wav (2.25 s long): its clip holds 0.25 s of audio, padded"},
		{"short tail, any length", "tail.wav,2,3,1\n", embed.Options{MinFinalSeconds: -1}, 0.125, "its clip holds 0.25 s of audio"},
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

// TestHandcraftedPastTheEnd: a row ending past its file's end is an error
// saying the file's length, not a description of the part that exists.
func TestHandcraftedPastTheEnd(t *testing.T) {
	dir := t.TempDir()
	const rate = 22050
	samples := make([]float32, rate*321/100) // 3.21 s
	for n := range samples {
		samples[n] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(n)/rate))
	}
	if err := audio.WriteWAV(filepath.Join(dir, "tone.wav"), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\ntone.wav,0,3,1\ntone.wav,3,6,1\n"), "rows")
	if err != nil {
		t.Fatal(err)
	}
	o := features.Options{BandLowHz: 1000, BandHighHz: 10000}
	_, _, err = Handcrafted(dir, lt, nil, o, "")
	if err == nil || !strings.Contains(err.Error(), "row 1") || !strings.Contains(err.Error(), "3.21 s long") || !strings.Contains(err.Error(), "0.21 s") {
		t.Errorf("row 3–6 s of a 3.21 s file: error %v, want row 1, the file's length and the 0.21 s it holds named", err)
	}
	if _, vectors, err := Handcrafted(dir, lt, []int{0}, o, ""); err != nil || len(vectors) != 1 {
		t.Errorf("row 0–3 s of a 3.21 s file: %v", err)
	}
}
