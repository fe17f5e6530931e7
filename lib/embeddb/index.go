package embeddb

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

// indexMagic starts every index file.
var indexMagic = [8]byte{'D', 'C', 'E', 'M', 'B', 'I', 'X', '\n'}

// IndexFileVersion is the version of the index file format (see IndexPath).
const IndexFileVersion = 1

// catchUpChunk is how many windows a catch-up reads from the database at a
// time.
const catchUpChunk = 20000

// modelIndex is one model's approximate-search index in memory: node i of
// hnsw is window ids[i]. The index always holds a prefix of the model's
// windows in id order (see the package doc), so ids is increasing and its last
// element says how far the index goes.
type modelIndex struct {
	mu     sync.Mutex
	model  Model
	path   string
	loaded bool
	hnsw   *search.HNSW // nil while the model has no windows
	ids    []int64
	// saved is how many nodes the index file holds, as far as this process
	// knows (what it last read or wrote).
	saved int
}

// IndexPath is the file that holds model's approximate-search index, next to
// the database: its path followed by ".model<ID>.hnsw". The file is, in
// little-endian numbers:
//
//	8 bytes    magic "DCEMBIX\n"
//	4          format version (uint32, 1)
//	4          length of the database's identity, then that many bytes (meta 'uuid')
//	8          model id (int64)
//	4          dimension (uint32)
//	8          n, the number of windows indexed (uint64)
//	8·n        their window ids, increasing (int64)
//	32         SHA-256 of the bytes above
//	…          the HNSW index of those windows, node i = window i of the list
//	           (lib/search's format: HNSW.WriteTo, with its own digest)
//
// It is written whole, atomically (lib/atomicfile), and only ever holds the
// model's windows up to its last id, all of them.
func (db *DB) IndexPath(model Model) string { return fmt.Sprintf("%s.model%d.hnsw", db.path, model.ID) }

// index returns model's index, loaded and caught up with the database.
func (db *DB) index(model Model) (*modelIndex, error) {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil, db.errorf("closed")
	}
	mi := db.indexes[model.ID]
	if mi == nil {
		mi = &modelIndex{model: model, path: db.IndexPath(model)}
		db.indexes[model.ID] = mi
	}
	db.mu.Unlock()
	mi.mu.Lock()
	defer mi.mu.Unlock()
	if mi.model.Dim != model.Dim || mi.model.Name != model.Name {
		return nil, db.errorf("model %d is %s of dimension %d, not %s of dimension %d", model.ID, mi.model.Name, mi.model.Dim, model.Name, model.Dim)
	}
	if !mi.loaded {
		db.loadIndex(mi)
		mi.loaded = true
	}
	if err := db.catchUp(mi); err != nil {
		return nil, err
	}
	if unsaved := len(mi.ids) - mi.saved; unsaved > 0 && unsaved >= max(db.opts.IndexSaveEvery, mi.saved/4) {
		if err := db.saveIndex(mi); err != nil {
			return nil, err
		}
	}
	return mi, nil
}

// indexAfterAdd brings model's index up to date after an AddRecording
// (loading it first when this DB has not yet).
func (db *DB) indexAfterAdd(model Model) error {
	_, err := db.index(model)
	return err
}

// Index brings model's index up to date with the database and writes its
// file: the windows added since (by this process or another) are inserted,
// nothing already indexed is rebuilt.
func (db *DB) Index(model Model) error {
	mi, err := db.index(model)
	if err != nil {
		return err
	}
	mi.mu.Lock()
	defer mi.mu.Unlock()
	return db.saveIndex(mi)
}

// Sync writes the index file of every model this DB has loaded or added
// windows to, after catching it up with the database. Close calls it.
func (db *DB) Sync() error {
	db.mu.Lock()
	var models []Model
	for _, mi := range db.indexes {
		models = append(models, mi.model)
	}
	db.mu.Unlock()
	var errs []error
	for _, m := range models {
		errs = append(errs, db.Index(m))
	}
	return errors.Join(errs...)
}

