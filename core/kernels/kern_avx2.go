//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// AVX2+FMA kernels for amd64 CPUs without AVX-512: the same algorithms as the
// AVX-512 ones with Float32x8 vectors, processing 16 columns or lanes as two
// halves (16 ymm registers do not hold a 4×32 accumulator block).

var avx2Kernels = kernelSet{
	name:        "avx2",
	gemm4:       gemm4AVX2,
	gemm1:       gemm1AVX2,
	gemmAcc:     gemmAccAVX2,
	winoGatherY: winoGatherYPortable,
	winoYIn:     winoYInPortable,
	dot4:        dot4Portable,
	winoIn:      winoInAVX2,
	winoOut:     winoOutAVX2,
	affine:      affineAVX2,
	scaleShift:  scaleShiftAVX2,
	addWiden:    addWidenAVX2,

	// No cross-lane permutes across 16 floats without AVX-512: the portable
	// gather and scatter are used.
	winoGather:  winoGatherPortable,
	copyRows:    copyRowsPortable,
	winoScatter: winoScatterPortable,
	decimate2:   decimate2Portable,
}

// gemm4AVX2 computes the 4×32 tile as two 4×16 halves, each with 8
// Float32x8 accumulators.
func gemm4AVX2(k int, a, b []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for h := 0; h < 32; h += 16 {
		var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
		for p := 0; p < k; p++ {
			br := b[p*ldb+h : p*ldb+h+16]
			b0 := archsimd.LoadFloat32x8(br[0:8])
			b1 := archsimd.LoadFloat32x8(br[8:16])
			ap := a[4*p : 4*p+4]
			a0 := archsimd.BroadcastFloat32x8(ap[0])
			c00 = a0.MulAdd(b0, c00)
			c01 = a0.MulAdd(b1, c01)
			a1 := archsimd.BroadcastFloat32x8(ap[1])
			c10 = a1.MulAdd(b0, c10)
			c11 = a1.MulAdd(b1, c11)
			a2 := archsimd.BroadcastFloat32x8(ap[2])
			c20 = a2.MulAdd(b0, c20)
			c21 = a2.MulAdd(b1, c21)
			a3 := archsimd.BroadcastFloat32x8(ap[3])
			c30 = a3.MulAdd(b0, c30)
			c31 = a3.MulAdd(b1, c31)
		}
		c00.Store(c[h : h+8])
		c01.Store(c[h+8 : h+16])
		c10.Store(c[ldc+h : ldc+h+8])
		c11.Store(c[ldc+h+8 : ldc+h+16])
		c20.Store(c[2*ldc+h : 2*ldc+h+8])
		c21.Store(c[2*ldc+h+8 : 2*ldc+h+16])
		c30.Store(c[3*ldc+h : 3*ldc+h+8])
		c31.Store(c[3*ldc+h+8 : 3*ldc+h+16])
	}
	archsimd.ClearAVXUpperBits()
}

func gemm1AVX2(k int, a, b []float32, ldb int, c []float32) {
	var c0, c1, c2, c3 archsimd.Float32x8
	a = a[:k]
	for p, av := range a {
		br := b[p*ldb : p*ldb+32]
		a0 := archsimd.BroadcastFloat32x8(av)
		c0 = a0.MulAdd(archsimd.LoadFloat32x8(br[0:8]), c0)
		c1 = a0.MulAdd(archsimd.LoadFloat32x8(br[8:16]), c1)
		c2 = a0.MulAdd(archsimd.LoadFloat32x8(br[16:24]), c2)
		c3 = a0.MulAdd(archsimd.LoadFloat32x8(br[24:32]), c3)
	}
	c0.Store(c[0:8])
	c1.Store(c[8:16])
	c2.Store(c[16:24])
	c3.Store(c[24:32])
	archsimd.ClearAVXUpperBits()
}

