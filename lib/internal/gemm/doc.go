// Package gemm is dawnchorus's float32/float64 matrix product (GEMM),
// C = A·B for a batch of matrices whose elements may lie at any row and
// column strides, so that transposed operands are read in place (through
// packing) instead of being copied first.
//
// It is the kernel under the pure-Go GoMLX engine (lib/backend/purego runs
// every float DotGeneral on it), and the Go code that multiplies matrices
// outside a GoMLX graph — k-means' distances (lib/cluster), brute-force
// neighbours (lib/classify's k-NN, lib/search's exact search) — calls it
// too, so that all of them get the same speed: packed, cache-blocked,
// split over the cores, with an AVX2/FMA assembly micro-kernel on amd64
// (6×16 for float32, 6×32 where the CPU has AVX-512, 6×8 for float64;
// plain Go elsewhere or with the "purego" build tag).
//
// PackRHS and MultiplyRowsPacked split a product in two for a right operand
// used against many left ones (k-means' centroids against block after block
// of points): the right operand is packed once, and the left one is given
// as row slices read where they lie; the bits are Multiply's.
//
// MultiplyTransposed computes the symmetric A·Aᵀ (lib/reduce's PCA
// covariance) from the tiles on and above the diagonal only, as BLAS's syrk
// does, with the same bits as Multiply's full product;
// MultiplyTransposedBlocks does the same from blocks of A's columns handed
// over one at a time (BlockK each), so A need never be held whole.
//
// Results are bit-identical on every run and for any number of cores: each
// output element is summed in an order that depends only on the shapes. They
// differ in the last bits between the assembly and the Go micro-kernel; the
// float32 AVX2 and AVX-512 kernels give the same bits.
//
// Units: none; shapes are in elements.
package gemm
