// Package kernels implements the convolution and matrix-multiplication kernels
// of the ResNet20 inference engine.
//
// A [Conv] is prepared once (weights packed for the GEMM and, for stride-1 3×3
// convolutions, transformed for Winograd F(4×4,3×3)) and then applied to
// batches of NCHW images with a per-channel epilogue (gather, scale, bias,
// residual, ReLU) fused into the store. Two paths exist:
//
//   - im2col + register-blocked GEMM (any kernel size, stride and padding);
//   - Winograd F(4×4,3×3) for stride-1 3×3 convolutions, with the 4×4 output
//     tiles of all images in a chunk batched so that the 36 per-frequency GEMMs
//     have a large N.
//
// The inner kernels use simd/archsimd when built with GOEXPERIMENT=simd
// (AVX-512 or AVX2+FMA on amd64, chosen at run time; 128-bit SIMD on wasm)
// and portable Go code otherwise.
package kernels

import "fmt"

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

// InputAct is a per-input-channel affine map, optionally followed by a ReLU, that a convolution
// applies to its input as it reads it (a BatchNorm and ReLU before the convolution, fused into it
// so that their output is never stored):
//
//	x'[ci][p] = Scale[ci]·x[ci][p] + Shift[ci], then max(0,·) if ReLU,
//
// computed as kernelSet.affine computes it (a fused multiply-add with the AVX-512 kernels). The
// zero padding is applied to x' (the convolution's real input), not to x.
type InputAct struct {
	Scale, Shift []float32
	ReLU         bool
}

// check panics unless a holds a scale and shift for each of cin channels.
func (a *InputAct) check(cin int) {
	if len(a.Scale) < cin || len(a.Shift) < cin {
		panic("kernels: InputAct shorter than the input channels")
	}
}

// copyRows is K.copyRows through the map of channel ci (a plain copy when a is nil).
func (a *InputAct) copyRows(K *kernelSet, dst []float32, dp int, src []float32, rows, w, ci int) {
	if a == nil {
		K.copyRows(dst, dp, src, rows, w)
		return
	}
	K.affineRowsOf(dst, dp, src, w, nil, rows, w, a.Scale[ci], a.Shift[ci], a.ReLU)
}

// apply writes x' of n images x (n×cin×h×w) into buf and returns it, row by row as copyRows
// maps them (kernel sets whose affine treats vector tails apart give the same bits either way).
func (a *InputAct) apply(K *kernelSet, buf, x []float32, n, cin, h, w int) []float32 {
	hw := h * w
	buf = buf[:n*cin*hw]
	for i := 0; i < n*cin; i++ {
		a.copyRows(K, buf[i*hw:(i+1)*hw], w, x[i*hw:(i+1)*hw], h, w, i%cin)
	}
	return buf
}

// Conv is a prepared 2-D convolution (weights packed / Winograd-transformed once at construction).
type Conv struct {
	rows, cin, k, stride, pad int

	// kdim = cin*k*k is the GEMM depth of the im2col path.
	kdim int
	// a is the im2col weight matrix packed for the GEMM micro-kernel:
	// blocks of 4 rows stored [kdim][4], the last block padded with zero
	// rows (so every row block runs the 4-row kernel: pruned convs have
	// 3, 6 or 12 rows, and separate 1-row passes re-read B and are bound
	// by FMA latency).
	a []float32
	// u holds the Winograd-transformed weights (only when k == 3 and
	// stride == 1), one packed matrix per frequency ξ: 36 × (rows×cin) laid
	// out like a with kdim replaced by cin (rows padded to a multiple of 4).
	u []float32
	// ad holds the weights packed for the direct path (stride 1 or 2): per
	// block of directBlockRows rows [k·k][cin][4], see packDirect.
	ad []float32
}

// NewConv prepares a convolution with rows filters of shape cin×k×k (w is rows*cin*k*k, row-major
// [row][cin][ky][kx], PyTorch layout), given stride and zero padding. It copies w.
func NewConv(w []float32, rows, cin, k, stride, pad int) *Conv {
	if rows <= 0 || cin <= 0 || k <= 0 || stride <= 0 || pad < 0 {
		panic(fmt.Sprintf("kernels: bad conv shape rows=%d cin=%d k=%d stride=%d pad=%d", rows, cin, k, stride, pad))
	}
	kdim := cin * k * k
	if len(w) < rows*kdim {
		panic("kernels: weight slice too short")
	}
	c := &Conv{rows: rows, cin: cin, k: k, stride: stride, pad: pad, kdim: kdim}
	c.a = make([]float32, roundUp(rows, 4)*kdim)
	packA(c.a, w, rows, kdim)
	if k == 3 && stride == 1 {
		c.u = winogradWeights(w, rows, cin)
	}
	if stride <= 2 {
		c.ad = make([]float32, 4*directBlocks(rows)*kdim)
		packDirect(c.ad, w, rows, cin, k)
	}
	return c
}

