package backend_test

import (
	"fmt"
	"io"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/gomlx/gomlx/pkg/core/graph"
)

// New picks the engine once per process and reports its choice in one line; graphs then
// run on it.
func ExampleNew() {
	backend.Report = io.Discard // the example's output must not depend on the machine
	engine := backend.MustNew()
	sum := graph.MustExecOnce(engine, func(x *graph.Node) *graph.Node {
		return graph.ReduceAllSum(x)
	}, []float32{1, 2, 3, 4})
	fmt.Println("sum:", sum.Value())
	// Output: sum: 10
}