// loadIndex reads mi's file, if any, and keeps it only when it matches the
// database: same identity and model, and its windows are exactly the model's
// windows up to its last id, with the same vectors at both ends. Otherwise the
// index starts empty (and the catch-up rebuilds it), with a note saying why.
func (db *DB) loadIndex(mi *modelIndex) {
	h, ids, err := readIndexFile(mi.path, db.uuid, mi.model)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err == nil {
		err = db.checkIndex(mi.model, h, ids)
	}
	if err != nil {
		db.note("embeddb: %s: rebuilding the index of model %s: %v", db.path, mi.model.Name, err)
		return
	}
	if db.opts.HNSW.EfSearch > 0 {
		h.SetEfSearch(db.opts.HNSW.EfSearch)
	}
	h.SetWorkers(db.opts.HNSW.Workers)
	mi.hnsw, mi.ids, mi.saved = h, ids, len(ids)
}

// indexCountQuery counts a model's windows up to an id and finds the largest
// (arguments: model id, id), from windows_keys alone.
const indexCountQuery = "SELECT count(*), coalesce(max(id), 0) FROM windows WHERE model_id = ? AND id <= ?"

// checkIndex checks a loaded index against the database.
func (db *DB) checkIndex(model Model, h *search.HNSW, ids []int64) error {
	last := ids[len(ids)-1]
	var count int
	var maxID int64
	if err := db.sql.QueryRow(indexCountQuery,
		model.ID, last).Scan(&count, &maxID); err != nil {
		return err
	}
	if count != len(ids) || maxID != last {
		return fmt.Errorf("the index holds %d windows up to id %d, the database %d windows up to id %d", len(ids), last, count, maxID)
	}
	for _, node := range []int{0, len(ids) - 1} {
		var blob []byte
		if err := db.sql.QueryRow("SELECT embedding FROM windows WHERE id = ?", ids[node]).Scan(&blob); err != nil {
			return fmt.Errorf("window %d: %w", ids[node], notFound(err))
		}
		v, err := decodeEmbedding(blob, model.Dim)
		if err != nil {
			return fmt.Errorf("window %d: %w", ids[node], err)
		}
		var norm float64
		for _, x := range v {
			norm += float64(x) * float64(x)
		}
		norm = math.Sqrt(norm)
		for j, x := range h.Vector(node) {
			if math.Abs(float64(x)-float64(v[j])/norm) > 1e-6 {
				return fmt.Errorf("window %d's embedding differs from the index's vector %d", ids[node], node)
			}
		}
	}
	return nil
}

// catchUpQuery reads a chunk of a model's windows with their embeddings
// (arguments: model id, the last id indexed, the chunk's size), found through
// windows_keys, so that a catch-up reads only the model's new windows, not
// every row after them (see batchQuery).
const catchUpQuery = "SELECT id, embedding FROM windows INDEXED BY windows_keys WHERE model_id = ? AND id > ? ORDER BY id LIMIT ?"

