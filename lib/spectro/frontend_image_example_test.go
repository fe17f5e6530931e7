package spectro_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// A front-end image as a Spectrogram, to draw with spectroplots.Plot or PlotInRange: frames
// are Hop/rate apart (512/22050 s ≈ 23 ms), rows are the mel bands.
func ExampleFrontEnd_Spectrogram() {
	f, err := spectro.NewFrontEnd(spectro.FrontEndOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	image, err := f.Image(make([]float32, f.ClipSamples())) // 3 s of silence
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := f.Spectrogram(image)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d frames × %d mel bands, frame 1 at %.4f s, mel %v\n", s.NumFrames, s.NumBins, s.TimesSeconds[1], s.Mel)
	// Output: 130 frames × 64 mel bands, frame 1 at 0.0232 s, mel true
}
