package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// TestEmbedKillAndResume kills an embed run with SIGKILL after some
// recordings are in, then runs it again: the recordings of the first run keep
// their windows (same ids: nothing recomputed), the others are added whole,
// the database passes its integrity check and search sees every window.
func TestEmbedKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("kill-and-resume embeds a minute of audio per recording")
	}
	dir := t.TempDir()
	paths, _, _ := writeArchive(t, dir, "rec", 8, 500, 45, false)
	writeRecording(t, filepath.Join(dir, "query.wav"), 77, 0, 3, false)
	dbPath := filepath.Join(dir, defaultDB)

	cmd := exec.Command(binary, "embed", "-workers", "1", "-batch", "4", "rec")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until two recordings are committed, then kill it mid-run.
	deadline := time.Now().Add(3 * time.Minute)
	var before map[string][]int64
	for {
		time.Sleep(200 * time.Millisecond)
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no two recordings embedded in 3 minutes:\n%s", stderr.String())
		}
		if _, err := os.Stat(dbPath); err != nil {
			continue
		}
		ids := windowIDs(t, dbPath)
		if len(ids) >= 2 {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			before = windowIDs(t, dbPath) // what the killed run committed
			break
		}
	}
	if len(before) >= len(paths) {
		t.Fatalf("the run finished (%d recordings) before it was killed; make the archive longer", len(before))
	}
	t.Logf("killed after %d of %d recordings", len(before), len(paths))

	r := dc(t, dir, "embed", "-workers", "1", "rec").want(t, exitOK, "resumed embed")
	if !strings.Contains(r.stdout, "already done") {
		t.Errorf("resumed run's summary: %s", r.stdout)
	}
	after := windowIDs(t, dbPath)
	if len(after) != len(paths) {
		t.Fatalf("%d recordings after resuming, want %d", len(after), len(paths))
	}
	want := len(expectedSpans(t, 45, 0))
	for file, ids := range after {
		if len(ids) != want {
			t.Errorf("%s: %d windows, want %d", file, len(ids), want)
		}
	}
	for file, ids := range before {
		if len(ids) != want {
			t.Errorf("%s: the killed run left %d windows, want all %d or none", file, len(ids), want)
		}
		for i := range ids {
			if after[file][i] != ids[i] {
				t.Errorf("%s: window %d has id %d after resuming, %d before: recomputed", file, i, after[file][i], ids[i])
				break
			}
		}
	}
	db, err := embeddb.Open(dbPath, embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckIntegrity(); err != nil {
		t.Error(err)
	}
	db.Close()
	r = dc(t, dir, "search", "-k", "1000", "query.wav").want(t, exitOK, "search after resuming")
	if n := len(strings.Split(strings.TrimSpace(r.stdout), "\n")) - 1; n != len(paths)*want {
		t.Errorf("search found %d windows, the database has %d", n, len(paths)*want)
	}
}

// windowIDs returns each recording's window ids, in time order.
func windowIDs(t *testing.T, path string) map[string][]int64 {
	t.Helper()
	db, err := embeddb.Open(path, embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	models, err := db.Models()
	if err != nil || len(models) == 0 {
		return nil
	}
	recs, err := db.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int64{}
	for _, r := range recs {
		done, err := db.Embedded(r.File, models[0])
		if err != nil {
			t.Fatal(err)
		}
		ws, err := db.Windows(r.ID, models[0])
		if err != nil {
			t.Fatal(err)
		}
		if !done && len(ws) > 0 {
			t.Errorf("%s: %d windows but not marked embedded", r.File, len(ws))
		}
		if done {
			for _, w := range ws {
				out[r.File] = append(out[r.File], w.ID)
			}
		}
	}
	return out
}
