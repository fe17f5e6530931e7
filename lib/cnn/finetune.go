package cnn

import (
	"fmt"
	"slices"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// LayerShape returns the shape of one example's output of the named layer
// (Config.LayerNames): [time, frequency, channels] for the convolutional layers
// ("stem", "stage1", …), [EmbeddingSize] for "embedding", and the input image's
// [frames, mels, 1] for "". Every stride-2 layer maps a length n to ⌈n/2⌉
// (same padding): a 130×64 image gives 65×32 after the stem and 33×16, 17×8,
// 9×4 after the three stages of the default network.
func (m *Model) LayerShape(layer string) ([]int, error) {
	return m.inputDims(layer)
}

// inputDims is LayerShape: the dimensions of one example of the layer's output.
func (m *Model) inputDims(layer string) ([]int, error) {
	frames, mels := m.frontEnd.Shape()[0], m.frontEnd.Shape()[1]
	if layer == "" {
		return []int{frames, mels, 1}, nil
	}
	if layer == "embedding" {
		return []int{m.cfg.EmbeddingSize}, nil
	}
	halve := func(n int) int { return (n + 1) / 2 }
	frames, mels = halve(frames), halve(mels)
	if layer == "stem" {
		return []int{frames, mels, m.cfg.StemChannels}, nil
	}
	for s, channels := range m.cfg.StageChannels {
		frames, mels = halve(frames), halve(mels)
		if layer == fmt.Sprintf("stage%d", s+1) {
			return []int{frames, mels, channels}, nil
		}
	}
	return nil, fmt.Errorf("cnn: no layer %q (have %v)", layer, m.cfg.LayerNames())
}

// layerIndex is the position of layer in the network from the input (0 for the
// input images "", 1 for "stem", …), or an error naming the known layers.
func (m *Model) layerIndex(layer string) (int, error) {
	if layer == "" {
		return 0, nil
	}
	if i := slices.Index(m.cfg.LayerNames(), layer); i >= 0 {
		return i + 1, nil
	}
	return 0, fmt.Errorf("cnn: no layer %q (have %v)", layer, m.cfg.LayerNames())
}

// DatasetAt returns data as the named layer sees it: each example's output of
// that layer (inference mode: batch normalisation uses its running averages),
// with the same labels (carried as they are, unchecked: they may be classes of
// another task), and Layer set to layer. Training on it (Train) runs only
// the layers after layer, so those up to and including it are frozen — and never
// computed again, which is what makes fine-tuning the last stage of a network
// cheap: "stage2" leaves the last stage, the embedding and the classifier to
// train. data may itself be at an earlier layer; layer must come after it.
//
// The outputs are those Embed reads before pooling (same batch size, 32), so
// training at layer L and evaluating at "" see the same values, up to the
// engine's rounding in other batch sizes.
func (m *Model) DatasetAt(data Dataset, layer string) (Dataset, error) {
	if err := data.checkValues(m, "input"); err != nil {
		return Dataset{}, err
	}
	from, err := m.layerIndex(data.Layer)
	if err != nil {
		return Dataset{}, err
	}
	to, err := m.layerIndex(layer)
	if err != nil {
		return Dataset{}, err
	}
	if to <= from {
		return Dataset{}, fmt.Errorf("cnn: dataset at layer %q: want a layer after %q", layer, data.Layer)
	}
	exec, err := m.exec("activations/"+data.Layer+"/"+layer, func(ctx *context.Context, x *Node) *Node {
		_, named := m.extractorAfter(ctx, data.Layer, layer, x)
		return named[layer]
	})
	if err != nil {
		return Dataset{}, err
	}
	out := Dataset{Labels: data.Labels, Layer: layer}
	err = m.inBatchesAt(data.Layer, data.Images, 0, true, func(batch *tensors.Tensor, _, rows int) error {
		res, err := exec.Exec(batch)
		if err != nil {
			return fmt.Errorf("cnn: dataset at layer %q: %w", layer, err)
		}
		flat := tensors.MustCopyFlatData[float32](res[0])
		out.Images = append(out.Images, flat[:len(flat)/res[0].Shape().Dimensions[0]*rows]...)
		return nil
	})
	if err != nil {
		return Dataset{}, err
	}
	return out, nil
}

// MustDatasetAt is DatasetAt that panics on error, for notebooks.
func (m *Model) MustDatasetAt(data Dataset, layer string) Dataset {
	d, err := m.DatasetAt(data, layer)
	if err != nil {
		panic(err)
	}
	return d
}

// WithClassifier returns a new model with m's feature extractor — the same
// configuration and a copy of its weights, batch-normalisation averages
// included — and a new classifier for classes, freshly initialised from seed:
// the start of transfer learning, where a pretrained extractor meets the
// classes of a new task. m is not changed, and training the new model never
// changes m.
func (m *Model) WithClassifier(classes []string, seed uint64) (*Model, error) {
	cfg := m.Config()
	cfg.Classes = append([]string(nil), classes...)
	out, err := New(cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("cnn: new classifier: %w", err)
	}
	for v := range m.ctx.IterVariables() {
		if !InScope(v.Scope(), "/"+ExtractorScope) {
			continue
		}
		dst := out.ctx.GetVariableByScopeAndName(v.Scope(), v.Name())
		if dst == nil {
			return nil, fmt.Errorf("cnn: new classifier: variable %s/%s missing from the new network", v.Scope(), v.Name())
		}
		value, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("cnn: new classifier: %s/%s: %w", v.Scope(), v.Name(), err)
		}
		clone, err := value.LocalClone()
		if err != nil {
			return nil, fmt.Errorf("cnn: new classifier: %s/%s: %w", v.Scope(), v.Name(), err)
		}
		if err := dst.SetValue(clone); err != nil {
			return nil, fmt.Errorf("cnn: new classifier: %s/%s: %w", v.Scope(), v.Name(), err)
		}
	}
	out.resetExecs()
	return out, nil
}

// MustWithClassifier is WithClassifier that panics on error, for notebooks.
func (m *Model) MustWithClassifier(classes []string, seed uint64) *Model {
	out, err := m.WithClassifier(classes, seed)
	if err != nil {
		panic(err)
	}
	return out
}
