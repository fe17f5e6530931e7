package classify

import (
	"bytes"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLogisticReportsNonConvergence: a fit stopped at MaxIter says so — in
// Converged, Iterations and Warning, and once on LogisticOptions.Warnings —
// while a converged fit has no warning and writes nothing.
func TestLogisticReportsNonConvergence(t *testing.T) {
	ref := loadReference(t)
	var notes bytes.Buffer
	short := NewLogisticRegression(LogisticOptions{MaxIter: 3, Warnings: &notes})
	if err := short.Fit(ref.XTrain, dataset.SingleLabel(ref.YTrain, 3)); err != nil {
		t.Fatal(err)
	}
	if short.Converged() || short.Iterations() != 3 {
		t.Errorf("MaxIter 3: converged %v after %d iterations, want not converged after 3", short.Converged(), short.Iterations())
	}
	w := short.Warning()
	for _, want := range []string{"3 L-BFGS iterations", "MaxIter", "gradient"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not say %q", w, want)
		}
	}
	if got := notes.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, w) {
		t.Errorf("Warnings writer got %q, want the warning once", got)
	}
	notes.Reset()
	full := NewLogisticRegression(LogisticOptions{Warnings: &notes})
	if err := full.Fit(ref.XTrain, dataset.SingleLabel(ref.YTrain, 3)); err != nil {
		t.Fatal(err)
	}
	if !full.Converged() || full.Warning() != "" || notes.Len() != 0 {
		t.Errorf("default fit: converged %v after %d iterations, warning %q, notes %q; want converged and silent",
			full.Converged(), full.Iterations(), full.Warning(), notes.String())
	}
	var _ Iterative = full
}

// correlated returns classes × perClass rows of dims features that mix
// latent hidden dimensions (plus a little noise of their own), class centres
// drawn N(0, sep²) in the latent space: correlated features, as an
// embedding's are, which make L-BFGS take more iterations than isotropic
// blobs do. Seeded.
func correlated(classes, perClass, dims, latent int, sep float64, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	mix := make([][]float64, latent)
	for i := range mix {
		mix[i] = make([]float64, dims)
		for j := range mix[i] {
			mix[i][j] = rng.NormFloat64()
		}
	}
	centres := make([][]float64, classes)
	for c := range centres {
		centres[c] = make([]float64, latent)
		for j := range centres[c] {
			centres[c][j] = sep * rng.NormFloat64()
		}
	}
	var x [][]float32
	var y []int
	for i := range classes * perClass {
		c := i % classes
		z := make([]float64, latent)
		for j := range z {
			z[j] = centres[c][j] + rng.NormFloat64()
		}
		row := make([]float32, dims)
		for k := range row {
			v := 0.1 * rng.NormFloat64()
			for j := range z {
				v += z[j] * mix[j][k]
			}
			row[k] = float32(v)
		}
		x, y = append(x, row), append(y, c)
	}
	return x, y
}

// TestLogisticDefaultConverges: the default settings converge on data of the
// embeddings' shape (20 classes × 32 rows, 128 correlated features), which
// takes about 170 L-BFGS iterations: the old limit of 100 stopped short, as
// it did on every fit of birds-v1 embeddings in transfercheck and lessons 04a
// and 05 (which take up to 377).
func TestLogisticDefaultConverges(t *testing.T) {
	x, y := correlated(20, 32, 128, 16, 1, 1)
	lr := NewLogisticRegression(LogisticOptions{})
	if err := lr.Fit(x, dataset.SingleLabel(y, 20)); err != nil {
		t.Fatal(err)
	}
	if !lr.Converged() || lr.Iterations() <= 100 {
		t.Errorf("default fit: converged %v after %d iterations (%s); want converged, after more than the old limit of 100", lr.Converged(), lr.Iterations(), lr.Warning())
	}
}
