package cluster

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// pairARI is the adjusted Rand index from pair counts, counted here one pair at a time over
// the ordered pairs of draws (a, b) of different points: the definition, as a reference.
func pairARI(truth, pred, draws []int) float64 {
	var tp, fp, fn, tn float64
	for _, a := range draws {
		for _, b := range draws {
			if a == b {
				continue
			}
			sameT, sameP := truth[a] == truth[b], pred[a] == pred[b]
			switch {
			case sameT && sameP:
				tp++
			case sameP:
				fp++
			case sameT:
				fn++
			default:
				tn++
			}
		}
	}
	return 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn))
}

func TestARIInterval(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 50
	truth, a, b := make([]int, n), make([]int, n), make([]int, n)
	for i := range truth {
		truth[i] = i % 4
		a[i], b[i] = truth[i], rng.IntN(4)
		if rng.IntN(5) == 0 {
			a[i] = rng.IntN(6) - 1 // Noise among the labels
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	w, _ := newWeightedARI(truth, a)
	plain, _ := AdjustedRandIndex(truth, a)
	if got, _ := w.on(all); math.Abs(got-plain) > 1e-12 || math.Abs(pairARI(truth, a, all)-plain) > 1e-12 {
		t.Errorf("every point once: weighted %v, AdjustedRandIndex %v, pairs %v", got, plain, pairARI(truth, a, all))
	}
	for trial := range 5 {
		draws := make([]int, n)
		for i := range draws {
			draws[i] = rng.IntN(n)
		}
		if got, want := func() float64 { v, _ := w.on(draws); return v }(), pairARI(truth, a, draws); math.Abs(got-want) > 1e-12 {
			t.Errorf("resample %d: weighted %v, counted pair by pair %v", trial, got, want)
		}
	}
	config := metrics.BootstrapConfig{Seed: 1, Resamples: 200}
	in, err := ARIInterval(truth, a, config)
	if err != nil || in.Estimate != plain || in.Lower > plain || in.Upper < plain {
		t.Errorf("interval %v (%v) around %v", in, err, plain)
	}
	same := MustARIDifference(truth, a, a, config)
	if same.Lower != 0 || same.Upper != 0 {
		t.Errorf("a clustering against itself: %v, want [0, 0]", same)
	}
	d := MustARIDifference(truth, a, b, config)
	ariB, _ := AdjustedRandIndex(truth, b)
	if math.Abs(d.Estimate-(plain-ariB)) > 1e-12 || d.Lower <= 0 {
		t.Errorf("near-truth minus random labels: %v, want %.3f with a positive interval", d, plain-ariB)
	}
	agreement := MustAgree(truth, a, config)
	noise, clusters := 0, map[int]bool{}
	for _, l := range a {
		if l == Noise {
			noise++
		} else {
			clusters[l] = true
		}
	}
	purity, _ := Purity(a, truth)
	if agreement.NoisePoints != noise || agreement.Clusters != len(clusters) || agreement.Purity != purity || agreement.ARI.String() != in.String() {
		t.Errorf("Agree: %+v; want %d clusters, %d noise, purity %v, ARI %v", agreement, len(clusters), noise, purity, in)
	}
	if s := agreement.String(); !strings.Contains(s, "noise points; purity") {
		t.Errorf("String: %q", s)
	}
	if _, err := ARIInterval(truth, a[:3], config); err == nil {
		t.Error("labels of another length: want an error")
	}
}
