package features

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// tone returns amp·sin(2π f t) for n samples at rate.
func tone(n, rate int, freqHz, amp float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freqHz*float64(i)/float64(rate)))
	}
	return x
}

// sweep returns a linear chirp from f0 to f1 Hz over n samples; its instantaneous
// frequency at time t is f0 + (f1−f0)·t/T.
func sweep(n, rate int, f0, f1, amp float64) []float32 {
	x := make([]float32, n)
	T := float64(n) / float64(rate)
	for i := range x {
		t := float64(i) / float64(rate)
		x[i] = float32(amp * math.Sin(2*math.Pi*(f0*t+(f1-f0)*t*t/(2*T))))
	}
	return x
}

func add(dst []float32, src []float32, offset int) {
	for i, v := range src {
		dst[offset+i] += v
	}
}

func TestF0KnownSignals(t *testing.T) {
	const rate = 44100
	opts := F0Options{FMinHz: 500, FMaxHz: 8000}
	t.Run("tones across the band", func(t *testing.T) {
		// Periods from 44 down to 2.3 samples: the upsampled analysis keeps F0 within 0.1%.
		for _, rate := range []int{22050, 32000, 44100} {
			for _, f := range []float64{1000, 3000, 6000, 8000, 9500} {
				track, err := F0(tone(rate/5, rate, f, 0.5), rate, F0Options{FMinHz: 500, FMaxHz: 10000})
				if err != nil {
					t.Fatal(err)
				}
				if s := track.Summary(); s.VoicedFraction != 1 || math.Abs(s.MedianHz-f) > 0.001*f {
					t.Errorf("%v Hz tone at %d Hz: %+v", f, rate, s)
				}
			}
		}
	})
	t.Run("pure tone", func(t *testing.T) {
		track, err := F0(tone(rate/4, rate, 2000, 0.5), rate, opts)
		if err != nil {
			t.Fatal(err)
		}
		s := track.Summary()
		if s.VoicedFraction != 1 || math.Abs(s.MedianHz-2000) > 2 || math.Abs(s.MinHz-2000) > 10 || math.Abs(s.MaxHz-2000) > 10 {
			t.Errorf("2 kHz tone: %+v", s)
		}
	})
	t.Run("harmonic stack", func(t *testing.T) {
		// F0 1.2 kHz with harmonics 2-4 louder than... the fundamental is weaker than the 2nd harmonic.
		x := tone(rate/4, rate, 1200, 0.3)
		for h, amp := range []float64{0.5, 0.3, 0.2} {
			add(x, tone(rate/4, rate, 1200*float64(h+2), amp), 0)
		}
		s := mustF0(t, x, rate, opts).Summary()
		if math.Abs(s.MedianHz-1200) > 3 || s.VoicedFraction < 0.99 {
			t.Errorf("harmonic stack on 1.2 kHz: %+v", s)
		}
	})
	t.Run("sweep", func(t *testing.T) {
		n := rate / 2
		track := mustF0(t, sweep(n, rate, 1500, 3000, 0.5), rate, opts)
		T := float64(n) / rate
		for k, f := range track.F0Hz {
			want := 1500 + 1500*track.TimesSeconds[k]/T
			if math.IsNaN(f) || math.Abs(f-want)/want > 0.01 {
				t.Errorf("frame %d at %.4f s: F0 %.1f Hz, sweep is at %.1f Hz", k, track.TimesSeconds[k], f, want)
			}
		}
	})
	t.Run("silence then tone", func(t *testing.T) {
		x := make([]float32, rate/2)
		add(x, tone(rate/4, rate, 3000, 0.5), rate/4)
		track := mustF0(t, x, rate, opts)
		for k, f := range track.F0Hz {
			tm := track.TimesSeconds[k]
			if tm < 0.24 && !math.IsNaN(f) {
				t.Errorf("silent frame at %.3f s voiced at %.1f Hz", tm, f)
			}
			if tm > 0.26 && math.Abs(f-3000) > 15 {
				t.Errorf("frame at %.3f s: %.1f Hz, want 3000", tm, f)
			}
		}
	})
	t.Run("white noise is mostly unvoiced", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		x := make([]float32, rate/4)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 0.1)
		}
		if s := mustF0(t, x, rate, opts).Summary(); s.VoicedFraction > 0.1 {
			t.Errorf("white noise voiced in %.0f%% of frames", 100*s.VoicedFraction)
		}
	})
	if _, err := F0(make([]float32, 10), rate, opts); err == nil {
		t.Error("10 samples accepted")
	}
	if _, err := F0(make([]float32, rate), rate, F0Options{FMinHz: 500, FMaxHz: 30000}); err == nil {
		t.Error("FMaxHz above Nyquist accepted")
	}
}

