//go:build goexperiment.simd && wasm

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// 128-bit WebAssembly SIMD kernels (Float32x4; MulAdd is a multiply and an
// add, wasm has no fused multiply-add). The hot loops check their operands'
// bounds once and then read and write through raw pointers: in wasm every
// slice index is a compare and a branch, which cost the GEMM and the
// Winograd gathers and scatters more than their arithmetic. Wasm SIMD has
// no shuffles in simd/archsimd, so the gathers and scatters (tiles in
// lanes) stay scalar.

//go:generate go run kern_wasm_gen.go

func init() {
	simdSets = append(simdSets, &wasmKernels)
}

var wasmKernels = kernelSet{
	name:         "wasm128",
	gemm4:        gemm4Wasm,
	gemm8:        gemm8Wasm,
	gemm1:        gemm1Wasm,
	gemmAcc:      gemmAccWasm,
	winoGatherY:  winoGatherYPortable,
	winoYIn:      winoYInPortable,
	dot4:         dot4Portable,
	winoIn:       winoInPortable,
	winoOut:      winoOutWasm,
	winoOutStore: winoOutStoreWasm,
	affine:       affineWasm,
	affineRows:   affineRowsWasm,
	winoGather:   winoGatherPortable,
	winoGatherIn: winoGatherInWasm,
	dconv:        dconvWasm,
	dconv3:       dconv3Wasm,
	copyRows:     copyRowsWasm,
	winoScatter:  winoScatterWasm,
	decimate2:    decimate2Wasm,
}

// ld4 loads 4 floats at byte offset off of p.
func ld4(p unsafe.Pointer, off uintptr) archsimd.Float32x4 {
	return archsimd.LoadFloat32x4Array((*[4]float32)(unsafe.Add(p, off)))
}

// st4 stores x at byte offset off of p.
func st4(x archsimd.Float32x4, p unsafe.Pointer, off uintptr) {
	x.StoreArray((*[4]float32)(unsafe.Add(p, off)))
}

// gemm4Wasm computes the 4×32 tile in assembly (gemm4Asm, kern_wasm.s).
func gemm4Wasm(k int, a, b []float32, ldb int, c []float32, ldc int) {
	if len(c) < 3*ldc+32 {
		panic("kernels: gemm4 operands too short")
	}
	if k <= 0 {
		for i := range 4 {
			clear(c[i*ldc : i*ldc+32])
		}
		return
	}
	if len(a) < 4*k || len(b) < (k-1)*ldb+32 || ldb < 0 || ldc < 0 {
		panic("kernels: gemm4 operands too short")
	}
	gemm4Asm(k, unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(b)), ldb, unsafe.Pointer(unsafe.SliceData(c)), ldc)
}

// gemm8Wasm computes the 8×32 tile of two packed 4-row blocks in one
// assembly call (gemm8Asm, kern_wasm.s; see gemm8).
func gemm8Wasm(k int, a0, a1, b []float32, ldb int, c []float32, ldc int) {
	if k <= 0 || ldb < 0 || ldc < 0 || len(a0) < 4*k || len(a1) < 4*k || len(b) < (k-1)*ldb+32 || len(c) < 7*ldc+32 {
		panic("kernels: gemm8 operands too short")
	}
	gemm8Asm(k, unsafe.Pointer(unsafe.SliceData(a0)), unsafe.Pointer(unsafe.SliceData(a1)), unsafe.Pointer(unsafe.SliceData(b)), ldb, unsafe.Pointer(unsafe.SliceData(c)), ldc)
}

// gemm8Asm is gemm8 on unchecked operands (k ≥ 1; kern_wasm.s).
//
//go:noescape
func gemm8Asm(k int, a0, a1, b unsafe.Pointer, ldb int, c unsafe.Pointer, ldc int)

// gemm4Asm is gemm4 on unchecked operands (k ≥ 1; kern_wasm.s).
//
//go:noescape
func gemm4Asm(k int, a, b unsafe.Pointer, ldb int, c unsafe.Pointer, ldc int)

