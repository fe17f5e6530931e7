package embeddb

import (
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/dawnchorus/dawnchorus/lib/search"
)

// Options configures Open. The zero value is ready to use.
type Options struct {
	// HNSW are the options of a model's index when it is built (M,
	// EfConstruction, Seed); an index read from its file keeps those it was
	// built with. EfSearch and Workers apply to every index (defaults: the
	// lib/search defaults).
	HNSW search.HNSWOptions
	// IndexLater, when true, leaves new windows out of the index until the next
	// Search, Index, Sync or Close call (Close calls Sync), which then inserts
	// them all at once and writes the index file (for bulk loading: the index
	// is built once, at the end, not recording by recording). By default
	// AddRecording inserts its windows into the model's index (when that index
	// is in memory) right after the transaction commits.
	IndexLater bool
	// NoIndex, when true, builds and writes no index for the windows this DB
	// adds: AddRecording leaves the index as it is, and so do Sync and Close
	// for every model this DB has not searched or indexed, so a program that
	// never searches (a bulk load whose index is built later, a pass that
	// scores every window) pays nothing for one. The database stays whole:
	// the next DB that searches, or calls Index, catches the index up from
	// the windows table (see the package doc). Search and Index still load,
	// build and write the index of the model they are called on, and once a
	// model's index is in memory, Sync and Close catch it up (with the
	// windows added since, this DB's too) and write its file, as without
	// NoIndex.
	NoIndex bool
	// IndexSaveEvery is how many windows an index gains before its file is
	// rewritten, at least a quarter of what the file held: a growing archive
	// then costs O(total) in index writes [20,000]. Close and Sync write it
	// whatever the count.
	IndexSaveEvery int
	// BusyTimeout is how long a write waits for another process's write
	// transaction to finish before failing [60 s].
	BusyTimeout time.Duration
	// Notes, when not nil, receives one line for each index that was rebuilt
	// or caught up on open, and why.
	Notes io.Writer
}

func (o Options) withDefaults() Options {
	if o.IndexSaveEvery <= 0 {
		o.IndexSaveEvery = 20000
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = time.Minute
	}
	return o
}

// DB is an open embedding database: a SQLite file and, next to it, one
// approximate-search index file per model (see the package doc). Its methods
// are safe for concurrent use, and other processes may use the same files at
// the same time.
type DB struct {
	path string
	sql  *sql.DB
	opts Options
	uuid string

	mu      sync.Mutex
	indexes map[int64]*modelIndex
	closed  bool
}

// dsn is the driver's name for path with the settings every connection gets:
// WAL journal (readers never block the writer), FULL sync (a committed
// transaction survives a power cut, so an index saved after it never holds a
// window the database lost), foreign keys on, a busy timeout, and write
// transactions that take the write lock when they begin (BEGIN IMMEDIATE), so
// that two writers wait for each other instead of failing on a lock upgrade.
func dsn(path string, busy time.Duration) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return fmt.Sprintf("file:%s?_busy_timeout=%d&_synchronous=FULL&_foreign_keys=1&_txlock=immediate",
		escaped, busy.Milliseconds())
}

// setWAL puts the database in WAL mode (a setting kept in the file). Turning a
// new file to WAL while another process opens it may fail with SQLITE_BUSY
// without waiting for the busy timeout, so it is retried until the timeout.
func setWAL(db *sql.DB, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		var mode string
		err := db.QueryRow("PRAGMA journal_mode = WAL").Scan(&mode)
		switch {
		case err == nil && mode != "wal":
			return fmt.Errorf("journal mode %q, want wal", mode)
		case err == nil:
			return nil
		case !isBusy(err) || time.Now().After(deadline):
			return fmt.Errorf("setting WAL mode: %w", err)
		}
		time.Sleep(wait)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (the database is locked).
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Remove deletes the database at path and the files that go with it: SQLite's
// journal (path-wal, path-shm) and the saved HNSW indices (path.model<ID>.hnsw,
// IndexPath). Files that are not there are no error; the database must not be
// open. The database file goes last: SQLite replays a -wal file it finds next
// to a database into it, so a stale journal left beside a new database by a
// removal that stopped half way would corrupt that database; when a companion
// file cannot be removed, the error comes back with the database still there.
func Remove(path string) error {
	files := []string{path + "-wal", path + "-shm"}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	base := filepath.Base(path)
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, base+".model") && strings.HasSuffix(name, ".hnsw") {
			files = append(files, filepath.Join(filepath.Dir(path), name))
		}
	}
	for _, p := range append(files, path) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Open opens the database at path, creating it when missing (its directory
// must exist), and brings its schema to SchemaVersion (see migrations). A
// file that is not an embedding database, or one of a newer schema, is an
// error naming the file.
func Open(path string, o Options) (*DB, error) {
	o = o.withDefaults()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("embeddb: %s: %w", path, err)
	}
	sqlDB, err := sql.Open("sqlite", dsn(abs, o.BusyTimeout))
	if err != nil {
		return nil, fmt.Errorf("embeddb: %s: %w", path, err)
	}
	db := &DB{path: path, sql: sqlDB, opts: o, indexes: map[int64]*modelIndex{}}
	if err := setWAL(sqlDB, o.BusyTimeout); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("embeddb: %s: %w", path, err)
	}
	if err := migrate(sqlDB); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("embeddb: %s: %w", path, err)
	}
	if err := sqlDB.QueryRow("SELECT value FROM meta WHERE key = 'uuid'").Scan(&db.uuid); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("embeddb: %s: reading its identity: %w", path, err)
	}
	return db, nil
}

