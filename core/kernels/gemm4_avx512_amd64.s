//go:build goexperiment.simd && amd64

#include "textflag.h"

// ZERO4 clears four registers.
#define ZERO4(a, b, c, d) VPXORD a, a, a; VPXORD b, b, b; VPXORD c, c, c; VPXORD d, d, d

// FMA2 accumulates the broadcast float at off(a) times x and y into cx and cy.
#define FMA2(off, a, x, y, cx, cy) VFMADD231PS.BCST off(a), x, cx; VFMADD231PS.BCST off(a), y, cy

// ROWS4 is FMA2 for the four packed rows at a (4 floats per depth step).
#define ROWS4(a, x, y, c0, c1, c2, c3, c4, c5, c6, c7) \
	FMA2(0, a, x, y, c0, c1); FMA2(4, a, x, y, c2, c3); FMA2(8, a, x, y, c4, c5); FMA2(12, a, x, y, c6, c7)

// STORE2 stores a 32-float row (x, y) at R8 and moves R8 on by the row pitch R9.
#define STORE2(x, y) VMOVUPS x, (R8); VMOVUPS y, 64(R8); ADDQ R9, R8

// STORE4 stores a 64-float row at R8 and moves R8 on by R9.
#define STORE4(a, b, c, d) VMOVUPS a, (R8); VMOVUPS b, 64(R8); VMOVUPS c, 128(R8); VMOVUPS d, 192(R8); ADDQ R9, R8

// func gemm4AsmAVX512(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, add bool)
//
// c[i*ldc+j] (+)= Σ_p a[4p+i]·b0[p*ldb+j] and c[i*ldc+16+j] (+)= Σ_p
// a[4p+i]·b1[p*ldb+j] for i < 4, j < 16, k ≥ 1 (+= if add). Z0…Z7
// accumulate rows 0…3 (two 16-column halves each); Z8, Z9 hold row p of
// b0 and b1; each FMA broadcasts a[4p+i] from memory ({1to16}), a load, not
// a shuffle.
TEXT ·gemm4AsmAVX512(SB), NOSPLIT, $0-57
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b0+16(FP), DI
	MOVQ b1+24(FP), R10
	MOVQ ldb+32(FP), DX
	SHLQ $2, DX
	MOVQ c+40(FP), R8
	MOVQ ldc+48(FP), R9
	SHLQ $2, R9
	MOVB add+56(FP), AX
	TESTB AL, AL
	JNZ  load
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	JMP  loop

load:
	MOVQ    R8, R11
	VMOVUPS (R11), Z0
	VMOVUPS 64(R11), Z1
	ADDQ    R9, R11
	VMOVUPS (R11), Z2
	VMOVUPS 64(R11), Z3
	ADDQ    R9, R11
	VMOVUPS (R11), Z4
	VMOVUPS 64(R11), Z5
	ADDQ    R9, R11
	VMOVUPS (R11), Z6
	VMOVUPS 64(R11), Z7

loop:
	VMOVUPS (DI), Z8
	VMOVUPS (R10), Z9
	ROWS4(SI, Z8, Z9, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	ADDQ    $16, SI
	ADDQ    DX, DI
	ADDQ    DX, R10
	DECQ    CX
	JNZ     loop

	STORE2(Z0, Z1)
	STORE2(Z2, Z3)
	STORE2(Z4, Z5)
	STORE2(Z6, Z7)
	VZEROUPPER
	RET

// func gemm8AsmAVX512(k int, a0, a1, b *float32, ldb int, c *float32, ldc int)
//
// c[i*ldc+j] = Σ_p a0[4p+i]·b[p*ldb+j] and c[(4+i)*ldc+j] = Σ_p
// a1[4p+i]·b[p*ldb+j] for i < 4, j < 32, k ≥ 1. Z0…Z7 accumulate rows 0…3
// (from a0), Z8…Z15 rows 4…7 (from a1); Z16, Z17 hold row p of b.
TEXT ·gemm8AsmAVX512(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), SI
	MOVQ a1+16(FP), BX
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), DX
	SHLQ $2, DX
	MOVQ c+40(FP), R8
	MOVQ ldc+48(FP), R9
	SHLQ $2, R9
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)

loop8:
	VMOVUPS (DI), Z16
	VMOVUPS 64(DI), Z17
	ROWS4(SI, Z16, Z17, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	ROWS4(BX, Z16, Z17, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)
	ADDQ    $16, SI
	ADDQ    $16, BX
	ADDQ    DX, DI
	DECQ    CX
	JNZ     loop8

	STORE2(Z0, Z1)
	STORE2(Z2, Z3)
	STORE2(Z4, Z5)
	STORE2(Z6, Z7)
	STORE2(Z8, Z9)
	STORE2(Z10, Z11)
	STORE2(Z12, Z13)
	STORE2(Z14, Z15)
	VZEROUPPER
	RET

// func dconvAsmAVX512(cin int, a, p *float32, ps int, toff *int32, ntaps int, c *float32, ldc int)
//
// c[i*ldc+j] = Σ_t Σ_ci a[(t*cin+ci)*4+i]·p[toff[t]+ci*ps+j] for i < 3,
// j < 64, cin ≥ 1, ntaps ≥ 1. Z0…Z11 accumulate rows 0…2 (four 16-column
// quarters each); Z12…Z15 hold the 64 inputs of one tap and channel.
TEXT ·dconvAsmAVX512(SB), NOSPLIT, $0-64
	MOVQ a+8(FP), SI
	MOVQ p+16(FP), R12
	MOVQ ps+24(FP), DX
	SHLQ $2, DX
	MOVQ toff+32(FP), R10
	MOVQ ntaps+40(FP), R11
	MOVQ c+48(FP), R8
	MOVQ ldc+56(FP), R9
	SHLQ $2, R9
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)

