package embeddb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

// indexState returns how many windows model's index holds in memory and how
// many its file holds (as this DB knows), without catching up.
func indexState(db *DB, model Model) (indexed, saved int) {
	db.mu.Lock()
	mi := db.indexes[model.ID]
	db.mu.Unlock()
	if mi == nil {
		return 0, 0
	}
	mi.mu.Lock()
	defer mi.mu.Unlock()
	return len(mi.ids), mi.saved
}

// crash closes the database without writing its indexes, as a killed process
// would leave it.
func crash(db *DB) { db.sql.Close() }

// addRecordings adds count recordings of perRec windows each, seeded from
// seed, named prefix-i; it returns all the vectors in order.
func addRecordings(t *testing.T, db *DB, model Model, prefix string, count, perRec int, seed uint64) [][]float32 {
	t.Helper()
	var all [][]float32
	for i := range count {
		vs := vectors(perRec, model.Dim, seed*1000+uint64(i))
		if _, err := db.AddRecording(Recording{File: fmt.Sprintf("%s-%d.wav", prefix, i)}, model, windowsOf(vs)); err != nil {
			t.Fatal(err)
		}
		all = append(all, vs...)
	}
	return all
}

// searchAll returns the hits of each query.
func searchAll(t *testing.T, db *DB, model Model, queries [][]float32, k int) [][]Hit {
	t.Helper()
	out := make([][]Hit, len(queries))
	for i, q := range queries {
		hits, err := db.Search(model, q, k)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = hits
	}
	return out
}

// TestIndexPersists: the index is written on Close and read back on Open, not
// rebuilt; the reopened database answers bit for bit as before; windows added
// later are inserted, and the file is rewritten once enough were added.
func TestIndexPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	var notes bytes.Buffer
	o := Options{HNSW: search.HNSWOptions{Seed: 3}, IndexSaveEvery: 500, Notes: &notes}
	db := open(t, path, o)
	model := must[Model](t)(db.AddModel("m", nil, 16))
	addRecordings(t, db, model, "a", 12, 30, 1) // 360 windows: below IndexSaveEvery
	if _, err := os.Stat(db.IndexPath(model)); !os.IsNotExist(err) {
		t.Errorf("index file written before IndexSaveEvery windows: %v", err)
	}
	queries := vectors(30, 16, 77)
	before := searchAll(t, db, model, queries, 10)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".model1.hnsw"); err != nil {
		t.Fatalf("no index file after Close: %v", err)
	}

	db = open(t, path, o)
	after := searchAll(t, db, model, queries, 10)
	for q := range before {
		if !slices.Equal(before[q], after[q]) {
			t.Fatalf("query %d after reopening: %v, before %v", q, after[q], before[q])
		}
	}
	if n, saved := indexState(db, model); n != 360 || saved != 360 {
		t.Errorf("reopened index holds %d windows, file %d; want 360 and 360", n, saved)
	}
	addRecordings(t, db, model, "b", 5, 30, 2) // 510 windows, 150 unsaved
	if n, saved := indexState(db, model); n != 510 || saved != 360 {
		t.Errorf("after 150 more windows: index %d, file %d; want 510 and 360", n, saved)
	}
	addRecordings(t, db, model, "c", 12, 30, 3) // 870 windows: 510 unsaved ≥ 500
	if n, saved := indexState(db, model); n != 870 || saved != 870 {
		t.Errorf("after 510 unsaved windows: index %d, file %d; want 870 and 870 (rewritten)", n, saved)
	}
	db.Close()
	if notes.Len() > 0 {
		t.Errorf("notes: %s (the index should never have been rebuilt)", notes.String())
	}
}