// Path returns the path the database was opened with.
func (db *DB) Path() string { return db.path }

// Close writes every index that gained windows since it was last written
// (see Sync), then closes the database. The first error is returned; the
// database is closed whatever happens.
func (db *DB) Close() error {
	err := db.Sync()
	db.mu.Lock()
	db.closed = true
	db.mu.Unlock()
	if cerr := db.sql.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("embeddb: %s: %w", db.path, cerr)
	}
	return err
}

// Deployment is a place where recordings were made (a site, a recorder),
// within a project.
type Deployment struct {
	ID      int64
	Name    string
	Project string
	// Latitude and Longitude are in decimal degrees; nil when unknown.
	Latitude, Longitude *float64
}

// AddDeployment returns the deployment of that name and project, adding it
// when missing (with d's coordinates).
func (db *DB) AddDeployment(d Deployment) (Deployment, error) {
	if d.Name == "" {
		return d, errors.New("embeddb: a deployment needs a name")
	}
	tx, err := db.sql.Begin()
	if err != nil {
		return d, db.errorf("adding deployment %q: %w", d.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO deployments (name, project, latitude, longitude) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, project) DO NOTHING`, d.Name, d.Project, d.Latitude, d.Longitude); err != nil {
		return d, db.errorf("adding deployment %q: %w", d.Name, err)
	}
	var lat, lon sql.NullFloat64
	if err := tx.QueryRow("SELECT id, latitude, longitude FROM deployments WHERE name = ? AND project = ?",
		d.Name, d.Project).Scan(&d.ID, &lat, &lon); err != nil {
		return d, db.errorf("adding deployment %q: %w", d.Name, err)
	}
	d.Latitude, d.Longitude = floatOrNil(lat), floatOrNil(lon)
	return d, db.wrap(tx.Commit(), "adding deployment %q", d.Name)
}

// Deployments lists the deployments, by id.
func (db *DB) Deployments() ([]Deployment, error) {
	rows, err := db.sql.Query("SELECT id, name, project, latitude, longitude FROM deployments ORDER BY id")
	if err != nil {
		return nil, db.errorf("listing deployments: %w", err)
	}
	defer rows.Close()
	var out []Deployment
	for rows.Next() {
		var d Deployment
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&d.ID, &d.Name, &d.Project, &lat, &lon); err != nil {
			return nil, db.errorf("listing deployments: %w", err)
		}
		d.Latitude, d.Longitude = floatOrNil(lat), floatOrNil(lon)
		out = append(out, d)
	}
	return out, db.wrap(rows.Err(), "listing deployments")
}

// Model says what computed a set of embeddings: a model's name and every
// setting that changes its vectors (layer, pooling, clip length, overlap,
// sample rate, weights' digest, …), as JSON, and the vectors' dimension.
// Windows of different models (or settings) are never compared: each model
// has its own index.
type Model struct {
	ID       int64
	Name     string
	Settings string // JSON
	Dim      int
}

// AddModel returns the model of that name and settings, adding it when
// missing. Settings are stored as JSON (json.Marshal: map keys sorted, struct
// fields in order), so equal settings give the same model. A model known by
// the same name and settings with another dimension is an error.
func (db *DB) AddModel(name string, settings any, dim int) (Model, error) {
	m := Model{Name: name, Dim: dim}
	if name == "" || dim <= 0 {
		return m, fmt.Errorf("embeddb: model %q of dimension %d: want a name and a positive dimension", name, dim)
	}
	js, err := json.Marshal(settings)
	if err != nil {
		return m, fmt.Errorf("embeddb: model %s: settings: %w", name, err)
	}
	m.Settings = string(js)
	tx, err := db.sql.Begin()
	if err != nil {
		return m, db.errorf("adding model %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO models (name, settings, dim) VALUES (?, ?, ?) ON CONFLICT (name, settings) DO NOTHING`,
		name, m.Settings, dim); err != nil {
		return m, db.errorf("adding model %s: %w", name, err)
	}
	var known int
	if err := tx.QueryRow("SELECT id, dim FROM models WHERE name = ? AND settings = ?", name, m.Settings).Scan(&m.ID, &known); err != nil {
		return m, db.errorf("adding model %s: %w", name, err)
	}
	if known != dim {
		return m, db.errorf("model %s %s holds vectors of dimension %d, not %d", name, m.Settings, known, dim)
	}
	return m, db.wrap(tx.Commit(), "adding model %s", name)
}

