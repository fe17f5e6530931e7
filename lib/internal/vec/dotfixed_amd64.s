//go:build amd64 && !purego

#include "textflag.h"
#include "lanes8_amd64.h"

// func dot8AVX2(a, b *float32, n int, lanes *float32)
//
// lanes[0..7] = Σ over blocks of 8 of a·b, lane by lane, for the first n
// values (n a multiple of 8), in the order lanes8_amd64.h fixes.
TEXT ·dot8AVX2(SB), NOSPLIT, $0-32
	LANES8_ENTER

loop32:
	LANES8_LOAD32
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	LANES8_NEXT32

tail8:
	LANES8_TAIL

loop8:
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	LANES8_NEXT8

done:
	LANES8_STORE
