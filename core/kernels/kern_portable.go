package kernels

// portableKernels are plain Go versions of the inner kernels, used when the
// package is built without GOEXPERIMENT=simd, when the CPU lacks the needed
// features, or when forcePortable is set.
var portableKernels = kernelSet{
	name:        "portable",
	gemm4:       gemm4Portable,
	gemm1:       gemm1Portable,
	gemmAcc:     gemmAccPortable,
	winoGatherY: winoGatherYPortable,
	winoYIn:     winoYInPortable,
	dot4:        dot4Portable,
	winoIn:      winoInPortable,
	winoOut:     winoOutPortable,
	affine:      affinePortable,

	winoGather:  winoGatherPortable,
	copyRows:    copyRowsPortable,
	winoScatter: winoScatterPortable,
	decimate2:   decimate2Portable,
}

// gemm4Portable computes the 4×32 tile in 4×4 register blocks (16 scalar
// accumulators), streaming the packed A and 4 columns of B per block.
func gemm4Portable(k int, a, b []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for j := 0; j < nr; j += 4 {
		var c00, c01, c02, c03, c10, c11, c12, c13 float32
		var c20, c21, c22, c23, c30, c31, c32, c33 float32
		for p := 0; p < k; p++ {
			bp := b[p*ldb+j : p*ldb+j+4]
			ap := a[4*p : 4*p+4]
			b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
			a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
			c00 += a0 * b0
			c01 += a0 * b1
			c02 += a0 * b2
			c03 += a0 * b3
			c10 += a1 * b0
			c11 += a1 * b1
			c12 += a1 * b2
			c13 += a1 * b3
			c20 += a2 * b0
			c21 += a2 * b1
			c22 += a2 * b2
			c23 += a2 * b3
			c30 += a3 * b0
			c31 += a3 * b1
			c32 += a3 * b2
			c33 += a3 * b3
		}
		r := c[j : j+4]
		r[0], r[1], r[2], r[3] = c00, c01, c02, c03
		r = c[ldc+j : ldc+j+4]
		r[0], r[1], r[2], r[3] = c10, c11, c12, c13
		r = c[2*ldc+j : 2*ldc+j+4]
		r[0], r[1], r[2], r[3] = c20, c21, c22, c23
		r = c[3*ldc+j : 3*ldc+j+4]
		r[0], r[1], r[2], r[3] = c30, c31, c32, c33
	}
}

func gemm1Portable(k int, a, b []float32, ldb int, c []float32) {
	var acc [nr]float32
	a = a[:k]
	for p, av := range a {
		br := b[p*ldb : p*ldb+nr]
		for j, bv := range br {
			acc[j] += av * bv
		}
	}
	copy(c[:nr], acc[:])
}

// winoIn1D applies B^T of F(4×4,3×3) to d0..d5:
//
//	B^T = | 4  0 -5  0  1  0 |
//	      | 0 -4 -4  1  1  0 |
//	      | 0  4 -4 -1  1  0 |
//	      | 0 -2 -1  2  1  0 |
//	      | 0  2 -1 -2  1  0 |
//	      | 0  4  0 -5  0  1 |
func winoIn1D(d0, d1, d2, d3, d4, d5 float32) (r0, r1, r2, r3, r4, r5 float32) {
	r0 = 4*d0 - 5*d2 + d4
	r1 = (d3 + d4) - 4*(d1+d2)
	r2 = (d4 - d3) + 4*(d1-d2)
	r3 = (d4 - d2) + 2*(d3-d1)
	r4 = (d4 - d2) - 2*(d3-d1)
	r5 = 4*d1 - 5*d3 + d5
	return
}

// winoOut1D applies A^T of F(4×4,3×3) to m0..m5:
//
//	A^T = | 1  1  1  1  1  0 |
//	      | 0  1 -1  2 -2  0 |
//	      | 0  1  1  4  4  0 |
//	      | 0  1 -1  8 -8  1 |
func winoOut1D(m0, m1, m2, m3, m4, m5 float32) (o0, o1, o2, o3 float32) {
	s12, d12 := m1+m2, m1-m2
	s34, d34 := m3+m4, m3-m4
	o0 = m0 + s12 + s34
	o1 = d12 + 2*d34
	o2 = s12 + 4*s34
	o3 = d12 + 8*d34 + m5
	return
}

