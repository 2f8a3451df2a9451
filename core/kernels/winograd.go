package kernels

// Winograd F(4×4,3×3) for stride-1 3×3 convolutions.
//
// A 4×4 output tile Y is computed from the 6×6 input tile d covering it as
//
//	Y = A^T · [ Σ_c (G·g_c·G^T) ⊙ (B^T·d_c·B) ] · A
//
// with (Lavin & Gray, interpolation points 0, ±1, ±2, ∞)
//
//	B^T = | 4  0 -5  0  1  0 |   G = |  1/4     0     0   |   A^T = | 1  1  1  1  1  0 |
//	      | 0 -4 -4  1  1  0 |       | -1/6  -1/6  -1/6  |         | 0  1 -1  2 -2  0 |
//	      | 0  4 -4 -1  1  0 |       | -1/6   1/6  -1/6  |         | 0  1  1  4  4  0 |
//	      | 0 -2 -1  2  1  0 |       |  1/24  1/12  1/6  |         | 0  1 -1  8 -8  1 |
//	      | 0  2 -1 -2  1  0 |       |  1/24 -1/12  1/6  |
//	      | 0  4  0 -5  0  1 |       |  0     0     1    |
//
// The weights U_ξ[r][c] = (G·g_rc·G^T)_ξ are computed once in NewConv (in
// float64). Forward processes the images in chunks that fit in L2: the
// chunk's input is copied into a zero-padded buffer, the tiles of all images
// are gathered 16 at a time and transformed into V_ξ[c][t] (t = tile index
// over the whole chunk, so the GEMMs have N = chunk tiles); then for each
// block of 32 tiles and 4 filters the 36 products Z_ξ = U_ξ·V_ξ are computed
// with the GEMM micro-kernel into L1 scratch, and the output transform is
// applied with the epilogue fused into the scatter to NCHW.

var winoG = [6][3]float64{
	{1.0 / 4, 0, 0},
	{-1.0 / 6, -1.0 / 6, -1.0 / 6},
	{-1.0 / 6, 1.0 / 6, -1.0 / 6},
	{1.0 / 24, 1.0 / 12, 1.0 / 6},
	{1.0 / 24, -1.0 / 12, 1.0 / 6},
	{0, 0, 1},
}

// winogradWeights returns the 36 transformed weight matrices U_ξ (rows×cin),
// each packed with packA (rows padded to a multiple of 4 with zeros).
func winogradWeights(w []float32, rows, cin int) []float32 {
	u := make([]float32, 36*roundUp(rows, 4)*cin)
	winogradWeightsInto(u, w, rows, cin)
	return u
}

// winoG1D applies G (6×3, see winoG) to (g0, g1, g2).
func winoG1D(g0, g1, g2 float64) (t0, t1, t2, t3, t4, t5 float64) {
	s := g0 + g2
	e := g0/24 + g2/6
	return g0 / 4, -(s + g1) / 6, -(s - g1) / 6, e + g1/12, e - g1/12, g2
}

