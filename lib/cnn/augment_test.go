package cnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ramp returns a frames×mels image whose value at (k, b) is 1 + k*mels + b, so
// every value says where it came from.
func ramp(frames, mels int) []float32 {
	image := make([]float32, frames*mels)
	for i := range image {
		image[i] = float32(1 + i)
	}
	return image
}

func TestTimeShift(t *testing.T) {
	const frames, mels = 5, 3
	image := ramp(frames, mels)
	for _, c := range []struct {
		shift int
		// want[k] is the source frame of output frame k, −1 for silence.
		want []int
	}{
		{0, []int{0, 1, 2, 3, 4}},
		{2, []int{-1, -1, 0, 1, 2}},
		{-1, []int{1, 2, 3, 4, -1}},
		{7, []int{-1, -1, -1, -1, -1}},
	} {
		got := TimeShift(image, frames, mels, c.shift)
		for k, src := range c.want {
			for b := range mels {
				want := float32(0)
				if src >= 0 {
					want = float32(1 + src*mels + b)
				}
				if got[k*mels+b] != want {
					t.Errorf("shift %d: [%d, %d] = %v, want %v", c.shift, k, b, got[k*mels+b], want)
				}
			}
		}
	}
}

func TestMasks(t *testing.T) {
	const frames, mels = 6, 4
	for _, c := range []struct {
		name   string
		mask   func([]float32)
		zeroed func(k, b int) bool
	}{
		{"time 1..3", func(im []float32) { MaskTime(im, frames, mels, 1, 3) }, func(k, b int) bool { return k >= 1 && k < 4 }},
		{"time clipped", func(im []float32) { MaskTime(im, frames, mels, 4, 10) }, func(k, b int) bool { return k >= 4 }},
		{"freq 2..3", func(im []float32) { MaskFreq(im, frames, mels, 2, 2) }, func(k, b int) bool { return b >= 2 }},
		{"freq none", func(im []float32) { MaskFreq(im, frames, mels, 1, 0) }, func(k, b int) bool { return false }},
	} {
		image := ramp(frames, mels)
		c.mask(image)
		for k := range frames {
			for b := range mels {
				want := float32(1 + k*mels + b)
				if c.zeroed(k, b) {
					want = 0
				}
				if image[k*mels+b] != want {
					t.Errorf("%s: [%d, %d] = %v, want %v", c.name, k, b, image[k*mels+b], want)
				}
			}
		}
	}
}

func TestMixup(t *testing.T) {
	a := []float32{1, 0, 0.5}
	b := []float32{0, 1, 0.5}
	got := Mixup(a, b, 0.7)
	want := []float32{0.7, 0.3, 0.5}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-7 {
			t.Errorf("Mixup[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestApplyMixupLabels mixes every image of a batch of two constant images and
// checks that each mixed image and its target carry the same λ, that targets
// still sum to 1, and that λ's mean over many draws is 1/2 (Beta(α, α) is
// symmetric).
func TestApplyMixupLabels(t *testing.T) {
	const frames, mels, classes = 2, 2, 2
	rng := rand.New(rand.NewPCG(1, 2))
	a := Augment{MixupProbability: 1, MixupAlpha: 0.4}
	var sum float64
	const trials = 4000
	for range trials {
		images := []float32{1, 1, 1, 1, 0, 0, 0, 0}
		targets := []float32{1, 0, 0, 1}
		a.apply(images, targets, 2, frames, mels, classes, rng)
		for i := range 2 {
			lambdaImage := float64(images[i*4]) // the weight of image 0
			if math.Abs(float64(targets[i*2])-lambdaImage) > 1e-6 || math.Abs(float64(targets[i*2]+targets[i*2+1])-1) > 1e-6 {
				t.Fatalf("image %d mixed with weight %v of image 0, target %v", i, lambdaImage, targets[i*2:i*2+2])
			}
		}
		sum += float64(images[0])
	}
	// Image 0 keeps weight λ of itself; E[λ] = 1/2, sd of the mean ≈ 0.37/√4000.
	if mean := sum / trials; math.Abs(mean-0.5) > 0.02 {
		t.Errorf("mean λ = %.3f, want 0.5 ± 0.02", mean)
	}
}

// TestBetaSampleMoments checks Beta(α, α)'s variance, 1/(4(2α+1)).
func TestBetaSampleMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, alpha := range []float64{0.4, 2} {
		const n = 20000
		var sum, sumSq float64
		for range n {
			x := betaSample(alpha, rng)
			sum += x
			sumSq += x * x
		}
		mean := sum / n
		variance := sumSq/n - mean*mean
		want := 1 / (4 * (2*alpha + 1))
		if math.Abs(mean-0.5) > 0.01 || math.Abs(variance-want) > 0.1*want {
			t.Errorf("Beta(%v, %v): mean %.4f variance %.4f, want 0.5 and %.4f", alpha, alpha, mean, variance, want)
		}
	}
}

func TestAddNoiseClips(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	image := make([]float32, 10000)
	for i := range image {
		image[i] = 0.5
	}
	AddNoise(image, 0.1, rng)
	var sum, sumSq float64
	for _, v := range image {
		if v < 0 || v > 1 {
			t.Fatalf("value %v outside [0, 1]", v)
		}
		sum += float64(v) - 0.5
		sumSq += (float64(v) - 0.5) * (float64(v) - 0.5)
	}
	if sd := math.Sqrt(sumSq / 10000); math.Abs(sd-0.1) > 0.005 || math.Abs(sum/10000) > 0.005 {
		t.Errorf("noise mean %.4f sd %.4f, want 0 and 0.1", sum/10000, sd)
	}
	edge := []float32{0, 1}
	AddNoise(edge, 5, rng)
	for _, v := range edge {
		if v < 0 || v > 1 {
			t.Errorf("value %v outside [0, 1]", v)
		}
	}
}
