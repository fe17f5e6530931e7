// Package embeddb keeps the embeddings of an archive of recordings in a
// database, so that a large archive is embedded once and then searched,
// labelled and exported as often as needed: perch-hoplite's idea (deployments
// → recordings → windows with embeddings, and annotations) in one SQLite file,
// with an approximate-search index per model beside it.
//
// # The driver
//
// SQLite runs through modernc.org/sqlite, SQLite's C source translated to Go:
// no cgo, so `CGO_ENABLED=0 go build` gives static binaries for every
// platform Go targets (the Beam workers cross-compile that way), with all of
// SQLite — WAL, STRICT tables, foreign keys, integrity checks — and it is the
// most used of the pure-Go drivers. github.com/ncruces/go-sqlite3 runs SQLite
// compiled to WebAssembly under wazero (fast only where wazero compiles, and a
// younger file-locking layer); github.com/glebarez/go-sqlite wraps
// modernc.org/sqlite. Version v1.57.0 is pinned because later ones need a newer
// golang.org/x/tools than the tools this module pins.
//
// # Schema (version 2)
//
//	meta         (key, value)                      the database's identity ('uuid')
//	deployments  (id, name, project, latitude, longitude)       unique (name, project)
//	recordings   (id, deployment_id, file, start_time, duration_seconds, content_sha256)
//	                                                file unique: the recording's key
//	models       (id, name, settings JSON, dim)    unique (name, settings)
//	windows      (id, recording_id, model_id, start_seconds, end_seconds,
//	              embedding: dim little-endian float32)
//	                                                index windows_keys (model_id, id, recording_id,
//	                                                start_seconds, end_seconds), version 2: key
//	                                                passes read it, not the vectors' pages
//	embedded     (recording_id, model_id, windows, added_at)
//	                                                a recording's windows for a model are in
//	annotations  (id, recording_id, start_seconds, end_seconds, label,
//	              label_type 0 negative / 1 positive / 2 uncertain,
//	              provenance: who or what, created_at: when, RFC 3339 UTC)
//
// Times are seconds from the start of the recording; timestamps are RFC 3339
// text in UTC. Tables are STRICT (SQLite checks every value's type) and ids
// AUTOINCREMENT (never reused). As in perch-hoplite an annotation belongs to a
// span of a recording, so it holds for every model's windows that overlap it.
// PRAGMA user_version holds the schema version and PRAGMA application_id marks
// the file as an embedding database. Schema changes are migrations, appended,
// never edited, applied by Open in one transaction (see migrations in
// schema.go); a database newer than the program is refused. Version 2 added
// the covering index windows_keys: a version-1 file is migrated when it is
// first opened (a few seconds at 1,000,000 windows; another process opening
// it meanwhile waits for the migration's transaction, up to BusyTimeout).
//
// # Writers
//
// A recording and all of its windows for a model go in in one transaction,
// marked done in `embedded` in the same transaction: after a crash a recording
// is in whole or not at all, and a resumed run skips what Embedded reports.
// The database runs in WAL mode (readers never wait for the writer) with
// synchronous=FULL (a committed transaction survives a power cut), foreign
// keys on, and write transactions that take SQLite's write lock when they
// begin and wait up to Options.BusyTimeout for another's: two processes (or
// goroutines) may add recordings at the same time; their transactions run one
// after the other (TestTwoProcesses checks counts and integrity after two
// processes wrote at once).
//
// # The index and its consistency with the database
//
// Each model has an HNSW index (lib/search) in a file next to the database
// (IndexPath: the graph, its unit vectors, and the window id of each node).
// Its invariant: it holds the model's windows with ids up to its last one, all
// of them, and no other. Window ids only grow, and since write transactions
// run one at a time, a window committed later has a larger id: every
// snapshot of the windows table is a prefix in id order. So catching up is
// one query — the model's windows with an id above the index's last, in id
// order — and HNSW.Add inserts them: adding recordings never rebuilds what is
// indexed. A DB catches its indexes up after each AddRecording (or, with
// Options.IndexLater, at the next Search, Index, Sync or Close; with
// Options.NoIndex, not until a Search or Index call, maybe by another DB) and
// before each Search, so a search sees every committed window, also those
// other processes added.
//
// The file is rewritten whole and atomically (temporary file, fsync, rename)
// on Close, Sync and Index, and after Options.IndexSaveEvery new windows (at
// least a quarter of what the file held, so the writes of a growing archive
// add up to O(final size)). After a crash the file lags the database by the
// windows added since it was written; Open's catch-up inserts them. On loading
// it is checked against the database: its header digest and the HNSW digest,
// the database's identity, the model, the number of the model's windows up to
// its last id, and the vectors of its first and last windows. A file that
// fails (damaged, of another database, or ahead of the database because an
// older copy of the database was put back) is rebuilt from the database, with
// a note to Options.Notes. Two processes may write the file: each writes a
// valid prefix, and one never replaces the file with a shorter one it finds
// there.
//
// Windows are never deleted: nothing here removes rows (the index cannot drop
// nodes).
package embeddb
