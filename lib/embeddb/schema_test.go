package embeddb

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// The archive of the migration tests: migRecordings recordings of
// migWindows windows of dimension migDim.
const (
	migRecordings = 6
	migWindows    = 40
	migDim        = 16
)

// writeVersion1 writes, at path, a database of schema version 1 (the
// released DDL, migrations[0], as a version-1 program wrote it) holding the
// migration tests' archive, by SQL alone (Open would migrate it).
func writeVersion1(t testing.TB, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", dsn(path, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("PRAGMA journal_mode = WAL")
	exec(migrations[0])
	exec("INSERT INTO meta (key, value) VALUES ('uuid', '00112233445566778899aabbccddeeff')")
	exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID))
	exec("PRAGMA user_version = 1")
	exec(`INSERT INTO models (name, settings, dim) VALUES ('m', '{"Layer":"pool","ClipSeconds":5}', ?)`, migDim)
	blob := make([]byte, 4*migDim)
	for r := range migRecordings {
		exec("INSERT INTO recordings (file, content_sha256) VALUES (?, '')", fmt.Sprintf("site%d/rec%d.wav", r%2, r))
		for i, w := range windowsOf(vectors(migWindows, migDim, uint64(r+1))) {
			encodeEmbedding(blob, w.Embedding)
			exec("INSERT INTO windows (recording_id, model_id, start_seconds, end_seconds, embedding) VALUES (?, 1, ?, ?, ?)",
				r+1, w.StartSeconds, w.EndSeconds, blob)
			if i%7 == 3 {
				exec(`INSERT INTO annotations (recording_id, start_seconds, end_seconds, label, label_type, provenance, created_at)
					VALUES (?, ?, ?, 'call', 1, 'test', '2026-12-07T00:00:00Z')`, r+1, w.StartSeconds, w.EndSeconds)
			}
		}
		exec("INSERT INTO embedded (recording_id, model_id, windows, added_at) VALUES (?, 1, ?, '2026-12-07T00:00:00Z')", r+1, migWindows)
	}
}

