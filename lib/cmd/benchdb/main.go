// Command benchdb measures the embedding database (lib/embeddb) at archive
// scale: 1,000,000 windows of 128 dimensions by default, in recordings of
// 1,000 windows. It reports
//
//   - the insert rate: recordings added one transaction each (synchronous=FULL,
//     WAL), the index left for later (Options.IndexLater);
//
//   - the key pass: every window's key (id, file, span) read a batch of 4,096
//     at a time, as embeddb.EachKeyBatch reads them, from the covering index
//     windows_keys (schema version 2) and from the table (the plan of schema
//     version 1, whose rows carry the embeddings), interleaved, wall and CPU
//     time; the same for the pass with the embeddings (EachBatch); and the
//     migration of the archive from version 1 (the index built on Open);
//
//   - the index build: the whole archive inserted into the model's HNSW index
//     from the database (catch-up), and its file written;
//
//   - the size on disk: the SQLite file (and its WAL) and the index file;
//
//   - reopening: Open, then the first search, which reads and checks the
//     index file;
//
//   - search latency (median and 90th percentile of single DB.Search calls,
//     window keys read included) and recall@k against exact search, for
//     several EfSearch values;
//
//   - growing: recordings added to the indexed archive one by one (insert and
//     index insertion), and the index file rewritten.
//
//     go run ./lib/cmd/benchdb                    # 1,000,000 × 128
//     go run ./lib/cmd/benchdb -n 50000           # quicker
//
// The vectors are lib/internal/benchdata's clustered data, as lib/cmd/benchsearch
// uses; queries are drawn from the same clusters. The exact neighbors come
// from lib/search's Exact index over the same vectors (window i+1 is row i).
// The database goes to -dir (a temporary folder by default, removed at the
// end). No peer runs beside it: perch-hoplite's SQLite + USearch database
// needs PyPI packages this machine cannot install.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

