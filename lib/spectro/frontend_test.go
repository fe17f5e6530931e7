package spectro

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFrontEnd(t *testing.T) {
	f, err := NewFrontEnd(FrontEndOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Defaults: 3 s at 22050 Hz = 66150 samples; centred frames 1 + 66150/512 = 130.
	if got := f.Shape(); got != [2]int{130, 64} {
		t.Fatalf("shape %v, want [130 64]", got)
	}
	rate := 22050.0
	tone := make([]float32, 22050) // 1 s of 4 kHz, then silence (padding)
	for i := range tone {
		tone[i] = float32(0.5 * math.Sin(2*math.Pi*4000*float64(i)/rate))
	}
	img, err := f.Image(tone)
	if err != nil {
		t.Fatal(err)
	}
	// The loudest value maps to 1; padded silence to 0; all within [0, 1].
	var hi float32
	for _, v := range img {
		if v < 0 || v > 1 {
			t.Fatalf("value %v outside [0, 1]", v)
		}
		hi = max(hi, v)
	}
	if hi != 1 {
		t.Errorf("max %v, want 1", hi)
	}
	if last := img[129*64 : 130*64]; last[10] != 0 {
		t.Errorf("a frame of padding is %v, want 0", last[10])
	}
	// The band holding 4 kHz is the brightest in frame 20.
	frame := img[20*64 : 21*64]
	best := 0
	for m := range frame {
		if frame[m] > frame[best] {
			best = m
		}
	}
	centre := f.fb.CentersHz[best]
	if math.Abs(centre-4000) > 200 {
		t.Errorf("brightest band centred at %.0f Hz, want about 4000 Hz", centre)
	}
	// Gain does not matter while the peak stays above LevelFloor's bound: the
	// tone at amplitude 0.5 reads about −10 dBFS, and at 0.05 (−20 dB) about −30
	// dBFS (LevelPeak: any gain at all).
	peakRule, err := NewFrontEnd(FrontEndOptions{Level: LevelPeak})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    *FrontEnd
		gain float32
	}{{f, 1.0 / 1.5}, {peakRule, 1.0 / 100}, {peakRule, 1e-5}} {
		quiet := make([]float32, len(tone))
		for i, v := range tone {
			quiet[i] = v * tc.gain
		}
		img1, _ := tc.f.Image(tone)
		img2, _ := tc.f.Image(quiet)
		for i := range img1 {
			if math.Abs(float64(img1[i]-img2[i])) > 1e-5 {
				t.Fatalf("level %s: gain %g changed value %d: %v vs %v", tc.f.Options.Level, tc.gain, i, img1[i], img2[i])
			}
		}
	}
	// Errors.
	if _, err := f.Image(make([]float32, 70000)); err == nil {
		t.Error("a too long clip gave no error")
	}
	if _, err := f.Image([]float32{0, float32(math.NaN())}); err == nil {
		t.Error("NaN gave no error")
	}
	if _, err := NewFrontEnd(FrontEndOptions{FMinHz: 9000, FMaxHz: 8000}); err == nil {
		t.Error("inverted mel range gave no error")
	}
}

