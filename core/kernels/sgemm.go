package kernels

import "sync"

// sgemmKC is the depth of one packed panel in Sgemm.
const sgemmKC = 256

var sgemmPool = sync.Pool{New: func() any { return new([]float32) }}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices (op = transpose if the flag
// is set), lda/ldb/ldc are row strides. Used later for training (backward convs) and least squares.
//
// op(A) is m×k and op(B) is k×n. When beta is 0, C is not read (NaNs in C are overwritten).
// Sgemm packs op(A) in blocks of 4 rows and op(B) in panels of 32 columns, depth
// sgemmKC at a time, and runs the same micro-kernels as Conv (8 rows at a time where the kernel
// set has gemm8).
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 || alpha == 0 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				if beta == 0 {
					row[j] = 0
				} else {
					row[j] *= beta
				}
			}
		}
		return
	}
	K := kern()
	kc := min(k, sgemmKC)
	mp := roundUp(m, 4)
	bufp := sgemmPool.Get().(*[]float32)
	need := mp*kc + kc*nr + 8*nr
	if cap(*bufp) < need {
		*bufp = make([]float32, need)
	}
	buf := (*bufp)[:need]
	pa, pb, tile := buf[:mp*kc], buf[mp*kc:mp*kc+kc*nr], buf[mp*kc+kc*nr:]
	for p0 := 0; p0 < k; p0 += kc {
		kb := min(kc, k-p0)
		// Pack op(A)[:, p0:p0+kb] as blocks of 4 rows [kb][4] (rows past m zero).
		for i0 := 0; i0 < mp; i0 += 4 {
			blk := pa[i0*kb : (i0+4)*kb]
			rows := min(4, m-i0)
			if transA {
				// Row i of op(A) is column i of a: 4 adjacent values per p.
				for p := range kb {
					src, dst := a[(p0+p)*lda+i0:], blk[p*4:p*4+4]
					if rows == 4 {
						src = src[:4]
						dst[0], dst[1], dst[2], dst[3] = src[0], src[1], src[2], src[3]
						continue
					}
					copy(dst[:rows], src[:rows])
					clear(dst[rows:])
				}
				continue
			}
			for i := range 4 {
				if i >= rows {
					for p := range kb {
						blk[p*4+i] = 0
					}
					continue
				}
				src := a[(i0+i)*lda+p0 : (i0+i)*lda+p0+kb]
				for p, v := range src {
					blk[p*4+i] = v
				}
			}
		}
		first := p0 == 0
		for j0 := 0; j0 < n; j0 += nr {
			nb := min(nr, n-j0)
			// Pack op(B)[p0:p0+kb, j0:j0+nb] as [kb][32] (columns past n zero).
			for p := 0; p < kb; p++ {
				row := pb[p*nr : (p+1)*nr]
				if transB {
					for j := 0; j < nb; j++ {
						row[j] = b[(j0+j)*ldb+p0+p]
					}
				} else {
					copy(row[:nb], b[(p0+p)*ldb+j0:(p0+p)*ldb+j0+nb])
				}
				clear(row[nb:])
			}
			for i0 := 0; i0 < m; {
				bh := K.blockRows(mp - i0)
				K.gemmBlock(kb, pa[i0*kb:(i0+bh)*kb], bh, pb, nr, tile, nr)
				for i := 0; i < min(bh, m-i0); i++ {
					crow := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+nb]
					t := tile[i*nr : i*nr+nb]
					switch {
					case !first:
						K.affine(crow, t, crow, alpha, 0, false)
					case beta == 0:
						K.affine(crow, t, nil, alpha, 0, false)
					case beta == 1:
						K.affine(crow, t, crow, alpha, 0, false)
					default:
						for j := range crow {
							crow[j] = alpha*t[j] + beta*crow[j]
						}
					}
				}
				i0 += bh
			}
		}
	}
	sgemmPool.Put(bufp)
}
