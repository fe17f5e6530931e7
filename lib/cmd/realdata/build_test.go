package main

import (
	"bytes"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/internal/filehash"
)

const fakeRate = 16000 // source files are resampled to DefaultOptions' 22050 Hz

// modulated is seeded noise whose loudness changes every 50 ms, so that two
// seeds give unrelated envelopes.
func modulated(seed uint64, seconds, level float64) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	n := int(seconds * fakeRate)
	out := make([]float32, n)
	gain := 0.0
	for i := range out {
		if i%(fakeRate/20) == 0 {
			gain = level * r.Float64()
		}
		out[i] = float32(gain * (2*r.Float64() - 1))
	}
	return out
}

func writeFake(t *testing.T, root, rel string, samples []float32) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteWAV(p, [][]float32{samples}, fakeRate, audio.WAV16); err != nil {
		t.Fatal(err)
	}
}

// fakeSet pins a fake package (restored when the test ends) and returns a set
// on it whose rule labels sounds/<class>/<name>.wav by <class>.
func fakeSet(t *testing.T) Set {
	saved, savedSets := Sources, Sets
	Sources = append(append([]Source(nil), Sources...), Source{Package: "fake-sounds", Version: "1.0-1",
		SHA256: strings.Repeat("0", 64), Licence: "CC0", What: "test sounds"})
	Sets = nil // no training set to check against, unless a test adds one
	t.Cleanup(func() { Sources, Sets = saved, savedSets })
	rule := func(pkg, rel string) (string, bool, error) {
		parts := strings.Split(rel, "/")
		if pkg != "fake-sounds" || len(parts) != 3 || parts[0] != "sounds" || path.Ext(rel) != ".wav" {
			return "", false, nil
		}
		return parts[1], true, nil
	}
	return Set{Name: "fake", Use: Evaluation, Packages: []string{"fake-sounds"}, Rule: rule, MinPerClass: 2,
		Summary: "Test.", Classes: "the folder"}
}

