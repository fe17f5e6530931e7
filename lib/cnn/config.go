package cnn

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Head chooses the classifier's output and loss.
type Head int

const (
	// SingleLabel is a softmax over the classes with a cross-entropy loss: each
	// clip has exactly one class.
	SingleLabel Head = iota
	// MultiLabel is one sigmoid per class with a binary cross-entropy loss: a clip
	// may hold any number of classes, none included.
	MultiLabel
)

// String returns "single-label" or "multi-label".
func (h Head) String() string {
	switch h {
	case SingleLabel:
		return "single-label"
	case MultiLabel:
		return "multi-label"
	}
	return fmt.Sprintf("Head(%d)", int(h))
}

// Config describes a network: the front end that makes its input image, the
// residual feature extractor and the classifier head. Zero fields take the
// defaults in brackets (see Defaults).
type Config struct {
	// FrontEnd makes the [time, mel] input image from a clip (spectro.NewFrontEnd).
	FrontEnd spectro.FrontEndOptions `json:"front_end"`
	// StemChannels is the width of the first convolution (3×3, stride 2) [24].
	StemChannels int `json:"stem_channels"`
	// StageChannels is the width of each residual stage; every stage starts with a
	// stride-2 block, so each halves time and frequency [32, 64, 128].
	StageChannels []int `json:"stage_channels"`
	// BlocksPerStage is the number of residual blocks (two 3×3 convolutions each)
	// per stage [1].
	BlocksPerStage int `json:"blocks_per_stage"`
	// EmbeddingSize is the length of the embedding. When it differs from the last
	// stage's width, a dense layer with a ReLU projects the pooled features to it
	// [the last stage's width].
	EmbeddingSize int `json:"embedding_size"`
	// Dropout is the fraction of embedding values zeroed in training, before the
	// classifier (0 turns it off) [0.2]. A negative value means none.
	Dropout float64 `json:"dropout"`
	// Head is the classifier's kind [SingleLabel].
	Head Head `json:"head"`
	// Classes names the classifier's outputs, in order (at least one).
	Classes []string `json:"classes"`
}

// WithDefaults returns the configuration with the zero fields filled in (the
// library's one spelling of defaults: see lib/doc.go).
func (c Config) WithDefaults() Config {
	if c.StemChannels == 0 {
		c.StemChannels = 24
	}
	if len(c.StageChannels) == 0 {
		c.StageChannels = []int{32, 64, 128}
	} else {
		c.StageChannels = append([]int(nil), c.StageChannels...)
	}
	if c.BlocksPerStage == 0 {
		c.BlocksPerStage = 1
	}
	if c.EmbeddingSize == 0 && len(c.StageChannels) > 0 {
		c.EmbeddingSize = c.StageChannels[len(c.StageChannels)-1]
	}
	if c.Dropout == 0 {
		c.Dropout = 0.2
	} else if c.Dropout < 0 {
		c.Dropout = 0
	}
	c.Classes = append([]string(nil), c.Classes...)
	return c
}

// Validate checks a configuration with defaults filled in.
func (c Config) Validate() error {
	if c.StemChannels < 1 || c.BlocksPerStage < 1 || c.EmbeddingSize < 1 {
		return fmt.Errorf("cnn: stem channels %d, blocks per stage %d, embedding size %d: want all ≥ 1", c.StemChannels, c.BlocksPerStage, c.EmbeddingSize)
	}
	for i, ch := range c.StageChannels {
		if ch < 1 {
			return fmt.Errorf("cnn: stage %d has %d channels, want ≥ 1", i+1, ch)
		}
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return fmt.Errorf("cnn: dropout %v, want in [0, 1)", c.Dropout)
	}
	if c.Head != SingleLabel && c.Head != MultiLabel {
		return fmt.Errorf("cnn: unknown head %v", c.Head)
	}
	if len(c.Classes) == 0 {
		return fmt.Errorf("cnn: no classes: the classifier needs at least one")
	}
	seen := map[string]bool{}
	for _, name := range c.Classes {
		if seen[name] {
			return fmt.Errorf("cnn: class %q listed twice", name)
		}
		seen[name] = true
	}
	if _, err := spectro.NewFrontEnd(c.FrontEnd); err != nil {
		return fmt.Errorf("cnn: front end: %w", err)
	}
	return nil
}

// LayerNames returns the names of the layers FeatureExtractor exposes, from the
// input side to the embedding: "stem", "stage1", … and "embedding".
func (c Config) LayerNames() []string {
	names := []string{"stem"}
	for i := range c.StageChannels {
		names = append(names, fmt.Sprintf("stage%d", i+1))
	}
	return append(names, "embedding")
}
