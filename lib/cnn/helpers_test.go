package cnn

import (
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"

	. "github.com/gomlx/gomlx/pkg/core/graph"
)

// execLayers runs the feature extractor on images and returns each named
// layer's shape.
func (m *Model) execLayers(images *tensors.Tensor) (map[string][]int, error) {
	names := m.cfg.LayerNames()
	outs, err := context.ExecOnceN(m.engine, m.ctx.Reuse(), func(ctx *context.Context, x *Node) []*Node {
		_, named := m.FeatureExtractor(ctx, x)
		var nodes []*Node
		for _, name := range names {
			nodes = append(nodes, named[name])
		}
		return nodes
	}, images)
	if err != nil {
		return nil, err
	}
	shapes := map[string][]int{}
	for i, name := range names {
		shapes[name] = outs[i].Shape().Dimensions
	}
	return shapes, nil
}

// lossOf evaluates lossAndAccuracy on logits and targets [2, 3].
func (m *Model) lossOf(logits, targets []float32) (loss, accuracy float64, err error) {
	outs, err := context.ExecOnceN(m.engine, m.ctx.Reuse(), func(ctx *context.Context, l, t *Node) []*Node {
		a, b := m.lossAndAccuracy(l, t)
		return []*Node{a, b}
	}, tensors.FromFlatDataAndDimensions(logits, 2, 3), tensors.FromFlatDataAndDimensions(targets, 2, 3))
	if err != nil {
		return 0, 0, err
	}
	return float64(tensors.ToScalar[float32](outs[0])), float64(tensors.ToScalar[float32](outs[1])), nil
}
