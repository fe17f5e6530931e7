package archive

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// fakeModel embeds a clip as [mean, mean |x|, 1 + first sample]: cheap and
// exact, so windows can be compared with lib/embed's.
type fakeModel struct {
	calls    int
	failAt   int                // Embed fails on this call (0: never)
	cancelAt int                // Embed calls cancel on this call (0: never)
	cancel   context.CancelFunc // what cancelAt calls
	mu       sync.Mutex
}

func (m *fakeModel) Info() zoo.Info {
	return zoo.Info{Name: "fake", SampleRateHz: 8000, ClipSeconds: 1, EmbeddingSize: 3, Layers: []string{"embedding"}, Digest: "d"}
}

func (m *fakeModel) Embed(clips [][]float32, rate int, o zoo.EmbedOptions) ([][]float32, error) {
	m.mu.Lock()
	m.calls++
	calls := m.calls
	m.mu.Unlock()
	if m.failAt > 0 && calls >= m.failAt {
		return nil, errors.New("model broke")
	}
	if m.cancelAt > 0 && calls == m.cancelAt {
		m.cancel()
	}
	out := make([][]float32, len(clips))
	for i, c := range clips {
		var sum, abs float64
		for _, x := range c {
			sum += float64(x)
			abs += max(float64(x), -float64(x))
		}
		out[i] = []float32{float32(sum / 8000), float32(abs / 8000), 1 + c[0]}
	}
	return out, nil
}

// memSink keeps files in memory.
type memSink struct {
	done  map[string]bool
	files map[string]File
	fail  string // Put fails for this path
}

func (s *memSink) Done(file string) (bool, error) { return s.done[file], nil }
func (s *memSink) Put(f File) error {
	if f.Path == s.fail {
		return errors.New("sink refused it")
	}
	s.files[f.Path] = f
	s.done[f.Path] = true
	return nil
}

