//go:build goexperiment.simd && wasm

package kernels

import "simd/archsimd"

// 128-bit WebAssembly SIMD kernels (Float32x4; MulAdd is a multiply and an
// add, wasm has no fused multiply-add). Gather and scatter use the portable
// code.

func init() {
	simdSets = append(simdSets, &wasmKernels)
}

var wasmKernels = kernelSet{
	name:        "wasm128",
	gemm4:       gemm4Wasm,
	gemm1:       gemm1Wasm,
	gemmAcc:     gemmAccWasm,
	winoGatherY: winoGatherYPortable,
	winoYIn:     winoYInPortable,
	dot4:        dot4Portable,
	winoIn:      winoInWasm,
	winoOut:     winoOutWasm,
	affine:      affineWasm,
	winoGather:  winoGatherPortable,
	copyRows:    copyRowsPortable,
	winoScatter: winoScatterPortable,
	decimate2:   decimate2Portable,
}

// gemm4Wasm computes the 4×32 tile as four 4×8 quarters, each with 8
// Float32x4 accumulators.
func gemm4Wasm(k int, a, b []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for h := 0; h < 32; h += 8 {
		var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x4
		for p := 0; p < k; p++ {
			br := b[p*ldb+h : p*ldb+h+8]
			b0 := archsimd.LoadFloat32x4(br[0:4])
			b1 := archsimd.LoadFloat32x4(br[4:8])
			ap := a[4*p : 4*p+4]
			a0 := archsimd.BroadcastFloat32x4(ap[0])
			c00 = a0.Mul(b0).Add(c00)
			c01 = a0.Mul(b1).Add(c01)
			a1 := archsimd.BroadcastFloat32x4(ap[1])
			c10 = a1.Mul(b0).Add(c10)
			c11 = a1.Mul(b1).Add(c11)
			a2 := archsimd.BroadcastFloat32x4(ap[2])
			c20 = a2.Mul(b0).Add(c20)
			c21 = a2.Mul(b1).Add(c21)
			a3 := archsimd.BroadcastFloat32x4(ap[3])
			c30 = a3.Mul(b0).Add(c30)
			c31 = a3.Mul(b1).Add(c31)
		}
		c00.Store(c[h : h+4])
		c01.Store(c[h+4 : h+8])
		c10.Store(c[ldc+h : ldc+h+4])
		c11.Store(c[ldc+h+4 : ldc+h+8])
		c20.Store(c[2*ldc+h : 2*ldc+h+4])
		c21.Store(c[2*ldc+h+4 : 2*ldc+h+8])
		c30.Store(c[3*ldc+h : 3*ldc+h+4])
		c31.Store(c[3*ldc+h+4 : 3*ldc+h+8])
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

func winoInWasm(g, v []float32, stride int) {
	g = g[:36*16]
	c4, c5, c2 := archsimd.BroadcastFloat32x4(4), archsimd.BroadcastFloat32x4(5), archsimd.BroadcastFloat32x4(2)
	in1D := func(d0, d1, d2, d3, d4, d5 archsimd.Float32x4) (r0, r1, r2, r3, r4, r5 archsimd.Float32x4) {
		r0 = d0.Mul(c4).Add(d4).Sub(d2.Mul(c5))
		r1 = d3.Add(d4).Sub(d1.Add(d2).Mul(c4))
		r2 = d4.Sub(d3).Add(d1.Sub(d2).Mul(c4))
		d31, d42 := d3.Sub(d1).Mul(c2), d4.Sub(d2)
		r3 = d42.Add(d31)
		r4 = d42.Sub(d31)
		r5 = d1.Mul(c4).Add(d5).Sub(d3.Mul(c5))
		return
	}
	for h := 0; h < 16; h += 4 {
		for m := 0; m < 6; m++ {
			ld := func(l int) archsimd.Float32x4 { return archsimd.LoadFloat32x4(g[(l*6+m)*16+h : (l*6+m)*16+h+4]) }
			r0, r1, r2, r3, r4, r5 := in1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			r0.Store(g[(0*6+m)*16+h : (0*6+m)*16+h+4])
			r1.Store(g[(1*6+m)*16+h : (1*6+m)*16+h+4])
			r2.Store(g[(2*6+m)*16+h : (2*6+m)*16+h+4])
			r3.Store(g[(3*6+m)*16+h : (3*6+m)*16+h+4])
			r4.Store(g[(4*6+m)*16+h : (4*6+m)*16+h+4])
			r5.Store(g[(5*6+m)*16+h : (5*6+m)*16+h+4])
		}
		for i := 0; i < 6; i++ {
			ld := func(m int) archsimd.Float32x4 { return archsimd.LoadFloat32x4(g[(i*6+m)*16+h : (i*6+m)*16+h+4]) }
			r0, r1, r2, r3, r4, r5 := in1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o := i*6*stride + h
			r0.Store(v[o : o+4])
			r1.Store(v[o+stride : o+stride+4])
			r2.Store(v[o+2*stride : o+2*stride+4])
			r3.Store(v[o+3*stride : o+3*stride+4])
			r4.Store(v[o+4*stride : o+4*stride+4])
			r5.Store(v[o+5*stride : o+5*stride+4])
		}
	}
}

func winoOutWasm(z []float32, stride int, y []float32) {
	t := y[16*16 : 40*16] // A^T·M, [a][m][lane]
	y = y[:16*16]
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
	for h := 0; h < 16; h += 4 {
		for m := 0; m < 6; m++ {
			ld := func(l int) archsimd.Float32x4 {
				o := (l*6+m)*stride + h
				return archsimd.LoadFloat32x4(z[o : o+4])
			}
			o0, o1, o2, o3 := out1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o0.Store(t[(0*6+m)*16+h : (0*6+m)*16+h+4])
			o1.Store(t[(1*6+m)*16+h : (1*6+m)*16+h+4])
			o2.Store(t[(2*6+m)*16+h : (2*6+m)*16+h+4])
			o3.Store(t[(3*6+m)*16+h : (3*6+m)*16+h+4])
		}
		for a := 0; a < 4; a++ {
			ld := func(m int) archsimd.Float32x4 { return archsimd.LoadFloat32x4(t[(a*6+m)*16+h : (a*6+m)*16+h+4]) }
			o0, o1, o2, o3 := out1D(ld(0), ld(1), ld(2), ld(3), ld(4), ld(5))
			o0.Store(y[(a*4+0)*16+h : (a*4+0)*16+h+4])
			o1.Store(y[(a*4+1)*16+h : (a*4+1)*16+h+4])
			o2.Store(y[(a*4+2)*16+h : (a*4+2)*16+h+4])
			o3.Store(y[(a*4+3)*16+h : (a*4+3)*16+h+4])
		}
	}
}

func affineWasm(out, z, res []float32, s, b float32, relu bool) {
	n := len(out)
	z = z[:n]
	vs, vb := archsimd.BroadcastFloat32x4(s), archsimd.BroadcastFloat32x4(b)
	var zero archsimd.Float32x4
	if res != nil {
		res = res[:n]
	}
	i := 0
	for ; i+4 <= n; i += 4 {
		v := archsimd.LoadFloat32x4(z[i : i+4]).Mul(vs).Add(vb)
		if res != nil {
			v = v.Add(archsimd.LoadFloat32x4(res[i : i+4]))
		}
		if relu {
			v = v.Max(zero)
		}
		v.Store(out[i : i+4])
	}
	if i < n {
		affinePortable(out[i:], z[i:], tail(res, i), s, b, relu)
	}
}

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