tap:
	MOVLQSX (R10), DI
	LEAQ    (R12)(DI*4), DI
	MOVQ    cin+0(FP), CX

channel:
	VMOVUPS      (DI), Z12
	VMOVUPS      64(DI), Z13
	VMOVUPS      128(DI), Z14
	VMOVUPS      192(DI), Z15
	VBROADCASTSS (SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VFMADD231PS  Z12, Z16, Z0
	VFMADD231PS  Z13, Z16, Z1
	VFMADD231PS  Z14, Z16, Z2
	VFMADD231PS  Z15, Z16, Z3
	VFMADD231PS  Z12, Z17, Z4
	VFMADD231PS  Z13, Z17, Z5
	VFMADD231PS  Z14, Z17, Z6
	VFMADD231PS  Z15, Z17, Z7
	VFMADD231PS  Z12, Z18, Z8
	VFMADD231PS  Z13, Z18, Z9
	VFMADD231PS  Z14, Z18, Z10
	VFMADD231PS  Z15, Z18, Z11
	ADDQ             $16, SI
	ADDQ             DX, DI
	DECQ             CX
	JNZ              channel
	ADDQ             $4, R10
	DECQ             R11
	JNZ              tap

	STORE4(Z0, Z1, Z2, Z3)
	STORE4(Z4, Z5, Z6, Z7)
	STORE4(Z8, Z9, Z10, Z11)
	VZEROUPPER
	RET

// func dconv4AsmAVX512(cin int, a, p *float32, ps int, toff *int32, ntaps int, c *float32, ldc int)
//
// dconvAsmAVX512 for all 4 rows of the block: c[i*ldc+j] = Σ_t Σ_ci
// a[(t*cin+ci)*4+i]·p[toff[t]+ci*ps+j] for i < 4, j < 64. Z0…Z15 accumulate
// rows 0…3; Z16…Z19 hold the 64 inputs of one tap and channel, Z20…Z23 the
// 4 broadcast weights.
TEXT ·dconv4AsmAVX512(SB), NOSPLIT, $0-64
	MOVQ a+8(FP), SI
	MOVQ p+16(FP), R12
	MOVQ ps+24(FP), DX
	SHLQ $2, DX
	MOVQ toff+32(FP), R10
	MOVQ ntaps+40(FP), R11
	MOVQ c+48(FP), R8
	MOVQ ldc+56(FP), R9
	SHLQ $2, R9
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)

tap4:
	MOVLQSX (R10), DI
	LEAQ    (R12)(DI*4), DI
	MOVQ    cin+0(FP), CX

channel4:
	VMOVUPS      (DI), Z16
	VMOVUPS      64(DI), Z17
	VMOVUPS      128(DI), Z18
	VMOVUPS      192(DI), Z19
	VBROADCASTSS (SI), Z20
	VBROADCASTSS 4(SI), Z21
	VBROADCASTSS 8(SI), Z22
	VBROADCASTSS 12(SI), Z23
	VFMADD231PS  Z16, Z20, Z0
	VFMADD231PS  Z17, Z20, Z1
	VFMADD231PS  Z18, Z20, Z2
	VFMADD231PS  Z19, Z20, Z3
	VFMADD231PS  Z16, Z21, Z4
	VFMADD231PS  Z17, Z21, Z5
	VFMADD231PS  Z18, Z21, Z6
	VFMADD231PS  Z19, Z21, Z7
	VFMADD231PS  Z16, Z22, Z8
	VFMADD231PS  Z17, Z22, Z9
	VFMADD231PS  Z18, Z22, Z10
	VFMADD231PS  Z19, Z22, Z11
	VFMADD231PS  Z16, Z23, Z12
	VFMADD231PS  Z17, Z23, Z13
	VFMADD231PS  Z18, Z23, Z14
	VFMADD231PS  Z19, Z23, Z15
	ADDQ             $16, SI
	ADDQ             DX, DI
	DECQ             CX
	JNZ              channel4
	ADDQ             $4, R10
	DECQ             R11
	JNZ              tap4

	STORE4(Z0, Z1, Z2, Z3)
	STORE4(Z4, Z5, Z6, Z7)
	STORE4(Z8, Z9, Z10, Z11)
	STORE4(Z12, Z13, Z14, Z15)
	VZEROUPPER
	RET