// winogradWeightsInto writes U_ξ = G·g·G^T of every filter (r, c) straight
// into the packed layout of packA, one 6×6 transform per filter (separable,
// in float64). The filters of a block of 4 rows and 4 channels fill 16
// consecutive floats of each U_ξ: they are transformed into a local block
// first and each U_ξ written 16 floats at a time (the 36 matrices lie a
// power-of-two stride apart for power-of-two channel counts, so scattered
// single stores would keep evicting each other's lines from L1).
func winogradWeightsInto(u, w []float32, rows, cin int) {
	rc := roundUp(rows, 4) * cin
	u = u[:36*rc]
	if rows%4 != 0 { // zero the padding rows of the last block (interleaved with real rows)
		for xi := 0; xi < 36; xi++ {
			clear(u[xi*rc+rows/4*4*cin : (xi+1)*rc])
		}
	}
	var blk [36][16]float32 // blk[ξ][(c−c0)·4 + r%4]
	for r0 := 0; r0 < rows; r0 += 4 {
		mr := min(4, rows-r0)
		for c0 := 0; c0 < cin; c0 += 4 {
			mc := min(4, cin-c0)
			for dc := 0; dc < mc; dc++ {
				for dr := 0; dr < mr; dr++ {
					g := w[((r0+dr)*cin+c0+dc)*9 : ((r0+dr)*cin+c0+dc)*9+9]
					var t [6][3]float64 // G·g
					for j := 0; j < 3; j++ {
						t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j] = winoG1D(float64(g[j]), float64(g[3+j]), float64(g[6+j]))
					}
					k := dc*4 + dr
					for i := 0; i < 6; i++ {
						v0, v1, v2, v3, v4, v5 := winoG1D(t[i][0], t[i][1], t[i][2])
						b := blk[i*6 : i*6+6]
						b[0][k], b[1][k], b[2][k] = float32(v0), float32(v1), float32(v2)
						b[3][k], b[4][k], b[5][k] = float32(v3), float32(v4), float32(v5)
					}
				}
			}
			pos := r0*cin + c0*4
			for xi := range blk {
				o := xi*rc + pos
				if mr == 4 {
					copy(u[o:o+4*mc], blk[xi][:4*mc])
					continue
				}
				for dc := 0; dc < mc; dc++ { // the padding rows stay zero
					copy(u[o+dc*4:o+dc*4+mr], blk[xi][dc*4:dc*4+mr])
				}
			}
		}
	}
}

// winogradWorthIt reports whether the Winograd path beats im2col for n
// images with ho×wo outputs: partial tiles must not waste too much work and
// there must be enough tiles to fill the GEMM columns.
func winogradWorthIt(n, ho, wo int) bool {
	ty, tx := (ho+3)/4, (wo+3)/4
	if 2*16*ty*tx > 3*ho*wo {
		return false
	}
	return n*ty*tx >= 16
}

// winoPlan describes the chunking of a Winograd Forward.
type winoPlan struct {
	ho, wo, ty, tx, tpi int // output size, tiles per image (ty×tx = tpi)
	ph, pw              int // padded input plane size
	nc                  int // images per chunk
	inImg               int // floats of one image's padded planes (set by the caller)
	tp                  int // GEMM columns per chunk (nc·tpi rounded up to nr)
}

// xiSkew separates the 36 frequency matrices of V (and of the 4×32 Z
// blocks) by 16 floats more than their size: the transforms access all 36 at
// the same offset, and power-of-two strides would put those 36 lines in one
// L1 set.
const xiSkew = 16

// zlocStride is the ξ stride of the L1-resident product blocks (up to 8×32).
const zlocStride = 8*nr + xiSkew

// winoChunkBytes is the target size of a chunk's working set (fits in L2).
const winoChunkBytes = 1 << 20

func (c *Conv) winoPlan(n, h, w int) winoPlan {
	ho, wo := c.OutSize(h, w)
	return planWino(n, ho, wo, c.cin*4, 36*c.cin*4)
}

// planWino plans the chunks for ho×wo outputs when each image needs
// perPlane bytes per padded input pixel and perTile bytes per tile.
func planWino(n, ho, wo, perPlane, perTile int) winoPlan {
	var p winoPlan
	p.ho, p.wo = ho, wo
	p.ty, p.tx = (p.ho+3)/4, (p.wo+3)/4
	p.tpi = p.ty * p.tx
	p.ph, p.pw = 4*p.ty+2, 4*p.tx+2
	perImg := perPlane*p.ph*p.pw + perTile*p.tpi
	p.nc = max(1, min(n, winoChunkBytes/perImg))
	if p.nc < n && p.nc*p.tpi > nr {
		// Prefer chunks whose tile count is a multiple of nr.
		for m := p.nc; m > p.nc/2; m-- {
			if m*p.tpi%nr == 0 {
				p.nc = m
				break
			}
		}
	}
	p.tp = roundUp(p.nc*p.tpi, nr)
	return p
}