func mustF0(t *testing.T, x []float32, rate int, o F0Options) *F0Track {
	t.Helper()
	track, err := F0(x, rate, o)
	if err != nil {
		t.Fatal(err)
	}
	return track
}

func power(t *testing.T, x []float32, rate, nfft, hop int) *spectro.Spectrogram {
	t.Helper()
	s, err := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: nfft, Hop: hop})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCalls: tone bursts at known times in faint seeded noise (−60 dB); segment
// edges are exact to within one frame (NFFT/rate).
func TestCalls(t *testing.T) {
	const rate, nfft, hop = 22050, 512, 128
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, rate)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 0.0005)
	}
	add(x, tone(rate/2, rate, 4000, 0.5), rate/5)         // 0.2–0.7 s
	add(x, tone(rate/10, rate, 4000, 0.5), int(0.8*rate)) // 0.8–0.9 s
	s := power(t, x, rate, nfft, hop)
	tol := float64(nfft) / rate
	segs, err := Calls(s, ActivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Segment{{0.2, 0.7}, {0.8, 0.9}}
	if len(segs) != 2 {
		t.Fatalf("segments %v, want %v", segs, want)
	}
	for i := range want {
		if math.Abs(segs[i].StartSeconds-want[i].StartSeconds) > tol || math.Abs(segs[i].EndSeconds-want[i].EndSeconds) > tol {
			t.Errorf("segment %d = %+v, want %+v ± %.3f s", i, segs[i], want[i], tol)
		}
	}
	merged, _ := Calls(s, ActivityOptions{MinGapSeconds: 0.2})
	if len(merged) != 1 {
		t.Errorf("with a 0.2 s minimum gap: %v, want one segment", merged)
	}
	d, _ := CallDurationSeconds(s, ActivityOptions{})
	if math.Abs(d-0.7) > 2*tol {
		t.Errorf("call duration %.3f s, want 0.7", d)
	}
	inBand, _ := Calls(s, ActivityOptions{LowHz: 6000, HighHz: 9000, ThresholdDB: 10})
	if len(inBand) != 2 {
		t.Logf("6–9 kHz band (tone leakage only): %v", inBand)
	}
}

// TestSpectralFeaturesKnownSignals uses tones on bin centres (16 kHz, NFFT 800,
// bins every 20 Hz) and a linear sweep, whose true values are computed by hand.
func TestSpectralFeaturesKnownSignals(t *testing.T) {
	const rate, nfft, hop = 16000, 800, 200
	t.Run("peak frequency off-bin", func(t *testing.T) {
		s := power(t, tone(rate/2, rate, 3213, 0.5), rate, nfft, hop)
		if got := PeakFrequencyHz(s); math.Abs(got-3213) > 2 { // 0.1 bin
			t.Errorf("peak %.2f Hz, want 3213", got)
		}
		for k, f := range PeakFrequencyTrack(s) {
			if math.Abs(f-3213) > 2 {
				t.Errorf("frame %d peak %.2f Hz", k, f)
			}
		}
	})
	t.Run("centroid of two tones", func(t *testing.T) {
		x := tone(rate/2, rate, 1000, 1)
		add(x, tone(rate/2, rate, 3000, 0.5), 0)
		s := power(t, x, rate, nfft, hop)
		want := (1*1000 + 0.25*3000) / 1.25 // powers 1 and 0.25
		if got := MeanSpectralCentroidHz(s); math.Abs(got-want) > 1 {
			t.Errorf("centroid %.2f Hz, want %.0f", got, want)
		}
		for k, c := range SpectralCentroidHz(s) {
			if math.Abs(c-want) > 1 {
				t.Errorf("frame %d centroid %.2f", k, c)
			}
		}
	})
	t.Run("sweep bandwidth", func(t *testing.T) {
		// A constant-amplitude linear sweep spreads its energy evenly over 2–4 kHz:
		// the central 90% lies in 2.1–3.9 kHz.
		// The sweep runs from 0.1 to 0.9 s inside 1 s of silence, so every instant of
		// it is covered by the same sum of analysis windows.
		x := make([]float32, rate)
		add(x, sweep(rate*8/10, rate, 2000, 4000, 0.5), rate/10)
		s := power(t, x, rate, nfft, hop)
		b := EnergyBand(s, 0.9)
		if math.Abs(b.LowHz-2100) > 30 || math.Abs(b.HighHz-3900) > 30 {
			t.Errorf("90%% band %+v, want 2100–3900 Hz", b)
		}
		b20 := BandWithinDB(s, 20)
		if math.Abs(b20.LowHz-2000) > 60 || math.Abs(b20.HighHz-4000) > 60 {
			t.Errorf("-20 dB band %+v, want about 2000–4000 Hz", b20)
		}
	})
}

