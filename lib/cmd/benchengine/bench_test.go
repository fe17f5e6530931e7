//go:build unix

package main

import (
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/backend/purego"
)

// BenchmarkReferenceCNNTrainStep times one Adam step of this command's
// reference CNN (batch cnnBatch, cnnModel) on purego, the step that the
// "CNN training" figure times, and reports beside ns/op the process's CPU
// milliseconds per step ("cpu-ms/op"), which other load on a shared machine
// disturbs far less than wall time. Profile with, e.g.,
//
//	go test ./lib/cmd/benchengine/ -run XXX -bench ReferenceCNNTrainStep -benchtime 10x -cpuprofile cpu.out
func BenchmarkReferenceCNNTrainStep(b *testing.B) {
	engine, err := purego.New("")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	clips, labels := randomInputs(rng, cnnClasses, cnnBatch, cnnTimeFrames, cnnMelBands, 1)
	j := trainJob("cnn_train", "purego CNN train step", engine, cnnModel, clips, labels)
	if j.err != nil {
		b.Fatal(j.err)
	}
	if err := j.step(); err != nil { // Compiles the graph; not timed.
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuSeconds()
	for range b.N {
		if err := j.step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-start)*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkReferenceMLPTrainStep times one Adam step of this command's
// reference MLP (1280→256→20, batch mlpBatch) on purego, the step that the
// "MLP train step" figure times, with the process's CPU milliseconds per step
// ("cpu-ms/op") beside ns/op. Profile with, e.g.,
//
//	go test ./lib/cmd/benchengine/ -run XXX -bench ReferenceMLPTrainStep -benchtime 2000x -cpuprofile cpu.out
func BenchmarkReferenceMLPTrainStep(b *testing.B) {
	engine, err := purego.New("")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	features, labels := randomInputs(rng, mlpClasses, mlpBatch, mlpInput)
	j := trainJob("mlp_train", "purego MLP train step", engine, mlpModel, features, labels)
	if j.err != nil {
		b.Fatal(j.err)
	}
	if err := j.step(); err != nil { // Compiles the graph; not timed.
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuSeconds()
	for range b.N {
		if err := j.step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-start)*1e3/float64(b.N), "cpu-ms/op")
}
