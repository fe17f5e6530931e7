package transfer

import (
	"fmt"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Corpus is a labelled, single-label set of clips as the network sees them.
type Corpus struct {
	// Images holds the front-end images of the clips, one after the other
	// (cnn.Model.Images: frame-major [time, mel], values in [0, 1]).
	Images []float32
	// Labels are the clips' classes, single-label: Labels.Index[i] is the
	// index in Classes of clip i's class, and NumClasses is len(Classes).
	Labels  dataset.Labels
	Classes []string
	// Files names where each clip came from (dataset.CanonicalFile of the
	// table's file names): clips of one recording never land on both sides of
	// the test/training split. Empty: every clip is its own recording.
	Files []string
}

// Len is the number of clips.
func (c *Corpus) Len() int { return len(c.Labels.Index) }

// LoadCorpus reads a single-label corpus directory (labels.csv in
// OpenSoundscape's form, its audio files relative to dir, like
// datasets/synth-transfer) and turns each clip into an image with net's front
// end. A row's clip is the network's clip (ClipSeconds long) from the row's
// start, as lib/embed takes it, and dataset.LoadClips loads it: mono,
// resampled to the front end's rate when the file's differs (corpora such as
// datasets/synth-hard mix recorders from 16 to 48 kHz), and inside the file
// to dataset.RowTolerance (1 ms), else an error giving the file's length.
func LoadCorpus(dir string, net *cnn.Model) (*Corpus, error) {
	table, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	if !table.IsSingleLabel() {
		return nil, fmt.Errorf("transfer: %s: a single-label table is needed (one class per row)", filepath.Join(dir, "labels.csv"))
	}
	fe := net.FrontEnd()
	// The rows as the network's clips: each from its start, ClipSeconds long.
	clipTable := &dataset.LabelTable{Classes: table.Classes, Rows: make([]dataset.Row, len(table.Rows))}
	for r, row := range table.Rows {
		row.EndSeconds = row.StartSeconds + fe.Options.ClipSeconds
		clipTable.Rows[r] = row
	}
	c := &Corpus{Classes: append([]string(nil), table.Classes...), Labels: dataset.Labels{NumClasses: len(table.Classes)}}
	// A few rows at a time: the clips of a whole corpus need not be held at
	// once, and a file named by neighbouring rows is still decoded once.
	const chunk = 64
	all := table.AllRows()
	for lo := 0; lo < len(all); lo += chunk {
		rows := all[lo:min(lo+chunk, len(all))]
		clips, err := dataset.LoadClips(dir, clipTable, rows, fe.Options.SampleRateHz)
		if err != nil {
			return nil, fmt.Errorf("transfer: the network's %g s clip from a row's start: %w", fe.Options.ClipSeconds, err)
		}
		for i, r := range rows {
			row := table.Rows[r]
			image, err := fe.Image(clips[i])
			if err != nil {
				return nil, fmt.Errorf("transfer: %s at %g s: %w", dataset.ResolveFile(dir, row.File), row.StartSeconds, err)
			}
			c.Images = append(c.Images, image...)
			c.Labels.Index = append(c.Labels.Index, row.ClassOf())
			c.Files = append(c.Files, dataset.CanonicalFile(row.File))
		}
	}
	return c, nil
}

// MustLoadCorpus is LoadCorpus that panics on error, for notebooks.
func MustLoadCorpus(dir string, net *cnn.Model) *Corpus {
	c, err := LoadCorpus(dir, net)
	if err != nil {
		panic(err)
	}
	return c
}
