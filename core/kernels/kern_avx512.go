//go:build goexperiment.simd && amd64

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// AVX-512 kernels: one Float32x16 holds 16 columns of a GEMM row or the 16
// tile lanes of a Winograd transform.
//
// Every kernel ends with archsimd.ClearAVXUpperBits (VZEROUPPER): the Go
// compiler does not emit it, and the scalar SSE code that runs between kernel
// calls (gathers, scatters, memmove) is several times slower while the upper
// halves of the vector registers are dirty.

func init() {
	if archsimd.X86.AVX512() {
		simdSets = append(simdSets, &avx512Kernels)
	}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		simdSets = append(simdSets, &avx2Kernels)
	}
}

var avx512Kernels = kernelSet{
	name:        "avx512",
	gemm4:       gemm4AVX512,
	gemm8:       gemm8AVX512,
	gemm1:       gemm1AVX512,
	gemmAcc:     gemmAccAVX512,
	winoGatherY: winoGatherYAVX512,
	winoYIn:     winoYInAVX512,
	dot4:        dot4AVX512,
	winoIn:      winoInAVX512,
	winoOut:     winoOutAVX512,
	affine:      affineAVX512,
	affineRows:  affineRowsAVX512,
	scaleShift:  scaleShiftAVX512,
	addWiden:    addWidenAVX512,

	winoGather:   winoGatherAVX512,
	copyRows:     copyRowsAVX512,
	winoGatherIn: winoGatherInAVX512,
	winoOutStore: winoOutStoreAVX512,
	dconv:        dconv4AVX512,
	dconv3:       dconv3AVX512,
	winoScatter:  winoScatterAVX512,
	decimate2:    decimate2AVX512,
}

// gemm4AVX512 is the 4×32 micro-kernel (gemm4_avx512_amd64.s): per depth
// step p it loads two 16-wide vectors of row p of B and issues 8 FMAs, each
// broadcasting one of the 4 packed values of A from memory, into 8
// accumulators. It is written in assembly because archsimd cannot express
// that loop: its MulAdd is the 213 form (the result replaces a multiplicand,
// so the compiler copies the broadcast before each reuse and moves every
// accumulator back at the end of each step), and it cannot broadcast from
// memory (a scalar load, then a shuffle on the port the FMAs need), and the
// register allocator spills (with legacy SSE moves) as soon as the loop is
// unrolled or the tile grows. BenchmarkGemmAccL1 (L1-resident operands):
// archsimd 55–71 cpu-GFLOP/s, this 102–126.
func gemm4AVX512(k int, a, b []float32, ldb int, c []float32, ldc int) {
	if k <= 0 {
		for i := range 4 {
			clear(c[i*ldc : i*ldc+32])
		}
		return
	}
	if len(a) < 4*k || len(b) < (k-1)*ldb+32 || len(c) < 3*ldc+32 {
		panic("kernels: gemm4 operands too short")
	}
	gemm4AsmAVX512(k, &a[0], &b[0], &b[16], ldb, &c[0], ldc, false)
}

// gemm8AVX512 is gemm4AVX512 for two 4-row blocks at once (16 accumulators):
// each 16-wide load of b feeds 8 FMAs instead of 4, which halves the reads of
// the Winograd products' V, the kernel's operand that comes from L2.
func gemm8AVX512(k int, a0, a1, b []float32, ldb int, c []float32, ldc int) {
	if k <= 0 || len(a0) < 4*k || len(a1) < 4*k || len(b) < (k-1)*ldb+32 || len(c) < 7*ldc+32 {
		panic("kernels: gemm8 operands too short")
	}
	gemm8AsmAVX512(k, &a0[0], &a1[0], &b[0], ldb, &c[0], ldc)
}

// gemm8AsmAVX512 is gemm8AVX512 without the checks (gemm4_avx512_amd64.s).
//
//go:noescape
func gemm8AsmAVX512(k int, a0, a1, b *float32, ldb int, c *float32, ldc int)

