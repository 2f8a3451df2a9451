package kernels

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// im2colScratch returns the float32 and int32 scratch sizes of im2colForward.
func (c *Conv) im2colScratch(h, w int) (nf, ni int) {
	ho, wo := c.OutSize(h, w)
	nf = c.kdim*im2colStride(ho*wo) + 8*nr
	if c.stride == 2 {
		nf += c.cin * 4 * ((h + 1) / 2) * wo // phase planes
	}
	return nf, 0
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
// in[c][oy·s−pad+ky][ox·s−pad+kx], zero outside the image). Each 4×32 tile
// of Z (8×32 with gemm8) is computed by the micro-kernel into L1 scratch and
// immediately stored through the epilogue.
func (c *Conv) im2colForward(dst, src []float32, n, h, w int, e *epi, scratch []float32) {
	K := kern()
	ho, wo := c.OutSize(h, w)
	hw := ho * wo
	np := im2colStride(hw)
	bmat := scratch[:c.kdim*np]
	tile := scratch[c.kdim*np : c.kdim*np+8*nr]
	phases := scratch[c.kdim*np+8*nr:]
	rows4 := roundUp(c.rows, 4)
	kd := c.kdim
	for img := 0; img < n; img++ {
		in := src[img*c.cin*h*w : (img+1)*c.cin*h*w]
		b, ldb := bmat, np
		if c.k == 1 && c.stride == 1 && c.pad == 0 && hw%nr == 0 {
			b, ldb = in, hw // the image already is the B matrix
		} else if !c.im2colShifted(K, bmat, in, phases, h, w, ho, wo, np) {
			c.im2col(K, bmat, in, h, w, ho, wo, np)
		}
		for j0 := 0; j0 < hw; j0 += nr {
			cnt := min(nr, hw-j0)
			for r, bh := 0, 0; r < c.rows; r += bh {
				bh = K.blockRows(rows4 - r)
				K.gemmBlock(kd, c.a[r*kd:], bh, b[j0:], ldb, tile, nr)
				for i := 0; i < min(bh, c.rows-r); i++ {
					e.store(K, dst, tile[i*nr:i*nr+cnt], r+i, img, j0, hw)
				}
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
						K.decimate2(seg[lo:], 0, src[2*lo-pad+kx:], 0, 1, hi+1-lo)
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

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int) int {
	if a >= 0 {
		return a / b
	}
	return -((-a + b - 1) / b)
}

// im2colShifted builds the im2col matrix with one contiguous copy per row,
// for stride 1 or 2 when the output width equals the width of the (phase)
// planes read, which holds for "same"-padded convolutions such as ResNet's.
// It reports false (doing nothing) when it does not apply.
//
// With stride s the input is split into s×s phase planes
// P[py][px][i][j] = in[i·s+py][j·s+px] of row pitch wo (for s = 1 the plane
// is the input itself). Tap (ky,kx) reads, with ky−pad = dy·s+py and
// kx−pad = dx·s+px, B[oy·wo+ox] = P[py][px][oy+dy][ox+dx]: a copy of plane
// (py,px) shifted by dy·wo+dx, after which the rows and columns that fell
// outside the plane (and wrapped around) are zeroed.
func (c *Conv) im2colShifted(K *kernelSet, bmat, in, phases []float32, h, w, ho, wo, np int) bool {
	s, k, pad := c.stride, c.k, c.pad
	if s > 2 || (w+s-1)/s != wo {
		return false
	}
	hw := ho * wo
	hp := (h + s - 1) / s // rows of the largest phase plane
	psz := hp * wo
	if s == 2 {
		// Split the used phases (those some tap reads) of every channel.
		var used [2]bool // phases read by some tap (same for rows and columns)
		for t := 0; t < k; t++ {
			used[(t-pad)&1] = true
		}
		for ci := 0; ci < c.cin; ci++ {
			for py := 0; py < 2; py++ {
				for px := 0; px < 2; px++ {
					if !used[py] || !used[px] {
						continue
					}
					p := phases[((ci*2+py)*2+px)*psz : ((ci*2+py)*2+px+1)*psz]
					// Rest of the image as source: slack for vector reads.
					K.decimate2(p, wo, in[(ci*h+py)*w+px:], 2*w, (h-py+1)/2, (w-px+1)/2)
					if (w-px+1)/2 < wo {
						for y := 0; y < hp; y++ {
							p[y*wo+wo-1] = 0
						}
					}
				}
			}
		}
	}
	for ci := 0; ci < c.cin; ci++ {
		for ky := 0; ky < k; ky++ {
			dy := floorDiv(ky-pad, s)
			py := ky - pad - dy*s
			php := (h - py + s - 1) / s // rows of plane py
			for kx := 0; kx < k; kx++ {
				dx := floorDiv(kx-pad, s)
				px := kx - pad - dx*s
				pwp := (w - px + s - 1) / s // valid columns of plane px
				var plane []float32
				if s == 1 {
					plane = in[ci*h*w : (ci+1)*h*w]
				} else {
					plane = phases[((ci*2+py)*2+px)*psz : ((ci*2+py)*2+px+1)*psz]
				}
				row := bmat[((ci*k+ky)*k+kx)*np : ((ci*k+ky)*k+kx+1)*np]
				clear(row[hw:])
				off := dy*wo + dx
				lo, hi := max(0, -off), min(hw, len(plane)-off)
				if lo >= hi {
					clear(row[:hw])
					continue
				}
				clear(row[:lo])
				copy(row[lo:hi], plane[lo+off:hi+off])
				clear(row[hi:hw])
				for oy := 0; oy < ho; oy++ {
					seg := row[oy*wo : (oy+1)*wo]
					if oy+dy < 0 || oy+dy >= php {
						clear(seg)
						continue
					}
					for ox := 0; ox < -dx; ox++ {
						seg[ox] = 0
					}
					for ox := max(0, pwp-dx); ox < wo; ox++ {
						seg[ox] = 0
					}
				}
			}
		}
	}
	return true
}
