package features_test

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/features"
)

// The F0 of a 2.5 kHz whistle, 0.2 s long, at 22050 Hz: its period is only 8.8
// samples, so F0 analyses it upsampled to 88200 Hz.
func ExampleF0() {
	const rate = 22050
	whistle := make([]float32, rate/5)
	for i := range whistle {
		whistle[i] = float32(0.5 * math.Sin(2*math.Pi*2500*float64(i)/rate))
	}
	track, err := features.F0(whistle, rate, features.F0Options{FMinHz: 500, FMaxHz: 8000})
	if err != nil {
		panic(err)
	}
	summary := track.Summary()
	fmt.Printf("median F0 %.0f Hz, voiced %.0f%% of frames\n", summary.MedianHz, 100*summary.VoicedFraction)
	// Output:
	// median F0 2500 Hz, voiced 100% of frames
}
