// The frame and the loop control that the 8-lane float32 reductions share
// (dot8AVX2 in dotfixed_amd64.s, sqDist8AVX2 in vec_amd64.s), each declared in Go as
// func(a, b *float32, n int, lanes *float32): SI walks a, DI walks b, CX counts the
// values left, DX is lanes; Y0..Y3 are the four accumulators. Between these macros
// a kernel writes only its loop bodies, so the order of the sums (four accumulators
// over blocks of 32, then Y0 over blocks of 8, then (Y0+Y1) + (Y2+Y3)) is one for
// both and depends only on n.

// LANES8_ENTER loads the arguments, zeroes the accumulators and skips the
// 32-value loop (label loop32) when fewer than 32 values remain (to tail8).
#define LANES8_ENTER \
	MOVQ   a+0(FP), SI;      \
	MOVQ   b+8(FP), DI;      \
	MOVQ   n+16(FP), CX;     \
	MOVQ   lanes+24(FP), DX; \
	VXORPS Y0, Y0, Y0;       \
	VXORPS Y1, Y1, Y1;       \
	VXORPS Y2, Y2, Y2;       \
	VXORPS Y3, Y3, Y3;       \
	CMPQ   CX, $32;          \
	JLT    tail8

// LANES8_LOAD32 loads the next 32 values of a into Y4..Y7.
#define LANES8_LOAD32 \
	VMOVUPS (SI), Y4;   \
	VMOVUPS 32(SI), Y5; \
	VMOVUPS 64(SI), Y6; \
	VMOVUPS 96(SI), Y7

// LANES8_NEXT32 steps past 32 values and loops (to loop32) while 32 remain.
#define LANES8_NEXT32 \
	ADDQ $128, SI; \
	ADDQ $128, DI; \
	SUBQ $32, CX;  \
	CMPQ CX, $32;  \
	JGE  loop32

// LANES8_TAIL skips the 8-value loop (label loop8) when fewer than 8 values
// remain (to done).
#define LANES8_TAIL \
	CMPQ CX, $8; \
	JLT  done

// LANES8_NEXT8 steps past 8 values and loops (to loop8) while 8 remain.
#define LANES8_NEXT8 \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	SUBQ $8, CX;  \
	CMPQ CX, $8;  \
	JGE  loop8

// LANES8_STORE adds the accumulators as (Y0+Y1) + (Y2+Y3), stores the 8 lanes
// and returns.
#define LANES8_STORE \
	VADDPS     Y1, Y0, Y0; \
	VADDPS     Y3, Y2, Y2; \
	VADDPS     Y2, Y0, Y0; \
	VMOVUPS    Y0, (DX);   \
	VZEROUPPER;            \
	RET
