package spectro

import (
	"math"
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
	// Gain does not matter.
	quiet := make([]float32, len(tone))
	for i, v := range tone {
		quiet[i] = v / 100
	}
	img2, _ := f.Image(quiet)
	for i := range img {
		if math.Abs(float64(img[i]-img2[i])) > 1e-5 {
			t.Fatalf("gain changed value %d: %v vs %v", i, img[i], img2[i])
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