// Models lists the models, by id.
func (db *DB) Models() ([]Model, error) {
	rows, err := db.sql.Query("SELECT id, name, settings, dim FROM models ORDER BY id")
	if err != nil {
		return nil, db.errorf("listing models: %w", err)
	}
	defer rows.Close()
	var out []Model
	for rows.Next() {
		var m Model
		if err := rows.Scan(&m.ID, &m.Name, &m.Settings, &m.Dim); err != nil {
			return nil, db.errorf("listing models: %w", err)
		}
		out = append(out, m)
	}
	return out, db.wrap(rows.Err(), "listing models")
}

// Recording is one audio file. File is its path as the caller names it (the
// key of its windows, and unique in a database).
type Recording struct {
	ID           int64
	DeploymentID int64 // 0: none
	File         string
	// StartTime is when the recording began (zero when unknown); stored in UTC.
	StartTime       time.Time
	DurationSeconds float64 // 0 when unknown
	// ContentSHA256 is the hex SHA-256 of the file's bytes ("" when not
	// given), so that a changed file can be told from the one embedded.
	ContentSHA256 string
}

// Window is one clip of a recording and its embedding by one model: the clip
// spans [StartSeconds, EndSeconds) from the start of the recording.
type Window struct {
	ID                       int64
	RecordingID              int64
	ModelID                  int64
	StartSeconds, EndSeconds float64
	Embedding                []float32
}

// ErrAlreadyEmbedded is returned (wrapped) by AddRecording when the recording
// already has its windows for that model.
var ErrAlreadyEmbedded = errors.New("already embedded with this model")