// fakeTree writes the package's files: every case the rules must handle.
func fakeTree(t *testing.T) string {
	root := t.TempDir()
	tone := modulated(1, 7, 0.5) // 7 s: 2 whole clips and a 1 s leftover → 3 clips
	writeFake(t, root, "sounds/a/tone1.wav", tone)
	writeFake(t, root, "sounds/a/tone1copy.wav", tone) // same bytes
	near := make([]float32, len(tone))
	jitter := modulated(99, 7, 0.002)
	for i := range near {
		near[i] = 0.6*tone[i] + jitter[i] // quieter, a little noise: a near copy
	}
	writeFake(t, root, "sounds/a/tone1near.wav", near)
	writeFake(t, root, "sounds/a/b2.wav", modulated(2, 1, 0.5))
	writeFake(t, root, "sounds/a/b3.wav", modulated(3, 1, 0.5))
	writeFake(t, root, "sounds/b/x.wav", modulated(4, 2, 0.5))
	writeFake(t, root, "sounds/b/y.wav", modulated(5, 2, 0.5))
	writeFake(t, root, "sounds/b/silent.wav", make([]float32, fakeRate))
	writeFake(t, root, "sounds/b/quiet.wav", modulated(6, 1, 1e-4))
	writeFake(t, root, "sounds/b/short.wav", modulated(7, 0.1, 0.5))
	writeFake(t, root, "sounds/c/only.wav", modulated(8, 1, 0.5)) // class c keeps 1 < MinPerClass 2
	dup := modulated(9, 1, 0.5)
	writeFake(t, root, "sounds/a/dup.wav", dup) // the same bytes in two classes
	writeFake(t, root, "sounds/b/dup.wav", dup)
	writeFake(t, root, "other/z.wav", modulated(10, 1, 0.5)) // not taken by the rule
	if err := os.WriteFile(filepath.Join(root, "sounds", "a", "broken.wav"), []byte("RIFF\x04\x00\x00\x00WAVEjunk"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestBuild builds a set from generated files and checks every rule's effect,
// the files written, and that a second build writes the same bytes.
func TestBuild(t *testing.T) {
	set := fakeSet(t)
	root := fakeTree(t)
	out := t.TempDir()
	res, err := Build(set, map[string]string{"fake-sounds": root}, out, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]*Recording{}
	for _, r := range res.Recordings {
		kept[path.Base(r.SourcePath)] = r
	}
	for _, name := range []string{"b2.wav", "b3.wav", "x.wav", "y.wav"} {
		if kept[name] == nil {
			t.Errorf("%s was not kept", name)
		}
	}
	if (kept["tone1.wav"] == nil) == (kept["tone1near.wav"] == nil) {
		t.Errorf("want exactly one of tone1.wav and its near copy kept; kept %v", keys(kept))
	}
	if len(kept) != 5 {
		t.Errorf("kept %v, want 5 recordings", keys(kept))
	}
	wantReasons := map[string]string{
		"sounds/a/tone1copy.wav": "exact copy of sounds/a/tone1.wav",
		"sounds/b/silent.wav":    "silent",
		"sounds/b/quiet.wav":     "near-silent",
		"sounds/b/short.wav":     "shorter than 0.25 s",
		"sounds/c/only.wav":      "class c keeps 1 recordings, fewer than 2",
		"sounds/a/dup.wav":       "the same bytes are also filed under another class (a, b)",
		"sounds/b/dup.wav":       "the same bytes are also filed under another class (a, b)",
		"sounds/a/broken.wav":    "does not decode",
	}
	got := map[string]string{}
	for _, d := range res.Dropped {
		got[d.SourcePath] = d.Reason
	}
	for p, want := range wantReasons {
		if !strings.HasPrefix(got[p], want) {
			t.Errorf("%s dropped for %q, want %q", p, got[p], want)
		}
	}
	nearDrops := 0
	for p, reason := range got {
		if strings.HasPrefix(reason, "near copy of sounds/a/tone1") && strings.HasPrefix(p, "sounds/a/tone1") {
			nearDrops++
		}
	}
	if nearDrops != 1 || len(got) != len(wantReasons)+1 {
		t.Errorf("dropped %v; want the reasons above and one near copy of tone1", got)
	}

	labels, err := dataset.ReadLabelCSV(filepath.Join(out, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(labels.Classes, ",") != "a,b" {
		t.Errorf("classes %v, want a,b", labels.Classes)
	}
	// a: the tone (3 clips) + b2 + b3; b: x + y (2 s each: one padded clip).
	if counts := labels.ClassCounts(nil); counts[0] != 5 || counts[1] != 2 {
		t.Errorf("clips per class %v, want [5 2]", counts)
	}
	for _, r := range labels.Rows {
		if r.EndSeconds-r.StartSeconds != 3 || math.Mod(r.StartSeconds, 3) != 0 {
			t.Errorf("row %+v is not a 3 s clip on the 3 s grid", r)
		}
		a, err := audio.Load(filepath.Join(out, r.File))
		if err != nil {
			t.Fatal(err)
		}
		if a.SampleRateHz != 22050 || len(a.Channels) != 1 || a.DurationSeconds() < r.EndSeconds || math.Mod(a.DurationSeconds(), 3) != 0 {
			t.Errorf("%s: %d Hz, %d channels, %g s; want mono 22050 Hz, whole 3 s clips reaching %g s",
				r.File, a.SampleRateHz, len(a.Channels), a.DurationSeconds(), r.EndSeconds)
		}
	}
	tone := kept["tone1.wav"]
	if tone == nil {
		tone = kept["tone1near.wav"]
	}
	if tone.Clips != 3 || tone.SourceRateHz != fakeRate || math.Abs(tone.SourceSeconds-7) > 1e-9 {
		t.Errorf("tone: %d clips, %d Hz, %g s; want 3, %d, 7", tone.Clips, tone.SourceRateHz, tone.SourceSeconds, fakeRate)
	}
	sheet, err := os.ReadFile(filepath.Join(out, "DATASHEET.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| a | 3 | 5 |", "| b | 2 | 2 |", "Use: evaluation only", "`fake-sounds` | `1.0-1`"} {
		if !bytes.Contains(sheet, []byte(want)) {
			t.Errorf("data sheet lacks %q", want)
		}
	}

	again := t.TempDir()
	if _, err := Build(set, map[string]string{"fake-sounds": root}, again, DefaultOptions); err != nil {
		t.Fatal(err)
	}
	sameTree(t, out, again)
}

// TestBuildCap: with MaxPerClass 1 each class keeps one recording and counts
// the rest as not taken.
func TestBuildCap(t *testing.T) {
	set := fakeSet(t)
	set.MaxPerClass, set.MinPerClass = 1, 1
	res, err := Build(set, map[string]string{"fake-sounds": fakeTree(t)}, t.TempDir(), DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, r := range res.Recordings {
		per[r.Class]++
	}
	if per["a"] != 1 || per["b"] != 1 || per["c"] != 1 {
		t.Errorf("recordings per class %v, want one each", per)
	}
	if res.NotTaken["a"] == 0 {
		t.Errorf("class a: nothing counted as not taken (%v)", res.NotTaken)
	}
}

// sameTree fails unless two folders hold the same files with the same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", rel)
		}
		files++
		return nil
	})
	if err != nil || files < 8 {
		t.Fatalf("walked %d files: %v", files, err)
	}
}

func keys(m map[string]*Recording) []string { return slices.Sorted(maps.Keys(m)) }

// TestUnpacked unpacks a .deb made here with dpkg-deb: the digest is checked,
// a second call reuses the folder, a wrong digest and a missing package fail
// with errors that say so.
func TestUnpacked(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("dpkg-deb not installed (Debian's dpkg): cannot make a test package")
	}
	tree := t.TempDir()
	writeFake(t, tree, "usr/share/fake/a.wav", modulated(1, 0.5, 0.5))
	if err := os.MkdirAll(filepath.Join(tree, "DEBIAN"), 0o755); err != nil {
		t.Fatal(err)
	}
	control := "Package: fake-sounds\nVersion: 1:1.0-1\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n"
	if err := os.WriteFile(filepath.Join(tree, "DEBIAN", "control"), []byte(control), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	src := Source{Package: "fake-sounds", Version: "1:1.0-1"}
	deb := filepath.Join(cache, src.DebFile())
	if out, err := exec.Command("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v\n%s", err, out)
	}
	sum, err := filehash.SHA256(deb)
	if err != nil {
		t.Fatal(err)
	}
	bad := src
	bad.SHA256 = strings.Repeat("f", 64)
	if _, err := Unpacked(bad, cache, false); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("wrong digest: error %v, want one naming the SHA-256", err)
	}
	src.SHA256 = sum
	dir, err := Unpacked(src, cache, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "usr", "share", "fake", "a.wav")); err != nil {
		t.Errorf("unpacked folder lacks the file: %v", err)
	}
	if err := os.Remove(deb); err != nil {
		t.Fatal(err)
	}
	if again, err := Unpacked(src, cache, false); err != nil || again != dir {
		t.Errorf("second call (no .deb, folder unpacked): %q, %v; want %q reused without fetching", again, err, dir)
	}
	missing := Source{Package: "other", Version: "1", SHA256: sum}
	if _, err := Unpacked(missing, cache, false); err == nil || !strings.Contains(err.Error(), "not fetched") {
		t.Errorf("missing package offline: error %v, want one saying it is not fetched", err)
	}
}

