package main

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// TestOpenExistingDB: a database that exists opens; a missing one is an error
// that wraps fs.ErrNotExist and says to embed first, and creates no file.
func TestOpenExistingDB(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "made.db")
	db, err := embeddb.Open(existing, embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		path    string
		wantErr bool
	}{
		{existing, false},
		{filepath.Join(dir, "missing.db"), true},
		{filepath.Join(dir, "no-folder", "x.db"), true},
	} {
		e := &env{stderr: &bytes.Buffer{}}
		db, err := openExistingDB(e, c.path)
		if !c.wantErr {
			if err != nil {
				t.Errorf("%s: %v", c.path, err)
			} else {
				db.Close()
			}
			continue
		}
		if err == nil || db != nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "run 'dawnchorus embed FOLDER' first") {
			t.Errorf("%s: db %v, error %v; want none and a missing-file error that says to embed first", c.path, db, err)
		}
		if _, statErr := openExistingDB(e, c.path); statErr == nil {
			t.Errorf("%s: the failed open created the database", c.path)
		}
	}
}
