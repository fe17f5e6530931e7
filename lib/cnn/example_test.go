package cnn_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// An image of 4 frames × 2 mel bands shifted one frame later: the first frame
// becomes silent and the last one falls off.
func ExampleTimeShift() {
	image := []float32{
		1, 2, // frame 0
		3, 4, // frame 1
		5, 6, // frame 2
		7, 8, // frame 3
	}
	fmt.Println(cnn.TimeShift(image, 4, 2, 1))
	// Output: [0 0 1 2 3 4 5 6]
}

// SpecAugment-style masks zero a band of frames or of mel bands, in place.
func ExampleMaskFreq() {
	image := []float32{1, 2, 3, 4, 5, 6}
	cnn.MaskFreq(image, 2, 3, 1, 1) // 2 frames × 3 bands: zero band 1
	fmt.Println(image)
	// Output: [1 0 3 4 0 6]
}

// The learning-rate schedule of a 100-step run with 10 warm-up steps.
func ExampleRateFactor() {
	for _, step := range []int{1, 5, 10, 55, 100} {
		fmt.Printf("step %3d: %.2f\n", step, cnn.RateFactor(step, 100, 10, false))
	}
	// Output:
	// step   1: 0.10
	// step   5: 0.50
	// step  10: 1.00
	// step  55: 0.50
	// step 100: 0.00
}

// A network of the course's default shape, for 5 classes: its layers and
// embedding size.
func ExampleNew() {
	m, err := cnn.New(cnn.Config{Classes: []string{"a", "b", "c", "d", "e"}}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := m.Config()
	fmt.Println(cfg.LayerNames(), cfg.EmbeddingSize, m.FrontEnd().Shape())
	// Output: [stem stage1 stage2 stage3 embedding] 128 [130 64]
}