// winogradScratch returns the float32 and int32 scratch sizes of winogradForward.
func (c *Conv) winogradScratch(n, h, w int) (nf, ni int) {
	p := c.winoPlan(n, h, w)
	nf = p.nc*p.ph*p.pw + 36*(c.cin*p.tp+xiSkew) + 36*zlocStride + 36*lanes + 56*lanes
	ni = 3*p.tp + 2*(p.tp/lanes) + lanes
	return nf, ni
}

func (c *Conv) winogradForward(dst, src []float32, n, h, w int, act *InputAct, e *epi, fs []float32, is []int32, sa *scatterArgs) {
	K := kern()
	p := c.winoPlan(n, h, w)
	cin, rows := c.cin, c.rows
	rows4 := roundUp(rows, 4)
	plane := p.ph * p.pw
	p.inImg = plane // pbuf holds one channel of the chunk's images
	hwo := p.ho * p.wo
	pbuf, fs := fs[:p.nc*plane], fs[p.nc*plane:]
	vbuf, fs := fs[:36*(cin*p.tp+xiSkew)], fs[36*(cin*p.tp+xiSkew):]
	zloc, fs := fs[:36*zlocStride], fs[36*zlocStride:]
	g, fs := fs[:36*lanes], fs[36*lanes:]
	y, y2 := fs[:40*lanes], fs[40*lanes:56*lanes]
	inBase, outBase, valid := is[:p.tp], is[p.tp:2*p.tp], is[2*p.tp:3*p.tp]
	nb := p.tp / lanes
	inFast, outKind := is[3*p.tp:3*p.tp+nb], is[3*p.tp+nb:3*p.tp+2*nb]
	obuf := is[3*p.tp+2*nb : 3*p.tp+2*nb+lanes]

	clear(pbuf)
	for img0 := 0; img0 < n; img0 += p.nc {
		m := min(p.nc, n-img0)
		tc := m * p.tpi
		tp := roundUp(tc, nr)
		vs := cin*tp + xiSkew // ξ stride of V

		winoTiles(&p, img0, m, e.cout, inBase, outBase, valid, inFast, outKind)
		// Input transform channel by channel: the channel's padded planes
		// (L1-sized) are written and gathered right away. Only the image
		// rows are copied: the pads stay zero from the clear above.
		for ci := 0; ci < cin; ci++ {
			for i := 0; i < m; i++ {
				act.copyRows(K, pbuf[i*plane+c.pad*p.pw+c.pad:], p.pw, src[((img0+i)*cin+ci)*h*w:((img0+i)*cin+ci+1)*h*w], h, w, ci)
			}
			for t0 := 0; t0 < tp; t0 += lanes {
				K.gatherIn(pbuf, inBase[t0:t0+lanes], p.pw, int(inFast[t0/lanes]), g, vbuf[ci*tp+t0:], vs)
			}
		}

		// For each block of 32 tiles and 4 or 8 rows: the 36 products
		// Z_ξ = U_ξ·V_ξ into L1 scratch, then the output transform and the
		// epilogue, scattered to NCHW.
		*sa = scatterArgs{dst: dst, res: e.res, wo: p.wo, relu: e.relu}
		for j0 := 0; j0 < tc; j0 += nr {
			for r0, bh := 0, 0; r0 < rows; r0 += bh {
				bh = K.blockRows(rows4 - r0)
				mr := min(bh, rows-r0)
				if e.start[r0+mr] == e.start[r0] {
					continue // no output channel reads these rows
				}
				for xi := 0; xi < 36; xi++ {
					u := c.u[xi*rows4*cin : (xi+1)*rows4*cin]
					v := vbuf[xi*vs+j0 : xi*vs+cin*tp]
					K.gemmBlock(cin, u[r0*cin:], bh, v, tp, zloc[xi*zlocStride:], nr)
				}
				for i := 0; i < mr; i++ {
					cos := e.inv[e.start[r0+i]:e.start[r0+i+1]]
					if len(cos) == 0 {
						continue
					}
					for h := 0; h < nr && j0+h < tc; h += lanes {
						t0 := j0 + h
						sa.nl = min(lanes, tc-t0)
						sa.kind = int(outKind[t0/lanes])
						sa.valid = valid[t0 : t0+lanes]
						if sa.kind != blockScalar && K.winoOutStore != nil {
							sa.ob = outBase[t0 : t0+lanes]
							K.winoOutStore(zloc[i*nr+h:], zlocStride, y, sa, cos, e.scale, e.bias, hwo)
							continue
						}
						K.winoOut(zloc[i*nr+h:], zlocStride, y)
						for _, co := range cos {
							for j := range obuf {
								obuf[j] = outBase[t0+j] + co*int32(hwo)
							}
							sa.ob = obuf
							sa.s, sa.b = e.scale[co], e.bias[co]
							K.winoScatter(y, y2, sa)
						}
					}
				}
			}
		}
	}
}

