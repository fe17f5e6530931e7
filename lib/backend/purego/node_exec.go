package purego

import (
	"fmt"
	"reflect"

	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// newOutput returns a new buffer of shape for the output of op (named in the
// error), with its flat data; an error once the backend is finalized.
func newOutput(backend *simplego.Backend, shape shapes.Shape, op string) (output *simplego.Buffer, data any, err error) {
	if output = backend.NewBuffer(shape); output == nil {
		return nil, nil, fmt.Errorf("purego: %s: the backend is finalized", op)
	}
	if data, err = backend.BufferData(output); err != nil {
		return nil, nil, err
	}
	return output, data, nil
}

// operandShapes returns the shapes of a two-operand node's inputs when backend
// is one of purego's (ours); ours is false, with no error, for any other
// backend or number of inputs, and the executor then hands the node back to
// simplego's own.
func operandShapes(backend *simplego.Backend, inputs []*simplego.Buffer) (lhs, rhs shapes.Shape, ours bool, err error) {
	if _, ok := puregoBackends.Load(backend); !ok || len(inputs) != 2 {
		return lhs, rhs, false, nil
	}
	if lhs, err = backend.BufferShape(inputs[0]); err != nil {
		return lhs, rhs, false, err
	}
	if rhs, err = backend.BufferShape(inputs[1]); err != nil {
		return lhs, rhs, false, err
	}
	return lhs, rhs, true, nil
}

// The executors purego installs in simplego (gemm_exec.go, conv_exec.go, broadcast_exec.go,
// reduce_exec.go, sign_exec.go) need a node's output dimensions and its parameters, which
// simplego v0.26.0 keeps in unexported fields. These helpers read them with
// reflect, which only reads; ok is false when a field is not where it was, and
// the executor then hands the node back to simplego's own.

// nodeOutputDims returns the dimensions of node's output (its unexported shape).
func nodeOutputDims(node *simplego.Node) (dims []int, ok bool) {
	defer func() {
		if recover() != nil {
			dims, ok = nil, false
		}
	}()
	return reflectInts(reflect.ValueOf(node).Elem().FieldByName("shape").FieldByName("Dimensions"))
}

// nodeDataInts returns node's parameters when they are a []int (its unexported
// data), as for BroadcastInDim (the axes kept) and the reductions (the axes reduced).
func nodeDataInts(node *simplego.Node) (ints []int, ok bool) {
	defer func() {
		if recover() != nil {
			ints, ok = nil, false
		}
	}()
	data := reflect.ValueOf(node).Elem().FieldByName("data")
	if !data.IsValid() || data.Kind() != reflect.Interface || data.IsNil() {
		return nil, false
	}
	return reflectInts(data.Elem())
}

// nodeDataStruct returns the struct node's parameters point to (its unexported
// data, a pointer to a struct, as for DotGeneral and ConvGeneral); ok is false
// when data is not such a pointer. readNodeStruct reads its fields under a recover.
func nodeDataStruct(node *simplego.Node) (v reflect.Value, ok bool) {
	v = reflect.ValueOf(node).Elem().FieldByName("data")
	if !v.IsValid() || v.Kind() != reflect.Interface || v.IsNil() {
		return v, false
	}
	v = v.Elem()
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return v, false
	}
	return v.Elem(), true
}

// readNodeStruct reads node's parameters struct (nodeDataStruct) with read, under
// a recover: ok is false when the struct is not there, or read says so or panics
// (a field not where it was); p is then the zero value.
func readNodeStruct[P any](node *simplego.Node, read func(v reflect.Value) (P, bool)) (p P, ok bool) {
	defer func() {
		if recover() != nil {
			p, ok = *new(P), false
		}
	}()
	v, found := nodeDataStruct(node)
	if !found {
		return p, false
	}
	if p, ok = read(v); !ok {
		return *new(P), false
	}
	return p, true
}

// reflectInts copies v, a []int, out.
func reflectInts(v reflect.Value) ([]int, bool) {
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Int {
		return nil, false
	}
	out := make([]int, v.Len())
	for i := range out {
		out[i] = int(v.Index(i).Int())
	}
	return out, true
}