// writeTones writes n WAV files at 16 kHz (resampled to the model's 8 kHz),
// file i lasting 2.5+i s, and returns their paths.
func writeTones(t *testing.T, dir string, n int) []string {
	t.Helper()
	var paths []string
	for i := range n {
		samples := make([]float32, int((2.5+float64(i))*16000))
		for j := range samples {
			samples[j] = float32((j*(i+3))%97) / 200
		}
		p := filepath.Join(dir, fmt.Sprintf("sub%d", i%2), fmt.Sprintf("t%d.wav", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := audio.WriteWAV(p, [][]float32{samples}, 16000, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestEmbedMatchesEmbedFiles(t *testing.T) {
	dir := t.TempDir()
	paths := writeTones(t, dir, 5)
	broken := filepath.Join(dir, "sub0", "broken.wav")
	os.WriteFile(broken, []byte("RIFF....WAVEnonsense"), 0o644)
	files, err := Find([]string{dir})
	if err != nil || len(files) != 6 {
		t.Fatalf("Find: %v %v", files, err)
	}
	for _, workers := range []int{1, 3} {
		sink := &memSink{done: map[string]bool{paths[1]: true}, files: map[string]File{}, fail: paths[4]}
		var logged []string
		rep, err := Embed(context.Background(), &fakeModel{}, files, sink, Options{Embed: embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 3}, OverlapSeconds: 0.5},
			Workers: workers, Hash: true, FileError: func(f string, err error) { logged = append(logged, f) }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Embedded != 3 || rep.Skipped != 1 || len(rep.Failed) != 2 || len(logged) != 2 {
			t.Errorf("workers %d: report %+v, logged %v", workers, rep, logged)
		}
		for _, p := range []string{paths[0], paths[2], paths[3]} {
			ref, err := embed.EmbedFiles(&fakeModel{}, []string{p}, embed.Options{OverlapSeconds: 0.5})
			if err != nil {
				t.Fatal(err)
			}
			got := sink.files[p]
			if len(got.Windows) != ref.Len() {
				t.Fatalf("%s: %d windows, lib/embed gives %d", p, len(got.Windows), ref.Len())
			}
			for i, w := range got.Windows {
				if w.StartSeconds != ref.Keys[i].StartSeconds || w.EndSeconds != ref.Keys[i].EndSeconds || !reflect.DeepEqual(w.Embedding, ref.Vectors[i]) {
					t.Errorf("%s window %d: %+v, lib/embed: %v %v", p, i, w, ref.Keys[i], ref.Vectors[i])
				}
			}
			sum, _ := FileSHA256(p)
			if got.SHA256 != sum || got.DurationSeconds != HeaderDuration(p) || got.DurationSeconds < 2.5 {
				t.Errorf("%s: sha %q duration %g", p, got.SHA256, got.DurationSeconds)
			}
		}
	}
}

func TestEmbedModelFailureKeepsDoneFiles(t *testing.T) {
	dir := t.TempDir()
	paths := writeTones(t, dir, 4)
	sink := &memSink{done: map[string]bool{}, files: map[string]File{}}
	// One file per batch with batch 3 and 1-worker order: t0 has 3 windows.
	rep, err := Embed(context.Background(), &fakeModel{failAt: 3}, paths, sink, Options{Embed: embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 3}}, Workers: 1})
	if err == nil {
		t.Fatal("no error from a failing model")
	}
	if rep.Embedded == 0 || len(sink.files) != rep.Embedded {
		t.Errorf("report %+v, %d files stored", rep, len(sink.files))
	}
	for _, f := range sink.files {
		if len(f.Windows) == 0 || f.Windows[len(f.Windows)-1].Embedding == nil {
			t.Errorf("%s stored incomplete", f.Path)
		}
	}
}

// TestStoppedRunResumesInOrder: files are stored in order, and wait in
// memory behind a longer one still being embedded; when the run stops (the
// model fails, or the context is cancelled) before that one completes, the
// complete files behind it are not stored (the error says how many), so that
// the resumed run, which adds the long file and then them, gives the database
// an uninterrupted run gives: the same recordings, window ids, keys and
// vectors. A 300 s file first, decoded only after the 11 files of 2 s behind
// it; batches of 8 one-second windows, the run stopping at model call 20: the
// short files' 20 windows are all in calls 1–3, the long file's 300 never
// complete. One file behind it (f05) is not audio: it waits there too, and is
// reported as failed, not counted among the files not stored.
func TestStoppedRunResumesInOrder(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	const corrupt = 5
	for i := range 12 {
		seconds := 2
		if i == 0 {
			seconds = 300
		}
		p := filepath.Join(dir, fmt.Sprintf("f%02d.wav", i))
		samples := make([]float32, seconds*8000)
		for j := range samples {
			samples[j] = float32((j*(i+3))%97) / 200
		}
		var err error
		if i == corrupt {
			err = os.WriteFile(p, []byte("not a WAV file"), 0o644)
		} else {
			err = audio.WriteWAV(p, [][]float32{samples}, 8000, audio.WAVFloat32)
		}
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	defer func() { beforeDecode = nil }()
	o := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 8}}
	run := func(path string, model *fakeModel, ctx context.Context, delayHead bool) (Report, error) {
		t.Helper()
		beforeDecode = nil
		if delayHead {
			var mu sync.Mutex
			others := 0
			othersStarted := make(chan struct{})
			beforeDecode = func(index int) {
				if index == 0 {
					<-othersStarted
					time.Sleep(100 * time.Millisecond) // their decoding is microseconds
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if others++; others == len(paths)-1 {
					close(othersStarted)
				}
			}
		}
		db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		m, err := db.AddModel("fake", Settings(model.Info(), o), 3)
		if err != nil {
			t.Fatal(err)
		}
		return Embed(ctx, model, paths, DBSink{DB: db, Model: m}, Options{Embed: o, Workers: 4})
	}
	wholePath := filepath.Join(t.TempDir(), "whole.db")
	if _, err := run(wholePath, &fakeModel{}, context.Background(), false); err != nil {
		t.Fatal(err)
	}
	whole := dbContents(t, wholePath)
	if len(whole.Recordings) != len(paths)-1 || whole.Recordings[0] != "1 "+paths[0] {
		t.Fatalf("the uninterrupted run stored %v", whole.Recordings)
	}
	for _, stop := range []string{"model fails", "cancelled"} {
		path := filepath.Join(t.TempDir(), "resumed.db")
		ctx, cancel := context.WithCancel(context.Background())
		model := &fakeModel{failAt: 20}
		if stop == "cancelled" {
			model = &fakeModel{cancelAt: 20, cancel: cancel}
		}
		rep, err := run(path, model, ctx, true)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "10 embedded files after the unfinished "+paths[0]+" were not stored") {
			t.Fatalf("%s: error %v", stop, err)
		}
		if stop == "cancelled" && !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v does not wrap context.Canceled", stop, err)
		}
		if rep.Embedded != 0 || len(rep.Failed) != 1 || rep.Failed[0].Path != paths[corrupt] {
			t.Errorf("%s: report %+v, want nothing stored and %s failed", stop, rep, paths[corrupt])
		}
		if rep, err := run(path, &fakeModel{}, context.Background(), true); err != nil || rep.Embedded != len(paths)-1 {
			t.Fatalf("%s: resumed run: %+v, %v", stop, rep, err)
		}
		if got := dbContents(t, path); !reflect.DeepEqual(got, whole) {
			t.Errorf("%s: the resumed database differs from the uninterrupted one:\n%v\n%v", stop, got.Recordings, whole.Recordings)
		}
	}
}

// contents is what TestStoppedRunResumesInOrder compares of two databases:
// the recordings ("id file"), and every window's id, key and vector in id
// order.
type contents struct {
	Recordings []string
	IDs        []int64
	Embeddings *embed.Embeddings
}

func dbContents(t *testing.T, path string) contents {
	t.Helper()
	db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var c contents
	recs, err := db.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	models, err := db.Models()
	if err != nil || len(models) != 1 {
		t.Fatalf("%s: models %v, %v", path, models, err)
	}
	for _, r := range recs {
		c.Recordings = append(c.Recordings, fmt.Sprintf("%d %s", r.ID, r.File))
		ws, err := db.Windows(r.ID, models[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			c.IDs = append(c.IDs, w.ID)
		}
	}
	if c.Embeddings, err = db.Embeddings(models[0]); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEmbedCancelled(t *testing.T) {
	dir := t.TempDir()
	paths := writeTones(t, dir, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sink := &memSink{done: map[string]bool{}, files: map[string]File{}}
	_, err := Embed(ctx, &fakeModel{}, paths, sink, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestPairTables(t *testing.T) {
	audio := []string{"a/site1_0600.wav", "b/site1_0600.wav", "a/site1.wav", "a/x.flac"}
	tables := []string{"a/site1_0600.Table.1.selections.txt", "b/site1_0600.selections.txt", "a/site1.Table.1.selections.txt", "a/notes.txt"}
	pairs, unmatched, err := PairTables(audio, tables)
	if err != nil {
		t.Fatal(err)
	}
	want := []Annotated{{"a/site1.wav", "a/site1.Table.1.selections.txt"}, {"a/site1_0600.wav", "a/site1_0600.Table.1.selections.txt"}, {"b/site1_0600.wav", "b/site1_0600.selections.txt"}}
	if !reflect.DeepEqual(pairs, want) || !reflect.DeepEqual(unmatched, []string{"a/notes.txt"}) {
		t.Errorf("pairs %v unmatched %v", pairs, unmatched)
	}
	if _, _, err := PairTables([]string{"a/x.wav"}, []string{"a/x.1.txt", "a/x.2.txt"}); err == nil {
		t.Error("two tables for one recording accepted")
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b/2.WAV", "b/1.flac", "a/z.mp3", ".hidden/x.wav", "a/.y.wav", "a/notes.txt", "c.ogg"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), nil, 0o644)
	}
	got, err := Find([]string{filepath.Join(dir, "a", "notes.txt"), dir})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, r)
	}
	want := []string{"a/notes.txt", "a/z.mp3", "b/1.flac", "b/2.WAV", "c.ogg"}
	if !reflect.DeepEqual(rel, want) {
		t.Errorf("Find: %v, want %v", rel, want)
	}
	if _, err := Find([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing folder gave no error")
	}
}

// TestSettingsRoundTrip: the options Settings records come back from
// OptionsFromSettings (after JSON) as Embed needs them (the layer a name of
// info.Layers), and CheckSettings refuses other weights and, for the scores
// layer, another scores value.
func TestSettingsRoundTrip(t *testing.T) {
	plain := (&fakeModel{}).Info()
	scored := plain
	scored.Layers = []string{zoo.ExternalScores, "embedding"}
	scored.ScoresValue = "logits"
	for _, tc := range []struct {
		name       string
		info       zoo.Info
		layer      string
		wantLayer  string
		wantScores any // settings["scores_value"]; nil: absent
	}{
		{"default layer", plain, "", "embedding", nil},
		{"embedding of a model with scores", scored, "", "embedding", nil},
		{"scores layer", scored, zoo.ExternalScores, zoo.ExternalScores, "logits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := embed.Options{EmbedOptions: zoo.EmbedOptions{Layer: tc.layer, Pooling: cnn.MaxPooling}, OverlapSeconds: 0.25, Final: audio.FinalDrop}
			settings := jsonRoundTrip(t, Settings(tc.info, o))
			if got := settings["scores_value"]; got != tc.wantScores {
				t.Errorf("scores_value %v, want %v", got, tc.wantScores)
			}
			back, err := OptionsFromSettings(settings)
			if err != nil {
				t.Fatal(err)
			}
			if back.OverlapSeconds != 0.25 || back.Pooling != cnn.MaxPooling || back.Final != audio.FinalDrop || back.Layer != tc.wantLayer {
				t.Errorf("options back: %+v, want layer %q", back, tc.wantLayer)
			}
			if !slices.Contains(tc.info.Layers, back.Layer) {
				t.Errorf("layer back %q is not one of %v", back.Layer, tc.info.Layers)
			}
			if err := CheckSettings(tc.info, settings); err != nil {
				t.Error(err)
			}
			other := tc.info
			other.Digest = "e"
			if err := CheckSettings(other, settings); err == nil {
				t.Error("other weights accepted")
			}
			probs := tc.info
			probs.ScoresValue = "probs"
			err = CheckSettings(probs, settings)
			if refused := err != nil; refused != (tc.wantScores != nil) {
				t.Errorf("another scores value: CheckSettings %v, want refused %v", err, tc.wantScores != nil)
			}
		})
	}
}

// TestEmbedNumbersWindowsInFileOrder embeds the same recordings into embedding
// databases with 1 to 8 workers, with and without seeded random delays before
// each file's decoding (so that files complete in a shuffled order), and
// checks that every database numbers the windows the same way: window ids
// 1, 2, … in the order of the files given and, within a file, of time, as
// lib/embed lists them one file after another (the reference). Also checks
// agile.Open's clip numbers follow it; that batches stay full (as many model
// calls as full batches need) while the dispatch does not wait; and that,
// with one file per worker dispatched ahead, the dispatch waiting for the
// longest file does not stall the run.
func TestEmbedNumbersWindowsInFileOrder(t *testing.T) {
	dir := t.TempDir()
	paths := writeTones(t, dir, 7)
	files := slices.Clone(paths)
	slices.Reverse(files) // the longest first: later, shorter files finish before it
	var want []embed.Key
	for _, p := range files {
		ref, err := embed.EmbedFiles(&fakeModel{}, []string{p}, embed.Options{OverlapSeconds: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ref.Keys...)
	}
	t.Cleanup(func() { beforeDecode, filesAhead = nil, 8 })
	for _, c := range []struct {
		workers int
		seed    uint64 // 0: no delays
		ahead   int    // filesAhead: 1 makes the dispatch wait for the longest file
	}{{1, 0, 8}, {2, 0, 8}, {4, 0, 8}, {8, 0, 8}, {3, 1, 8}, {4, 2, 8}, {8, 3, 8}, {1, 0, 1}, {2, 0, 1}, {3, 4, 1}, {2, 5, 1}} {
		name := fmt.Sprintf("workers %d seed %d files ahead %d", c.workers, c.seed, c.ahead)
		beforeDecode, filesAhead = nil, c.ahead
		if c.seed != 0 {
			rng := rand.New(rand.NewPCG(c.seed, 1))
			delays := make([]time.Duration, len(files))
			for i := range delays {
				delays[i] = time.Duration(rng.IntN(20)) * time.Millisecond
			}
			beforeDecode = func(i int) { time.Sleep(delays[i]) }
		}
		db, err := embeddb.Open(filepath.Join(t.TempDir(), "a.db"), embeddb.Options{NoIndex: true})
		if err != nil {
			t.Fatal(err)
		}
		model := &fakeModel{}
		o := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 4}, OverlapSeconds: 0.5}
		m, err := db.AddModel("fake", Settings(model.Info(), o), 3)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		sink := recordingSink{DBSink{DB: db, Model: m}, &order}
		if _, err := Embed(context.Background(), model, files, sink, Options{Embed: o, Workers: c.workers}); err != nil {
			t.Fatal(err)
		}
		if calls := (len(want) + 3) / 4; c.ahead == 8 && model.calls != calls {
			t.Errorf("%s: %d model calls for %d windows in batches of 4, want %d", name, model.calls, len(want), calls)
		}
		if !slices.Equal(order, files) {
			t.Errorf("%s: files stored in the order %v, want %v", name, order, files)
		}
		a, err := agile.Open(db, m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Windows.Keys, want) {
			t.Errorf("%s: clip numbering %v, want %v", name, a.Windows.Keys, want)
		}
		recs, err := db.Recordings()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			ws, err := db.Windows(r.ID, m)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range ws {
				if i := int(w.ID) - 1; i < 0 || i >= len(want) || want[i].File != r.File || want[i].StartSeconds != w.StartSeconds {
					t.Errorf("%s: window id %d is %s at %g s", name, w.ID, r.File, w.StartSeconds)
				}
			}
		}
		db.Close()
	}
}

// recordingSink is a DBSink that records the order of the files it stores.
type recordingSink struct {
	DBSink
	order *[]string
}

func (s recordingSink) Put(f File) error {
	*s.order = append(*s.order, f.Path)
	return s.DBSink.Put(f)
}

// TestEmbedIntoDB: the first run creates the database (and its folder) and embeds every
// file; a second run skips them all; the database holds the model's windows; a folder
// that does not exist is an error naming it.
func TestEmbedIntoDB(t *testing.T) {
	dir := t.TempDir()
	writeTones(t, dir, 3)
	dbPath := filepath.Join(t.TempDir(), "nested", "archive.db")
	db, m, first, err := EmbedIntoDB(context.Background(), &fakeModel{}, []string{dir}, dbPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.Embeddings(m)
	if err != nil {
		t.Fatal(err)
	}
	if first.Embedded != 3 || first.Windows == 0 || w.Len() != first.Windows || m.Name != "fake" {
		t.Errorf("first run: %+v, %d windows in the database of model %q", first, w.Len(), m.Name)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, _, again, err := EmbedIntoDB(context.Background(), &fakeModel{}, []string{dir}, dbPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if again.Embedded != 0 || again.Skipped != 3 {
		t.Errorf("second run: %+v, want 0 embedded and 3 skipped", again)
	}
	missing := filepath.Join(dir, "nowhere")
	if _, _, _, err := EmbedIntoDB(context.Background(), &fakeModel{}, []string{missing}, dbPath, Options{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing folder: %v", err)
	}
}
