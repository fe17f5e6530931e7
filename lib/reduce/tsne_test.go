package reduce

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

func TestTSNESeparatesClusters(t *testing.T) {
	nExact, nBH, iters := 600, 1500, 1000
	if testing.Short() { // the race detector slows the O(n²) loops ~20×
		nExact, nBH, iters = 160, 320, 500
	}
	for _, tc := range []struct {
		name string
		n    int
		o    TSNEOptions
	}{
		{"exact", nExact, TSNEOptions{Seed: 1, Method: TSNEExact, Iterations: iters}},
		{"barnes-hut", nBH, TSNEOptions{Seed: 2, Method: TSNEBarnesHut, Iterations: iters}},
		{"random init", nExact, TSNEOptions{Seed: 3, Init: InitRandom, Iterations: iters}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, labels := gaussianClusters(tc.n, 32, 8, 12, 5)
			y, err := TSNE(x, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			tw := MustTrustworthiness(x, y, 10)
			agree := nnAgreement(y, labels)
			t.Logf("%d points: trustworthiness %.4f, nearest-neighbour class agreement %.4f", tc.n, tw, agree)
			if tw < 0.9 {
				t.Errorf("trustworthiness %.4f < 0.9", tw)
			}
			if agree < 0.95 {
				t.Errorf("nearest-neighbour class agreement %.4f < 0.95", agree)
			}
		})
	}
}

func TestTSNEDeterministic(t *testing.T) {
	for _, method := range []TSNEMethod{TSNEExact, TSNEBarnesHut} {
		x, _ := gaussianClusters(120, 8, 4, 8, 6)
		o := TSNEOptions{Seed: 4, Method: method, Iterations: 300, Perplexity: 10}
		a := MustTSNE(x, o)
		prev := runtime.GOMAXPROCS(1)
		b := MustTSNE(x, o)
		runtime.GOMAXPROCS(prev)
		sameLayout(t, a, b)
	}
}

// The Barnes-Hut repulsion with a tiny theta visits every point, so it must equal the
// direct double sum.
func TestQuadTreeRepulsionExactAtSmallTheta(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 300
	y := make([]float64, 2*n)
	for i := range y {
		y[i] = rng.NormFloat64() * 5
	}
	y[2*7], y[2*7+1] = y[2*8], y[2*8+1] // two coinciding points
	var tree quadTree
	tree.build(y)
	for _, i := range []int{0, 7, 8, 150, 299} {
		var f [2]float64
		z := tree.repulsion(i, y[2*i], y[2*i+1], 1e-12, f[:], nil)
		wz, wx, wy := 0.0, 0.0, 0.0
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q := 1 / (1 + dx*dx + dy*dy)
			wz += q
			wx += q * q * dx
			wy += q * q * dy
		}
		if math.Abs(z-wz) > 1e-9*wz || math.Abs(f[0]-wx) > 1e-9 || math.Abs(f[1]-wy) > 1e-9 {
			t.Errorf("point %d: Z %v force %v; direct sum %v (%v, %v)", i, z, f, wz, wx, wy)
		}
		// theta 0.5 approximates within a few per cent.
		var fa [2]float64
		za := tree.repulsion(i, y[2*i], y[2*i+1], 0.25, fa[:], nil)
		if math.Abs(za-wz) > 0.02*wz {
			t.Errorf("point %d: theta 0.5 Z %v, direct %v", i, za, wz)
		}
	}
}

// With a single pair of points the perplexity search must reproduce the entropy asked.
func TestConditionalPPerplexity(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sq := make([]float64, 90)
	for i := range sq {
		sq[i] = rng.Float64() * 50
	}
	for _, perp := range []float64{5, 30, 60} {
		p := make([]float64, len(sq))
		conditionalP(sq, perp, p)
		h, s := 0.0, 0.0
		for _, v := range p {
			s += v
			if v > 0 {
				h -= v * math.Log(v)
			}
		}
		if math.Abs(s-1) > 1e-12 || math.Abs(math.Exp(h)-perp) > 1e-3*perp {
			t.Errorf("perplexity %v: sum %v, got perplexity %v", perp, s, math.Exp(h))
		}
	}
}

func TestTSNEBadInput(t *testing.T) {
	x, _ := gaussianClusters(40, 4, 2, 5, 3)
	for _, tc := range []struct {
		name string
		x    [][]float32
		o    TSNEOptions
		want string
	}{
		{"nan", [][]float32{{1}, {float32(math.Inf(1))}, {2}}, TSNEOptions{}, "point 1 value 0 is +Inf"},
		{"perplexity", x, TSNEOptions{Perplexity: 50}, "perplexity 50 with 40 points"},
		{"iterations", x, TSNEOptions{Perplexity: 5, Iterations: 100}, "100 iterations"},
		{"bh 3d", x, TSNEOptions{Perplexity: 5, Components: 3, Method: TSNEBarnesHut}, "2-D layouts only"},
		{"spectral", x, TSNEOptions{Perplexity: 5, Init: InitSpectral}, "want InitPCA or InitRandom"},
		{"two points", x[:2], TSNEOptions{}, "at least 3 points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := TSNE(tc.x, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
