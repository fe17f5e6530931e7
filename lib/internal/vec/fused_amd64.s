//go:build amd64 && !purego

#include "textflag.h"

// fused.go's passes, 8 elements at a time, n a multiple of 8: the same
// float32 operations in the same order as the Go loops, no FMA. Each loop
// loads all its operands before it stores, so out may be one of its inputs.

// func scaledSum8AVX2(out, x, y *float32, n int, coef *float32)
// out = a·x + b·y; coef: a, b.
TEXT ·scaledSum8AVX2(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), R8
	MOVQ n+24(FP), CX
	MOVQ coef+32(FP), DX
	VBROADCASTSS 0(DX), Y0 // a
	VBROADCASTSS 4(DX), Y1 // b
	TESTQ CX, CX
	JEQ   ssdone

ssloop:
	VMULPS  (SI), Y0, Y2 // a·x
	VMULPS  (R8), Y1, Y3 // b·y
	VADDPS  Y3, Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	SUBQ    $8, CX
	JNE     ssloop

ssdone:
	VZEROUPPER
	RET

// func scaledSumSquare8AVX2(out, x, y, z *float32, n int, coef *float32)
// out = a·x + b·(y·z); coef: a, b.
TEXT ·scaledSumSquare8AVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), R8
	MOVQ z+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ coef+40(FP), DX
	VBROADCASTSS 0(DX), Y0 // a
	VBROADCASTSS 4(DX), Y1 // b
	TESTQ CX, CX
	JEQ   sqdone

sqloop:
	VMOVUPS (R8), Y3
	VMULPS  (R9), Y3, Y3 // y·z
	VMULPS  Y3, Y1, Y3   // b·(y·z)
	VMULPS  (SI), Y0, Y2 // a·x
	VADDPS  Y3, Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	ADDQ    $32, R9
	SUBQ    $8, CX
	JNE     sqloop

sqdone:
	VZEROUPPER
	RET

// func adamUpdate8AVX2(out, w, m1, m2 *float32, n int, coef *float32)
// out = w − (lr·(m1·d1)) / (√(m2·d2) + eps); coef: d1, lr, d2, eps.
TEXT ·adamUpdate8AVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ m1+16(FP), R8
	MOVQ m2+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ coef+40(FP), DX
	VBROADCASTSS 0(DX), Y0  // d1
	VBROADCASTSS 4(DX), Y1  // lr
	VBROADCASTSS 8(DX), Y2  // d2
	VBROADCASTSS 12(DX), Y3 // eps
	TESTQ CX, CX
	JEQ   audone

auloop:
	VMULPS  (R9), Y2, Y5 // m2·d2
	VSQRTPS Y5, Y5
	VADDPS  Y3, Y5, Y5   // √(·) + eps
	VMULPS  (R8), Y0, Y4 // m1·d1
	VMULPS  Y4, Y1, Y4   // lr·(m1·d1)
	VDIVPS  Y5, Y4, Y4   // quotient
	VMOVUPS (SI), Y6
	VSUBPS  Y4, Y6, Y6   // w − quotient
	VMOVUPS Y6, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	ADDQ    $32, R9
	SUBQ    $8, CX
	JNE     auloop

audone:
	VZEROUPPER
	RET
