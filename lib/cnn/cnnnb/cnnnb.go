// Package cnnnb shows lib/cnn's training progress in a GoNB notebook: a bar
// and the latest metrics that update in place under the cell, instead of a
// scroll of lines. It is kept apart from lib/cnn so that the numeric package
// never imports notebook code.
package cnnnb

import (
	"fmt"
	"html"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/celloutput"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/janpfeifer/gonb/gonbui"
)

// Progress returns a cnn.TrainOptions.Progress callback: in a GoNB notebook it
// draws an HTML progress bar with the step, training loss, last validation
// accuracy, throughput and time left, updated in place (every 20th step, at
// each record and at the end, when the final state is displayed for good);
// elsewhere it is
// cnn.TerminalProgress(os.Stdout).
func Progress() func(cnn.Progress) {
	if !gonbui.IsNotebook {
		return cnn.TerminalProgress(os.Stdout)
	}
	id := "cnn_progress_" + gonbui.UniqueId()
	first := true
	lastRecord := -1
	return func(p cnn.Progress) {
		newRecord := p.Last != nil && p.Last.Step != lastRecord
		if !first && !newRecord && !p.Done && p.Step%20 != 0 {
			return
		}
		if first {
			celloutput.Before() // the bar goes below the text printed before training
		}
		first = false
		if newRecord {
			lastRecord = p.Last.Step
		}
		if p.Done {
			// The in-place block is transient (not saved with the notebook): erase
			// it and show the final state in a permanent one.
			gonbui.UpdateHTML(id, "")
			gonbui.DisplayHTML(HTML(p))
			// The final state, above what the cell prints next, before the program exits.
			_ = celloutput.After("the training progress")
			return
		}
		gonbui.UpdateHTML(id, HTML(p))
	}
}

// HTML renders p as a <progress> bar followed by ProgressLine's text.
func HTML(p cnn.Progress) string {
	return fmt.Sprintf(`<progress value="%d" max="%d" style="width: 30em"></progress> <code>%s</code>`,
		p.Step, max(p.Steps, 1), html.EscapeString(cnn.ProgressLine(p)))
}
