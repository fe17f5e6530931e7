package cnn_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// The shape of one example at each layer of the default network: what
// DatasetAt stores per clip when the layers up to it are frozen.
func ExampleModel_LayerShape() {
	net := cnn.MustNew(cnn.Config{Classes: []string{"a", "b"}}, 1)
	for _, layer := range append([]string{""}, net.Config().LayerNames()...) {
		dims, err := net.LayerShape(layer)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9q %v\n", layer, dims)
	}
	// Output:
	// ""        [130 64 1]
	// "stem"    [65 32 24]
	// "stage1"  [33 16 32]
	// "stage2"  [17 8 64]
	// "stage3"  [9 4 128]
	// "embedding" [128]
}