func winoInAVX2(g, v []float32, stride int) {
	g = g[:36*16]
	c4, cm4 := archsimd.BroadcastFloat32x8(4), archsimd.BroadcastFloat32x8(-4)
	c2, cm2 := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(-2)
	cm5 := archsimd.BroadcastFloat32x8(-5)
	in1D := func(d0, d1, d2, d3, d4, d5 archsimd.Float32x8) (r0, r1, r2, r3, r4, r5 archsimd.Float32x8) {
		r0 = d2.MulAdd(cm5, d0.MulAdd(c4, d4))
		r1 = d1.Add(d2).MulAdd(cm4, d3.Add(d4))
		r2 = d1.Sub(d2).MulAdd(c4, d4.Sub(d3))
		d31, d42 := d3.Sub(d1), d4.Sub(d2)
		r3 = d31.MulAdd(c2, d42)
		r4 = d31.MulAdd(cm2, d42)
		r5 = d3.MulAdd(cm5, d1.MulAdd(c4, d5))
		return
	}
	for h := 0; h < 16; h += 8 {
		for m := 0; m < 6; m++ {
			ld := func(l int) archsimd.Float32x8 { return archsimd.LoadFloat32x8(g[(l*6+m)*16+h : (l*6+m)*16+h+8]) }
			r0, r1, r2, r3, r4, r5 := in1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			r0.Store(g[(0*6+m)*16+h : (0*6+m)*16+h+8])
			r1.Store(g[(1*6+m)*16+h : (1*6+m)*16+h+8])
			r2.Store(g[(2*6+m)*16+h : (2*6+m)*16+h+8])
			r3.Store(g[(3*6+m)*16+h : (3*6+m)*16+h+8])
			r4.Store(g[(4*6+m)*16+h : (4*6+m)*16+h+8])
			r5.Store(g[(5*6+m)*16+h : (5*6+m)*16+h+8])
		}
		for i := 0; i < 6; i++ {
			ld := func(m int) archsimd.Float32x8 { return archsimd.LoadFloat32x8(g[(i*6+m)*16+h : (i*6+m)*16+h+8]) }
			r0, r1, r2, r3, r4, r5 := in1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o := i*6*stride + h
			r0.Store(v[o : o+8])
			r1.Store(v[o+stride : o+stride+8])
			r2.Store(v[o+2*stride : o+2*stride+8])
			r3.Store(v[o+3*stride : o+3*stride+8])
			r4.Store(v[o+4*stride : o+4*stride+8])
			r5.Store(v[o+5*stride : o+5*stride+8])
		}
	}
	archsimd.ClearAVXUpperBits()
}

func winoOutAVX2(z []float32, stride int, y []float32) {
	t := y[16*16 : 40*16] // A^T·M, [a][m][lane]
	y = y[:16*16]
	c2, c4, c8 := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(4), archsimd.BroadcastFloat32x8(8)
	out1D := func(m0, m1, m2, m3, m4, m5 archsimd.Float32x8) (o0, o1, o2, o3 archsimd.Float32x8) {
		s12, d12 := m1.Add(m2), m1.Sub(m2)
		s34, d34 := m3.Add(m4), m3.Sub(m4)
		o0 = m0.Add(s12).Add(s34)
		o1 = d34.MulAdd(c2, d12)
		o2 = s34.MulAdd(c4, s12)
		o3 = d34.MulAdd(c8, d12.Add(m5))
		return
	}
	for h := 0; h < 16; h += 8 {
		for m := 0; m < 6; m++ {
			ld := func(l int) archsimd.Float32x8 {
				o := (l*6+m)*stride + h
				return archsimd.LoadFloat32x8(z[o : o+8])
			}
			o0, o1, o2, o3 := out1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o0.Store(t[(0*6+m)*16+h : (0*6+m)*16+h+8])
			o1.Store(t[(1*6+m)*16+h : (1*6+m)*16+h+8])
			o2.Store(t[(2*6+m)*16+h : (2*6+m)*16+h+8])
			o3.Store(t[(3*6+m)*16+h : (3*6+m)*16+h+8])
		}
		for a := 0; a < 4; a++ {
			ld := func(m int) archsimd.Float32x8 { return archsimd.LoadFloat32x8(t[(a*6+m)*16+h : (a*6+m)*16+h+8]) }
			o0, o1, o2, o3 := out1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o0.Store(y[(a*4+0)*16+h : (a*4+0)*16+h+8])
			o1.Store(y[(a*4+1)*16+h : (a*4+1)*16+h+8])
			o2.Store(y[(a*4+2)*16+h : (a*4+2)*16+h+8])
			o3.Store(y[(a*4+3)*16+h : (a*4+3)*16+h+8])
		}
	}
	archsimd.ClearAVXUpperBits()
}

