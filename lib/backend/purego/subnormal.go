package purego

import (
	"runtime"
	"sync"
	_ "unsafe" // For go:linkname.

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

// This file makes purego flush subnormal floats to zero, as XLA does on CPU.
//
// Why: a float32 below 1.18e-38 (float64: 2.2e-308) is subnormal, and an x86
// CPU computes an operation that reads or produces one in microcode, tens of
// times slower than a normal one. Long training runs make them: Adam's moments
// of weights whose gradients have died away decay geometrically, and a
// softmax of far-apart logits underflows. issue 19 measured the reference MLP's
// Adam step going from 3.3 ms to 9.2 ms per step as its moments decayed.
//
// How: on amd64, each op of a purego computation runs with the CPU's FTZ
// (results that would be subnormal become zero) and DAZ (subnormal operands
// read as zero) bits set in the SSE control register MXCSR. The register
// belongs to the OS thread, so the executor installed for each op locks its
// goroutine to its thread (runtime.LockOSThread), sets the bits, runs
// simplego's (or purego's) executor of the op, and restores the register and
// unlocks before returning. Nothing else running on the thread sees the bits.
//
// Which ops: every single-output op except the three whose executors split
// their work over other goroutines — DotGeneral (purego's GEMM), ConvGeneral
// and Erf (simplego) — since those goroutines run on other threads and would
// flush some chunks and not others, making a result depend on scheduling. The
// products therefore keep IEEE subnormals in their outputs, and the next op
// (DAZ) reads them as zeros. Every result is still the same on every run.
//
// What it changes: results differ from an IEEE computation only where a value
// falls below the smallest normal float: there it is ±0. Against plain simplego
// (which keeps subnormals) and against earlier dawnchorus versions, long runs
// therefore drift apart in the last bits once such values appear; XLA does the
// same flushing, so purego's results come closer to XLA's. The config option
// "keep_subnormals" (see [New]) turns the flushing off. Builds for other
// architectures, or with the "purego" build tag, keep subnormals
// ([flushesSubnormals] is false): there the values are IEEE's, only slower.

// simplegoNodeExecutors is simplego v0.26.0's table of single-output node
// executors (exec.go), read here once to wrap each entry.
//
//go:linkname simplegoNodeExecutors github.com/gomlx/gomlx/backends/simplego.nodeExecutors
var simplegoNodeExecutors [backends.OpTypeLast]func(*simplego.Backend, *simplego.Node, []*simplego.Buffer, []bool) (*simplego.Buffer, error)

// flushingBackends holds the purego backends that flush subnormals (all
// but those created with "keep_subnormals").
var flushingBackends sync.Map // *simplego.Backend → struct{}

// parallelOps are the ops whose executors run part of their work on other
// goroutines; they are not wrapped (see above).
var parallelOps = map[backends.OpType]bool{
	backends.OpTypeDotGeneral:  true,
	backends.OpTypeConvGeneral: true,
	backends.OpTypeErf:         true,
}

// wrapOnce wraps simplego's executors the first time a purego backend is
// created, after every package's init has installed its executors (purego's
// own included, see gemm_exec.go).
var wrapOnce sync.Once

// wrapExecutorsForFlushing replaces each executor in simplego's table, except
// those of parallelOps, by one that runs it with FTZ and DAZ set for the
// backends in flushingBackends, and as it was for any other backend.
func wrapExecutorsForFlushing() {
	if !flushesSubnormals {
		return
	}
	for op, exec := range simplegoNodeExecutors {
		if exec == nil || parallelOps[backends.OpType(op)] {
			continue
		}
		simplegoNodeExecutors[op] = func(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
			if _, flush := flushingBackends.Load(backend); !flush {
				return exec(backend, node, inputs, owned)
			}
			runtime.LockOSThread()
			old := enterFlushToZero()
			defer func() {
				leaveFlushToZero(old)
				runtime.UnlockOSThread()
			}()
			return exec(backend, node, inputs, owned)
		}
	}
}