// TestBuildGroups builds a set whose files are takes of recordings
// (<recording>_<take>.wav): a recording's takes share one WAV file, each
// padded to whole clips and labelled at its own offset, and MinPerClass
// counts recordings, not files.
func TestBuildGroups(t *testing.T) {
	set := fakeSet(t)
	set.Group = func(pkg, rel string) string {
		return strings.Split(path.Base(rel), "_")[0]
	}
	root := t.TempDir()
	writeFake(t, root, "sounds/a/g1_0.wav", modulated(11, 4, 0.5)) // 2 clips
	writeFake(t, root, "sounds/a/g1_1.wav", modulated(12, 1, 0.5)) // 1 clip, from 6 s on
	writeFake(t, root, "sounds/a/g2_0.wav", modulated(13, 1, 0.5))
	writeFake(t, root, "sounds/a/g3_0.wav", modulated(16, 1, 0.5))
	writeFake(t, root, "sounds/a/g4_0.wav", modulated(17, 1, 0.5))
	writeFake(t, root, "sounds/c/k1_0.wav", modulated(14, 1, 0.5)) // two files, one recording:
	writeFake(t, root, "sounds/c/k1_1.wav", modulated(15, 1, 0.5)) // class c is too small
	out := t.TempDir()
	res, err := Build(set, map[string]string{"fake-sounds": root}, out, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := dataset.ReadLabelCSV(filepath.Join(out, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	starts := map[string][]float64{}
	for _, r := range labels.Rows {
		starts[path.Base(r.File)] = append(starts[path.Base(r.File)], r.StartSeconds)
	}
	var g1, g2 string
	for f := range starts {
		switch {
		case strings.HasPrefix(f, "g1-"):
			g1 = f
		case strings.HasPrefix(f, "g2-"):
			g2 = f
		}
	}
	if len(starts) != 4 || !slices.Equal(starts[g1], []float64{0, 3, 6}) || !slices.Equal(starts[g2], []float64{0}) {
		t.Fatalf("clips by file %v; want g1-… at 0, 3, 6 s and g2-… at 0 s", starts)
	}
	firstClip := map[string]int{}
	for _, r := range res.Recordings {
		firstClip[path.Base(r.SourcePath)] = r.FirstClip
		if r.Group == "" || r.File == "" {
			t.Errorf("%s: group %q, file %q", r.SourcePath, r.Group, r.File)
		}
	}
	if firstClip["g1_0.wav"] != 0 || firstClip["g1_1.wav"] != 2 || firstClip["g2_0.wav"] != 0 || len(firstClip) != 5 {
		t.Errorf("first clips %v, want g1_0 0, g1_1 2, and 0 for g2_0, g3_0, g4_0", firstClip)
	}
	// The clip at 6 s of g1's file is g1_1.wav, resampled as decode does (an
	// independent path: the source file loaded alone), to 16-bit precision.
	src, err := audio.Load(filepath.Join(root, "sounds", "a", "g1_1.wav"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := audio.Resample(src.Mono(), src.SampleRateHz, 22050)
	if err != nil {
		t.Fatal(err)
	}
	joined, err := audio.Load(filepath.Join(out, "audio", "a", g1))
	if err != nil {
		t.Fatal(err)
	}
	got := joined.Channels[0][6*22050:]
	for i, w := range want {
		if math.Abs(float64(got[i]-w)) > 1.0/32767+1e-6 {
			t.Fatalf("sample %d of the clip at 6 s: %g, want g1_1.wav's %g", i, got[i], w)
		}
	}
	reasons := map[string]string{}
	for _, d := range res.Dropped {
		reasons[d.SourcePath] = d.Reason
	}
	for _, p := range []string{"sounds/c/k1_0.wav", "sounds/c/k1_1.wav"} {
		if reasons[p] != "class c keeps 1 recordings, fewer than 2" {
			t.Errorf("%s dropped for %q, want class c too small (one recording of two files)", p, reasons[p])
		}
	}
	sheet, err := os.ReadFile(filepath.Join(out, "DATASHEET.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| a | 4 | 6 | 8.0 | 5 |", "4 recordings of 5 source files"} {
		if !bytes.Contains(sheet, []byte(want)) {
			t.Errorf("data sheet lacks %q", want)
		}
	}
	again := t.TempDir()
	if _, err := Build(set, map[string]string{"fake-sounds": root}, again, DefaultOptions); err != nil {
		t.Fatal(err)
	}
	sameTree(t, out, again)
}

// TestClipsOf cuts a recording of loud and silent 3 s stretches and checks
// which clips each set option keeps, by their first sample.
func TestClipsOf(t *testing.T) {
	o := DefaultOptions
	clip := int(o.ClipSeconds) * o.SampleRateHz
	// Clips 0, 2, 3 loud (filled with 0.1·(k+1)), clip 1 silent, then a 1 s loud leftover (clip 4).
	samples := make([]float32, 4*clip+o.SampleRateHz)
	for k, level := range []float32{0.1, 0, 0.3, 0.4, 0.5} {
		for i := k * clip; i < min(len(samples), (k+1)*clip); i++ {
			samples[i] = level
		}
	}
	cases := []struct {
		name       string
		skip       bool
		maxPerFile int
		want       []float32 // the first sample of each kept clip
	}{
		{"all", false, 0, []float32{0.1, 0, 0.3, 0.4, 0.5}},
		{"silent skipped", true, 0, []float32{0.1, 0.3, 0.4, 0.5}},
		{"silent skipped, at most 2", true, 2, []float32{0.1, 0.3}},
		{"at most 2", false, 2, []float32{0.1, 0}},
	}
	for _, c := range cases {
		got := clipsOf(samples, Set{SkipSilentClips: c.skip, MaxClipsPerFile: c.maxPerFile}, o)
		if len(got)%clip != 0 {
			t.Fatalf("%s: %d samples, not whole clips", c.name, len(got))
		}
		var firsts []float32
		for k := 0; k < len(got); k += clip {
			firsts = append(firsts, got[k])
		}
		if !slices.Equal(firsts, c.want) {
			t.Errorf("%s: clips starting %v, want %v", c.name, firsts, c.want)
		}
		if c.name == "all" && (got[4*clip+o.SampleRateHz] != 0 || got[len(got)-1] != 0) {
			t.Errorf("all: the leftover clip is not zero-padded")
		}
	}
}

// TestBuildExcerpts builds an evaluation set beside a training set: a file
// that is an excerpt of a training recording (quieter, polarity flipped) or
// holds one is dropped, naming the training file; two files of different
// groups of which one is an excerpt of the other end in one WAV file; the
// rest is kept as it was.
func TestBuildExcerpts(t *testing.T) {
	set := fakeSet(t)
	set.Group = func(pkg, rel string) string { return strings.TrimSuffix(path.Base(rel), ".wav") }
	Sources = append(Sources, Source{Package: "fake-training", Version: "1", SHA256: strings.Repeat("1", 64), Licence: "CC0", What: "training"})
	Sets = []Set{{Name: "fake-train", Use: Training, Packages: []string{"fake-training"}, MinPerClass: 1,
		Rule: func(pkg, rel string) (string, bool, error) { return "t", pkg == "fake-training", nil }}}
	scaled := func(x []float32, gain float32) []float32 {
		out := make([]float32, len(x))
		for i := range x {
			out[i] = gain * x[i]
		}
		return out
	}
	trainRoot, root := t.TempDir(), t.TempDir()
	horse := modulated(20, 3, 0.5)
	writeFake(t, trainRoot, "horse.wav", horse)
	short := modulated(21, 1, 0.5)
	writeFake(t, trainRoot, "short.wav", short)
	writeFake(t, root, "sounds/a/horse_excerpt.wav", scaled(horse[fakeRate/2:2*fakeRate], -0.4)) // 1.5 s of horse.wav
	writeFake(t, root, "sounds/a/holds_short.wav", append(modulated(22, 2, 0.3), short...))      // holds short.wav
	wolf := modulated(23, 4, 0.5)
	writeFake(t, root, "sounds/b/wolf_long.wav", wolf)
	writeFake(t, root, "sounds/b/wolf_part.wav", scaled(wolf[fakeRate:2*fakeRate], 0.7))
	for i, name := range []string{"sounds/a/k1.wav", "sounds/a/k2.wav", "sounds/b/k3.wav", "sounds/b/k4.wav"} {
		writeFake(t, root, name, modulated(uint64(30+i), 1, 0.5))
	}
	out := t.TempDir()
	res, err := Build(set, map[string]string{"fake-sounds": root, "fake-training": trainRoot}, out, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, d := range res.Dropped {
		reasons[d.SourcePath] = d.Reason
	}
	for file, training := range map[string]string{"sounds/a/horse_excerpt.wav": "horse.wav", "sounds/a/holds_short.wav": "short.wav"} {
		if !strings.HasPrefix(reasons[file], "matches training recording fake-training "+training) {
			t.Errorf("%s dropped for %q, want a match of training file %s", file, reasons[file], training)
		}
	}
	files := map[string]string{}
	for _, r := range res.Recordings {
		files[path.Base(r.SourcePath)] = r.File
	}
	if len(files) != 6 || files["wolf_long.wav"] == "" || files["wolf_long.wav"] != files["wolf_part.wav"] {
		t.Errorf("WAV files by source %v: want wolf_long.wav and wolf_part.wav in one, and k1–k4", files)
	}
	if len(res.Merged) != 1 || res.Merged[0].Of == "" {
		t.Errorf("merged %+v, want the wolf pair", res.Merged)
	}
	if files["k1.wav"] == files["k2.wav"] || len(reasons) != 2 {
		t.Errorf("unrelated files merged or dropped: files %v, dropped %v", files, reasons)
	}
}
