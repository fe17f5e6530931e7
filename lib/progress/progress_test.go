package progress

import (
	"strings"
	"testing"
	"time"
)

func TestLineRateAndETA(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out strings.Builder
	m := &Meter{W: &out, Name: "embed", Unit: "s of audio", Total: 1000, Files: 10, Now: func() time.Time { return clock }}
	m.Start()
	m.FileSkipped()
	clock = clock.Add(10 * time.Second)
	m.Add(250) // 25 s of audio per s; 750 left: 30 s
	m.FileDone()
	m.FileFailed()
	want := "embed: 250.0/1000.0 s of audio (25.0 %), 25.0 s of audio/s, ETA 30s; files 3/10, 1 already done, 1 failed, elapsed 10s"
	if got := m.Line(); got != want {
		t.Errorf("line\n got %q\nwant %q", got, want)
	}
	// Add wrote a line since 10 s had passed; the file counts within the same second did not.
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Errorf("%d lines written, want 1:\n%s", n, out.String())
	}
	m.Done()
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("Done: %d lines, want 2", n)
	}
}

func TestUnknownTotal(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &Meter{Name: "x", Unit: "clips", Now: func() time.Time { return clock }}
	m.Start()
	clock = clock.Add(4 * time.Second)
	m.Add(8)
	want := "x: 8.0 clips, 2.0 clips/s; files 0, elapsed 4s"
	if got := m.Line(); got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{0, "0s"}, {1499 * time.Millisecond, "1s"}, {61 * time.Second, "1m01s"}, {3723 * time.Second, "1h02m03s"}, {26 * time.Hour, "26h00m00s"}} {
		if got := FormatDuration(c.d); got != c.want {
			t.Errorf("%v: got %q want %q", c.d, got, c.want)
		}
	}
}
