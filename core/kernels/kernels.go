// Package kernels implements the convolution and matrix-multiplication kernels
// of the ResNet20 inference engine: im2col+GEMM, Winograd and 1×1 paths with a
// fused per-channel epilogue (gather, scale, bias, residual, ReLU).
package kernels

// Epilogue is applied to each GEMM/conv output element, fused into the kernel's store:
//
//	out[c][p] = Scale[c]*z[g(c)][p] + Bias[c] (+ Residual[c][p]) then max(0,·) if ReLU,
//
// where z is the raw convolution with R = Rows filters and g(c) = Gather[c] (or c when Gather is nil).
// Output channel count is len(Gather) when Gather != nil, else Rows. Nil Scale means 1, nil Bias means 0.
// Residual, when non-nil, has the output's shape (n×Cout×Ho×Wo) and may NOT alias dst.
type Epilogue struct {
	Gather   []int32
	Scale    []float32
	Bias     []float32
	Residual []float32
	ReLU     bool
}

// Conv is a prepared 2-D convolution (weights packed / Winograd-transformed once at construction).
type Conv struct {
	w                      []float32
	rows, cin, k, str, pad int
}

// NewConv prepares a convolution with rows filters of shape cin×k×k (w is rows*cin*k*k, row-major
// [row][cin][ky][kx], PyTorch layout), given stride and zero padding. It copies w.
func NewConv(w []float32, rows, cin, k, stride, pad int) *Conv {
	if len(w) < rows*cin*k*k {
		panic("kernels: weight slice too short")
	}
	c := &Conv{w: append([]float32(nil), w[:rows*cin*k*k]...), rows: rows, cin: cin, k: k, str: stride, pad: pad}
	return c
}

// Rows returns the number of filters (rows of the raw convolution output).
func (c *Conv) Rows() int { return c.rows }

// OutSize returns the output spatial size for an h×w input.
func (c *Conv) OutSize(h, w int) (ho, wo int) {
	return (h+2*c.pad-c.k)/c.str + 1, (w+2*c.pad-c.k)/c.str + 1
}

// OutChannels returns the output channel count for epilogue ep (len(ep.Gather) or Rows()).
func (c *Conv) OutChannels(ep *Epilogue) int {
	if ep != nil && ep.Gather != nil {
		return len(ep.Gather)
	}
	return c.rows
}

// Workspace is reusable scratch memory for Forward (zero value ready to use).
type Workspace struct {
	buf []float32
}

func (ws *Workspace) get(n int) []float32 {
	if cap(ws.buf) < n {
		ws.buf = make([]float32, n)
	}
	return ws.buf[:n]
}

// Forward computes n images: src is n×cin×h×w (NCHW), dst is n×OutChannels×ho×wo.
// ws is caller-owned scratch reused across calls (one per goroutine); Forward never allocates once
// ws has grown to the largest layer. Single-threaded: the caller parallelises over images.
func (c *Conv) Forward(dst, src []float32, n, h, w int, ep *Epilogue, ws *Workspace) {
	ho, wo := c.OutSize(h, w)
	hw := ho * wo
	z := ws.get(c.rows * hw)
	cout := c.OutChannels(ep)
	for img := 0; img < n; img++ {
		naiveConv32(z, src[img*c.cin*h*w:(img+1)*c.cin*h*w], c.w, c.cin, h, w, c.rows, c.k, c.str, c.pad)
		out := dst[img*cout*hw : (img+1)*cout*hw]
		var res []float32
		if ep != nil && ep.Residual != nil {
			res = ep.Residual[img*cout*hw : (img+1)*cout*hw]
		}
		applyEpilogue(out, z, res, cout, hw, ep)
	}
}

func applyEpilogue(out, z, res []float32, cout, hw int, ep *Epilogue) {
	for co := 0; co < cout; co++ {
		g := co
		s, b := float32(1), float32(0)
		relu := false
		if ep != nil {
			if ep.Gather != nil {
				g = int(ep.Gather[co])
			}
			if ep.Scale != nil {
				s = ep.Scale[co]
			}
			if ep.Bias != nil {
				b = ep.Bias[co]
			}
			relu = ep.ReLU
		}
		zr := z[g*hw : (g+1)*hw]
		or := out[co*hw : (co+1)*hw]
		for p := range or {
			v := s*zr[p] + b
			if res != nil {
				v += res[co*hw+p]
			}
			if relu && v < 0 {
				v = 0
			}
			or[p] = v
		}
	}
}

func naiveConv32(dst, src, w []float32, cin, h, wd, rows, k, stride, pad int) {
	ho, wo := (h+2*pad-k)/stride+1, (wd+2*pad-k)/stride+1
	for r := 0; r < rows; r++ {
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				var s float32
				for ci := 0; ci < cin; ci++ {
					for ky := 0; ky < k; ky++ {
						iy := oy*stride - pad + ky
						if iy < 0 || iy >= h {
							continue
						}
						for kx := 0; kx < k; kx++ {
							ix := ox*stride - pad + kx
							if ix < 0 || ix >= wd {
								continue
							}
							s += src[(ci*h+iy)*wd+ix] * w[((r*cin+ci)*k+ky)*k+kx]
						}
					}
				}
				dst[(r*ho+oy)*wo+ox] = s
			}
		}
	}
}

// ReferenceConv is the naive direct convolution (float64 accumulation) used by tests everywhere:
// dst (n×rows×ho×wo) = conv(src, w) with no epilogue.
func ReferenceConv(dst, src, w []float32, n, cin, h, wd, rows, k, stride, pad int) {
	ho, wo := (h+2*pad-k)/stride+1, (wd+2*pad-k)/stride+1
	for img := 0; img < n; img++ {
		s := src[img*cin*h*wd:]
		d := dst[img*rows*ho*wo:]
		for r := 0; r < rows; r++ {
			for oy := 0; oy < ho; oy++ {
				for ox := 0; ox < wo; ox++ {
					var acc float64
					for ci := 0; ci < cin; ci++ {
						for ky := 0; ky < k; ky++ {
							iy := oy*stride - pad + ky
							if iy < 0 || iy >= h {
								continue
							}
							for kx := 0; kx < k; kx++ {
								ix := ox*stride - pad + kx
								if ix < 0 || ix >= wd {
									continue
								}
								acc += float64(s[(ci*h+iy)*wd+ix]) * float64(w[((r*cin+ci)*k+ky)*k+kx])
							}
						}
					}
					d[(r*ho+oy)*wo+ox] = float32(acc)
				}
			}
		}
	}
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices (op = transpose if the flag
// is set), lda/ldb/ldc are row strides. Used later for training (backward convs) and least squares.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}
