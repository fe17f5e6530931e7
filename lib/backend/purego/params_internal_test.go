package purego

import (
	"testing"

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