// blockKinds classifies a block of 16 tiles for the gather and for the
// scatter (see blockContig and blockPairs; the scatter also needs full
// tiles); nl is the number of real tiles in the block.
func blockKinds(in, out, valid []int32, nl int) (inFast, outKind int32) {
	if nl < lanes {
		return 0, blockScalar
	}
	consec := func(b []int32, i int) bool { return b[i] == b[i-1]+4 }
	inContig, inPairs := true, true
	for j := 1; j < lanes; j++ {
		if j%4 != 0 && !consec(in, j) {
			inContig = false
		}
		if j%2 != 0 && !consec(in, j) {
			inPairs = false
		}
	}
	switch {
	case inContig:
		inFast = blockContig
	case inPairs:
		inFast = blockPairs
	}
	for j := 0; j < lanes; j++ {
		if valid[j] != 4*8+4 {
			return inFast, blockScalar
		}
	}
	contig, pairs := true, true
	for j := 1; j < lanes; j++ {
		if j%4 != 0 && !consec(out, j) {
			contig = false
		}
		if j%2 != 0 && !consec(out, j) {
			pairs = false
		}
	}
	switch {
	case contig:
		return inFast, blockContig
	case pairs:
		return inFast, blockPairs
	}
	return inFast, blockScalar
}

// interleave4x4 transposes the 16 entries of b seen as a 4×4 matrix.
func interleave4x4(b []int32) {
	for i := 0; i < 4; i++ {
		for q := i + 1; q < 4; q++ {
			b[4*i+q], b[4*q+i] = b[4*q+i], b[4*i+q]
		}
	}
}

// winoTiles fills the tile table of a chunk of m images starting at img0:
// per tile t < tp its input offset in the padded chunk, its output offset
// (for cout output channels), its valid rows<<3|cols, and per block of 16
// tiles the gather and scatter kinds. Padding tiles t ≥ m·tpi read tile 0
// and are never stored; fast blocks are put in group-interleaved lane order.
func winoTiles(p *winoPlan, img0, m, cout int, inBase, outBase, valid, inFast, outKind []int32) {
	tc := m * p.tpi
	tp := roundUp(tc, nr)
	hwo := p.ho * p.wo
	for t := 0; t < tp; t++ {
		tt := t
		if t >= tc {
			tt = 0
		}
		i, r := tt/p.tpi, tt%p.tpi
		ty, tx := r/p.tx, r%p.tx
		inBase[t] = int32(i*p.inImg + 4*ty*p.pw + 4*tx)
		outBase[t] = int32((img0+i)*cout*hwo + 4*ty*p.wo + 4*tx)
		valid[t] = int32(min(4, p.ho-4*ty)*8 + min(4, p.wo-4*tx))
	}
	for t0 := 0; t0 < tp; t0 += lanes {
		in, out, val := inBase[t0:t0+lanes], outBase[t0:t0+lanes], valid[t0:t0+lanes]
		inFast[t0/lanes], outKind[t0/lanes] = blockKinds(in, out, val, tc-t0)
		if inFast[t0/lanes] != blockScalar {
			// Fast blocks hold their 4 groups of 4 tiles in
			// group-interleaved lane order: lane 4i+q = tile 4q+i.
			interleave4x4(in)
			interleave4x4(out)
			interleave4x4(val)
		}
	}
}
