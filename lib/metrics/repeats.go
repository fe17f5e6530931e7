package metrics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MeanInterval returns a Student t confidence interval on the mean of a few independent
// repeats of one measurement (the accuracies of one experiment run with several split or
// training seeds; seeds that give the same split are one repeat, not several): Estimate is the mean m, and Lower, Upper = m ∓ t·s/√n, where n is the
// number of values, s their sample standard deviation (n − 1 in the denominator) and t the
// (1+level)/2 quantile of Student's t with n − 1 degrees of freedom (2.776 for 5 values at
// level 0.95). Replicates is nil.
//
// It is meant for few repeats, where [Bootstrap] over the repeats themselves is too
// narrow: a percentile bootstrap of the mean of 5 values spans about ±1.75·s/√5, and so
// covers the true mean about 85 % of the time where it claims 95 %, while t's ±2.78·s/√5
// keeps its level when the repeats are roughly normal. Level 0 means 0.95. The values must
// be finite and at least 2; identical values give the zero-width interval [m, m]. To
// compare two measurements made on the same repeats (two models on the same splits), pass
// the per-repeat differences, not the two intervals: the differences are often far less
// spread than either measurement.
func MeanInterval(values []float64, level float64) (Interval, error) {
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("metrics: mean interval at confidence level %v, want a value in (0, 1)", level)
	}
	n := len(values)
	if n < 2 {
		return Interval{}, fmt.Errorf("metrics: mean interval over %d values, want at least 2", n)
	}
	sum := 0.0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Interval{}, fmt.Errorf("metrics: mean interval: value %d is %v, want a finite number", i, v)
		}
		sum += v
	}
	mean := sum / float64(n)
	squares := 0.0
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile((1 + level) / 2)
	half := t * math.Sqrt(squares/float64(n-1)/float64(n))
	return Interval{Estimate: mean, Lower: mean - half, Upper: mean + half, Level: level}, nil
}

// PairedInterval returns the Student t confidence interval ([MeanInterval]) on the mean of
// a[i] − b[i]: two measurements made on the same repeats (two models on the same splits or
// seeds), whose per-repeat differences vary far less than either measurement, so this
// interval, not the overlap of two intervals, says whether they differ. a and b must have
// the same length, at least 2.
func PairedInterval(a, b []float64, level float64) (Interval, error) {
	d, err := differences(a, b)
	if err != nil {
		return Interval{}, err
	}
	return MeanInterval(d, level)
}

// differences returns a[i] − b[i], repeat by repeat.
func differences(a, b []float64) ([]float64, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("metrics: paired interval of %d and %d values, want them paired", len(a), len(b))
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d, nil
}

// DistinctRepeats returns the indices of the first repeat of each distinct key, in order.
// keys[i] names what repeat i measured on (its training draw, its split), so that two
// seeds that happen to draw the same rows are seen to be one measurement made twice.
//
// It is the course's one policy for repeats that repeat themselves, which
// [RepeatsInterval] applies: such a repeat is tracked, not refused (a seed list is not
// wrong because two of its seeds draw alike; the caller reports how many were distinct),
// and it is counted once, by its first occurrence, since counting it twice would narrow
// the interval with a measurement that adds no information.
func DistinctRepeats(keys []string) []int {
	seen := make(map[string]bool, len(keys))
	var firsts []int
	for i, k := range keys {
		if !seen[k] {
			seen[k] = true
			firsts = append(firsts, i)
		}
	}
	return firsts
}

// RepeatsInterval is [MeanInterval] over the distinct repeats, values[i] for i in
// distinct (the indices [DistinctRepeats] returns), under the course's one policy for
// few repeats: a single distinct repeat has no spread to measure, so the interval is its
// value with NaN bounds (tables print them as "—"), not an error, and a comparison of
// several splittings or feature sets can still show the one that has no interval. No
// distinct repeat, an index outside values, or a value that is not finite is an error.
func RepeatsInterval(values []float64, distinct []int, level float64) (Interval, error) {
	if level == 0 {
		level = 0.95
	}
	if len(distinct) == 0 {
		return Interval{}, fmt.Errorf("metrics: repeats interval over no repeats")
	}
	kept := make([]float64, len(distinct))
	for j, i := range distinct {
		if i < 0 || i >= len(values) {
			return Interval{}, fmt.Errorf("metrics: repeats interval: repeat %d of %d values", i, len(values))
		}
		kept[j] = values[i]
	}
	if len(kept) == 1 {
		if math.IsNaN(kept[0]) || math.IsInf(kept[0], 0) {
			return Interval{}, fmt.Errorf("metrics: repeats interval: value %d is %v, want a finite number", distinct[0], kept[0])
		}
		return Interval{Estimate: kept[0], Lower: math.NaN(), Upper: math.NaN(), Level: level}, nil
	}
	return MeanInterval(kept, level)
}

// PairedRepeatsInterval is [RepeatsInterval] on a[i] − b[i]: two measurements made on
// the same repeats ([PairedInterval]), some of which may repeat themselves.
func PairedRepeatsInterval(a, b []float64, distinct []int, level float64) (Interval, error) {
	d, err := differences(a, b)
	if err != nil {
		return Interval{}, err
	}
	return RepeatsInterval(d, distinct, level)
}

// WelchInterval returns a Student t confidence interval on mean(a) − mean(b) for two sets
// of independent repeats that share nothing (the splits of two different splittings, say:
// seed k of one is unrelated to seed k of the other, so pairing them by seed, as
// [PairedInterval] does, would pair at random). Estimate is the difference of the means
// d, and Lower, Upper = d ∓ t·√(s²a/na + s²b/nb), with sample variances s² (n − 1 in the
// denominator) and t the (1+level)/2 quantile of Student's t with the Welch–Satterthwaite
// degrees of freedom (s²a/na + s²b/nb)² / ((s²a/na)²/(na−1) + (s²b/nb)²/(nb−1)): the two
// sets may differ in size and spread. With 2 values on one side the degrees of freedom can
// fall near 1 and t near 12.7, and the interval is as wide as so few repeats warrant.
// Level 0 means 0.95. Each set needs at least 2 finite values; if both sets are constant
// the interval is the zero-width [d, d].
func WelchInterval(a, b []float64, level float64) (Interval, error) {
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("metrics: Welch interval at confidence level %v, want a value in (0, 1)", level)
	}
	meanVariance := func(values []float64, name string) (mean, varianceOfMean float64, err error) {
		n := len(values)
		if n < 2 {
			return 0, 0, fmt.Errorf("metrics: Welch interval: %d values in %s, want at least 2", n, name)
		}
		for i, v := range values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("metrics: Welch interval: value %d of %s is %v, want a finite number", i, name, v)
			}
			mean += v
		}
		mean /= float64(n)
		squares := 0.0
		for _, v := range values {
			squares += (v - mean) * (v - mean)
		}
		return mean, squares / float64(n-1) / float64(n), nil
	}
	meanA, va, err := meanVariance(a, "a")
	if err != nil {
		return Interval{}, err
	}
	meanB, vb, err := meanVariance(b, "b")
	if err != nil {
		return Interval{}, err
	}
	d := meanA - meanB
	if va+vb == 0 {
		return Interval{Estimate: d, Lower: d, Upper: d, Level: level}, nil
	}
	df := (va + vb) * (va + vb) / (va*va/float64(len(a)-1) + vb*vb/float64(len(b)-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile((1 + level) / 2)
	half := t * math.Sqrt(va+vb)
	return Interval{Estimate: d, Lower: d - half, Upper: d + half, Level: level}, nil
}
