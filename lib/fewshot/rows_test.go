package fewshot

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
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
		e, err := EmbedRows(fakeModel{}, dir, lt, []int{0, 1, 2, 3}, embed.Options{CacheDir: cache})
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
	sub, err := EmbedRows(fakeModel{}, dir, lt, []int{3}, embed.Options{})
	if err != nil || len(sub.Vectors) != 1 || sub.Vectors[0][0] != -0.125 {
		t.Errorf("one row: %v, %v", sub, err)
	}
	off, _ := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\na.wav,0.5,1.5,1\n"), "off")
	if _, err := EmbedRows(fakeModel{}, dir, off, nil, embed.Options{}); err == nil || !strings.Contains(err.Error(), "row 0 (a.wav, 0.5–1.5 s)") {
		t.Errorf("a row off the clip grid: error %v", err)
	}
}

// TestHandcrafted describes 1 s tones of known frequency: the F0 feature must
// be the tone's frequency; a re-run with one cache entry damaged recomputes it
// and reads the other back, with the same vectors; other options miss the
// cache; a bad row or a missing file is an error naming it.
func TestHandcrafted(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	const rate = 22050
	freqs := []float64{1500, 3000}
	csv := "file,start_time,end_time,low,high\n"
	for i, f := range freqs {
		samples := make([]float32, rate)
		for n := range samples {
			samples[n] = float32(0.5 * math.Sin(2*math.Pi*f*float64(n)/rate))
		}
		name := []string{"low.wav", "high.wav"}[i]
		if err := audio.WriteWAV(filepath.Join(dir, name), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		csv += name + ",0,1," + map[bool]string{true: "1,0", false: "0,1"}[i == 0] + "\n"
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(csv), "tones")
	if err != nil {
		t.Fatal(err)
	}
	o := features.Options{BandLowHz: 1000, BandHighHz: 10000}
	names, vectors, err := Handcrafted(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	f0 := -1
	for j, n := range names {
		if n == "f0_mean_hz" {
			f0 = j
		}
	}
	if f0 < 0 {
		t.Fatalf("no f0_mean_hz among %v", names)
	}
	for i, f := range freqs {
		if got := float64(vectors[i][f0]); math.Abs(got-f)/f > 0.02 {
			t.Errorf("tone of %g Hz: f0_mean_hz %g", f, got)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json"))
	if len(entries) != 2 {
		t.Fatalf("%d cache entries, want 2", len(entries))
	}
	// Damage one entry: it is recomputed, the other is read back.
	if err := os.WriteFile(entries[0], []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, again, err := Handcrafted(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	for i := range vectors {
		for j := range vectors[i] {
			if again[i][j] != vectors[i][j] {
				t.Fatalf("row %d feature %s: %g then %g", i, names[j], vectors[i][j], again[i][j])
			}
		}
	}
	// Other options miss the cache: 2 more entries.
	if _, _, err := Handcrafted(dir, lt, nil, features.Options{}, cache); err != nil {
		t.Fatal(err)
	}
	if entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json")); len(entries) != 4 {
		t.Errorf("%d cache entries after other options, want 4", len(entries))
	}
	if _, _, err := Handcrafted(dir, lt, []int{5}, o, cache); err == nil || !strings.Contains(err.Error(), "row 5 outside") {
		t.Errorf("bad row: error %v", err)
	}
	os.Remove(filepath.Join(dir, "low.wav"))
	if _, _, err := Handcrafted(dir, lt, nil, o, cache); err == nil || !strings.Contains(err.Error(), "low.wav") {
		t.Errorf("missing file: error %v", err)
	}
}

// TestHandcraftedCacheIntegrity: a cache entry with one changed digit, or a
// valid entry copied under another clip's name, is recomputed, never served;
// so is a truncated one.
func TestHandcraftedCacheIntegrity(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	const rate = 22050
	csv := "file,start_time,end_time,a,b\n"
	for i, f := range []float64{1957.94, 3500} {
		samples := make([]float32, rate)
		for n := range samples {
			samples[n] = float32(0.5 * math.Sin(2*math.Pi*f*float64(n)/rate))
		}
		name := fmt.Sprintf("t%d.wav", i)
		if err := audio.WriteWAV(filepath.Join(dir, name), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		csv += name + ",0,1," + []string{"1,0", "0,1"}[i] + "\n"
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(csv), "tones")
	if err != nil {
		t.Fatal(err)
	}
	o := features.Options{BandLowHz: 1000, BandHighHz: 10000}
	_, want, err := Handcrafted(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json"))
	if len(entries) != 2 {
		t.Fatalf("%d cache entries, want 2", len(entries))
	}
	first, _ := os.ReadFile(entries[0])
	second, _ := os.ReadFile(entries[1])
	// One digit: the first number of the vector, its first digit changed.
	at := bytes.Index(first, []byte(`"vector":[`)) + len(`"vector":[`)
	for first[at] == '-' || first[at] == '0' || first[at] == '.' {
		at++
	}
	oneDigit := bytes.Clone(first)
	oneDigit[at] = '9' // 1957.94 becomes 9957.94
	if first[at] == '9' {
		oneDigit[at] = '8'
	}
	for _, tc := range []struct {
		name           string
		entry, content []byte
		path           string
	}{
		{"one changed digit", first, oneDigit, entries[0]},
		{"another entry's content", first, second, entries[0]},
		{"truncated", first, first[:len(first)/2], entries[0]},
	} {
		if err := os.WriteFile(tc.path, tc.content, 0o644); err != nil {
			t.Fatal(err)
		}
		_, got, err := Handcrafted(dir, lt, nil, o, cache)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Fatalf("%s: row %d value %d served as %g, want %g", tc.name, i, j, got[i][j], want[i][j])
				}
			}
		}
		if again, _ := os.ReadFile(tc.path); !bytes.Equal(again, tc.entry) {
			t.Errorf("%s: the entry was not rewritten", tc.name)
		}
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
	_, err = EmbedRows(fakeModel{}, dir, lt, nil, embed.Options{})
	if err == nil || !strings.Contains(err.Error(), "junk.wav") || strings.Contains(err.Error(), "matches no clip") {
		t.Errorf("error %v, want one naming junk.wav as unreadable", err)
	}
}
