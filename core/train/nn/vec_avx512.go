//go:build goexperiment.simd && amd64

package nn

import "simd/archsimd"

// AVX-512 versions of the element-wise kernels (vec.go): 16 floats per step, the tail in Go.
//
// Each is split in two: a vector core (…Vec, never inlined) that ends with VZEROUPPER
// (archsimd.ClearAVXUpperBits) and returns how far it got (and its partial sums, through
// memory), and a wrapper that finishes the tail and the scalar arithmetic in Go. The split keeps
// every non-VEX SSE instruction (scalar float code: the spill of a float argument that the tail
// still needs, a scalar zero) out of the stretch where the upper halves of the vector registers
// are dirty: on this machine (Sapphire Rapids, under a hypervisor) each such instruction there
// cost about 160 ns per call, more than a whole 64-float row of BN work (bnDx on 16 L1-resident
// floats: 202 → 7.8 ns per call; on 1024: 225 → 81 ns). The zero vector is the zero value (a
// VEX/EVEX xor), not BroadcastFloat32x16(0) (a legacy XORPS).

func init() {
	if archsimd.X86.AVX512() {
		scaleShift, bnDx, reluMask = scaleShiftAVX512, bnDxAVX512, reluMaskAVX512
		sum32, sqDev32, dotShift32, maskedSums32 = sum32AVX512, sqDev32AVX512, dotShift32AVX512, maskedSums32AVX512
		affineMaskedSums32, bnDxAffine, sumSq32 = affineMaskedSums32AVX512, bnDxAffineAVX512, sumSq32AVX512
		maskSums32, scaleShift2, col2im3s2Plane = maskSums32AVX512, scaleShift2AVX512, col2im3s2PlaneAVX512
	}
}

// fold4 halves v twice in registers and stores the four partial sums in a; the caller adds
// them with scalar code after archsimd.ClearAVXUpperBits.
func fold4(v archsimd.Float32x16, a *[4]float32) {
	q := v.GetLo().Add(v.GetHi())
	q.GetLo().Add(q.GetHi()).StoreArray(a)
}

func add4(a *[4]float32) float32 { return (a[0] + a[1]) + (a[2] + a[3]) }

func scaleShiftAVX512(y, x, res []float32, a, b float32, relu bool) {
	if i := scaleShiftVec(y, x, res, a, b, relu); i < len(y) {
		var r []float32
		if res != nil {
			r = res[i:]
		}
		scaleShiftGo(y[i:], x[i:], r, a, b, relu)
	}
}

