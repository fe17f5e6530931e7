package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

func sine(n, rateHz int, freqHz, amp, phase float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freqHz*float64(i)/float64(rateHz)+phase))
	}
	return x
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

// TestResampleKnownSignals checks against the analytic signal: a tone below both
// Nyquist frequencies comes out as the same tone sampled at the new rate (error
// below -70 dB away from the edges), and a tone between the new and the old Nyquist
// frequency is removed rather than aliased (below -70 dB).
func TestResampleKnownSignals(t *testing.T) {
	tests := []struct {
		from, to int
		freqHz   float64
		removed  bool
	}{
		{44100, 16000, 1000, false},
		{44100, 16000, 5500, false},
		{16000, 44100, 3000, false},
		{48000, 22050, 7000, false},
		{22050, 22051, 4000, false}, // a ratio too fine for the coefficient table
		{44100, 16000, 9000, true},  // would alias to 7 kHz
		{48000, 8000, 5000, true},   // would alias to 3 kHz
		{32000, 22050, 14000, true}, // would alias to 8.05 kHz
	}
	for _, tc := range tests {
		n := tc.from / 2
		out, err := Resample(sine(n, tc.from, tc.freqHz, 0.5, 0.3), tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		wantLen := int(math.Ceil(float64(n) * float64(tc.to) / float64(tc.from)))
		if len(out) != wantLen {
			t.Errorf("%d→%d: %d samples, want %d", tc.from, tc.to, len(out), wantLen)
		}
		edge := tc.to / 50 // 20 ms at each end sees the zeros outside the signal
		interior := out[edge : len(out)-edge]
		if tc.removed {
			if r := rms(interior); r > 0.5/math.Sqrt2*math.Pow(10, -70.0/20) {
				t.Errorf("%d→%d, %.0f Hz: RMS %.2e left, want below -70 dB of %.3f", tc.from, tc.to, tc.freqHz, r, 0.5/math.Sqrt2)
			}
			continue
		}
		want := sine(len(out), tc.to, tc.freqHz, 0.5, 0.3)[edge : len(out)-edge]
		diff := make([]float32, len(interior))
		for i := range diff {
			diff[i] = interior[i] - want[i]
		}
		if r := rms(diff) / rms(want); r > math.Pow(10, -70.0/20) {
			t.Errorf("%d→%d, %.0f Hz: relative RMS error %.2e (%.1f dB), want below -70 dB", tc.from, tc.to, tc.freqHz, r, 20*math.Log10(r))
		}
	}
}

// TestResamplerBlocksMatchOneShot: the stream is the same whatever the block sizes.
func TestResamplerBlocksMatchOneShot(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 20000)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	want, _ := Resample(x, 44100, 16000)
	r, _ := NewResampler(44100, 16000)
	var got []float32
	for rest := x; len(rest) > 0; {
		k := min(len(rest), rng.IntN(3000))
		got = r.Process(got, rest[:k])
		rest = rest[k:]
	}
	got = r.Flush(got)
	if len(got) != len(want) {
		t.Fatalf("%d samples in blocks, %d in one shot", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d: %v in blocks, %v in one shot", i, got[i], want[i])
		}
	}
}

func TestResampleDC(t *testing.T) {
	x := make([]float32, 5000)
	for i := range x {
		x[i] = 0.25
	}
	out, _ := Resample(x, 48000, 44100)
	for i := 200; i < len(out)-200; i++ {
		if math.Abs(float64(out[i])-0.25) > 1e-6 {
			t.Fatalf("DC 0.25 resampled to %v at %d", out[i], i)
		}
	}
	if _, err := Resample(x, 0, 8000); err == nil {
		t.Error("rate 0 accepted")
	}
}
