// Package progress reports long work on a terminal: how much is done out of
// how much, the rate, and the time left (ETA), one line at most every
// Interval, for the dawnchorus command's embed, analyze and train.
//
// Work is counted in any unit (seconds of audio, clips); files are counted
// beside it, with how many were skipped (already done) and how many failed.
// The rate and ETA count only work done in this run: work skipped because an
// earlier run did it costs nothing and does not inflate the rate.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Meter counts work and writes progress lines to W. Its methods are safe for
// concurrent use. A nil W writes nothing.
type Meter struct {
	// W receives the lines (usually os.Stderr).
	W io.Writer
	// Name starts each line, e.g. "embed".
	Name string
	// Unit names the work's unit, e.g. "s of audio".
	Unit string
	// Total is the work to do, in Unit, in this run (≤ 0: unknown, no ETA).
	Total float64
	// Files is the number of files to go through (0: unknown).
	Files int
	// Interval is the least time between two lines [1 s].
	Interval time.Duration
	// Now is the clock [time.Now]; tests set it.
	Now func() time.Time

	mu                         sync.Mutex
	started                    bool
	start, last                time.Time
	done                       float64
	filesDone, skipped, failed int
}

func (m *Meter) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Start starts the clock (the first Add does so too).
func (m *Meter) Start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
}

func (m *Meter) startLocked() {
	if !m.started {
		m.started = true
		m.start = m.now()
		m.last = m.start
	}
}

// Add counts work done (in Unit) and writes a line when Interval has passed.
func (m *Meter) Add(work float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	m.done += work
	m.maybeReport()
}

// FileDone counts a file completed in this run.
func (m *Meter) FileDone() { m.count(&m.filesDone) }

// FileSkipped counts a file an earlier run completed.
func (m *Meter) FileSkipped() { m.count(&m.skipped) }

// FileFailed counts a file that failed.
func (m *Meter) FileFailed() { m.count(&m.failed) }

func (m *Meter) count(c *int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	*c++
	m.maybeReport()
}

func (m *Meter) maybeReport() {
	interval := m.Interval
	if interval <= 0 {
		interval = time.Second
	}
	if now := m.now(); now.Sub(m.last) >= interval {
		m.last = now
		m.write()
	}
}

// Done writes the final line.
func (m *Meter) Done() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	m.write()
}

func (m *Meter) write() {
	if m.W != nil {
		fmt.Fprintln(m.W, m.lineLocked())
	}
}

// Line returns the progress line as it stands.
func (m *Meter) Line() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	return m.lineLocked()
}

// Rate returns the work done per second of this run so far (0 before any).
func (m *Meter) Rate() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	return m.rateLocked()
}

func (m *Meter) rateLocked() float64 {
	if s := m.now().Sub(m.start).Seconds(); s > 0 {
		return m.done / s
	}
	return 0
}

func (m *Meter) lineLocked() string {
	line := m.Name + ": "
	rate := m.rateLocked()
	if m.Total > 0 {
		line += fmt.Sprintf("%.1f/%.1f %s (%.1f %%), %.1f %s/s", m.done, m.Total, m.Unit, 100*m.done/m.Total, rate, m.Unit)
		if rate > 0 {
			left := max(0, (m.Total-m.done)/rate)
			line += ", ETA " + FormatDuration(time.Duration(left*float64(time.Second)))
		} else {
			line += ", ETA ?"
		}
	} else {
		line += fmt.Sprintf("%.1f %s, %.1f %s/s", m.done, m.Unit, rate, m.Unit)
	}
	if m.Files > 0 {
		line += fmt.Sprintf("; files %d/%d", m.filesDone+m.skipped+m.failed, m.Files)
	} else {
		line += fmt.Sprintf("; files %d", m.filesDone+m.skipped+m.failed)
	}
	if m.skipped > 0 {
		line += fmt.Sprintf(", %d already done", m.skipped)
	}
	if m.failed > 0 {
		line += fmt.Sprintf(", %d failed", m.failed)
	}
	line += ", elapsed " + FormatDuration(m.now().Sub(m.start))
	return line
}

// FormatDuration writes d rounded to the second as 1h02m03s, 2m03s or 3s.
func FormatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	h, mnt, sec := s/3600, s/60%60, s%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, mnt, sec)
	case mnt > 0:
		return fmt.Sprintf("%dm%02ds", mnt, sec)
	}
	return fmt.Sprintf("%ds", sec)
}
