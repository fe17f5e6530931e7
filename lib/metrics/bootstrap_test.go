package metrics

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// meanOf returns a metric: the mean of values over the resampled clips.
func meanOf(values []float64) func([]int) (float64, error) {
	return func(indices []int) (float64, error) {
		sum := 0.0
		for _, v := range Rows(values, indices) {
			sum += v
		}
		return sum / float64(len(indices)), nil
	}
}

// binomialPMF is P(X = k) for X ~ Binomial(n, p), computed in log space.
func binomialPMF(n, k int, p float64) float64 {
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x + 1)); return v }
	return math.Exp(lg(n) - lg(k) - lg(n-k) + float64(k)*math.Log(p) + float64(n-k)*math.Log(1-p))
}

// The bootstrap distribution of the mean of n 0/1 values with m ones is Binomial(n, m/n)/n:
// the replicates' histogram must match it, and the percentile interval its quantiles.
func TestBootstrapMeanOfBernoulliMatchesBinomial(t *testing.T) {
	const n, ones, resamples = 20, 8, 4000
	values := make([]float64, n)
	for i := range ones {
		values[i] = 1
	}
	interval, err := Bootstrap(n, meanOf(values), BootstrapConfig{Resamples: resamples, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if interval.Estimate != 0.4 || interval.Level != 0.95 || len(interval.Replicates) != resamples {
		t.Fatalf("estimate %v, level %v, %d replicates; want 0.4, 0.95 (default), %d",
			interval.Estimate, interval.Level, len(interval.Replicates), resamples)
	}
	histogram := make([]float64, n+1)
	for _, r := range interval.Replicates {
		histogram[int(math.Round(r*n))] += 1.0 / resamples
	}
	// Exact quantiles of Binomial(20, 0.4)/20, and the frequency of each value
	// (standard error of a frequency ≤ 0.008 with 4000 resamples).
	cdf := 0.0
	lower, upper := -1, -1
	for k := 0; k <= n; k++ {
		pmf := binomialPMF(n, k, 0.4)
		if math.Abs(histogram[k]-pmf) > 0.03 {
			t.Errorf("fraction of replicates with mean %d/20 = %.3f, binomial probability %.3f", k, histogram[k], pmf)
		}
		cdf += pmf
		if lower < 0 && cdf >= 0.025 {
			lower = k
		}
		if upper < 0 && cdf >= 0.975 {
			upper = k
		}
	}
	if math.Abs(interval.Lower-float64(lower)/n) > 1.0/n || math.Abs(interval.Upper-float64(upper)/n) > 1.0/n {
		t.Errorf("interval [%v, %v], binomial quantiles [%v, %v] (within 1/20)", interval.Lower, interval.Upper,
			float64(lower)/n, float64(upper)/n)
	}
}

// Resampling whole groups: with two recordings, one all 1s and one all 0s, each replicate
// draws two recordings, so the mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4 when the
// recordings hold equally many clips, and 0, 1/4 or 1 when they hold 3 and 1 clips.
func TestBootstrapGroupsKnownDistribution(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		groups []string
		want   map[float64]float64 // replicate value → probability
	}{
		{"equal groups", []float64{1, 1, 1, 0, 0, 0}, []string{"a", "a", "a", "b", "b", "b"},
			map[float64]float64{0: 0.25, 0.5: 0.5, 1: 0.25}},
		{"unequal groups, interleaved", []float64{0, 1, 0, 0}, []string{"b", "a", "b", "b"},
			map[float64]float64{0: 0.25, 0.25: 0.5, 1: 0.25}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const resamples = 4000
			interval, err := Bootstrap(len(tc.values), meanOf(tc.values), BootstrapConfig{Resamples: resamples, Seed: 1, Groups: tc.groups})
			if err != nil {
				t.Fatal(err)
			}
			frequency := map[float64]float64{}
			for _, r := range interval.Replicates {
				frequency[r] += 1.0 / resamples
			}
			for value, p := range tc.want {
				if math.Abs(frequency[value]-p) > 0.03 {
					t.Errorf("fraction of replicates equal to %v = %.3f, want %.2f", value, frequency[value], p)
				}
				delete(frequency, value)
			}
			if len(frequency) > 0 {
				t.Errorf("replicates take values outside %v: %v", tc.want, frequency)
			}
			if interval.Lower != 0 || interval.Upper != 1 {
				t.Errorf("95%% interval [%v, %v], want [0, 1]", interval.Lower, interval.Upper)
			}
		})
	}
}

func TestBootstrapIsSeeded(t *testing.T) {
	values := []float64{0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8}
	config := BootstrapConfig{Resamples: 50, Seed: 3, Level: 0.9}
	a, err := Bootstrap(len(values), meanOf(values), config)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bootstrap(len(values), meanOf(values), config)
	config.Seed = 4
	c, _ := Bootstrap(len(values), meanOf(values), config)
	for i := range a.Replicates {
		if a.Replicates[i] != b.Replicates[i] {
			t.Fatalf("same seed, replicate %d differs: %v vs %v", i, a.Replicates[i], b.Replicates[i])
		}
	}
	if a.Lower == c.Lower && a.Upper == c.Upper {
		t.Errorf("seeds 3 and 4 give the same interval [%v, %v]", a.Lower, a.Upper)
	}
	if !(a.Lower <= a.Estimate && a.Estimate <= a.Upper) {
		t.Errorf("estimate %v outside its interval [%v, %v]", a.Estimate, a.Lower, a.Upper)
	}
}

// A metric that is undefined on some resamples (AUROC without positives) is skipped there.
func TestBootstrapSkipsNaN(t *testing.T) {
	scores := []float64{0.9, 0.2, 0.4, 0.3, 0.1, 0.6}
	labels := []int{1, 0, 0, 0, 0, 0}
	auroc := func(indices []int) (float64, error) {
		return AUROC(Rows(scores, indices), Rows(labels, indices))
	}
	interval, err := Bootstrap(len(scores), auroc, BootstrapConfig{Resamples: 500, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	// A resample misses the single positive with probability (5/6)^6 ≈ 0.335.
	if interval.Skipped+len(interval.Replicates) != 500 || math.Abs(float64(interval.Skipped)/500-0.335) > 0.07 {
		t.Errorf("%d skipped and %d kept of 500; want about 33.5%% skipped", interval.Skipped, len(interval.Replicates))
	}
	if interval.Estimate != 1 || interval.Lower != 1 || interval.Upper != 1 {
		t.Errorf("AUROC of a perfect ranking: %+v, want 1 everywhere", interval)
	}
}

func TestBootstrapErrors(t *testing.T) {
	mean := meanOf([]float64{1, 2, 3})
	failing := func([]int) (float64, error) { return 0, errors.New("boom") }
	always := func([]int) (float64, error) { return math.NaN(), nil }
	tests := []struct {
		name     string
		numClips int
		metric   func([]int) (float64, error)
		config   BootstrapConfig
		want     string
	}{
		{"no clips", 0, mean, BootstrapConfig{}, "over 0 clips"},
		{"negative resamples", 3, mean, BootstrapConfig{Resamples: -1}, "-1 resamples"},
		{"level above 1", 3, mean, BootstrapConfig{Level: 1.5}, "level 1.5"},
		{"groups of wrong length", 3, mean, BootstrapConfig{Groups: []string{"a"}}, "1 group keys for 3 clips"},
		{"metric error", 3, failing, BootstrapConfig{}, "boom"},
		{"always NaN", 3, always, BootstrapConfig{Resamples: 5}, "NaN on all 5 resamples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Bootstrap(tc.numClips, tc.metric, tc.config)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
