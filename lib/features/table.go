package features

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// MustDescribe is [Describe] for notebooks: it panics on an error.
func MustDescribe(samples []float32, rateHz int, o Options) *Description {
	d, err := Describe(samples, rateHz, o)
	if err != nil {
		panic(err)
	}
	return d
}

// String writes d as four lines with the features' units, each indented by two spaces:
// the F0 summary (Hz, and the voiced share of frames in %), the call's duration (s), the
// peak and centroid frequencies (Hz), the band holding 90 % of the energy (Hz) and the MFCC
// means (dB-scaled cepstral units) joined by commas. Frequencies are rounded to 1 Hz,
// durations to 10 ms, MFCCs to 0.1.
func (d *Description) String() string {
	mfcc := make([]string, len(d.MFCCMean))
	for c, v := range d.MFCCMean {
		mfcc[c] = fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("  F0: median %.0f Hz, range %.0f–%.0f Hz, voiced %.0f%% of frames\n", d.F0.MedianHz, d.F0.MinHz, d.F0.MaxHz, 100*d.F0.VoicedFraction) +
		fmt.Sprintf("  call duration %.2f s, peak frequency %.0f Hz, centroid %.0f Hz\n", d.CallDurationSeconds, d.PeakFrequencyHz, d.CentroidHz) +
		fmt.Sprintf("  90%% of the energy in %.0f–%.0f Hz (bandwidth %.0f Hz)\n", d.Band90.LowHz, d.Band90.HighHz, d.Band90.WidthHz()) +
		fmt.Sprintf("  MFCC means: %s\n", strings.Join(mfcc, ", "))
}

// VoicedPoints returns one {time (s), F0 (Hz)} row per voiced frame of t, in time order:
// the track as points, the form lib/plots' Scatter takes. Unvoiced frames (NaN) are left
// out, so len(VoicedPoints()) counts the voiced frames.
func (t *F0Track) VoicedPoints() [][]float64 {
	var points [][]float64
	for k, f0 := range t.F0Hz {
		if !math.IsNaN(f0) {
			points = append(points, []float64{t.TimesSeconds[k], f0})
		}
	}
	return points
}

// Select returns the columns of vectors (one row per clip, columns named by names, as
// DescribeRows returns them) named by keep, in keep's order: column c of the result is
// keep[c]. With no keep it returns vectors itself (shared, not copied); otherwise new rows.
// A name in keep that is not a column, or a name given twice, is an error naming it.
func Select(names []string, vectors [][]float32, keep ...string) ([][]float32, error) {
	if len(keep) == 0 {
		return vectors, nil
	}
	columnOf := make(map[string]int, len(names))
	for j, n := range names {
		columnOf[n] = j
	}
	columns := make([]int, len(keep))
	seen := map[string]bool{}
	for c, k := range keep {
		j, ok := columnOf[k]
		if !ok {
			return nil, fmt.Errorf("features: no feature %q among %s", k, strings.Join(names, ", "))
		}
		if seen[k] {
			return nil, fmt.Errorf("features: feature %q asked for twice", k)
		}
		seen[k] = true
		columns[c] = j
	}
	selected := make([][]float32, len(vectors))
	for i, v := range vectors {
		if len(v) != len(names) {
			return nil, fmt.Errorf("features: row %d has %d values for %d names", i, len(v), len(names))
		}
		selected[i] = make([]float32, len(columns))
		for c, j := range columns {
			selected[i][c] = v[j]
		}
	}
	return selected, nil
}

// MustSelect is [Select] for notebooks: it panics on an error.
func MustSelect(names []string, vectors [][]float32, keep ...string) [][]float32 {
	selected, err := Select(names, vectors, keep...)
	if err != nil {
		panic(err)
	}
	return selected
}

// MedianByClass returns, for each class of the single-label table t, the median of the
// feature named feature over the class's rows; vectors holds one row per row of t, with
// columns named by names (as DescribeRows returns them for every row). The median of an
// even count is the mean of the middle two; a class without rows gets NaN. The result is in
// the feature's unit (Hz for "f0_mean_hz").
func MedianByClass(names []string, vectors [][]float32, t *dataset.LabelTable, feature string) ([]float64, error) {
	column, err := Select(names, vectors, feature)
	if err != nil {
		return nil, err
	}
	if len(vectors) != len(t.Rows) {
		return nil, fmt.Errorf("features: %d feature vectors for a label table of %d rows", len(vectors), len(t.Rows))
	}
	y, err := dataset.FromTable(t, nil, dataset.ClassIndex)
	if err != nil {
		return nil, err
	}
	values := make([][]float64, len(t.Classes))
	for i, k := range y.Index {
		values[k] = append(values[k], float64(column[i][0]))
	}
	medians := make([]float64, len(t.Classes))
	for k, xs := range values {
		medians[k] = median(xs)
	}
	return medians, nil
}

// MustMedianByClass is [MedianByClass] for notebooks: it panics on an error.
func MustMedianByClass(names []string, vectors [][]float32, t *dataset.LabelTable, feature string) []float64 {
	medians, err := MedianByClass(names, vectors, t, feature)
	if err != nil {
		panic(err)
	}
	return medians
}

// median returns the median of xs (sorting it in place), NaN when xs is empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
