package purego

import (
	"fmt"
	"maps"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// BackendName is the name this engine is registered under with GoMLX's
// backends.Register; use it as $GOMLX_BACKEND or in backends.NewWithConfig.
const BackendName = "purego"

func init() {
	backends.Register(BackendName, New)
}

// Backend is the pure-Go engine: GoMLX's simplego backend, whose buffers,
// executor and kernels it reuses as they are, with a [Builder] that adds the
// ops simplego lacks and rewrites slow patterns into fast ones.
type Backend struct {
	*simplego.Backend
}

// Compile-time check that Backend is a GoMLX backend.
var _ backends.Backend = (*Backend)(nil)

// New creates the engine. The config string holds simplego's options (for
// example "parallelism=2" or "ops_sequential"); "" takes purego's defaults:
// "dotgeneral_large" unless config names another dotgeneral_ option, and in
// builds with the race detector "ops_sequential" (see race.go) unless config
// names another ops_ option. purego's own option "keep_subnormals" turns off
// the flushing of subnormal floats to zero (subnormal.go), which is on by default.
func New(config string) (backends.Backend, error) {
	keepSubnormals := false
	var rest []string
	for _, opt := range strings.Split(config, ",") {
		if strings.TrimSpace(opt) == "keep_subnormals" {
			keepSubnormals = true
			continue
		}
		if opt != "" {
			rest = append(rest, opt)
		}
	}
	config = strings.Join(rest, ",")
	options := []string{}
	if !strings.Contains(config, "dotgeneral_") {
		// purego runs float32/float64 products on its own GEMM (gemm_exec.go);
		// for other dtypes, simplego's blocked DotGeneral is parallel and
		// faster than its "small problem" one.
		options = append(options, "dotgeneral_large")
	}
	if raceConfig != "" && !strings.Contains(config, "ops_") {
		options = append(options, raceConfig)
	}
	if config != "" {
		options = append(options, config)
	}
	inner, err := simplego.New(strings.Join(options, ","))
	if err != nil {
		return nil, fmt.Errorf("purego: creating the simplego engine it wraps with config %q: %w", config, err)
	}
	b := &Backend{Backend: inner.(*simplego.Backend)}
	puregoBackends.Store(b.Backend, struct{}{}) // Its float32/float64 DotGenerals run purego's GEMM (gemm_exec.go).
	wrapOnce.Do(wrapExecutorsForFlushing)
	if !keepSubnormals {
		flushingBackends.Store(b.Backend, struct{}{}) // Its ops flush subnormals to zero (subnormal.go).
	}
	return b, nil
}

// Finalize releases the engine's resources; the engine must not be used afterwards.
func (b *Backend) Finalize() {
	puregoBackends.Delete(b.Backend)
	flushingBackends.Delete(b.Backend)
	b.Backend.Finalize()
}

// Name returns the short name of the engine.
func (b *Backend) Name() string { return "PureGo (purego, wrapping simplego)" }

// String returns the registration name, [BackendName].
func (b *Backend) String() string { return BackendName }

// Description is a one-line account of the engine.
func (b *Backend) Description() string {
	return "pure-Go engine: simplego plus convolution, pooling, padding, batch-norm, contraction rewrites and faster kernels for training"
}

// Builder creates a builder for a new computation named name.
func (b *Backend) Builder(name string) backends.Builder {
	inner := b.Backend.Builder(name).(*simplego.Builder)
	return &Builder{
		Builder:     inner,
		backend:     b,
		muls:        make(map[backends.Op]mulRecord),
		broadcasts:  make(map[backends.Op]broadcastRecord),
		elementwise: make(map[backends.Op]ewRecord),
	}
}

// capabilities are simplego's plus the ops this package adds.
var capabilities = func() backends.Capabilities {
	c := simplego.Capabilities
	c.Operations = maps.Clone(c.Operations)
	c.DTypes = maps.Clone(c.DTypes)
	for _, op := range []backends.OpType{
		backends.OpTypePad, backends.OpTypeReverse,
		backends.OpTypeSelectAndScatterMax, backends.OpTypeSelectAndScatterMin,
		backends.OpTypeBatchNormForTraining, backends.OpTypeBatchNormForInference,
		backends.OpTypeBatchNormGradient,
		backends.OpTypeDynamicSlice, backends.OpTypeDynamicUpdateSlice,
		backends.OpTypeConvGeneral, backends.OpTypeReduceWindow,
	} {
		c.Operations[op] = true
	}
	return c
}()

// Capabilities lists the ops and dtypes the engine supports.
func (b *Backend) Capabilities() backends.Capabilities { return capabilities }

// Builder builds one computation. It embeds simplego's builder, so every op
// simplego has is available unchanged; the methods defined in this package
// either add an op simplego lacks (Pad, Reverse, SelectAndScatterMax/Min,
// BatchNormForTraining/ForInference/Gradient, DynamicSlice,
// DynamicUpdateSlice) or lower an op to ones that run fast (ConvGeneral,
// ReduceWindow, and ReduceSum of a broadcast product, for which Mul and
// BroadcastInDim record their operands). All of them are built from simplego
// ops, so the executor and buffers are simplego's; simplego's DotGeneral
// node, though, runs on purego's own GEMM (lib/internal/gemm, gemm_exec.go).
type Builder struct {
	*simplego.Builder
	backend *Backend

	// muls records the operands of every Mul built, so a later ReduceSum of
	// it can be turned into a DotGeneral.
	muls map[backends.Op]mulRecord
	// broadcasts records the source of every BroadcastInDim built.
	broadcasts map[backends.Op]broadcastRecord
	// elementwise records the operands of every Add, Div and Sqrt built, so a
	// later Add or Sub can fuse Adam's element-wise chain (adam_exec.go).
	elementwise map[backends.Op]ewRecord
}

// Compile-time check that Builder is a GoMLX builder.
var _ backends.Builder = (*Builder)(nil)

// opError is the error type panicked by [Builder.must] inside lowerings and
// recovered by [recoverOp].
type opError struct{ err error }

// must returns op, or panics with err wrapped as an opError; lowerings use it
// to compose many simplego ops and let [recoverOp] turn a failure into an error.
func must(op backends.Op, err error) backends.Op {
	if err != nil {
		panic(opError{err})
	}
	return op
}

// recoverOp turns a panic raised by [must] into *err, prefixed with the op name.
func recoverOp(opName string, err *error) {
	if r := recover(); r != nil {
		if oe, ok := r.(opError); ok {
			*err = fmt.Errorf("purego: %s: %w", opName, oe.err)
			return
		}
		panic(r)
	}
}

// declineOnOpError is deferred by optional rewrites: when a [must] inside them fails,
// the rewrite is declined (*out = nil, *ok = false) and the caller builds the op the
// plain way. Other panics go on.
func declineOnOpError(out *backends.Op, ok *bool) {
	if r := recover(); r != nil {
		if _, isOpErr := r.(opError); !isOpErr {
			panic(r)
		}
		*out, *ok = nil, false
	}
}

// shapeOf returns the shape of op, panicking (for [recoverOp]) if op is not of this builder.
func (b *Builder) shapeOf(op backends.Op) shapes.Shape {
	s, err := b.Builder.OpShape(op)
	if err != nil {
		panic(opError{err})
	}
	return s
}