// SetWeights prepares the convolution again for new weights w (same shape as at NewConv), reusing
// its buffers: after it, c behaves as NewConv(w, …) with its original shape. It copies w.
func (c *Conv) SetWeights(w []float32) {
	if len(w) < c.rows*c.kdim {
		panic("kernels: weight slice too short")
	}
	packA(c.a, w, c.rows, c.kdim)
	if c.u != nil {
		winogradWeightsInto(c.u, w, c.rows, c.cin)
	}
	if c.ad != nil {
		packDirect(c.ad, w, c.rows, c.cin, c.k)
	}
}

// packA packs the rows×kdim row-major matrix w for the micro-kernels: each
// block of 4 rows is stored transposed as [kdim][4], the rows past the last
// one (up to a multiple of 4) as zeros; dst holds roundUp(rows, 4)·kdim floats.
func packA(dst, w []float32, rows, kdim int) {
	for r := 0; r < rows; r += 4 {
		blk := dst[r*kdim : (r+4)*kdim]
		for p := 0; p < kdim; p++ {
			for i := 0; i < 4; i++ {
				v := float32(0)
				if r+i < rows {
					v = w[(r+i)*kdim+p]
				}
				blk[p*4+i] = v
			}
		}
	}
}

// Rows returns the number of filters (rows of the raw convolution output).
func (c *Conv) Rows() int { return c.rows }

// OutSize returns the output spatial size for an h×w input.
func (c *Conv) OutSize(h, w int) (ho, wo int) {
	return (h+2*c.pad-c.k)/c.stride + 1, (w+2*c.pad-c.k)/c.stride + 1
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
	f32 []float32
	i32 []int32
	act []float32 // an input mapped by an InputAct, for the paths that do not fuse it
	sa  scatterArgs
}

// actBuf returns a scratch slice of n float32 values for a mapped input (contents undefined).
func (ws *Workspace) actBuf(n int) []float32 {
	if cap(ws.act) < n {
		ws.act = make([]float32, n+n/4)
	}
	return ws.act[:n]
}

// floats returns a scratch slice of n float32 values (contents undefined).
func (ws *Workspace) floats(n int) []float32 {
	if cap(ws.f32) < n {
		ws.f32 = make([]float32, n+n/4)
	}
	return ws.f32[:n]
}

// ints returns a scratch slice of n int32 values (contents undefined).
func (ws *Workspace) ints(n int) []int32 {
	if cap(ws.i32) < n {
		ws.i32 = make([]int32, n+n/4)
	}
	return ws.i32[:n]
}

// Path selection, overridable by tests.
const (
	pathAuto = iota
	pathIm2col
	pathWinograd
	pathDirect
)

var forcePath = pathAuto

// epi is an epilogue resolved for one Forward call: for each raw row r, the
// output channels co with g(co) = r are inv[start[r]:start[r+1]], with their
// scale and bias.
type epi struct {
	cout  int
	start []int32
	inv   []int32
	scale []float32
	bias  []float32
	res   []float32
	relu  bool
}

// resolve builds the inverse gather map of ep in scratch taken from ints and
// floats (so Forward stays allocation-free).
func (c *Conv) resolve(ep *Epilogue, ints []int32, floats []float32) epi {
	cout := c.OutChannels(ep)
	e := epi{cout: cout, start: ints[:c.rows+1], inv: ints[c.rows+1 : c.rows+1+cout], scale: floats[:cout], bias: floats[cout : 2*cout]}
	for i := range e.start {
		e.start[i] = 0
	}
	g := func(co int) int { return co }
	if ep != nil && ep.Gather != nil {
		g = func(co int) int {
			r := int(ep.Gather[co])
			if r < 0 || r >= c.rows {
				panic(fmt.Sprintf("kernels: Gather[%d] = %d out of range [0,%d)", co, r, c.rows))
			}
			return r
		}
	}
	for co := 0; co < cout; co++ {
		e.start[g(co)+1]++
	}
	for r := 0; r < c.rows; r++ {
		e.start[r+1] += e.start[r]
	}
	// Fill inv using start as a cursor, then shift back.
	for co := 0; co < cout; co++ {
		r := g(co)
		e.inv[e.start[r]] = int32(co)
		e.start[r]++
	}
	for r := c.rows; r > 0; r-- {
		e.start[r] = e.start[r-1]
	}
	e.start[0] = 0
	for co := 0; co < cout; co++ {
		e.scale[co], e.bias[co] = 1, 0
		if ep != nil && ep.Scale != nil {
			e.scale[co] = ep.Scale[co]
		}
		if ep != nil && ep.Bias != nil {
			e.bias[co] = ep.Bias[co]
		}
	}
	if ep != nil {
		e.res, e.relu = ep.Residual, ep.ReLU
	}
	return e
}