// catchUp inserts the model's windows that follow the index's last one, in
// id order, a chunk at a time.
func (db *DB) catchUp(mi *modelIndex) error {
	var last int64
	if len(mi.ids) > 0 {
		last = mi.ids[len(mi.ids)-1]
	}
	for {
		rows, err := db.sql.Query(catchUpQuery,
			mi.model.ID, last, catchUpChunk)
		if err != nil {
			return db.errorf("indexing model %s: %w", mi.model.Name, err)
		}
		var ids []int64
		var vectors [][]float32
		for rows.Next() {
			var id int64
			var blob []byte
			if err := rows.Scan(&id, &blob); err != nil {
				rows.Close()
				return db.errorf("indexing model %s: %w", mi.model.Name, err)
			}
			v, err := decodeEmbedding(blob, mi.model.Dim)
			if err != nil {
				rows.Close()
				return db.errorf("indexing model %s: window %d: %w", mi.model.Name, id, err)
			}
			ids, vectors = append(ids, id), append(vectors, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.errorf("indexing model %s: %w", mi.model.Name, err)
		}
		if len(ids) == 0 {
			return nil
		}
		if mi.hnsw == nil {
			o := db.opts.HNSW
			mi.hnsw, err = search.NewHNSW(vectors, o)
		} else {
			err = mi.hnsw.Add(vectors)
		}
		if err != nil {
			return db.errorf("indexing model %s: windows %d–%d: %w", mi.model.Name, ids[0], ids[len(ids)-1], err)
		}
		mi.ids = append(mi.ids, ids...)
		last = ids[len(ids)-1]
	}
}

// saveIndex writes mi's file when it holds windows the file lacks, unless the
// file (written meanwhile by another process) already holds as many.
func (db *DB) saveIndex(mi *modelIndex) error {
	if mi.hnsw == nil || len(mi.ids) <= mi.saved {
		return nil
	}
	if n, err := indexFileCount(mi.path, db.uuid, mi.model); err == nil && n >= len(mi.ids) {
		mi.saved = len(mi.ids)
		return nil
	}
	err := atomicfile.Write(mi.path, func(w io.Writer) error {
		header := indexHeader(db.uuid, mi.model, mi.ids)
		if _, err := w.Write(header); err != nil {
			return err
		}
		_, err := mi.hnsw.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("embeddb: index of model %s: %w", mi.model.Name, err)
	}
	mi.saved = len(mi.ids)
	return nil
}

// indexHeader is the index file's header, digest included.
func indexHeader(uuid string, model Model, ids []int64) []byte {
	b := append([]byte(nil), indexMagic[:]...)
	b = binary.LittleEndian.AppendUint32(b, IndexFileVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(uuid)))
	b = append(b, uuid...)
	b = binary.LittleEndian.AppendUint64(b, uint64(model.ID))
	b = binary.LittleEndian.AppendUint32(b, uint32(model.Dim))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(ids)))
	for _, id := range ids {
		b = binary.LittleEndian.AppendUint64(b, uint64(id))
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// readIndexPrefix reads the header up to and including n, and checks that
// the file belongs to this database and model.
func readIndexPrefix(r io.Reader, uuid string, model Model) (n uint64, prefix []byte, err error) {
	fixed := make([]byte, 16)
	if _, err := io.ReadFull(r, fixed); err != nil {
		return 0, nil, fmt.Errorf("%w: truncated", search.ErrCorruptIndex)
	}
	if !bytes.Equal(fixed[:8], indexMagic[:]) {
		return 0, nil, fmt.Errorf("%w: bad magic %q", search.ErrCorruptIndex, fixed[:8])
	}
	if v := binary.LittleEndian.Uint32(fixed[8:]); v != IndexFileVersion {
		return 0, nil, fmt.Errorf("index file format version %d; this program reads version %d", v, IndexFileVersion)
	}
	idLen := binary.LittleEndian.Uint32(fixed[12:])
	if idLen > 256 {
		return 0, nil, fmt.Errorf("%w: identity of %d bytes", search.ErrCorruptIndex, idLen)
	}
	rest := make([]byte, int(idLen)+20)
	if _, err := io.ReadFull(r, rest); err != nil {
		return 0, nil, fmt.Errorf("%w: truncated", search.ErrCorruptIndex)
	}
	gotID := string(rest[:idLen])
	gotModel := int64(binary.LittleEndian.Uint64(rest[idLen:]))
	gotDim := binary.LittleEndian.Uint32(rest[idLen+8:])
	n = binary.LittleEndian.Uint64(rest[idLen+12:])
	switch {
	case gotID != uuid:
		return 0, nil, fmt.Errorf("the index belongs to another database (%s, this one is %s)", gotID, uuid)
	case gotModel != model.ID || int(gotDim) != model.Dim:
		return 0, nil, fmt.Errorf("the index is of model %d (dimension %d), not %d (dimension %d)", gotModel, gotDim, model.ID, model.Dim)
	}
	return n, append(fixed, rest...), nil
}

// indexFileCount returns how many windows the index file at path holds.
func indexFileCount(path, uuid string, model Model) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, _, err := readIndexPrefix(bufio.NewReader(f), uuid, model)
	return int(n), err
}

