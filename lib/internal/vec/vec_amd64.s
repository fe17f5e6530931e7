//go:build amd64 && !purego

#include "textflag.h"
#include "lanes8_amd64.h"

// func sqDist8AVX2(a, b *float32, n int, lanes *float32)
//
// lanes[0..7] = Σ over blocks of 8 of (a−b)², lane by lane, for the first n
// values (n a multiple of 8), in the order lanes8_amd64.h fixes.
TEXT ·sqDist8AVX2(SB), NOSPLIT, $0-32
	LANES8_ENTER

loop32:
	LANES8_LOAD32
	VSUBPS      (DI), Y4, Y4
	VSUBPS      32(DI), Y5, Y5
	VSUBPS      64(DI), Y6, Y6
	VSUBPS      96(DI), Y7, Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	LANES8_NEXT32

tail8:
	LANES8_TAIL

loop8:
	VMOVUPS     (SI), Y4
	VSUBPS      (DI), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	LANES8_NEXT8

done:
	LANES8_STORE

// func addTo64AVX2(acc *float64, v *float32, n int)
//
// acc[i] += float64(v[i]) for i < n, n a multiple of 16: each value converted
// exactly and added once, as the Go loop does, 4 lanes at a time.
TEXT ·addTo64AVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ v+8(FP), SI
	MOVQ n+16(FP), CX
	CMPQ CX, $16
	JLT  addDone

addLoop:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD 32(SI), Y2
	VCVTPS2PD 48(SI), Y3
	VADDPD    (DI), Y0, Y0
	VADDPD    32(DI), Y1, Y1
	VADDPD    64(DI), Y2, Y2
	VADDPD    96(DI), Y3, Y3
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	VMOVUPD   Y2, 64(DI)
	VMOVUPD   Y3, 96(DI)
	ADDQ      $64, SI
	ADDQ      $128, DI
	SUBQ      $16, CX
	CMPQ      CX, $16
	JGE       addLoop

addDone:
	VZEROUPPER
	RET