func affineAVX2(out, z, res []float32, s, b float32, relu bool) {
	if i := affineVecAVX2(out, z, res, s, b, relu); i < len(out) {
		affinePortable(out[i:], z[i:], tail(res, i), s, b, relu)
	}
}

// affineVecAVX2 is affineAVX2's vector part; it returns how far it got. Apart so that the float
// arguments the scalar rest needs are not spilled with SSE instructions before VZEROUPPER.
//
//go:noinline
func affineVecAVX2(out, z, res []float32, s, b float32, relu bool) int {
	n := len(out)
	z = z[:n]
	vs, vb := archsimd.BroadcastFloat32x8(s), archsimd.BroadcastFloat32x8(b)
	var zero archsimd.Float32x8
	if res != nil {
		res = res[:n]
	}
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8(z[i:i+8]).MulAdd(vs, vb)
		if res != nil {
			v = v.Add(archsimd.LoadFloat32x8(res[i : i+8]))
		}
		if relu {
			v = v.Max(zero)
		}
		v.Store(out[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

// gemmAccAVX2 adds the two 4×16 halves, each with 8 Float32x8 accumulators.
func gemmAccAVX2(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for h := 0; h < 32; h += 16 {
		b := b0
		if h == 16 {
			b = b1
		}
		var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
		for p := 0; p < k; p++ {
			br := b[p*ldb : p*ldb+16]
			bv0 := archsimd.LoadFloat32x8(br[0:8])
			bv1 := archsimd.LoadFloat32x8(br[8:16])
			ap := a[4*p : 4*p+4]
			a0 := archsimd.BroadcastFloat32x8(ap[0])
			c00 = a0.MulAdd(bv0, c00)
			c01 = a0.MulAdd(bv1, c01)
			a1 := archsimd.BroadcastFloat32x8(ap[1])
			c10 = a1.MulAdd(bv0, c10)
			c11 = a1.MulAdd(bv1, c11)
			a2 := archsimd.BroadcastFloat32x8(ap[2])
			c20 = a2.MulAdd(bv0, c20)
			c21 = a2.MulAdd(bv1, c21)
			a3 := archsimd.BroadcastFloat32x8(ap[3])
			c30 = a3.MulAdd(bv0, c30)
			c31 = a3.MulAdd(bv1, c31)
		}
		acc := func(v archsimd.Float32x8, d []float32) { archsimd.LoadFloat32x8(d).Add(v).Store(d) }
		acc(c00, c[h:h+8])
		acc(c01, c[h+8:h+16])
		acc(c10, c[ldc+h:ldc+h+8])
		acc(c11, c[ldc+h+8:ldc+h+16])
		acc(c20, c[2*ldc+h:2*ldc+h+8])
		acc(c21, c[2*ldc+h+8:2*ldc+h+16])
		acc(c30, c[3*ldc+h:3*ldc+h+8])
		acc(c31, c[3*ldc+h+8:3*ldc+h+16])
	}
	archsimd.ClearAVXUpperBits()
}

// scaleShiftAVX2 is ScaleShift with Float32x8 vectors (Mul then Add, not MulAdd), the rest in Go.
func scaleShiftAVX2(z []float32, s, b float32, relu bool) {
	if i := scaleShiftVecAVX2(z, s, b, relu); i < len(z) {
		scaleShiftPortable(z[i:], s, b, relu)
	}
}

// scaleShiftVecAVX2 is scaleShiftAVX2's vector part; it returns how far it got (apart for the
// reason given at affineVecAVX2).
//
//go:noinline
func scaleShiftVecAVX2(z []float32, s, b float32, relu bool) int {
	n := len(z)
	vs, vb := archsimd.BroadcastFloat32x8(s), archsimd.BroadcastFloat32x8(b)
	var zero archsimd.Float32x8
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8(z[i : i+8]).Mul(vs).Add(vb)
		if relu {
			v = v.Max(zero)
		}
		v.Store(z[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

// addWidenAVX2 is AddWiden's vector path: 4 floats widened to a Float64x4 at a time.
//
//go:noinline
func addWidenAVX2(dst []float64, src []float32) int {
	n := len(src)
	dst = dst[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		v := archsimd.LoadFloat32x4(src[i : i+4]).ConvertToFloat64()
		archsimd.LoadFloat64x4(dst[i : i+4]).Add(v).Store(dst[i : i+4])
	}
	archsimd.ClearAVXUpperBits()
	return i
}