// readIndexFile reads an index file (see IndexPath).
func readIndexFile(path, uuid string, model Model) (*search.HNSW, []int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	n, prefix, err := readIndexPrefix(r, uuid, model)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if n == 0 || n > math.MaxInt32 {
		return nil, nil, fmt.Errorf("%s: %w: %d windows", path, search.ErrCorruptIndex, n)
	}
	digest := sha256.New()
	digest.Write(prefix)
	ids := make([]int64, 0, min(n, 1<<16))
	buf := make([]byte, 8)
	for i := range n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, nil, fmt.Errorf("%s: %w: truncated", path, search.ErrCorruptIndex)
		}
		digest.Write(buf)
		id := int64(binary.LittleEndian.Uint64(buf))
		if i > 0 && id <= ids[i-1] {
			return nil, nil, fmt.Errorf("%s: %w: window ids not increasing at %d", path, search.ErrCorruptIndex, i)
		}
		ids = append(ids, id)
	}
	sum := make([]byte, sha256.Size)
	if _, err := io.ReadFull(r, sum); err != nil || !bytes.Equal(sum, digest.Sum(nil)) {
		return nil, nil, fmt.Errorf("%s: %w: the header's SHA-256 digest does not match", path, search.ErrCorruptIndex)
	}
	h, err := search.ReadHNSW(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := r.ReadByte(); err == nil {
		return nil, nil, fmt.Errorf("%s: %w: data after the index", path, search.ErrCorruptIndex)
	}
	if h.Len() != len(ids) || h.Dim() != model.Dim {
		return nil, nil, fmt.Errorf("%s: %w: %d windows listed, %d of dimension %d indexed", path, search.ErrCorruptIndex, len(ids), h.Len(), h.Dim())
	}
	return h, ids, nil
}

// Hit is one search result: a window, where it comes from, and its cosine
// similarity to the query.
type Hit struct {
	WindowID, RecordingID    int64
	File                     string
	StartSeconds, EndSeconds float64
	Score                    float32
}

// Search returns the k windows of model most similar to query by cosine
// similarity (approximately: the model's HNSW index, caught up first with
// every window in the database), best first, with their keys. k larger than
// the number of windows returns them all.
func (db *DB) Search(model Model, query []float32, k int) ([]Hit, error) {
	mi, err := db.index(model)
	if err != nil {
		return nil, err
	}
	mi.mu.Lock()
	h, ids := mi.hnsw, mi.ids
	mi.mu.Unlock()
	if h == nil {
		return nil, db.errorf("no windows of model %s to search", model.Name)
	}
	found, err := h.Search(query, min(k, len(ids)))
	if err != nil {
		return nil, db.errorf("searching model %s: %w", model.Name, err)
	}
	hits := make([]Hit, len(found))
	for i, f := range found {
		hits[i] = Hit{WindowID: ids[f.Index], Score: f.Score}
	}
	return hits, db.fillKeys(hits)
}

// fillKeys fills in the recordings and spans of hits' windows.
func (db *DB) fillKeys(hits []Hit) error {
	if len(hits) == 0 {
		return nil
	}
	args := make([]any, len(hits))
	at := make(map[int64]int, len(hits))
	for i, h := range hits {
		args[i] = h.WindowID
		at[h.WindowID] = i
	}
	rows, err := db.sql.Query(`SELECT w.id, w.recording_id, r.file, w.start_seconds, w.end_seconds
		FROM windows w JOIN recordings r ON r.id = w.recording_id
		WHERE w.id IN (?`+strings.Repeat(", ?", len(hits)-1)+`)`, args...)
	if err != nil {
		return db.errorf("reading the keys of hits: %w", err)
	}
	defer rows.Close()
	filled := 0
	for rows.Next() {
		var id int64
		var h Hit
		if err := rows.Scan(&id, &h.RecordingID, &h.File, &h.StartSeconds, &h.EndSeconds); err != nil {
			return db.errorf("reading the keys of hits: %w", err)
		}
		i := at[id]
		hits[i].RecordingID, hits[i].File, hits[i].StartSeconds, hits[i].EndSeconds = h.RecordingID, h.File, h.StartSeconds, h.EndSeconds
		filled++
	}
	if err := rows.Err(); err != nil {
		return db.errorf("reading the keys of hits: %w", err)
	}
	if filled != len(hits) {
		return db.errorf("%d of %d hits' windows are not in the database", len(hits)-filled, len(hits))
	}
	return nil
}

func (db *DB) note(format string, args ...any) {
	if db.opts.Notes != nil {
		fmt.Fprintf(db.opts.Notes, format+"\n", args...)
	}
}

// markPending registers model's index, unloaded, so that Sync and Close
// catch it up and write it.
func (db *DB) markPending(model Model) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.indexes[model.ID] == nil {
		db.indexes[model.ID] = &modelIndex{model: model, path: db.IndexPath(model)}
	}
}
