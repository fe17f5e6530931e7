package zoo

import (
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/zoo/internal/onnxops"
)

// TestONNXConvertedOpsCurrent reads onnx-gomlx's source at the version go.mod
// pins: a version bump without `go generate ./lib/zoo` fails here.
func TestONNXConvertedOpsCurrent(t *testing.T) {
	dir, version, err := onnxops.Locate()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := onnxops.Converted(dir)
	if err != nil {
		t.Fatal(err)
	}
	if version != onnxGoMLXVersion || !slices.Equal(ops, onnxConvertedOps) {
		t.Fatalf("onnx_ops_generated.go is from onnx-gomlx %s (%d ops), go.mod has %s (%d ops): run go generate ./lib/zoo",
			onnxGoMLXVersion, len(onnxConvertedOps), version, len(ops))
	}
}
