package agile

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// Precision is the precision at a threshold estimated from a labelled random
// sample of the windows at or above it.
type Precision struct {
	Threshold float64
	// Candidates are the windows at or above the threshold that could be
	// sampled (those of recordings left out excluded).
	Candidates int
	// Asked is the sample's size; Yes and Unsure count its answers (Unsure
	// ones are left out of the estimate).
	Asked, Yes, Unsure int
	// Precision is Yes / (Asked − Unsure); Low and High bound its 95 % Wilson
	// score interval.
	Precision, Low, High float64
	// Sample are the pool indices asked about.
	Sample []int
}

func (p Precision) String() string {
	return fmt.Sprintf("precision at score ≥ %.2f: %d of %d sampled windows (of %d candidates) are positive = %.2f, 95 %% interval [%.2f, %.2f]",
		p.Threshold, p.Yes, p.Asked-p.Unsure, p.Candidates, p.Precision, p.Low, p.High)
}

// Wilson returns the 95 % Wilson score interval of a proportion of k
// successes in n trials (z = 1.959964): better than the normal interval for
// small n and proportions near 0 or 1. n = 0 gives [0, 1].
func Wilson(k, n int) (low, high float64) { return wilson(float64(k), float64(n)) }

// wilson is Wilson's interval for k successes in n trials, both real: n may be
// an effective sample size.
func wilson(k, n float64) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := k / n
	centre := (p + z*z/(2*n)) / (1 + z*z/n)
	half := z / (1 + z*z/n) * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return max(0, centre-half), min(1, centre+half)
}

// ValidatePrecision estimates the precision of scores at threshold: it draws
// up to n windows at random (seeded) among those scoring at least threshold,
// leaving out every window of the files in exclude (the recordings whose
// windows trained the classifier or made the query), asks oracle about them,
// stores the answers as annotations of label with provenance, and returns the
// estimate.
func (a *Archive) ValidatePrecision(ctx context.Context, oracle active.Oracle, scores []float64, threshold float64, n int,
	exclude map[string]bool, seed uint64, label, provenance string, samples bool) (Precision, error) {
	if len(scores) != a.Len() {
		return Precision{}, fmt.Errorf("agile: %d scores for %d windows", len(scores), a.Len())
	}
	if n <= 0 {
		return Precision{}, errors.New("agile: a validation sample needs n > 0")
	}
	var cands []int
	for i, s := range scores {
		if s >= threshold && !exclude[a.Windows.Keys[i].File] {
			cands = append(cands, i)
		}
	}
	p := Precision{Threshold: threshold, Candidates: len(cands)}
	if len(cands) == 0 {
		p.Low, p.High = Wilson(0, 0)
		return p, nil
	}
	a.byKey(cands)
	rng := rand.New(rand.NewPCG(seed, 0x76616c6964))
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	p.Sample = cands[:min(n, len(cands))]
	answers, err := a.Label(ctx, oracle, p.Sample, label, provenance, samples)
	if err != nil {
		return p, err
	}
	p.Asked = len(answers)
	p.Yes, p.Unsure = CountAnswers(answers)
	if m := p.Asked - p.Unsure; m > 0 {
		p.Precision = float64(p.Yes) / float64(m)
	}
	p.Low, p.High = Wilson(p.Yes, p.Asked-p.Unsure)
	return p, nil
}
