package spectro

import (
	"math"
	"testing"
)

// TestFrontEndSpectrogram checks the axes of a front-end image against a known
// signal: a tone near toneHz, moved to the centre the axis gives the nearest band,
// must be brightest in that band (a shifted axis would put it in a neighbour); frames are Hop/rate apart starting at 0 (centred frames), and a wrong
// length is an error naming the sizes.
func TestFrontEndSpectrogram(t *testing.T) {
	for _, tc := range []struct {
		name       string
		o          FrontEndOptions
		toneHz     float64
		wantFrames int // 1 + samples/Hop, by hand
	}{
		{"defaults", FrontEndOptions{}, 4000, 1 + 66150/512},
		{"coarse", FrontEndOptions{Hop: 1024, NumMels: 32}, 4000, 1 + 66150/1024},
		{"short clip, low tone", FrontEndOptions{ClipSeconds: 1, NumMels: 40, FMinHz: 200}, 1000, 1 + 22050/512},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFrontEnd(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			s, err := f.Spectrogram(make([]float32, f.NumFrames()*f.Options.NumMels))
			if err != nil {
				t.Fatal(err)
			}
			nearest := 0
			for m := range s.FreqsHz {
				if math.Abs(s.FreqsHz[m]-tc.toneHz) < math.Abs(s.FreqsHz[nearest]-tc.toneHz) {
					nearest = m
				}
			}
			toneHz := s.FreqsHz[nearest]
			samples := make([]float32, f.ClipSamples())
			for i := range samples {
				samples[i] = float32(0.5 * math.Sin(2*math.Pi*toneHz*float64(i)/22050))
			}
			image, err := f.Image(samples)
			if err != nil {
				t.Fatal(err)
			}
			if s, err = f.Spectrogram(image); err != nil {
				t.Fatal(err)
			}
			if s.NumFrames != tc.wantFrames || s.NumBins != f.Options.NumMels || !s.Mel || s.Scale != Normalized {
				t.Fatalf("%d frames × %d bands (mel %v, scale %v); want %d × %d, mel, normalized", s.NumFrames, s.NumBins, s.Mel, s.Scale, tc.wantFrames, f.Options.NumMels)
			}
			hop := float64(f.Options.Hop) / 22050
			for k, got := range s.TimesSeconds {
				if math.Abs(got-float64(k)*hop) > 1e-12 {
					t.Fatalf("frame %d at %v s, want %v", k, got, float64(k)*hop)
				}
			}
			if s.FrameSeconds != hop {
				t.Errorf("FrameSeconds %v, want %v", s.FrameSeconds, hop)
			}
			mid := s.Frame(s.NumFrames / 2)
			brightest := 0
			for m := range mid {
				if mid[m] > mid[brightest] {
					brightest = m
				}
			}
			if brightest != nearest || mid[brightest] != 1 {
				t.Errorf("brightest band %d (%.0f Hz, value %v), want band %d (%.0f Hz) at 1", brightest, s.FreqsHz[brightest], mid[brightest], nearest, s.FreqsHz[nearest])
			}
			if s.FreqsHz[0] <= f.Options.FMinHz || s.FreqsHz[s.NumBins-1] >= f.Options.FMaxHz {
				t.Errorf("band centres %v–%v Hz outside %v–%v Hz", s.FreqsHz[0], s.FreqsHz[s.NumBins-1], f.Options.FMinHz, f.Options.FMaxHz)
			}
			if _, err := f.Spectrogram(image[1:]); err == nil {
				t.Error("an image one value short: no error")
			}
		})
	}
}