// TestIndexCrash: after a crash the index file lags the database and the
// missing windows are inserted on open; an index that is ahead of the
// database (an older copy of the database put back), damaged, or of another
// database is rebuilt, with a note; search answers are then what brute force
// says.
func TestIndexCrash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	var notes bytes.Buffer
	o := Options{HNSW: search.HNSWOptions{Seed: 5}, IndexSaveEvery: 1 << 30, Notes: &notes}
	db := open(t, path, o)
	model := must[Model](t)(db.AddModel("m", nil, 8))
	first := addRecordings(t, db, model, "a", 4, 25, 1)
	if err := db.Sync(); err != nil {
		t.Fatal(err)
	}
	second := addRecordings(t, db, model, "b", 4, 25, 2)
	crash(db)

	// The file holds 100 windows, the database 200.
	db = open(t, path, o)
	queries := append(slices.Clone(first[:5]), second[:5]...)
	check := func(label string, want [][]float32) {
		t.Helper()
		for qi, q := range queries {
			hits := must[[]Hit](t)(db.Search(model, q, 1))
			inDB := slices.ContainsFunc(want, func(v []float32) bool { return slices.Equal(v, q) })
			if found := hits[0].Score > 0.999999; found != inDB {
				t.Errorf("%s: query %d: top hit %+v, query in the database: %v", label, qi, hits[0], inDB)
			}
		}
	}
	check("caught up", append(slices.Clone(first), second...))
	if n, saved := indexState(db, model); n != 200 || saved != 100 {
		t.Errorf("after catching up: index %d, file %d; want 200 and 100", n, saved)
	}
	if notes.Len() > 0 {
		t.Errorf("catching up wrote notes: %s", notes.String())
	}
	db.Close()

	// An older copy of the database (100 windows) with the newer index (200).
	db = open(t, path, o)
	db.Close()
	full, _ := os.ReadFile(path)
	older := filepath.Join(dir, "older.db")
	db = open(t, older, o)
	m2 := must[Model](t)(db.AddModel("m", nil, 8))
	addRecordings(t, db, m2, "a", 4, 25, 1)
	db.Close()
	olderBytes, _ := os.ReadFile(older)
	// Same identity: copy the index of a.db beside older.db's content put in a.db.
	os.WriteFile(path, olderBytes, 0o644)
	db, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	must[int](t)(db.CountWindows(model))
	db.Search(model, first[0], 1)
	if !strings.Contains(notes.String(), "another database") {
		t.Errorf("index of another database: notes %q", notes.String())
	}
	db.Close()
	notes.Reset()

	// Now the real case: a.db put back to an older state of itself.
	os.WriteFile(path, full, 0o644)
	db = open(t, path, o)
	must[[]Hit](t)(db.Search(model, first[0], 1))
	db.Close() // index file: 200 windows, content of a.db: 200 windows
	db = open(t, path, o)
	// Delete the second batch behind the index's back, as a restored backup would.
	db.sql.Exec("DELETE FROM windows WHERE id > 100")
	db.sql.Exec("DELETE FROM embedded WHERE recording_id > 4")
	db.sql.Exec("DELETE FROM recordings WHERE id > 4")
	check("index ahead of the database", first)
	if !strings.Contains(notes.String(), "rebuilding the index of model m: the index holds 200 windows up to id 200, the database 100 windows up to id 100") {
		t.Errorf("index ahead: notes %q", notes.String())
	}
	db.Close()
	notes.Reset()

	// A damaged index file.
	index := filepath.Join(dir, "a.db.model1.hnsw")
	data, _ := os.ReadFile(index)
	data[len(data)/2] ^= 0x40
	os.WriteFile(index, data, 0o644)
	db = open(t, path, o)
	check("damaged index", first)
	if !strings.Contains(notes.String(), "damaged or not an HNSW index file") {
		t.Errorf("damaged index: notes %q", notes.String())
	}
	db.Close()
}

// TestIndexLater: bulk loading with IndexLater leaves the index alone until a
// search, Sync or Close, which inserts every new window at once.
func TestIndexLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db := open(t, path, Options{IndexLater: true})
	model := must[Model](t)(db.AddModel("m", nil, 8))
	addRecordings(t, db, model, "a", 3, 20, 1)
	if n, _ := indexState(db, model); n != 0 {
		t.Errorf("IndexLater: %d windows indexed before any search", n)
	}
	db.Close()
	db = open(t, path, Options{})
	defer db.Close()
	if n, saved := indexState(db, model); n != 0 || saved != 0 {
		t.Errorf("before loading: %d, %d", n, saved)
	}
	must[[]Hit](t)(db.Search(model, vectors(1, 8, 5)[0], 3))
	if n, saved := indexState(db, model); n != 60 || saved != 60 {
		t.Errorf("after Close and reopening: index %d, file %d; want 60, 60", n, saved)
	}
}

