package spectro

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMelSpectrogram: one minute at 22050 Hz, NFFT 1024, hop 256, 128 mel
// bands (the setting of lib/cmd/benchspectro, which also runs the scipy peer).
func BenchmarkMelSpectrogram(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 22050*60)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	fb, err := NewMelFilterbank(1024, 22050, MelOptions{NumMels: 128, SlaneyNorm: true})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		if _, err := MelSpectrogram(x, 22050, Options{NFFT: 1024, Hop: 256}, fb); err != nil {
			b.Fatal(err)
		}
	}
}
