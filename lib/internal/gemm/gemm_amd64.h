// Macros that gemm_amd64.s's two AVX-512 6×32 float32 kernels (gemmKernel6x32AVX512,
// which writes a tile buffer, and gemmKernel6x32AVX512C, which writes C) share, so
// that the products they sum are one code: SI walks the packed A panel (6 values a
// step), DI the packed B panel (32 a step), Z4..Z15 hold the 6×32 tile (two
// registers a row), Z0..Z3 are scratch.

// GEMM_6X32_ZERO clears the tile's accumulators Z4..Z15.
#define GEMM_6X32_ZERO \
	VPXORD       Z4, Z4, Z4; \
	VPXORD       Z5, Z5, Z5; \
	VPXORD       Z6, Z6, Z6; \
	VPXORD       Z7, Z7, Z7; \
	VPXORD       Z8, Z8, Z8; \
	VPXORD       Z9, Z9, Z9; \
	VPXORD       Z10, Z10, Z10; \
	VPXORD       Z11, Z11, Z11; \
	VPXORD       Z12, Z12, Z12; \
	VPXORD       Z13, Z13, Z13; \
	VPXORD       Z14, Z14, Z14; \
	VPXORD       Z15, Z15, Z15

// GEMM_6X32_STEP adds one step of k to the tile: the B row's 32 values (Z0, Z1)
// times each of the A column's 6 values, broadcast (Z2, Z3 in turn), fused into
// the row's two accumulators; then SI and DI move to the next step.
#define GEMM_6X32_STEP \
	VMOVUPS      (DI), Z0; \
	VMOVUPS      64(DI), Z1; \
	VBROADCASTSS (SI), Z2; \
	VFMADD231PS  Z0, Z2, Z4; \
	VFMADD231PS  Z1, Z2, Z5; \
	VBROADCASTSS 4(SI), Z3; \
	VFMADD231PS  Z0, Z3, Z6; \
	VFMADD231PS  Z1, Z3, Z7; \
	VBROADCASTSS 8(SI), Z2; \
	VFMADD231PS  Z0, Z2, Z8; \
	VFMADD231PS  Z1, Z2, Z9; \
	VBROADCASTSS 12(SI), Z3; \
	VFMADD231PS  Z0, Z3, Z10; \
	VFMADD231PS  Z1, Z3, Z11; \
	VBROADCASTSS 16(SI), Z2; \
	VFMADD231PS  Z0, Z2, Z12; \
	VFMADD231PS  Z1, Z2, Z13; \
	VBROADCASTSS 20(SI), Z3; \
	VFMADD231PS  Z0, Z3, Z14; \
	VFMADD231PS  Z1, Z3, Z15; \
	ADDQ         $24, SI; \
	ADDQ         $128, DI
