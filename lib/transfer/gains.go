package transfer

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Gain is how much more accurate a method is than a baseline at one training-set
// size, paired by seed: Run draws a seed's training clips the same way for every
// method and tests every method on the same clips, so the per-seed differences
// leave out the luck of the draw that both share.
type Gain struct {
	Method, Baseline Method
	Size             int
	// Seeds are the seeds both methods ran at this size, ascending.
	Seeds []uint64
	// Interval is the mean of the per-seed differences in accuracy (method minus
	// baseline, as a fraction) with its 95 % Student t interval (metrics.MeanInterval,
	// n − 1 degrees of freedom: 4.30 standard errors either side for 3 seeds). It
	// measures the spread over training draws and initialisations; the test clips are
	// the same for every seed, so it says nothing of how another test set would score.
	// Its bounds are clipped to [−1, 1], the values a difference of accuracies can take
	// (metrics.Interval.Clip), as the course prints every t interval.
	metrics.Interval
}

// Gains pairs every method's rows with the baseline's of the same size and seed and
// returns one Gain per method and size (methods in order of appearance, sizes
// ascending). A size where the two share fewer than 2 seeds has no interval and is
// left out. Two rows of one method, size and seed are an error (rows from two runs
// mixed up), as is a baseline with no rows. Unlike metrics.CurvesTable, which pairs
// curves run by run at the points they share, Gains pairs rows by their seed, so
// methods run at different sizes or with some seeds missing still pair rightly.
func Gains(rows []Row, baseline Method) ([]Gain, error) {
	type key struct {
		m    Method
		size int
		seed uint64
	}
	accuracy := map[key]float64{}
	var methods []Method
	for _, r := range rows {
		k := key{r.Method, r.Size, r.Seed}
		if _, dup := accuracy[k]; dup {
			return nil, fmt.Errorf("transfer: gains: two rows of %s at %d clips, seed %d", r.Method, r.Size, r.Seed)
		}
		accuracy[k] = r.Accuracy
		if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
	}
	if !slices.Contains(methods, baseline) {
		return nil, fmt.Errorf("transfer: gains: no rows of the baseline %q", baseline)
	}
	var gains []Gain
	for _, m := range methods {
		if m == baseline {
			continue
		}
		bySize := map[int][]uint64{}
		for k := range accuracy {
			if k.m != m {
				continue
			}
			if _, ok := accuracy[key{baseline, k.size, k.seed}]; ok {
				bySize[k.size] = append(bySize[k.size], k.seed)
			}
		}
		sizes := make([]int, 0, len(bySize))
		for s := range bySize {
			sizes = append(sizes, s)
		}
		slices.Sort(sizes)
		for _, size := range sizes {
			seeds := bySize[size]
			if len(seeds) < 2 {
				continue
			}
			slices.Sort(seeds)
			mine, base := make([]float64, len(seeds)), make([]float64, len(seeds))
			for i, seed := range seeds {
				mine[i], base[i] = accuracy[key{m, size, seed}], accuracy[key{baseline, size, seed}]
			}
			iv, err := metrics.PairedInterval(mine, base, 0.95)
			if err != nil {
				return nil, fmt.Errorf("transfer: gains of %s over %s at %d clips: %w", m, baseline, size, err)
			}
			gains = append(gains, Gain{Method: m, Baseline: baseline, Size: size, Seeds: seeds, Interval: iv.Clip(-1, 1)})
		}
	}
	return gains, nil
}

// MustGains is Gains that panics on error, for notebooks.
func MustGains(rows []Row, baseline Method) []Gain {
	g, err := Gains(rows, baseline)
	if err != nil {
		panic(err)
	}
	return g
}

// noSpread is the width of interval, as a fraction, below which GainTable counts the
// seeds' differences as identical: far below one clip in any test set (1e-9 against
// 1/n for n clips), far above float64 rounding of differences of fractions (~1e-16).
const noSpread = 1e-9

// GainTable formats gains as text, a line each: the method (its Description), the size, the number of
// seeds and the mean gain in accuracy points with its 95 % interval in brackets; a
// gain whose interval lies wholly above (below) zero is marked "ahead" ("behind").
// A gain whose interval has no width (every seed gave the same difference, so the
// t interval collapses to a point) is marked "no spread over seeds" instead: a few
// seeds that agree exactly measure no spread, which is no evidence that another
// draw would agree too. "No width" allows for rounding: differences of accuracies
// that are equal as fractions can differ in their last bits as float64s.
func GainTable(gains []Gain) string {
	width := 0
	for _, g := range gains {
		width = max(width, utf8.RuneCountInString(g.Method.Description()))
	}
	var b strings.Builder
	for _, g := range gains {
		verdict := "not separable"
		switch {
		case g.Upper-g.Lower < noSpread:
			verdict = "no spread over seeds"
		case g.Lower > 0:
			verdict = "ahead"
		case g.Upper < 0:
			verdict = "behind"
		}
		name := g.Method.Description()
		fmt.Fprintf(&b, "%s%s %5d clips, %d seeds: %+5.1f points [%+.1f, %+.1f]  %s\n",
			name, strings.Repeat(" ", width-utf8.RuneCountInString(name)), g.Size, len(g.Seeds), 100*g.Estimate, 100*g.Lower, 100*g.Upper, verdict)
	}
	return b.String()
}