func winoInPortable(g, v []float32, stride int) {
	g = g[:36*lanes]
	for j := 0; j < lanes; j++ {
		var t [6][6]float32 // t = B^T·d (columns transformed)
		for m := 0; m < 6; m++ {
			t[0][m], t[1][m], t[2][m], t[3][m], t[4][m], t[5][m] = winoIn1D(
				g[(0*6+m)*lanes+j], g[(1*6+m)*lanes+j], g[(2*6+m)*lanes+j],
				g[(3*6+m)*lanes+j], g[(4*6+m)*lanes+j], g[(5*6+m)*lanes+j])
		}
		for i := 0; i < 6; i++ {
			r0, r1, r2, r3, r4, r5 := winoIn1D(t[i][0], t[i][1], t[i][2], t[i][3], t[i][4], t[i][5])
			o := i * 6 * stride
			v[o+j] = r0
			v[o+stride+j] = r1
			v[o+2*stride+j] = r2
			v[o+3*stride+j] = r3
			v[o+4*stride+j] = r4
			v[o+5*stride+j] = r5
		}
	}
}

func winoOutPortable(z []float32, stride int, y []float32) {
	y = y[:16*lanes]
	for j := 0; j < lanes; j++ {
		var t [4][6]float32 // t = A^T·M
		for m := 0; m < 6; m++ {
			t[0][m], t[1][m], t[2][m], t[3][m] = winoOut1D(
				z[(0*6+m)*stride+j], z[(1*6+m)*stride+j], z[(2*6+m)*stride+j],
				z[(3*6+m)*stride+j], z[(4*6+m)*stride+j], z[(5*6+m)*stride+j])
		}
		for a := 0; a < 4; a++ {
			o0, o1, o2, o3 := winoOut1D(t[a][0], t[a][1], t[a][2], t[a][3], t[a][4], t[a][5])
			y[(a*4+0)*lanes+j] = o0
			y[(a*4+1)*lanes+j] = o1
			y[(a*4+2)*lanes+j] = o2
			y[(a*4+3)*lanes+j] = o3
		}
	}
}

func affinePortable(out, z, res []float32, s, b float32, relu bool) {
	z = z[:len(out)]
	if res != nil {
		res = res[:len(out)]
		for i, zv := range z {
			v := s*zv + b + res[i]
			if relu && v < 0 {
				v = 0
			}
			out[i] = v
		}
		return
	}
	for i, zv := range z {
		v := s*zv + b
		if relu && v < 0 {
			v = 0
		}
		out[i] = v
	}
}

func winoGatherPortable(p []float32, base []int32, pw int, kind int, g []float32) {
	base = base[:lanes]
	for l := 0; l < 6; l++ {
		for m := 0; m < 6; m++ {
			gr := g[(l*6+m)*lanes : (l*6+m+1)*lanes]
			off := l*pw + m
			for j, b := range base {
				gr[j] = p[int(b)+off]
			}
		}
	}
}

// scatterArgs describes where winoScatter stores 16 output tiles of one
// output channel.
type scatterArgs struct {
	dst, res []float32 // res is nil without residual
	ob       []int32   // per lane: offset in dst (and res) of the tile's top-left pixel
	valid    []int32   // per lane: rows<<3 | cols of the tile inside the image
	kind     int       // blockScalar, blockContig or blockPairs
	nl       int       // lanes holding real tiles
	wo       int       // output row stride
	s, b     float32   // scale and bias
	relu     bool
}

// Block kinds of 16 output tiles (see winoScatter fast paths).
const (
	blockScalar = iota // anything: per-lane stores
	blockContig        // 4 groups of 4 full tiles, each group 16 consecutive floats per row
	blockPairs         // 8 pairs of 2 full tiles, each pair 8 consecutive floats per row
)

func winoScatterPortable(y, y2 []float32, a *scatterArgs) {
	affinePortable(y2[:16*lanes], y, nil, a.s, a.b, a.relu && a.res == nil)
	for j := 0; j < a.nl; j++ {
		ob := int(a.ob[j])
		va, vb := int(a.valid[j])>>3, int(a.valid[j])&7
		for r := 0; r < va; r++ {
			o := ob + r*a.wo
			d := a.dst[o : o+vb]
			for c := range d {
				v := y2[(r*4+c)*lanes+j]
				if a.res != nil {
					v += a.res[o+c]
					if a.relu && v < 0 {
						v = 0
					}
				}
				d[c] = v
			}
		}
	}
}

func decimate2Portable(dst []float32, dp int, src []float32, sp, rows, n int) {
	for r := 0; r < rows; r++ {
		d := dst[r*dp : r*dp+n]
		s := src[r*sp : r*sp+2*n-1]
		for i := range d {
			d[i] = s[2*i]
		}
	}
}

// tail returns s[i:], or nil when s is nil.
func tail(s []float32, i int) []float32 {
	if s == nil {
		return nil
	}
	return s[i:]
}

