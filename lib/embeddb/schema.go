package embeddb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
)

// applicationID marks a SQLite file as an embedding database (PRAGMA
// application_id, the bytes "DCDB"), so that Open refuses other SQLite files
// instead of adding tables to them.
const applicationID = 0x44434442

// migrations[v] brings a database from schema version v to v+1 (PRAGMA
// user_version holds the version; 0 is an empty file). The rule: a released
// migration is never edited; a schema change appends one migration, which
// must keep every row (ALTER TABLE … ADD COLUMN with a default, or a new
// table filled from the old ones), and SchemaVersion follows. Open applies the
// missing ones in one transaction, so a database is at one version or the
// next, never between; a database newer than this program is refused, never
// written.
var migrations = []string{
	// 0 → 1: the schema after perch-hoplite's: deployments → recordings →
	// windows (with their embeddings, per model) and annotations.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE deployments (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	name      TEXT NOT NULL,
	project   TEXT NOT NULL DEFAULT '',
	latitude  REAL,
	longitude REAL,
	UNIQUE (name, project)
) STRICT;

CREATE TABLE recordings (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	deployment_id    INTEGER REFERENCES deployments(id),
	file             TEXT NOT NULL UNIQUE,
	start_time       TEXT,
	duration_seconds REAL,
	content_sha256   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX recordings_deployment ON recordings(deployment_id);

CREATE TABLE models (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	name     TEXT NOT NULL,
	settings TEXT NOT NULL,
	dim      INTEGER NOT NULL CHECK (dim > 0),
	UNIQUE (name, settings)
) STRICT;

CREATE TABLE windows (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	recording_id  INTEGER NOT NULL REFERENCES recordings(id),
	model_id      INTEGER NOT NULL REFERENCES models(id),
	start_seconds REAL NOT NULL CHECK (start_seconds >= 0),
	end_seconds   REAL NOT NULL CHECK (end_seconds > start_seconds),
	embedding     BLOB NOT NULL
) STRICT;
CREATE INDEX windows_recording ON windows(recording_id, model_id, start_seconds);

CREATE TABLE embedded (
	recording_id INTEGER NOT NULL REFERENCES recordings(id),
	model_id     INTEGER NOT NULL REFERENCES models(id),
	windows      INTEGER NOT NULL,
	added_at     TEXT NOT NULL,
	PRIMARY KEY (recording_id, model_id)
) STRICT;

CREATE TABLE annotations (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	recording_id  INTEGER NOT NULL REFERENCES recordings(id),
	start_seconds REAL NOT NULL CHECK (start_seconds >= 0),
	end_seconds   REAL NOT NULL CHECK (end_seconds > start_seconds),
	label         TEXT NOT NULL CHECK (label <> ''),
	label_type    INTEGER NOT NULL CHECK (label_type IN (0, 1, 2)),
	provenance    TEXT NOT NULL CHECK (provenance <> ''),
	created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX annotations_label ON annotations(label, label_type);
CREATE INDEX annotations_recording ON annotations(recording_id, start_seconds);
`,
	// 1 → 2: a covering index of the windows' keys. A windows row carries its
	// embedding (4·dim bytes), so a pass over the keys alone (EachKeyBatch,
	// CountWindows, the count that checks an index file on open) that reads the table reads
	// every vector's pages too; this index holds, per model and in id order,
	// everything those queries select, so SQLite answers them from the index
	// (about 40 bytes a window) without touching the table. The id is named
	// (it is the rowid, which every index holds anyway) so that the index is
	// ordered by it within a model.
	`
CREATE INDEX windows_keys ON windows(model_id, id, recording_id, start_seconds, end_seconds);
`,
}

// SchemaVersion is the schema version this program writes: the number of
// migrations (a test checks that they agree).
const SchemaVersion = 2

// migrating, when not nil, is called by migrate inside its transaction, with
// the version it found, before it applies the migrations (tests hold the
// transaction open with it, and see which process migrated).
var migrating func(from int)

// migrate brings the database to SchemaVersion in one write transaction, and
// gives a new database its identity (meta 'uuid', which index files carry).
// Two processes opening a new or an older file at once are serialized by the
// transaction: the second waits (up to the busy timeout) and finds the schema
// in place. Each migration's statements and the new user_version commit
// together, so a crash during a migration leaves the database at its old
// version, every row kept.
func migrate(db *sql.DB) error {
	tx, err := db.Begin() // BEGIN IMMEDIATE (see dsn): the version read below cannot go stale
	if err != nil {
		return fmt.Errorf("checking the schema: %w", err)
	}
	defer tx.Rollback()
	var version, appID, tables int
	if err := tx.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := tx.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if err := tx.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return err
	}
	switch {
	case version == 0 && tables > 0, version > 0 && appID != applicationID:
		return fmt.Errorf("a SQLite database but not an embedding database (application_id %#x, schema version %d, %d schema entries)", appID, version, tables)
	case version > SchemaVersion:
		return fmt.Errorf("schema version %d is newer than this program's (%d): use a newer dawnchorus", version, SchemaVersion)
	case version == SchemaVersion:
		return nil
	}
	if migrating != nil {
		migrating(version)
	}
	for v := version; v < SchemaVersion; v++ {
		if _, err := tx.Exec(migrations[v]); err != nil {
			return fmt.Errorf("migrating the schema from version %d to %d: %w", v, v+1, err)
		}
	}
	if version == 0 {
		id := make([]byte, 16)
		if _, err := rand.Read(id); err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO meta (key, value) VALUES ('uuid', ?)", hex.EncodeToString(id)); err != nil {
			return err
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}
