package cnn

import (
	"fmt"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TableDataset makes the Dataset of the given rows of a label table: each row's clip
// (dataset.LoadClips: its file under dir, mono, at the front end's rate, cut to the row's
// span) through the model's front end, with the row's classes (every column set to 1) as
// its labels: dataset.FromTable's class indices for a SingleLabel model (a row of several
// classes is an error naming it), its multi-hot rows for a MultiLabel one. A row without
// a class is an error naming it.
func (m *Model) TableDataset(dir string, t *dataset.LabelTable, rows []int) (Dataset, error) {
	clips, err := dataset.LoadClips(dir, t, rows, m.frontEnd.Options.SampleRateHz)
	if err != nil {
		return Dataset{}, fmt.Errorf("cnn: %w", err)
	}
	for _, r := range rows {
		if !slices.Contains(t.Rows[r].Labels, 1) {
			return Dataset{}, fmt.Errorf("cnn: label table row %d (%s at %g s) has no class", r, t.Rows[r].File, t.Rows[r].StartSeconds)
		}
	}
	kind := dataset.MultiHot
	if m.cfg.Head == SingleLabel {
		kind = dataset.ClassIndex
		// FromTable would advise dataset.MultiHot; for a network the choice is its head.
		for _, r := range rows {
			if t.Rows[r].ClassOf() < 0 {
				return Dataset{}, fmt.Errorf("cnn: label table row %d (%s at %g s) has several classes, and the network has a single-label head: build it with Head: cnn.MultiLabel", r, t.Rows[r].File, t.Rows[r].StartSeconds)
			}
		}
	}
	labels, err := dataset.FromTable(t, rows, kind)
	if err != nil {
		return Dataset{}, fmt.Errorf("cnn: %w", err)
	}
	return m.NewDataset(clips, labels)
}

// MustTableDataset is [Model.TableDataset] for notebooks: it panics on error.
func (m *Model) MustTableDataset(dir string, t *dataset.LabelTable, rows []int) Dataset {
	d, err := m.TableDataset(dir, t, rows)
	if err != nil {
		panic(err)
	}
	return d
}