// gemm4AsmAVX512 is gemm4AVX512 and gemmAccAVX512 without the checks (k ≥ 1,
// gemm4_avx512_amd64.s): the two 16-column halves of the tile come from b0
// and b1, and add says whether the tile is added to c.
//
//go:noescape
func gemm4AsmAVX512(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, add bool)

// gemm1AVX512 is the 1×32 micro-kernel (remainder rows).
func gemm1AVX512(k int, a, b []float32, ldb int, c []float32) {
	var c0, c1, d0, d1 archsimd.Float32x16
	a = a[:k]
	p := 0
	for ; p+2 <= k; p += 2 {
		br := b[p*ldb : p*ldb+32]
		a0 := archsimd.BroadcastFloat32x16(a[p])
		c0 = a0.MulAdd(archsimd.LoadFloat32x16(br[0:16]), c0)
		c1 = a0.MulAdd(archsimd.LoadFloat32x16(br[16:32]), c1)
		br = b[(p+1)*ldb : (p+1)*ldb+32]
		a1 := archsimd.BroadcastFloat32x16(a[p+1])
		d0 = a1.MulAdd(archsimd.LoadFloat32x16(br[0:16]), d0)
		d1 = a1.MulAdd(archsimd.LoadFloat32x16(br[16:32]), d1)
	}
	if p < k {
		br := b[p*ldb : p*ldb+32]
		a0 := archsimd.BroadcastFloat32x16(a[p])
		c0 = a0.MulAdd(archsimd.LoadFloat32x16(br[0:16]), c0)
		c1 = a0.MulAdd(archsimd.LoadFloat32x16(br[16:32]), c1)
	}
	c0.Add(d0).Store(c[0:16])
	c1.Add(d1).Store(c[16:32])
	archsimd.ClearAVXUpperBits()
}

// winoInAVX512 applies B^T·d·B (see winoIn1D) to 16 tiles, one tile per
// lane: first to the 6 columns (in place in g), then to the 6 rows.
func winoInAVX512(g, v []float32, stride int) {
	g = g[:36*16]
	c4, cm4 := archsimd.BroadcastFloat32x16(4), archsimd.BroadcastFloat32x16(-4)
	c2, cm2 := archsimd.BroadcastFloat32x16(2), archsimd.BroadcastFloat32x16(-2)
	cm5 := archsimd.BroadcastFloat32x16(-5)
	in1D := func(d0, d1, d2, d3, d4, d5 archsimd.Float32x16) (r0, r1, r2, r3, r4, r5 archsimd.Float32x16) {
		r0 = d2.MulAdd(cm5, d0.MulAdd(c4, d4))
		r1 = d1.Add(d2).MulAdd(cm4, d3.Add(d4))
		r2 = d1.Sub(d2).MulAdd(c4, d4.Sub(d3))
		d31, d42 := d3.Sub(d1), d4.Sub(d2)
		r3 = d31.MulAdd(c2, d42)
		r4 = d31.MulAdd(cm2, d42)
		r5 = d3.MulAdd(cm5, d1.MulAdd(c4, d5))
		return
	}
	for m := 0; m < 6; m++ {
		ld := func(l int) archsimd.Float32x16 { return archsimd.LoadFloat32x16(g[(l*6+m)*16 : (l*6+m)*16+16]) }
		r0, r1, r2, r3, r4, r5 := in1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
		r0.Store(g[(0*6+m)*16 : (0*6+m)*16+16])
		r1.Store(g[(1*6+m)*16 : (1*6+m)*16+16])
		r2.Store(g[(2*6+m)*16 : (2*6+m)*16+16])
		r3.Store(g[(3*6+m)*16 : (3*6+m)*16+16])
		r4.Store(g[(4*6+m)*16 : (4*6+m)*16+16])
		r5.Store(g[(5*6+m)*16 : (5*6+m)*16+16])
	}
	for i := 0; i < 6; i++ {
		gi := g[i*6*16 : (i+1)*6*16]
		r0, r1, r2, r3, r4, r5 := in1D(
			archsimd.LoadFloat32x16(gi[0:16]), archsimd.LoadFloat32x16(gi[16:32]),
			archsimd.LoadFloat32x16(gi[32:48]), archsimd.LoadFloat32x16(gi[48:64]),
			archsimd.LoadFloat32x16(gi[64:80]), archsimd.LoadFloat32x16(gi[80:96]))
		o := i * 6 * stride
		r0.Store(v[o : o+16])
		r1.Store(v[o+stride : o+stride+16])
		r2.Store(v[o+2*stride : o+2*stride+16])
		r3.Store(v[o+3*stride : o+3*stride+16])
		r4.Store(v[o+4*stride : o+4*stride+16])
		r5.Store(v[o+5*stride : o+5*stride+16])
	}
	archsimd.ClearAVXUpperBits()
}