// winoGatherInWasm gathers the 6×6 input tiles of 16 lanes and applies the
// input transform in assembly (winoGatherInAsm, kern_wasm.s); the gather is
// scalar for every kind of block.
func winoGatherInWasm(p []float32, base []int32, pw, kind int, g, v []float32, stride int) {
	base = base[:lanes]
	g = g[:36*lanes]
	maxB := int32(0)
	for _, b := range base {
		if b < 0 {
			panic("kernels: winoGather: negative tile offset")
		}
		maxB = max(maxB, b)
	}
	if pw < 6 || len(p) < int(maxB)+5*pw+6 {
		panic("kernels: winoGather: plane too short")
	}
	if stride < lanes || len(v) < 35*stride+lanes {
		panic("kernels: winoIn: v too short")
	}
	winoGatherInAsm(unsafe.Pointer(unsafe.SliceData(p)), unsafe.SliceData(base), pw,
		unsafe.Pointer(unsafe.SliceData(g)), unsafe.Pointer(unsafe.SliceData(v)), stride)
}

// winoGatherInAsm is winoGatherIn on unchecked operands (kern_wasm.s).
//
//go:noescape
func winoGatherInAsm(p unsafe.Pointer, base *int32, pw int, gt, vt unsafe.Pointer, stride int)

// winoScatterWasm is winoScatterPortable with the epilogue's affine map in
// SIMD and the stores through raw pointers.
func winoScatterWasm(y, y2 []float32, a *scatterArgs) {
	affineWasm(y2[:16*lanes], y[:16*lanes], nil, a.s, a.b, a.relu && a.res == nil)
	nl := min(a.nl, lanes)
	ob, valid := a.ob[:nl], a.valid[:nl]
	end := 0
	for j := range nl {
		if ob[j] < 0 {
			panic("kernels: winoScatter: negative tile offset")
		}
		end = max(end, int(ob[j])+(int(valid[j])>>3-1)*a.wo+int(valid[j])&7)
	}
	if len(a.dst) < end || (a.res != nil && len(a.res) < end) {
		panic("kernels: winoScatter: destination too short")
	}
	dp, yp := unsafe.Pointer(unsafe.SliceData(a.dst)), unsafe.Pointer(unsafe.SliceData(y2))
	rp := unsafe.Pointer(unsafe.SliceData(a.res))
	at := func(p unsafe.Pointer, off uintptr) *float32 { return (*float32)(unsafe.Add(p, off)) }
	for j := range nl {
		va, vb := int(valid[j])>>3, int(valid[j])&7
		for r := 0; r < va; r++ {
			o := uintptr(4 * (int(ob[j]) + r*a.wo))
			yr := unsafe.Add(yp, 4*(r*4*lanes+j))
			switch {
			case a.res == nil:
				for c := 0; c < vb; c++ {
					*at(dp, o+uintptr(4*c)) = *at(yr, uintptr(4*c*lanes))
				}
			case a.relu:
				for c := 0; c < vb; c++ {
					v := *at(yr, uintptr(4*c*lanes)) + *at(rp, o+uintptr(4*c))
					if v < 0 {
						v = 0
					}
					*at(dp, o+uintptr(4*c)) = v
				}
			default:
				for c := 0; c < vb; c++ {
					*at(dp, o+uintptr(4*c)) = *at(yr, uintptr(4*c*lanes)) + *at(rp, o+uintptr(4*c))
				}
			}
		}
	}
}

func gemm1Wasm(k int, a, b []float32, ldb int, c []float32) {
	a = a[:k]
	for h := 0; h < 32; h += 16 {
		var c0, c1, c2, c3 archsimd.Float32x4
		for p, av := range a {
			br := b[p*ldb+h : p*ldb+h+16]
			a0 := archsimd.BroadcastFloat32x4(av)
			c0 = a0.Mul(archsimd.LoadFloat32x4(br[0:4])).Add(c0)
			c1 = a0.Mul(archsimd.LoadFloat32x4(br[4:8])).Add(c1)
			c2 = a0.Mul(archsimd.LoadFloat32x4(br[8:12])).Add(c2)
			c3 = a0.Mul(archsimd.LoadFloat32x4(br[12:16])).Add(c3)
		}
		c0.Store(c[h : h+4])
		c1.Store(c[h+4 : h+8])
		c2.Store(c[h+8 : h+12])
		c3.Store(c[h+12 : h+16])
	}
}

