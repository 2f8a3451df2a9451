package nn

import "github.com/resnet20-pruning/resnet20-pruning/core/kernels"

// Conv is a bias-optional 2-D convolution with zero padding, written here in the im2col form.
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
// With an input activation (SetInputAct: the BatchNorm and ReLU before the convolution, fused into
// its input reads so that their output is never stored) the convolution's input is
//
//	x'[ci] = max(a[ci]·x[ci] + b[ci], 0)
//
// and everything above uses x' for x: col is built from x' (zero-padded), dW = Σ dz·col(x')ᵀ, and
// dx = col2im(Wᵀ·dz) is dL/dx' (the caller applies the activation's backward, as the BatchNorm's
// backward pass with its recomputed ReLU mask does).
//
// The forward pass and, for stride-1 "same" convolutions, the input gradient run on the inference
// kernels (kernels.Conv); the weight gradient runs on kernels.ConvWeightGrad (which reads the
// input directly and never builds col); the other input gradients are the 1×1 convolution Wᵀ·dz
// (a prepared kernels.Conv) scattered by Col2im.
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
	dcol       [][]float32 // per-shard scratch
	z          [][]float32
	dw, db     [][]float32           // per-shard partial gradients
	wg         []*kernels.WeightGrad // per-shard weight-gradient accumulators
	colLen, hw int
	ws         []kernels.Workspace // per-shard scratch of the prepared kernels
	fwd, bwd   *kernels.Conv       // kernels of the forward pass and of the input gradient
	fwdReady   bool                // fwd holds the current weights (Prepare), for the next Forward
	bwdReady   bool                // bwd holds the current weights (Prepare), for the next Backward
	wt         []float32           // scratch for the input-gradient filters
	outBias    []float32           // bias per output channel (gathered) for the forward epilogue
	ep         kernels.Epilogue    // forward epilogue (ForwardBegin)
	bep        []kernels.Epilogue  // per shard: the input gradient's epilogue (BackwardImagesAdd)
	act        *kernels.InputAct   // input activation (SetInputAct), or nil
	shards     int                 // shards of the running backward pass (BackwardBegin)
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
// It runs the inference kernels (kernels.Conv: Winograd for 3×3 stride 1, else im2col + GEMM,
// with the gather and bias fused into the store), prepared from the current weights.
func (c *Conv) Forward(p Parallel, y, x []float32, n, h, w int) {
	c.ForwardBegin(x, n, h, w, p.Shards(n))
	per := c.Cout() * c.hw
	p.For(n, func(s, lo, hi int) { c.ForwardImages(s, y[lo*per:hi*per], lo, hi) })
}

// SetInputAct makes the convolution read its input through x' = max(a[ci]·x + b[ci], 0) (a and b
// aliased, one per input channel, unchanged until the Backward of the Forward that uses them), or
// read it as it is when a is nil. It holds until changed.
func (c *Conv) SetInputAct(a, b []float32) {
	if a == nil {
		c.act = nil
		return
	}
	if len(a) != c.Cin || len(b) != c.Cin {
		panic("nn: conv input activation length does not match cin")
	}
	c.act = &kernels.InputAct{Scale: a, Shift: b, ReLU: true}
}

// ForwardBegin starts a forward pass over x (n×Cin×h×w, remembered for Backward) run by t
// shards: ForwardImages then computes any range of images on any shard, so that a caller can
// run a layer a few images at a time, interleaved with the layers around it.
func (c *Conv) ForwardBegin(x []float32, n, h, w, t int) {
	ho, wo := c.OutSize(h, w)
	P, KK, cout := ho*wo, c.Cin*c.K*c.K, c.Cout()
	c.x, c.n, c.h, c.w, c.hw, c.colLen = x[:n*c.Cin*h*w], n, h, w, P, KK*P
	c.growWorkspaces(t)
	c.ep = kernels.Epilogue{Gather: c.Assign}
	if c.B != nil {
		c.outBias = grow(c.outBias, cout)
		for ch := range cout {
			r := ch
			if c.Assign != nil {
				r = int(c.Assign[ch])
			}
			c.outBias[ch] = c.B[r]
		}
		c.ep.Bias = c.outBias
	}
	if !c.fwdReady {
		c.prepareForward()
	}
	c.fwdReady = false
}