func readCSV(t *testing.T, name string) [][]float64 {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(recs))
	for i, r := range recs {
		for _, field := range r {
			v, err := strconv.ParseFloat(field, 64)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = append(out[i], v)
		}
	}
	return out
}

func TestDCT2MatchesScipy(t *testing.T) {
	in, want := readCSV(t, "dct_in.csv"), readCSV(t, "dct_out.csv")
	for r := range in {
		got := DCT2(in[r])
		for c := range got {
			if math.Abs(got[c]-want[r][c]) > 1e-9 {
				t.Errorf("row %d coefficient %d = %v, scipy %v", r, c, got[c], want[r][c])
			}
		}
	}
}

// TestMFCCConstant: a flat mel spectrogram of power P has c0 = √N·10·log10(P) and
// every other coefficient 0.
func TestMFCCConstant(t *testing.T) {
	const bands, P = 40, 0.01
	mel := &spectro.Spectrogram{NumFrames: 2, NumBins: bands, Values: make([]float32, 2*bands), Scale: spectro.Power, Mel: true}
	for i := range mel.Values {
		mel.Values[i] = P
	}
	mfcc, err := MFCC(mel, 13)
	if err != nil {
		t.Fatal(err)
	}
	for k, frame := range mfcc {
		if math.Abs(frame[0]-math.Sqrt(bands)*10*math.Log10(P)) > 1e-4 {
			t.Errorf("frame %d c0 = %v, want %v", k, frame[0], math.Sqrt(bands)*10*math.Log10(P))
		}
		for c := 1; c < 13; c++ {
			if math.Abs(frame[c]) > 1e-4 {
				t.Errorf("frame %d c%d = %v, want 0", k, c, frame[c])
			}
		}
	}
	if _, err := MFCC(mel, 41); err == nil {
		t.Error("41 MFCCs from 40 bands accepted")
	}
}

func TestDescribeTone(t *testing.T) {
	const rate = 22050
	x := make([]float32, rate)
	add(x, tone(rate/2, rate, 2500, 0.5), rate/4)
	d, err := Describe(x, rate, Options{STFT: spectro.Options{NFFT: 512, Hop: 128}, F0: F0Options{FMinHz: 500, FMaxHz: 8000}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d.F0.MedianHz-2500) > 5 || math.Abs(d.PeakFrequencyHz-2500) > 5 || math.Abs(d.CentroidHz-2500) > 50 {
		t.Errorf("tone at 2.5 kHz described as %+v", d)
	}
	if math.Abs(d.CallDurationSeconds-0.5) > 0.05 {
		t.Errorf("call duration %.3f s, want 0.5", d.CallDurationSeconds)
	}
	if len(d.Names()) != len(d.Vector()) {
		t.Errorf("%d names for %d values", len(d.Names()), len(d.Vector()))
	}
}

// TestDescribeBand: a loud 100 Hz rumble under a 2.5 kHz tone drags the peak and
// the centroid down; restricting the spectral features to 1–10 kHz finds the tone
// again. The zero Options take documented defaults.
func TestDescribeBand(t *testing.T) {
	const rate = 22050
	x := make([]float32, rate)
	add(x, tone(rate/2, rate, 2500, 0.1), rate/4)
	add(x, tone(rate, rate, 100, 0.8), 0)
	whole, err := Describe(x, rate, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if whole.PeakFrequencyHz > 200 {
		t.Fatalf("without a band the rumble should win: peak %.0f Hz", whole.PeakFrequencyHz)
	}
	band, err := Describe(x, rate, Options{BandLowHz: 1000, BandHighHz: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(band.PeakFrequencyHz-2500) > 25 || math.Abs(band.CentroidHz-2500) > 100 {
		t.Errorf("within 1–10 kHz: peak %.0f Hz, centroid %.0f Hz, want about 2500", band.PeakFrequencyHz, band.CentroidHz)
	}
	if math.Abs(band.CallDurationSeconds-0.5) > 0.05 {
		t.Errorf("within 1–10 kHz: call duration %.3f s, want 0.5", band.CallDurationSeconds)
	}
	if _, err := Describe(x, rate, Options{BandLowHz: 12000, BandHighHz: 13000}); err == nil {
		t.Error("a band above Nyquist gave no error")
	}
}