// winoOutWasm applies A^T·M·A to 16 tiles, 4 lanes at a time (see winoOut).
func winoOutWasm(z []float32, stride int, y []float32) {
	if len(z) < 35*stride+16 || len(y) < 40*16 {
		panic("kernels: winoOut operands too short")
	}
	zp, yp := unsafe.Pointer(unsafe.SliceData(z)), unsafe.Pointer(unsafe.SliceData(y))
	tp := unsafe.Add(yp, 4*16*16) // A^T·M, [a][m][lane]
	c2, c4, c8 := archsimd.BroadcastFloat32x4(2), archsimd.BroadcastFloat32x4(4), archsimd.BroadcastFloat32x4(8)
	out1D := func(m0, m1, m2, m3, m4, m5 archsimd.Float32x4) (o0, o1, o2, o3 archsimd.Float32x4) {
		s12, d12 := m1.Add(m2), m1.Sub(m2)
		s34, d34 := m3.Add(m4), m3.Sub(m4)
		o0 = m0.Add(s12).Add(s34)
		o1 = d12.Add(d34.Mul(c2))
		o2 = s12.Add(s34.Mul(c4))
		o3 = d12.Add(m5).Add(d34.Mul(c8))
		return
	}
	const e = 4 * 16
	zs := uintptr(4 * stride)
	for h := uintptr(0); h < 4*16; h += 16 {
		for m := uintptr(0); m < 6; m++ {
			q := unsafe.Add(zp, m*zs+h) // frequency (0, m)
			o0, o1, o2, o3 := out1D(ld4(q, 0), ld4(q, 6*zs), ld4(q, 12*zs), ld4(q, 18*zs), ld4(q, 24*zs), ld4(q, 30*zs))
			t := unsafe.Add(tp, m*e+h)
			st4(o0, t, 0)
			st4(o1, t, 6*e)
			st4(o2, t, 12*e)
			st4(o3, t, 18*e)
		}
		for a := uintptr(0); a < 4; a++ {
			t := unsafe.Add(tp, a*6*e+h)
			o0, o1, o2, o3 := out1D(ld4(t, 0), ld4(t, e), ld4(t, 2*e), ld4(t, 3*e), ld4(t, 4*e), ld4(t, 5*e))
			o := unsafe.Add(yp, a*4*e+h)
			st4(o0, o, 0)
			st4(o1, o, e)
			st4(o2, o, 2*e)
			st4(o3, o, 3*e)
		}
	}
}

func affineWasm(out, z, res []float32, s, b float32, relu bool) {
	affineRowsWasm(out, len(out), z, len(out), res, 1, len(out), s, b, relu)
}

// affineRowsWasm is affineRows (rows×w values, out and res with row pitch
// op, z with row pitch zp) in assembly (affineRowsAsm, kern_wasm.s) for the
// multiples of 4 of each row, the rest with affinePortable.
func affineRowsWasm(out []float32, op int, z []float32, zp int, res []float32, rows, w int, s, b float32, relu bool) {
	if rows <= 0 || w <= 0 {
		return
	}
	if op < 0 || zp < 0 || len(out) < (rows-1)*op+w || len(z) < (rows-1)*zp+w || (res != nil && len(res) < (rows-1)*op+w) {
		panic("kernels: affine operands too short")
	}
	mode := 0
	if relu {
		mode = 1
	}
	if res != nil {
		mode += 2
	}
	if n4 := w / 4; n4 > 0 {
		affineRowsAsm(unsafe.Pointer(unsafe.SliceData(out)), op, unsafe.Pointer(unsafe.SliceData(z)), zp,
			unsafe.Pointer(unsafe.SliceData(res)), rows, n4, s, b, mode)
	}
	if j := w &^ 3; j < w {
		for r := range rows {
			var rt []float32
			if res != nil {
				rt = res[r*op+j : r*op+w]
			}
			affinePortable(out[r*op+j:r*op+w], z[r*zp+j:r*zp+w], rt, s, b, relu)
		}
	}
}

// affineRowsAsm is affineRows over rows × 4·n4 values on unchecked operands
// (kern_wasm.s); mode is 1 for the ReLU plus 2 for the residual.
//
//go:noescape
func affineRowsAsm(out unsafe.Pointer, op int, z unsafe.Pointer, zp int, res unsafe.Pointer, rows, n4 int, s, b float32, mode int)