var (
	flagN        = flag.Int("n", 1000000, "windows in the archive")
	flagDim      = flag.Int("dim", 128, "embedding dimension")
	flagPerRec   = flag.Int("per-recording", 1000, "windows per recording (one transaction each)")
	flagQueries  = flag.Int("queries", 200, "single-query searches timed per EfSearch, over which recall is measured")
	flagK        = flag.Int("k", 10, "neighbors per query (recall@k)")
	flagM        = flag.Int("M", search.DefaultM, "HNSW M")
	flagEfC      = flag.Int("efc", search.DefaultEfConstruction, "HNSW EfConstruction")
	flagEfs      = flag.String("ef", "32,64,128,256", "HNSW EfSearch values to measure")
	flagGrow     = flag.Int("grow", 10, "recordings added one by one to the indexed archive")
	flagThreads  = flag.Int("threads", 2, "GOMAXPROCS")
	flagData     = benchkit.ClusteredFlags(flag.CommandLine)
	flagKeysOnly = flag.Bool("keys-only", false, "stop after the key pass (no index build, search or growth)")
	flagPasses   = flag.Int("passes", 5, "key passes timed per plan, interleaved")
	flagDir      = flag.String("dir", "", "folder of the database (default: a temporary folder, removed at the end)")
)

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(*flagThreads)
	n, dim, per := *flagN, *flagDim, *flagPerRec
	dir := *flagDir
	if dir == "" {
		var err error
		dir, err = os.MkdirTemp("", "benchdb")
		check(err)
		defer os.RemoveAll(dir)
	}
	path := filepath.Join(dir, "archive.db")
	check(embeddb.Remove(path))
	fmt.Printf("benchdb: %d windows × %d dims in recordings of %d, %d queries, k = %d, HNSW M %d efC %d, %d threads, %d CPUs, %s\n",
		n, dim, per, *flagQueries, *flagK, *flagM, *flagEfC, *flagThreads, runtime.NumCPU(), runtime.Version())
	fmt.Printf("commit %s, %s UTC, load average %s\n\n", runrecord.GitCommit(), time.Now().UTC().Format("2006-01-02 15:04"), runrecord.LoadAverages())

	t0 := time.Now()
	data, _ := flagData.Vectors(n, dim, 0)
	queries, _ := flagData.Vectors(*flagQueries, dim, 1)
	grow, _ := flagData.Vectors(*flagGrow*per, dim, 2)
	fmt.Printf("data generated in %.1f s\n", time.Since(t0).Seconds())

	var rows []row
	add := func(what, format string, args ...any) {
		rows = append(rows, row{what, fmt.Sprintf(format, args...)})
		fmt.Printf("%s: %s\n", what, rows[len(rows)-1].value)
	}
	hnswOpts := search.HNSWOptions{M: *flagM, EfConstruction: *flagEfC, Seed: 1}

	// Insert, the index left for later (built by Index below).
	db, err := embeddb.Open(path, embeddb.Options{NoIndex: true, HNSW: hnswOpts})
	check(err)
	model, err := db.AddModel("bench", map[string]any{"dim": dim}, dim)
	check(err)
	recordings := (n + per - 1) / per
	t0 = time.Now()
	for r := range recordings {
		lo, hi := r*per, min((r+1)*per, n)
		check2(db.AddRecording(embeddb.Recording{File: fmt.Sprintf("site%02d/rec%05d.flac", r%17, r)}, model, windows(data[lo:hi])))
	}
	insert := time.Since(t0)
	add("insert: windows/s (recordings/s), one transaction per recording", "%.0f (%.1f); %d windows in %.1f s",
		float64(n)/insert.Seconds(), float64(recordings)/insert.Seconds(), n, insert.Seconds())
	check(db.Close())
	dbSize := fileSize(path) + fileSize(path+"-wal")
	keyPass(path, model, n, add)
	if *flagKeysOnly {
		printRows(rows)
		return
	}
	db, err = embeddb.Open(path, embeddb.Options{IndexLater: true, HNSW: hnswOpts})
	check(err)

	// Build the index from the database.
	t0 = time.Now()
	check(db.Index(model))
	build := time.Since(t0)
	add("index build from the database (catch-up + file write), s", "%.1f (%.0f windows/s)", build.Seconds(), float64(n)/build.Seconds())
	check(db.Close())
	dbSize = max(dbSize, fileSize(path)+fileSize(path+"-wal"))
	indexSize := fileSize(db.IndexPath(model))
	add("on disk: database (SQLite + WAL) / index file / total, MiB", "%.0f / %.0f / %.0f (%.0f bytes per window; the raw float32 vectors are %.0f MiB)",
		mib(dbSize), mib(indexSize), mib(dbSize+indexSize), float64(dbSize+indexSize)/float64(n), mib(int64(n*dim*4)))

	// Reopen.
	t0 = time.Now()
	db, err = embeddb.Open(path, embeddb.Options{HNSW: hnswOpts})
	check(err)
	open := time.Since(t0)
	t0 = time.Now()
	check2(db.Search(model, queries[0], *flagK))
	first := time.Since(t0)
	add("reopen: Open ms / first search (reads and checks the index file) s", "%.1f / %.2f", ms(open), first.Seconds())
	check(db.Close())

	// Exact neighbors.
	exact, err := search.NewExact(data, search.ExactOptions{})
	check(err)
	truth, err := exact.SearchBatch(queries, *flagK)
	check(err)
	exact = nil
	runtime.GC()

	efs, err := benchkit.Ints(*flagEfs)
	check(err)
	for _, ef := range efs {
		db, err := embeddb.Open(path, embeddb.Options{HNSW: search.HNSWOptions{EfSearch: ef}})
		check(err)
		check2(db.Search(model, queries[0], *flagK)) // load
		times := make([]time.Duration, len(queries))
		approx := make([][]search.Hit, len(queries))
		for q, query := range queries {
			t0 := time.Now()
			hits, err := db.Search(model, query, *flagK)
			times[q] = time.Since(t0)
			check(err)
			for _, h := range hits {
				approx[q] = append(approx[q], search.Hit{Index: int(h.WindowID - 1), Score: h.Score})
			}
		}
		recall, err := search.Recall(approx, truth, *flagK)
		check(err)
		slices.Sort(times)
		add(fmt.Sprintf("search, EfSearch %d: median / p90 ms, recall@%d", ef, *flagK), "%.3f / %.3f, %.4f",
			ms(times[len(times)/2]), ms(times[len(times)*9/10]), recall)
		check(db.Close())
	}

	// Grow the indexed archive.
	if *flagGrow > 0 {
		db, err = embeddb.Open(path, embeddb.Options{IndexSaveEvery: 1 << 30})
		check(err)
		check2(db.Search(model, queries[0], *flagK)) // load
		times := make([]time.Duration, *flagGrow)
		for r := range *flagGrow {
			t0 := time.Now()
			check2(db.AddRecording(embeddb.Recording{File: fmt.Sprintf("new/rec%05d.flac", r)}, model, windows(grow[r*per:(r+1)*per])))
			times[r] = time.Since(t0)
		}
		slices.Sort(times)
		t0 = time.Now()
		check(db.Sync())
		rewrite := time.Since(t0)
		add(fmt.Sprintf("grow: one recording of %d windows added and indexed, median ms (windows/s)", per), "%.0f (%.0f); index file rewritten in %.2f s",
			ms(times[len(times)/2]), float64(per)/times[len(times)/2].Seconds(), rewrite.Seconds())
		c, err := db.Count()
		check(err)
		check(db.Close())
		fmt.Printf("final counts: %+v\n", c)
	}
	printRows(rows)
}

