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
	clips, _, err := loadClips(dir, t, rows, rateHz)
	return clips, err
}

// LoadClipsNative is [LoadClips] with each clip left at its own file's sample rate, not
// resampled: it returns the clips and, for each, that rate in Hz. Measurements that
// depend on the rate a recording was made at (features.DescribeRows' handcrafted
// features) read rows through it; the rules (mono, the row's span, RowTolerance, the
// errors) are LoadClips'.
func LoadClipsNative(dir string, t *LabelTable, rows []int) (clips [][]float32, ratesHz []int, err error) {
	return loadClips(dir, t, rows, 0)
}

// loadClips is LoadClips at rateHz, or at each file's own rate when rateHz is 0; it
// returns the rate of each clip too.
func loadClips(dir string, t *LabelTable, rows []int, rateHz int) ([][]float32, []int, error) {
	type file struct {
		samples []float32
		rateHz  int
		seconds float64 // the file's duration as decoded
	}
	decoded := map[string]file{}
	clips, rates := make([][]float32, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		if r < 0 || r >= len(t.Rows) {
			return nil, nil, fmt.Errorf("dataset: row %d out of the label table's %d rows", r, len(t.Rows))
		}
		row := t.Rows[r]
		path := ResolveFile(dir, row.File)
		f, ok := decoded[path]
		if !ok {
			a, err := audio.Load(path)
			if err != nil {
				return nil, nil, fmt.Errorf("dataset: %w", err)
			}
			f = file{samples: a.Mono(), rateHz: a.SampleRateHz, seconds: a.DurationSeconds()}
			if rateHz > 0 && a.SampleRateHz != rateHz {
				if f.samples, err = audio.Resample(f.samples, a.SampleRateHz, rateHz); err != nil {
					return nil, nil, fmt.Errorf("dataset: %s: %w", path, err)
				}
				f.rateHz = rateHz
			}
			decoded[path] = f
		}
		if row.EndSeconds > f.seconds+RowTolerance {
			return nil, nil, fmt.Errorf("dataset: %s: row %d (%g–%g s) ends past the end of the file, which is %s s long, so the file holds %s s of the row's %s s (more than RowTolerance, 1 ms, past it): correct the row's times, or leave the row out",
				path, r, row.StartSeconds, row.EndSeconds, FormatSeconds(f.seconds),
				FormatSeconds(max(0, f.seconds-row.StartSeconds)), FormatSeconds(row.EndSeconds-row.StartSeconds))
		}
		start, end := int(math.Round(row.StartSeconds*float64(f.rateHz))), len(f.samples)
		if row.EndSeconds > 0 {
			end = min(end, int(math.Round(row.EndSeconds*float64(f.rateHz))))
		}
		if start < 0 || start >= end {
			return nil, nil, fmt.Errorf("dataset: %s: row %d (%g–%g s) holds no sample of the file, which is %s s long",
				path, r, row.StartSeconds, row.EndSeconds, FormatSeconds(f.seconds))
		}
		clips[i], rates[i] = f.samples[start:end:end], f.rateHz
	}
	return clips, rates, nil
}

// MustLoadClips is [LoadClips] for notebooks: it panics on error.
func MustLoadClips(dir string, t *LabelTable, rows []int, rateHz int) [][]float32 {
	clips, err := LoadClips(dir, t, rows, rateHz)
	if err != nil {
		panic(err)
	}
	return clips
}
