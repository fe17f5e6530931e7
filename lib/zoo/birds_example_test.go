package zoo_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// The shipped model: what it expects and what it gives.
func ExampleLoad_birdsV1() {
	m, err := zoo.Load(zoo.BirdsV1)
	if err != nil {
		fmt.Println(err)
		return
	}
	info := m.Info()
	fmt.Println(info.Name, info.SampleRateHz, "Hz,", info.ClipSeconds, "s clips,", info.Spectrogram.NumMels, "mel bands")
	fmt.Println(info.EmbeddingSize, "values per embedding, layers", info.Layers)
	fmt.Println(len(info.Classes), "pretraining classes")
	// Output:
	// birds-v1 22050 Hz, 3 s clips, 64 mel bands
	// 128 values per embedding, layers [stem stage1 stage2 stage3 embedding]
	// 200 pretraining classes
}

// Fine-tuning starts from a fresh copy of the shipped network.
func ExampleLoadCNN() {
	net, err := zoo.LoadCNN(zoo.BirdsV1)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := net.Config()
	fmt.Println(cfg.Head, cfg.StageChannels, cfg.EmbeddingSize)
	// Output: single-label [32 64 128] 128
}
