package embed_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// fakeModel embeds a clip as [mean, peak |x|, samples/1000, layer tag, pooling
// tag], values a test can work out by hand, and counts its calls.
type fakeModel struct {
	mu         sync.Mutex
	calls      int
	clips      int
	batchSizes []int
	digest     string
}

func (f *fakeModel) Info() zoo.Info {
	return zoo.Info{Name: "fake", SampleRateHz: 22050, ClipSeconds: 3, EmbeddingSize: 5,
		Layers: []string{"early", "late"}, Digest: f.digest}
}

func (f *fakeModel) Embed(clips [][]float32, sampleRateHz int, o zoo.EmbedOptions) ([][]float32, error) {
	if sampleRateHz != 22050 {
		return nil, fmt.Errorf("fake: clips at %d Hz, want 22050", sampleRateHz)
	}
	f.mu.Lock()
	f.calls++
	f.clips += len(clips)
	f.batchSizes = append(f.batchSizes, len(clips))
	f.mu.Unlock()
	layer := float32(1)
	if o.Layer == "early" {
		layer = 0
	}
	out := make([][]float32, len(clips))
	for i, c := range clips {
		if len(c) > 66150 {
			return nil, fmt.Errorf("fake: clip of %d samples", len(c))
		}
		var sum float64
		var peak float32
		for _, x := range c {
			sum += float64(x)
			peak = max(peak, float32(math.Abs(float64(x))))
		}
		out[i] = []float32{float32(sum / float64(max(len(c), 1))), peak, float32(len(c)) / 1000, layer, float32(o.Pooling)}
	}
	return out, nil
}

func constClip(file string, start, value float32, n int) audio.Clip {
	s := make([]float32, n)
	for i := range s {
		s[i] = value
	}
	return audio.Clip{File: file, StartSeconds: float64(start), EndSeconds: float64(start) + float64(n)/22050, SampleRateHz: 22050, Samples: s}
}

func TestEmbedBatchesAndKeys(t *testing.T) {
	m := &fakeModel{}
	var clips []audio.Clip
	for i := 0; i < 5; i++ {
		clips = append(clips, constClip("a.wav", float32(3*i), float32(i)/8, 66150))
	}
	var progress bytes.Buffer
	e, err := embed.Embed(m, clips, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 2, Layer: "early", Pooling: cnn.MaxPooling}, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if m.calls != 3 || fmt.Sprint(m.batchSizes) != "[2 2 1]" {
		t.Errorf("model calls %d with batches %v, want 3 with [2 2 1]", m.calls, m.batchSizes)
	}
	if e.Len() != 5 || e.Dim() != 5 || e.Model != "fake" || e.Layer != "early" || e.Pooling != cnn.MaxPooling {
		t.Fatalf("got %d×%d from %s %q %v", e.Len(), e.Dim(), e.Model, e.Layer, e.Pooling)
	}
	for i, v := range e.Vectors {
		want := []float32{float32(i) / 8, float32(i) / 8, 66.15, 0, 1}
		if fmt.Sprint(v) != fmt.Sprint(want) {
			t.Errorf("vector %d = %v, want %v", i, v, want)
		}
		if k := e.Keys[i]; k.File != "a.wav" || k.StartSeconds != float64(3*i) || k.EndSeconds != float64(3*i)+3 {
			t.Errorf("key %d = %+v", i, k)
		}
	}
	if !strings.Contains(progress.String(), "embed: 5/5 clips") {
		t.Errorf("progress %q lacks the final count", progress.String())
	}
	// Select, Where, Matrix, Float64s.
	sel := e.Select([]int{4, 1})
	if sel.Keys[0].StartSeconds != 12 || sel.Vectors[1][0] != 0.125 {
		t.Errorf("Select: %+v", sel)
	}
	late := e.Where(func(k embed.Key) bool { return k.StartSeconds >= 6 })
	if late.Len() != 3 {
		t.Errorf("Where kept %d, want 3", late.Len())
	}
	mx := e.Matrix()
	if r, c := mx.Dims(); r != 5 || c != 5 || mx.At(2, 0) != 0.25 {
		t.Errorf("Matrix %d×%d, At(2,0) = %v", r, c, mx.At(2, 0))
	}
	if e.Float64s()[3][1] != 0.375 {
		t.Errorf("Float64s()[3][1] = %v", e.Float64s()[3][1])
	}
}

