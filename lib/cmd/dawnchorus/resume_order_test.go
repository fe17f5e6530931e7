package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// TestResumedRunEqualsUninterrupted: an embed run interrupted part way
// (SIGINT, the command's context cancelled) and then run again gives the
// database an uninterrupted run gives: the same recordings with the same ids,
// every window with the same id, span and vector, bit for bit (the resumed
// run's first batch starts at a file boundary, where the uninterrupted run's
// batch held the end of the previous file: the vectors must not depend on
// what shares a batch), and the same search output, scores included. Where
// the signal lands is left to timing, so this is the command's end-to-end
// check; archive's TestStoppedRunResumesInOrder stops a run, deterministically,
// with complete files waiting behind an unfinished one.
func TestResumedRunEqualsUninterrupted(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	paths, _, _ := writeArchive(t, dir, "rec", 8, 700, 45, false)
	writeRecording(t, filepath.Join(dir, "query.wav"), 78, 2, 3, false)
	args := []string{"-workers", "2", "-batch", "7", "rec"} // 15 windows a file: batches straddle files

	dc(t, dir, append([]string{"embed", "-db", "whole.db"}, args...)...).want(t, exitOK, "uninterrupted embed")

	cmd := exec.Command(binary, append([]string{"embed", "-db", "resumed.db"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	resumed := filepath.Join(dir, "resumed.db")
	deadline := time.Now().Add(3 * time.Minute)
	for {
		time.Sleep(100 * time.Millisecond)
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no two recordings embedded in 3 minutes:\n%s", stderr.String())
		}
		if _, err := os.Stat(resumed); err == nil && len(windowIDs(t, resumed)) >= 2 {
			break
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	done := len(windowIDs(t, resumed))
	if done >= len(paths) {
		t.Fatalf("the run finished (%d recordings) before it was interrupted; make the archive longer", done)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Errorf("interrupted embed: %v, want exit status %d\n%s", err, exitInterrupted, stderr.String())
	}
	t.Logf("interrupted after %d of %d recordings", done, len(paths))
	dc(t, dir, append([]string{"embed", "-db", "resumed.db"}, args...)...).want(t, exitOK, "resumed embed")

	a, b := dbContents(t, filepath.Join(dir, "whole.db")), dbContents(t, resumed)
	if len(a.Embeddings.Keys) == 0 || !reflect.DeepEqual(a.IDs, b.IDs) || !reflect.DeepEqual(a.Recordings, b.Recordings) {
		t.Errorf("window ids or recordings differ:\nwhole   %v %v\nresumed %v %v", a.Recordings, a.IDs, b.Recordings, b.IDs)
	}
	if !reflect.DeepEqual(a.Embeddings.Keys, b.Embeddings.Keys) {
		t.Errorf("window keys differ")
	}
	differ, worst := 0, 0.0
	for i := range min(len(a.Embeddings.Vectors), len(b.Embeddings.Vectors)) {
		for j, x := range a.Embeddings.Vectors[i] {
			if y := b.Embeddings.Vectors[i][j]; math.Float32bits(x) != math.Float32bits(y) {
				differ++
				worst = max(worst, math.Abs(float64(x-y)))
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d embedding values differ between the uninterrupted and the resumed run (largest difference %g)", differ, worst)
	}
	sa := dc(t, dir, "search", "-db", "whole.db", "-k", "25", "query.wav").want(t, exitOK, "search the uninterrupted run")
	sb := dc(t, dir, "search", "-db", "resumed.db", "-k", "25", "query.wav").want(t, exitOK, "search the resumed run")
	if sa.stdout != sb.stdout {
		t.Errorf("search output differs:\nwhole:\n%s\nresumed:\n%s", sa.stdout, sb.stdout)
	}
}

// contents is what a test compares of two databases.
type contents struct {
	Recordings []string // "id file sha256"
	IDs        map[string][]int64
	Embeddings *embed.Embeddings
}

func dbContents(t *testing.T, path string) contents {
	t.Helper()
	c := contents{IDs: windowIDs(t, path)}
	db, err := embeddb.Open(path, embeddb.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		c.Recordings = append(c.Recordings, fmtRecording(r))
	}
	models, err := db.Models()
	if err != nil || len(models) != 1 {
		t.Fatalf("%s: models %v, %v", path, models, err)
	}
	if c.Embeddings, err = db.Embeddings(models[0]); err != nil {
		t.Fatal(err)
	}
	return c
}

func fmtRecording(r embeddb.Recording) string {
	return fmt.Sprintf("%d %s %s", r.ID, r.File, r.ContentSHA256)
}
