package active_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// softmaxRegression is a small multinomial logistic regression trained by full-batch
// gradient descent with an L2 penalty, written here so the tests need no other package.
// Classes are 0…max(y).
type softmaxRegression struct {
	steps        int
	learningRate float64
	l2           float64
	w            [][]float64 // w[k] = weights of class k, bias last
}

func newSoftmax() active.Classifier {
	return &softmaxRegression{steps: 300, learningRate: 1, l2: 1e-4}
}

func (m *softmaxRegression) Fit(x [][]float32, y []int) error {
	if len(x) == 0 || len(x) != len(y) {
		return fmt.Errorf("softmax: %d rows, %d labels", len(x), len(y))
	}
	k := 0
	for _, c := range y {
		k = max(k, c+1)
	}
	d := len(x[0])
	m.w = make([][]float64, k)
	for c := range m.w {
		m.w[c] = make([]float64, d+1)
	}
	grad := make([][]float64, k)
	for c := range grad {
		grad[c] = make([]float64, d+1)
	}
	p := make([]float64, k)
	for range m.steps {
		for c := range grad {
			for j := range grad[c] {
				grad[c][j] = m.l2 * m.w[c][j]
			}
		}
		for i, row := range x {
			m.probs(row, p)
			for c := range k {
				g := p[c]
				if c == y[i] {
					g--
				}
				g /= float64(len(x))
				for j, v := range row {
					grad[c][j] += g * float64(v)
				}
				grad[c][d] += g
			}
		}
		for c := range m.w {
			for j := range m.w[c] {
				m.w[c][j] -= m.learningRate * grad[c][j]
			}
		}
	}
	return nil
}

func (m *softmaxRegression) probs(row []float32, p []float64) {
	d := len(row)
	top := math.Inf(-1)
	for c, w := range m.w {
		z := w[d]
		for j, v := range row {
			z += w[j] * float64(v)
		}
		p[c] = z
		top = max(top, z)
	}
	sum := 0.0
	for c := range p {
		p[c] = math.Exp(p[c] - top)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

func (m *softmaxRegression) PredictProba(x [][]float32) ([][]float32, error) {
	p := make([]float64, len(m.w))
	out := make([][]float32, len(x))
	for i, row := range x {
		m.probs(row, p)
		out[i] = make([]float32, len(p))
		for c, v := range p {
			out[i][c] = float32(v)
		}
	}
	return out, nil
}

// lookup is a classifier whose "probabilities" are the embeddings themselves, so a test
// chooses every clip's margin, entropy and target score by hand. It records what it was
// fitted on.
type lookup struct{ fitted *[][]int }

func (l lookup) Fit(x [][]float32, y []int) error {
	if l.fitted != nil {
		*l.fitted = append(*l.fitted, append([]int(nil), y...))
	}
	return nil
}

func (l lookup) PredictProba(x [][]float32) ([][]float32, error) { return x, nil }

// recordingOracle wraps an oracle and remembers every index it was asked about, and in
// which call.
type recordingOracle struct {
	inner active.Oracle
	calls [][]int
}

func (r *recordingOracle) Label(ctx context.Context, items []active.Item) ([]active.Answer, error) {
	var idx []int
	for _, it := range items {
		idx = append(idx, it.Index)
	}
	r.calls = append(r.calls, idx)
	return r.inner.Label(ctx, items)
}

// linearPool makes the property tests' data: a fraction hard of the clips lie uniformly in
// the square [-1, 1]², the rest in four far clusters (radius 0.5 around (±4, ±4)); the class
// is 1 when x + 0.5·y > 0.3. The boundary crosses only the square, so labels of far clips
// barely locate it, and a learner that asks near the boundary finds it sooner.
func linearPool(n int, hard float64, seed uint64) (emb [][]float32, labels []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for range n {
		var x, y float64
		if rng.Float64() < hard {
			x, y = 2*rng.Float64()-1, 2*rng.Float64()-1
		} else {
			cx, cy := 4.0, 4.0
			if rng.IntN(2) == 0 {
				cx = -4
			}
			if rng.IntN(2) == 0 {
				cy = -4
			}
			x, y = cx+rng.Float64()-0.5, cy+rng.Float64()-0.5
		}
		c := 0
		if x+0.5*y > 0.3 {
			c = 1
		}
		emb = append(emb, []float32{float32(x), float32(y)})
		labels = append(labels, c)
	}
	return emb, labels
}
