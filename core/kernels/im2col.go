package kernels

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// im2colScratch returns the float32 and int32 scratch sizes of im2colForward.
func (c *Conv) im2colScratch(h, w int) (nf, ni int) {
	ho, wo := c.OutSize(h, w)
	return c.kdim*im2colStride(ho*wo) + 4*nr, 0
}

// im2colStride is the row stride of the im2col matrix for hw output pixels:
// a multiple of nr plus 16 floats, so that the rows of a 32-column panel do
// not all map to the same few L1 sets.
func im2colStride(hw int) int { return roundUp(hw, nr) + 16 }

// im2colForward computes the convolution image by image as the GEMM
//
//	Z (rows × ho·wo) = A (rows × cin·k·k) · B (cin·k·k × ho·wo),
//
// where B is the im2col matrix of the image (B[(c,ky,kx)][(oy,ox)] =
// in[c][oy·s−pad+ky][ox·s−pad+kx], zero outside the image). Each 4×32 tile of
// Z is computed by the micro-kernel into L1 scratch and immediately stored
// through the epilogue.
func (c *Conv) im2colForward(dst, src []float32, n, h, w int, e *epi, scratch []float32) {
	K := kern()
	ho, wo := c.OutSize(h, w)
	hw := ho * wo
	np := im2colStride(hw)
	bmat := scratch[:c.kdim*np]
	tile := scratch[c.kdim*np : c.kdim*np+4*nr]
	kd := c.kdim
	for img := 0; img < n; img++ {
		in := src[img*c.cin*h*w : (img+1)*c.cin*h*w]
		b, ldb := bmat, np
		if c.k == 1 && c.stride == 1 && c.pad == 0 && hw%nr == 0 {
			b, ldb = in, hw // the image already is the B matrix
		} else {
			c.im2col(K, bmat, in, h, w, ho, wo, np)
		}
		for j0 := 0; j0 < hw; j0 += nr {
			cnt := min(nr, hw-j0)
			r := 0
			for ; r+4 <= c.rows; r += 4 {
				K.gemm4(kd, c.a[r*kd:(r+4)*kd], b[j0:], ldb, tile, nr)
				for i := 0; i < 4; i++ {
					e.store(K, dst, tile[i*nr:i*nr+cnt], r+i, img, j0, hw)
				}
			}
			for ; r < c.rows; r++ {
				K.gemm1(kd, c.a[r*kd:(r+1)*kd], b[j0:], ldb, tile)
				e.store(K, dst, tile[:cnt], r, img, j0, hw)
			}
		}
	}
}

// store writes the raw convolution values z of row r, image img, pixels
// p0..p0+len(z) through the epilogue to every output channel gathered from r.
func (e *epi) store(K *kernelSet, dst, z []float32, r, img, p0, hw int) {
	for _, co := range e.inv[e.start[r]:e.start[r+1]] {
		off := (img*e.cout+int(co))*hw + p0
		var res []float32
		if e.res != nil {
			res = e.res[off : off+len(z)]
		}
		K.affine(dst[off:off+len(z)], z, res, e.scale[co], e.bias[co], e.relu)
	}
}

// im2col fills bmat (kdim × np, row stride np) with the im2col matrix of one
// image using row-span copies (contiguous copies when stride is 1); columns
// hw..np-1 are zeroed.
func (c *Conv) im2col(K *kernelSet, bmat, in []float32, h, w, ho, wo, np int) {
	k, s, pad := c.k, c.stride, c.pad
	hw := ho * wo
	for ci := 0; ci < c.cin; ci++ {
		plane := in[ci*h*w:] // the rest of the image: slack for vector reads
		for ky := 0; ky < k; ky++ {
			for kx := 0; kx < k; kx++ {
				row := bmat[((ci*k+ky)*k+kx)*np : ((ci*k+ky)*k+kx+1)*np]
				clear(row[hw:])
				// Valid output columns: 0 <= ox*s-pad+kx < w.
				lo := 0
				if pad-kx > 0 {
					lo = (pad - kx + s - 1) / s
				}
				hi := -1 // last valid ox
				if w-1+pad-kx >= 0 {
					hi = min(wo-1, (w-1+pad-kx)/s)
				}
				for oy := 0; oy < ho; oy++ {
					seg := row[oy*wo : (oy+1)*wo]
					iy := oy*s - pad + ky
					if iy < 0 || iy >= h || hi < lo {
						clear(seg)
						continue
					}
					clear(seg[:lo])
					clear(seg[hi+1:])
					src := plane[iy*w:]
					switch s {
					case 1:
						copy(seg[lo:hi+1], src[lo-pad+kx:hi-pad+kx+1])
					case 2:
						K.decimate2(seg[lo:hi+1], src[2*lo-pad+kx:])
					default:
						ix := lo*s - pad + kx
						for ox := lo; ox <= hi; ox++ {
							seg[ox] = src[ix]
							ix += s
						}
					}
				}
			}
		}
	}
}
