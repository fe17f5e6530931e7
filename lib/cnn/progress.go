package cnn

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// TerminalProgress returns a Progress callback that draws one line on w: a bar
// redrawn in place (carriage return) when w is a terminal, else one line per
// record (so logs stay readable).
func TerminalProgress(w io.Writer) func(Progress) {
	terminal := false
	if f, ok := w.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			terminal = true
		}
	}
	lastRecorded := -1
	return func(p Progress) {
		line := ProgressLine(p)
		if terminal {
			fmt.Fprintf(w, "\r%s\x1b[K", line)
			if p.Done {
				fmt.Fprintln(w)
			}
			return
		}
		if p.Last != nil && p.Last.Step != lastRecorded {
			lastRecorded = p.Last.Step
			fmt.Fprintln(w, line)
		}
	}
}

// ProgressLine formats p as one line: a 30-character bar, the step, the
// training loss, the last validation accuracy, the throughput and the time left.
func ProgressLine(p Progress) string {
	const width = 30
	filled := 0
	if p.Steps > 0 {
		filled = width * p.Step / p.Steps
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s%s] %d/%d loss %.3f", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.Step, p.Steps, p.Loss)
	if p.Last != nil && p.Last.Validated {
		fmt.Fprintf(&b, " val acc %.3f (step %d)", p.Last.ValAccuracy, p.Last.Step)
	}
	if p.ClipsPerSecond > 0 {
		fmt.Fprintf(&b, " %.1f clips/s", p.ClipsPerSecond)
	}
	if p.Step > 0 && p.Step < p.Steps {
		left := p.ElapsedSeconds / float64(p.Step) * float64(p.Steps-p.Step)
		fmt.Fprintf(&b, " %dm%02ds left", int(left)/60, int(left)%60)
	}
	return b.String()
}
