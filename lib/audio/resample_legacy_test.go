package audio

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"
)

// TestResampleLegacyPinned: ResampleLegacy gives, bit for bit, what Resample
// gave before its rewrite. The digests were computed by Resample at commit
// 005ce4f (the old code) on amd64, over the float32 bits of its output for a
// seeded second of noise and a 440 Hz tone at 48 kHz (lib/synth's render
// rate).
func TestResampleLegacyPinned(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, 48000)
	for i := range x {
		x[i] = float32(0.3*rng.NormFloat64() + 0.5*math.Sin(2*math.Pi*440*float64(i)/48000))
	}
	tests := []struct {
		to   int
		want string
	}{
		{22050, "e4354a4ae895792735e9eb14cf27aad3965846b0a4ba8692b0d4201758b1efd8"},
		{16000, "44c826b7536aaade8e1f311a75d5d5f1bc0bc0fc84b7a91249894b2cd9463039"},
		{44100, "7a2ca6e2dc585f38a6a61d6a6af4e108694af8b0cda2191daa8c6586a3527df9"},
	}
	for _, tc := range tests {
		out, err := ResampleLegacy(x, 48000, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		var b [4]byte
		for _, v := range out {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			h.Write(b[:])
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != tc.want {
			t.Errorf("48000→%d: digest %s, want %s (the old resampler's)", tc.to, got, tc.want)
		}
	}
}
