package classify

import (
	"math"
	"runtime"
	"slices"
	"testing"
)

// TestSVMSameOnAnyCores checks that solving the one-vs-rest problems in
// parallel gives bit-identical decision values and probabilities on one core
// and on several.
func TestSVMSameOnAnyCores(t *testing.T) {
	x, y := benchMixture(300, 16, 6, 0.8)
	fit := func(procs int) ([][]float64, [][]float32) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		svm := NewSVM(SVMOptions{Kernel: RBF, C: 1, Tol: 1e-3})
		if err := svm.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		dec, err := svm.Decision(x)
		if err != nil {
			t.Fatal(err)
		}
		proba, err := svm.PredictProba(x)
		if err != nil {
			t.Fatal(err)
		}
		return dec, proba
	}
	dec1, proba1 := fit(1)
	dec4, proba4 := fit(4)
	for i := range dec1 {
		if !slices.Equal(dec1[i], dec4[i]) || !slices.Equal(proba1[i], proba4[i]) {
			t.Fatalf("example %d: decision %v / %v and probabilities %v / %v on 1 / 4 cores", i, dec1[i], dec4[i], proba1[i], proba4[i])
		}
	}
}

// TestSVMShrinkingAgrees fits each problem with SMO's shrinking on (the
// default) and off. Problems solved in fewer than min(n, 1000) iterations
// never shrink, so their decision values must be bit-identical; the linear
// problem takes 13,000–21,000 iterations per class, shrinks, and must give
// the same predictions with decision values within 0.05 (SMO stops at a
// violation of 1e-3, and these problems' optima are flat).
func TestSVMShrinkingAgrees(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, d, k   int
		spread    float64
		opts      SVMOptions
		identical bool
	}{
		{"RBF, under 1000 iterations", 1000, 32, 8, 0.5, SVMOptions{Kernel: RBF, C: 1}, true},
		{"linear, shrinks", 500, 32, 4, 0.5, SVMOptions{Kernel: Linear, C: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := benchMixture(tc.n, tc.d, tc.k, tc.spread)
			fit := func(shrinking bool) ([][]float64, []int) {
				defer func(old bool) { svmShrinking = old }(svmShrinking)
				svmShrinking = shrinking
				svm := NewSVM(tc.opts)
				if err := svm.Fit(x, y); err != nil {
					t.Fatal(err)
				}
				dec, err := svm.Decision(x)
				if err != nil {
					t.Fatal(err)
				}
				return dec, svm.m.Iterations
			}
			off, itOff := fit(false)
			on, itOn := fit(true)
			if !tc.identical && slices.Equal(itOff, itOn) {
				t.Fatalf("iterations %v with and without shrinking: the problem did not shrink", itOn)
			}
			for i := range off {
				if tc.identical {
					if !slices.Equal(off[i], on[i]) {
						t.Fatalf("example %d: decision %v without shrinking, %v with", i, off[i], on[i])
					}
					continue
				}
				if argmaxDecision(off[i]) != argmaxDecision(on[i]) {
					t.Fatalf("example %d: class %d without shrinking, %d with", i, argmaxDecision(off[i]), argmaxDecision(on[i]))
				}
				for c := range off[i] {
					if d := math.Abs(off[i][c] - on[i][c]); d > 0.05 {
						t.Fatalf("example %d class %d: decision %.4f without shrinking, %.4f with", i, c, off[i][c], on[i][c])
					}
				}
			}
		})
	}
}

// argmaxDecision is the class of the largest decision value (the first on ties).
func argmaxDecision(v []float64) int {
	best := 0
	for c := range v {
		if v[c] > v[best] {
			best = c
		}
	}
	return best
}
