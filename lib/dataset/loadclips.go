package dataset

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// RowSamples returns the samples of a recording of frames samples at rateHz that row's
// span holds: from first = round(StartSeconds·rateHz) up to but not including end =
// round(EndSeconds·rateHz), end cut to frames (and frames when EndSeconds is 0, "to the
// end of the file"). It is the one rounding rule by which rows become samples: LoadClips
// and LoadClipsNative cut clips by it (at the rate they return), and a caller that
// checks rows against a file's header (its rate and frame count) before decoding it
// checks them by it too. A span that holds no sample — it starts at or after the file's
// end, or it rounds to no sample (1–1.00002 s at 16 kHz, or a start in the file's last
// half-sample) — is an error saying where it rounds to, as are times that are negative
// or not finite and a rate or length that is not positive. RowTolerance is not applied
// here: a row ending past the file is cut at its end, and a caller decides whether that
// is allowed.
func RowSamples(row Row, rateHz, frames int) (first, end int, err error) {
	switch {
	case rateHz <= 0 || frames < 0:
		return 0, 0, fmt.Errorf("cut from a file of %d samples at %d Hz", frames, rateHz)
	case !(row.StartSeconds >= 0) || math.IsInf(row.StartSeconds, 0):
		return 0, 0, fmt.Errorf("starts at %g s, want a finite time ≥ 0", row.StartSeconds)
	case !(row.EndSeconds >= 0) || math.IsInf(row.EndSeconds, 0):
		return 0, 0, fmt.Errorf("ends at %g s, want a finite time ≥ 0", row.EndSeconds)
	}
	// Compared as floats before any conversion: a start far past the file (1e15 s)
	// overflows int.
	firstF, endF := math.Round(row.StartSeconds*float64(rateHz)), float64(frames)
	if row.EndSeconds > 0 {
		endF = min(endF, math.Round(row.EndSeconds*float64(rateHz)))
	}
	if firstF >= endF {
		return 0, 0, fmt.Errorf("holds no sample of the file (%d Hz, %s s): its span rounds to sample %.0f up to (not including) sample %.0f, and the file's samples are 0 to %d",
			rateHz, FormatSeconds(float64(frames)/float64(rateHz)), firstF, endF, frames-1)
	}
	return int(firstF), int(endF), nil
}

// RowError is the error LoadClips and LoadClipsNative give for a row they cannot cut
// (it ends past its file by more than RowTolerance, or it holds no sample of it): the
// row's index in the table they were given, its line in the CSV it was read from, and
// why (Err, which it unwraps to). A caller that cut a table of its own (a subset of a
// larger one) finds the row by errors.As and names it as its user knows it. Errors
// about a whole file (one that cannot be decoded) are not RowErrors.
type RowError struct {
	// Row is the row's index in the table given to LoadClips.
	Row int
	// Line is the row's Line: its 1-based line in the CSV the table was read from, 0
	// when the row was made in memory.
	Line int
	// Path is the row's file, as opened (ResolveFile's).
	Path string
	// StartSeconds and EndSeconds are the row's times.
	StartSeconds, EndSeconds float64
	// Err says what is wrong with the row, e.g. "ends past the end of the file, …".
	Err error
}

// Error names the file, the row, its times and its line when known, e.g.
// "dataset: rec.wav: row 2 (2.5–3.5 s; line 4 of the label table) ends past the end of
// the file, …".
func (e *RowError) Error() string {
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf("; line %d of the label table", e.Line)
	}
	return fmt.Sprintf("dataset: %s: row %d (%g–%g s%s) %v", e.Path, e.Row, e.StartSeconds, e.EndSeconds, where, e.Err)
}

// Unwrap returns the reason the row could not be cut.
func (e *RowError) Unwrap() error { return e.Err }

// LoadClips returns the sound of each of the given rows of t, in order: the row's file
// (relative to dir, as ResolveFile reads it) mixed to mono, resampled to rateHz when its
// rate differs, and cut to the row's span, from StartSeconds to EndSeconds (to the end of
// the file when EndSeconds is 0), sample round(StartSeconds·rateHz) up to but not
// including round(EndSeconds·rateHz), as audio.Trim cuts ([RowSamples] holds the rule).
// Each file is decoded once however many rows name it.
//
// A row must lie inside its file, to RowTolerance (1 ms): a row ending at most 1 ms past
// the file's duration (its decoded length in seconds, before resampling) is inside it,
// since label tables give times to the millisecond, and its clip is cut at the file's
// last sample — short by at most 1 ms of samples (about 22 at 22 050 Hz), not padded: a
// caller that needs whole clips pads them (spectro.FrontEnd.Image does). A row ending
// further past, starting before 0, or holding no sample is a *[RowError] naming the file,
// the row (its index in t and, for a table read from a CSV, its line there), its times
// and the file's length: a clip cut short by more would be a different input, silently.
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
			return nil, nil, &RowError{Row: r, Line: row.Line, Path: path, StartSeconds: row.StartSeconds, EndSeconds: row.EndSeconds,
				Err: fmt.Errorf("ends past the end of the file, which is %s s long, so the file holds %s s of the row's %s s (more than RowTolerance, 1 ms, past it): correct the row's times, or leave the row out",
					FormatSeconds(f.seconds), FormatSeconds(max(0, f.seconds-row.StartSeconds)), FormatSeconds(row.EndSeconds-row.StartSeconds))}
		}
		start, end, err := RowSamples(row, f.rateHz, len(f.samples))
		if err != nil {
			return nil, nil, &RowError{Row: r, Line: row.Line, Path: path, StartSeconds: row.StartSeconds, EndSeconds: row.EndSeconds, Err: err}
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
