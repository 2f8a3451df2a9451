//go:build goexperiment.simd

#include "textflag.h"

// WebAssembly kernels written in Go's wasm assembly: loops as wasm Loop/BrIf
// (no jump through the function's block dispatch per iteration, which is how
// Go compiles every loop for wasm), accumulators and pointers in locals.
// R registers are i64 locals, V registers v128 locals. Go 1.27.3's
// assembler drops the offset of V128Store (it is missing from its unaryDst
// table), so stores add their offset to the address first.

// func gemm4Asm(k int, a, b unsafe.Pointer, ldb int, c unsafe.Pointer, ldc int)
//
// The 4×32 tile c[i*ldc+j] = Σ_p a[p*4+i]·b[p*ldb+j] (i < 4, j < 32, 1 ≤ p < k),
// as four 4×8 quarters with 8 accumulators each; ldb and ldc in floats.
// The caller checks the operands.
TEXT ·gemm4Asm(SB), NOSPLIT, $0-48
	I64Load ldb+24(FP)
	I64Const $2
	I64Shl
	Set R3
	I64Load ldc+40(FP)
	I64Const $2
	I64Shl
	Set R4
	I64Load b+16(FP)
	Set R5
	I64Load c+32(FP)
	Set R6
	I64Const $4
	Set R7
	Loop
	I32Const $0
	I32x4Splat
	Set V0
	I32Const $0
	I32x4Splat
	Set V1
	I32Const $0
	I32x4Splat
	Set V2
	I32Const $0
	I32x4Splat
	Set V3
	I32Const $0
	I32x4Splat
	Set V4
	I32Const $0
	I32x4Splat
	Set V5
	I32Const $0
	I32x4Splat
	Set V6
	I32Const $0
	I32x4Splat
	Set V7
	I64Load a+8(FP)
	Set R0
	Get R5
	Set R1
	I64Load k+0(FP)
	Set R2
	Loop
	Get R1
	I32WrapI64
	V128Load $0
	Set V8
	Get R1
	I32WrapI64
	V128Load $16
	Set V9
	Get R0
	I32WrapI64
	F32Load $0
	F32x4Splat
	Set V10
	Get V0
	Get V8
	Get V10
	F32x4Mul
	F32x4Add
	Set V0
	Get V1
	Get V9
	Get V10
	F32x4Mul
	F32x4Add
	Set V1
	Get R0
	I32WrapI64
	F32Load $4
	F32x4Splat
	Set V10
	Get V2
	Get V8
	Get V10
	F32x4Mul
	F32x4Add
	Set V2
	Get V3
	Get V9
	Get V10
	F32x4Mul
	F32x4Add
	Set V3
	Get R0
	I32WrapI64
	F32Load $8
	F32x4Splat
	Set V10
	Get V4
	Get V8
	Get V10
	F32x4Mul
	F32x4Add
	Set V4
	Get V5
	Get V9
	Get V10
	F32x4Mul
	F32x4Add
	Set V5
	Get R0
	I32WrapI64
	F32Load $12
	F32x4Splat
	Set V10
	Get V6
	Get V8
	Get V10
	F32x4Mul
	F32x4Add
	Set V6
	Get V7
	Get V9
	Get V10
	F32x4Mul
	F32x4Add
	Set V7
	Get R0
	I64Const $16
	I64Add
	Set R0
	Get R1
	Get R3
	I64Add
	Set R1
	Get R2
	I64Const $1
	I64Sub
	Tee R2
	I64Eqz
	I32Eqz
	BrIf $0
	End
	Get R6
	Set R8
	Get R8
	I32WrapI64
	Get V0
	V128Store $0
	Get R8
	I32WrapI64
	I32Const $16
	I32Add
	Get V1
	V128Store $0
	Get R8
	Get R4
	I64Add
	Set R8
	Get R8
	I32WrapI64
	Get V2
	V128Store $0
	Get R8
	I32WrapI64
	I32Const $16
	I32Add
	Get V3
	V128Store $0
	Get R8
	Get R4
	I64Add
	Set R8
	Get R8
	I32WrapI64
	Get V4
	V128Store $0
	Get R8
	I32WrapI64
	I32Const $16
	I32Add
	Get V5
	V128Store $0
	Get R8
	Get R4
	I64Add
	Set R8
	Get R8
	I32WrapI64
	Get V6
	V128Store $0
	Get R8
	I32WrapI64
	I32Const $16
	I32Add
	Get V7
	V128Store $0
	Get R5
	I64Const $32
	I64Add
	Set R5
	Get R6
	I64Const $32
	I64Add
	Set R6
	Get R7
	I64Const $1
	I64Sub
	Tee R7
	I64Eqz
	I32Eqz
	BrIf $0
	End
	RET

