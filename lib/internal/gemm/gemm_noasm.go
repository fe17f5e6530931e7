//go:build !amd64 || purego

package gemm

// asmFloat32Kernels lists the assembly micro-kernels this CPU runs, for
// tests: none outside amd64 or with the "purego" build tag.
func asmFloat32Kernels() []gemmMicroKernel[float32] { return nil }

// asmFloat64Kernels: none, as asmFloat32Kernels.
func asmFloat64Kernels() []gemmMicroKernel[float64] { return nil }
