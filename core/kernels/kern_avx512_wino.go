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

// stp8 stores x at element index i of p.
func stp8(x archsimd.Float32x8, p unsafe.Pointer, i int) {
	x.StoreArray((*[8]float32)(unsafe.Add(p, 4*i)))
}

// winoOutStoreAVX512 is winoOutAVX512 followed by winoScatterAVX512 for
// every output channel co of cos (scale[co], bias[co], channel stride hwo),
// for blocks of kind blockContig or blockPairs: the output transform of a
// tile row ends in registers, is transposed to output rows once and stored
// to each channel through the epilogue (method-1 gathers fan one row out to
// several channels). t is 24·16 floats of scratch.
func winoOutStoreAVX512(z []float32, stride int, t []float32, a *scatterArgs, cos []int32, scale, bias []float32, hwo int) {
	if len(cos) == 0 {
		return
	}
	ob := a.ob[:lanes]
	maxCo, minCo := cos[0], cos[0]
	for _, co := range cos {
		maxCo, minCo = max(maxCo, co), min(minCo, co)
	}
	// The stores start at ob[q] (blockContig, 16 floats) or ob[q] and
	// ob[8+q] (blockPairs, 8 floats), q < 4, in each of the 4 tile rows.
	maxOb, minOb := max(ob[0], ob[1], ob[2], ob[3]), min(ob[0], ob[1], ob[2], ob[3])
	hi := 16
	if a.kind == blockPairs {
		maxOb, minOb = max(maxOb, ob[8], ob[9], ob[10], ob[11]), min(minOb, ob[8], ob[9], ob[10], ob[11])
		hi = 8
	}
	hi += int(maxOb) + int(maxCo)*hwo + 3*a.wo
	if a.kind == blockScalar || minCo < 0 || minOb < 0 || len(t) < 24*lanes || len(z) < 35*stride+lanes ||
		hi > len(a.dst) || (a.res != nil && hi > len(a.res)) || int(maxCo) >= len(scale) || int(maxCo) >= len(bias) {
		panic("kernels: winoOutStore: bad operands")
	}
	zp, tp := unsafe.Pointer(unsafe.SliceData(z)), unsafe.Pointer(unsafe.SliceData(t))
	dp := unsafe.Pointer(unsafe.SliceData(a.dst))
	var rp unsafe.Pointer
	if a.res != nil {
		rp = unsafe.Pointer(unsafe.SliceData(a.res))
	}
	c2, c4, c8 := archsimd.BroadcastFloat32x16(2), archsimd.BroadcastFloat32x16(4), archsimd.BroadcastFloat32x16(8)
	out1D := func(m0, m1, m2, m3, m4, m5 archsimd.Float32x16) (o0, o1, o2, o3 archsimd.Float32x16) {
		s12, d12 := m1.Add(m2), m1.Sub(m2)
		s34, d34 := m3.Add(m4), m3.Sub(m4)
		o0 = m0.Add(s12).Add(s34)
		o1 = d34.MulAdd(c2, d12)
		o2 = s34.MulAdd(c4, s12)
		o3 = d34.MulAdd(c8, d12.Add(m5))
		return
	}
	// A^T·M over the rows l of each column m: t[a][m].
	for m := 0; m < 6; m++ {
		o := m * stride
		o0, o1, o2, o3 := out1D(ldp(zp, o), ldp(zp, o+6*stride), ldp(zp, o+12*stride),
			ldp(zp, o+18*stride), ldp(zp, o+24*stride), ldp(zp, o+30*stride))
		stp(o0, tp, m*lanes)
		stp(o1, tp, (6+m)*lanes)
		stp(o2, tp, (12+m)*lanes)
		stp(o3, tp, (18+m)*lanes)
	}
	var zero archsimd.Float32x16
	contig := a.kind == blockContig
	for r := 0; r < 4; r++ {
		o := r * 6 * lanes
		y0, y1, y2, y3 := out1D(ldp(tp, o), ldp(tp, o+lanes), ldp(tp, o+2*lanes), ldp(tp, o+3*lanes), ldp(tp, o+4*lanes), ldp(tp, o+5*lanes))
		w := [4]archsimd.Float32x16{}
		w[0], w[1], w[2], w[3] = transpose4x4(y0, y1, y2, y3)
		ro := r * a.wo
		for _, co := range cos {
			vs, vb := archsimd.BroadcastFloat32x16(scale[co]), archsimd.BroadcastFloat32x16(bias[co])
			cb := int(co)*hwo + ro
			for q := 0; q < 4; q++ {
				v := w[q].MulAdd(vs, vb)
				if contig {
					o := int(ob[q]) + cb
					if rp != nil {
						v = v.Add(ldp(rp, o))
					}
					if a.relu {
						v = v.Max(zero)
					}
					stp(v, dp, o)
					continue
				}
				o0, o1 := int(ob[q])+cb, int(ob[8+q])+cb
				if rp != nil {
					v = v.Add(zero.SetLo(ldp8(rp, o0)).SetHi(ldp8(rp, o1)))
				}
				if a.relu {
					v = v.Max(zero)
				}
				stp8(v.GetLo(), dp, o0)
				stp8(v.GetHi(), dp, o1)
			}
		}
	}
	archsimd.ClearAVXUpperBits()
}

// dconv3AVX512 is the direct path's micro-kernel for a block of 3 filters
// (directBlockRows): for the packed block a ([tap][cin][4], the fourth row
// unused) and 64 outputs it computes
// c[i*ldc+j] = Σ_t Σ_ci a[(t*cin+ci)*4+i]·p[toff[t]+ci*ps+j] for i < 3, with
// the 3×64 accumulators in registers over all taps and channels, in
// assembly for the reasons given at gemm4AVX512.
func dconv3AVX512(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	if dconvCheck(3, cin, a, p, ps, toff, c, ldc) {
		dconvAsmAVX512(cin, &a[0], &p[0], ps, &toff[0], len(toff), &c[0], ldc)
	}
}

// dconv4AVX512 is dconv3AVX512 for all 4 rows of the block (the 4×64
// accumulators: 16 registers).
func dconv4AVX512(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	if dconvCheck(4, cin, a, p, ps, toff, c, ldc) {
		dconv4AsmAVX512(cin, &a[0], &p[0], ps, &toff[0], len(toff), &c[0], ldc)
	}
}

// dconvAsmAVX512 is dconv3AVX512 without the checks (gemm4_avx512_amd64.s).
//
//go:noescape
func dconvAsmAVX512(cin int, a, p *float32, ps int, toff *int32, ntaps int, c *float32, ldc int)

// dconv4AsmAVX512 is dconv4AVX512 without the checks (gemm4_avx512_amd64.s).
//
//go:noescape
func dconv4AsmAVX512(cin int, a, p *float32, ps int, toff *int32, ntaps int, c *float32, ldc int)
