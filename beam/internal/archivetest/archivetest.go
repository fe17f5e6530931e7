// Package archivetest writes a small archive of recordings for the tests of
// beam/shards and beam/pipeline: files at the model's rate and at others
// (resampled), mono and stereo, integer and float WAV, one shorter than any
// kept clip, one with a leftover tail, and two that cannot be embedded (junk
// bytes, and a WAV cut short of what its header promises).
package archivetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// TB is the part of testing.TB that Write and WriteLong use, so that a
// benchmark program can call them too.
type TB interface {
	Helper()
	Fatal(args ...any)
}

// Recording describes one file of the archive.
type Recording struct {
	Name            string
	DurationSeconds float64
	RateHz          int
	Channels        int
	Format          audio.WAVFormat
}

// Good are the readable recordings, in input order.
var Good = []Recording{
	{"site1/a.wav", 20, 22050, 1, audio.WAV16},        // 6 clips and a 2 s tail, padded
	{"site1/b.wav", 13.5, 44100, 2, audio.WAVFloat32}, // resampled, stereo
	{"site2/tiny.wav", 0.8, 16000, 1, audio.WAV16},    // no clip: dropped whole
	{"site2/c.wav", 31, 22050, 1, audio.WAV24},        // 10 clips and a 1 s tail
	{"site2/d.wav", 9.2, 16000, 1, audio.WAV16},       // resampled up
}

// Write writes the archive under dir and returns the paths of its files, in
// input order (Good, then the two bad ones interleaved), and the bad ones.
func Write(t TB, dir string, seed uint64) (paths, bad []string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 17))
	for i, r := range Good {
		paths = append(paths, writeRecording(t, dir, rng, r))
		if i == 1 {
			junk := filepath.Join(dir, "site1", "junk.wav")
			data := []byte("RIFF\x24\x00\x00\x00WAVEnot a format chunk at all")
			if err := os.WriteFile(junk, data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths, bad = append(paths, junk), append(bad, junk)
		}
	}
	// A WAV whose header promises 30 s but whose data stops after 10 s.
	cut := filepath.Join(dir, "site2", "cut.wav")
	full := filepath.Join(dir, "full.tmp.wav")
	if err := audio.WriteWAV(full, Signal(rng, Recording{"", 30, 22050, 1, audio.WAV16}), 22050, audio.WAV16); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(full)
	if err := os.WriteFile(cut, data[:44+10*22050*2], 0o644); err != nil {
		t.Fatal(err)
	}
	paths, bad = append(paths, cut), append(bad, cut)
	return paths, bad
}

// writeRecording writes r's Signal under dir, at r.Name, and returns its path.
func writeRecording(t TB, dir string, rng *rand.Rand, r Recording) string {
	t.Helper()
	p := filepath.Join(dir, r.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteWAV(p, Signal(rng, r), r.RateHz, r.Format); err != nil {
		t.Fatal(err)
	}
	return p
}

// Signal is a seeded recording: noise, with chirps of varying pitch and level,
// so that every clip's embedding differs.
func Signal(rng *rand.Rand, r Recording) [][]float32 {
	n := int(math.Round(r.DurationSeconds * float64(r.RateHz)))
	chans := make([][]float32, r.Channels)
	for c := range chans {
		chans[c] = make([]float32, n)
	}
	f0 := 1500 + 3000*rng.Float64()
	phase := 0.0
	for i := 0; i < n; i++ {
		t := float64(i) / float64(r.RateHz)
		f := f0 * (1 + 0.5*math.Sin(2*math.Pi*0.3*t))
		phase += 2 * math.Pi * f / float64(r.RateHz)
		env := 0.5 + 0.5*math.Sin(2*math.Pi*0.7*t+f0)
		for c := range chans {
			chans[c][i] = float32(0.4*env*math.Sin(phase+float64(c)) + 0.05*rng.NormFloat64())
		}
	}
	return chans
}

// Same fails t unless got has want's keys and vectors, bit for bit.
func Same(t testing.TB, got, want *embed.Embeddings) {
	t.Helper()
	if got.Len() != want.Len() || got.Len() == 0 {
		t.Fatalf("%d rows, EmbedFiles gave %d", got.Len(), want.Len())
	}
	for i := range want.Keys {
		if got.Keys[i] != want.Keys[i] {
			t.Fatalf("row %d: key %+v, EmbedFiles %+v", i, got.Keys[i], want.Keys[i])
		}
		if len(got.Vectors[i]) != len(want.Vectors[i]) {
			t.Fatalf("row %d: %d values, EmbedFiles %d", i, len(got.Vectors[i]), len(want.Vectors[i]))
		}
		for j := range want.Vectors[i] {
			if math.Float32bits(got.Vectors[i][j]) != math.Float32bits(want.Vectors[i][j]) {
				t.Fatalf("row %d (%+v) value %d: %v, EmbedFiles %v: not bit-identical", i, want.Keys[i], j, got.Vectors[i][j], want.Vectors[i][j])
			}
		}
	}
}

// WriteLong writes n recordings of minutes minutes each at the model's rate
// (22,050 Hz, 16-bit) under dir, for runs long enough to be killed midway.
func WriteLong(t TB, dir string, n int, minutes float64, seed uint64) []string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 29))
	var paths []string
	for i := range n {
		r := Recording{Name: fmt.Sprintf("long/rec%02d.wav", i), DurationSeconds: 60 * minutes, RateHz: 22050, Channels: 1, Format: audio.WAV16}
		paths = append(paths, writeRecording(t, dir, rng, r))
	}
	return paths
}

// AsPipeline returns EmbedFiles' result e as the pipeline reports the same
// files: a file EmbedFiles embedded only in part (its Warnings: cut short) is a
// failure of the pipeline, which leaves a file out whole when any of its
// shards fails, so its rows and dropped sound go and it joins the failures
// (sorted by path, as the pipeline's manifest lists them). e is not changed.
func AsPipeline(e *embed.Embeddings) *embed.Embeddings {
	out := *e
	cut := map[string]bool{}
	for _, w := range e.Warnings {
		cut[w.Path] = true
	}
	out.Keys, out.Vectors, out.Dropped, out.Warnings = nil, nil, nil, nil
	for i, k := range e.Keys {
		if !cut[k.File] {
			out.Keys, out.Vectors = append(out.Keys, k), append(out.Vectors, e.Vectors[i])
		}
	}
	for _, d := range e.Dropped {
		if !cut[d.File] {
			out.Dropped = append(out.Dropped, d)
		}
	}
	out.Failures = append(slices.Clone(e.Failures), e.Warnings...)
	slices.SortStableFunc(out.Failures, func(a, b audio.FileError) int { return strings.Compare(a.Path, b.Path) })
	return &out
}