// TestFrontEndLevel checks the level rule on signals of known level: dBFS is
// calibrated by a sine (amplitude A reads 20·log10 A dBFS in the band nearest
// 997 Hz); near-silence — white noise at −80 dBFS, 60 Hz hum at −81 dBFS, a
// file of ±1 LSB — stays near-black with LevelFloor while LevelPeak blows
// every one of them up to a full-scale image; a clip above the bound gives the
// LevelPeak image bit for bit; a quieter tone's brightest value is where its
// level puts it on the fixed scale [−100, −20] dBFS.
func TestFrontEndLevel(t *testing.T) {
	floor, err := NewFrontEnd(FrontEndOptions{})
	if err != nil {
		t.Fatal(err)
	}
	peak, err := NewFrontEnd(FrontEndOptions{Level: LevelPeak})
	if err != nil {
		t.Fatal(err)
	}
	if floor.Options.Level != LevelFloor || floor.Options.FloorDBFS != -100 {
		t.Fatalf("defaults: level %q floor %v dBFS, want %q, -100", floor.Options.Level, floor.Options.FloorDBFS, LevelFloor)
	}
	n, rate := floor.ClipSamples(), 22050.0
	amplitude := func(dbfs float64) float64 { return math.Pow(10, dbfs/20) }
	signal := func(g func(i int) float64) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(g(i))
		}
		return x
	}
	sine := func(dbfs, hz float64) []float32 {
		return signal(func(i int) float64 { return amplitude(dbfs) * math.Sin(2*math.Pi*hz*float64(i)/rate) })
	}
	maxMean := func(image []float32) (hi, mean float64) {
		for _, v := range image {
			hi = max(hi, float64(v))
			mean += float64(v)
		}
		return hi, mean / float64(len(image))
	}

	// Calibration: the band nearest 997 Hz.
	calHz := floor.fb.CentersHz[0]
	for _, c := range floor.fb.CentersHz {
		if math.Abs(c-997) < math.Abs(calHz-997) {
			calHz = c
		}
	}
	for _, dbfs := range []float64{0, -20, -60} {
		mel, err := MelSpectrogram(sine(dbfs, calHz), int(rate), floor.stft, floor.fb)
		if err != nil {
			t.Fatal(err)
		}
		var hi float64
		for k := 2; k < mel.NumFrames-2; k++ { // away from the clip's edges
			for m := 0; m < mel.NumBins; m++ {
				hi = max(hi, float64(mel.Values[k*mel.NumBins+m]))
			}
		}
		if got := floor.DBFS(hi); math.Abs(got-dbfs) > 0.01 {
			t.Errorf("a %g dBFS sine at %.0f Hz reads %.3f dBFS", dbfs, calHz, got)
		}
	}

	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name    string
		samples []float32
	}{
		{"white noise at -80 dBFS RMS", signal(func(int) float64 { return amplitude(-80) * r.NormFloat64() })},
		{"60 Hz hum at -81 dBFS RMS", signal(func(i int) float64 { return math.Sqrt2 * amplitude(-81) * math.Sin(2*math.Pi*60*float64(i)/rate) })},
		{"±1 LSB of 16 bits", signal(func(int) float64 { return float64(r.IntN(3)-1) / 32768 })},
	} {
		hi, mean := maxMean(must(floor.Image(tc.samples)))
		if hi > 0.15 || mean > 0.02 {
			t.Errorf("%s: LevelFloor image max %.3f, mean %.3f; want near-black (≤ 0.15, ≤ 0.02)", tc.name, hi, mean)
		}
		if hi, _ := maxMean(must(peak.Image(tc.samples))); hi != 1 {
			t.Errorf("%s: LevelPeak image max %v, want 1 (the rule scales any clip to its peak)", tc.name, hi)
		}
	}

	// Above the bound (−20 dBFS): the LevelPeak image, bit for bit.
	loud := sine(-6, 3000)
	for i := range loud {
		loud[i] += float32(amplitude(-50) * r.NormFloat64())
	}
	a, b := must(floor.Image(loud)), must(peak.Image(loud))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("a -6 dBFS tone: value %d is %v with LevelFloor, %v with LevelPeak", i, a[i], b[i])
		}
	}
	// Below it: a calibration tone at −40 dBFS peaks at (−40 − (−100))/80 = 0.75.
	if hi, _ := maxMean(must(floor.Image(sine(-40, calHz)))); math.Abs(hi-0.75) > 0.002 {
		t.Errorf("a -40 dBFS tone at %.0f Hz: image max %.4f, want 0.75", calHz, hi)
	}
	if _, err := NewFrontEnd(FrontEndOptions{Level: "loudest"}); err == nil || !strings.Contains(err.Error(), `"loudest"`) {
		t.Errorf("unknown level rule: error %v", err)
	}
	if _, err := NewFrontEnd(FrontEndOptions{FloorDBFS: 10}); err == nil || !strings.Contains(err.Error(), "floor 10 dBFS") {
		t.Errorf("floor above full scale: error %v", err)
	}
}

// TestFrontEndOptionsJSON: a record without a level rule predates it and
// reads as LevelPeak; the defaults round-trip.
func TestFrontEndOptionsJSON(t *testing.T) {
	old := `{"SampleRateHz":22050,"ClipSeconds":3,"NFFT":1024,"Hop":512,"NumMels":64,"FMinHz":500,"FMaxHz":11025,"TopDB":80}`
	var o FrontEndOptions
	if err := json.Unmarshal([]byte(old), &o); err != nil {
		t.Fatal(err)
	}
	if o.Level != LevelPeak || o.NumMels != 64 {
		t.Errorf("old record: level %q, %d mels; want %q, 64", o.Level, o.NumMels, LevelPeak)
	}
	f, err := NewFrontEnd(FrontEndOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(f.Options)
	if err != nil {
		t.Fatal(err)
	}
	var back FrontEndOptions
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back != f.Options {
		t.Errorf("round trip of %s: %+v, want %+v", data, back, f.Options)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
