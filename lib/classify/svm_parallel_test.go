package classify

import (
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
