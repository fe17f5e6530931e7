package onnxops

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestConverted reads a hand-written convertNode: only the OpType switch's
// string cases count.
func TestConverted(t *testing.T) {
	dir := t.TempDir()
	src := `package onnx
func (m *Model) convertNode(node *Node) {
	switch x := 3; x { case 1: }
	switch node.OpType {
	case "Relu", "Add":
	case "Conv":
		switch node.Name { case "NotAnOp": }
	default:
	}
}
func other(node *Node) { switch node.OpType { case "Elsewhere": } }
`
	if err := os.MkdirAll(filepath.Join(dir, "onnx"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "onnx", "graph.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Converted(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Add", "Conv", "Relu"}; !slices.Equal(got, want) {
		t.Fatalf("Converted = %v, want %v", got, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "onnx", "graph.go"), []byte("package onnx\nfunc convertNode() {}\n"), 0o644); err == nil {
		if _, err := Converted(dir); err == nil {
			t.Fatal("no error for a convertNode without the switch")
		}
	}
}
