package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestFail: the exit status and what is printed for each kind of error; an
// interruption is silent unless its error says more than the interruption.
func TestFail(t *testing.T) {
	for _, c := range []struct {
		name   string
		err    error
		status int
		out    string
	}{
		{"interrupted", context.Canceled, exitInterrupted, ""},
		{"interrupted, files not stored", fmt.Errorf("archive: a.wav: %w (3 embedded files were not stored)", context.Canceled),
			exitInterrupted, "dawnchorus embed: archive: a.wav: context canceled (3 embedded files were not stored)\n"},
		{"failed", errors.New("b.wav: not audio"), exitFailed, "dawnchorus embed: b.wav: not audio\n"},
	} {
		var stderr bytes.Buffer
		if got := fail(&env{stderr: &stderr}, "embed", c.err); got != c.status || stderr.String() != c.out {
			t.Errorf("%s: status %d, printed %q; want %d, %q", c.name, got, stderr.String(), c.status, c.out)
		}
	}
}
