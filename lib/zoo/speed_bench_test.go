//go:build unix

package zoo_test

import (
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// This file times birds-v1 on its engine for issue 19's profiles: one forward
// pass over a batch of speedBatch images, and one training step of that batch.
// Each reports, beside ns/op, "cpu-ms/op": the process's user+system CPU time
// per operation, which another load on a shared machine disturbs far less than
// wall time. Profile with, e.g.,
//
//	go test ./lib/zoo/ -run XXX -bench BirdsV1Embed -benchtime 5x -cpuprofile cpu.out

// speedBatch is the number of images per forward pass and per training step.
const speedBatch = 64

// cpuSeconds is the process's user+system CPU time so far.
func cpuSeconds(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// speedImages returns n random front-end images of m, uniform in [0, 1), seeded.
func speedImages(m *cnn.Model, n int) []float32 {
	shape := m.FrontEnd().Shape()
	images := make([]float32, n*shape[0]*shape[1])
	r := rand.New(rand.NewPCG(19, 64))
	for i := range images {
		images[i] = r.Float32()
	}
	return images
}

// BenchmarkBirdsV1Embed: birds-v1's embeddings of speedBatch images, one batch per op
// (after one untimed call that compiles the graph).
func BenchmarkBirdsV1Embed(b *testing.B) {
	m, err := zoo.LoadCNN("birds-v1")
	if err != nil {
		b.Fatal(err)
	}
	images := speedImages(m, speedBatch)
	o := cnn.EmbedOptions{BatchSize: speedBatch}
	if _, err := m.EmbedImages(images, o); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuSeconds(b)
	for range b.N {
		if _, err := m.EmbedImages(images, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds(b)-start)*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkBirdsV1TrainStep: one cnn.Train step of birds-v1 (whole network,
// AdamW, no augmentation) over speedBatch images; the first step, which
// compiles the graph, is run and not counted.
func BenchmarkBirdsV1TrainStep(b *testing.B) {
	m, err := zoo.LoadCNN("birds-v1")
	if err != nil {
		b.Fatal(err)
	}
	classes := len(m.Config().Classes)
	labels := make([]int, speedBatch)
	for i := range labels {
		labels[i] = i % classes
	}
	data := cnn.Dataset{Images: speedImages(m, speedBatch), Labels: dataset.SingleLabel(labels, classes)}
	var start float64
	b.ResetTimer()
	b.StopTimer()
	_, err = cnn.Train(m, data, cnn.Dataset{}, cnn.TrainOptions{
		Steps: b.N + 1, BatchSize: speedBatch, EvalEvery: b.N + 1, ConstantRate: true,
		Progress: func(p cnn.Progress) {
			if p.Step == 1 {
				b.StartTimer()
				start = cpuSeconds(b)
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric((cpuSeconds(b)-start)*1e3/float64(b.N), "cpu-ms/op")
}
