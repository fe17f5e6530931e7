package classify

import (
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/backend"
)

// benchMixture draws n examples of d features in k classes: Gaussian class
// centres of standard deviation spread around which each example has unit
// noise (benchclassify's default mixture, 1600 training examples).
func benchMixture(n, d, k int, spread float64) ([][]float32, dataset.Labels) {
	rng := rand.New(rand.NewPCG(1, 19))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = spread * rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	idx := make([]int, n)
	for i := range x {
		idx[i] = i % k
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(centres[idx[i]][j] + rng.NormFloat64())
		}
	}
	return x, dataset.SingleLabel(idx, k)
}

func benchFit(b *testing.B, model func() Classifier) {
	x, y := benchMixture(1600, 128, 20, 0.3)
	start, ops := cpuSeconds(), 0
	for b.Loop() {
		if err := model().Fit(x, y); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
}

func BenchmarkFitSVM(b *testing.B) {
	benchFit(b, func() Classifier { return NewSVM(SVMOptions{Kernel: RBF, C: 1, Tol: 1e-3}) })
}

// BenchmarkFitSVMLinear fits a linear SVM on 500 overlapping examples of 32
// features in 4 classes: 13,000–21,000 SMO iterations per class, where
// shrinking acts.
func BenchmarkFitSVMLinear(b *testing.B) {
	x, y := benchMixture(500, 32, 4, 0.5)
	start, ops := cpuSeconds(), 0
	for b.Loop() {
		if err := NewSVM(SVMOptions{Kernel: Linear, C: 1}).Fit(x, y); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
}

func BenchmarkFitLogistic(b *testing.B) {
	benchFit(b, func() Classifier { return NewLogisticRegression(LogisticOptions{}) })
}

// BenchmarkFitMLP fits scikit-learn's default MLP (100 hidden, Adam, batch
// 200, stop on the training loss) with the plain-Go trainer and with the
// graph trainer on the pure-Go engine.
func BenchmarkFitMLP(b *testing.B) {
	b.Run("go", func(b *testing.B) { benchFit(b, func() Classifier { return NewMLP(MLPOptions{}) }) })
	b.Run("graph", func(b *testing.B) {
		engine, err := backend.NewSmallGraphs()
		if err != nil {
			b.Fatal(err)
		}
		benchFit(b, func() Classifier { return NewMLP(MLPOptions{Backend: engine}) })
	})
}

// BenchmarkMLPSteadyState trains benchengine's reference MLP (1280 → 256 →
// 20, batch 64, Adam 1e-3, no L2) on one fixed batch of uniform inputs and
// random labels for 2010 steps: as the loss falls, gradients and Adam's
// moments shrink towards the subnormal range. It reports the median
// milliseconds (wall and process CPU) of steps 1–10, 500–510 and 2000–2010, for
// the graph trainer on the pure-Go engine and the plain-Go trainer with and
// without its subnormal flush.
func BenchmarkMLPSteadyState(b *testing.B) {
	const batch, inputs, hidden, classes = 64, 1280, 256, 20
	rng := rand.New(rand.NewPCG(5, 10))
	xBatch := make([]float32, batch*inputs)
	for i := range xBatch {
		xBatch[i] = rng.Float32()
	}
	yBatch := make([]float32, batch*classes)
	for i := 0; i < batch; i++ {
		yBatch[i*classes+rng.IntN(classes)] = 1
	}
	sizes := []int{inputs, hidden, classes}
	initW := make([][]float32, 2)
	for l := range initW {
		bound := math.Sqrt(6 / float64(sizes[l]+sizes[l+1]))
		initW[l] = make([]float32, sizes[l]*sizes[l+1])
		for i := range initW[l] {
			initW[l][i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	o := NewMLP(MLPOptions{WeightDecay: -1}).opts
	for _, tc := range []struct {
		name string
		make func() (mlpTrainer, error)
	}{
		{"graph-purego", func() (mlpTrainer, error) {
			engine, err := backend.NewSmallGraphs()
			if err != nil {
				return nil, err
			}
			o := o
			o.Backend = engine
			return newGraphMLPTrainer(o, sizes, initW, false, batch)
		}},
		{"go-flush", func() (mlpTrainer, error) { return newGoMLPTrainer(o, sizes, initW, false, batch), nil }},
		{"go-keep-subnormals", func() (mlpTrainer, error) {
			t := newGoMLPTrainer(o, sizes, initW, false, batch)
			t.keepSubnormals = true
			return t, nil
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			windows := []struct {
				name      string
				from, to  int
				ms, cpuMS []float64
			}{{name: "1-10", from: 1, to: 10}, {name: "500-510", from: 500, to: 510}, {name: "2000-2010", from: 2000, to: 2010}}
			var trainer mlpTrainer
			for b.Loop() {
				var err error
				if trainer, err = tc.make(); err != nil {
					b.Fatal(err)
				}
				for step := 1; step <= 2010; step++ {
					start, startCPU := time.Now(), cpuSeconds()
					if _, err := trainer.step(xBatch, yBatch); err != nil {
						b.Fatal(err)
					}
					ms, cpuMS := time.Since(start).Seconds()*1000, (cpuSeconds()-startCPU)*1000
					for w := range windows {
						if step >= windows[w].from && step <= windows[w].to {
							windows[w].ms = append(windows[w].ms, ms)
							windows[w].cpuMS = append(windows[w].cpuMS, cpuMS)
						}
					}
				}
			}
			if t, ok := trainer.(*goMLPTrainer); ok {
				b.ReportMetric(subnormalPercent(t), "%subnormal-moments")
			}
			median := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
			for _, w := range windows {
				b.ReportMetric(median(w.ms), "ms/step-"+w.name)
				b.ReportMetric(median(w.cpuMS), "cpu-ms/step-"+w.name)
			}
		})
	}
}

// subnormalPercent is the percentage of a Go trainer's Adam moments that are
// subnormal floats.
func subnormalPercent(t *goMLPTrainer) float64 {
	count, total := 0, 0
	for _, moments := range [][][]float32{t.m1w, t.m2w, t.m1b, t.m2b} {
		for _, m := range moments {
			for _, v := range m {
				if v != 0 && math.Abs(float64(v)) < smallestNormal32 {
					count++
				}
				total++
			}
		}
	}
	return 100 * float64(count) / float64(total)
}
