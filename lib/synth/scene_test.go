package synth

import (
	"math"
	"slices"
	"testing"
)

var testWorld = func() *World {
	w, err := NewWorld(WorldOptions{})
	if err != nil {
		panic(err)
	}
	return w
}()

// dryScene is a scene with no recorder effects, at 48 kHz: what the SNR is
// defined on.
func dryScene(animal int, snr float64) Scene {
	return Scene{DurationSeconds: 3, SampleRateHz: RenderRateHz, SongProbability: 0.7, SNRdB: snr,
		Sources: []Source{{Voice: Voice{Species: animal, Individual: 1}, Role: RoleLabelled, DistanceMetres: 20},
			{Voice: Voice{Species: 250, Individual: 3}, Role: RoleDistant, DistanceMetres: 150, LevelDB: -10}},
		Noise: []NoiseKind{Traffic, InsectChorus}, FoliageDBPerMetre: 0.02, RT60Seconds: 0.6, CriticalDistanceMetres: 10, PeakGain: 0.5}
}

// TestSceneSNR measures the SNR of rendered scenes independently of how it
// was set: the same seed at +300 dB gives the labelled sound alone, at −300 dB
// the background alone (each scaled to the peak gain); a least-squares fit of
// the mix on the two separates them, whatever their correlation. Birds, frogs,
// insects and mammals; reverberant, distant, with distant animals in the
// background. Every animal at every SNR; with -short (the race detector's
// run: RenderScene is one goroutine, so the detector gains nothing from more
// cases, and each render is ~15× slower under it) each animal at one SNR and
// each SNR at least once.
func TestSceneSNR(t *testing.T) {
	type snrCase struct {
		animal int
		snr    float64
	}
	var cases []snrCase
	for _, animal := range []int{162, 320, 361, 401} {
		for _, snr := range []float64{-5, 5, 20} {
			cases = append(cases, snrCase{animal, snr})
		}
	}
	if testing.Short() {
		cases = []snrCase{{162, -5}, {320, 5}, {361, 20}, {401, 5}}
	}
	for _, c := range cases {
		animal, snr := c.animal, c.snr
		s := dryScene(animal, snr)
		render := func(snr float64) *SceneRecording {
			s.SNRdB = snr
			rec, err := testWorld.RenderScene(42, s)
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		// The events (when the labelled animal sounds) are placed before the
		// SNR scales the background, so the mix's are those of all three.
		rec := render(snr)
		mix, signal, background := rec.Samples, render(300).Samples, render(-300).Samples
		var ss, sb, bb, ms, mb float64
		for i := range mix {
			x, y, m := float64(signal[i]), float64(background[i]), float64(mix[i])
			ss, sb, bb, ms, mb = ss+x*x, sb+x*y, bb+y*y, ms+m*x, mb+m*y
		}
		det := ss*bb - sb*sb
		a, b := (ms*bb-mb*sb)/det, (mb*ss-ms*sb)/det
		var ps, pn float64
		var na int
		for i := range mix {
			n := b * float64(background[i])
			pn += n * n
			tm := float64(i) / RenderRateHz
			if slices.ContainsFunc(rec.Events, func(e SceneEvent) bool { return tm >= e.StartSeconds && tm < e.EndSeconds }) {
				sig := a * float64(signal[i])
				ps += sig * sig
				na++
			}
		}
		measured := 10 * math.Log10((ps/float64(na))/(pn/float64(len(mix))))
		t.Logf("%s at %v dB: %.3f dB measured", testWorld.Animals[animal].Code, snr, measured)
		if math.Abs(measured-snr) > 0.5 {
			t.Errorf("%s: SNR %v dB requested, %.2f dB measured", testWorld.Animals[animal].Code, snr, measured)
		}
	}
}

// TestSceneClipping: a scene driven 6 dB into clipping saturates at ClipLevel,
// and exactly the samples that the unclipped render (peak scaled to
// ClipLevel·10^(6/20)) puts above it are clipped; the others are unchanged.
func TestSceneClipping(t *testing.T) {
	s := dryScene(162, 10)
	s.SampleRateHz = 32000
	s.ClipDB = 6
	clipped, err := testWorld.RenderScene(7, s)
	if err != nil {
		t.Fatal(err)
	}
	s.ClipDB, s.PeakGain = 0, 1
	free, _ := testWorld.RenderScene(7, s)
	drive := ClipLevel * math.Pow(10, 6.0/20)
	over := 0
	var peak float64
	for i, v := range free.Samples {
		want := float64(v) * drive
		got := float64(clipped.Samples[i])
		peak = math.Max(peak, math.Abs(got))
		if math.Abs(want) > ClipLevel {
			over++
			if math.Abs(math.Abs(got)-ClipLevel) > 1e-6 || got*want < 0 {
				t.Fatalf("sample %d: %v, want ±%v (unclipped %v)", i, got, ClipLevel, want)
			}
		} else if math.Abs(got-want) > 1e-5 {
			t.Fatalf("sample %d: %v, want %v (below the clip level)", i, got, want)
		}
	}
	if math.Abs(peak-ClipLevel) > 1e-6 {
		t.Errorf("peak %v, want the clip level %v", peak, ClipLevel)
	}
	if want := float64(over) / float64(len(free.Samples)); clipped.ClippedFraction != want || want == 0 {
		t.Errorf("clipped fraction %v, want %v (> 0)", clipped.ClippedFraction, want)
	}
}

// TestSceneSampleRatesAndBandLimit: each recorder rate gives DurationSeconds ×
// rate samples; a recorder's low-pass shows in the recording's spectrum as the
// Butterworth response (within 1.5 dB, against the same scene without it);
// nothing survives above the rate's Nyquist band edge.
func TestSceneSampleRatesAndBandLimit(t *testing.T) {
	for _, rate := range []int{16000, 22050, 24000, 32000, 44100, 48000} {
		s := dryScene(375, 0) // a katydid-like insect, 7–10 kHz
		s.Noise, s.SampleRateHz, s.RT60Seconds = []NoiseKind{Pink, Rain}, rate, 0
		rec, err := testWorld.RenderScene(3, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Samples) != 3*rate {
			t.Errorf("%d Hz: %d samples, want %d", rate, len(rec.Samples), 3*rate)
		}
		for _, e := range rec.Events {
			if e.HighHz > 0.5*float64(rate) {
				t.Errorf("%d Hz: event band up to %v Hz, above Nyquist", rate, e.HighHz)
			}
		}
	}
	s := dryScene(375, 0)
	s.Noise, s.SampleRateHz, s.RT60Seconds = []NoiseKind{Rain}, 32000, 0
	open, _ := testWorld.RenderScene(5, s)
	s.LowPassHz = 5000
	limited, _ := testWorld.RenderScene(5, s)
	x, y := make([]float64, len(open.Samples)), make([]float64, len(limited.Samples))
	for i := range x {
		x[i], y[i] = float64(open.Samples[i]), float64(limited.Samples[i])
	}
	freqs := []float64{2000, 5000, 7000, 9000}
	a, b := spectrumDB(x, 32000, freqs, 100), spectrumDB(y, 32000, freqs, 100)
	// The two recordings have different peak gains: compare relative to 2 kHz.
	for k, f := range freqs[1:] {
		got := (b[k+1] - b[0]) - (a[k+1] - a[0])
		want := analogButterworthDB(f, 5000, RenderRateHz, lowPassOrder, false) - analogButterworthDB(2000, 5000, RenderRateHz, lowPassOrder, false)
		if math.Abs(got-want) > 1.5 {
			t.Errorf("low-pass at 5 kHz: %.0f Hz down %.2f dB relative to 2 kHz, Butterworth gives %.2f", f, got, want)
		}
	}
}

// TestSceneReverberationTail: a frog calling in a reverberant habitat keeps
// sounding after its last call ends; the envelope decays at 60 dB per RT60
// (the slope of the smoothed energy in dB, fitted over 150 ms after the
// call's end, within 20 %), while the dry scene falls silent at once.
func TestSceneReverberationTail(t *testing.T) {
	for _, rt60 := range []float64{0.4, 0.9} {
		s := Scene{DurationSeconds: 3, SampleRateHz: RenderRateHz, SongProbability: 1, SNRdB: 100,
			Sources:     []Source{{Voice: Voice{Species: 325, Individual: 0}, Role: RoleLabelled, DistanceMetres: 10}},
			RT60Seconds: rt60, CriticalDistanceMetres: 3, PeakGain: 0.5}
		rec, err := testWorld.RenderScene(11, s)
		if err != nil {
			t.Fatal(err)
		}
		end := 0.0
		for _, e := range rec.Events {
			if e.EndSeconds < 2.5 {
				end = math.Max(end, e.EndSeconds)
			}
		}
		next := 3.0
		for _, e := range rec.Events {
			if e.StartSeconds > end {
				next = math.Min(next, e.StartSeconds)
			}
		}
		if next-end < 0.2 {
			t.Fatalf("RT60 %v: only %.3f s of silence after a call", rt60, next-end)
		}
		// Energy in 10 ms frames from 20 ms after the end, for 150 ms.
		var sx, sy, sxx, sxy, n float64
		for f := 0; f < 15; f++ {
			start := int((end + 0.02 + 0.01*float64(f)) * RenderRateHz)
			var e float64
			for _, v := range rec.Samples[start : start+480] {
				e += float64(v) * float64(v)
			}
			x, y := 0.01*float64(f), 10*math.Log10(e)
			sx, sy, sxx, sxy, n = sx+x, sy+y, sxx+x*x, sxy+x*y, n+1
		}
		slope := (n*sxy - sx*sy) / (n*sxx - sx*sx)
		if got := -60 / slope; math.Abs(got/rt60-1) > 0.2 {
			t.Errorf("RT60 %v s: the tail decays %.1f dB/s, an RT60 of %.3f s", rt60, slope, got)
		}
	}
}

func TestSceneDeterministicAndValidated(t *testing.T) {
	s := dryScene(401, 3)
	a, err := testWorld.RenderScene(9, s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := testWorld.RenderScene(9, s)
	c, _ := testWorld.RenderScene(10, s)
	if !slices.Equal(a.Samples, b.Samples) {
		t.Error("the same seed gave different samples")
	}
	if slices.Equal(a.Samples, c.Samples) {
		t.Error("seeds 9 and 10 gave the same samples")
	}
	for name, bad := range map[string]func(*Scene){
		"no labelled source": func(s *Scene) { s.Sources = s.Sources[1:] },
		"rate":               func(s *Scene) { s.SampleRateHz = 96000 },
		"distance":           func(s *Scene) { s.Sources[0].DistanceMetres = 0.5 },
		"animal":             func(s *Scene) { s.Sources[0].Voice.Species = len(testWorld.Animals) },
		"band":               func(s *Scene) { s.HighPassHz, s.LowPassHz = 500, 400 },
		"gain":               func(s *Scene) { s.PeakGain = 0 },
		"reverb":             func(s *Scene) { s.CriticalDistanceMetres = 0 },
	} {
		s := dryScene(401, 3)
		s.Sources = slices.Clone(s.Sources)
		bad(&s)
		if _, err := testWorld.RenderScene(1, s); err == nil {
			t.Errorf("%s: a bad scene rendered", name)
		}
	}
}

// TestDrawSceneKeepsLabelsAudible: over many draws of HardRanges, the
// recorder never cuts the centre of a labelled animal's band away (every
// rate whose 0.45·rate keeps it is drawn, no other), every drawn value lies in
// its range, and every drawn scene is valid.
func TestDrawSceneKeepsLabelsAudible(t *testing.T) {
	r := HardRanges()
	insect := 375 // band 7.1–9.6 kHz, centre 8.3 kHz: too high for 16 kHz recorders
	lo, hi := testWorld.Band(insect)
	need := r.LabelledHeadroom * math.Sqrt(lo*hi)
	rates := map[int]int{}
	for i := range 300 {
		s, err := r.DrawScene(rngFor(5, uint64(i)), testWorld, 3, []Voice{{Species: insect}}, testWorld.Pretrain())
		if err != nil {
			t.Fatal(err)
		}
		rates[s.SampleRateHz]++
		if 0.45*float64(s.SampleRateHz) < need || (s.LowPassHz > 0 && s.LowPassHz < need) {
			t.Fatalf("draw %d: %d Hz, low-pass %v Hz cut a band that needs %.0f Hz", i, s.SampleRateHz, s.LowPassHz, need)
		}
		if s.SNRdB < r.SNRdB.Min || s.SNRdB > r.SNRdB.Max || s.Sources[0].DistanceMetres < r.DistanceMetres.Min || s.Sources[0].DistanceMetres > r.DistanceMetres.Max {
			t.Fatalf("draw %d out of range: %+v", i, s)
		}
		if err := s.Validate(testWorld); err != nil {
			t.Fatalf("draw %d: %v", i, err)
		}
	}
	for _, rate := range r.SampleRatesHz {
		if keeps := 0.45*float64(rate) >= need; keeps != (rates[rate] > 0) {
			t.Errorf("%d Hz drawn %d times; it keeps the band centre: %v", rate, rates[rate], keeps)
		}
	}
	if rates[16000] != 0 {
		t.Errorf("16 kHz drawn for a band that needs %.0f Hz", need)
	}
}
