package purego

import (
	"math"
	_ "unsafe" // For go:linkname.

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

// This file installs purego's executor for Sign on float32 and float64, the
// way gemm_exec.go installs DotGeneral's. GoMLX v0.26.0 builds the gradient of
// Max — every ReLU's — from Sign, and simplego's Sign branches on each value,
// which mispredicts on activations that are half zeros (≈3 ns per value); this
// one computes the sign from the bits without a branch (≈0.8 ns). Results are
// simplego's, bit for bit: ±1 by the sign bit, +0 for ±0 and for NaN.

//go:linkname simplegoExecSign github.com/gomlx/gomlx/backends/simplego.execSign
func simplegoExecSign(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

func init() {
	simplegoSetNodeExecutor(backends.OpTypeSign, executorPriority, execSignFast)
}

// execSignFast is the Sign executor installed in simplego.
func execSignFast(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	if _, ours := puregoBackends.Load(backend); !ours || len(inputs) != 1 {
		return simplegoExecSign(backend, node, inputs, inputsOwned)
	}
	src, isFloat, err := floatData(backend, inputs[0])
	if err != nil {
		return nil, err
	}
	if !isFloat {
		return simplegoExecSign(backend, node, inputs, inputsOwned)
	}
	output, dst := inputs[0], src
	if inputsOwned[0] {
		inputs[0] = nil // The input's buffer becomes the output (simplego's convention for owned inputs).
	} else {
		shape, err := backend.BufferShape(inputs[0])
		if err != nil {
			return nil, err
		}
		if output, dst, err = newOutput(backend, shape, "Sign"); err != nil {
			return nil, err
		}
	}
	switch s := src.(type) {
	case []float32:
		signFloat32(s, dst.([]float32))
	case []float64:
		signFloat64(s, dst.([]float64))
	}
	rewriteCounts.fastSign.Add(1)
	return output, nil
}

// signFloat32 writes the sign of each value of in to out (which may be in).
func signFloat32(in, out []float32) {
	out = out[:len(in)]
	for i, v := range in {
		bits := math.Float32bits(v)
		mag := bits &^ (1 << 31)
		nonZero := -((mag + (1<<31 - 1)) >> 31)      // All ones unless ±0.
		isNaN := uint32(int32(0x7f800000-mag) >> 31) // All ones for NaN.
		out[i] = math.Float32frombits((bits&(1<<31) | 0x3f800000) & nonZero &^ isNaN)
	}
}

// signFloat64 is signFloat32 for float64.
func signFloat64(in, out []float64) {
	out = out[:len(in)]
	for i, v := range in {
		bits := math.Float64bits(v)
		mag := bits &^ (1 << 63)
		nonZero := -((mag + (1<<63 - 1)) >> 63)
		isNaN := uint64(int64(0x7ff0000000000000-mag) >> 63)
		out[i] = math.Float64frombits((bits&(1<<63) | 0x3ff0000000000000) & nonZero &^ isNaN)
	}
}

// floatData returns a buffer's data and whether it is []float32 or []float64, the
// dtypes the fast executors handle; they hand any other to simplego's own.
func floatData(backend *simplego.Backend, buf *simplego.Buffer) (data any, isFloat bool, err error) {
	data, err = backend.BufferData(buf)
	if err != nil {
		return nil, false, err
	}
	switch data.(type) {
	case []float32, []float64:
		return data, true, nil
	}
	return data, false, nil
}
