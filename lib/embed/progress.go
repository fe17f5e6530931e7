package embed

import (
	"fmt"
	"io"
	"time"
)

// progress writes "embed: done/total clips, rate clips/s" lines to w at most
// once a second, and once at the end; the last line adds how many files or
// tails gave no clip and how many files failed, when any did.
type progress struct {
	w               io.Writer
	total           int // -1 when unknown
	count           int
	start           time.Time
	lastReport      time.Time
	dropped, failed int
}

func newProgress(w io.Writer, total int) *progress {
	now := time.Now()
	return &progress{w: w, total: total, start: now, lastReport: now}
}

func (p *progress) add(n int) {
	p.count += n
	if p.w != nil && time.Since(p.lastReport) >= time.Second {
		p.report()
	}
}

func (p *progress) done() {
	if p.w != nil {
		p.report()
	}
}

func (p *progress) report() {
	p.lastReport = time.Now()
	total := "?"
	if p.total >= 0 {
		total = fmt.Sprint(p.total)
	}
	rate := 0.0
	if s := time.Since(p.start).Seconds(); s > 0 {
		rate = float64(p.count) / s
	}
	line := fmt.Sprintf("embed: %d/%s clips, %.1f clips/s", p.count, total, rate)
	if p.dropped > 0 {
		line += fmt.Sprintf("; %d gave no clip (Embeddings.Dropped)", p.dropped)
	}
	if p.failed > 0 {
		line += fmt.Sprintf("; %d failed (Embeddings.Failures)", p.failed)
	}
	fmt.Fprintln(p.w, line)
}
