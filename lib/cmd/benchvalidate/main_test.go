package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// TestBuildWritesNoIndex: -make writes its windows (into a new model, or into
// one the database holds, with that model's dimension) and no search index
// file, which the benchmark never reads (with IndexLater, Close built one).
func TestBuildWritesNoIndex(t *testing.T) {
	for _, c := range []struct {
		name    string
		model   string
		haveDim int // a model of this name is in the database first, 0: none
		n       int
		wantDim int
	}{
		{"new model", "memscore", 0, 250, dim},
		{"existing model", "embedded", 16, 130, 16},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.db")
			if c.haveDim > 0 {
				db, err := embeddb.Open(path, embeddb.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.AddModel(c.model, map[string]any{"k": 1}, c.haveDim); err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			if err := build(path, c.model, c.n); err != nil {
				t.Fatal(err)
			}
			db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			m, err := findModel(db, c.model)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := db.CountWindows(m); err != nil || n != c.n || m.Dim != c.wantDim {
				t.Errorf("%d windows of dimension %d (%v), want %d of %d", n, m.Dim, err, c.n, c.wantDim)
			}
			if _, err := os.Stat(db.IndexPath(m)); !os.IsNotExist(err) {
				t.Errorf("index file %s after -make: stat error %v, want none there", db.IndexPath(m), err)
			}
		})
	}
}