// copyRowsWasm is copyRows in assembly (copyRowsAsm, kern_wasm.s: a
// runtime.memmove call per row costs more than the copy of a 32-float row)
// when w is a multiple of 4, else copyRowsPortable.
func copyRowsWasm(dst []float32, dp int, src []float32, rows, w int) {
	if rows <= 0 || w <= 0 {
		return
	}
	if dp < 0 || len(dst) < (rows-1)*dp+w || len(src) < rows*w {
		panic("kernels: copyRows operands too short")
	}
	if w&3 != 0 {
		copyRowsPortable(dst, dp, src, rows, w)
		return
	}
	copyRowsAsm(unsafe.Pointer(unsafe.SliceData(dst)), dp, unsafe.Pointer(unsafe.SliceData(src)), rows, w/4)
}

// copyRowsAsm is copyRows of rows × 4·n4 floats on unchecked operands
// (kern_wasm.s).
//
//go:noescape
func copyRowsAsm(dst unsafe.Pointer, dp int, src unsafe.Pointer, rows, n4 int)

// decimate2Wasm is decimate2 in assembly (decimate2Asm, kern_wasm.s: 4
// outputs from two vector loads and two swizzles) for the multiples of 4
// of each row, the rest (and a last row without the float of slack the
// vector loads read) in Go.
func decimate2Wasm(dst []float32, dp int, src []float32, sp, rows, n int) {
	if rows <= 0 || n <= 0 {
		return
	}
	if dp < 0 || sp < 0 || len(dst) < (rows-1)*dp+n || len(src) < (rows-1)*sp+2*n-1 {
		panic("kernels: decimate2 operands too short")
	}
	n4 := n / 4
	vr := rows // rows the vector loads may run on
	if len(src) < (rows-1)*sp+8*n4 {
		vr--
	}
	if n4 > 0 && vr > 0 {
		decimate2Asm(unsafe.Pointer(unsafe.SliceData(dst)), dp, unsafe.Pointer(unsafe.SliceData(src)), sp, vr, n4)
	}
	for r := range rows {
		i := 4 * n4
		if r >= vr {
			i = 0
		}
		for ; i < n; i++ {
			dst[r*dp+i] = src[r*sp+2*i]
		}
	}
}

// decimate2Asm is decimate2 of rows × 4·n4 outputs on unchecked operands
// (kern_wasm.s); it reads src[r*sp+8*n4-1] too.
//
//go:noescape
func decimate2Asm(dst unsafe.Pointer, dp int, src unsafe.Pointer, sp, rows, n4 int)

// dconvWasm and dconv3Wasm are the direct path's micro-kernels (see dconv
// and dconv3) in assembly (dconvAsm, dconv3Asm: kern_wasm.s); dconv3Wasm
// leaves row 3 of c alone.
func dconvWasm(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	if dconvCheck(4, cin, a, p, ps, toff, c, ldc) {
		dconvAsm(cin, unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(p)), ps, unsafe.SliceData(toff), len(toff), unsafe.Pointer(unsafe.SliceData(c)), ldc)
	}
}

func dconv3Wasm(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	if dconvCheck(3, cin, a, p, ps, toff, c, ldc) {
		dconv3Asm(cin, unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(p)), ps, unsafe.SliceData(toff), len(toff), unsafe.Pointer(unsafe.SliceData(c)), ldc)
	}
}

// dconvAsm is dconv on unchecked operands (kern_wasm.s).
//
//go:noescape
func dconvAsm(cin int, a, p unsafe.Pointer, ps int, toff *int32, ntaps int, c unsafe.Pointer, ldc int)

// dconv3Asm is dconv3 on unchecked operands (kern_wasm.s).
//
//go:noescape
func dconv3Asm(cin int, a, p unsafe.Pointer, ps int, toff *int32, ntaps int, c unsafe.Pointer, ldc int)

