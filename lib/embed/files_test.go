package embed_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestEmbedFilesShortFiles: a file shorter than the model's 3 s clip gives a
// zero-padded clip when it is at least a third of a clip long (1.96 s: one
// clip 0–3 s), and no clip when shorter (0.8 s); a 3.5 s file's 0.5 s tail
// gives none either. Every file or tail that gave no clip is in Dropped and on
// the progress output, also when the embeddings come from the cache; the
// progress total (from the headers) is the number of clips embedded.
func TestEmbedFilesShortFiles(t *testing.T) {
	dir := t.TempDir()
	short, tiny, tail := filepath.Join(dir, "short.wav"), filepath.Join(dir, "tiny.wav"), filepath.Join(dir, "tail.wav")
	writeTone(t, short, 1.96, 22050, 1, 0.5, 1000)
	writeTone(t, tiny, 0.8, 44100, 1, 0.5, 1000)
	writeTone(t, tail, 3.5, 22050, 1, 0.5, 1000)
	paths := []string{short, tiny, tail}
	type span struct {
		file       string
		start, end float64
	}
	for _, tc := range []struct {
		name    string
		o       embed.Options
		clips   []span
		dropped []span
	}{
		{"default", embed.Options{}, []span{{short, 0, 3}, {tail, 0, 3}}, []span{{tiny, 0, 0.8}, {tail, 3, 3.5}}},
		{"drop", embed.Options{Final: audio.FinalDrop}, []span{{tail, 0, 3}}, []span{{short, 0, 1.96}, {tiny, 0, 0.8}, {tail, 3, 3.5}}},
		{"any leftover", embed.Options{MinFinalSeconds: -1}, []span{{short, 0, 3}, {tiny, 0, 3}, {tail, 0, 3}, {tail, 3, 6}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, cached := range []bool{false, true} {
				var progress bytes.Buffer
				o := tc.o
				o.Progress, o.CacheDir = &progress, filepath.Join(dir, "cache-"+tc.name)
				m := &fakeModel{}
				e, err := embed.EmbedFiles(m, paths, o)
				if err != nil {
					t.Fatal(err)
				}
				if cached && m.calls != 0 {
					t.Errorf("second run called the model %d times", m.calls)
				}
				if e.Len() != len(tc.clips) {
					t.Fatalf("cached %v: keys %v, want %v", cached, e.Keys, tc.clips)
				}
				for i, k := range e.Keys {
					if k.File != tc.clips[i].file || math.Abs(k.StartSeconds-tc.clips[i].start) > 1e-6 || math.Abs(k.EndSeconds-tc.clips[i].end) > 1e-6 {
						t.Errorf("cached %v: key %d = %+v, want %v", cached, i, k, tc.clips[i])
					}
				}
				if len(e.Dropped) != len(tc.dropped) {
					t.Fatalf("cached %v: Dropped %+v, want %v", cached, e.Dropped, tc.dropped)
				}
				for i, d := range e.Dropped {
					want := tc.dropped[i]
					if d.File != want.file || math.Abs(d.StartSeconds-want.start) > 1e-4 || math.Abs(d.EndSeconds-want.end) > 1e-4 {
						t.Errorf("cached %v: Dropped[%d] = %+v, want %v", cached, i, d, want)
					}
					if !strings.Contains(progress.String(), filepath.Base(d.File)) {
						t.Errorf("cached %v: progress %q does not name %s", cached, progress.String(), d.File)
					}
				}
				n := len(tc.clips)
				want := []string{"embed: " + itoa(n) + "/" + itoa(n) + " clips"}
				if len(tc.dropped) > 0 {
					want = append(want, itoa(len(tc.dropped))+" gave no clip")
				}
				for _, w := range want {
					if !strings.Contains(progress.String(), w) {
						t.Errorf("cached %v: progress %q lacks %q", cached, progress.String(), w)
					}
				}
				if len(e.Failures) != 0 {
					t.Errorf("Failures %v", e.Failures)
				}
			}
		})
	}
}