// TestNoIndex: with NoIndex, adding windows and closing writes no index file
// (IndexLater writes one at Close, as documented), an existing file is left
// as it was, and the next DB that searches catches the index up from the
// windows table.
func TestNoIndex(t *testing.T) {
	for _, c := range []struct {
		name     string
		o        Options
		wantFile bool
	}{
		{"default", Options{}, true},
		{"IndexLater", Options{IndexLater: true}, true},
		{"NoIndex", Options{NoIndex: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			db := open(t, path, c.o)
			model := must[Model](t)(db.AddModel("m", nil, 8))
			addRecordings(t, db, model, "a", 3, 20, 1)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			_, err := os.Stat(db.IndexPath(model))
			if got := err == nil; got != c.wantFile {
				t.Fatalf("index file after Close: %v (stat: %v), want %v", got, err, c.wantFile)
			}
			if !c.wantFile {
				return
			}
			// A database with an index file: NoIndex adds to it without touching it.
			db = open(t, path, Options{NoIndex: true})
			addRecordings(t, db, model, "b", 2, 20, 2)
			db.Close()
			if n := must[int](t)(indexFileCount(db.IndexPath(model), db.uuid, model)); n != 60 {
				t.Errorf("after a NoIndex load: the index file holds %d windows, want the 60 it held", n)
			}
			db = open(t, path, Options{NoIndex: true})
			hits := must[[]Hit](t)(db.Search(model, vectors(1, 8, 5)[0], 100))
			if len(hits) != 100 {
				t.Errorf("search after a NoIndex load: %d hits of 100 windows", len(hits))
			}
			// Once searched, the model's index is caught up and written by
			// Close, with the windows this NoIndex DB added after the search.
			addRecordings(t, db, model, "c", 1, 20, 3)
			db.Close()
			if n := must[int](t)(indexFileCount(db.IndexPath(model), db.uuid, model)); n != 120 {
				t.Errorf("after a search with NoIndex and an add: the index file holds %d windows, want 120", n)
			}
		})
	}
}

// TestConcurrentUse: goroutines adding, annotating and searching one DB at
// once (run it with -race).
func TestConcurrentUse(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"), Options{IndexSaveEvery: 50})
	defer db.Close()
	model := must[Model](t)(db.AddModel("m", nil, 8))
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				rec, err := db.AddRecording(Recording{File: fmt.Sprintf("g%d-%d.wav", g, i)}, model, windowsOf(vectors(10, 8, uint64(100*g+i))))
				if err == nil {
					_, err = db.Annotate(Annotation{RecordingID: rec.ID, StartSeconds: 0, EndSeconds: 1, Label: "x", Type: Positive, Provenance: "test"})
				}
				if err == nil {
					_, err = db.Search(model, vectors(1, 8, uint64(g))[0], 5)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c := must[Counts](t)(db.Count()); c.Recordings != 40 || c.Windows != 400 || c.Annotations != 40 {
		t.Errorf("counts %+v", c)
	}
}

// writerEnv names the environment variable that makes this test binary a
// writer process of TestTwoProcesses: "path,writer number".
const writerEnv = "EMBEDDB_TEST_WRITER"

const (
	writerRecordings = 40
	writerWindows    = 25
	writerDim        = 16
)

// runWriter is one writer process: it adds recordings, annotates each, and
// searches now and then (which catches the index up with the other writer's
// windows and rewrites the index file every 100 windows).
func runWriter(spec string) error {
	path, number, _ := strings.Cut(spec, ",")
	w, err := strconv.Atoi(number)
	if err != nil {
		return err
	}
	// Start together: each says it is ready, then waits for the other.
	if err := os.WriteFile(fmt.Sprintf("%s.ready%d", path, w), nil, 0o644); err != nil {
		return err
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(fmt.Sprintf("%s.ready%d", path, 1-w)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return errors.New("the other writer never started")
		}
	}
	db, err := Open(path, Options{IndexSaveEvery: 100, HNSW: search.HNSWOptions{Seed: 1}})
	if err != nil {
		return err
	}
	model, err := db.AddModel("m", map[string]any{"clip": 5}, writerDim)
	if err != nil {
		return err
	}
	for i := range writerRecordings {
		// Lockstep: recording i waits until the other writer has written
		// i recordings, so the two write at the same time however loaded
		// the machine is (without it, one could finish before the other
		// starts and the test would prove nothing).
		if err := waitFor(fmt.Sprintf("%s.done%d", path, 1-w), i); err != nil {
			return err
		}
		vs := vectors(writerWindows, writerDim, uint64(1000*w+i))
		rec, err := db.AddRecording(Recording{File: fmt.Sprintf("w%d/%d.wav", w, i)}, model, windowsOf(vs))
		if err != nil {
			return err
		}
		if _, err := db.Annotate(Annotation{RecordingID: rec.ID, StartSeconds: 1, EndSeconds: 2, Label: "call",
			Type: Positive, Provenance: fmt.Sprintf("writer:%d", w)}); err != nil {
			return err
		}
		if err := os.WriteFile(fmt.Sprintf("%s.done%d", path, w), []byte(strconv.Itoa(i+1)), 0o644); err != nil {
			return err
		}
		if i%5 == 4 {
			if _, err := db.Search(model, vs[0], 3); err != nil {
				return err
			}
		}
	}
	return db.Close()
}

// waitFor waits until the file at path holds a count of at least n (a missing
// or half-written file counts as 0), for at most two minutes.
func waitFor(path string, n int) error {
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Millisecond) {
		if n == 0 {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil {
			if got, err := strconv.Atoi(string(b)); err == nil && got >= n {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the other writer did not reach recording %d in two minutes", n)
		}
	}
}

// TestTwoProcesses: two OS processes (this test binary, run again) write to
// one database at once; afterwards every row is there, SQLite's integrity and
// foreign-key checks pass, and the index (its file written by both) holds
// every window and finds each one by its own vector.
func TestTwoProcesses(t *testing.T) {
	if spec := os.Getenv(writerEnv); spec != "" {
		if err := runWriter(spec); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(1)
		}
		return
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	var cmds []*exec.Cmd
	outputs := make([]*bytes.Buffer, 2)
	for w := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%d", writerEnv, path, w))
		outputs[w] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = outputs[w], outputs[w]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for w, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer %d: %v\n%s", w, err, outputs[w])
		}
	}
	var notes bytes.Buffer
	db := open(t, path, Options{Notes: &notes})
	defer db.Close()
	if err := db.CheckIntegrity(); err != nil {
		t.Fatal(err)
	}
	c := must[Counts](t)(db.Count())
	if want := (Counts{Recordings: 2 * writerRecordings, Models: 1, Windows: 2 * writerRecordings * writerWindows,
		Annotations: 2 * writerRecordings}); c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	// The writers' transactions interleaved: the recordings' ids alternate
	// between them more than once.
	switches := 0
	recs := must[[]Recording](t)(db.Recordings())
	for i := 1; i < len(recs); i++ {
		if recs[i].File[:2] != recs[i-1].File[:2] {
			switches++
		}
	}
	if switches < 2 {
		t.Errorf("the writers' recordings alternate %d times: they did not write at the same time", switches)
	}
	models := must[[]Model](t)(db.Models())
	model := models[0]
	for w := range 2 {
		var annotations int
		for _, a := range must[[]Annotation](t)(db.Annotations("call")) {
			if a.Provenance == fmt.Sprintf("writer:%d", w) {
				annotations++
			}
		}
		if annotations != writerRecordings {
			t.Errorf("writer %d: %d annotations, want %d", w, annotations, writerRecordings)
		}
	}
	// The file on disk holds a prefix of the windows; opening caught it up.
	fileCount, err := indexFileCount(db.IndexPath(model), db.uuid, model)
	if err != nil {
		t.Fatalf("index file: %v", err)
	}
	all := must[*embed.Embeddings](t)(db.Embeddings(model))
	found := 0
	for i, v := range all.Vectors {
		hits := must[[]Hit](t)(db.Search(model, v, 1))
		if hits[0].File == all.Keys[i].File && hits[0].StartSeconds == all.Keys[i].StartSeconds {
			found++
		}
	}
	if n, _ := indexState(db, model); n != c.Windows {
		t.Errorf("index holds %d windows, the database %d", n, c.Windows)
	}
	t.Logf("writers alternated %d times; index file held %d of %d windows; %d of %d windows found first by their own vector; notes %q",
		switches, fileCount, c.Windows, found, c.Windows, notes.String())
	if found < c.Windows*99/100 {
		t.Errorf("only %d of %d windows found first by their own vector", found, c.Windows)
	}
	if notes.Len() > 0 {
		t.Errorf("the index written by two processes was rebuilt: %s", notes.String())
	}
}

