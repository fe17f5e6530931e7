package reduce

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }

// TestPCAMatchesScikitLearn compares PCA with scikit-learn's exact PCA
// (svd_solver "full") on the values saved by testdata/make_reference.py: a
// tall matrix (full decomposition of the covariance), a wide one (Gram
// path) and 2 of 64 components (subspace iteration, checked to run):
// components, variances and their ratios to 1e-9, projections (plain and
// whitened) to 1e-8.
func TestPCAMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	for name, r := range map[string]pcaRef{"tall": ref.PCATall, "wide": ref.PCAWide, "top": ref.PCATop} {
		t.Run(name, func(t *testing.T) {
			k := len(r.Components)
			if name == "top" { // It must test the top-components path.
				d := len(r.X[0])
				if !useSubspace(d, k) {
					t.Fatalf("useSubspace(%d, %d) is false", d, k)
				}
				if _, _, ok := topEigenSym(covariance(r.X), d, k); !ok {
					t.Fatal("the subspace iteration did not converge: PCA falls back, the case tests nothing")
				}
			}
			p, err := PCA(r.X, PCAOptions{Components: k})
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-9
			for c, row := range p.Components() {
				for j, v := range row {
					if !closeTo(v, r.Components[c][j], tol) {
						t.Fatalf("component %d[%d] = %v, scikit-learn %v", c, j, v, r.Components[c][j])
					}
				}
				if !closeTo(p.ExplainedVariance()[c], r.ExplainedVariance[c], tol) ||
					!closeTo(p.ExplainedVarianceRatio()[c], r.ExplainedVarianceRatio[c], tol) {
					t.Errorf("component %d: variance %v ratio %v, scikit-learn %v %v", c,
						p.ExplainedVariance()[c], p.ExplainedVarianceRatio()[c], r.ExplainedVariance[c], r.ExplainedVarianceRatio[c])
				}
			}
			y := p.MustTransform(r.X)
			pw := MustPCA(r.X, PCAOptions{Components: k, Whiten: true})
			yw := pw.MustTransform(r.X)
			for i := range y {
				for c := range y[i] {
					if !closeTo(y[i][c], r.Transform[i][c], 1e-8) || !closeTo(yw[i][c], r.Whitened[i][c], 1e-8) {
						t.Fatalf("point %d coordinate %d: %v (whitened %v), scikit-learn %v (%v)", i, c, y[i][c], yw[i][c], r.Transform[i][c], r.Whitened[i][c])
					}
				}
			}
		})
	}
}

// Against gonum's SVD of the centred matrix: components are the right singular vectors
// (up to sign) and variances the squared singular values over n−1. The 1500×256
// mixture takes the subspace-iteration path (pcatop.go), the others the full
// decomposition of the covariance and of the Gram matrix.
func TestPCAMatchesGonumSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, shape := range [][2]int{{200, 12}, {15, 40}, {1500, 256}} {
		n, d := shape[0], shape[1]
		x := make([][]float32, n)
		for i := range x {
			x[i] = make([]float32, d)
			for j := range x[i] {
				x[i][j] = float32(rng.NormFloat64()*float64(d-j) + 3)
			}
		}
		k := 5
		if d == 256 {
			x, k = mixture(rng, n, d, 0.5), 4
			if !useSubspace(d, k) {
				t.Fatalf("useSubspace(%d, %d) is false: the case does not test the iteration", d, k)
			}
		}
		p := MustPCA(x, PCAOptions{Components: k})
		xc := mat.NewDense(n, d, nil)
		mean := p.Mean()
		for i := range x {
			for j := range x[i] {
				xc.Set(i, j, float64(x[i][j])-mean[j])
			}
		}
		var svd mat.SVD
		if !svd.Factorize(xc, mat.SVDThin) {
			t.Fatal("SVD failed")
		}
		s := svd.Values(nil)
		var v mat.Dense
		svd.VTo(&v)
		comps := p.Components()
		total := 0.0
		for _, sv := range s {
			total += sv * sv
		}
		for c := 0; c < k; c++ {
			want := s[c] * s[c] / float64(n-1)
			if !closeTo(p.ExplainedVariance()[c], want, 1e-9) || !closeTo(p.ExplainedVarianceRatio()[c], s[c]*s[c]/total, 1e-9) {
				t.Errorf("%dx%d component %d: variance %v, SVD %v", n, d, c, p.ExplainedVariance()[c], want)
			}
			dot := 0.0
			for j := 0; j < d; j++ {
				dot += comps[c][j] * v.At(j, c)
			}
			if math.Abs(math.Abs(dot)-1) > 1e-9 {
				t.Errorf("%dx%d component %d: |cos| with SVD's vector %v, want 1", n, d, c, math.Abs(dot))
			}
		}
	}
}

func TestPCABadInput(t *testing.T) {
	x := [][]float32{{1, 2}, {3, 4}, {5, 7}}
	for _, tc := range []struct {
		name string
		x    [][]float32
		o    PCAOptions
		want string
	}{
		{"too many components", x, PCAOptions{Components: 3}, "3 components asked of 3 points × 2 dimensions"},
		{"nan", [][]float32{{1, 2}, {float32(math.NaN()), 1}}, PCAOptions{}, "point 1 value 0 is NaN"},
		{"one point", [][]float32{{1, 2}}, PCAOptions{Components: 1}, "at least 2 points"},
		{"empty", nil, PCAOptions{}, "no points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PCA(tc.x, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	p := MustPCA(x, PCAOptions{Components: 1})
	if _, err := p.Transform([][]float32{{1, 2, 3}}); err == nil || !strings.Contains(err.Error(), "3 dimensions, the model was fitted on 2") {
		t.Errorf("Transform of wrong width: error %v", err)
	}
}

func TestTrustworthinessMatchesScikitLearn(t *testing.T) {
	r := loadReference(t).Trust
	for ks, want := range r.Values {
		var k int
		for _, ch := range ks {
			k = 10*k + int(ch-'0')
		}
		got, err := Trustworthiness(r.High, r.Low, k)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("k = %d: %.15f, scikit-learn %.15f", k, got, want)
		}
	}
}

func TestTrustworthinessKnownValues(t *testing.T) {
	x, _ := gaussianClusters(100, 3, 1, 0, 8)
	same := make([][]float64, len(x))
	rev := make([][]float64, len(x))
	for i, r := range x {
		same[i] = []float64{float64(r[0]), float64(r[1]), float64(r[2])}
		rev[i] = []float64{-float64(r[0]) * 3, -float64(r[1]) * 3, -float64(r[2]) * 3}
	}
	for _, low := range [][][]float64{same, rev} {
		if got := MustTrustworthiness(x, low, 5); got != 1 {
			t.Errorf("a layout that is a similarity of the data: trustworthiness %v, want 1", got)
		}
	}
	if _, err := Trustworthiness(x, same[:50], 5); err == nil || !strings.Contains(err.Error(), "100 high-dimensional points but 50 layout points") {
		t.Errorf("mismatched sizes: %v", err)
	}
	if _, err := Trustworthiness(x, same, 50); err == nil || !strings.Contains(err.Error(), "k = 50 neighbours for 100 points") {
		t.Errorf("k too large: %v", err)
	}
}
