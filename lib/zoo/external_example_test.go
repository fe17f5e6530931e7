package zoo_test

import (
	"fmt"
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