// ForwardImages writes into y the outputs ((hi−lo)×Cout×ho×wo) of images lo … hi−1 of the
// input given to ForwardBegin, using shard s's scratch.
func (c *Conv) ForwardImages(s int, y []float32, lo, hi int) {
	chw := c.Cin * c.h * c.w
	c.fwd.ForwardAct(y, c.x[lo*chw:hi*chw], hi-lo, c.h, c.w, c.act, &c.ep, &c.ws[s])
}

// Prepare builds, from the current weights, the kernels that the next Forward and Backward
// would otherwise build on entry (weight packing and Winograd transforms, single-threaded), so
// that a model can prepare all its layers concurrently. The weights must not change before that
// Forward and Backward.
func (c *Conv) Prepare() {
	c.prepareForward()
	c.prepareBackward()
	c.fwdReady, c.bwdReady = true, true
}

// prepareForward (re)builds the forward kernel from the current weights, reusing its buffers.
func (c *Conv) prepareForward() {
	if c.fwd == nil {
		c.fwd = kernels.NewConv(c.W, c.Rows, c.Cin, c.K, c.Stride, c.Pad)
	} else {
		c.fwd.SetWeights(c.W)
	}
}

// prepareBackward (re)builds the kernel of the input gradient: for stride-1 "same" convolutions
// the convolution of dz by the flipped, transposed filters; otherwise the 1×1 convolution of dz by
// Wᵀ (Cin·K·K filters of Rows channels), which gives the column matrix Wᵀ·dz that Col2im scatters.
func (c *Conv) prepareBackward() {
	var wt []float32
	if c.sameStride1() {
		wt = c.flipTranspose()
	} else {
		KK := c.Cin * c.K * c.K
		c.wt = grow(c.wt, len(c.W))
		wt = c.wt
		for r := range c.Rows {
			for j := range KK {
				wt[j*c.Rows+r] = c.W[r*KK+j]
			}
		}
	}
	switch {
	case c.bwd != nil:
		c.bwd.SetWeights(wt)
	case c.sameStride1():
		c.bwd = kernels.NewConv(wt, c.Cin, c.Rows, c.K, 1, c.Pad)
	default:
		c.bwd = kernels.NewConv(wt, c.Cin*c.K*c.K, c.Rows, 1, 1, 0)
	}
}

func (c *Conv) growWorkspaces(t int) {
	for len(c.ws) < t {
		c.ws = append(c.ws, kernels.Workspace{})
	}
}

// sameStride1 reports whether the convolution keeps the size (stride 1, padding (K−1)/2): then
// its input gradient is itself a convolution, of dz by the flipped, transposed filters.
func (c *Conv) sameStride1() bool { return c.Stride == 1 && 2*c.Pad == c.K-1 }

// flipTranspose returns the filters of the input-gradient convolution of a stride-1 "same"
// convolution: W'[ci][r][ky][kx] = W[r][ci][K−1−ky][K−1−kx], so that
// dx[ci] = Σ_r dz[r] ⋆ W'[ci][r] with the same padding.
func (c *Conv) flipTranspose() []float32 {
	k := c.K
	c.wt = grow(c.wt, len(c.W))
	wt := c.wt
	for r := range c.Rows {
		for ci := range c.Cin {
			for ky := range k {
				for kx := range k {
					wt[((ci*c.Rows+r)*k+ky)*k+kx] = c.W[((r*c.Cin+ci)*k+k-1-ky)*k+k-1-kx]
				}
			}
		}
	}
	return wt
}

// Backward sets DW (and DB) to the gradient of the loss for the batch of the last Forward and,
// when dx is not nil, writes dL/dx (n×Cin×h×w) into it. dy is dL/dy (n×Cout×ho×wo).
//
// For stride-1 "same" convolutions dx is computed as the convolution of dz by the flipped,
// transposed filters with the inference kernels (Winograd for 3×3); otherwise as col2im(Wᵀ·dz).
func (c *Conv) Backward(p Parallel, dx, dy []float32) {
	c.BackwardBegin(p.Shards(c.n), dx != nil)
	chw, per := c.Cin*c.h*c.w, c.Cout()*c.hw
	p.For(c.n, func(s, lo, hi int) {
		var d []float32
		if dx != nil {
			d = dx[lo*chw : hi*chw]
		}
		c.BackwardImages(s, d, dy[lo*per:hi*per], lo, hi)
	})
	c.BackwardEnd()
}

