package dataset

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// LoadClips returns the sound of each of the given rows of t, in order: the row's file
// (relative to dir, as ResolveFile reads it) mixed to mono, resampled to rateHz when its
// rate differs, and cut to the row's span, from StartSeconds to EndSeconds (to the end of
// the file when EndSeconds is 0), sample round(StartSeconds·rateHz) up to but not
// including round(EndSeconds·rateHz), as audio.Trim cuts. Each file is decoded once
// however many rows name it.
//
// A row must lie inside its file, to RowTolerance (1 ms): a row ending at most 1 ms past
// the file's duration (its decoded length in seconds, before resampling) is inside it,
// since label tables give times to the millisecond, and its clip is cut at the file's
// last sample — short by at most 1 ms of samples (about 22 at 22 050 Hz), not padded: a
// caller that needs whole clips pads them (spectro.FrontEnd.Image does). A row ending
// further past, starting before 0, or holding no sample is an error naming the file, the
// row's times and the file's length: a clip cut short by more would be a different input,
// silently.
func LoadClips(dir string, t *LabelTable, rows []int, rateHz int) ([][]float32, error) {
	if rateHz <= 0 {
		return nil, fmt.Errorf("dataset: loading clips at %d Hz", rateHz)
	}
	decoded := map[string][]float32{}
	seconds := map[string]float64{} // each file's duration as decoded
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
			decoded[path], seconds[path] = samples, a.DurationSeconds()
		}
		if row.EndSeconds > seconds[path]+RowTolerance {
			return nil, fmt.Errorf("dataset: %s: row %d (%g–%g s) ends past the end of the file, which is %s s long (more than RowTolerance, 1 ms, past it)",
				path, r, row.StartSeconds, row.EndSeconds, FormatSeconds(seconds[path]))
		}
		start, end := int(math.Round(row.StartSeconds*float64(rateHz))), len(samples)
		if row.EndSeconds > 0 {
			end = min(end, int(math.Round(row.EndSeconds*float64(rateHz))))
		}
		if start < 0 || start >= end {
			return nil, fmt.Errorf("dataset: %s: row %d (%g–%g s) holds no sample of the file, which is %s s long",
				path, r, row.StartSeconds, row.EndSeconds, FormatSeconds(seconds[path]))
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
