package cnn

import "testing"

// TestNumParameters checks the counts against the architecture counted by hand:
// a 3×3 convolution from a to b channels has 9·a·b weights (no bias), a 1×1
// shortcut a·b, each batch normalisation 2 per channel (scale, offset), a
// projection e·c+e, and the classifier e·k+k.
func TestNumParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two networks")
	}
	for _, tc := range []struct {
		name                 string
		cfg                  Config
		extractor, classifer int
	}{
		{
			name: "stem 4, one stage of 8, 3 classes",
			cfg:  Config{StemChannels: 4, StageChannels: []int{8}, BlocksPerStage: 1, Classes: []string{"a", "b", "c"}},
			// stem 9·1·4 + 2·4; block: 9·4·8 + 2·8, 9·8·8 + 2·8, shortcut 4·8 + 2·8.
			extractor: 36 + 8 + (288 + 16) + (576 + 16) + (32 + 16),
			classifer: 8*3 + 3,
		},
		{
			name: "two blocks, projection to 5, 2 classes",
			cfg:  Config{StemChannels: 2, StageChannels: []int{4}, BlocksPerStage: 2, EmbeddingSize: 5, Classes: []string{"a", "b"}},
			// stem 18 + 4; block 1: 72 + 8, 144 + 8, shortcut 8 + 8; block 2 (no shortcut): 144 + 8, 144 + 8; projection 4·5 + 5.
			extractor: 18 + 4 + (72 + 8) + (144 + 8) + (8 + 8) + (144 + 8) + (144 + 8) + 25,
			classifer: 5*2 + 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.FrontEnd = tinyConfig(SingleLabel).FrontEnd
			m, err := New(tc.cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			extractor, classifier := m.NumParameters()
			if extractor != tc.extractor || classifier != tc.classifer {
				t.Errorf("NumParameters = %d, %d; want %d, %d", extractor, classifier, tc.extractor, tc.classifer)
			}
		})
	}
}
