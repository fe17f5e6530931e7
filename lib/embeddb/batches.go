package embeddb

import (
	"database/sql"
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// DefaultBatch is the batch size of EachBatch when it is given n ≤ 0.
const DefaultBatch = 4096

// EachBatch calls fn with every window of model, in window id order (the order
// of Embeddings), n at a time (the last batch may be shorter): keys[i] and
// vectors[i] are one window. Only one batch is in memory at a time, so a pass
// over an archive costs O(n × dim), not O(windows × dim). The vectors share a
// buffer that the next batch overwrites: fn must copy what it keeps (keys
// may be kept). Each batch is its own query (windows after the last id seen),
// so fn may write to the database; windows added meanwhile with higher ids
// are visited too. An error from fn stops the pass and is returned.
func (db *DB) EachBatch(model Model, n int, fn func(keys []embed.Key, vectors [][]float32) error) error {
	if n <= 0 {
		n = DefaultBatch
	}
	if model.Dim <= 0 {
		return db.errorf("model %s: dimension %d", model.Name, model.Dim)
	}
	flat := make([]float32, n*model.Dim)
	vectors := make([][]float32, n)
	for i := range vectors {
		vectors[i] = flat[i*model.Dim : (i+1)*model.Dim : (i+1)*model.Dim]
	}
	return db.eachBatch(model, n, func(i int, id int64, blob sql.RawBytes) error {
		if err := decodeInto(vectors[i], blob); err != nil {
			return fmt.Errorf("window %d: %w", id, err)
		}
		return nil
	}, func(keys []embed.Key) error { return fn(keys, vectors[:len(keys)]) })
}

// EachKeyBatch is EachBatch for the keys alone: its query does not select the
// embedding column, so no vector is read out of SQLite, decoded or copied
// (what a pass that only needs the windows' keys, such as agile.OpenKeys,
// calls). The keys are those EachBatch gives, in the same order and batches.
func (db *DB) EachKeyBatch(model Model, n int, fn func(keys []embed.Key) error) error {
	if n <= 0 {
		n = DefaultBatch
	}
	return db.eachBatch(model, n, nil, fn)
}

// eachBatch is the pass of EachBatch and EachKeyBatch: batches of up to n
// windows of model in id order, each a query for the ids after the last seen;
// vector, when not nil, is given each window's place in its batch and its
// embedding's bytes (nil: the embedding column is not selected); fn gets each
// batch's keys.
func (db *DB) eachBatch(model Model, n int, vector func(i int, id int64, blob sql.RawBytes) error, fn func(keys []embed.Key) error) error {
	var last int64 = math.MinInt64
	file := "" // the last file name, shared by consecutive windows of a recording
	for {
		keys := make([]embed.Key, 0, n)
		got, err := db.batch(model, last, n, vector != nil, func(id int64, f sql.RawBytes, k embed.Key, blob sql.RawBytes) error {
			if string(f) != file {
				file = string(f)
			}
			k.File = file
			if vector != nil {
				if err := vector(len(keys), id, blob); err != nil {
					return err
				}
			}
			keys = append(keys, k)
			last = id
			return nil
		})
		if err != nil {
			return err
		}
		if got == 0 {
			return nil
		}
		if err := fn(keys); err != nil {
			return err
		}
		if got < n {
			return nil
		}
	}
}

// batchQuery is the query of one batch (arguments: model id, the last id
// seen, n). Without the embedding it is answered from the covering index
// windows_keys (schema version 2) alone. With it, the rows are found through
// windows_keys (INDEXED BY) and read from the table: the index seeks to the
// model's windows after the last id, where a scan of the table in id order
// would walk every other model's rows and vectors too (a database holds one
// model per extractor and settings). In a database of one model the index's
// pages are read besides the table's (583 MiB against 559 at 1,000,000 windows
// of 128 dimensions) for no more CPU (lib/cmd/benchdb's RESULTS.md). A test
// checks both plans with EXPLAIN QUERY PLAN.
func batchQuery(withEmbedding bool) string {
	if withEmbedding {
		return `SELECT w.id, r.file, w.start_seconds, w.end_seconds, w.embedding
		FROM windows w INDEXED BY windows_keys JOIN recordings r ON r.id = w.recording_id WHERE w.model_id = ? AND w.id > ? ORDER BY w.id LIMIT ?`
	}
	return `SELECT w.id, r.file, w.start_seconds, w.end_seconds
		FROM windows w JOIN recordings r ON r.id = w.recording_id WHERE w.model_id = ? AND w.id > ? ORDER BY w.id LIMIT ?`
}

// batch reads up to n windows of model with ids above after, in id order,
// passing each to row (with its embedding's bytes when withEmbedding, else
// nil: the column is not selected), and returns how many it read.
func (db *DB) batch(model Model, after int64, n int, withEmbedding bool, row func(id int64, file sql.RawBytes, k embed.Key, blob sql.RawBytes) error) (int, error) {
	rows, err := db.sql.Query(batchQuery(withEmbedding), model.ID, after, n)
	if err != nil {
		return 0, db.errorf("reading the embeddings of model %s: %w", model.Name, err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int64
		var file, blob sql.RawBytes
		var k embed.Key
		dest := []any{&id, &file, &k.StartSeconds, &k.EndSeconds}
		if withEmbedding {
			dest = append(dest, &blob)
		}
		if err := rows.Scan(dest...); err != nil {
			return got, db.errorf("reading the embeddings of model %s: %w", model.Name, err)
		}
		if err := row(id, file, k, blob); err != nil {
			return got, db.errorf("%w", err)
		}
		got++
	}
	return got, db.wrap(rows.Err(), "reading the embeddings of model %s", model.Name)
}
