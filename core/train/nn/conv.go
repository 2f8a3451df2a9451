package nn

import "github.com/resnet20-pruning/resnet20-pruning/core/kernels"

// Conv is a bias-optional 2-D convolution with zero padding, computed as im2col + GEMM.
//
// Forward, for each image (P = Ho·Wo output pixels, KK = Cin·K·K):
//
//	col[(ci,ky,kx)][(oy,ox)] = x[ci][oy·S−Pad+ky][ox·S−Pad+kx]   (0 outside the image)   KK×P
//	z = W·col + b                                                                          Rows×P
//	y[c] = z[g(c)],  g(c) = Assign[c] (method-1 shared filters) or c                        Cout×P
//
// Backward, given dL/dy:
//
//	dz[j] = Σ_{c: g(c)=j} dy[c]                (a shared filter collects its members' gradients)
//	dW = Σ_images dz·colᵀ                       Rows×KK
//	db[j] = Σ_images Σ_p dz[j][p]
//	dx = col2im(Wᵀ·dz)                          col2im adds each col entry back to the pixel it came from
//
// A 1×1 stride-1 unpadded convolution uses x itself as col.
type Conv struct {
	Cin, Rows, K, Stride, Pad int
	// Assign, when non-nil, maps each of the Cout = len(Assign) output channels to its filter.
	Assign []int32
	// W holds Rows filters of Cin×K×K (PyTorch layout); DW is its gradient after Backward.
	W, DW []float32
	// B, when non-nil, holds one bias per filter; DB is its gradient after Backward.
	B, DB []float32

	x          []float32 // input saved by Forward
	n, h, w    int
	col, dcol  [][]float32 // per-shard scratch
	z          [][]float32
	dw, db     [][]float32 // per-shard partial gradients
	noIm2col   bool
	colLen, hw int
}

// NewConv returns a convolution over w (rows×cin×k×k, aliased, not copied), with optional bias b
// (aliased) and optional channel assignment (aliased).
func NewConv(cin, rows, k, stride, pad int, w, b []float32, assign []int32) *Conv {
	if len(w) != rows*cin*k*k {
		panic("nn: conv weight length does not match rows×cin×k×k")
	}
	if b != nil && len(b) != rows {
		panic("nn: conv bias length does not match rows")
	}
	c := &Conv{Cin: cin, Rows: rows, K: k, Stride: stride, Pad: pad, Assign: assign, W: w, B: b,
		DW: make([]float32, len(w))}
	if b != nil {
		c.DB = make([]float32, rows)
	}
	return c
}

// Cout returns the number of output channels: len(Assign), or Rows.
func (c *Conv) Cout() int {
	if c.Assign != nil {
		return len(c.Assign)
	}
	return c.Rows
}

// OutSize returns the output size for an h×w input.
func (c *Conv) OutSize(h, w int) (ho, wo int) {
	return (h+2*c.Pad-c.K)/c.Stride + 1, (w+2*c.Pad-c.K)/c.Stride + 1
}

// Forward computes y (n×Cout×ho×wo) from x (n×Cin×h×w) and remembers x for Backward.
func (c *Conv) Forward(p Parallel, y, x []float32, n, h, w int) {
	ho, wo := c.OutSize(h, w)
	P, KK, cout := ho*wo, c.Cin*c.K*c.K, c.Cout()
	c.x, c.n, c.h, c.w, c.hw, c.colLen = x[:n*c.Cin*h*w], n, h, w, P, KK*P
	c.noIm2col = c.K == 1 && c.Stride == 1 && c.Pad == 0
	t := p.Shards(n)
	c.col, c.z = growShards(c.col, t), growShards(c.z, t)
	p.For(n, func(s, lo, hi int) {
		for img := lo; img < hi; img++ {
			col := c.im2col(s, img)
			out := y[img*cout*P : (img+1)*cout*P]
			z := out
			if c.Assign != nil {
				c.z[s] = grow(c.z[s], c.Rows*P)
				z = c.z[s]
			}
			kernels.Sgemm(false, false, c.Rows, P, KK, 1, c.W, KK, col, P, 0, z, P)
			if c.B != nil {
				for r, b := range c.B {
					row := z[r*P : (r+1)*P]
					for i := range row {
						row[i] += b
					}
				}
			}
			if c.Assign != nil {
				for ch, g := range c.Assign {
					copy(out[ch*P:(ch+1)*P], z[int(g)*P:(int(g)+1)*P])
				}
			}
		}
	})
}

// im2col returns image img's col matrix, built in shard s's scratch (or x itself for 1×1 convs).
func (c *Conv) im2col(s, img int) []float32 {
	chw := c.Cin * c.h * c.w
	x := c.x[img*chw : (img+1)*chw]
	if c.noIm2col {
		return x
	}
	c.col[s] = grow(c.col[s], c.colLen)
	Im2col(c.col[s], x, c.Cin, c.h, c.w, c.K, c.Stride, c.Pad)
	return c.col[s]
}

