package synth

import (
	"math"
	"math/rand/v2"
)

// WhiteNoise returns numSamples of Gaussian white noise whose RMS is rmsDBFS dB relative
// to full scale (its standard deviation is 10^(rmsDBFS/20): −80 dBFS is 10⁻⁴), drawn
// from seed: the same seed gives the same samples. White noise spreads its power evenly
// over all frequencies, which makes it the test signal for how a spectrogram or a front
// end draws a hiss — near-silence that is not silence.
func WhiteNoise(numSamples int, rmsDBFS float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	std := math.Pow(10, rmsDBFS/20)
	out := make([]float32, numSamples)
	for i := range out {
		out[i] = float32(std * rng.NormFloat64())
	}
	return out
}
