package main

import (
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/synth"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/embedshards"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// expectedSpans are the windows lib/audio's rule gives a file of seconds with
// birds-v1's 3 s clips.
func expectedSpans(t *testing.T, seconds, overlap float64) []audio.Span {
	t.Helper()
	spans, _, err := audio.SpansOfDuration(seconds, audio.SplitOptions{ClipSeconds: 3, OverlapSeconds: overlap})
	if err != nil {
		t.Fatal(err)
	}
	return spans
}

// TestEmbedThenSearch is the first try of the README: embed a folder, then
// search by example, with no flags; a corrupt file is logged, the others are
// embedded, and the exit status says some failed. Again: nothing is redone.
func TestEmbedThenSearch(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	paths, _, recordings := writeArchive(t, dir, "recordings", 6, 100, 14, false)
	writeCorrupt(t, filepath.Join(dir, "recordings", "siteB", "broken.wav"))
	query := writeRecording(t, filepath.Join(dir, "query.wav"), 999, 0, 6, false)

	r := dc(t, dir, "embed", "recordings/").want(t, exitSomeFailed, "embed with a corrupt file")
	if !strings.Contains(r.stdout, "embedded 6 files") || !strings.Contains(r.stdout, "1 failed") {
		t.Errorf("embed's summary: %s", r.stdout)
	}
	if !strings.Contains(r.stderr, "ETA") || !strings.Contains(r.stderr, "s of audio/s") {
		t.Errorf("no progress line with rate and ETA on stderr:\n%s", r.stderr)
	}
	log, err := os.ReadFile(filepath.Join(dir, defaultErrorLog))
	if err != nil {
		t.Fatalf("no error log: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(string(log)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "broken.wav") || !strings.Contains(lines[0], "\tembed\t") {
		t.Errorf("error log:\n%s", log)
	}

	// The database holds every readable file's windows, by lib/audio's rule.
	db, err := embeddb.Open(filepath.Join(dir, defaultDB), embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	models, err := db.Models()
	if err != nil || len(models) != 1 || models[0].Name != zoo.BirdsV1 || models[0].Dim != 128 {
		t.Fatalf("models %+v, %v", models, err)
	}
	recs, err := db.Recordings()
	if err != nil || len(recs) != len(paths) {
		t.Fatalf("%d recordings (%v), want %d", len(recs), err, len(paths))
	}
	want := expectedSpans(t, 14, 0)
	firstIDs := map[int64]bool{}
	for _, rec := range recs {
		if rec.ContentSHA256 == "" || rec.DurationSeconds != 14 {
			t.Errorf("%s: sha %q, duration %g", rec.File, rec.ContentSHA256, rec.DurationSeconds)
		}
		ws, err := db.Windows(rec.ID, models[0])
		if err != nil || len(ws) != len(want) {
			t.Fatalf("%s: %d windows (%v), want %d", rec.File, len(ws), err, len(want))
		}
		for i, w := range ws {
			if w.StartSeconds != want[i].StartSeconds || w.EndSeconds != want[i].EndSeconds {
				t.Errorf("%s window %d: %g–%g s, want %g–%g", rec.File, i, w.StartSeconds, w.EndSeconds, want[i].StartSeconds, want[i].EndSeconds)
			}
			firstIDs[w.ID] = true
		}
	}
	// The windows are the library's embeddings of the same clips (lib/embed).
	model := zoo.MustLoad(zoo.BirdsV1)
	ref, err := embed.EmbedFiles(model, []string{filepath.Join(dir, paths[0])}, embed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var first embeddb.Recording
	for _, rec := range recs {
		if rec.File == paths[0] {
			first = rec
		}
	}
	ws, _ := db.Windows(first.ID, models[0])
	if len(ws) != ref.Len() {
		t.Fatalf("%s: %d windows in the database, %d from embed.EmbedFiles", paths[0], len(ws), ref.Len())
	}
	for i := range ws {
		for j := range ws[i].Embedding {
			if d := ws[i].Embedding[j] - ref.Vectors[i][j]; d > 1e-4 || d < -1e-4 {
				t.Fatalf("window %d value %d: %g in the database, %g from embed.EmbedFiles", i, j, ws[i].Embedding[j], ref.Vectors[i][j])
			}
		}
	}
	db.Close()

	// Again: every good file is skipped, the corrupt one fails again.
	r = dc(t, dir, "embed", "recordings").want(t, exitSomeFailed, "second embed")
	if !strings.Contains(r.stdout, "embedded 0 files") || !strings.Contains(r.stdout, "6 already done") {
		t.Errorf("second embed's summary: %s", r.stdout)
	}

	// Search by example, no flags: 10 hits.
	r = dc(t, dir, "search", "query.wav").want(t, exitOK, "search")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 11 || !strings.HasPrefix(lines[0], "rank") {
		t.Fatalf("search table:\n%s", r.stdout)
	}
	// Search with a song of the query's species: the best hits hold songs of
	// that species, not of the other.
	ev := query.Events[0]
	r = dc(t, dir, "search", "-start", fmt.Sprint(ev.StartSeconds), "-end", fmt.Sprint(ev.EndSeconds), "-k", "5", "query.wav").want(t, exitOK, "search a song")
	eventsOf := map[string][]synth.Event{}
	for i, p := range paths {
		eventsOf[p] = recordings[i].Events
	}
	same, other := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Fields(line)
		start, _ := strconv.ParseFloat(f[3], 64)
		end, _ := strconv.ParseFloat(f[4], 64)
		events, ok := eventsOf[f[2]]
		if !ok {
			t.Fatalf("hit in unknown file %q", f[2])
		}
		for _, e := range events {
			if min(end, e.EndSeconds)-max(start, e.StartSeconds) > 0.25 {
				if e.Voice.Species == 0 {
					same++
				} else {
					other++
				}
				break
			}
		}
	}
	t.Logf("search with a song: of the top 5 hits, %d hold a song of its species, %d of the other\n%s", same, other, r.stdout)
	if same < 3 || other > 1 {
		t.Errorf("top 5 hits: %d with a song of the query's species, %d of the other", same, other)
	}

	// A span of the query and clips for listening.
	r = dc(t, dir, "search", "-start", "1", "-end", "4", "-k", "3", "-clips", "hits", "query.wav").want(t, exitOK, "search a span")
	clips, _ := filepath.Glob(filepath.Join(dir, "hits", "*.wav"))
	if len(clips) != 3 {
		t.Fatalf("%d clips written, want 3:\n%s", len(clips), r.stdout)
	}
	a, err := audio.Load(clips[0])
	if err != nil || a.DurationSeconds() != 3 {
		t.Errorf("clip %s: %v s, %v", clips[0], a.DurationSeconds(), err)
	}
}

// TestEmbedNPY writes the .npy + keys folder, which lib/embedshards reads
// back, and resumes.
func TestEmbedNPY(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	paths, _, _ := writeArchive(t, dir, "rec", 3, 300, 7, false)
	r := dc(t, dir, "embed", "-npy", "out", "-overlap", "1", "rec").want(t, exitOK, "embed -npy")
	d, err := embedshards.Open(filepath.Join(dir, "out"), embedshards.Manifest{Model: zoo.BirdsV1,
		Settings: archive.Settings(zoo.MustLoad(zoo.BirdsV1).Info(), embed.Options{OverlapSeconds: 1})})
	if err != nil {
		t.Fatal(err)
	}
	e, err := d.Read()
	if err != nil {
		t.Fatal(err)
	}
	want := expectedSpans(t, 7, 1)
	if e.Len() != 3*len(want) || e.Dim() != 128 {
		t.Fatalf("%d × %d embeddings, want %d × 128\n%s", e.Len(), e.Dim(), 3*len(want), r.stderr)
	}
	if e.Keys[0].File != paths[0] || e.Keys[1].StartSeconds != 2 {
		t.Errorf("keys %v", e.Keys[:2])
	}
	r = dc(t, dir, "embed", "-npy", "out", "-overlap", "1", "rec").want(t, exitOK, "embed -npy again")
	if !strings.Contains(r.stdout, "3 already done") {
		t.Errorf("second run: %s", r.stdout)
	}
	// Other settings into the same folder are refused.
	dc(t, dir, "embed", "-npy", "out", "rec").want(t, exitFailed, "embed -npy with other settings")
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	dc(t, dir).want(t, exitUsage, "no command")
	dc(t, dir, "nonsense").want(t, exitUsage, "unknown command")
	r := dc(t, dir, "help").want(t, exitOK, "help")
	for _, c := range commands {
		if !strings.Contains(r.stdout, c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
	for _, c := range commands {
		r := dc(t, dir, c.name, "-h").want(t, exitOK, c.name+" -h")
		if !strings.Contains(r.stderr, "usage: dawnchorus "+c.name) {
			t.Errorf("%s -h:\n%s", c.name, r.stderr)
		}
	}
	dc(t, dir, "embed").want(t, exitUsage, "embed without folders")
	dc(t, dir, "embed", "-overlap", "5", dir).want(t, exitUsage, "embed with overlap past the clip")
	dc(t, dir, "embed", "-overlap", "NaN", dir).want(t, exitUsage, "embed with a NaN overlap")
	dc(t, dir, "embed", "-bogus", dir).want(t, exitUsage, "unknown flag")
	dc(t, dir, "embed", filepath.Join(dir, "missing")).want(t, exitFailed, "embed a missing folder")
	dc(t, dir, "search", "q.wav").want(t, exitFailed, "search without a database")
	dc(t, dir, "train").want(t, exitUsage, "train without labels")
	dc(t, dir, "analyze", "-formats", "pdf", dir).want(t, exitUsage, "analyze with an unknown format")
	r = dc(t, dir, "models").want(t, exitOK, "models")
	if !strings.Contains(r.stdout, zoo.BirdsV1) || !strings.Contains(r.stdout, "22050 Hz") {
		t.Errorf("models:\n%s", r.stdout)
	}
}
