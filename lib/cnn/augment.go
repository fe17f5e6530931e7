package cnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Augment configures the spectrogram augmentations Train applies to each
// training batch (never to validation data). Zero values switch each one off.
// Images are frame-major [time, mel] with values in [0, 1], where 0 is the
// front end's floor (silence).
type Augment struct {
	// TimeShiftFrames is the largest shift in time, in frames: each image moves by
	// a uniform whole number of frames in [−TimeShiftFrames, TimeShiftFrames], the
	// frames moved in are silent (0).
	TimeShiftFrames int
	// TimeMasks bands of up to TimeMaskFrames frames each are set to 0
	// (SpecAugment's time masking), at uniform positions and widths in [0, max].
	TimeMasks, TimeMaskFrames int
	// FreqMasks bands of up to FreqMaskBands mel bands each are set to 0
	// (SpecAugment's frequency masking).
	FreqMasks, FreqMaskBands int
	// NoiseStd is the standard deviation of Gaussian noise added to every value;
	// the result is clipped back to [0, 1].
	NoiseStd float64
	// MixupProbability is the fraction of images mixed with another image of the
	// batch (mixup, Zhang et al. 2018): image = λ·a + (1−λ)·b and target =
	// λ·targetA + (1−λ)·targetB, λ ~ Beta(MixupAlpha, MixupAlpha) [α 0.4].
	MixupProbability, MixupAlpha float64
}

// validate checks the ranges.
func (a Augment) validate() error {
	if a.TimeShiftFrames < 0 || a.TimeMasks < 0 || a.TimeMaskFrames < 0 || a.FreqMasks < 0 || a.FreqMaskBands < 0 {
		return fmt.Errorf("cnn: augment %+v: counts and widths must be ≥ 0", a)
	}
	if !(a.NoiseStd >= 0) || !(a.MixupProbability >= 0 && a.MixupProbability <= 1) || !(a.MixupAlpha >= 0) {
		return fmt.Errorf("cnn: augment %+v: noise ≥ 0, mixup probability in [0, 1], alpha ≥ 0", a)
	}
	return nil
}

// TimeShift returns image (frames × mels, frame-major) moved by shift frames
// (positive: later), with silence (0) moved in.
func TimeShift(image []float32, frames, mels, shift int) []float32 {
	out := make([]float32, len(image))
	for k := 0; k < frames; k++ {
		src := k - shift
		if src < 0 || src >= frames {
			continue
		}
		copy(out[k*mels:(k+1)*mels], image[src*mels:(src+1)*mels])
	}
	return out
}

// MaskTime sets frames [start, start+width) of image to 0, in place (clipped to
// the image).
func MaskTime(image []float32, frames, mels, start, width int) {
	for k := max(start, 0); k < min(start+width, frames); k++ {
		clear(image[k*mels : (k+1)*mels])
	}
}

// MaskFreq sets mel bands [start, start+width) of image to 0 in every frame, in
// place (clipped to the image).
func MaskFreq(image []float32, frames, mels, start, width int) {
	for k := 0; k < frames; k++ {
		for b := max(start, 0); b < min(start+width, mels); b++ {
			image[k*mels+b] = 0
		}
	}
}

// AddNoise adds Gaussian noise of standard deviation std to every value of
// image, in place, clipping the result to [0, 1].
func AddNoise(image []float32, std float64, rng *rand.Rand) {
	for i, v := range image {
		image[i] = float32(math.Min(1, math.Max(0, float64(v)+std*rng.NormFloat64())))
	}
}

// Mixup returns λ·a + (1−λ)·b, value by value; it mixes images and targets alike.
func Mixup(a, b []float32, lambda float64) []float32 {
	out := make([]float32, len(a))
	for i := range a {
		out[i] = float32(lambda*float64(a[i]) + (1-lambda)*float64(b[i]))
	}
	return out
}

// apply augments a batch in place: images [n, frames, mels] and targets [n,
// classes]. It draws from rng only, in a fixed order.
func (a Augment) apply(images, targets []float32, n, frames, mels, classes int, rng *rand.Rand) {
	size := frames * mels
	for i := 0; i < n; i++ {
		image := images[i*size : (i+1)*size]
		if a.TimeShiftFrames > 0 {
			shift := rng.IntN(2*a.TimeShiftFrames+1) - a.TimeShiftFrames
			copy(image, TimeShift(image, frames, mels, shift))
		}
		for range a.TimeMasks {
			width := rng.IntN(a.TimeMaskFrames + 1)
			MaskTime(image, frames, mels, rng.IntN(frames-width+1), width)
		}
		for range a.FreqMasks {
			width := rng.IntN(a.FreqMaskBands + 1)
			MaskFreq(image, frames, mels, rng.IntN(mels-width+1), width)
		}
		if a.NoiseStd > 0 {
			AddNoise(image, a.NoiseStd, rng)
		}
	}
	if a.MixupProbability <= 0 || n < 2 {
		return
	}
	alpha := a.MixupAlpha
	if alpha == 0 {
		alpha = 0.4
	}
	// Mix with the images as they were before any mixing, so the result does not
	// depend on the order of the pairs.
	original := append([]float32(nil), images[:n*size]...)
	originalTargets := append([]float32(nil), targets[:n*classes]...)
	for i := 0; i < n; i++ {
		if rng.Float64() >= a.MixupProbability {
			continue
		}
		j := rng.IntN(n - 1)
		if j >= i {
			j++
		}
		lambda := betaSample(alpha, rng)
		copy(images[i*size:(i+1)*size], Mixup(original[i*size:(i+1)*size], original[j*size:(j+1)*size], lambda))
		copy(targets[i*classes:(i+1)*classes], Mixup(originalTargets[i*classes:(i+1)*classes], originalTargets[j*classes:(j+1)*classes], lambda))
	}
}

// betaSample draws from Beta(α, α) as X/(X+Y) with X, Y ~ Gamma(α, 1).
func betaSample(alpha float64, rng *rand.Rand) float64 {
	x, y := gammaSample(alpha, rng), gammaSample(alpha, rng)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// gammaSample draws from Gamma(shape, 1) by Marsaglia and Tsang's method
// (boosted by U^(1/shape) for shape < 1).
func gammaSample(shape float64, rng *rand.Rand) float64 {
	if shape < 1 {
		return gammaSample(shape+1, rng) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