// writeCurrent writes the same archive through the API (schema
// SchemaVersion): the reference the migrated database is compared with.
func writeCurrent(t testing.TB, path string) {
	t.Helper()
	db, err := Open(path, Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := db.AddModel("m", modelSettings{Layer: "pool", ClipSeconds: 5}, migDim)
	if err != nil {
		t.Fatal(err)
	}
	for r := range migRecordings {
		rec, err := db.AddRecording(Recording{File: fmt.Sprintf("site%d/rec%d.wav", r%2, r)}, m, windowsOf(vectors(migWindows, migDim, uint64(r+1))))
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range windowsOf(vectors(migWindows, migDim, uint64(r+1))) {
			if i%7 == 3 {
				if _, err := db.Annotate(Annotation{RecordingID: rec.ID, StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds,
					Label: "call", Type: Positive, Provenance: "test"}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// everything is what users of a database see of it: counts, recordings,
// models, every window's key and vector (EachBatch and EachKeyBatch),
// annotations (times of creation left out) and the top hits of a few
// searches.
type everything struct {
	Counts      Counts
	Recordings  []Recording
	Models      []Model
	Keys        []embed.Key
	Embeddings  *embed.Embeddings
	Annotations []Annotation
	Hits        [][]Hit
	Windows     int
}

func gather(t *testing.T, db *DB) everything {
	t.Helper()
	var e everything
	e.Counts = must[Counts](t)(db.Count())
	e.Recordings = must[[]Recording](t)(db.Recordings())
	e.Models = must[[]Model](t)(db.Models())
	m := e.Models[0]
	e.Windows = must[int](t)(db.CountWindows(m))
	if err := db.EachKeyBatch(m, 17, func(keys []embed.Key) error {
		e.Keys = append(e.Keys, keys...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.Embeddings = must[*embed.Embeddings](t)(db.Embeddings(m))
	e.Annotations = must[[]Annotation](t)(db.Annotations("call"))
	for i := range e.Annotations {
		e.Annotations[i].CreatedAt = time.Time{}
	}
	for _, q := range vectors(5, migDim, 99) {
		e.Hits = append(e.Hits, must[[]Hit](t)(db.Search(m, q, 5)))
	}
	return e
}

// queryPlan returns SQLite's EXPLAIN QUERY PLAN of query, its steps' details
// joined by "; ".
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.sql.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}

// TestMigrateFromVersion1: a database written by schema version 1 opens,
// is brought to SchemaVersion (the covering index in place, its integrity
// checked), and gives exactly what a database written by this version gives;
// the key queries are answered from the covering index, and the query with
// embeddings is not.
func TestMigrateFromVersion1(t *testing.T) {
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "v1.db"), filepath.Join(dir, "current.db")
	writeVersion1(t, oldPath)
	writeCurrent(t, newPath)

	migrated := open(t, oldPath, Options{})
	defer migrated.Close()
	current := open(t, newPath, Options{})
	defer current.Close()
	var version int
	migrated.sql.QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion {
		t.Errorf("user_version %d after migrating, want %d", version, SchemaVersion)
	}
	if err := migrated.CheckIntegrity(); err != nil {
		t.Error(err)
	}
	a, b := gather(t, migrated), gather(t, current)
	if a.Counts.Windows != migRecordings*migWindows || len(a.Keys) != a.Counts.Windows || a.Windows != a.Counts.Windows {
		t.Errorf("migrated: counts %+v, %d keys, %d windows of the model", a.Counts, len(a.Keys), a.Windows)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the migrated database differs from one written by this version:\n%+v\n%+v", a.Counts, b.Counts)
		for i := range a.Keys {
			if i < len(b.Keys) && a.Keys[i] != b.Keys[i] {
				t.Errorf("first differing key %d: %v, %v", i, a.Keys[i], b.Keys[i])
				break
			}
		}
	}

	for _, db := range []*DB{migrated, current} {
		keys := queryPlan(t, db, batchQuery(false), 1, 0, 10)
		if !strings.Contains(keys, "COVERING INDEX windows_keys") {
			t.Errorf("the key query's plan is %q: no covering index", keys)
		}
		count := queryPlan(t, db, indexCountQuery, 1, 100)
		if !strings.Contains(count, "COVERING INDEX windows_keys") {
			t.Errorf("the index check's count plan is %q: no covering index", count)
		}
		for _, q := range []string{batchQuery(true), embeddingsQuery, catchUpQuery} {
			args := []any{1, 0, 10}[:strings.Count(q, "?")]
			if p := queryPlan(t, db, q, args...); !strings.Contains(p, "USING INDEX windows_keys") || strings.Contains(p, "COVERING") || strings.Contains(p, "SCAN w") || strings.Contains(p, "SCAN windows") {
				t.Errorf("a query with embeddings has the plan %q, want a search of windows_keys by model and id, then the table", p)
			}
		}
		t.Logf("key query plan: %s", keys)
	}
}

// TestMigrationAtomic: a migration that fails part way (here: the index's
// name already taken in the version-1 file) is an error naming the file and
// the versions, and leaves the database at version 1 with every row.
func TestMigrationAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeVersion1(t, path)
	raw, err := sql.Open("sqlite", dsn(path, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE windows_keys (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "from version 1 to 2") {
		t.Fatalf("a migration that fails: %v", err)
	}
	raw, err = sql.Open("sqlite", dsn(path, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var version, windows, annotations int
	raw.QueryRow("PRAGMA user_version").Scan(&version)
	raw.QueryRow("SELECT (SELECT count(*) FROM windows), (SELECT count(*) FROM annotations)").Scan(&windows, &annotations)
	if version != 1 || windows != migRecordings*migWindows || annotations == 0 {
		t.Errorf("after a failed migration: version %d, %d windows, %d annotations", version, windows, annotations)
	}
}

// migrateEnv, when set (path,start-unix-nanoseconds), makes
// TestConcurrentMigration's process open path at that instant and print the
// number of keys it reads.
const migrateEnv = "EMBEDDB_TEST_MIGRATE"

// TestConcurrentMigration: two OS processes open one version-1 database at
// the same instant, the migration's transaction held open 300 ms; both
// succeed, exactly one migrates (the other waits for its transaction and
// finds the schema in place), both read every key, and the database is then at
// SchemaVersion with what a database written by this version holds.
func TestConcurrentMigration(t *testing.T) {
	if spec := os.Getenv(migrateEnv); spec != "" {
		path, at, _ := strings.Cut(spec, ",")
		ns, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		migrating = func(from int) {
			fmt.Printf("migrating from version %d\n", from)
			time.Sleep(300 * time.Millisecond) // the other process arrives meanwhile
		}
		time.Sleep(time.Until(time.Unix(0, ns)))
		db, err := Open(path, Options{NoIndex: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, "open:", err)
			os.Exit(1)
		}
		models, err := db.Models()
		if err != nil || len(models) != 1 {
			fmt.Fprintln(os.Stderr, "models:", models, err)
			os.Exit(1)
		}
		n := 0
		if err := db.EachKeyBatch(models[0], 0, func(keys []embed.Key) error { n += len(keys); return nil }); err != nil {
			fmt.Fprintln(os.Stderr, "keys:", err)
			os.Exit(1)
		}
		if err := db.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close:", err)
			os.Exit(1)
		}
		fmt.Printf("keys %d\n", n)
		return
	}
	dir := t.TempDir()
	path, newPath := filepath.Join(dir, "v1.db"), filepath.Join(dir, "current.db")
	writeVersion1(t, path)
	writeCurrent(t, newPath)
	at := time.Now().Add(time.Second).UnixNano()
	var cmds []*exec.Cmd
	outputs := make([]*bytes.Buffer, 2)
	for p := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentMigration$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%d", migrateEnv, path, at))
		outputs[p] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = outputs[p], outputs[p]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	migrated := 0
	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", p, err, outputs[p])
		}
		if want := fmt.Sprintf("keys %d\n", migRecordings*migWindows); !strings.Contains(outputs[p].String(), want) {
			t.Errorf("process %d did not read every key:\n%s", p, outputs[p])
		}
		migrated += strings.Count(outputs[p].String(), "migrating from version 1\n")
	}
	if migrated != 1 {
		t.Errorf("%d processes migrated, want 1:\n%s\n%s", migrated, outputs[0], outputs[1])
	}
	db := open(t, path, Options{})
	defer db.Close()
	current := open(t, newPath, Options{})
	defer current.Close()
	if err := db.CheckIntegrity(); err != nil {
		t.Error(err)
	}
	if a, b := gather(t, db), gather(t, current); !reflect.DeepEqual(a, b) {
		t.Errorf("after two processes migrated at once, the database differs from one written by this version: %+v, %+v", a.Counts, b.Counts)
	}
}
