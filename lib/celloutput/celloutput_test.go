package celloutput

import (
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestWaitDrainedWaitsForTheReader writes text into a pipe whose reader reads it only
// after a while, as GoNB's stdout goroutine may on a busy machine: waitDrained must not
// return before the reader has taken every byte.
func TestWaitDrainedWaitsForTheReader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		delay  time.Duration
	}{
		{"one line", []string{"accuracy 0.91\n"}, 50 * time.Millisecond},
		{"several writes", []string{"a\n", "bb\n", "ccc\n"}, 20 * time.Millisecond},
		{"nothing written", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			total := 0
			for _, s := range tc.writes {
				if _, err := io.WriteString(w, s); err != nil {
					t.Fatal(err)
				}
				total += len(s)
			}
			var read atomic.Int64
			release := make(chan struct{})
			go func() {
				<-release
				time.Sleep(tc.delay)
				buf := make([]byte, 64)
				for read.Load() < int64(total) {
					n, err := r.Read(buf)
					if err != nil {
						return
					}
					read.Add(int64(n))
				}
			}()
			close(release)
			if !waitDrained([]*os.File{w}, 10*time.Second) {
				t.Fatal("waitDrained timed out with a reader that reads")
			}
			if got := read.Load(); got != int64(total) {
				t.Errorf("waitDrained returned with %d of %d bytes read", got, total)
			}
		})
	}
}

// TestWaitDrainedGivesUp: with nobody reading, it returns false after the timeout
// rather than hanging the cell.
func TestWaitDrainedGivesUp(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := io.WriteString(w, "never read\n"); err != nil {
		t.Fatal(err)
	}
	if waitDrained([]*os.File{w}, 20*time.Millisecond) {
		t.Error("waitDrained reported drained with 11 unread bytes")
	}
}

// TestWaitDrainedSkipsFilesAndNil: a regular file (output redirected to a file) and nil
// are not pipes and are not waited for.
func TestWaitDrainedSkipsFilesAndNil(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.WriteString(f, "text\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil { // 5 bytes "unread" past the offset
		t.Fatal(err)
	}
	if !waitDrained([]*os.File{f, nil}, 20*time.Millisecond) {
		t.Error("waitDrained waited on a regular file")
	}
}

// TestOutsideNotebook: Before and After do nothing outside a GoNB notebook.
func TestOutsideNotebook(t *testing.T) {
	Before()
	if err := After("a figure"); err != nil {
		t.Errorf("After outside a notebook: %v", err)
	}
}