func TestEmbedResamplesAndRejects(t *testing.T) {
	m := &fakeModel{}
	// A 1 s clip at 44100 Hz becomes 22050 samples.
	c := constClip("b.wav", 0, 0, 44100)
	c.SampleRateHz = 44100
	e, err := embed.Embed(m, []audio.Clip{c}, embed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Layer != "late" || e.Vectors[0][3] != 1 {
		t.Errorf("Layer %q (vector %v), want the model's default \"late\"", e.Layer, e.Vectors[0])
	}
	if got := e.Vectors[0][2]; got != 22.05 {
		t.Errorf("resampled clip has %v thousand samples, want 22.05", got)
	}
	for _, tc := range []struct {
		name  string
		clips []audio.Clip
		o     embed.Options
		want  string
	}{
		{"too long", []audio.Clip{constClip("long.wav", 7, 0, 66151)}, embed.Options{}, "long.wav 7–"},
		{"no layer", []audio.Clip{constClip("x.wav", 0, 0, 10)}, embed.Options{EmbedOptions: zoo.EmbedOptions{Layer: "fc9"}}, `no layer "fc9"`},
		{"bad pooling", []audio.Clip{constClip("x.wav", 0, 0, 10)}, embed.Options{EmbedOptions: zoo.EmbedOptions{Pooling: 7}}, "pooling"},
	} {
		if _, err := embed.Embed(m, tc.clips, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// writeTone writes a sine of amplitude amp at freqHz, seconds long.
func writeTone(t *testing.T, path string, seconds float64, rate, channels int, amp, freqHz float64) {
	t.Helper()
	n := int(seconds * float64(rate))
	ch := make([][]float32, channels)
	for c := range ch {
		ch[c] = make([]float32, n)
		for i := range ch[c] {
			ch[c][i] = float32(amp * math.Sin(2*math.Pi*freqHz*float64(i)/float64(rate)))
		}
	}
	if err := audio.WriteWAV(path, ch, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
}

func TestEmbedFilesStreams(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.wav")
	b := filepath.Join(dir, "b.wav")
	writeTone(t, a, 10, 22050, 1, 0.5, 1000)
	writeTone(t, b, 4, 44100, 2, 0.25, 1000) // stereo, 44.1 kHz: mixed and resampled
	for _, tc := range []struct {
		name   string
		o      embed.Options
		starts []float64 // of a.wav, then b.wav
		ends   []float64
	}{
		// 10 s in 3 s clips every 2 s: 0, 2, 4, 6 (whole); the 2 s left after 8 s is dropped.
		{"drop", embed.Options{OverlapSeconds: 1, Final: audio.FinalDrop}, []float64{0, 2, 4, 6, 0}, []float64{3, 5, 7, 9, 3}},
		// Padded: 8–11 s as well, and b's 2 s left after 2 s (2–5 s).
		{"pad", embed.Options{OverlapSeconds: 1, Final: audio.FinalPad}, []float64{0, 2, 4, 6, 8, 0, 2}, []float64{3, 5, 7, 9, 11, 3, 5}},
		// The default is padding (leftovers of 2 s ≥ a third of 3 s).
		{"default", embed.Options{OverlapSeconds: 1}, []float64{0, 2, 4, 6, 8, 0, 2}, []float64{3, 5, 7, 9, 11, 3, 5}},
		// No overlap, remainder kept short: 0, 3, 6, 9–10 s; b 0–3, 3–4 s.
		{"remainder", embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 3}, Final: audio.FinalRemainder}, []float64{0, 3, 6, 9, 0, 3}, []float64{3, 6, 9, 10, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeModel{}
			var progress bytes.Buffer
			tc.o.Progress = &progress
			e, err := embed.EmbedFiles(m, []string{a, b}, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if e.Len() != len(tc.starts) {
				t.Fatalf("%d clips %v, want %d", e.Len(), e.Keys, len(tc.starts))
			}
			nA := 0
			for i, k := range e.Keys {
				if k.File == a {
					nA++
				}
				if math.Abs(k.StartSeconds-tc.starts[i]) > 1e-9 || math.Abs(k.EndSeconds-tc.ends[i]) > 1e-9 {
					t.Errorf("key %d = %+v, want %g–%g s", i, k, tc.starts[i], tc.ends[i])
				}
				v := e.Vectors[i]
				wantLen := float32(math.Round((k.EndSeconds-k.StartSeconds)*22050)) / 1000
				if v[2] != wantLen {
					t.Errorf("clip %d: %v thousand samples, want %v (22050 Hz)", i, v[2], wantLen)
				}
				wantPeak := 0.5
				if k.File == b {
					wantPeak = 0.25 // the mean of two equal channels
				}
				if math.Abs(float64(v[1])-wantPeak) > 0.01 {
					t.Errorf("clip %d (%s): peak %v, want %v", i, k.File, v[1], wantPeak)
				}
			}
			for i, n := range m.batchSizes {
				if n > max(tc.o.BatchSize, 32) || n == 0 {
					t.Errorf("batch %d has %d clips", i, n)
				}
			}
			want := fmt.Sprintf("embed: %d/%d clips", len(tc.starts), len(tc.starts))
			if !strings.Contains(progress.String(), want) {
				t.Errorf("progress %q lacks %q", progress.String(), want)
			}
		})
	}
	// Errors and failures name the file.
	m := &fakeModel{}
	missing := filepath.Join(dir, "missing.wav")
	if e, err := embed.EmbedFiles(m, []string{a, missing}, embed.Options{}); err != nil || len(e.Failures) != 1 || !strings.Contains(e.Failures[0].Error(), "missing.wav") {
		t.Errorf("missing file: error %v, failures %v", err, e.Failures)
	}
	bad := filepath.Join(dir, "bad.wav")
	os.WriteFile(bad, []byte("RIFF....WAVEjunk"), 0o644)
	if _, err := embed.EmbedFiles(m, []string{bad}, embed.Options{}); err == nil || !strings.Contains(err.Error(), "bad.wav") {
		t.Errorf("corrupt file: error %v", err)
	}
	if _, err := embed.EmbedFiles(m, []string{a}, embed.Options{OverlapSeconds: 3}); err == nil || !strings.Contains(err.Error(), "overlap of 3 s") {
		t.Errorf("overlap 3 s: error %v", err)
	}
}

func sameBits(t *testing.T, name string, got, want *embed.Embeddings) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d embeddings, want %d", name, got.Len(), want.Len())
	}
	for i := range want.Vectors {
		if got.Keys[i] != want.Keys[i] {
			t.Fatalf("%s: key %d = %+v, want %+v", name, i, got.Keys[i], want.Keys[i])
		}
		for j := range want.Vectors[i] {
			if math.Float32bits(got.Vectors[i][j]) != math.Float32bits(want.Vectors[i][j]) {
				t.Fatalf("%s: vector %d value %d = %v, want %v", name, i, j, got.Vectors[i][j], want.Vectors[i][j])
			}
		}
	}
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	a := filepath.Join(dir, "a.wav")
	b := filepath.Join(dir, "b.wav")
	writeTone(t, a, 7, 22050, 1, 0.5, 1000)
	writeTone(t, b, 5, 22050, 1, 0.3, 2000)
	var notes bytes.Buffer
	base := embed.Options{CacheDir: cache, OverlapSeconds: 1, Progress: &notes}
	run := func(m *fakeModel, o embed.Options, paths ...string) *embed.Embeddings {
		t.Helper()
		e, err := embed.EmbedFiles(m, paths, o)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	m := &fakeModel{}
	first := run(m, base, a, b)
	if m.clips != first.Len() || m.clips == 0 {
		t.Fatalf("first run embedded %d clips for %d keys", m.clips, first.Len())
	}
	// Same inputs: nothing runs, same bits.
	m2 := &fakeModel{}
	sameBits(t, "cached", run(m2, base, a, b), first)
	if m2.calls != 0 {
		t.Errorf("cached re-run called the model %d times", m2.calls)
	}
	// A file added to the list: only it is embedded.
	c := filepath.Join(dir, "c.wav")
	writeTone(t, c, 3, 22050, 1, 0.1, 500)
	m3 := &fakeModel{}
	run(m3, base, a, c, b)
	if m3.clips != 1 {
		t.Errorf("adding a 3 s file embedded %d clips, want 1", m3.clips)
	}
	// Each changed setting misses.
	for _, tc := range []struct {
		name string
		o    func(embed.Options) embed.Options
		m    *fakeModel
	}{
		{"layer", func(o embed.Options) embed.Options { o.Layer = "early"; return o }, &fakeModel{}},
		{"pooling", func(o embed.Options) embed.Options { o.Pooling = cnn.MaxPooling; return o }, &fakeModel{}},
		{"overlap", func(o embed.Options) embed.Options { o.OverlapSeconds = 0.5; return o }, &fakeModel{}},
		{"final", func(o embed.Options) embed.Options { o.Final = audio.FinalDrop; return o }, &fakeModel{}},
		{"batch size", func(o embed.Options) embed.Options { o.BatchSize = 7; return o }, &fakeModel{}},
		{"training", func(o embed.Options) embed.Options { o.Training = true; return o }, &fakeModel{}},
		{"seed", func(o embed.Options) embed.Options { o.Training, o.Seed = true, 9; return o }, &fakeModel{}},
		{"weights", func(o embed.Options) embed.Options { return o }, &fakeModel{digest: "new weights"}},
	} {
		e := run(tc.m, tc.o(base), a, b)
		if tc.m.clips != e.Len() || e.Len() == 0 {
			t.Errorf("changed %s: embedded %d clips, want all %d (a cache miss)", tc.name, tc.m.clips, e.Len())
		}
	}
	// Changed audio bytes (same name, same length) miss, for that file only.
	writeTone(t, a, 7, 22050, 1, 0.5, 1001)
	m4 := &fakeModel{}
	changed := run(m4, base, a, b)
	if m4.clips != 3 { // a.wav: 7 s in 3 s clips every 2 s → 0, 2, 4
		t.Errorf("changed a.wav: embedded %d clips, want its 3", m4.clips)
	}
	sameBits(t, "b.wav unchanged", changed.Where(func(k embed.Key) bool { return k.File == b }), first.Where(func(k embed.Key) bool { return k.File == b }))

	// Damaged cache files are recomputed with a note, never a crash.
	entries, _ := filepath.Glob(filepath.Join(cache, "*.emb"))
	if len(entries) == 0 {
		t.Fatal("no cache files")
	}
	for i, path := range entries {
		data, _ := os.ReadFile(path)
		switch i % 3 {
		case 0:
			data[len(data)/2] ^= 0xff // flipped byte
		case 1:
			data = data[:len(data)/2] // truncated
		default:
			data = []byte("garbage")
		}
		os.WriteFile(path, data, 0o644)
	}
	notes.Reset()
	m5 := &fakeModel{}
	sameBits(t, "after damage", run(m5, base, a, b), changed)
	if m5.clips != changed.Len() || !strings.Contains(notes.String(), "damaged cache file") {
		t.Errorf("damaged cache: embedded %d clips, want %d; notes %q", m5.clips, changed.Len(), notes.String())
	}

	// Embed of in-memory clips is cached too, keyed by samples and keys.
	clips := []audio.Clip{constClip("x", 0, 0.5, 1000), constClip("x", 3, 0.25, 1000)}
	m6 := &fakeModel{}
	e1, err := embed.Embed(m6, clips, base)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := embed.Embed(m6, clips, base)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "Embed cached", e2, e1)
	clips[1].Samples[999] = 0.3
	if _, err := embed.Embed(m6, clips, base); err != nil {
		t.Fatal(err)
	}
	clips[1].StartSeconds = 4
	if _, err := embed.Embed(m6, clips, base); err != nil {
		t.Fatal(err)
	}
	if m6.calls != 3 {
		t.Errorf("Embed: %d model calls, want 3 (first, changed sample, changed key)", m6.calls)
	}
}

// With a real network (the ONNX test model of lib/zoo), EmbedFiles gives the
// same bits on every run, and a cached run gives the bits of the computed one.
func TestDeterministicONNX(t *testing.T) {
	if testing.Short() {
		t.Skip("GoMLX under -race is slow; lib/zoo's short tests cover the engine's determinism")
	}
	m, err := zoo.FromONNX("../zoo/testdata/tinycnn.onnx", zoo.Info{Layers: []string{"block2", "embedding"}}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "a.wav")
	writeTone(t, a, 9, 22050, 1, 0.5, 3000)
	o := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 4, Layer: "block2", Pooling: cnn.MaxPooling}, OverlapSeconds: 1.5}
	first, err := embed.EmbedFiles(m, []string{a}, o)
	if err != nil {
		t.Fatal(err)
	}
	again, err := embed.EmbedFiles(m, []string{a}, o)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "second run", again, first)
	o.CacheDir = filepath.Join(dir, "cache")
	computed, err := embed.EmbedFiles(m, []string{a}, o)
	if err != nil {
		t.Fatal(err)
	}
	calls := m.NumGraphCalls()
	cached, err := embed.EmbedFiles(m, []string{a}, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumGraphCalls() != calls {
		t.Errorf("cached run ran the graph %d times", m.NumGraphCalls()-calls)
	}
	sameBits(t, "computed", computed, first)
	sameBits(t, "cached", cached, first)
	if first.Len() != 5 || first.Dim() != 16 {
		t.Errorf("got %d×%d, want 5 clips (0, 1.5, 3, 4.5, 6 s) × 16 channels", first.Len(), first.Dim())
	}
}

