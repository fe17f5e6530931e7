package spectro

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// readCSV reads a matrix saved by testdata/make_reference.py.
func readCSV(t *testing.T, name string) [][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make([][]float64, len(records))
	for i, rec := range records {
		out[i] = make([]float64, len(rec))
		for j, field := range rec {
			if out[i][j], err = strconv.ParseFloat(field, 64); err != nil {
				t.Fatalf("%s line %d: %v", name, i+1, err)
			}
		}
	}
	return out
}

func referenceSignal(t *testing.T) ([]float32, int) {
	t.Helper()
	a, err := audio.Load(filepath.Join("testdata", "signal.wav"))
	if err != nil {
		t.Fatal(err)
	}
	return a.Channels[0], a.SampleRateHz
}

// compare checks got (frame-major, rows × cols) against want within
// rtol·|want| + atol·max|want|.
func compare(t *testing.T, what string, got []float32, rows, cols int, want [][]float64, rtol, atol float64) {
	t.Helper()
	if rows != len(want) || cols != len(want[0]) {
		t.Fatalf("%s: %d×%d, reference is %d×%d", what, rows, cols, len(want), len(want[0]))
	}
	var peak float64
	for _, row := range want {
		for _, v := range row {
			peak = math.Max(peak, math.Abs(v))
		}
	}
	bad := 0
	for r := range want {
		for c, w := range want[r] {
			g := float64(got[r*cols+c])
			if math.Abs(g-w) > rtol*math.Abs(w)+atol*peak {
				if bad < 5 {
					t.Errorf("%s[%d][%d] = %.9g, scipy %.9g", what, r, c, g, w)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values outside tolerance", what, bad, rows*cols)
	}
}

func TestPowerSpectrogramMatchesScipy(t *testing.T) {
	x, rate := referenceSignal(t)
	tests := []struct {
		file string
		opts Options
	}{
		{"stft_hann_512_128.csv", Options{NFFT: 512, Hop: 128, Window: Hann}},
		{"stft_hamming_256_100.csv", Options{NFFT: 256, Hop: 100, Window: Hamming}},
		{"stft_hann_512_256_center.csv", Options{NFFT: 512, Hop: 256, Window: Hann, Center: true}},
		{"stft_blackman_1024_512.csv", Options{NFFT: 1024, Hop: 512, Window: Blackman}},
	}
	for _, tc := range tests {
		s, err := PowerSpectrogram(x, rate, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, tc.file, s.Values, s.NumFrames, s.NumBins, readCSV(t, tc.file), 2e-5, 1e-7)
	}
}

func TestMelMatchesReference(t *testing.T) {
	conv := readCSV(t, "mel_hz_to_mel.csv")
	for i, hz := range conv[0] {
		if got := HzToMel(hz, Slaney); math.Abs(got-conv[1][i]) > 1e-9*math.Max(1, conv[1][i]) { // the file keeps 10 digits
			t.Errorf("HzToMel(%v, Slaney) = %v, reference %v", hz, got, conv[1][i])
		}
		if got := HzToMel(hz, HTK); math.Abs(got-conv[2][i]) > 1e-9*math.Max(1, conv[2][i]) {
			t.Errorf("HzToMel(%v, HTK) = %v, reference %v", hz, got, conv[2][i])
		}
		for _, scale := range []MelScale{Slaney, HTK} {
			if back := MelToHz(HzToMel(hz, scale), scale); math.Abs(back-hz) > 1e-9*math.Max(1, hz) {
				t.Errorf("MelToHz(HzToMel(%v)) = %v", hz, back)
			}
		}
	}
	// By hand: Slaney puts 1 kHz at 15 mel and 6.4 kHz at 15+27 mel; HTK puts 700 Hz at 2595·log10 2.
	if got := HzToMel(1000, Slaney); math.Abs(got-15) > 1e-12 {
		t.Errorf("Slaney mel(1 kHz) = %v, want 15", got)
	}
	if got := HzToMel(6400, Slaney); math.Abs(got-42) > 1e-12 {
		t.Errorf("Slaney mel(6.4 kHz) = %v, want 42", got)
	}
	if got := HzToMel(700, HTK); math.Abs(got-2595*math.Log10(2)) > 1e-9 {
		t.Errorf("HTK mel(700 Hz) = %v", got)
	}

	tests := []struct {
		file     string
		nfft, sr int
		o        MelOptions
	}{
		{"mel_slaney_40_512.csv", 512, 16000, MelOptions{NumMels: 40, Scale: Slaney, SlaneyNorm: true}},
		{"mel_htk_64_1024.csv", 1024, 22050, MelOptions{NumMels: 64, FMinHz: 300, FMaxHz: 10000, Scale: HTK}},
	}
	for _, tc := range tests {
		fb, err := NewMelFilterbank(tc.nfft, tc.sr, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		dense := fb.Dense()
		flat := make([]float32, 0, len(dense)*fb.NumBins)
		for _, row := range dense {
			flat = append(flat, row...)
		}
		compare(t, tc.file, flat, len(dense), fb.NumBins, readCSV(t, tc.file), 1e-6, 1e-7)
	}
}

func TestMelSpectrogramMatchesScipy(t *testing.T) {
	x, rate := referenceSignal(t)
	o := Options{NFFT: 512, Hop: 128}
	fb, err := NewMelFilterbank(512, rate, MelOptions{NumMels: 40, SlaneyNorm: true})
	if err != nil {
		t.Fatal(err)
	}
	want := readCSV(t, "melpower_hann_512_128.csv")
	mel, err := MelSpectrogram(x, rate, o, fb)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "MelSpectrogram", mel.Values, mel.NumFrames, mel.NumBins, want, 2e-5, 1e-7)
	power, _ := PowerSpectrogram(x, rate, o)
	applied, err := fb.Apply(power)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "Filterbank.Apply", applied.Values, applied.NumFrames, applied.NumBins, want, 2e-5, 1e-7)
}

// TestSTFTKnownSignal: a cosine of amplitude A exactly on bin k0 with a rectangular
// window gives X[k0] = A·N/2 and zero elsewhere; frame times and bin frequencies
// follow the documented formulas.
func TestSTFTKnownSignal(t *testing.T) {
	const n, k0, rate, amp = 64, 5, 8000, 0.8
	x := make([]float32, 256)
	for i := range x {
		x[i] = float32(amp * math.Cos(2*math.Pi*k0*float64(i)/n))
	}
	o := Options{NFFT: n, Hop: 64, Window: Rectangular}
	stft, err := STFT(x, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(stft) != 4 {
		t.Fatalf("%d frames, want 4", len(stft))
	}
	for k, frame := range stft {
		for f, c := range frame {
			want := 0.0
			if f == k0 {
				want = amp * n / 2
			}
			if math.Abs(real(c)-want) > 1e-4 || math.Abs(imag(c)) > 1e-4 {
				t.Errorf("frame %d bin %d = %v, want %v", k, f, c, want)
			}
		}
	}
	mag, _ := MagnitudeSpectrogram(x, rate, o)
	if got := mag.At(2, k0); math.Abs(float64(got)-amp*n/2) > 1e-4 {
		t.Errorf("magnitude peak %v, want %v", got, amp*n/2)
	}
	if mag.FreqsHz[k0] != k0*rate/n || mag.TimesSeconds[1] != (64+32)/8000.0 {
		t.Errorf("bin %d at %v Hz, frame 1 at %v s", k0, mag.FreqsHz[k0], mag.TimesSeconds[1])
	}
	centred, _ := MagnitudeSpectrogram(x, rate, Options{NFFT: n, Hop: 64, Center: true})
	if centred.NumFrames != 5 || centred.TimesSeconds[1] != 64/8000.0 {
		t.Errorf("centred: %d frames, frame 1 at %v s; want 5 and 0.008", centred.NumFrames, centred.TimesSeconds[1])
	}
	if _, err := PowerSpectrogram(x[:10], rate, o); err == nil {
		t.Error("a signal shorter than one frame gave no error")
	}
}

func TestDecibelsBandpassNormalize(t *testing.T) {
	s := &Spectrogram{Values: []float32{1, 0.1, 1e-12, 0, 4, 0.04}, NumFrames: 2, NumBins: 3,
		TimesSeconds: []float64{0, 1}, FreqsHz: []float64{0, 100, 200}, Scale: Power}
	db, err := ToDecibels(s, DBOptions{Ref: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, -10, -100, -100, float32(10 * math.Log10(4)), float32(10 * math.Log10(0.04))}
	for i := range want {
		if math.Abs(float64(db.Values[i]-want[i])) > 1e-5 {
			t.Errorf("dB[%d] = %v, want %v", i, db.Values[i], want[i])
		}
	}
	floored, _ := ToDecibels(s, DBOptions{TopDB: 30}) // ref = max = 4
	wantFloor := []float32{float32(-10 * math.Log10(4)), -16.0206, -30, -30, 0, -20}
	for i := range wantFloor {
		if math.Abs(float64(floored.Values[i]-wantFloor[i])) > 1e-4 {
			t.Errorf("dB with top 30 [%d] = %v, want %v", i, floored.Values[i], wantFloor[i])
		}
	}
	s.Scale = Magnitude
	mag, _ := ToDecibels(s, DBOptions{Ref: 1})
	if math.Abs(float64(mag.Values[1])+20) > 1e-5 {
		t.Errorf("magnitude 0.1 → %v dB, want -20", mag.Values[1])
	}
	band, err := Bandpass(s, 50, 250)
	if err != nil {
		t.Fatal(err)
	}
	if band.NumBins != 2 || band.FreqsHz[0] != 100 || band.At(1, 0) != 4 || band.At(1, 1) != 0.04 {
		t.Errorf("Bandpass(50, 250 Hz) = %+v", band)
	}
	if _, err := Bandpass(s, 300, 400); err == nil {
		t.Error("empty band accepted")
	}
	mm := Normalize(s, MinMax)
	if mm.Values[4] != 1 || mm.Values[3] != 0 || mm.Values[0] != 0.25 {
		t.Errorf("MinMax = %v", mm.Values)
	}
	z := Normalize(&Spectrogram{Values: []float32{1, 3}}, Standardize)
	if z.Values[0] != -1 || z.Values[1] != 1 {
		t.Errorf("Standardize([1 3]) = %v, want [-1 1]", z.Values)
	}
}