type row struct{ what, value string }

func printRows(rows []row) {
	fmt.Printf("peak memory: %s; load average at the end %s; total %.0f s\n\n", maxRSS(), runrecord.LoadAverages(), time.Since(start).Seconds())
	fmt.Printf("| measure | value |\n|---|---|\n")
	for _, r := range rows {
		fmt.Printf("| %s | %s |\n", r.what, r.value)
	}
}

// keyPass measures the key pass of the database at path (n windows of
// model, schema version 2): the paged key query of embeddb.EachKeyBatch,
// run by SQL with the covering index forced (INDEXED BY windows_keys, the
// plan SQLite picks at version 2) and with it ruled out (NOT INDEXED: a
// range scan of the table by id, the plan of version 1), -passes times each,
// interleaved; the same for the query with the embeddings (EachBatch's);
// EachKeyBatch itself; and, after dropping the index (a version-1 file),
// Open's migration back to version 2.
func keyPass(path string, model embeddb.Model, n int, add func(what, format string, args ...any)) {
	raw, err := sql.Open("sqlite", "file:"+path+"?_busy_timeout=60000")
	check(err)
	defer raw.Close()
	type plan struct{ name, hint, embedding string }
	plans := []plan{
		{"keys, covering index (version 2)", "INDEXED BY windows_keys", ""},
		{"keys, table (version 1)", "NOT INDEXED", ""},
		{"keys + embeddings, index then table", "INDEXED BY windows_keys", ", w.embedding"},
		{"keys + embeddings, table", "NOT INDEXED", ", w.embedding"},
	}
	query := func(p plan) string {
		return `SELECT w.id, r.file, w.start_seconds, w.end_seconds` + p.embedding + ` FROM windows w ` + p.hint +
			` JOIN recordings r ON r.id = w.recording_id WHERE w.model_id = ? AND w.id > ? ORDER BY w.id LIMIT 4096`
	}
	for _, p := range plans {
		var a, b, c int
		var detail string
		rows, err := raw.Query("EXPLAIN QUERY PLAN "+query(p), model.ID, 0)
		check(err)
		var steps []string
		for rows.Next() {
			check(rows.Scan(&a, &b, &c, &detail))
			steps = append(steps, detail)
		}
		rows.Close()
		fmt.Printf("plan of %s: %s\n", p.name, strings.Join(steps, "; "))
	}
	pass := func(p plan) (wall, cpu time.Duration, read int64) {
		t0, c0, r0 := time.Now(), cpuTime(), bytesRead()
		var last int64
		got := 0
		for {
			rows, err := raw.Query(query(p), model.ID, last)
			check(err)
			batch := 0
			for rows.Next() {
				var file, blob sql.RawBytes
				var start, end float64
				dest := []any{&last, &file, &start, &end}
				if p.embedding != "" {
					dest = append(dest, &blob)
				}
				check(rows.Scan(dest...))
				batch++
			}
			check(rows.Err())
			rows.Close()
			got += batch
			if batch < 4096 {
				break
			}
		}
		if got != n {
			check(fmt.Errorf("%s: %d windows, want %d", p.name, got, n))
		}
		return time.Since(t0), cpuTime() - c0, bytesRead() - r0
	}
	walls := make([][]time.Duration, len(plans))
	cpus := make([][]time.Duration, len(plans))
	reads := make([]int64, len(plans))
	for range *flagPasses {
		for i, p := range plans {
			w, c, r := pass(p)
			walls[i], cpus[i], reads[i] = append(walls[i], w), append(cpus[i], c), r
		}
	}
	for i, p := range plans {
		add("pass over "+p.name+": median wall / CPU s; MiB read from the file", "%.3f / %.3f (%.0f windows/s of CPU); %.0f",
			median(walls[i]).Seconds(), median(cpus[i]).Seconds(), float64(n)/median(cpus[i]).Seconds(), mib(reads[i]))
	}
	db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
	check(err)
	var api []time.Duration
	for range *flagPasses {
		c0, got := cpuTime(), 0
		check(db.EachKeyBatch(model, 0, func(keys []embed.Key) error { got += len(keys); return nil }))
		api = append(api, cpuTime()-c0)
	}
	check(db.Close())
	add("embeddb.EachKeyBatch: median CPU s", "%.3f", median(api).Seconds())

	// The index's size (SQLite's dbstat table), then back to version 1 and
	// the migration on Open.
	var indexBytes int64
	if err := raw.QueryRow("SELECT sum(pgsize) FROM dbstat WHERE name = 'windows_keys'").Scan(&indexBytes); err != nil {
		fmt.Printf("the index's size: %v\n", err)
	}
	add("covering index windows_keys on disk, MiB (bytes per window)", "%.1f (%.0f)", mib(indexBytes), float64(indexBytes)/float64(n))
	_, err = raw.Exec("DROP INDEX windows_keys")
	check(err)
	_, err = raw.Exec("PRAGMA user_version = 1")
	check(err)
	t0, c0 := time.Now(), cpuTime()
	db, err = embeddb.Open(path, embeddb.Options{NoIndex: true})
	check(err)
	add("migration 1 → 2 on Open (the covering index built): wall / CPU s", "%.2f / %.2f", time.Since(t0).Seconds(), (cpuTime() - c0).Seconds())
	check(db.Close())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// bytesRead is what this process has read by read(2) and pread(2), from the
// page cache or the disk (/proc/self/io's rchar; 0 where there is none): the
// bytes of the database file SQLite reads, as its page cache is small.
func bytesRead() int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var start = time.Now()

// windows makes the windows of one recording: 5 s clips every 5 s.
func windows(vs [][]float32) []embeddb.Window {
	out := make([]embeddb.Window, len(vs))
	for i, v := range vs {
		out[i] = embeddb.Window{StartSeconds: 5 * float64(i), EndSeconds: 5*float64(i) + 5, Embedding: v}
	}
	return out
}

func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

func maxRSS() string {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return fmt.Sprintf("maxrss %.0f MiB", float64(ru.Maxrss)/1024)
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchdb")

func check2[T any](_ T, err error) { check(err) }
