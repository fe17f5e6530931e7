package transfer

import (
	"fmt"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Corpus is a labelled, single-label set of clips as the network sees them.
type Corpus struct {
	// Images holds the front-end images of the clips, one after the other
	// (cnn.Model.Images: frame-major [time, mel], values in [0, 1]).
	Images []float32
	// Labels[i] is the class index of clip i in Classes.
	Labels  []int
	Classes []string
	// Files names where each clip came from (dataset.CanonicalFile of the
	// table's file names): clips of one recording never land on both sides of
	// the test/training split. Empty: every clip is its own recording.
	Files []string
}

// Len is the number of clips.
func (c *Corpus) Len() int { return len(c.Labels) }

// LoadCorpus reads a single-label corpus directory (labels.csv in
// OpenSoundscape's form, its audio files relative to dir, like
// datasets/synth-transfer) and turns each clip into an image with net's front
// end. Each row's clip is cut from its file at the row's start time (audio.Trim); a file at
// another sample rate than the front end's is resampled to it first (corpora
// such as datasets/synth-hard mix recorders from 16 to 48 kHz). A row whose clip (or whose end) lies past
// its file's end is an error giving the file's length.
func LoadCorpus(dir string, net *cnn.Model) (*Corpus, error) {
	table, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	if !table.IsSingleLabel() {
		return nil, fmt.Errorf("transfer: %s: a single-label table is needed (one class per row)", filepath.Join(dir, "labels.csv"))
	}
	fe := net.FrontEnd()
	rate := fe.Options.SampleRateHz
	c := &Corpus{Classes: append([]string(nil), table.Classes...)}
	for r, row := range table.Rows {
		path := dataset.ResolveFile(dir, row.File)
		a, err := audio.Load(path)
		if err != nil {
			return nil, fmt.Errorf("transfer: %w", err)
		}
		clipEnd := max(row.EndSeconds, row.StartSeconds+fe.Options.ClipSeconds)
		if length := a.DurationSeconds(); clipEnd > length+1e-3 {
			return nil, fmt.Errorf("transfer: %s, row %d (%g–%g s): its %g s clip ends past the end of the file, which is %s s long; its image would hold %s s of audio as the row's clip (correct the row, or leave it out)",
				path, r, row.StartSeconds, row.EndSeconds, fe.Options.ClipSeconds, dataset.FormatSeconds(length),
				dataset.FormatSeconds(max(0, length-row.StartSeconds)))
		}
		mono, err := monoAt(a, rate)
		if err != nil {
			return nil, fmt.Errorf("transfer: %s: %w", path, err)
		}
		image, err := fe.Image(audio.Trim(mono, rate, row.StartSeconds, row.StartSeconds+fe.Options.ClipSeconds))
		if err != nil {
			return nil, fmt.Errorf("transfer: %s at %g s: %w", path, row.StartSeconds, err)
		}
		c.Images = append(c.Images, image...)
		c.Labels = append(c.Labels, row.ClassOf())
		c.Files = append(c.Files, dataset.CanonicalFile(row.File))
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
