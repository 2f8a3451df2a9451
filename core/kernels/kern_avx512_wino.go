//go:build goexperiment.simd && amd64

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// Winograd transforms for AVX-512 written against raw pointers: the
// operand bounds are checked once per call, so the loops are vector
// instructions only (with slice indexing, bounds checks and address
// arithmetic were ~4 of every 5 instructions of winoIn, and the transforms
// cost more than the GEMM for thin layers).

// ldp loads 16 floats at element index i of p.
func ldp(p unsafe.Pointer, i int) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16Array((*[16]float32)(unsafe.Add(p, 4*i)))
}

// ldp8 loads 8 floats at element index i of p.
func ldp8(p unsafe.Pointer, i int) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Array((*[8]float32)(unsafe.Add(p, 4*i)))
}

// stp stores x at element index i of p.
func stp(x archsimd.Float32x16, p unsafe.Pointer, i int) {
	x.StoreArray((*[16]float32)(unsafe.Add(p, 4*i)))
}

// winoGatherInAVX512 is winoGatherAVX512 followed by winoInAVX512 with the
// first 1-D transform applied in registers to each gathered tile row (B^T·d·B
// is separable: rows first, then columns), so g holds only the row-transformed
// tiles.
func winoGatherInAVX512(p []float32, base []int32, pw, kind int, g, v []float32, stride int) {
	base = base[:lanes]
	q0, q1, q2, q3 := int(base[0]), int(base[1]), int(base[2]), int(base[3])
	r0, r1, r2, r3 := int(base[8]), int(base[9]), int(base[10]), int(base[11])
	lo := min(q0, q1, q2, q3, r0, r1, r2, r3)
	hi := max(q0, q1, q2, q3, r0, r1, r2, r3) + 5*pw + 2 + 8
	if kind == blockContig {
		hi += 8
	}
	if kind == blockScalar || lo < 0 || hi > len(p) || len(g) < 36*lanes || stride < lanes || len(v) < 35*stride+lanes {
		winoGatherAVX512(p, base, pw, kind, g)
		winoInAVX512(g, v, stride)
		return
	}
	pp, gp, vp := unsafe.Pointer(unsafe.SliceData(p)), unsafe.Pointer(unsafe.SliceData(g)), unsafe.Pointer(unsafe.SliceData(v))
	c4, cm4 := archsimd.BroadcastFloat32x16(4), archsimd.BroadcastFloat32x16(-4)
	c2, cm2 := archsimd.BroadcastFloat32x16(2), archsimd.BroadcastFloat32x16(-2)
	cm5 := archsimd.BroadcastFloat32x16(-5)
	in1D := func(d0, d1, d2, d3, d4, d5 archsimd.Float32x16) (t0, t1, t2, t3, t4, t5 archsimd.Float32x16) {
		t0 = d2.MulAdd(cm5, d0.MulAdd(c4, d4))
		t1 = d1.Add(d2).MulAdd(cm4, d3.Add(d4))
		t2 = d1.Sub(d2).MulAdd(c4, d4.Sub(d3))
		d31, d42 := d3.Sub(d1), d4.Sub(d2)
		t3 = d31.MulAdd(c2, d42)
		t4 = d31.MulAdd(cm2, d42)
		t5 = d3.MulAdd(cm5, d1.MulAdd(c4, d5))
		return
	}
	rowOut := func(l int, d0, d1, d2, d3, d4, d5 archsimd.Float32x16) {
		t0, t1, t2, t3, t4, t5 := in1D(d0, d1, d2, d3, d4, d5)
		o := l * 6 * lanes
		stp(t0, gp, o)
		stp(t1, gp, o+lanes)
		stp(t2, gp, o+2*lanes)
		stp(t3, gp, o+3*lanes)
		stp(t4, gp, o+4*lanes)
		stp(t5, gp, o+5*lanes)
	}
	if kind == blockContig {
		for l := 0; l < 6; l++ {
			o := l * pw
			d0, d1, d2, d3 := transpose4x4(ldp(pp, q0+o), ldp(pp, q1+o), ldp(pp, q2+o), ldp(pp, q3+o))
			o += 2
			_, _, d4, d5 := transpose4x4(ldp(pp, q0+o), ldp(pp, q1+o), ldp(pp, q2+o), ldp(pp, q3+o))
			rowOut(l, d0, d1, d2, d3, d4, d5)
		}
	} else {
		var z archsimd.Float32x16
		ld := func(s0, s1 int) archsimd.Float32x16 { return z.SetLo(ldp8(pp, s0)).SetHi(ldp8(pp, s1)) }
		for l := 0; l < 6; l++ {
			o := l * pw
			d0, d1, d2, d3 := transpose4x4(ld(q0+o, r0+o), ld(q1+o, r1+o), ld(q2+o, r2+o), ld(q3+o, r3+o))
			o += 2
			_, _, d4, d5 := transpose4x4(ld(q0+o, r0+o), ld(q1+o, r1+o), ld(q2+o, r2+o), ld(q3+o, r3+o))
			rowOut(l, d0, d1, d2, d3, d4, d5)
		}
	}
	for k := 0; k < 6; k++ {
		o := k * lanes
		t0, t1, t2, t3, t4, t5 := in1D(ldp(gp, o), ldp(gp, o+6*lanes), ldp(gp, o+12*lanes),
			ldp(gp, o+18*lanes), ldp(gp, o+24*lanes), ldp(gp, o+30*lanes))
		o = k * stride
		stp(t0, vp, o)
		stp(t1, vp, o+6*stride)
		stp(t2, vp, o+12*stride)
		stp(t3, vp, o+18*stride)
		stp(t4, vp, o+24*stride)
		stp(t5, vp, o+30*stride)
	}
	archsimd.ClearAVXUpperBits()
}

// copyRowsAVX512 copies rows×w floats (dst[r*dp+x] = src[r*w+x]), 16 at a
// time, the row tails with masked loads and stores.
func copyRowsAVX512(dst []float32, dp int, src []float32, rows, w int) {
	if rows <= 0 || w <= 0 {
		return
	}
	if len(src) < rows*w || len(dst) < (rows-1)*dp+w {
		panic("kernels: copyRows operands too short")
	}
	sp, dpp := unsafe.Pointer(unsafe.SliceData(src)), unsafe.Pointer(unsafe.SliceData(dst))
	w16 := w &^ 15
	for r := 0; r < rows; r++ {
		s, d := unsafe.Add(sp, 4*r*w), unsafe.Add(dpp, 4*r*dp)
		x := 0
		for ; x < w16; x += 16 {
			stp(ldp(s, x), d, x)
		}
		if x < w {
			v, _ := archsimd.LoadFloat32x16Part(src[r*w+x : (r+1)*w])
			v.StorePart(dst[r*dp+x : r*dp+w])
		}
	}
	archsimd.ClearAVXUpperBits()
}