// winoOutAVX512 applies A^T·M·A (see winoOut1D) to 16 tiles, one per lane.
func winoOutAVX512(z []float32, stride int, y []float32) {
	t := y[16*16 : 40*16] // A^T·M, [a][m][lane]
	y = y[:16*16]
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
	for m := 0; m < 6; m++ {
		ld := func(l int) archsimd.Float32x16 {
			o := (l*6 + m) * stride
			return archsimd.LoadFloat32x16(z[o : o+16])
		}
		o0, o1, o2, o3 := out1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
		o0.Store(t[(0*6+m)*16 : (0*6+m)*16+16])
		o1.Store(t[(1*6+m)*16 : (1*6+m)*16+16])
		o2.Store(t[(2*6+m)*16 : (2*6+m)*16+16])
		o3.Store(t[(3*6+m)*16 : (3*6+m)*16+16])
	}
	for a := 0; a < 4; a++ {
		ta := t[a*6*16 : (a+1)*6*16]
		o0, o1, o2, o3 := out1D(
			archsimd.LoadFloat32x16(ta[0:16]), archsimd.LoadFloat32x16(ta[16:32]),
			archsimd.LoadFloat32x16(ta[32:48]), archsimd.LoadFloat32x16(ta[48:64]),
			archsimd.LoadFloat32x16(ta[64:80]), archsimd.LoadFloat32x16(ta[80:96]))
		ya := y[a*4*16 : (a+1)*4*16]
		o0.Store(ya[0:16])
		o1.Store(ya[16:32])
		o2.Store(ya[32:48])
		o3.Store(ya[48:64])
	}
	archsimd.ClearAVXUpperBits()
}

func affineAVX512(out, z, res []float32, s, b float32, relu bool) {
	n := len(out)
	z = z[:n]
	vs, vb := archsimd.BroadcastFloat32x16(s), archsimd.BroadcastFloat32x16(b)
	var zero archsimd.Float32x16
	if res != nil {
		res = res[:n]
	}
	i := 0
	for ; i+16 <= n; i += 16 {
		v := archsimd.LoadFloat32x16(z[i:i+16]).MulAdd(vs, vb)
		if res != nil {
			v = v.Add(archsimd.LoadFloat32x16(res[i : i+16]))
		}
		if relu {
			v = v.Max(zero)
		}
		v.Store(out[i : i+16])
	}
	if i < n {
		zv, _ := archsimd.LoadFloat32x16Part(z[i:])
		v := zv.MulAdd(vs, vb)
		if res != nil {
			rv, _ := archsimd.LoadFloat32x16Part(res[i:])
			v = v.Add(rv)
		}
		if relu {
			v = v.Max(zero)
		}
		v.StorePart(out[i:])
	}
	archsimd.ClearAVXUpperBits()
}

