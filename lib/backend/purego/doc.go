// Package purego is dawnchorus's pure-Go GoMLX engine, registered with GoMLX
// as "purego" ([BackendName]): GoMLX's own pure-Go engine, simplego, made able
// to train CNNs, and faster where training spends its time.
//
// It wraps simplego rather than forking it: [Backend] embeds simplego's
// backend (buffers, worker pool, executor) and hands out a [Builder] that
// embeds simplego's builder. Every op simplego has is used as it is; the
// Builder only adds or replaces ops, each built as a composition of simplego
// ops, so the executor runs them with simplego's kernels and parallelism
// (DotGeneral excepted: it runs on purego's own kernel, see below):
//
//   - Ops simplego lacks, which GoMLX's gradients and layers need: Pad (the
//     gradient of slicing and mean-pooling), Reverse (the gradient of
//     convolution), SelectAndScatterMax/Min (the gradient of max/min-pooling),
//     BatchNormForTraining/ForInference/Gradient (batchnorm.New with its
//     defaults), DynamicSlice and DynamicUpdateSlice.
//
//   - Ops lowered to what simplego runs fast: ConvGeneral becomes im2col
//     and one matrix product — for one or two spatial axes and one channel
//     group, a simplego ConvGeneral node in the channels-last layout that
//     purego's executor (conv_exec.go) runs by writing the patch matrix once,
//     straight from the input into a reused buffer, and multiplying it on the
//     GEMM (kernel gradients of channels-last layers too, in their own
//     layout); otherwise strided Slices of the padded input, concatenated, and
//     one DotGeneral — or, for 3×3 stride-1 kernels over 16 or more channels, Winograd's
//     F(2×2, 3×3), which needs 4/9 of the multiply-adds (F(4×4, 3×3), 1/4,
//     where outputs are large enough), run by the same executor
//     (winograd_exec.go) with the arithmetic of its graph form (winogradConv);
//     ReduceWindow (pooling) becomes a Reshape and a Reduce when windows tile
//     the input, or one strided Slice per window position otherwise.
//
//   - DotGeneral itself runs on dawnchorus's own matrix product (lib/internal/gemm): the
//     operands are packed into panels (which also transposes them, so any
//     batch/contracting/cross layout is read in place) and multiplied by a
//     register micro-kernel — AVX2/FMA assembly on amd64 CPUs that have it
//     (6×16 for float32, 6×8 for float64), 4×2 plain Go otherwise (and with
//     the "purego" build tag) — split over the cores by blocks of rows or
//     columns, whichever packs less. simplego has
//     no exported hook for this: purego installs its executor for simplego's
//     DotGeneral node through go:linkname to simplego's setNodeExecutor
//     (gemm_exec.go), serving only purego's backends; plain simplego
//     backends keep their kernel. Results are bit-identical on every run
//     and for any number of cores (each output element is summed in a fixed
//     order), though they differ in the last bits between the assembly and
//     the Go micro-kernel.
//
//   - Other executors installed the same way, for purego's backends only,
//     ConvGeneral's (above) among them, and Mul/Add of [..., C] by a
//     [1, ..., 1, C] vector row by row (rowop_exec.go; batch norm's scale and shift),
//     each giving simplego's results bit for bit: BroadcastInDim copies or
//     fills whole rows instead of indexing each element (broadcast_exec.go);
//     ReduceSum and ReduceMax over consecutive axes add whole rows
//     (reduce_exec.go); Sign on floats is computed from the bits without a
//     branch (sign_exec.go), which matters because GoMLX builds every ReLU's
//     gradient from Sign. Binary ops whose operands broadcast along size-1
//     axes (a bias added to activations, a row maximum subtracted from
//     logits) get an explicit BroadcastInDim, so the op itself runs on equal
//     shapes (broadcast.go).
//
//   - A rewrite: ReduceSum of a product of two tensors broadcast along
//     different axes — how GoMLX v0.26.0 builds the gradients of Dot and
//     DotGeneral — becomes one DotGeneral, so the broadcast product (batch ×
//     in × out for a dense layer) is never materialized. simplego's executor
//     skips nodes no output uses, so the replaced Mul costs nothing.
//
//   - Adam's element-wise chain (GoMLX's optimizers.Adam: eight Muls, three
//     Adds, a Sqrt, a Div and a Sub over every parameter) is fused into three
//     nodes per variable — the two moments as s1·X + s2·Y (or s2·(Y·Z)), the
//     update as w − lr·(m1·d1)/(√(m2·d2)+ε) — that run on AVX2 kernels in
//     lib/internal/vec with the same float32 operations in the same order,
//     bit for bit the unfused graph (adam_exec.go).
//
//   - Subnormal floats are flushed to zero, as XLA does on CPU: on amd64, every
//     op but the three that split work over goroutines (DotGeneral,
//     ConvGeneral, Erf) runs with the FTZ/DAZ bits of MXCSR set on its locked
//     OS thread and restored afterwards (subnormal.go); the config option
//     "keep_subnormals" keeps IEEE's subnormals instead.
//
// Invariants: every added or lowered op returns what XLA's op of the same name
// returns (same shapes, same values up to float rounding, first maximum on
// ties for SelectAndScatterMax); tests check each against a direct Go
// reference, against simplego where it has the op, and gradients against
// finite differences. Ops and dtypes outside the lowering's reach (integer
// pooling, batch-grouped convolution) fall back to simplego's own op.
//
// Units: there are none beyond tensor elements; shapes are in elements.
package purego