// AddRecording adds a recording (or finds it by File) and its windows'
// embeddings by model, all in one transaction: after a crash either all of
// them are in or none. A recording whose windows for that model are already
// in is left as it is, with an error wrapping ErrAlreadyEmbedded; a recording
// known with another ContentSHA256 is an error (the file changed). windows
// may be empty (a file shorter than one clip): the recording is still marked
// as done for the model (Embedded). Embeddings must have the model's
// dimension and finite values, not all zero (a zero vector has no direction
// to search by), and each window 0 ≤ start < end. It returns
// the recording with its ID.
func (db *DB) AddRecording(rec Recording, model Model, windows []Window) (Recording, error) {
	if rec.File == "" {
		return rec, errors.New("embeddb: a recording needs a file name")
	}
	for i, w := range windows {
		if err := checkWindow(w, model.Dim); err != nil {
			return rec, fmt.Errorf("embeddb: %s: window %d (%g–%g s): %w", rec.File, i, w.StartSeconds, w.EndSeconds, err)
		}
	}
	tx, err := db.sql.Begin()
	if err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	defer tx.Rollback()
	var known, sum string
	var knownDim int
	if err := tx.QueryRow("SELECT name, dim FROM models WHERE id = ?", model.ID).Scan(&known, &knownDim); err != nil {
		return rec, db.errorf("adding %s: model %d (%s): %w", rec.File, model.ID, model.Name, notFound(err))
	}
	if knownDim != model.Dim {
		return rec, db.errorf("adding %s: model %d (%s) has dimension %d, not %d", rec.File, model.ID, known, knownDim, model.Dim)
	}
	var deployment any
	if rec.DeploymentID != 0 {
		deployment = rec.DeploymentID
	}
	var start any
	if !rec.StartTime.IsZero() {
		start = rec.StartTime.UTC().Format(time.RFC3339Nano)
	}
	if _, err := tx.Exec(`INSERT INTO recordings (deployment_id, file, start_time, duration_seconds, content_sha256)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (file) DO NOTHING`,
		deployment, rec.File, start, nullFloat(zeroNaN(rec.DurationSeconds)), rec.ContentSHA256); err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	if err := tx.QueryRow("SELECT id, content_sha256 FROM recordings WHERE file = ?", rec.File).Scan(&rec.ID, &sum); err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	if rec.ContentSHA256 != "" && sum != "" && sum != rec.ContentSHA256 {
		return rec, db.errorf("adding %s: the file changed since it was added (SHA-256 %s, now %s)", rec.File, sum, rec.ContentSHA256)
	}
	var done int
	if err := tx.QueryRow("SELECT count(*) FROM embedded WHERE recording_id = ? AND model_id = ?", rec.ID, model.ID).Scan(&done); err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	if done > 0 {
		return rec, db.errorf("adding %s: model %s: %w", rec.File, model.Name, ErrAlreadyEmbedded)
	}
	stmt, err := tx.Prepare("INSERT INTO windows (recording_id, model_id, start_seconds, end_seconds, embedding) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	defer stmt.Close()
	blob := make([]byte, 4*model.Dim)
	for _, w := range windows {
		encodeEmbedding(blob, w.Embedding)
		if _, err := stmt.Exec(rec.ID, model.ID, w.StartSeconds, w.EndSeconds, blob); err != nil {
			return rec, db.errorf("adding %s: window at %g s: %w", rec.File, w.StartSeconds, err)
		}
	}
	if _, err := tx.Exec("INSERT INTO embedded (recording_id, model_id, windows, added_at) VALUES (?, ?, ?, ?)",
		rec.ID, model.ID, len(windows), now()); err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	if err := tx.Commit(); err != nil {
		return rec, db.errorf("adding %s: %w", rec.File, err)
	}
	switch {
	case db.opts.NoIndex:
	case db.opts.IndexLater:
		db.markPending(model)
	case len(windows) > 0:
		if err := db.indexAfterAdd(model); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// checkWindow checks a window's span and embedding.
func checkWindow(w Window, dim int) error {
	switch {
	case !(w.StartSeconds >= 0) || !(w.EndSeconds > w.StartSeconds) || math.IsInf(w.EndSeconds, 0):
		return errors.New("want 0 ≤ start < end")
	case len(w.Embedding) != dim:
		return fmt.Errorf("embedding of %d values, the model's dimension is %d", len(w.Embedding), dim)
	}
	zero := true
	for j, x := range w.Embedding {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("embedding value %d is %v", j, x)
		}
		zero = zero && x == 0
	}
	if zero {
		return fmt.Errorf("embedding: %w", search.ErrZeroVector)
	}
	return nil
}

// Embedded reports whether file's windows for model are all in the database
// (what a resumed run skips).
func (db *DB) Embedded(file string, model Model) (bool, error) {
	var n int
	err := db.sql.QueryRow(`SELECT count(*) FROM embedded JOIN recordings ON recordings.id = embedded.recording_id
		WHERE recordings.file = ? AND embedded.model_id = ?`, file, model.ID).Scan(&n)
	return n > 0, db.wrap(err, "checking %s", file)
}

// Recordings lists the recordings, by id.
func (db *DB) Recordings() ([]Recording, error) { return db.recordingsWhere("") }

// recordingsWhere lists the recordings that a WHERE clause (with its
// arguments) selects, by id.
func (db *DB) recordingsWhere(where string, args ...any) ([]Recording, error) {
	rows, err := db.sql.Query("SELECT id, deployment_id, file, start_time, duration_seconds, content_sha256 FROM recordings "+where+" ORDER BY id", args...)
	if err != nil {
		return nil, db.errorf("listing recordings: %w", err)
	}
	defer rows.Close()
	var out []Recording
	for rows.Next() {
		var r Recording
		var dep sql.NullInt64
		var start sql.NullString
		var dur sql.NullFloat64
		if err := rows.Scan(&r.ID, &dep, &r.File, &start, &dur, &r.ContentSHA256); err != nil {
			return nil, db.errorf("listing recordings: %w", err)
		}
		r.DeploymentID, r.DurationSeconds = dep.Int64, dur.Float64
		if start.Valid {
			if r.StartTime, err = time.Parse(time.RFC3339Nano, start.String); err != nil {
				return nil, db.errorf("recording %s: start time %q: %w", r.File, start.String, err)
			}
		}
		out = append(out, r)
	}
	return out, db.wrap(rows.Err(), "listing recordings")
}

// Windows returns a recording's windows for model, by start time, with their
// embeddings.
func (db *DB) Windows(recordingID int64, model Model) ([]Window, error) {
	rows, err := db.sql.Query(`SELECT id, start_seconds, end_seconds, embedding FROM windows
		WHERE recording_id = ? AND model_id = ? ORDER BY start_seconds, id`, recordingID, model.ID)
	if err != nil {
		return nil, db.errorf("reading windows of recording %d: %w", recordingID, err)
	}
	defer rows.Close()
	var out []Window
	for rows.Next() {
		w := Window{RecordingID: recordingID, ModelID: model.ID}
		var blob []byte
		if err := rows.Scan(&w.ID, &w.StartSeconds, &w.EndSeconds, &blob); err != nil {
			return nil, db.errorf("reading windows of recording %d: %w", recordingID, err)
		}
		if w.Embedding, err = decodeEmbedding(blob, model.Dim); err != nil {
			return nil, db.errorf("window %d: %w", w.ID, err)
		}
		out = append(out, w)
	}
	return out, db.wrap(rows.Err(), "reading windows of recording %d", recordingID)
}

// Counts are the numbers of rows of each kind.
type Counts struct {
	Deployments, Recordings, Models, Windows, Annotations int
}

// Count counts the rows of each table.
func (db *DB) Count() (Counts, error) {
	var c Counts
	err := db.sql.QueryRow(`SELECT (SELECT count(*) FROM deployments), (SELECT count(*) FROM recordings),
		(SELECT count(*) FROM models), (SELECT count(*) FROM windows), (SELECT count(*) FROM annotations)`).
		Scan(&c.Deployments, &c.Recordings, &c.Models, &c.Windows, &c.Annotations)
	return c, db.wrap(err, "counting")
}

// CountWindows counts the windows of one model.
func (db *DB) CountWindows(model Model) (int, error) {
	var n int
	err := db.sql.QueryRow("SELECT count(*) FROM windows WHERE model_id = ?", model.ID).Scan(&n)
	return n, db.wrap(err, "counting windows of model %s", model.Name)
}

// CheckIntegrity runs SQLite's integrity and foreign-key checks and returns an
// error listing what they found, or nil.
func (db *DB) CheckIntegrity() error {
	var problems []string
	rows, err := db.sql.Query("PRAGMA integrity_check")
	if err != nil {
		return db.errorf("integrity check: %w", err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	fk, err := db.sql.Query("PRAGMA foreign_key_check")
	if err != nil {
		return db.errorf("foreign key check: %w", err)
	}
	for fk.Next() {
		var table, parent string
		var rowid, index sql.NullInt64
		fk.Scan(&table, &rowid, &parent, &index)
		problems = append(problems, fmt.Sprintf("%s row %d: no %s row", table, rowid.Int64, parent))
	}
	fk.Close()
	if len(problems) > 0 {
		return db.errorf("integrity: %s", strings.Join(problems, "; "))
	}
	return nil
}

// encodeEmbedding writes v into blob as little-endian float32 (4·len(v) bytes).
func encodeEmbedding(blob []byte, v []float32) {
	for j, x := range v {
		binary.LittleEndian.PutUint32(blob[4*j:], math.Float32bits(x))
	}
}

// decodeEmbedding reads a little-endian float32 blob of dim values.
func decodeEmbedding(blob []byte, dim int) ([]float32, error) {
	v := make([]float32, dim)
	if err := decodeInto(v, blob); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeInto decodes blob, little-endian float32s, into v, whose length is the
// embedding's dimension.
func decodeInto(v []float32, blob []byte) error {
	if len(blob) != 4*len(v) {
		return fmt.Errorf("embedding of %d bytes, want %d (dimension %d)", len(blob), 4*len(v), len(v))
	}
	for j := range v {
		v[j] = math.Float32frombits(binary.LittleEndian.Uint32(blob[4*j:]))
	}
	return nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func nullFloat(x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return x
}

func zeroNaN(x float64) float64 {
	if x == 0 {
		return math.NaN()
	}
	return x
}

func floatOrNil(x sql.NullFloat64) *float64 {
	if !x.Valid {
		return nil
	}
	return &x.Float64
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("not in the database")
	}
	return err
}

// errorf returns an error prefixed with the package and the database's path.
func (db *DB) errorf(format string, args ...any) error {
	return fmt.Errorf("embeddb: %s: %w", db.path, fmt.Errorf(format, args...))
}

// wrap returns nil for a nil err, else errorf(what: err).
func (db *DB) wrap(err error, what string, args ...any) error {
	if err == nil {
		return nil
	}
	return db.errorf("%s: %w", fmt.Sprintf(what, args...), err)
}