// TestEmbedFilesSharesBatches: the clips of many short files go through the model
// in full batches across files (not a padded batch a file), each file keeps its own
// keys and values, and each file is cached on its own.
func TestEmbedFilesSharesBatches(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 7 {
		path := filepath.Join(dir, fmt.Sprintf("f%d.wav", i))
		writeTone(t, path, 3, 22050, 1, 0.1*float64(i+1), 1000) // one 3 s clip each, peak 0.1·(i+1)
		paths = append(paths, path)
	}
	cache := filepath.Join(dir, "cache")
	m := &fakeModel{}
	e, err := embed.EmbedFiles(m, paths, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 3}, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m.batchSizes) != "[3 3 1]" {
		t.Errorf("batches %v, want [3 3 1]: 7 one-clip files in batches of 3", m.batchSizes)
	}
	for i, k := range e.Keys {
		if k.File != paths[i] || math.Abs(float64(e.Vectors[i][1])-0.1*float64(i+1)) > 0.01 {
			t.Errorf("row %d: %s with peak %v, want %s with %.1f", i, k.File, e.Vectors[i][1], paths[i], 0.1*float64(i+1))
		}
	}
	// A re-run with one file changed embeds that file alone.
	writeTone(t, paths[4], 3, 22050, 1, 0.9, 1000)
	m2 := &fakeModel{}
	e2, err := embed.EmbedFiles(m2, paths, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 3}, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m2.clips != 1 || math.Abs(float64(e2.Vectors[4][1])-0.9) > 0.01 || e2.Vectors[3][1] != e.Vectors[3][1] {
		t.Errorf("re-run embedded %d clips (want 1), file 4 peak %v (want 0.9)", m2.clips, e2.Vectors[4][1])
	}
}