//go:noinline
func scaleShiftVec(y, x, res []float32, a, b float32, relu bool) int {
	x = x[:len(y)]
	if res != nil {
		res = res[:len(y)]
	}
	var zero archsimd.Float32x16
	va, vb := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b)
	i := 0
	for ; i+16 <= len(y); i += 16 {
		v := archsimd.LoadFloat32x16(x[i:i+16]).MulAdd(va, vb)
		if res != nil {
			v = v.Add(archsimd.LoadFloat32x16(res[i : i+16]))
		}
		if relu {
			v = v.Max(zero)
		}
		v.Store(y[i : i+16])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

func bnDxAVX512(d, g, x, out []float32, a, b, c float32) {
	if i := bnDxVec(d, g, x, out, a, b, c); i < len(g) {
		var o []float32
		if out != nil {
			o = out[i:]
		}
		bnDxGo(d[i:], g[i:], x[i:], o, a, b, c)
	}
}

//go:noinline
func bnDxVec(d, g, x, out []float32, a, b, c float32) int {
	x, d = x[:len(g)], d[:len(g)]
	if out != nil {
		out = out[:len(g)]
	}
	var zero archsimd.Float32x16
	va, vb, vc := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b), archsimd.BroadcastFloat32x16(c)
	i := 0
	for ; i+16 <= len(g); i += 16 {
		gv := archsimd.LoadFloat32x16(g[i : i+16])
		if out != nil {
			gv = gv.Masked(archsimd.LoadFloat32x16(out[i : i+16]).Greater(zero))
		}
		gv.MulAdd(va, archsimd.LoadFloat32x16(x[i:i+16]).MulAdd(vb, vc)).Store(d[i : i+16])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

func reluMaskAVX512(g, out []float32) {
	if i := reluMaskVec(g, out); i < len(g) {
		reluMaskGo(g[i:], out[i:])
	}
}

//go:noinline
func reluMaskVec(g, out []float32) int {
	out = out[:len(g)]
	var zero archsimd.Float32x16
	i := 0
	for ; i+16 <= len(g); i += 16 {
		archsimd.LoadFloat32x16(g[i : i+16]).Masked(archsimd.LoadFloat32x16(out[i : i+16]).Greater(zero)).Store(g[i : i+16])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

func sum32AVX512(v []float32) float64 {
	var a [4]float32
	i := sum32Vec(v, &a)
	return float64(add4(&a)) + sum32Go(v[i:])
}

//go:noinline
func sum32Vec(v []float32, a *[4]float32) int {
	var acc archsimd.Float32x16
	i := 0
	for ; i+16 <= len(v); i += 16 {
		acc = acc.Add(archsimd.LoadFloat32x16(v[i : i+16]))
	}
	fold4(acc, a)
	archsimd.ClearAVXUpperBits()
	return i
}

func sqDev32AVX512(v []float32, mu float32) float64 {
	var a [4]float32
	i := sqDev32Vec(v, mu, &a)
	return float64(add4(&a)) + sqDev32Go(v[i:], mu)
}

//go:noinline
func sqDev32Vec(v []float32, mu float32, a *[4]float32) int {
	var acc archsimd.Float32x16
	m := archsimd.BroadcastFloat32x16(mu)
	i := 0
	for ; i+16 <= len(v); i += 16 {
		dv := archsimd.LoadFloat32x16(v[i : i+16]).Sub(m)
		acc = dv.MulAdd(dv, acc)
	}
	fold4(acc, a)
	archsimd.ClearAVXUpperBits()
	return i
}

func dotShift32AVX512(g, x []float32, mu float32) float64 {
	var a [4]float32
	i := dotShift32Vec(g, x, mu, &a)
	return float64(add4(&a)) + dotShift32Go(g[i:], x[i:], mu)
}

//go:noinline
func dotShift32Vec(g, x []float32, mu float32, a *[4]float32) int {
	x = x[:len(g)]
	var acc archsimd.Float32x16
	m := archsimd.BroadcastFloat32x16(mu)
	i := 0
	for ; i+16 <= len(g); i += 16 {
		acc = archsimd.LoadFloat32x16(g[i:i+16]).MulAdd(archsimd.LoadFloat32x16(x[i:i+16]).Sub(m), acc)
	}
	fold4(acc, a)
	archsimd.ClearAVXUpperBits()
	return i
}

func maskedSums32AVX512(g, out, x []float32, mu float32) (float64, float64) {
	var sa, ta [4]float32
	i := maskedSums32Vec(g, out, x, mu, &sa, &ta, false)
	a, b := maskedSums32Go(g[i:], out[i:], x[i:], mu)
	return float64(add4(&sa)) + a, float64(add4(&ta)) + b
}

func maskSums32AVX512(g, out, x []float32, mu float32) (float64, float64) {
	var sa, ta [4]float32
	i := maskedSums32Vec(g, out, x, mu, &sa, &ta, true)
	a, b := maskSums32Go(g[i:], out[i:], x[i:], mu)
	return float64(add4(&sa)) + a, float64(add4(&ta)) + b
}

// maskedSums32Vec is the vector core of maskedSums32AVX512 or, with store set, of
// maskSums32AVX512.
//
//go:noinline
func maskedSums32Vec(g, out, x []float32, mu float32, sa, ta *[4]float32, store bool) int {
	out, x = out[:len(g)], x[:len(g)]
	var s, t, zero archsimd.Float32x16
	m := archsimd.BroadcastFloat32x16(mu)
	i := 0
	for ; i+16 <= len(g); i += 16 {
		gv := archsimd.LoadFloat32x16(g[i : i+16]).Masked(archsimd.LoadFloat32x16(out[i : i+16]).Greater(zero))
		if store {
			gv.Store(g[i : i+16])
		}
		s = s.Add(gv)
		t = gv.MulAdd(archsimd.LoadFloat32x16(x[i:i+16]).Sub(m), t)
	}
	fold4(s, sa)
	fold4(t, ta)
	archsimd.ClearAVXUpperBits()
	return i
}

func affineMaskedSums32AVX512(g, x []float32, mu, fa, fb float32) (float64, float64) {
	var sa, ta [4]float32
	i := affineMaskedSums32Vec(g, x, mu, fa, fb, &sa, &ta)
	a, b := affineMaskedSums32Go(g[i:], x[i:], mu, fa, fb)
	return float64(add4(&sa)) + a, float64(add4(&ta)) + b
}

//go:noinline
func affineMaskedSums32Vec(g, x []float32, mu, fa, fb float32, sa, ta *[4]float32) int {
	x = x[:len(g)]
	var s, t, zero archsimd.Float32x16
	m := archsimd.BroadcastFloat32x16(mu)
	va, vb := archsimd.BroadcastFloat32x16(fa), archsimd.BroadcastFloat32x16(fb)
	i := 0
	for ; i+16 <= len(g); i += 16 {
		xv := archsimd.LoadFloat32x16(x[i : i+16])
		// The mask is scaleShiftAVX512's: fa·x + fb fused, compared with 0.
		gv := archsimd.LoadFloat32x16(g[i : i+16]).Masked(xv.MulAdd(va, vb).Greater(zero))
		s = s.Add(gv)
		t = gv.MulAdd(xv.Sub(m), t)
	}
	fold4(s, sa)
	fold4(t, ta)
	archsimd.ClearAVXUpperBits()
	return i
}

func bnDxAffineAVX512(d, g, x []float32, fa, fb, a, b, c float32) {
	if i := bnDxAffineVec(d, g, x, fa, fb, a, b, c); i < len(g) {
		bnDxAffineGo(d[i:], g[i:], x[i:], fa, fb, a, b, c)
	}
}

//go:noinline
func bnDxAffineVec(d, g, x []float32, fa, fb, a, b, c float32) int {
	x, d = x[:len(g)], d[:len(g)]
	var zero archsimd.Float32x16
	va, vb, vc := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b), archsimd.BroadcastFloat32x16(c)
	fva, fvb := archsimd.BroadcastFloat32x16(fa), archsimd.BroadcastFloat32x16(fb)
	i := 0
	for ; i+16 <= len(g); i += 16 {
		xv := archsimd.LoadFloat32x16(x[i : i+16])
		gv := archsimd.LoadFloat32x16(g[i : i+16]).Masked(xv.MulAdd(fva, fvb).Greater(zero))
		gv.MulAdd(va, xv.MulAdd(vb, vc)).Store(d[i : i+16])
	}
	archsimd.ClearAVXUpperBits()
	return i
}

func sumSq32AVX512(v []float32, k float32) (float64, float64) {
	var sa, qa [4]float32
	i := sumSq32Vec(v, k, &sa, &qa)
	a, b := sumSq32Go(v[i:], k)
	return float64(add4(&sa)) + a, float64(add4(&qa)) + b
}

//go:noinline
func sumSq32Vec(v []float32, k float32, sa, qa *[4]float32) int {
	var s, q archsimd.Float32x16
	kv := archsimd.BroadcastFloat32x16(k)
	i := 0
	for ; i+16 <= len(v); i += 16 {
		d := archsimd.LoadFloat32x16(v[i : i+16]).Sub(kv)
		s = s.Add(d)
		q = d.MulAdd(d, q)
	}
	fold4(s, sa)
	fold4(q, qa)
	archsimd.ClearAVXUpperBits()
	return i
}

func scaleShift2AVX512(y, x, x2 []float32, a, b, a2, b2 float32, relu bool) {
	if i := scaleShift2Vec(y, x, x2, a, b, a2, b2, relu); i < len(y) {
		scaleShift2Go(y[i:], x[i:], x2[i:], a, b, a2, b2, relu)
	}
}

//go:noinline
func scaleShift2Vec(y, x, x2 []float32, a, b, a2, b2 float32, relu bool) int {
	x, x2 = x[:len(y)], x2[:len(y)]
	var zero archsimd.Float32x16
	va, vb := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b)
	va2, vb2 := archsimd.BroadcastFloat32x16(a2), archsimd.BroadcastFloat32x16(b2)
	i := 0
	if relu {
		for ; i+16 <= len(y); i += 16 {
			r := archsimd.LoadFloat32x16(x2[i:i+16]).MulAdd(va2, vb2)
			archsimd.LoadFloat32x16(x[i:i+16]).MulAdd(va, vb).Add(r).Max(zero).Store(y[i : i+16])
		}
	} else {
		for ; i+16 <= len(y); i += 16 {
			r := archsimd.LoadFloat32x16(x2[i:i+16]).MulAdd(va2, vb2)
			archsimd.LoadFloat32x16(x[i:i+16]).MulAdd(va, vb).Add(r).Store(y[i : i+16])
		}
	}
	archsimd.ClearAVXUpperBits()
	return i
}

// Lane indices of ConcatPermute that interleave a (lanes 0–15) and b (16–31): a0 b0 a1 b1 … from
// the low halves, and from the high halves.
var (
	zipLo = [16]uint32{0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23}
	zipHi = [16]uint32{8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31}
)

// col2im3s2PlaneAVX512 is col2im3s2 for one channel: it sets (or, with add, adds to) the
// 2ho×2wo plane d from the channel's 9 column-matrix rows c (P = ho·wo apart), for rows of 8 or a
// multiple of 16 output pixels, 16 at a time: the even pixels r1[j] and the odd ones
// r0[j+1] + r2[j] (r0's lane past the row masked to 0) interleaved by a permute, the two kernel
// rows of an odd input row added in registers (in col2im3s2's order). With wo = 8 it reads 8
// floats past each row, and reports false (doing nothing) where c is too short for that (or wo
// does not fit).
func col2im3s2PlaneAVX512(d, c []float32, P, ho, wo int, add bool) bool {
	if wo != 8 && wo%16 != 0 || 9*P+16-min(wo, 16) > len(c) {
		return false
	}
	w := 2 * wo
	d = d[:2*ho*w]
	lo, hi := archsimd.LoadUint32x16Array(&zipLo), archsimd.LoadUint32x16Array(&zipHi)
	for iy := range 2 * ho {
		// Kernel row ky at output row oy: column-matrix rows from b = 3·ky·P + oy·wo.
		b := 3*P + iy/2*wo // ky = 1, even iy
		b2 := -1
		if iy%2 == 1 {
			b = 6*P + (iy-1)/2*wo // ky = 2
			if oy := (iy + 1) / 2; oy < ho {
				b2 = oy * wo // ky = 0
			}
		}
		row := d[iy*w : (iy+1)*w]
		for j := 0; j < wo; j += 16 {
			m := archsimd.Mask32x16FromBits(0xffff)
			if j+16 >= wo { // lane l of r0 holds r0[j+l+1]: none past the row (l < wo−1−j)
				m = archsimd.Mask32x16FromBits(uint16(1)<<(wo-1-j) - 1)
			}
			ev := archsimd.LoadFloat32x16(c[b+P+j : b+P+j+16])
			od := archsimd.LoadFloat32x16(c[b+j+1 : b+j+17]).Masked(m).Add(archsimd.LoadFloat32x16(c[b+2*P+j : b+2*P+j+16]))
			v0, v1 := ev.ConcatPermute(od, lo), ev.ConcatPermute(od, hi)
			if add {
				v0 = archsimd.LoadFloat32x16(row[2*j : 2*j+16]).Add(v0)
				if wo > 8 {
					v1 = archsimd.LoadFloat32x16(row[2*j+16 : 2*j+32]).Add(v1)
				}
			}
			if b2 >= 0 {
				ev = archsimd.LoadFloat32x16(c[b2+P+j : b2+P+j+16])
				od = archsimd.LoadFloat32x16(c[b2+j+1 : b2+j+17]).Masked(m).Add(archsimd.LoadFloat32x16(c[b2+2*P+j : b2+2*P+j+16]))
				v0, v1 = v0.Add(ev.ConcatPermute(od, lo)), v1.Add(ev.ConcatPermute(od, hi))
			}
			v0.Store(row[2*j : 2*j+16])
			if wo > 8 {
				v1.Store(row[2*j+16 : 2*j+32])
			}
		}
	}
	archsimd.ClearAVXUpperBits()
	return true
}
