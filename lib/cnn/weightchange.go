package cnn

import (
	"math"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Snapshot returns a copy of the values of every float32 variable of the network, keyed
// by its scope and name ("/extractor/stage3/…/weights"), to compare the network before
// and after training with RelativeChange. Optimizer state is included; the copies do not
// change when the network trains on.
func (m *Model) Snapshot() map[string][]float32 {
	out := map[string][]float32{}
	for v := range m.ctx.IterVariables() {
		if v.Shape().DType == dtypes.Float32 {
			out[v.Scope()+"/"+v.Name()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	return out
}

// RelativeChange returns ‖after − before‖ / ‖before‖ (Euclidean norms over all their
// values together) of the variables called "weights" — convolution kernels and dense
// weights, not biases, batch-norm scales or running statistics — whose key in before
// starts with prefix ("/extractor/stage3", "/classifier"): how far training moved that
// part of the network, as a fraction of its size (0 when it did not move). Both are
// Snapshots of one network; NaN when no weights match prefix.
func RelativeChange(before, after map[string][]float32, prefix string) float64 {
	var moved, size float64
	for name, b := range before {
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, "/weights") {
			continue
		}
		for i := range b {
			d := float64(after[name][i] - b[i])
			moved += d * d
			size += float64(b[i]) * float64(b[i])
		}
	}
	if size == 0 {
		return math.NaN()
	}
	return math.Sqrt(moved / size)
}

// NumTrainable returns the number of trainable variables of the network and the number of
// values they hold together: what an optimizer may update when the whole network trains.
func (m *Model) NumTrainable() (variables, values int) {
	for v := range m.ctx.IterVariables() {
		if v.Trainable {
			variables++
			values += v.Shape().Size()
		}
	}
	return variables, values
}