// BackwardBegin starts the backward pass of the last Forward, run by t shards with
// BackwardImages over every image exactly once, then BackwardEnd; withDx tells whether input
// gradients will be asked for.
func (c *Conv) BackwardBegin(t int, withDx bool) {
	c.dw, c.db, c.dcol, c.z = growShards(c.dw, t), growShards(c.db, t), growShards(c.dcol, t), growShards(c.z, t)
	for len(c.bep) < t {
		c.bep = append(c.bep, kernels.Epilogue{})
	}
	c.growWorkspaces(t)
	c.shards = t
	for len(c.wg) < t {
		c.wg = append(c.wg, kernels.NewWeightGrad(c.Cin, c.Rows, c.K, c.Stride, c.Pad))
	}
	for s := range t {
		c.dw[s] = grow(c.dw[s], len(c.W))
		if c.B != nil {
			c.db[s] = grow(c.db[s], c.Rows)
			clear(c.db[s])
		}
	}
	if withDx && !c.bwdReady {
		c.prepareBackward()
	}
	c.bwdReady = false
}

// BackwardImages adds the weight (and bias) gradient of images lo … hi−1 to shard s's partial
// sums, given their output gradient dy ((hi−lo)×Cout×ho×wo), and when dx is not nil writes their
// input gradient ((hi−lo)×Cin×h×w) into it.
func (c *Conv) BackwardImages(s int, dx, dy []float32, lo, hi int) {
	c.BackwardImagesAdd(s, dx, nil, dy, lo, hi)
}

// BackwardImagesAdd is BackwardImages that writes dx = dL/dx + res (res holds the same images as
// dx; nil: BackwardImages), fused into the input gradient's store where the path allows (the
// inference kernels' residual epilogue, or Col2im adding instead of setting). res may be dx
// itself: dx += dL/dx, the gradient of a second branch added to the first's.
func (c *Conv) BackwardImagesAdd(s int, dx, res, dy []float32, lo, hi int) {
	P, cout, m := c.hw, c.Cout(), hi-lo
	ho, wo := c.OutSize(c.h, c.w)
	chw := c.Cin * c.h * c.w
	// dz of the images: dy itself, or summed over each filter's members.
	dz := dy[:m*cout*P]
	if c.Assign != nil {
		c.z[s] = grow(c.z[s], m*c.Rows*P)
		dz = c.z[s]
		clear(dz)
		for img := range m {
			src := dy[img*cout*P : (img+1)*cout*P]
			dst := dz[img*c.Rows*P : (img+1)*c.Rows*P]
			for ch, g := range c.Assign {
				axpy(dst[int(g)*P:(int(g)+1)*P], src[ch*P:(ch+1)*P])
			}
		}
	}
	if db := c.db[s]; c.B != nil {
		for img := range m {
			z := dz[img*c.Rows*P : (img+1)*c.Rows*P]
			for r := range db {
				db[r] += float32(sum32(z[r*P : (r+1)*P]))
			}
		}
	}
	// dW += Σ dz·colᵀ over the images, without materialising col (kept in the GEMMs' domain
	// until BackwardEnd).
	c.wg[s].AddAct(c.x[lo*chw:hi*chw], dz, m, c.h, c.w, c.act, &c.ws[s])
	if dx == nil {
		return
	}
	dx = dx[:m*chw]
	inPlace := res != nil && &res[0] == &dx[0]
	if c.sameStride1() {
		switch {
		case res == nil:
			c.bwd.Forward(dx, dz, m, ho, wo, nil, &c.ws[s])
		case inPlace: // the residual epilogue must not alias its output
			c.dcol[s] = grow(c.dcol[s], m*chw)
			c.bwd.Forward(c.dcol[s], dz, m, ho, wo, nil, &c.ws[s])
			axpy(dx, c.dcol[s])
		default:
			c.bep[s] = kernels.Epilogue{Residual: res[:m*chw]}
			c.bwd.Forward(dx, dz, m, ho, wo, &c.bep[s], &c.ws[s])
		}
		return
	}
	// dcol = Wᵀ·dz for a few images at a time (as a 1×1 convolution), scattered by Col2im
	// (given slack floats past each image's columns, which its vector loads may read).
	const chunk, slack = 4, 16
	c.dcol[s] = grow(c.dcol[s], min(chunk, m)*c.colLen+slack)
	for i0 := 0; i0 < m; i0 += chunk {
		k := min(chunk, m-i0)
		dcol := c.dcol[s][:k*c.colLen+slack]
		c.bwd.Forward(dcol, dz[i0*c.Rows*P:(i0+k)*c.Rows*P], k, ho, wo, nil, &c.ws[s])
		for i := range k {
			d := dx[(i0+i)*chw : (i0+i+1)*chw]
			col2im(d, dcol[i*c.colLen:(i+1)*c.colLen+slack], c.Cin, c.h, c.w, c.K, c.Stride, c.Pad, inPlace)
			if res != nil && !inPlace {
				axpy(d, res[(i0+i)*chw:(i0+i+1)*chw])
			}
		}
	}
}

