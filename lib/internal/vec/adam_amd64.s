//go:build amd64 && !purego

#include "textflag.h"

// func adam8AVX2(p, grad, m1, m2 *float32, n int, coef *float32)
//
// AdamStep (adam.go) on 8 parameters at a time, n a multiple of 8: the same
// float32 operations in the same order as adamGo, no FMA. The flush tests
// |m| < FlushBelow (adamGo: m < FlushBelow && m > −FlushBelow; the same for
// every m, NaN kept) and clears the lanes where it holds.
TEXT ·adam8AVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), SI
	MOVQ grad+8(FP), DI
	MOVQ m1+16(FP), R8
	MOVQ m2+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ coef+40(FP), DX
	VBROADCASTSS 0(DX), Y0  // Decay
	VBROADCASTSS 4(DX), Y1  // LR
	VBROADCASTSS 8(DX), Y2  // Debias1
	VBROADCASTSS 12(DX), Y3 // Debias2
	VBROADCASTSS 16(DX), Y4 // Beta1
	VBROADCASTSS 20(DX), Y5 // Beta2
	VBROADCASTSS 24(DX), Y6 // 1−Beta1
	VBROADCASTSS 28(DX), Y7 // 1−Beta2
	VBROADCASTSS 32(DX), Y8 // Eps
	VBROADCASTSS 36(DX), Y9 // FlushBelow
	VPCMPEQD     Y10, Y10, Y10
	VPSRLD       $1, Y10, Y10 // 0x7fffffff: |x| mask
	TESTQ        CX, CX
	JEQ          done

loop8:
	VMOVUPS (SI), Y11         // v
	VMULPS  Y11, Y0, Y12      // Decay·v
	VADDPS  (DI), Y12, Y12    // g = grad + Decay·v
	VMULPS  (R8), Y4, Y13     // Beta1·m1
	VMULPS  Y12, Y6, Y14      // (1−Beta1)·g
	VADDPS  Y14, Y13, Y13     // first
	VMULPS  Y12, Y12, Y12     // g²
	VMULPS  Y12, Y7, Y12      // (1−Beta2)·g²
	VMULPS  (R9), Y5, Y14     // Beta2·m2
	VADDPS  Y12, Y14, Y14     // second
	VANDPS  Y13, Y10, Y15
	VCMPPS  $1, Y9, Y15, Y15  // |first| < FlushBelow
	VANDNPS Y13, Y15, Y13
	VANDPS  Y14, Y10, Y15
	VCMPPS  $1, Y9, Y15, Y15  // |second| < FlushBelow
	VANDNPS Y14, Y15, Y14
	VMOVUPS Y13, (R8)
	VMOVUPS Y14, (R9)
	VMULPS  Y14, Y3, Y14      // Debias2·second
	VSQRTPS Y14, Y14
	VADDPS  Y8, Y14, Y14      // √(·) + Eps
	VMULPS  Y13, Y2, Y13      // Debias1·first
	VDIVPS  Y14, Y13, Y13     // quotient
	VMULPS  Y13, Y1, Y13      // LR·quotient
	VSUBPS  Y13, Y11, Y11     // v − LR·quotient
	VMOVUPS Y11, (SI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	SUBQ    $8, CX
	JNE     loop8

done:
	VZEROUPPER
	RET
