//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// gemmKernel6x16AVX2 is the float32 micro-kernel in gemm_amd64.s: tile
// (6×16, row-major) = the product of a packed A panel (kb steps of 6 values)
// and a packed B panel (kb steps of 16 values), with AVX2 FMA instructions,
// each element accumulated from zero in increasing k order. kb must be ≥ 0;
// the pointers must hold 6·kb, 16·kb and 96 values.
//
//go:noescape
func gemmKernel6x16AVX2(kb int, a, b, tile *float32)

// avx2Kernel wraps gemmKernel6x16AVX2 as a gemmMicroKernel, checking the
// slices' lengths before handing their pointers to assembly.
func avx2Kernel() gemmMicroKernel[float32] {
	return gemmMicroKernel[float32]{mr: 6, nr: 16, name: "avx2_6x16", run: func(kb int, a, b, tile []float32) {
		a, b, tile = a[:6*kb], b[:16*kb], tile[:96]
		if kb == 0 {
			clear(tile)
			return
		}
		gemmKernel6x16AVX2(kb, &a[0], &b[0], &tile[0])
	}}
}

// gemmKernel6x32AVX512 is gemmKernel6x16AVX2 on 512-bit registers: a 6×32
// tile, with the same contract and the same bits for each element (one FMA
// per step k, in increasing k order, from zero).
//
//go:noescape
func gemmKernel6x32AVX512(kb int, a, b, tile *float32)

// avx512Kernel wraps gemmKernel6x32AVX512 as a gemmMicroKernel.
func avx512Kernel() gemmMicroKernel[float32] {
	return gemmMicroKernel[float32]{mr: 6, nr: 32, name: "avx512_6x32", run: func(kb int, a, b, tile []float32) {
		a, b, tile = a[:6*kb], b[:32*kb], tile[:192]
		if kb == 0 {
			clear(tile)
			return
		}
		gemmKernel6x32AVX512(kb, &a[0], &b[0], &tile[0])
	}, runC: func(kb int, a, b, c []float32, ldc int, add bool) {
		a, b, c = a[:6*kb], b[:32*kb], c[:5*ldc+32]
		gemmKernel6x32AVX512C(kb, &a[0], &b[0], &c[0], ldc, boolInt(add))
	}}
}

// gemmKernel6x32AVX512C is gemmKernel6x32AVX512 storing its tile into c
// (row r at c[r·ldc:]) when add is 0, else adding it to c's values.
//
//go:noescape
func gemmKernel6x32AVX512C(kb int, a, b, c *float32, ldc, add int)

// gemmKernel6x8AVX2F64 is the float64 micro-kernel in gemm_amd64.s: tile
// (6×8, row-major) = the product of a packed A panel (kb steps of 6 values)
// and a packed B panel (kb steps of 8 values), with the same contract as
// gemmKernel6x16AVX2.
//
//go:noescape
func gemmKernel6x8AVX2F64(kb int, a, b, tile *float64)

// avx2KernelF64 wraps gemmKernel6x8AVX2F64 as a gemmMicroKernel.
func avx2KernelF64() gemmMicroKernel[float64] {
	return gemmMicroKernel[float64]{mr: 6, nr: 8, name: "avx2_6x8_f64", run: func(kb int, a, b, tile []float64) {
		a, b, tile = a[:6*kb], b[:8*kb], tile[:48]
		if kb == 0 {
			clear(tile)
			return
		}
		gemmKernel6x8AVX2F64(kb, &a[0], &b[0], &tile[0])
	}}
}

// hasAVX2Kernel reports whether this CPU runs the assembly micro-kernel.
var hasAVX2Kernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// hasAVX512Kernel reports whether this CPU runs the AVX-512 micro-kernel.
var hasAVX512Kernel = hasAVX2Kernel && cpu.X86.HasAVX512F

func init() {
	if hasAVX2Kernel {
		gemmKernelFloat32 = avx2Kernel()
		if hasAVX512Kernel {
			gemmKernelFloat32 = avx512Kernel()
		}
		gemmKernelFloat64 = avx2KernelF64()
	}
}

// asmFloat32Kernels lists the assembly micro-kernels this CPU runs, for tests.
func asmFloat32Kernels() []gemmMicroKernel[float32] {
	if hasAVX512Kernel {
		return []gemmMicroKernel[float32]{avx2Kernel(), avx512Kernel()}
	}
	if hasAVX2Kernel {
		return []gemmMicroKernel[float32]{avx2Kernel()}
	}
	return nil
}

// asmFloat64Kernels lists the float64 assembly micro-kernels this CPU runs, for tests.
func asmFloat64Kernels() []gemmMicroKernel[float64] {
	if hasAVX2Kernel {
		return []gemmMicroKernel[float64]{avx2KernelF64()}
	}
	return nil
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