// TestRemove: Remove deletes the database, its journal and its index files, and only
// those (a neighbour whose name starts alike stays); removing again is no error.
func TestRemove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	db := open(t, path, Options{})
	model := must[Model](t)(db.AddModel("m", nil, 16))
	addRecordings(t, db, model, "a", 2, 10, 1)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	neighbour := filepath.Join(dir, "a.db.notes")
	if err := os.WriteFile(neighbour, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, extra := range []string{path + "-wal", path + ".model7.hnsw"} {
		if err := os.WriteFile(extra, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if !slices.Equal(left, []string{neighbour}) {
		t.Errorf("after Remove: %v, want only %s", left, neighbour)
	}
	if err := Remove(path); err != nil {
		t.Errorf("removing again: %v", err)
	}
	if err := Remove(filepath.Join(dir, "nowhere", "b.db")); err != nil {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestRemoveDatabaseLast: when a companion file cannot be removed (here a -wal that is a
// folder with a file in it), Remove fails with the database still in place, so no new
// database is ever created beside a stale journal, which SQLite would replay into it.
func TestRemoveDatabaseLast(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	db := open(t, path, Options{})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path+"-wal", "stuck"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Remove(path); err == nil {
		t.Fatal("a -wal that cannot be removed: no error")
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database went before its journal: %v", err)
	}
	if err := os.RemoveAll(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after Remove: %v", err)
	}
}