// Backward sets DW (and DB) to the gradient of the loss for the batch of the last Forward and,
// when dx is not nil, writes dL/dx (n×Cin×h×w) into it. dy is dL/dy (n×Cout×ho×wo).
func (c *Conv) Backward(p Parallel, dx, dy []float32) {
	n, P, KK, cout := c.n, c.hw, c.Cin*c.K*c.K, c.Cout()
	t := p.Shards(n)
	c.dw, c.db, c.dcol, c.z = growShards(c.dw, t), growShards(c.db, t), growShards(c.dcol, t), growShards(c.z, t)
	p.For(n, func(s, lo, hi int) {
		dw := grow(c.dw[s], len(c.W))
		clear(dw)
		c.dw[s] = dw
		var db []float32
		if c.B != nil {
			db = grow(c.db[s], c.Rows)
			clear(db)
			c.db[s] = db
		}
		for img := lo; img < hi; img++ {
			dz := dy[img*cout*P : (img+1)*cout*P]
			if c.Assign != nil {
				c.z[s] = grow(c.z[s], c.Rows*P)
				z := c.z[s]
				clear(z)
				for ch, g := range c.Assign {
					axpy(z[int(g)*P:(int(g)+1)*P], dz[ch*P:(ch+1)*P])
				}
				dz = z
			}
			if db != nil {
				for r := range db {
					db[r] += float32(sum32(dz[r*P : (r+1)*P]))
				}
			}
			col := c.im2col(s, img)
			kernels.Sgemm(false, true, c.Rows, KK, P, 1, dz, P, col, P, 1, dw, KK)
			if dx == nil {
				continue
			}
			chw := c.Cin * c.h * c.w
			dxi := dx[img*chw : (img+1)*chw]
			if c.noIm2col {
				kernels.Sgemm(true, false, KK, P, c.Rows, 1, c.W, KK, dz, P, 0, dxi, P)
				continue
			}
			c.dcol[s] = grow(c.dcol[s], c.colLen)
			dcol := c.dcol[s]
			kernels.Sgemm(true, false, KK, P, c.Rows, 1, c.W, KK, dz, P, 0, dcol, P)
			Col2im(dxi, dcol, c.Cin, c.h, c.w, c.K, c.Stride, c.Pad)
		}
	})
	reduceShards(c.DW, c.dw[:t])
	if c.B != nil {
		reduceShards(c.DB, c.db[:t])
	}
}

// reduceShards sets dst to the sum of the per-shard partials, added in shard order.
func reduceShards(dst []float32, parts [][]float32) {
	copy(dst, parts[0])
	for _, p := range parts[1:] {
		axpy(dst, p)
	}
}

// axpy adds x to y element-wise.
func axpy(y, x []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += v
	}
}

// Im2col writes the KK×P column matrix of one image x (cin×h×w) into col, where KK = cin·k·k and
// P = ho·wo: col[(ci·k+ky)·k+kx][oy·wo+ox] = x[ci][oy·stride−pad+ky][ox·stride−pad+kx], 0 outside.
func Im2col(col, x []float32, cin, h, w, k, stride, pad int) {
	ho, wo := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	P := ho * wo
	for ci := range cin {
		for ky := range k {
			for kx := range k {
				row := col[((ci*k+ky)*k+kx)*P:][:P]
				lo, hi := validRange(kx, pad, stride, w, wo)
				for oy := range ho {
					dst := row[oy*wo : (oy+1)*wo]
					iy := oy*stride - pad + ky
					if iy < 0 || iy >= h || lo >= hi {
						clear(dst)
						continue
					}
					src := x[(ci*h+iy)*w : (ci*h+iy+1)*w]
					clear(dst[:lo])
					if stride == 1 {
						copy(dst[lo:hi], src[lo-pad+kx:])
					} else {
						for ox := lo; ox < hi; ox++ {
							dst[ox] = src[ox*stride-pad+kx]
						}
					}
					clear(dst[hi:])
				}
			}
		}
	}
}

// Col2im is the adjoint of Im2col: it sets dx (cin×h×w) to the sum, over the entries of dcol,
// of each entry added to the input pixel that Im2col copied it from.
func Col2im(dx, dcol []float32, cin, h, w, k, stride, pad int) {
	ho, wo := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	P := ho * wo
	clear(dx[:cin*h*w])
	for ci := range cin {
		for ky := range k {
			for kx := range k {
				row := dcol[((ci*k+ky)*k+kx)*P:][:P]
				lo, hi := validRange(kx, pad, stride, w, wo)
				for oy := range ho {
					iy := oy*stride - pad + ky
					if iy < 0 || iy >= h || lo >= hi {
						continue
					}
					src := row[oy*wo : (oy+1)*wo]
					dst := dx[(ci*h+iy)*w : (ci*h+iy+1)*w]
					if stride == 1 {
						axpy(dst[lo-pad+kx:lo-pad+kx+hi-lo], src[lo:hi])
					} else {
						for ox := lo; ox < hi; ox++ {
							dst[ox*stride-pad+kx] += src[ox]
						}
					}
				}
			}
		}
	}
}

// validRange returns the output columns [lo, hi) whose input column ox·stride−pad+kx lies in [0, w).
func validRange(kx, pad, stride, w, wo int) (lo, hi int) {
	lo = 0
	for lo < wo && lo*stride-pad+kx < 0 {
		lo++
	}
	hi = wo
	for hi > lo && (hi-1)*stride-pad+kx >= w {
		hi--
	}
	return lo, hi
}