// TestEmbedFilesCutFile: a recording cut short (a 10 s WAV file whose last
// 2.5 s are missing) gives the clips before the cut, a warning in the result and
// on the progress output, and no cache entry, so that a second run warns again;
// the whole file beside it is embedded and cached as usual.
func TestEmbedFilesCutFile(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.wav")
	cut := filepath.Join(dir, "cut.wav")
	writeTone(t, whole, 4, 22050, 1, 0.5, 1000)
	writeTone(t, cut, 10, 22050, 1, 0.5, 1000)
	data, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cut, data[:len(data)*3/4], 0o644) // 7.5 s of the 10 s remain
	cache := filepath.Join(dir, "cache")
	for run := 0; run < 2; run++ {
		var progress bytes.Buffer
		m := &fakeModel{}
		e, err := embed.EmbedFiles(m, []string{cut, whole}, embed.Options{CacheDir: cache, Progress: &progress})
		if err != nil {
			t.Fatal(err)
		}
		// cut.wav: 0–3, 3–6 and 6–9 s (the 1.5 s before the cut, padded: the
		// final-clip rule applies at the cut); whole.wav: 0–3 and 3–6 s (padded).
		if e.Len() != 5 || e.Keys[2] != (embed.Key{File: cut, StartSeconds: 6, EndSeconds: 9}) || e.Keys[3].File != whole {
			t.Fatalf("run %d: keys %v", run, e.Keys)
		}
		if len(e.Warnings) != 1 || e.Warnings[0].Path != cut || !errors.Is(e.Warnings[0], audio.ErrTruncated) {
			t.Fatalf("run %d: warnings %v, want one ErrTruncated for %s", run, e.Warnings, cut)
		}
		if !strings.Contains(progress.String(), "embed: warning: "+cut+": ") || !strings.Contains(progress.String(), "embedded the 3 clips before the cut") {
			t.Errorf("run %d: progress %q does not name the cut file", run, progress.String())
		}
		if want := []int{5, 3}[run]; m.clips != want { // the second run reads whole.wav from the cache
			t.Errorf("run %d: the model embedded %d clips, want %d", run, m.clips, want)
		}
	}
}
