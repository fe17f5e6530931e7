package audio

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
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
	// The filter's DC gain differs between phases by up to ±2e-5 (scipy's design,
	// normalized as a whole: make_resample_reference.py's filter gives 0.99999 to
	// 1.00002 for 44.1 kHz → 48 kHz), so DC comes back within 3e-5 relative.
	out, _ := Resample(x, 48000, 44100)
	for i := 200; i < len(out)-200; i++ {
		if math.Abs(float64(out[i])-0.25) > 0.25*3e-5 {
			t.Fatalf("DC 0.25 resampled to %v at %d", out[i], i)
		}
	}
	if _, err := Resample(x, 0, 8000); err == nil {
		t.Error("rate 0 accepted")
	}
}

// TestResampleMatchesScipy compares the Resampler with scipy.signal.resample_poly
// (values saved by testdata/make_resample_reference.py): our design, whose filter
// scipy's firwin made, and scipy's default design, for down- and upsampling.
// scipy computes in float64, the Resampler in float32: the outputs agree within
// 2e-6 of the input's peak (about 1.7).
func TestResampleMatchesScipy(t *testing.T) {
	raw, err := os.ReadFile("testdata/resample_poly.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			FromHz        int       `json:"from_hz"`
			ToHz          int       `json:"to_hz"`
			Design        string    `json:"design"`
			ZeroCrossings int       `json:"zero_crossings"`
			Rolloff       float64   `json:"rolloff"`
			Beta          float64   `json:"beta"`
			Input         []float32 `json:"input"`
			Output        []float64 `json:"output"`
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 5 {
		t.Fatalf("%d cases in testdata/resample_poly.json", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		design := filterDesign{c.ZeroCrossings, c.Rolloff, c.Beta}
		if c.Design == "dawnchorus" && design != defaultDesign {
			t.Fatalf("reference design %+v, the Resampler's is %+v: rerun make_resample_reference.py", design, defaultDesign)
		}
		r, err := newResamplerDesign(c.FromHz, c.ToHz, design)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Flush(r.Process(nil, c.Input))
		if len(got) != len(c.Output) {
			t.Errorf("%d→%d %s: %d samples, scipy %d", c.FromHz, c.ToHz, c.Design, len(got), len(c.Output))
			continue
		}
		var worst float64
		for i := range got {
			worst = max(worst, math.Abs(float64(got[i])-c.Output[i]))
		}
		if worst > 2e-6 {
			t.Errorf("%d→%d %s: largest difference from scipy %.2e, want ≤ 2e-6", c.FromHz, c.ToHz, c.Design, worst)
		}
	}
}
