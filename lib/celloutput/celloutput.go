package celloutput

import (
	"fmt"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// DrainTimeout bounds how long [Before] waits for GoNB to read the program's text: a
// reader that is gone must not hang the cell (the display then goes out unordered).
const DrainTimeout = 2 * time.Second

// drainPoll is how often the unread byte counts are read while waiting.
const drainPoll = time.Millisecond

// Before prepares a display in a GoNB notebook: it returns once everything written so far
// to standard output and error has been read by GoNB (or after DrainTimeout), then waits
// for one round trip through GoNB's display pipe. Outside a notebook it does nothing.
func Before() {
	if !gonbui.IsNotebook {
		return
	}
	waitDrained([]*os.File{os.Stdout, os.Stderr}, DrainTimeout)
	gonbui.Sync()
}

// After finishes a display in a GoNB notebook: it returns once GoNB has passed the display
// on to the notebook, and reports a broken display pipe as an error naming what was shown.
// Outside a notebook it does nothing and returns nil.
func After(what string) error {
	if !gonbui.IsNotebook {
		return nil
	}
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("showing %s in the notebook: %w", what, err)
	}
	return nil
}

// waitDrained returns once no file of files that is a pipe holds unread bytes, or after
// timeout. Files that are not pipes (a terminal, a regular file) are not waited for; a
// file whose count cannot be read is skipped. It reports whether every pipe was drained.
func waitDrained(files []*os.File, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for _, f := range files {
		if !isPipe(f) {
			continue
		}
		for {
			n, err := unreadBytes(f)
			if err != nil || n == 0 {
				break
			}
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(drainPoll)
		}
	}
	return true
}

// isPipe reports whether f is a pipe or FIFO.
func isPipe(f *os.File) bool {
	if f == nil {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeNamedPipe != 0
}
