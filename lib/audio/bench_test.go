package audio

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// BenchmarkResample44100To16000: one minute of noise.
func BenchmarkResample44100To16000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 44100*60)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		if _, err := Resample(x, 44100, 16000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeWAV16: one minute of 16-bit mono at 22050 Hz, from memory.
func BenchmarkDecodeWAV16(b *testing.B) {
	x := make([]float32, 22050*60)
	var wav bytes.Buffer
	if err := EncodeWAV(&wav, [][]float32{x}, 22050, WAV16); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(wav.Len()))
	for b.Loop() {
		s, err := NewStream(bytes.NewReader(wav.Bytes()), "bench.wav")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ReadAll(s); err != nil {
			b.Fatal(err)
		}
	}
}