// TestEmbedFilesGoesOnPastBadFiles: unreadable files (junk, a missing file, a
// WAV cut short) do not stop the batch: every good file's rows come back, in
// order, each failure is listed with its file and reason and is on the progress
// output, and every good file is cached — those whose clips shared a batch with
// a bad file's included. Only when no file can be read is it an error.
func TestEmbedFilesGoesOnPastBadFiles(t *testing.T) {
	dir := t.TempDir()
	good1, good2, good3 := filepath.Join(dir, "good1.wav"), filepath.Join(dir, "good2.wav"), filepath.Join(dir, "good3.wav")
	writeTone(t, good1, 4, 22050, 1, 0.2, 1000) // 0–3 s, then 3–6 s padded
	writeTone(t, good2, 3, 22050, 1, 0.4, 1000)
	writeTone(t, good3, 6, 22050, 1, 0.6, 1000)
	junk, missing, cut := filepath.Join(dir, "junk.wav"), filepath.Join(dir, "missing.wav"), filepath.Join(dir, "cut.wav")
	os.WriteFile(junk, []byte("RIFF....WAVEjunk"), 0o644)
	writeTone(t, cut, 9, 22050, 1, 0.8, 1000)
	whole, _ := os.ReadFile(cut)
	os.WriteFile(cut, whole[:len(whole)/2], 0o644) // the header still announces 9 s
	paths := []string{good1, junk, good2, cut, missing, good3}
	cache := filepath.Join(dir, "cache")
	var progress bytes.Buffer
	m := &fakeModel{}
	e, err := embed.EmbedFiles(m, paths, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 32}, CacheDir: cache, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, k := range e.Keys {
		rows[k.File]++
	}
	if rows[good1] != 2 || rows[good2] != 1 || rows[good3] != 2 || rows[junk]+rows[missing] != 0 {
		t.Errorf("rows per file %v, want good1 2, good2 1, good3 2, none of junk and missing", rows)
	}
	failed := map[string]error{}
	for _, f := range e.Failures {
		failed[f.Path] = f.Err
		if !strings.Contains(f.Error(), filepath.Base(f.Path)) || !strings.Contains(progress.String(), filepath.Base(f.Path)) {
			t.Errorf("failure %s: %q, progress %q: want both to name the file", f.Path, f.Error(), progress.String())
		}
	}
	if failed[junk] == nil || !errors.Is(failed[missing], fs.ErrNotExist) {
		t.Errorf("Failures %v: want junk.wav and missing.wav (not exist)", e.Failures)
	}
	// A WAV cut short either fails (then it has no rows) or is read with what is
	// there — never both, never neither.
	if (failed[cut] == nil) == (rows[cut] == 0) {
		t.Errorf("cut.wav: %d rows, failure %v", rows[cut], failed[cut])
	}
	if !strings.Contains(progress.String(), itoa(len(e.Failures))+" failed") {
		t.Errorf("progress %q does not count the %d failures", progress.String(), len(e.Failures))
	}
	// Everything computed was cached: the good files again need no model.
	m2 := &fakeModel{}
	again, err := embed.EmbedFiles(m2, []string{good1, good2, good3}, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 32}, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m2.calls != 0 {
		t.Errorf("re-run of the good files called the model %d times: not all were cached", m2.calls)
	}
	sameBits(t, "cached", again, e.Where(func(k embed.Key) bool { return k.File != cut }))
	// Nothing readable: an error naming the files.
	if _, err := embed.EmbedFiles(&fakeModel{}, []string{junk, missing}, embed.Options{}); err == nil ||
		!strings.Contains(err.Error(), "junk.wav") || !strings.Contains(err.Error(), "missing.wav") {
		t.Errorf("no readable file: error %v, want one naming both", err)
	}
	// MustEmbedFiles, for notebooks, does not pass failures over in silence.
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmtAny(r), "junk.wav") {
				t.Errorf("MustEmbedFiles with a bad file: panic %v, want one naming junk.wav", r)
			}
		}()
		embed.MustEmbedFiles(&fakeModel{}, []string{good2, junk}, embed.Options{})
	}()
}

// TestCacheCarriesItsKey: a valid cache file copied under another file's key
// is not served for that file: it is recomputed, with a note.
func TestCacheCarriesItsKey(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.wav"), filepath.Join(dir, "b.wav")
	writeTone(t, a, 3, 22050, 1, 0.5, 1000)
	writeTone(t, b, 3, 22050, 1, 0.1, 1000)
	cache := filepath.Join(dir, "cache")
	var notes bytes.Buffer
	o := embed.Options{CacheDir: cache, Progress: &notes}
	ea, err := embed.EmbedFiles(&fakeModel{}, []string{a}, o)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := filepath.Glob(filepath.Join(cache, "*.emb"))
	eb, err := embed.EmbedFiles(&fakeModel{}, []string{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := filepath.Glob(filepath.Join(cache, "*.emb"))
	if len(before) != 1 || len(after) != 2 {
		t.Fatalf("cache files %v then %v", before, after)
	}
	entryB := after[0]
	if entryB == before[0] {
		entryB = after[1]
	}
	data, _ := os.ReadFile(before[0]) // a's entry, under b's key
	os.WriteFile(entryB, data, 0o644)
	notes.Reset()
	m := &fakeModel{}
	got, err := embed.EmbedFiles(m, []string{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.clips != 1 || !strings.Contains(notes.String(), "recomputing") {
		t.Errorf("a's entry under b's key: model ran on %d clips, notes %q; want b recomputed with a note", m.clips, notes.String())
	}
	sameBits(t, "b", got, eb)
	if got.Vectors[0][1] == ea.Vectors[0][1] {
		t.Errorf("b was served a's vectors")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtAny(v any) string { return fmt.Sprint(v) }
