package zoo_test

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Import a CNN exported from PyTorch to ONNX, read the embedding of a 3-second
// clip from two of its layers.
func ExampleFromONNX() {
	model, err := zoo.FromONNX("testdata/tinycnn.onnx", zoo.Info{
		Description: "a small seeded CNN, for tests",
		Layers:      []string{"block2", "block3"}, // ONNX values, from the input side
	}, zoo.ONNXOptions{})
	if err != nil {
		panic(err)
	}
	info := model.Info()
	fmt.Printf("%s: %v input, %d Hz, %g s clips, %d×%d image, layers %v\n", info.Name, model.Input(),
		info.SampleRateHz, info.ClipSeconds, model.FrontEnd().Shape()[0], model.FrontEnd().Shape()[1], info.Layers)

	clip := make([]float32, 3*22050)
	for i := range clip {
		clip[i] = float32(math.Sin(2 * math.Pi * 3000 * float64(i) / 22050))
	}
	// One clip: a batch of one (every batch runs BatchSize rows, 32 by default).
	for _, o := range []zoo.EmbedOptions{{BatchSize: 1}, {Layer: "block2", Pooling: cnn.MaxPooling, BatchSize: 1}} {
		vectors, err := model.Embed([][]float32{clip}, 22050, o)
		if err != nil {
			panic(err)
		}
		fmt.Printf("layer %q, %v pooling: %d values\n", o.Layer, o.Pooling, len(vectors[0]))
	}
	// Output:
	// tinycnn: image input, 22050 Hz, 3 s clips, 130×64 image, layers [block2 block3]
	// layer "", mean pooling: 32 values
	// layer "block2", max pooling: 16 values
}
