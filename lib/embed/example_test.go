package embed_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Embed a 7-second recording in 3-second clips overlapping by 1 second, with a
// small CNN imported from ONNX, and export the result for NumPy.
func ExampleEmbedFiles() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	wav := filepath.Join(dir, "dawn.wav")
	tone := make([]float32, 7*22050)
	for i := range tone {
		tone[i] = float32(0.3 * math.Sin(2*math.Pi*2500*float64(i)/22050))
	}
	if err := audio.WriteWAV(wav, [][]float32{tone}, 22050, audio.WAV16); err != nil {
		panic(err)
	}

	model, err := zoo.FromONNX("../zoo/testdata/tinycnn.onnx", zoo.Info{Layers: []string{"block3", "embedding"}}, zoo.ONNXOptions{})
	if err != nil {
		panic(err)
	}
	embeddings, err := embed.EmbedFiles(model, []string{wav}, embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 4}, OverlapSeconds: 1, CacheDir: filepath.Join(dir, "cache")})
	if err != nil {
		panic(err)
	}
	fmt.Println(embeddings.Len(), "embeddings of", embeddings.Dim(), "values from", embeddings.Model)
	for _, k := range embeddings.Keys {
		fmt.Printf("%s %g–%g s\n", filepath.Base(k.File), k.StartSeconds, k.EndSeconds)
	}
	if err := embeddings.Save(filepath.Join(dir, "dawn")); err != nil { // dawn.npy + dawn.csv
		panic(err)
	}
	// Output:
	// 3 embeddings of 32 values from tinycnn
	// dawn.wav 0–3 s
	// dawn.wav 2–5 s
	// dawn.wav 4–7 s
}