// gemmAccPortable adds the two 4×16 halves in 4×4 register blocks.
func gemmAccPortable(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int) {
	a = a[:4*k]
	for j := 0; j < nr; j += 4 {
		b, jb := b0, j
		if j >= 16 {
			b, jb = b1, j-16
		}
		var c00, c01, c02, c03, c10, c11, c12, c13 float32
		var c20, c21, c22, c23, c30, c31, c32, c33 float32
		for p := 0; p < k; p++ {
			bp := b[p*ldb+jb : p*ldb+jb+4]
			ap := a[4*p : 4*p+4]
			b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
			a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
			c00 += a0 * b0
			c01 += a0 * b1
			c02 += a0 * b2
			c03 += a0 * b3
			c10 += a1 * b0
			c11 += a1 * b1
			c12 += a1 * b2
			c13 += a1 * b3
			c20 += a2 * b0
			c21 += a2 * b1
			c22 += a2 * b2
			c23 += a2 * b3
			c30 += a3 * b0
			c31 += a3 * b1
			c32 += a3 * b2
			c33 += a3 * b3
		}
		r := c[j : j+4]
		r[0], r[1], r[2], r[3] = r[0]+c00, r[1]+c01, r[2]+c02, r[3]+c03
		r = c[ldc+j : ldc+j+4]
		r[0], r[1], r[2], r[3] = r[0]+c10, r[1]+c11, r[2]+c12, r[3]+c13
		r = c[2*ldc+j : 2*ldc+j+4]
		r[0], r[1], r[2], r[3] = r[0]+c20, r[1]+c21, r[2]+c22, r[3]+c23
		r = c[3*ldc+j : 3*ldc+j+4]
		r[0], r[1], r[2], r[3] = r[0]+c30, r[1]+c31, r[2]+c32, r[3]+c33
	}
}

func winoGatherYPortable(p []float32, base []int32, wo, kind, nl int, valid []int32, g []float32) {
	g = g[:16*lanes]
	clear(g)
	for j := 0; j < nl; j++ {
		ob := int(base[j])
		va, vb := int(valid[j])>>3, int(valid[j])&7
		for a := 0; a < va; a++ {
			row := p[ob+a*wo : ob+a*wo+vb]
			for b, v := range row {
				g[(a*4+b)*lanes+j] = v
			}
		}
	}
}

// winoYIn1D applies A = (A^T)^T of F(4×4,3×3) (6×4) to y0..y3.
func winoYIn1D(y0, y1, y2, y3 float32) (m0, m1, m2, m3, m4, m5 float32) {
	e02, o13 := y0+y2, y1+y3
	e, o := y0+4*y2, 2*y1+8*y3
	return y0, e02 + o13, e02 - o13, e + o, e - o, y3
}

func winoYInPortable(g, v []float32, stride int) {
	g = g[:16*lanes]
	for j := 0; j < lanes; j++ {
		var t [6][4]float32 // t = A·Y (rows transformed)
		for b := 0; b < 4; b++ {
			t[0][b], t[1][b], t[2][b], t[3][b], t[4][b], t[5][b] = winoYIn1D(
				g[(0*4+b)*lanes+j], g[(1*4+b)*lanes+j], g[(2*4+b)*lanes+j], g[(3*4+b)*lanes+j])
		}
		for i := 0; i < 6; i++ {
			m0, m1, m2, m3, m4, m5 := winoYIn1D(t[i][0], t[i][1], t[i][2], t[i][3])
			o := i * 6 * stride
			v[o+j] = m0
			v[o+stride+j] = m1
			v[o+2*stride+j] = m2
			v[o+3*stride+j] = m3
			v[o+4*stride+j] = m4
			v[o+5*stride+j] = m5
		}
	}
}

func dot4Portable(n int, a []float32, lda int, b []float32, ldb int, c []float32) {
	c = c[:16]
	for i := 0; i < 4; i++ {
		ai := a[i*lda : i*lda+n]
		for j := 0; j < 4; j++ {
			bj := b[j*ldb : j*ldb+n]
			var s0, s1, s2, s3 float32
			for t := 0; t < n; t += 4 {
				s0 += ai[t] * bj[t]
				s1 += ai[t+1] * bj[t+1]
				s2 += ai[t+2] * bj[t+2]
				s3 += ai[t+3] * bj[t+3]
			}
			c[i*4+j] += (s0 + s1) + (s2 + s3)
		}
	}
}

func copyRowsPortable(dst []float32, dp int, src []float32, rows, w int) {
	for r := 0; r < rows; r++ {
		copy(dst[r*dp:r*dp+w], src[r*w:(r+1)*w])
	}
}
