//go:build amd64 && !purego

package purego

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestFlushToZeroLeavesThreadsClean checks that the FTZ/DAZ bits set around
// each op are cleared again: after computations whose ops ran on many of the
// process's threads (in parallel and sequentially), no thread a goroutine
// lands on has them set.
func TestFlushToZeroLeavesThreadsClean(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 1))
	a, b := randomArray(rng, 64, 64), randomArray(rng, 64, 64)
	for range 20 {
		mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			x := graph.Add(graph.Mul(in[0], in[1]), graph.Exp(in[0]))
			y := graph.Sub(graph.Sqrt(graph.Abs(in[1])), graph.Tanh(in[0]))
			return graph.Add(graph.Dot(x, y), graph.Mul(x, y))
		}, a, b)
	}
	var mu sync.Mutex
	var dirty []uint32
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			if v := getMXCSR(); v&(mxcsrFTZ|mxcsrDAZ) != 0 {
				mu.Lock()
				dirty = append(dirty, v)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(dirty) > 0 {
		t.Fatalf("%d goroutines found FTZ/DAZ set on their thread (MXCSR %#x)", len(dirty), dirty[0])
	}
	// The bits are set while an op runs: check it directly.
	runtime.LockOSThread()
	old := enterFlushToZero()
	got := getMXCSR()
	leaveFlushToZero(old)
	after := getMXCSR()
	runtime.UnlockOSThread()
	if got&(mxcsrFTZ|mxcsrDAZ) != mxcsrFTZ|mxcsrDAZ || after != old {
		t.Fatalf("enterFlushToZero: MXCSR %#x inside (want FTZ|DAZ), %#x after (want %#x)", got, after, old)
	}
}
