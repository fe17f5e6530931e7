package purego

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/gomlx/gomlx/backends/simplego"
)

// TestNodeDataStructRejects: a node without parameters, or with parameters that
// are not a pointer to a struct, is handed back (ok false), never misread.
func TestNodeDataStructRejects(t *testing.T) {
	if _, ok := nodeDataStruct(&simplego.Node{}); ok {
		t.Error("a node with no data: ok, want false")
	}
	if _, ok := gemmParams(&simplego.Node{}); ok {
		t.Error("gemmParams of a node with no data: ok, want false")
	}
	if _, ok := readConvParams(&simplego.Node{}, 2); ok {
		t.Error("readConvParams of a node with no data: ok, want false")
	}
}

// TestReadNodeStructRecovers: readNodeStruct hands back read's parameters when
// it succeeds, and ok false with the zero value when read says no or panics (a
// field not where it was: FieldByName of a missing field, then Int, panics), on
// a node whose data is set by reflection to a pointer to a struct.
func TestReadNodeStructRecovers(t *testing.T) {
	type params struct {
		Axis int
		Name string
	}
	node := &simplego.Node{}
	data := reflect.ValueOf(node).Elem().FieldByName("data")
	reflect.NewAt(data.Type(), unsafe.Pointer(data.UnsafeAddr())).Elem().Set(reflect.ValueOf(&params{Axis: 3, Name: "x"}))
	type got struct{ Axis int }
	for _, tc := range []struct {
		name   string
		read   func(v reflect.Value) (got, bool)
		want   got
		wantOK bool
	}{
		{"read", func(v reflect.Value) (got, bool) { return got{int(v.FieldByName("Axis").Int())}, true }, got{3}, true},
		{"read says no", func(v reflect.Value) (got, bool) { return got{7}, false }, got{}, false},
		{"missing field panics", func(v reflect.Value) (got, bool) { return got{int(v.FieldByName("Axes").Int())}, true }, got{}, false},
		{"wrong kind panics", func(v reflect.Value) (got, bool) { return got{int(v.FieldByName("Name").Int())}, true }, got{}, false},
	} {
		p, ok := readNodeStruct(node, tc.read)
		if p != tc.want || ok != tc.wantOK {
			t.Errorf("%s: %+v, %v; want %+v, %v", tc.name, p, ok, tc.want, tc.wantOK)
		}
	}
}
