package dataset

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// LoadClips returns the sound of each of the given rows of t, in order: the row's file
// (relative to dir, as ResolveFile reads it) mixed to mono, resampled to rateHz when its
// rate differs, and cut to the row's span, from StartSeconds to EndSeconds (to the end of
// the file when EndSeconds is 0). A row whose span is not inside its file is an error
// naming the file: a clip cut short would be a different input, silently. Each file is
// decoded once however many rows name it.
func LoadClips(dir string, t *LabelTable, rows []int, rateHz int) ([][]float32, error) {
	if rateHz <= 0 {
		return nil, fmt.Errorf("dataset: loading clips at %d Hz", rateHz)
	}
	decoded := map[string][]float32{}
	clips := make([][]float32, len(rows))
	for i, r := range rows {
		if r < 0 || r >= len(t.Rows) {
			return nil, fmt.Errorf("dataset: row %d out of the label table's %d rows", r, len(t.Rows))
		}
		row := t.Rows[r]
		path := ResolveFile(dir, row.File)
		samples, ok := decoded[path]
		if !ok {
			a, err := audio.Load(path)
			if err != nil {
				return nil, fmt.Errorf("dataset: %w", err)
			}
			samples = a.Mono()
			if a.SampleRateHz != rateHz {
				if samples, err = audio.Resample(samples, a.SampleRateHz, rateHz); err != nil {
					return nil, fmt.Errorf("dataset: %s: %w", path, err)
				}
			}
			decoded[path] = samples
		}
		start, end := int(math.Round(row.StartSeconds*float64(rateHz))), len(samples)
		if row.EndSeconds > 0 {
			end = int(math.Round(row.EndSeconds * float64(rateHz)))
		}
		if start < 0 || end > len(samples) || start >= end {
			return nil, fmt.Errorf("dataset: %s: span %g–%g s is not inside the file's %.3f s", path,
				row.StartSeconds, row.EndSeconds, float64(len(samples))/float64(rateHz))
		}
		clips[i] = samples[start:end:end]
	}
	return clips, nil
}

// MustLoadClips is [LoadClips] for notebooks: it panics on error.
func MustLoadClips(dir string, t *LabelTable, rows []int, rateHz int) [][]float32 {
	clips, err := LoadClips(dir, t, rows, rateHz)
	if err != nil {
		panic(err)
	}
	return clips
}