// affineRowsAVX512 is affineAVX512 over rows×w values, out (and res) with
// row pitch op and z with row pitch zp (see kernelSet.affineRows), with the
// bounds checked once.
func affineRowsAVX512(out []float32, op int, z []float32, zp int, res []float32, rows, w int, s, b float32, relu bool) {
	if rows <= 0 || w <= 0 {
		return
	}
	if len(out) < (rows-1)*op+w || len(z) < (rows-1)*zp+w || (res != nil && len(res) < (rows-1)*op+w) {
		panic("kernels: affineRows operands too short")
	}
	opp, zpp := unsafe.Pointer(unsafe.SliceData(out)), unsafe.Pointer(unsafe.SliceData(z))
	rp := unsafe.Pointer(unsafe.SliceData(res))
	vs, vb := archsimd.BroadcastFloat32x16(s), archsimd.BroadcastFloat32x16(b)
	var zero archsimd.Float32x16
	w16 := w &^ 15
	for r := 0; r < rows; r++ {
		zr, o := unsafe.Add(zpp, 4*r*zp), unsafe.Add(opp, 4*r*op)
		x := 0
		for ; x < w16; x += 16 {
			v := ldp(zr, x).MulAdd(vs, vb)
			if res != nil {
				v = v.Add(ldp(unsafe.Add(rp, 4*r*op), x))
			}
			if relu {
				v = v.Max(zero)
			}
			stp(v, o, x)
		}
		if x < w {
			v, _ := archsimd.LoadFloat32x16Part(z[r*zp+x : r*zp+w])
			v = v.MulAdd(vs, vb)
			if res != nil {
				rv, _ := archsimd.LoadFloat32x16Part(res[r*op+x : r*op+w])
				v = v.Add(rv)
			}
			if relu {
				v = v.Max(zero)
			}
			v.StorePart(out[r*op+x : r*op+w])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// evenIdx picks the even lanes of the 32 floats x:y (decimate2AVX512).
var evenIdx [16]uint32

func init() {
	for i := range evenIdx {
		evenIdx[i] = uint32(2 * i)
	}
}

// transpose4x4 transposes the 4×4 matrix held in each 128-bit group of
// (a0, a1, a2, a3): group g of cm is (a0[4g+m], a1[4g+m], a2[4g+m], a3[4g+m]).
// Eight in-lane unpack instructions.
func transpose4x4(a0, a1, a2, a3 archsimd.Float32x16) (c0, c1, c2, c3 archsimd.Float32x16) {
	i0, i1, i2, i3 := a0.AsInt32x16(), a1.AsInt32x16(), a2.AsInt32x16(), a3.AsInt32x16()
	t0 := i0.InterleaveLoGrouped(i1).AsInt64x8()
	t1 := i2.InterleaveLoGrouped(i3).AsInt64x8()
	t2 := i0.InterleaveHiGrouped(i1).AsInt64x8()
	t3 := i2.InterleaveHiGrouped(i3).AsInt64x8()
	c0 = t0.InterleaveLoGrouped(t1).AsFloat32x16()
	c1 = t0.InterleaveHiGrouped(t1).AsFloat32x16()
	c2 = t2.InterleaveLoGrouped(t3).AsFloat32x16()
	c3 = t2.InterleaveHiGrouped(t3).AsFloat32x16()
	return
}

// winoGatherAVX512 gathers blocks of kind blockContig or blockPairs, whose
// lanes are in group-interleaved order (lane 4i+q = tile i of group q, see
// winogradForward). For tile row l, A_q holds row l of group q's tiles from
// their first column (tile i's columns 0..3 in 128-bit group i), so column m
// of all 16 tiles is column m of the 4×4 transposes of (A_0..A_3); columns
// 4 and 5 come likewise from B_q, loaded 2 floats further.
func winoGatherAVX512(p []float32, base []int32, pw int, kind int, g []float32) {
	if kind == blockScalar {
		winoGatherPortable(p, base, pw, kind, g)
		return
	}
	base = base[:lanes]
	g = g[:36*lanes]
	var zero archsimd.Float32x16
	ld := func(s0, s1 int) archsimd.Float32x16 {
		if kind == blockContig {
			return archsimd.LoadFloat32x16(p[s0 : s0+16])
		}
		return zero.SetLo(archsimd.LoadFloat32x8(p[s0 : s0+8])).SetHi(archsimd.LoadFloat32x8(p[s1 : s1+8]))
	}
	q0, q1, q2, q3 := int(base[0]), int(base[1]), int(base[2]), int(base[3])
	r0, r1, r2, r3 := int(base[8]), int(base[9]), int(base[10]), int(base[11])
	for l := 0; l < 6; l++ {
		o := l * pw
		gl := g[l*6*lanes : (l+1)*6*lanes]
		d0, d1, d2, d3 := transpose4x4(ld(q0+o, r0+o), ld(q1+o, r1+o), ld(q2+o, r2+o), ld(q3+o, r3+o))
		o += 2
		_, _, d4, d5 := transpose4x4(ld(q0+o, r0+o), ld(q1+o, r1+o), ld(q2+o, r2+o), ld(q3+o, r3+o))
		d0.Store(gl[0:16])
		d1.Store(gl[16:32])
		d2.Store(gl[32:48])
		d3.Store(gl[48:64])
		d4.Store(gl[64:80])
		d5.Store(gl[80:96])
	}
	archsimd.ClearAVXUpperBits()
}

// winoScatterAVX512 stores blocks of full tiles of kind blockContig (16
// consecutive floats per group and tile row) or blockPairs (8 + 8), lanes in
// group-interleaved order: for output row r the 4×4 transposes of
// (Y_r0..Y_r3) are exactly the 16 floats of each group. The epilogue is
// applied in registers; other blocks use the portable scatter.
func winoScatterAVX512(y, y2 []float32, a *scatterArgs) {
	if a.kind == blockScalar {
		winoScatterPortable(y, y2, a)
		return
	}
	y = y[:16*lanes]
	ob := a.ob[:lanes]
	vs, vb := archsimd.BroadcastFloat32x16(a.s), archsimd.BroadcastFloat32x16(a.b)
	var zero archsimd.Float32x16
	dst, res := a.dst, a.res
	for r := 0; r < 4; r++ {
		yr := y[r*4*lanes : (r+1)*4*lanes]
		w0, w1, w2, w3 := transpose4x4(
			archsimd.LoadFloat32x16(yr[0:16]), archsimd.LoadFloat32x16(yr[16:32]),
			archsimd.LoadFloat32x16(yr[32:48]), archsimd.LoadFloat32x16(yr[48:64]))
		w := [4]archsimd.Float32x16{w0, w1, w2, w3}
		ro := r * a.wo
		for q := 0; q < 4; q++ {
			v := w[q].MulAdd(vs, vb)
			if a.kind == blockContig {
				o := int(ob[q]) + ro
				if res != nil {
					v = v.Add(archsimd.LoadFloat32x16(res[o : o+16]))
				}
				if a.relu {
					v = v.Max(zero)
				}
				v.Store(dst[o : o+16])
				continue
			}
			o0, o1 := int(ob[q])+ro, int(ob[8+q])+ro
			if res != nil {
				r0 := archsimd.LoadFloat32x8(res[o0 : o0+8])
				r1 := archsimd.LoadFloat32x8(res[o1 : o1+8])
				v = v.Add(zero.SetLo(r0).SetHi(r1))
			}
			if a.relu {
				v = v.Max(zero)
			}
			v.GetLo().Store(dst[o0 : o0+8])
			v.GetHi().Store(dst[o1 : o1+8])
		}
	}
	archsimd.ClearAVXUpperBits()
}

// decimate2AVX512 picks the even elements of 32 consecutive floats with one
// two-source permute per 16 outputs.
func decimate2AVX512(dst []float32, dp int, src []float32, sp, rows, n int) {
	if rows <= 0 || n <= 0 {
		return
	}
	if len(dst) < (rows-1)*dp+n || len(src) < (rows-1)*sp+2*n-1 {
		panic("kernels: decimate2 operands too short")
	}
	idx := archsimd.LoadUint32x16Array(&evenIdx)
	dpp, spp := unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src))
	n16, n8 := n&^15, n&^7
	// Rows whose vector reads (32 floats per 16 outputs, 16 per 8) stay inside src.
	fast := rows
	for fast > 0 && (fast-1)*sp+2*n8 > len(src) {
		fast--
	}
	for r := 0; r < fast; r++ {
		d, s := unsafe.Add(dpp, 4*r*dp), unsafe.Add(spp, 4*r*sp)
		i := 0
		for ; i < n16; i += 16 {
			stp(ldp(s, 2*i).ConcatPermute(ldp(s, 2*i+16), idx), d, i)
		}
		if i < n8 { // 8 outputs (ResNet20's 16-wide stride-2 inputs)
			x := ldp(s, 2*i)
			stp8(x.ConcatPermute(x, idx).GetLo(), d, i)
		}
	}
	archsimd.ClearAVXUpperBits()
	// The scalar rest after VZEROUPPER: scalar SSE code while the upper halves are dirty costs
	// a transition per call.
	for r := 0; r < rows; r++ {
		i := 0
		if r < fast {
			i = n8
		}
		for ; i < n; i++ {
			dst[r*dp+i] = src[r*sp+2*i]
		}
	}
}

// gemmAccAVX512 is gemm4AVX512 with its two 16-column halves read from
// separate B rows and the tile added to c.
func gemmAccAVX512(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int) {
	if k <= 0 {
		return
	}
	if len(a) < 4*k || len(b0) < (k-1)*ldb+16 || len(b1) < (k-1)*ldb+16 || len(c) < 3*ldc+32 {
		panic("kernels: gemmAcc operands too short")
	}
	gemm4AsmAVX512(k, &a[0], &b0[0], &b1[0], ldb, &c[0], ldc, true)
}

// winoGatherYAVX512 gathers full 4×4 tiles of kind blockContig or
// blockPairs in the scatter's lane order (the transpose of
// winoScatterAVX512's stores); other blocks use the portable gather.
func winoGatherYAVX512(p []float32, base []int32, wo, kind, nl int, valid []int32, g []float32) {
	if kind == blockScalar {
		winoGatherYPortable(p, base, wo, kind, nl, valid, g)
		return
	}
	base = base[:lanes]
	g = g[:16*lanes]
	var zero archsimd.Float32x16
	ld := func(s0, s1 int) archsimd.Float32x16 {
		if kind == blockContig {
			return archsimd.LoadFloat32x16(p[s0 : s0+16])
		}
		return zero.SetLo(archsimd.LoadFloat32x8(p[s0 : s0+8])).SetHi(archsimd.LoadFloat32x8(p[s1 : s1+8]))
	}
	q0, q1, q2, q3 := int(base[0]), int(base[1]), int(base[2]), int(base[3])
	r0, r1, r2, r3 := int(base[8]), int(base[9]), int(base[10]), int(base[11])
	for a := 0; a < 4; a++ {
		o := a * wo
		ga := g[a*4*lanes : (a+1)*4*lanes]
		d0, d1, d2, d3 := transpose4x4(ld(q0+o, r0+o), ld(q1+o, r1+o), ld(q2+o, r2+o), ld(q3+o, r3+o))
		d0.Store(ga[0:16])
		d1.Store(ga[16:32])
		d2.Store(ga[32:48])
		d3.Store(ga[48:64])
	}
	archsimd.ClearAVXUpperBits()
}

// winoYInAVX512 applies A·Y·A^T (see winoYIn1D) to 16 tiles, one per lane:
// first to the 4 columns (6×4 result in g[256:640]), then to the 6 rows.
func winoYInAVX512(g, v []float32, stride int) {
	g = g[:40*lanes]
	t := g[16*lanes:]
	c2, c4, c8 := archsimd.BroadcastFloat32x16(2), archsimd.BroadcastFloat32x16(4), archsimd.BroadcastFloat32x16(8)
	in1D := func(y0, y1, y2, y3 archsimd.Float32x16) (m1, m2, m3, m4 archsimd.Float32x16) {
		e02, o13 := y0.Add(y2), y1.Add(y3)
		e, o := y2.MulAdd(c4, y0), y3.MulAdd(c8, y1.Mul(c2))
		return e02.Add(o13), e02.Sub(o13), e.Add(o), e.Sub(o)
	}
	for b := 0; b < 4; b++ {
		ld := func(a int) archsimd.Float32x16 { return archsimd.LoadFloat32x16(g[(a*4+b)*16 : (a*4+b)*16+16]) }
		y0, y3 := ld(0), ld(3)
		m1, m2, m3, m4 := in1D(y0, ld(1), ld(2), y3)
		y0.Store(t[(0*4+b)*16 : (0*4+b)*16+16])
		m1.Store(t[(1*4+b)*16 : (1*4+b)*16+16])
		m2.Store(t[(2*4+b)*16 : (2*4+b)*16+16])
		m3.Store(t[(3*4+b)*16 : (3*4+b)*16+16])
		m4.Store(t[(4*4+b)*16 : (4*4+b)*16+16])
		y3.Store(t[(5*4+b)*16 : (5*4+b)*16+16])
	}
	for i := 0; i < 6; i++ {
		ti := t[i*4*16 : (i+1)*4*16]
		y0, y3 := archsimd.LoadFloat32x16(ti[0:16]), archsimd.LoadFloat32x16(ti[48:64])
		m1, m2, m3, m4 := in1D(y0, archsimd.LoadFloat32x16(ti[16:32]), archsimd.LoadFloat32x16(ti[32:48]), y3)
		o := i * 6 * stride
		y0.Store(v[o : o+16])
		m1.Store(v[o+stride : o+stride+16])
		m2.Store(v[o+2*stride : o+2*stride+16])
		m3.Store(v[o+3*stride : o+3*stride+16])
		m4.Store(v[o+4*stride : o+4*stride+16])
		y3.Store(v[o+5*stride : o+5*stride+16])
	}
	archsimd.ClearAVXUpperBits()
}

// dot4AVX512 adds the 4×4 dot products c[4i+j] += Σ_t a[i*lda+t]·b[j*ldb+t]
// (t < n, a multiple of 16): dot4AsmAVX512 keeps them in 16 accumulators of
// 16 consecutive t each and then sums each across its lanes. It is written in
// assembly for the reasons given at gemm4AVX512 (the archsimd loop also
// spilled three of its 16 accumulators).
func dot4AVX512(n int, a []float32, lda int, b []float32, ldb int, c []float32) {
	if n <= 0 {
		return
	}
	if n%16 != 0 || len(a) < 3*lda+n || len(b) < 3*ldb+n || len(c) < 16 {
		panic("kernels: dot4 operands too short")
	}
	dot4AsmAVX512(n, &a[0], lda, &b[0], ldb, &c[0])
}

// dot4AsmAVX512 is dot4AVX512 without the checks (gemm4_avx512_amd64.s).
//
//go:noescape
func dot4AsmAVX512(n int, a *float32, lda int, b *float32, ldb int, c *float32)

// scaleShiftAVX512 is ScaleShift with Float32x16 vectors: Mul then Add, not MulAdd, for the bits
// of the scalar expression.
func scaleShiftAVX512(z []float32, s, b float32, relu bool) {
	n := len(z)
	vs, vb := archsimd.BroadcastFloat32x16(s), archsimd.BroadcastFloat32x16(b)
	var zero archsimd.Float32x16
	i := 0
	for ; i+16 <= n; i += 16 {
		v := archsimd.LoadFloat32x16(z[i : i+16]).Mul(vs).Add(vb)
		if relu {
			v = v.Max(zero)
		}
		v.Store(z[i : i+16])
	}
	if i < n {
		zv, _ := archsimd.LoadFloat32x16Part(z[i:])
		v := zv.Mul(vs).Add(vb)
		if relu {
			v = v.Max(zero)
		}
		v.StorePart(z[i:])
	}
	archsimd.ClearAVXUpperBits()
}

// addWidenAVX512 is AddWiden's vector path: 8 floats widened to a Float64x8 at a time.
func addWidenAVX512(dst []float64, src []float32) int {
	n := len(src)
	dst = dst[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8(src[i : i+8]).ConvertToFloat64()
		archsimd.LoadFloat64x8(dst[i : i+8]).Add(v).Store(dst[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	return i
}
