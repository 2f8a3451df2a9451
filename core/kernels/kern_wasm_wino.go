//go:build goexperiment.simd && wasm

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// Winograd output side of the wasm kernels. Go compiles every jump between
// basic blocks of a wasm function to a write of the next block's number and a
// branch back to the function's dispatch loop (a br_table), so a loop costs a
// dispatch per iteration and every data-dependent branch (a scalar ReLU) one
// more: these kernels are straight-line code over whole tile rows, with the
// epilogue's variants hoisted out of the loops.

// winoOutStoreWasm is winoOutWasm followed by the epilogue and the stores of
// every output channel co of cos (scale[co], bias[co], channel stride hwo),
// for blocks whose 16 tiles are all full (kinds blockContig and blockPairs):
// the second 1-D transform leaves, per tile row, four vectors of four tiles,
// which are transposed into tile rows (lane extracts, no shuffles in
// archsimd's wasm API) once; each channel then stores every tile row with
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
	zp, tp := unsafe.Pointer(unsafe.SliceData(z)), unsafe.Pointer(unsafe.SliceData(t))
	rowp := unsafe.Add(tp, 4*24*lanes) // tile rows, [tile][row][4]
	winoOutRowsWasm(zp, uintptr(4*stride), tp, rowp)

	dp, rp := unsafe.Pointer(unsafe.SliceData(a.dst)), unsafe.Pointer(unsafe.SliceData(a.res))
	obp := unsafe.Pointer(unsafe.SliceData(ob))
	wo := uintptr(4 * a.wo)
	var zero archsimd.Float32x4
	for _, co := range cos {
		vs, vb := archsimd.BroadcastFloat32x4(scale[co]), archsimd.BroadcastFloat32x4(bias[co])
		cb := uintptr(4 * int(co) * hwo)
		switch {
		case a.res != nil && a.relu:
			for j := uintptr(0); j < lanes; j++ {
				o := cb + uintptr(4**(*int32)(unsafe.Add(obp, 4*j)))
				y := unsafe.Add(rowp, 64*j)
				d, r := unsafe.Add(dp, o), unsafe.Add(rp, o)
				st4(ld4(y, 0).Mul(vs).Add(vb).Add(ld4(r, 0)).Max(zero), d, 0)
				st4(ld4(y, 16).Mul(vs).Add(vb).Add(ld4(r, wo)).Max(zero), d, wo)
				st4(ld4(y, 32).Mul(vs).Add(vb).Add(ld4(r, 2*wo)).Max(zero), d, 2*wo)
				st4(ld4(y, 48).Mul(vs).Add(vb).Add(ld4(r, 3*wo)).Max(zero), d, 3*wo)
			}
		case a.res != nil:
			for j := uintptr(0); j < lanes; j++ {
				o := cb + uintptr(4**(*int32)(unsafe.Add(obp, 4*j)))
				y := unsafe.Add(rowp, 64*j)
				d, r := unsafe.Add(dp, o), unsafe.Add(rp, o)
				st4(ld4(y, 0).Mul(vs).Add(vb).Add(ld4(r, 0)), d, 0)
				st4(ld4(y, 16).Mul(vs).Add(vb).Add(ld4(r, wo)), d, wo)
				st4(ld4(y, 32).Mul(vs).Add(vb).Add(ld4(r, 2*wo)), d, 2*wo)
				st4(ld4(y, 48).Mul(vs).Add(vb).Add(ld4(r, 3*wo)), d, 3*wo)
			}
		case a.relu:
			for j := uintptr(0); j < lanes; j++ {
				o := cb + uintptr(4**(*int32)(unsafe.Add(obp, 4*j)))
				y := unsafe.Add(rowp, 64*j)
				d := unsafe.Add(dp, o)
				st4(ld4(y, 0).Mul(vs).Add(vb).Max(zero), d, 0)
				st4(ld4(y, 16).Mul(vs).Add(vb).Max(zero), d, wo)
				st4(ld4(y, 32).Mul(vs).Add(vb).Max(zero), d, 2*wo)
				st4(ld4(y, 48).Mul(vs).Add(vb).Max(zero), d, 3*wo)
			}
		default:
			for j := uintptr(0); j < lanes; j++ {
				o := cb + uintptr(4**(*int32)(unsafe.Add(obp, 4*j)))
				y := unsafe.Add(rowp, 64*j)
				d := unsafe.Add(dp, o)
				st4(ld4(y, 0).Mul(vs).Add(vb), d, 0)
				st4(ld4(y, 16).Mul(vs).Add(vb), d, wo)
				st4(ld4(y, 32).Mul(vs).Add(vb), d, 2*wo)
				st4(ld4(y, 48).Mul(vs).Add(vb), d, 3*wo)
			}
		}
	}
}