// winoOutStoreWasm is winoOut followed by the epilogue and the stores of
// every output channel co of cos (scale[co], bias[co], channel stride hwo),
// for blocks whose 16 tiles are all full (kinds blockContig and blockPairs),
// in assembly (winoOutStoreAsm, kern_wasm.s): the output transform leaves,
// per tile row, four vectors of four tiles, which are transposed into tile
// rows (lane extracts) once; each channel then stores every tile row with
// one vector multiply-add, residual add and ReLU. t is 40·16 floats of
// scratch.
func winoOutStoreWasm(z []float32, stride int, t []float32, a *scatterArgs, cos []int32, scale, bias []float32, hwo int) {
	if len(cos) == 0 {
		return
	}
	ob := a.ob[:lanes]
	maxCo, minCo := cos[0], cos[0]
	for _, co := range cos {
		maxCo, minCo = max(maxCo, co), min(minCo, co)
	}
	maxOb, minOb := ob[0], ob[0]
	for _, o := range ob {
		maxOb, minOb = max(maxOb, o), min(minOb, o)
	}
	hi := int(maxOb) + int(maxCo)*hwo + 3*a.wo + 4
	if a.kind == blockScalar || minCo < 0 || minOb < 0 || len(t) < 40*lanes || len(z) < 35*stride+lanes ||
		hi > len(a.dst) || (a.res != nil && hi > len(a.res)) || int(maxCo) >= len(scale) || int(maxCo) >= len(bias) {
		panic("kernels: winoOutStore: bad operands")
	}
	mode := 0
	if a.relu {
		mode = 1
	}
	if a.res != nil {
		mode += 2
	}
	winoOutStoreAsm(unsafe.Pointer(unsafe.SliceData(z)), stride, unsafe.Pointer(unsafe.SliceData(t)),
		unsafe.Pointer(unsafe.SliceData(a.dst)), unsafe.Pointer(unsafe.SliceData(a.res)), unsafe.SliceData(ob), a.wo,
		unsafe.SliceData(cos), len(cos), unsafe.SliceData(scale), unsafe.SliceData(bias), hwo, mode)
}

// winoOutStoreAsm is winoOutStore on unchecked operands (kern_wasm.s); mode
// is 1 for the ReLU plus 2 for the residual.
//
//go:noescape
func winoOutStoreAsm(z unsafe.Pointer, zstride int, t, dst, res unsafe.Pointer, ob *int32, wo int, cos *int32, ncos int, scale, bias *float32, hwo, mode int)

// gemmAccWasm adds the 4×32 tile as four 4×8 quarters (two from each B block).
func gemmAccWasm(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for h := 0; h < 32; h += 8 {
		b, hb := b0, h
		if h >= 16 {
			b, hb = b1, h-16
		}
		var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x4
		for p := 0; p < k; p++ {
			br := b[p*ldb+hb : p*ldb+hb+8]
			bv0 := archsimd.LoadFloat32x4(br[0:4])
			bv1 := archsimd.LoadFloat32x4(br[4:8])
			ap := a[4*p : 4*p+4]
			a0 := archsimd.BroadcastFloat32x4(ap[0])
			c00 = a0.Mul(bv0).Add(c00)
			c01 = a0.Mul(bv1).Add(c01)
			a1 := archsimd.BroadcastFloat32x4(ap[1])
			c10 = a1.Mul(bv0).Add(c10)
			c11 = a1.Mul(bv1).Add(c11)
			a2 := archsimd.BroadcastFloat32x4(ap[2])
			c20 = a2.Mul(bv0).Add(c20)
			c21 = a2.Mul(bv1).Add(c21)
			a3 := archsimd.BroadcastFloat32x4(ap[3])
			c30 = a3.Mul(bv0).Add(c30)
			c31 = a3.Mul(bv1).Add(c31)
		}
		acc := func(v archsimd.Float32x4, d []float32) { archsimd.LoadFloat32x4(d).Add(v).Store(d) }
		acc(c00, c[h:h+4])
		acc(c01, c[h+4:h+8])
		acc(c10, c[ldc+h:ldc+h+4])
		acc(c11, c[ldc+h+4:ldc+h+8])
		acc(c20, c[2*ldc+h:2*ldc+h+4])
		acc(c21, c[2*ldc+h+4:2*ldc+h+8])
		acc(c30, c[3*ldc+h:3*ldc+h+4])
		acc(c31, c[3*ldc+h+4:3*ldc+h+8])
	}
}
