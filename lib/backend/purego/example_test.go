package purego_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/backend/purego"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
)

// ExampleNew runs a strided max-pool and its gradient — an op simplego alone
// cannot differentiate — on the engine, created by its registered name.
func ExampleNew() {
	engine, err := backends.NewWithConfig(purego.BackendName)
	if err != nil {
		panic(err)
	}
	fmt.Println(engine)
	grad := graph.MustExecOnce(engine, func(x *graph.Node) *graph.Node {
		pooled := graph.MaxPool(graph.Reshape(x, 1, 4, 1)).Window(2).Done() // [1, 2, 1]
		return graph.Gradient(graph.ReduceAllSum(pooled), x)[0]
	}, []float32{1, 3, 4, 2})
	fmt.Println(grad.Value())
	// Output:
	// purego
	// [0 1 1 0]
}
