package zoo_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Register a model exported to ONNX elsewhere from its config file, then load
// it by name like a shipped model.
func ExampleRegisterExternal() {
	dir, _ := os.MkdirTemp("", "models")
	defer os.RemoveAll(dir)
	onnxPath, _ := filepath.Abs("testdata/melnet.onnx")
	config := filepath.Join(dir, "melnet.model")
	os.WriteFile(config, []byte(`# a waveform model with its own mel front end
name = melnet-example
onnx = `+onnxPath+`
sample_rate_hz = 16000
clip_seconds = 1
input = waveform
embedding = embedding
`), 0o644)

	name, err := zoo.RegisterExternal(config) // or zoo.Load(config), or $DAWNCHORUS_MODELS
	if err != nil {
		panic(err)
	}
	model, err := zoo.Load(name)
	if err != nil {
		panic(err)
	}
	info := model.Info()
	fmt.Printf("%s: %d Hz, %g s clips, %d-value embedding, layers %v\n", info.Name, info.SampleRateHz, info.ClipSeconds, info.EmbeddingSize, info.Layers)
	// Output:
	// melnet-example: 16000 Hz, 1 s clips, 16-value embedding, layers [embedding]
}

// Score clips with an external model's own classifier: the config names the
// ONNX value of its class outputs, the class list and the activation (here
// testdata/tones.onnx, whose logits respond to tones at 1, 2 and 3 kHz).
func ExampleClassScores() {
	dir, _ := os.MkdirTemp("", "models")
	defer os.RemoveAll(dir)
	onnxPath, _ := filepath.Abs("testdata/tones.onnx")
	os.WriteFile(filepath.Join(dir, "labels.txt"), []byte("low\nmid\nhigh\n"), 0o644)
	config := filepath.Join(dir, "tones.model")
	os.WriteFile(config, []byte(`name = tones-example
onnx = `+onnxPath+`
sample_rate_hz = 16000
clip_seconds = 1
input = waveform
embedding = embedding
scores = logits          # the per-class logits
classes = labels.txt     # one class a line, in the logits' order
activation = sigmoid     # the default; softmax or none
`), 0o644)

	model, err := zoo.Load(config)
	if err != nil {
		panic(err)
	}
	tone := make([]float32, 16000) // 1 s of a 2 kHz tone at amplitude 0.8
	for n := range tone {
		tone[n] = float32(0.8 * math.Sin(2*math.Pi*2000*float64(n)/16000))
	}
	scores, err := zoo.ClassScores(model, [][]float32{tone, make([]float32, 16000)}, 16000, zoo.EmbedOptions{})
	if err != nil {
		panic(err)
	}
	head, _ := zoo.ClassHeadOf(model)
	for i, row := range scores {
		fmt.Printf("clip %d:", i)
		for k, s := range row {
			fmt.Printf(" %s %.3f", head.Classes[k], s)
		}
		fmt.Println()
	}
	// By hand: the tone's power at 2 kHz is 0.8² = 0.64, its logit 2 ln(0.64 +
	// 1e-4) + 3 = 2.108 and sigmoid(2.108) = 0.892; silence gives 2 ln(1e-4) + 3.
	// Output:
	// clip 0: low 0.000 mid 0.892 high 0.000
	// clip 1: low 0.000 mid 0.000 high 0.000
}
