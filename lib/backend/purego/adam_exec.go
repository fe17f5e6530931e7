package purego

import (
	"fmt"
	"sync/atomic"
	_ "unsafe" // For go:linkname.

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file fuses the element-wise chains of an Adam step, as GoMLX v0.26.0's
// optimizers.Adam builds them for each trainable variable w with gradient g
// (applyAdamGraph), into three passes over the parameters instead of fourteen:
//
//	m1' = β1·m1 + (1−β1)·g                       Add of two scalar products
//	m2' = β2·m2 + (1−β2)·(g·g)                   the same, the second a product of two tensors
//	w'  = w − (lr·(m1'·d1)) / (√(m2'·d2) + ε)    Sub of the update's quotient
//
// (d1, d2: the debiasing scalars 1/(1−βᵗ)). Before, each of those was its own
// simplego node — eight Muls, three Adds, a Sqrt, a Div and a Sub over every
// parameter, each reading and writing the whole tensor with a scalar Go loop —
// and took about 60 % of the reference MLP's training step (benchengine).
//
// The builder recognizes the two forms when their last op is built (Add,
// Sub) from the operands it recorded for the ops before (Mul in dot.go, Div,
// Sqrt and Add here) and builds instead one simplego node of the same op type
// with more inputs: an Add with 4 inputs (s1, X, s2, Y: s1·X + s2·Y) or 5
// (s1, X, s2, Y, Z: s1·X + s2·(Y·Z)), a Sub with 7 (w, m1, d1, lr, m2, d2, ε).
// purego's Add and Sub executors run these by their number of inputs; the
// ops they replace are left without users and simplego's executor skips them.
// Each element is computed with the same float32 operations in the same
// order, each rounded (no fused multiply-add), and under the same flushing of
// subnormals (subnormal.go wraps Add and Sub as it wrapped the ops replaced),
// so results are the unfused graph's bit for bit (TestAdamFusion).
// Only float32 tensors with rank-0 scalars are fused; anything else is built
// as before.

//go:linkname simplegoExecSub github.com/gomlx/gomlx/backends/simplego.execSub
func simplegoExecSub(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

// adamFusion switches the fusion on; tests switch it off to compare with the
// unfused graph.
var adamFusion = true

// adamFusionCounts counts the fused nodes built and run, for tests.
var adamFusionCounts struct{ products, updates, ranProducts, ranUpdates atomic.Int64 }

// ewRecord holds the operands of an element-wise op built by this builder.
type ewRecord struct {
	op  backends.OpType
	ins []backends.Op
}

func init() { // The Add executor, which serves the fused Adds too, is installed in rowop_exec.go.
	simplegoSetNodeExecutor(backends.OpTypeSub, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		if len(in) == 7 {
			return execAdamUpdate(b, in, owned)
		}
		return simplegoExecSub(b, n, in, owned)
	})
}

// record notes the operands of an element-wise op built (Add, Div, Sqrt).
func (b *Builder) record(out backends.Op, op backends.OpType, ins ...backends.Op) {
	if out != nil {
		b.elementwise[out] = ewRecord{op, ins}
	}
}

// isScalar32 reports whether op is a rank-0 float32.
func (b *Builder) isScalar32(op backends.Op) bool {
	s := b.shapeOf(op)
	return s.Rank() == 0 && s.DType == dtypes.Float32
}

// scalarTimes returns (s, x) when op is a recorded Mul of a rank-0 float32 s
// and a float32 tensor x of shape want (in either order).
func (b *Builder) scalarTimes(op backends.Op, want shapes.Shape) (s, x backends.Op, ok bool) {
	m, found := b.muls[op]
	if !found {
		return nil, nil, false
	}
	switch {
	case b.isScalar32(m.lhs) && b.shapeOf(m.rhs).Equal(want):
		return m.lhs, m.rhs, true
	case b.isScalar32(m.rhs) && b.shapeOf(m.lhs).Equal(want):
		return m.rhs, m.lhs, true
	}
	return nil, nil, false
}

// fusedProducts returns the fused node for lhs + rhs when both are scalar
// products s1·X and s2·Y (Y possibly itself a product Y1·Y2 of two tensors of
// the same shape) of float32 tensors of one shape; ok is false otherwise.
func (b *Builder) fusedProducts(lhs, rhs backends.Op) (out backends.Op, ok bool) {
	defer declineOnOpError(&out, &ok)
	shape := b.shapeOf(lhs)
	if !adamFusion || shape.DType != dtypes.Float32 || shape.Rank() == 0 || !shape.Equal(b.shapeOf(rhs)) {
		return nil, false
	}
	s1, x, ok1 := b.scalarTimes(lhs, shape)
	s2, y, ok2 := b.scalarTimes(rhs, shape)
	if !ok1 || !ok2 {
		return nil, false
	}
	ins := []backends.Op{s1, x, s2, y}
	if m, found := b.muls[y]; found && b.shapeOf(m.lhs).Equal(shape) && b.shapeOf(m.rhs).Equal(shape) {
		ins = []backends.Op{s1, x, s2, m.lhs, m.rhs}
	}
	nodes, ok := simplegoNodes(ins)
	if !ok {
		return nil, false
	}
	adamFusionCounts.products.Add(1)
	return simplegoNewNode(b.Builder, backends.OpTypeAdd, shape.Clone(), nodes...), true
}

// fusedAdamUpdate returns the fused node for w − step when step is Adam's
// (lr·(m1·d1)) / (√(m2·d2) + ε) over float32 tensors of w's shape; ok is
// false otherwise.
func (b *Builder) fusedAdamUpdate(w, step backends.Op) (out backends.Op, ok bool) {
	defer declineOnOpError(&out, &ok)
	shape := b.shapeOf(w)
	if !adamFusion || shape.DType != dtypes.Float32 || shape.Rank() == 0 || !shape.Equal(b.shapeOf(step)) {
		return nil, false
	}
	div, found := b.elementwise[step]
	if !found || div.op != backends.OpTypeDiv {
		return nil, false
	}
	lr, scaled, ok1 := b.scalarTimes(div.ins[0], shape)
	d1, m1, ok2 := b.scalarTimes(scaled, shape)
	den, found := b.elementwise[div.ins[1]]
	if !ok1 || !ok2 || !found || den.op != backends.OpTypeAdd {
		return nil, false
	}
	root, eps := den.ins[0], den.ins[1]
	if b.isScalar32(root) {
		root, eps = eps, root
	}
	sqrt, found := b.elementwise[root]
	if !found || sqrt.op != backends.OpTypeSqrt || !b.isScalar32(eps) {
		return nil, false
	}
	d2, m2, ok3 := b.scalarTimes(sqrt.ins[0], shape)
	if !ok3 {
		return nil, false
	}
	nodes, ok := simplegoNodes([]backends.Op{w, m1, d1, lr, m2, d2, eps})
	if !ok {
		return nil, false
	}
	adamFusionCounts.updates.Add(1)
	return simplegoNewNode(b.Builder, backends.OpTypeSub, shape.Clone(), nodes...), true
}

// simplegoNodes converts ops to simplego's nodes; ok is false if one is not.
func simplegoNodes(ops []backends.Op) ([]*simplego.Node, bool) {
	nodes := make([]*simplego.Node, len(ops))
	for i, op := range ops {
		n, ok := op.(*simplego.Node)
		if !ok {
			return nil, false
		}
		nodes[i] = n
	}
	return nodes, true
}

// Sqrt is simplego's Sqrt, with its operand recorded (see fusedAdamUpdate).
func (b *Builder) Sqrt(x backends.Op) (backends.Op, error) {
	out, err := b.Builder.Sqrt(x)
	if err == nil {
		b.record(out, backends.OpTypeSqrt, x)
	}
	return out, err
}

// fusedData returns the float32 data of inputs (nil for none), checking that
// the ones at scalars hold one element and the others n; scalars are
// returned as values.
func fusedData(backend *simplego.Backend, inputs []*simplego.Buffer, scalarAt []bool) (tensors [][]float32, scalars []float32, n int, err error) {
	n = -1
	tensors = make([][]float32, len(inputs))
	for i, in := range inputs {
		data, err := backend.BufferData(in)
		if err != nil {
			return nil, nil, 0, err
		}
		f, ok := data.([]float32)
		switch {
		case !ok:
			return nil, nil, 0, fmt.Errorf("purego: fused Adam op: input #%d holds %T, want []float32", i, data)
		case scalarAt[i]:
			if len(f) != 1 {
				return nil, nil, 0, fmt.Errorf("purego: fused Adam op: input #%d has %d elements, want a scalar", i, len(f))
			}
			scalars = append(scalars, f[0])
		case n >= 0 && len(f) != n:
			return nil, nil, 0, fmt.Errorf("purego: fused Adam op: input #%d has %d elements, want %d", i, len(f), n)
		default:
			n = len(f)
			tensors[i] = f
		}
	}
	return tensors, scalars, n, nil
}

// fusedOutput returns the output buffer: inputs[at] when the executor owns it
// and no other input is the same buffer (then removed from inputs, as
// simplego's executors do), else a new buffer of its shape.
func fusedOutput(backend *simplego.Backend, inputs []*simplego.Buffer, owned []bool, at int) (*simplego.Buffer, []float32, error) {
	reuse := owned[at]
	for i, in := range inputs {
		if i != at && in == inputs[at] {
			reuse = false
		}
	}
	if reuse {
		out := inputs[at]
		data, err := backend.BufferData(out)
		if err != nil {
			return nil, nil, err
		}
		inputs[at] = nil
		return out, data.([]float32), nil
	}
	shape, err := backend.BufferShape(inputs[at])
	if err != nil {
		return nil, nil, err
	}
	out, data, err := newOutput(backend, shape, "fused Adam op")
	if err != nil {
		return nil, nil, err
	}
	return out, data.([]float32), nil
}

// execFusedProducts runs an Add node made by fusedProducts: s1·X + s2·Y (4
// inputs) or s1·X + s2·(Y·Z) (5 inputs).
func execFusedProducts(backend *simplego.Backend, inputs []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
	scalarAt := []bool{true, false, true, false, false}[:len(inputs)]
	t, s, _, err := fusedData(backend, inputs, scalarAt)
	if err != nil {
		return nil, err
	}
	output, out, err := fusedOutput(backend, inputs, owned, 1)
	if err != nil {
		return nil, err
	}
	if len(inputs) == 4 {
		vec.ScaledSum(out, t[1], t[3], s[0], s[1])
	} else {
		vec.ScaledSumSquare(out, t[1], t[3], t[4], s[0], s[1])
	}
	adamFusionCounts.ranProducts.Add(1)
	return output, nil
}

// execAdamUpdate runs a Sub node made by fusedAdamUpdate:
// w − (lr·(m1·d1)) / (√(m2·d2) + ε), inputs (w, m1, d1, lr, m2, d2, ε).
func execAdamUpdate(backend *simplego.Backend, inputs []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
	t, s, _, err := fusedData(backend, inputs, []bool{false, false, true, true, false, true, true})
	if err != nil {
		return nil, err
	}
	output, out, err := fusedOutput(backend, inputs, owned, 0)
	if err != nil {
		return nil, err
	}
	vec.AdamUpdate(out, t[0], t[1], t[4], s[0], s[1], s[2], s[3])
	adamFusionCounts.ranUpdates.Add(1)
	return output, nil
}