// func winoGatherInAsm(p unsafe.Pointer, base *int32, pw int, gt, vt unsafe.Pointer, stride int)
//
// Gathers the 6×6 input tiles of 16 lanes, g[(l*6+m)*16+j] = p[base[j]+l*pw+m],
// then applies B^T·d·B 4 lanes at a time (the columns in place in g, then the
// rows into v), writing frequency ξ = i*6+k of lane j to v[ξ*stride+j];
// the arithmetic is winoInWasm's, in the same order. pw and stride in
// floats; the caller checks the operands.
TEXT ·winoGatherInAsm(SB), NOSPLIT, $0-48
	I64Load p+0(FP)
	Set R0
	I64Load base+8(FP)
	Set R1
	I64Load pw+16(FP)
	I64Const $2
	I64Shl
	Set R2
	I64Load gt+24(FP)
	Set R3
	I64Load vt+32(FP)
	Set R4
	I64Load stride+40(FP)
	I64Const $2
	I64Shl
	Set R5
	Get R3
	Set R8
	I64Const $16
	Set R6
	Loop
	Get R0
	Get R1
	I32WrapI64
	I64Load32S $0
	I64Const $2
	I64Shl
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $0
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $64
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $128
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $192
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $256
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $320
	Get R7
	Get R2
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $384
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $448
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $512
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $576
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $640
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $704
	Get R7
	Get R2
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $768
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $832
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $896
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $960
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $1024
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $1088
	Get R7
	Get R2
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $1152
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $1216
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $1280
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $1344
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $1408
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $1472
	Get R7
	Get R2
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $1536
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $1600
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $1664
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $1728
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $1792
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $1856
	Get R7
	Get R2
	I64Add
	Set R7
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $0
	F32Store $1920
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $4
	F32Store $1984
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $8
	F32Store $2048
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $12
	F32Store $2112
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $16
	F32Store $2176
	Get R8
	I32WrapI64
	Get R7
	I32WrapI64
	F32Load $20
	F32Store $2240
	Get R1
	I64Const $4
	I64Add
	Set R1
	Get R8
	I64Const $4
	I64Add
	Set R8
	Get R6
	I64Const $1
	I64Sub
	Tee R6
	I64Eqz
	I32Eqz
	BrIf $0
	End
	I32Const $1082130432
	I32x4Splat
	Set V12
	I32Const $1084227584
	I32x4Splat
	Set V13
	I32Const $1073741824
	I32x4Splat
	Set V14
	Get R3
	I32WrapI64
	V128Load $0
	Set V0
	Get R3
	I32WrapI64
	V128Load $384
	Set V1
	Get R3
	I32WrapI64
	V128Load $768
	Set V2
	Get R3
	I32WrapI64
	V128Load $1152
	Set V3
	Get R3
	I32WrapI64
	V128Load $1536
	Set V4
	Get R3
	I32WrapI64
	V128Load $1920
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $0
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $384
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $768
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1152
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1536
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1920
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $64
	Set V0
	Get R3
	I32WrapI64
	V128Load $448
	Set V1
	Get R3
	I32WrapI64
	V128Load $832
	Set V2
	Get R3
	I32WrapI64
	V128Load $1216
	Set V3
	Get R3
	I32WrapI64
	V128Load $1600
	Set V4
	Get R3
	I32WrapI64
	V128Load $1984
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $64
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $448
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $832
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1216
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1600
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1984
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $128
	Set V0
	Get R3
	I32WrapI64
	V128Load $512
	Set V1
	Get R3
	I32WrapI64
	V128Load $896
	Set V2
	Get R3
	I32WrapI64
	V128Load $1280
	Set V3
	Get R3
	I32WrapI64
	V128Load $1664
	Set V4
	Get R3
	I32WrapI64
	V128Load $2048
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $128
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $512
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $896
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1280
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1664
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2048
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $192
	Set V0
	Get R3
	I32WrapI64
	V128Load $576
	Set V1
	Get R3
	I32WrapI64
	V128Load $960
	Set V2
	Get R3
	I32WrapI64
	V128Load $1344
	Set V3
	Get R3
	I32WrapI64
	V128Load $1728
	Set V4
	Get R3
	I32WrapI64
	V128Load $2112
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $192
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $576
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $960
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1344
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1728
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2112
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $256
	Set V0
	Get R3
	I32WrapI64
	V128Load $640
	Set V1
	Get R3
	I32WrapI64
	V128Load $1024
	Set V2
	Get R3
	I32WrapI64
	V128Load $1408
	Set V3
	Get R3
	I32WrapI64
	V128Load $1792
	Set V4
	Get R3
	I32WrapI64
	V128Load $2176
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $256
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $640
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1024
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1408
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1792
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2176
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $320
	Set V0
	Get R3
	I32WrapI64
	V128Load $704
	Set V1
	Get R3
	I32WrapI64
	V128Load $1088
	Set V2
	Get R3
	I32WrapI64
	V128Load $1472
	Set V3
	Get R3
	I32WrapI64
	V128Load $1856
	Set V4
	Get R3
	I32WrapI64
	V128Load $2240
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $320
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $704
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1088
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1472
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1856
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2240
	I32Add
	Get V11
	V128Store $0
	Get R4
	I64Const $0
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $0
	Set V0
	Get R3
	I32WrapI64
	V128Load $64
	Set V1
	Get R3
	I32WrapI64
	V128Load $128
	Set V2
	Get R3
	I32WrapI64
	V128Load $192
	Set V3
	Get R3
	I32WrapI64
	V128Load $256
	Set V4
	Get R3
	I32WrapI64
	V128Load $320
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $384
	Set V0
	Get R3
	I32WrapI64
	V128Load $448
	Set V1
	Get R3
	I32WrapI64
	V128Load $512
	Set V2
	Get R3
	I32WrapI64
	V128Load $576
	Set V3
	Get R3
	I32WrapI64
	V128Load $640
	Set V4
	Get R3
	I32WrapI64
	V128Load $704
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $768
	Set V0
	Get R3
	I32WrapI64
	V128Load $832
	Set V1
	Get R3
	I32WrapI64
	V128Load $896
	Set V2
	Get R3
	I32WrapI64
	V128Load $960
	Set V3
	Get R3
	I32WrapI64
	V128Load $1024
	Set V4
	Get R3
	I32WrapI64
	V128Load $1088
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1152
	Set V0
	Get R3
	I32WrapI64
	V128Load $1216
	Set V1
	Get R3
	I32WrapI64
	V128Load $1280
	Set V2
	Get R3
	I32WrapI64
	V128Load $1344
	Set V3
	Get R3
	I32WrapI64
	V128Load $1408
	Set V4
	Get R3
	I32WrapI64
	V128Load $1472
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1536
	Set V0
	Get R3
	I32WrapI64
	V128Load $1600
	Set V1
	Get R3
	I32WrapI64
	V128Load $1664
	Set V2
	Get R3
	I32WrapI64
	V128Load $1728
	Set V3
	Get R3
	I32WrapI64
	V128Load $1792
	Set V4
	Get R3
	I32WrapI64
	V128Load $1856
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1920
	Set V0
	Get R3
	I32WrapI64
	V128Load $1984
	Set V1
	Get R3
	I32WrapI64
	V128Load $2048
	Set V2
	Get R3
	I32WrapI64
	V128Load $2112
	Set V3
	Get R3
	I32WrapI64
	V128Load $2176
	Set V4
	Get R3
	I32WrapI64
	V128Load $2240
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $16
	Set V0
	Get R3
	I32WrapI64
	V128Load $400
	Set V1
	Get R3
	I32WrapI64
	V128Load $784
	Set V2
	Get R3
	I32WrapI64
	V128Load $1168
	Set V3
	Get R3
	I32WrapI64
	V128Load $1552
	Set V4
	Get R3
	I32WrapI64
	V128Load $1936
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $16
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $400
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $784
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1168
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1552
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1936
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $80
	Set V0
	Get R3
	I32WrapI64
	V128Load $464
	Set V1
	Get R3
	I32WrapI64
	V128Load $848
	Set V2
	Get R3
	I32WrapI64
	V128Load $1232
	Set V3
	Get R3
	I32WrapI64
	V128Load $1616
	Set V4
	Get R3
	I32WrapI64
	V128Load $2000
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $80
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $464
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $848
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1232
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1616
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2000
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $144
	Set V0
	Get R3
	I32WrapI64
	V128Load $528
	Set V1
	Get R3
	I32WrapI64
	V128Load $912
	Set V2
	Get R3
	I32WrapI64
	V128Load $1296
	Set V3
	Get R3
	I32WrapI64
	V128Load $1680
	Set V4
	Get R3
	I32WrapI64
	V128Load $2064
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $144
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $528
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $912
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1296
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1680
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2064
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $208
	Set V0
	Get R3
	I32WrapI64
	V128Load $592
	Set V1
	Get R3
	I32WrapI64
	V128Load $976
	Set V2
	Get R3
	I32WrapI64
	V128Load $1360
	Set V3
	Get R3
	I32WrapI64
	V128Load $1744
	Set V4
	Get R3
	I32WrapI64
	V128Load $2128
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $208
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $592
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $976
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1360
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1744
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2128
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $272
	Set V0
	Get R3
	I32WrapI64
	V128Load $656
	Set V1
	Get R3
	I32WrapI64
	V128Load $1040
	Set V2
	Get R3
	I32WrapI64
	V128Load $1424
	Set V3
	Get R3
	I32WrapI64
	V128Load $1808
	Set V4
	Get R3
	I32WrapI64
	V128Load $2192
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $272
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $656
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1040
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1424
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1808
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2192
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $336
	Set V0
	Get R3
	I32WrapI64
	V128Load $720
	Set V1
	Get R3
	I32WrapI64
	V128Load $1104
	Set V2
	Get R3
	I32WrapI64
	V128Load $1488
	Set V3
	Get R3
	I32WrapI64
	V128Load $1872
	Set V4
	Get R3
	I32WrapI64
	V128Load $2256
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $336
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $720
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1104
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1488
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1872
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2256
	I32Add
	Get V11
	V128Store $0
	Get R4
	I64Const $16
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $16
	Set V0
	Get R3
	I32WrapI64
	V128Load $80
	Set V1
	Get R3
	I32WrapI64
	V128Load $144
	Set V2
	Get R3
	I32WrapI64
	V128Load $208
	Set V3
	Get R3
	I32WrapI64
	V128Load $272
	Set V4
	Get R3
	I32WrapI64
	V128Load $336
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $400
	Set V0
	Get R3
	I32WrapI64
	V128Load $464
	Set V1
	Get R3
	I32WrapI64
	V128Load $528
	Set V2
	Get R3
	I32WrapI64
	V128Load $592
	Set V3
	Get R3
	I32WrapI64
	V128Load $656
	Set V4
	Get R3
	I32WrapI64
	V128Load $720
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $784
	Set V0
	Get R3
	I32WrapI64
	V128Load $848
	Set V1
	Get R3
	I32WrapI64
	V128Load $912
	Set V2
	Get R3
	I32WrapI64
	V128Load $976
	Set V3
	Get R3
	I32WrapI64
	V128Load $1040
	Set V4
	Get R3
	I32WrapI64
	V128Load $1104
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1168
	Set V0
	Get R3
	I32WrapI64
	V128Load $1232
	Set V1
	Get R3
	I32WrapI64
	V128Load $1296
	Set V2
	Get R3
	I32WrapI64
	V128Load $1360
	Set V3
	Get R3
	I32WrapI64
	V128Load $1424
	Set V4
	Get R3
	I32WrapI64
	V128Load $1488
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1552
	Set V0
	Get R3
	I32WrapI64
	V128Load $1616
	Set V1
	Get R3
	I32WrapI64
	V128Load $1680
	Set V2
	Get R3
	I32WrapI64
	V128Load $1744
	Set V3
	Get R3
	I32WrapI64
	V128Load $1808
	Set V4
	Get R3
	I32WrapI64
	V128Load $1872
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1936
	Set V0
	Get R3
	I32WrapI64
	V128Load $2000
	Set V1
	Get R3
	I32WrapI64
	V128Load $2064
	Set V2
	Get R3
	I32WrapI64
	V128Load $2128
	Set V3
	Get R3
	I32WrapI64
	V128Load $2192
	Set V4
	Get R3
	I32WrapI64
	V128Load $2256
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $32
	Set V0
	Get R3
	I32WrapI64
	V128Load $416
	Set V1
	Get R3
	I32WrapI64
	V128Load $800
	Set V2
	Get R3
	I32WrapI64
	V128Load $1184
	Set V3
	Get R3
	I32WrapI64
	V128Load $1568
	Set V4
	Get R3
	I32WrapI64
	V128Load $1952
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $32
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $416
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $800
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1184
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1568
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1952
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $96
	Set V0
	Get R3
	I32WrapI64
	V128Load $480
	Set V1
	Get R3
	I32WrapI64
	V128Load $864
	Set V2
	Get R3
	I32WrapI64
	V128Load $1248
	Set V3
	Get R3
	I32WrapI64
	V128Load $1632
	Set V4
	Get R3
	I32WrapI64
	V128Load $2016
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $96
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $480
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $864
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1248
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1632
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2016
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $160
	Set V0
	Get R3
	I32WrapI64
	V128Load $544
	Set V1
	Get R3
	I32WrapI64
	V128Load $928
	Set V2
	Get R3
	I32WrapI64
	V128Load $1312
	Set V3
	Get R3
	I32WrapI64
	V128Load $1696
	Set V4
	Get R3
	I32WrapI64
	V128Load $2080
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $160
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $544
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $928
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1312
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1696
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2080
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $224
	Set V0
	Get R3
	I32WrapI64
	V128Load $608
	Set V1
	Get R3
	I32WrapI64
	V128Load $992
	Set V2
	Get R3
	I32WrapI64
	V128Load $1376
	Set V3
	Get R3
	I32WrapI64
	V128Load $1760
	Set V4
	Get R3
	I32WrapI64
	V128Load $2144
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $224
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $608
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $992
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1376
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1760
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2144
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $288
	Set V0
	Get R3
	I32WrapI64
	V128Load $672
	Set V1
	Get R3
	I32WrapI64
	V128Load $1056
	Set V2
	Get R3
	I32WrapI64
	V128Load $1440
	Set V3
	Get R3
	I32WrapI64
	V128Load $1824
	Set V4
	Get R3
	I32WrapI64
	V128Load $2208
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $288
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $672
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1056
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1440
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1824
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2208
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $352
	Set V0
	Get R3
	I32WrapI64
	V128Load $736
	Set V1
	Get R3
	I32WrapI64
	V128Load $1120
	Set V2
	Get R3
	I32WrapI64
	V128Load $1504
	Set V3
	Get R3
	I32WrapI64
	V128Load $1888
	Set V4
	Get R3
	I32WrapI64
	V128Load $2272
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $352
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $736
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1120
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1504
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1888
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2272
	I32Add
	Get V11
	V128Store $0
	Get R4
	I64Const $32
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $32
	Set V0
	Get R3
	I32WrapI64
	V128Load $96
	Set V1
	Get R3
	I32WrapI64
	V128Load $160
	Set V2
	Get R3
	I32WrapI64
	V128Load $224
	Set V3
	Get R3
	I32WrapI64
	V128Load $288
	Set V4
	Get R3
	I32WrapI64
	V128Load $352
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $416
	Set V0
	Get R3
	I32WrapI64
	V128Load $480
	Set V1
	Get R3
	I32WrapI64
	V128Load $544
	Set V2
	Get R3
	I32WrapI64
	V128Load $608
	Set V3
	Get R3
	I32WrapI64
	V128Load $672
	Set V4
	Get R3
	I32WrapI64
	V128Load $736
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $800
	Set V0
	Get R3
	I32WrapI64
	V128Load $864
	Set V1
	Get R3
	I32WrapI64
	V128Load $928
	Set V2
	Get R3
	I32WrapI64
	V128Load $992
	Set V3
	Get R3
	I32WrapI64
	V128Load $1056
	Set V4
	Get R3
	I32WrapI64
	V128Load $1120
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1184
	Set V0
	Get R3
	I32WrapI64
	V128Load $1248
	Set V1
	Get R3
	I32WrapI64
	V128Load $1312
	Set V2
	Get R3
	I32WrapI64
	V128Load $1376
	Set V3
	Get R3
	I32WrapI64
	V128Load $1440
	Set V4
	Get R3
	I32WrapI64
	V128Load $1504
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1568
	Set V0
	Get R3
	I32WrapI64
	V128Load $1632
	Set V1
	Get R3
	I32WrapI64
	V128Load $1696
	Set V2
	Get R3
	I32WrapI64
	V128Load $1760
	Set V3
	Get R3
	I32WrapI64
	V128Load $1824
	Set V4
	Get R3
	I32WrapI64
	V128Load $1888
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1952
	Set V0
	Get R3
	I32WrapI64
	V128Load $2016
	Set V1
	Get R3
	I32WrapI64
	V128Load $2080
	Set V2
	Get R3
	I32WrapI64
	V128Load $2144
	Set V3
	Get R3
	I32WrapI64
	V128Load $2208
	Set V4
	Get R3
	I32WrapI64
	V128Load $2272
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $48
	Set V0
	Get R3
	I32WrapI64
	V128Load $432
	Set V1
	Get R3
	I32WrapI64
	V128Load $816
	Set V2
	Get R3
	I32WrapI64
	V128Load $1200
	Set V3
	Get R3
	I32WrapI64
	V128Load $1584
	Set V4
	Get R3
	I32WrapI64
	V128Load $1968
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $48
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $432
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $816
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1200
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1584
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1968
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $112
	Set V0
	Get R3
	I32WrapI64
	V128Load $496
	Set V1
	Get R3
	I32WrapI64
	V128Load $880
	Set V2
	Get R3
	I32WrapI64
	V128Load $1264
	Set V3
	Get R3
	I32WrapI64
	V128Load $1648
	Set V4
	Get R3
	I32WrapI64
	V128Load $2032
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $112
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $496
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $880
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1264
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1648
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2032
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $176
	Set V0
	Get R3
	I32WrapI64
	V128Load $560
	Set V1
	Get R3
	I32WrapI64
	V128Load $944
	Set V2
	Get R3
	I32WrapI64
	V128Load $1328
	Set V3
	Get R3
	I32WrapI64
	V128Load $1712
	Set V4
	Get R3
	I32WrapI64
	V128Load $2096
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $176
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $560
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $944
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1328
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1712
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2096
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $240
	Set V0
	Get R3
	I32WrapI64
	V128Load $624
	Set V1
	Get R3
	I32WrapI64
	V128Load $1008
	Set V2
	Get R3
	I32WrapI64
	V128Load $1392
	Set V3
	Get R3
	I32WrapI64
	V128Load $1776
	Set V4
	Get R3
	I32WrapI64
	V128Load $2160
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $240
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $624
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1008
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1392
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1776
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2160
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $304
	Set V0
	Get R3
	I32WrapI64
	V128Load $688
	Set V1
	Get R3
	I32WrapI64
	V128Load $1072
	Set V2
	Get R3
	I32WrapI64
	V128Load $1456
	Set V3
	Get R3
	I32WrapI64
	V128Load $1840
	Set V4
	Get R3
	I32WrapI64
	V128Load $2224
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $304
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $688
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1072
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1456
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1840
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2224
	I32Add
	Get V11
	V128Store $0
	Get R3
	I32WrapI64
	V128Load $368
	Set V0
	Get R3
	I32WrapI64
	V128Load $752
	Set V1
	Get R3
	I32WrapI64
	V128Load $1136
	Set V2
	Get R3
	I32WrapI64
	V128Load $1520
	Set V3
	Get R3
	I32WrapI64
	V128Load $1904
	Set V4
	Get R3
	I32WrapI64
	V128Load $2288
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R3
	I32WrapI64
	I32Const $368
	I32Add
	Get V6
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $752
	I32Add
	Get V7
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1136
	I32Add
	Get V8
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1520
	I32Add
	Get V9
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $1904
	I32Add
	Get V10
	V128Store $0
	Get R3
	I32WrapI64
	I32Const $2288
	I32Add
	Get V11
	V128Store $0
	Get R4
	I64Const $48
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $48
	Set V0
	Get R3
	I32WrapI64
	V128Load $112
	Set V1
	Get R3
	I32WrapI64
	V128Load $176
	Set V2
	Get R3
	I32WrapI64
	V128Load $240
	Set V3
	Get R3
	I32WrapI64
	V128Load $304
	Set V4
	Get R3
	I32WrapI64
	V128Load $368
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $432
	Set V0
	Get R3
	I32WrapI64
	V128Load $496
	Set V1
	Get R3
	I32WrapI64
	V128Load $560
	Set V2
	Get R3
	I32WrapI64
	V128Load $624
	Set V3
	Get R3
	I32WrapI64
	V128Load $688
	Set V4
	Get R3
	I32WrapI64
	V128Load $752
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $816
	Set V0
	Get R3
	I32WrapI64
	V128Load $880
	Set V1
	Get R3
	I32WrapI64
	V128Load $944
	Set V2
	Get R3
	I32WrapI64
	V128Load $1008
	Set V3
	Get R3
	I32WrapI64
	V128Load $1072
	Set V4
	Get R3
	I32WrapI64
	V128Load $1136
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1200
	Set V0
	Get R3
	I32WrapI64
	V128Load $1264
	Set V1
	Get R3
	I32WrapI64
	V128Load $1328
	Set V2
	Get R3
	I32WrapI64
	V128Load $1392
	Set V3
	Get R3
	I32WrapI64
	V128Load $1456
	Set V4
	Get R3
	I32WrapI64
	V128Load $1520
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1584
	Set V0
	Get R3
	I32WrapI64
	V128Load $1648
	Set V1
	Get R3
	I32WrapI64
	V128Load $1712
	Set V2
	Get R3
	I32WrapI64
	V128Load $1776
	Set V3
	Get R3
	I32WrapI64
	V128Load $1840
	Set V4
	Get R3
	I32WrapI64
	V128Load $1904
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R3
	I32WrapI64
	V128Load $1968
	Set V0
	Get R3
	I32WrapI64
	V128Load $2032
	Set V1
	Get R3
	I32WrapI64
	V128Load $2096
	Set V2
	Get R3
	I32WrapI64
	V128Load $2160
	Set V3
	Get R3
	I32WrapI64
	V128Load $2224
	Set V4
	Get R3
	I32WrapI64
	V128Load $2288
	Set V5
	Get V0
	Get V12
	F32x4Mul
	Get V4
	F32x4Add
	Get V2
	Get V13
	F32x4Mul
	F32x4Sub
	Set V6
	Get V3
	Get V4
	F32x4Add
	Get V1
	Get V2
	F32x4Add
	Get V12
	F32x4Mul
	F32x4Sub
	Set V7
	Get V4
	Get V3
	F32x4Sub
	Get V1
	Get V2
	F32x4Sub
	Get V12
	F32x4Mul
	F32x4Add
	Set V8
	Get V3
	Get V1
	F32x4Sub
	Get V14
	F32x4Mul
	Set V15
	Get V4
	Get V2
	F32x4Sub
	Set V2
	Get V2
	Get V15
	F32x4Add
	Set V9
	Get V2
	Get V15
	F32x4Sub
	Set V10
	Get V1
	Get V12
	F32x4Mul
	Get V5
	F32x4Add
	Get V3
	Get V13
	F32x4Mul
	F32x4Sub
	Set V11
	Get R9
	I32WrapI64
	Get V6
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V7
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V8
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V9
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V10
	V128Store $0
	Get R9
	Get R5
	I64Add
	Set R9
	Get R9
	I32WrapI64
	Get V11
	V128Store $0
	RET