// BackwardEnd sets DW (and DB) to the sum of the shards' partial gradients, added in shard order.
func (c *Conv) BackwardEnd() {
	for s := range c.shards {
		c.wg[s].Sum(c.dw[s])
	}
	reduceShards(c.DW, c.dw[:c.shards])
	if c.B != nil {
		reduceShards(c.DB, c.db[:c.shards])
	}
}

// PadHWC writes image x (cin×h×w) into xt as (h+2·pad)×(w+2·pad)×cin, channels last, with a
// zero border of pad pixels.
func PadHWC(xt, x []float32, cin, h, w, pad int) {
	wp := w + 2*pad
	clear(xt[:pad*wp*cin])
	clear(xt[(h+pad)*wp*cin : (h+2*pad)*wp*cin])
	for y := range h {
		row := xt[(y+pad)*wp*cin : (y+pad+1)*wp*cin]
		clear(row[:pad*cin])
		clear(row[(w+pad)*cin:])
		d := row[pad*cin : (w+pad)*cin]
		for ix := range w {
			px := d[ix*cin : (ix+1)*cin]
			src := x[y*w+ix:]
			for ci := range px {
				px[ci] = src[ci*h*w]
			}
		}
	}
}

// Im2colTHWC writes the transposed column matrix (P×KK) of one padded HWC image xt
// (hp×wp×cin, as PadHWC makes it) with columns in (ky, kx, ci) order:
// colT[oy·wo+ox][(ky·k+kx)·cin+ci] = xt[oy·stride+ky][ox·stride+kx][ci].
func Im2colTHWC(colT, xt []float32, cin, hp, wp, k, stride int) {
	ho, wo := (hp-k)/stride+1, (wp-k)/stride+1
	KK := cin * k * k
	for oy := range ho {
		for ox := range wo {
			row := colT[(oy*wo+ox)*KK : (oy*wo+ox+1)*KK]
			j := 0
			for ky := range k {
				src := xt[((oy*stride+ky)*wp+ox*stride)*cin:]
				copy(row[j:j+k*cin], src[:k*cin])
				j += k * cin
			}
		}
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

// Im2colT writes the transposed column matrix (P×KK) of one image: colT[p][j] = col[j][p] of
// Im2col. Each output pixel's receptive field is one contiguous row.
func Im2colT(colT, x []float32, cin, h, w, k, stride, pad int) {
	ho, wo := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	KK := cin * k * k
	hw := h * w
	for oy := range ho {
		y0 := oy*stride - pad
		for ox := range wo {
			row := colT[(oy*wo+ox)*KK : (oy*wo+ox+1)*KK]
			x0 := ox*stride - pad
			if k == 3 && y0 >= 0 && y0+3 <= h && x0 >= 0 && x0+3 <= w {
				// Interior 3×3 window: nine unrolled copies per channel.
				off := y0*w + x0
				for ci := range cin {
					src := x[ci*hw+off : ci*hw+off+2*w+3]
					d := row[ci*9 : ci*9+9]
					d[0], d[1], d[2] = src[0], src[1], src[2]
					d[3], d[4], d[5] = src[w], src[w+1], src[w+2]
					d[6], d[7], d[8] = src[2*w], src[2*w+1], src[2*w+2]
				}
				continue
			}
			if k == 1 && y0 >= 0 && y0 < h && x0 >= 0 && x0 < w {
				off := y0*w + x0
				for ci := range cin {
					row[ci] = x[ci*hw+off]
				}
				continue
			}
			j := 0
			for ci := range cin {
				plane := x[ci*hw : (ci+1)*hw]
				for ky := range k {
					iy := y0 + ky
					for kx := range k {
						ix := x0 + kx
						if iy >= 0 && iy < h && ix >= 0 && ix < w {
							row[j] = plane[iy*w+ix]
						} else {
							row[j] = 0
						}
						j++
					}
				}
			}
		}
	}
}

// Col2im is the adjoint of Im2col: it sets dx (cin×h×w) to the sum, over the entries of dcol,
// of each entry added to the input pixel that Im2col copied it from.
func Col2im(dx, dcol []float32, cin, h, w, k, stride, pad int) {
	col2im(dx, dcol, cin, h, w, k, stride, pad, false)
}

// col2im is Col2im, or with add set, Col2im added to dx (dx += col2im(dcol)).
func col2im(dx, dcol []float32, cin, h, w, k, stride, pad int, add bool) {
	ho, wo := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	if stride == 2 && k == 3 && pad == 1 && h == 2*ho && w == 2*wo {
		col2im3s2(dx, dcol, cin, ho, wo, add)
		return
	}
	col2imGeneric(dx, dcol, cin, h, w, k, stride, pad, add)
}

// col2imGeneric is col2im for any shape, in scatter form: dx is cleared (unless add is set),
// then each column-matrix entry is added to its pixel.
func col2imGeneric(dx, dcol []float32, cin, h, w, k, stride, pad int, add bool) {
	ho, wo := (h+2*pad-k)/stride+1, (w+2*pad-k)/stride+1
	P := ho * wo
	if !add {
		clear(dx[:cin*h*w])
	}
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

// col2im3s2 is col2im for k = 3, stride 2, pad 1 and an even 2ho×2wo input, in gather form
// (each dx pixel written once, no clearing; added to with add set). Input row iy receives kernel
// row ky from output row oy = (iy+1−ky)/2 when that is an integer in [0, ho): ky = 1 (oy = iy/2) for even iy; ky = 0
// (oy = (iy+1)/2, when < ho) and ky = 2 (oy = (iy−1)/2) for odd iy. Likewise along x: for each
// contributing (ky, oy), with r_kx = dcol[ci,ky,kx][oy],
//
//	dx[2j] += r_1[j],   dx[2j+1] += r_0[j+1] (j+1 < wo) + r_2[j].
func col2im3s2(dx, dcol []float32, cin, ho, wo int, add bool) {
	P, w := ho*wo, 2*wo
	for ci := range cin {
		if col2im3s2Plane(dx[ci*2*ho*w:(ci+1)*2*ho*w], dcol[ci*9*P:], P, ho, wo, add) {
			continue
		}
		for iy := range 2 * ho {
			d := dx[(ci*2*ho+iy)*w : (ci*2*ho+iy+1)*w]
			if iy%2 == 0 {
				col2im3s2Row(d, dcol[(ci*9+3)*P:], P, iy/2*wo, wo, add)
				continue
			}
			col2im3s2Row(d, dcol[(ci*9+6)*P:], P, (iy-1)/2*wo, wo, add)
			if oy := (iy + 1) / 2; oy < ho {
				col2im3s2Row(d, dcol[ci*9*P:], P, oy*wo, wo, true)
			}
		}
	}
}

// col2im3s2Row sets (or, with add, adds to) the 2·wo pixels of input row d the contributions of
// the three column-matrix rows (kx = 0, 1, 2, P apart from c) of one kernel row ky at offset o
// (the output row's start).
func col2im3s2Row(d, c []float32, P, o, wo int, add bool) {
	r0, r1, r2 := c[o:o+wo], c[P+o:P+o+wo], c[2*P+o:2*P+o+wo]
	d = d[:2*wo]
	n := wo - 1
	r0, r1, r2 = r0[1:], r1[:n], r2[:n]
	if add {
		for j, v := range r1 {
			d[2*j] += v
			d[2*j+1] += r0[j] + r2[j]
		}
		d[2*n] += c[P+o+n]
		d[2*n+1] += c[2*P+o+n]
		return
	}
	for j, v := range r1 {
		d[2*j] = v
		d[2*j+1] = r0[j] + r2[j]
	}
	d[2*n], d[2*n+1] = c[P+o+n], c[2*P+o+n]
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
