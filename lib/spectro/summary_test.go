package spectro

import (
	"math"
	"testing"
)

// TestSummary checks Max, Min, ArgMax, Mean and FloorShare on small spectrograms whose
// answers are computed by hand.
func TestSummary(t *testing.T) {
	tests := []struct {
		name           string
		values         []float32
		frames, bins   int
		max, min, mean float64
		frame, bin     int
		floorShare     float64
	}{
		// 2 frames × 3 bins: the largest, 9, is frame 1, bin 0; 1 appears twice of 6.
		{"power", []float32{1, 4, 1, 9, 2, 7}, 2, 3, 9, 1, 24.0 / 6, 1, 0, 2.0 / 6},
		// A dB picture floored at −80: three of four cells on the floor; the first of
		// two equal maxima wins.
		{"dB floor", []float32{-80, 0, -80, -80}, 2, 2, 0, -80, -60, 0, 1, 3.0 / 4},
		{"one cell", []float32{-3}, 1, 1, -3, -3, -3, 0, 0, 1},
		{"equal maxima", []float32{5, 5, 5, 5}, 2, 2, 5, 5, 5, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Spectrogram{Values: tc.values, NumFrames: tc.frames, NumBins: tc.bins}
			if got := s.Max(); got != tc.max {
				t.Errorf("Max = %g, want %g", got, tc.max)
			}
			if got := s.Min(); got != tc.min {
				t.Errorf("Min = %g, want %g", got, tc.min)
			}
			if got := s.Mean(); math.Abs(got-tc.mean) > 1e-12 {
				t.Errorf("Mean = %g, want %g", got, tc.mean)
			}
			if frame, bin := s.ArgMax(); frame != tc.frame || bin != tc.bin {
				t.Errorf("ArgMax = (%d, %d), want (%d, %d)", frame, bin, tc.frame, tc.bin)
			}
			if got := s.FloorShare(); math.Abs(got-tc.floorShare) > 1e-12 {
				t.Errorf("FloorShare = %g, want %g", got, tc.floorShare)
			}
		})
	}
}

func TestSummaryEmpty(t *testing.T) {
	s := &Spectrogram{}
	if !math.IsInf(s.Max(), -1) || !math.IsInf(s.Min(), 1) {
		t.Errorf("empty: Max %g, Min %g; want -Inf, +Inf", s.Max(), s.Min())
	}
	if frame, bin := s.ArgMax(); frame != -1 || bin != -1 {
		t.Errorf("empty: ArgMax (%d, %d), want (-1, -1)", frame, bin)
	}
	if !math.IsNaN(s.Mean()) || !math.IsNaN(s.FloorShare()) {
		t.Errorf("empty: Mean %g, FloorShare %g; want NaN", s.Mean(), s.FloorShare())
	}
}

// TestSummaryOfASine: the loudest cell of a sine's spectrogram lies in the bin nearest its
// frequency, and ToDecibels with TopDB floors the cells the floor says.
func TestSummaryOfASine(t *testing.T) {
	const rateHz, freqHz = 8000, 1000 // bin 64 of a 512-point FFT (15.625 Hz per bin)
	samples := make([]float32, rateHz)
	for i := range samples {
		samples[i] = float32(0.5 * math.Sin(2*math.Pi*freqHz*float64(i)/rateHz))
	}
	power := MustPowerSpectrogram(samples, rateHz, Options{NFFT: 512, Hop: 128, Center: true})
	if _, bin := power.ArgMax(); power.FreqsHz[bin] != freqHz {
		t.Errorf("loudest bin at %g Hz, want %d", power.FreqsHz[bin], freqHz)
	}
	db := MustToDecibels(power, DBOptions{TopDB: 40})
	if db.Max() != 0 || db.Min() != -40 {
		t.Errorf("dB from %g to %g, want -40 to 0", db.Min(), db.Max())
	}
	atFloor := 0
	for _, v := range db.Values {
		if v == -40 {
			atFloor++
		}
	}
	if want := float64(atFloor) / float64(len(db.Values)); db.FloorShare() != want || want == 0 {
		t.Errorf("FloorShare %g, want %g (and above 0)", db.FloorShare(), want)
	}
}

// TestMustPanics: each Must twin panics with its namesake's error on bad input.
func TestMustPanics(t *testing.T) {
	cases := map[string]func(){
		"PowerSpectrogram": func() { MustPowerSpectrogram([]float32{1}, 8000, Options{NFFT: -1}) },
		"ToDecibels":       func() { MustToDecibels(&Spectrogram{Scale: Decibels}, DBOptions{}) },
		"NewMelFilterbank": func() { MustNewMelFilterbank(512, 8000, MelOptions{NumMels: -1}) },
		"NewFrontEnd":      func() { MustNewFrontEnd(FrontEndOptions{SampleRateHz: -1}) },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Must%s did not panic", name)
				}
			}()
			call()
		})
	}
}
