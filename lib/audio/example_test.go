package audio_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// Cutting 10 s of sound into 3 s clips that overlap by 1 s, padding the rest.
func ExampleSplit() {
	samples := make([]float32, 10*8000) // 10 s at 8 kHz
	clips, err := audio.Split(samples, 8000, "dawn.wav", audio.SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: audio.FinalPad})
	if err != nil {
		panic(err)
	}
	for _, c := range clips {
		fmt.Printf("%s %.0f–%.0f s, %d samples\n", c.File, c.StartSeconds, c.EndSeconds, len(c.Samples))
	}
	// Output:
	// dawn.wav 0–3 s, 24000 samples
	// dawn.wav 2–5 s, 24000 samples
	// dawn.wav 4–7 s, 24000 samples
	// dawn.wav 6–9 s, 24000 samples
	// dawn.wav 8–11 s, 24000 samples
}