// func dot4AsmAVX512(n int, a *float32, lda int, b *float32, ldb int, c *float32)
//
// c[4i+j] += Σ_t a[i*lda+t]·b[j*ldb+t] for i, j < 4, t < n (n a positive
// multiple of 16): the 4×4 dot products of four rows of a and four rows of
// b. Z0…Z15 accumulate lane-wise (Z(4i+j) for c[4i+j]), Z16…Z19 hold a's
// rows, Z20…Z23 b's; the 16 accumulators are then summed across their lanes
// into one vector, lane k = Σ of Zk: within each 128-bit block by unpacks
// (groups of four accumulators), then across the blocks by 128-bit shuffles.
TEXT ·dot4AsmAVX512(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	SHRQ $4, CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), AX
	SHLQ $2, AX
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), BX
	SHLQ $2, BX
	MOVQ c+40(FP), R8
	LEAQ (SI)(AX*2), R9  // a row 2
	LEAQ (DI)(BX*2), R10 // b row 2
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)

loop:
	VMOVUPS     (DI), Z20
	VMOVUPS     (DI)(BX*1), Z21
	VMOVUPS     (R10), Z22
	VMOVUPS     (R10)(BX*1), Z23
	VMOVUPS     (SI), Z16
	VMOVUPS     (SI)(AX*1), Z17
	VMOVUPS     (R9), Z18
	VMOVUPS     (R9)(AX*1), Z19
	VFMADD231PS Z20, Z16, Z0
	VFMADD231PS Z21, Z16, Z1
	VFMADD231PS Z22, Z16, Z2
	VFMADD231PS Z23, Z16, Z3
	VFMADD231PS Z20, Z17, Z4
	VFMADD231PS Z21, Z17, Z5
	VFMADD231PS Z22, Z17, Z6
	VFMADD231PS Z23, Z17, Z7
	VFMADD231PS Z20, Z18, Z8
	VFMADD231PS Z21, Z18, Z9
	VFMADD231PS Z22, Z18, Z10
	VFMADD231PS Z23, Z18, Z11
	VFMADD231PS Z20, Z19, Z12
	VFMADD231PS Z21, Z19, Z13
	VFMADD231PS Z22, Z19, Z14
	VFMADD231PS Z23, Z19, Z15
	ADDQ        $64, SI
	ADDQ        $64, R9
	ADDQ        $64, DI
	ADDQ        $64, R10
	DECQ        CX
	JNZ         loop

	VUNPCKLPS Z1, Z0, Z16
	VUNPCKHPS Z1, Z0, Z17
	VADDPS    Z17, Z16, Z16
	VUNPCKLPS Z3, Z2, Z17
	VUNPCKHPS Z3, Z2, Z18
	VADDPS    Z18, Z17, Z17
	VUNPCKLPD Z17, Z16, Z18
	VUNPCKHPD Z17, Z16, Z19
	VADDPS    Z19, Z18, Z24
	VUNPCKLPS Z5, Z4, Z16
	VUNPCKHPS Z5, Z4, Z17
	VADDPS    Z17, Z16, Z16
	VUNPCKLPS Z7, Z6, Z17
	VUNPCKHPS Z7, Z6, Z18
	VADDPS    Z18, Z17, Z17
	VUNPCKLPD Z17, Z16, Z18
	VUNPCKHPD Z17, Z16, Z19
	VADDPS    Z19, Z18, Z25
	VUNPCKLPS Z9, Z8, Z16
	VUNPCKHPS Z9, Z8, Z17
	VADDPS    Z17, Z16, Z16
	VUNPCKLPS Z11, Z10, Z17
	VUNPCKHPS Z11, Z10, Z18
	VADDPS    Z18, Z17, Z17
	VUNPCKLPD Z17, Z16, Z18
	VUNPCKHPD Z17, Z16, Z19
	VADDPS    Z19, Z18, Z26
	VUNPCKLPS Z13, Z12, Z16
	VUNPCKHPS Z13, Z12, Z17
	VADDPS    Z17, Z16, Z16
	VUNPCKLPS Z15, Z14, Z17
	VUNPCKHPS Z15, Z14, Z18
	VADDPS    Z18, Z17, Z17
	VUNPCKLPD Z17, Z16, Z18
	VUNPCKHPD Z17, Z16, Z19
	VADDPS    Z19, Z18, Z27
	VSHUFF32X4 $0x44, Z25, Z24, Z16
	VSHUFF32X4 $0xEE, Z25, Z24, Z17
	VADDPS     Z17, Z16, Z16
	VSHUFF32X4 $0x44, Z27, Z26, Z17
	VSHUFF32X4 $0xEE, Z27, Z26, Z18
	VADDPS     Z18, Z17, Z17
	VSHUFF32X4 $0x88, Z17, Z16, Z18
	VSHUFF32X4 $0xDD, Z17, Z16, Z19
	VADDPS     Z19, Z18, Z18
	VADDPS     (R8), Z18, Z18
	VMOVUPS    Z18, (R8)
	VZEROUPPER
	RET