// out1DWasm applies A^T (6 → 4) to six vectors of lanes.
func out1DWasm(m0, m1, m2, m3, m4, m5 archsimd.Float32x4) (o0, o1, o2, o3 archsimd.Float32x4) {
	s12, d12 := m1.Add(m2), m1.Sub(m2)
	s34, d34 := m3.Add(m4), m3.Sub(m4)
	d34x2 := d34.Add(d34)
	s34x2 := s34.Add(s34)
	o0 = m0.Add(s12).Add(s34)
	o1 = d12.Add(d34x2)
	o2 = s12.Add(s34x2.Add(s34x2))
	d34x4 := d34x2.Add(d34x2)
	o3 = d12.Add(m5).Add(d34x4.Add(d34x4))
	return
}

// winoOutRowsWasm applies A^T·M·A to the 16 tiles whose 36 frequencies are
// at zp + ξ·zs (16 lanes each) and writes output row r of tile j to the 4
// floats at rowp + 64·j + 16·r. tp is 24·16 floats of scratch (A^T·M,
// [a][m][lane]). Straight-line code per group of 4 lanes.
func winoOutRowsWasm(zp unsafe.Pointer, zs uintptr, tp, rowp unsafe.Pointer) {
	const e = 4 * lanes // bytes between consecutive entries of tp
	for h := uintptr(0); h < 4*lanes; h += 16 {
		// A^T over the rows of each column m.
		q := unsafe.Add(zp, h)
		t := unsafe.Add(tp, h)
		o0, o1, o2, o3 := out1DWasm(ld4(q, 0), ld4(q, 6*zs), ld4(q, 12*zs), ld4(q, 18*zs), ld4(q, 24*zs), ld4(q, 30*zs))
		st4(o0, t, 0)
		st4(o1, t, 6*e)
		st4(o2, t, 12*e)
		st4(o3, t, 18*e)
		o0, o1, o2, o3 = out1DWasm(ld4(q, zs), ld4(q, 7*zs), ld4(q, 13*zs), ld4(q, 19*zs), ld4(q, 25*zs), ld4(q, 31*zs))
		st4(o0, t, e)
		st4(o1, t, 7*e)
		st4(o2, t, 13*e)
		st4(o3, t, 19*e)
		o0, o1, o2, o3 = out1DWasm(ld4(q, 2*zs), ld4(q, 8*zs), ld4(q, 14*zs), ld4(q, 20*zs), ld4(q, 26*zs), ld4(q, 32*zs))
		st4(o0, t, 2*e)
		st4(o1, t, 8*e)
		st4(o2, t, 14*e)
		st4(o3, t, 20*e)
		o0, o1, o2, o3 = out1DWasm(ld4(q, 3*zs), ld4(q, 9*zs), ld4(q, 15*zs), ld4(q, 21*zs), ld4(q, 27*zs), ld4(q, 33*zs))
		st4(o0, t, 3*e)
		st4(o1, t, 9*e)
		st4(o2, t, 15*e)
		st4(o3, t, 21*e)
		o0, o1, o2, o3 = out1DWasm(ld4(q, 4*zs), ld4(q, 10*zs), ld4(q, 16*zs), ld4(q, 22*zs), ld4(q, 28*zs), ld4(q, 34*zs))
		st4(o0, t, 4*e)
		st4(o1, t, 10*e)
		st4(o2, t, 16*e)
		st4(o3, t, 22*e)
		o0, o1, o2, o3 = out1DWasm(ld4(q, 5*zs), ld4(q, 11*zs), ld4(q, 17*zs), ld4(q, 23*zs), ld4(q, 29*zs), ld4(q, 35*zs))
		st4(o0, t, 5*e)
		st4(o1, t, 11*e)
		st4(o2, t, 17*e)
		st4(o3, t, 23*e)

		// A^T over the columns of each row r, then the 4×4 transpose
		// (output column b of the 4 tiles → row r of each tile).
		y := unsafe.Add(rowp, 16*h) // the first row of tile h/16 (64 bytes per tile)
		for r := uintptr(0); r < 4; r++ {
			tr := unsafe.Add(t, r*6*e)
			b0, b1, b2, b3 := out1DWasm(ld4(tr, 0), ld4(tr, e), ld4(tr, 2*e), ld4(tr, 3*e), ld4(tr, 4*e), ld4(tr, 5*e))
			yr := unsafe.Add(y, 16*r)
			transposeStore4(b0, b1, b2, b3, yr)
		}
	}
}

// transposeStore4 writes lane k of b0..b3 to the 4 floats at p + 64·k.
func transposeStore4(b0, b1, b2, b3 archsimd.Float32x4, p unsafe.Pointer) {
	f := func(off uintptr) *float32 { return (*float32)(unsafe.Add(p, off)) }
	*f(0), *f(4), *f(8), *f(12) = b0.GetElem(0), b1.GetElem(0), b2.GetElem(0), b3.GetElem(0)
	*f(64), *f(68), *f(72), *f(76) = b0.GetElem(1), b1.GetElem(1), b2.GetElem(1), b3.GetElem(1)
	*f(128), *f(132), *f(136), *f(140) = b0.GetElem(2), b1.GetElem(2), b2.GetElem(2), b3.GetElem(2)
	*f(192), *f(196), *f(200), *f(204) = b0.GetElem(3), b1.GetElem(3), b2.GetElem(3), b3.GetElem(3)
}
