package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// BootstrapConfig sets how Bootstrap resamples. The zero value of each field takes the
// default given in its comment.
type BootstrapConfig struct {
	// Resamples is the number of bootstrap replicates (default 1000).
	Resamples int
	// Level is the confidence level of the interval, in (0, 1) (default 0.95).
	Level float64
	// Seed seeds the random resampling: the same seed gives the same interval.
	Seed uint64
	// Groups, when not nil, holds one group key per clip (such as the recording it was
	// cut from), and whole groups are resampled with replacement instead of single clips:
	// a replicate draws as many groups as there are, and takes all the clips of each
	// draw. Use it when clips of one group are not independent, or the interval will be
	// too narrow.
	Groups []string
}

// Interval is a confidence interval on a metric: a bootstrap's ([Bootstrap]) or, over a few
// repeats of a measurement, Student t's ([MeanInterval]).
type Interval struct {
	// Estimate is the metric on all the clips, as given (the mean of the repeats for
	// MeanInterval).
	Estimate float64
	// Lower and Upper are the (1−Level)/2 and (1+Level)/2 percentiles of the replicates
	// (numpy.percentile's default linear interpolation); MeanInterval's are the mean ∓ t
	// standard errors.
	Lower, Upper float64
	// Level is the confidence level.
	Level float64
	// Replicates holds the metric on every resample whose value is not NaN, in the order
	// drawn (nil for MeanInterval).
	Replicates []float64
	// Skipped counts the resamples whose metric was NaN (for example an AUROC on a
	// resample that drew no positives); they are left out of the percentiles.
	Skipped int
}

// withDefaults returns config with its zero fields set to their documented defaults.
func (config BootstrapConfig) withDefaults() BootstrapConfig {
	if config.Resamples == 0 {
		config.Resamples = 1000
	}
	if config.Level == 0 {
		config.Level = 0.95
	}
	return config
}

// Bootstrap returns a percentile bootstrap confidence interval on a metric over numClips
// clips. metric receives the indices of the clips of one resample (with repeats; see Rows
// to gather them) and returns the metric's value on them; an error from metric stops the
// bootstrap and is returned. The first call of metric gets all the clips in order and gives
// the Estimate. The indices slice is reused between calls: copy it to keep it.
func Bootstrap(numClips int, metric func(clipIndices []int) (float64, error), config BootstrapConfig) (Interval, error) {
	if numClips < 1 {
		return Interval{}, fmt.Errorf("metrics: bootstrap over %d clips, want at least 1", numClips)
	}
	config = config.withDefaults()
	if config.Resamples < 0 {
		return Interval{}, fmt.Errorf("metrics: bootstrap with %d resamples, want a positive number", config.Resamples)
	}
	if !(config.Level > 0 && config.Level < 1) {
		return Interval{}, fmt.Errorf("metrics: bootstrap confidence level %v, want a value in (0, 1)", config.Level)
	}
	if config.Groups != nil && len(config.Groups) != numClips {
		return Interval{}, fmt.Errorf("metrics: bootstrap has %d group keys for %d clips, want one per clip", len(config.Groups), numClips)
	}

	// Units of resampling: single clips, or the clips of each group in order of first appearance.
	var units [][]int
	if config.Groups == nil {
		units = make([][]int, numClips)
		for i := range units {
			units[i] = []int{i}
		}
	} else {
		unitOf := map[string]int{}
		for i, g := range config.Groups {
			u, ok := unitOf[g]
			if !ok {
				u = len(units)
				unitOf[g] = u
				units = append(units, nil)
			}
			units[u] = append(units[u], i)
		}
	}

	all := make([]int, numClips)
	for i := range all {
		all[i] = i
	}
	estimate, err := metric(all)
	if err != nil {
		return Interval{}, fmt.Errorf("metrics: bootstrap estimate on all clips: %w", err)
	}
	interval := Interval{Estimate: estimate, Level: config.Level}
	rng := rand.New(rand.NewPCG(config.Seed, 0x5eed))
	indices := make([]int, 0, numClips)
	for r := range config.Resamples {
		indices = indices[:0]
		for range len(units) {
			indices = append(indices, units[rng.IntN(len(units))]...)
		}
		value, err := metric(indices)
		if err != nil {
			return Interval{}, fmt.Errorf("metrics: bootstrap resample %d: %w", r, err)
		}
		if math.IsNaN(value) {
			interval.Skipped++
			continue
		}
		interval.Replicates = append(interval.Replicates, value)
	}
	if len(interval.Replicates) == 0 {
		return Interval{}, fmt.Errorf("metrics: bootstrap: the metric was NaN on all %d resamples", config.Resamples)
	}
	sorted := slices.Clone(interval.Replicates)
	slices.Sort(sorted)
	interval.Lower = Percentile(sorted, (1-config.Level)/2)
	interval.Upper = Percentile(sorted, (1+config.Level)/2)
	return interval, nil
}

// Percentile returns the q-quantile (q in [0, 1]) of sorted values, interpolating linearly
// between the two nearest ranks, as numpy.percentile(values, 100*q) does by default.
// sorted must be non-empty and in increasing order.
func Percentile(sorted []float64, q float64) float64 {
	position := q * float64(len(sorted)-1)
	below := int(math.Floor(position))
	if below >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	if below < 0 {
		return sorted[0]
	}
	fraction := position - float64(below)
	return sorted[below] + fraction*(sorted[below+1]-sorted[below])
}

// String writes the interval as the lessons do: the estimate, then the interval in
// brackets, three decimals ("0.832 [0.821, 0.844]"; a NaN bound as "—", Bounds).
// Brackets always mean a confidence interval at the interval's Level; a plain range over
// a few seeds is written (a–b).
func (i Interval) String() string {
	return fmt.Sprintf("%.3f %s", i.Estimate, i.Bounds("%.3f", 1))
}

// Percent writes a proportion's interval in percent, one decimal ("83.2 % [82.1, 84.4]";
// a NaN bound as "—", Bounds), for accuracies and other fractions in [0, 1].
func (i Interval) Percent() string {
	return fmt.Sprintf("%.1f %% %s", 100*i.Estimate, i.Bounds("%.1f", 100))
}

// Bounds writes the interval's bounds in brackets, each multiplied by scale (100 for
// percent or percentage points) and written with format ("%.1f" gives "[82.1, 84.4]").
// A NaN bound — an interval that cannot be computed, such as [RepeatsInterval]'s over a
// single distinct repeat — is written "—" ("[—, —]"): the course's one spelling of it,
// which every table that prints an interval uses.
func (i Interval) Bounds(format string, scale float64) string {
	bound := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf(format, scale*v)
	}
	return "[" + bound(i.Lower) + ", " + bound(i.Upper) + "]"
}

// Clip returns the interval with its bounds moved inside [low, high], the values the
// metric can take: a Student t interval ([MeanInterval]) is symmetric and runs past a
// bound when the repeats sit near it and spread (a mean accuracy of 0.96 ± 0.05 would
// reach 1.01). The course prints every t interval clipped at the metric's bounds — 0 and
// 1 for an accuracy, −1 and 1 for a difference of two accuracies, 0 and the number there
// are for clips found — and each lesson's notation says so; fewshot, CurvesTable,
// classify.CompareSplits and transfer.Gains all clip here. The estimate is not moved,
// and NaN bounds stay NaN.
func (i Interval) Clip(low, high float64) Interval {
	if !math.IsNaN(i.Lower) {
		i.Lower = min(max(i.Lower, low), high)
	}
	if !math.IsNaN(i.Upper) {
		i.Upper = max(min(i.Upper, high), low)
	}
	return i
}