// Forward computes n images: src is n×cin×h×w (NCHW), dst is n×OutChannels×ho×wo.
// ws is caller-owned scratch reused across calls (one per goroutine); Forward never allocates once
// ws has grown to the largest layer. Single-threaded: the caller parallelises over images.
func (c *Conv) Forward(dst, src []float32, n, h, w int, ep *Epilogue, ws *Workspace) {
	c.ForwardAct(dst, src, n, h, w, nil, ep, ws)
}

// ForwardAct is Forward of the input mapped by act (nil: Forward): dst = conv(x') with the
// epilogue, x' = act(src). The Winograd path and the stride-1 direct path map each input row as
// they copy it into their padded planes; the other paths map the images into scratch first.
func (c *Conv) ForwardAct(dst, src []float32, n, h, w int, act *InputAct, ep *Epilogue, ws *Workspace) {
	if n <= 0 {
		return
	}
	ho, wo := c.OutSize(h, w)
	if ho <= 0 || wo <= 0 {
		panic("kernels: input smaller than kernel")
	}
	cout := c.OutChannels(ep)
	if len(src) < n*c.cin*h*w || len(dst) < n*cout*ho*wo {
		panic("kernels: src or dst too short")
	}
	if ep != nil && ep.Residual != nil && len(ep.Residual) < n*cout*ho*wo {
		panic("kernels: residual too short")
	}
	// Scratch layout: the resolved epilogue lives at the start of ws.i32 and
	// ws.f32; the path's own scratch follows it.
	ni := c.rows + 1 + cout
	nf := 2 * cout
	path := c.choosePath(n, ho, wo)
	if act != nil {
		act.check(c.cin)
		if path == pathIm2col || path == pathDirect && c.stride != 1 {
			src, act = act.apply(kern(), ws.actBuf(n*c.cin*h*w), src, n, c.cin, h, w), nil
		}
	}
	var need, needI int
	switch path {
	case pathWinograd:
		need, needI = c.winogradScratch(n, h, w)
	case pathDirect:
		need, needI = c.directScratch(n, h, w)
	default:
		need, needI = c.im2colScratch(h, w)
	}
	fs := ws.floats(nf + need)
	is := ws.ints(ni + needI)
	e := c.resolve(ep, is[:ni], fs[:nf])
	switch path {
	case pathWinograd:
		c.winogradForward(dst, src, n, h, w, act, &e, fs[nf:], is[ni:], &ws.sa)
	case pathDirect:
		c.directForward(dst, src, n, h, w, act, &e, fs[nf:], is[ni:])
	default:
		c.im2colForward(dst, src, n, h, w, &e, fs[nf:])
	}
}

// choosePath picks the Forward path for n images with ho×wo outputs
// (forcePath overrides it where the forced path applies).
func (c *Conv) choosePath(n, ho, wo int) int {
	switch {
	case forcePath == pathWinograd && c.u != nil:
		return pathWinograd
	case forcePath == pathDirect && c.ad != nil:
		return pathDirect
	case forcePath != pathAuto:
		return pathIm2col
	}
	if c.ad != nil && directWorthIt(c.rows, c.cin, c.k, c.stride) {
		return pathDirect
	}
	if c.u != nil && winogradWorthIt(n, ho, wo) {
		return pathWinograd
	}
	return pathIm2col
}

// directWorthIt reports whether the direct path beats Winograd and im2col
// for a conv with rows filters, cin input channels, kernel size k and
// stride (measured on the ResNet20 shapes, n = 16, see BenchmarkConvPath and
// the README):
//
//   - stride 2, k > 1, at most 12 filters (pruned 16→6 and 32→12: the
//     im2col copies cost more than the GEMM); with 32 or 64 filters
//     im2col's better-shaped GEMM wins;
//   - stride 2, k = 1, at most 16 input channels (the 16→32 shortcut, and
//     its method-1 version 16→6 gathered to 32); from 32 channels on the
//     two paths are even;
//   - stride 1, at most 4 filters reading many channels (16→3,
//     also gathered to 16 channels by method 1), where Winograd's input
//     transform (∝ cin) is not shared by enough filters; at 32→6 and 64→12
//     Winograd still wins;
//   - stride 1, at most 4 input channels (the 3→16 stem, method 2's 3→16):
//     Winograd's output transform per filter is then the whole cost
//     (stem 12.4k vs 24.0k ns/image, p_3to16 14.5k vs 17.2k).
func directWorthIt(rows, cin, k, stride int) bool {
	if kern().dconv == nil { // measured with dconvAVX512 only
		return stride == 1 && rows <= 4 && cin >= 4*rows
	}
	if stride == 2 {
		return k > 1 && rows <= 12 || k == 1 && cin <= 16
	}
	return rows <= 4 && cin >= 4*rows || cin <= 4
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
