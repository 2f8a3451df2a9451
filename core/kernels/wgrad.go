package kernels

import "fmt"

// Weight gradient of a convolution without im2col.
//
// For filters W (rows×cin×k×k), input x and output gradient dz, the weight
// gradient is
//
//	dW[r][c][ky][kx] = Σ_images Σ_(oy,ox) dz[r][oy][ox] · x[c][oy·s−pad+ky][ox·s−pad+kx]
//
// (0 outside the image). ConvWeightGrad computes it as GEMMs whose B operand
// is read straight from a channels-last (HWC) copy of the input:
//
//   - With stride s the input is split into s×s phase planes
//     P[py][px][i][j] = x[i·s+py][j·s+px]; tap (ky,kx) with ky−pad = dy·s+py
//     and kx−pad = dx·s+px reads P[py][px][oy+dy][ox+dx] (for s = 1 the one
//     plane is the image).
//   - The planes of a chunk of images are stored channels last on a common
//     grid of Hg×Wg pixels per image, the image at row T and column L and
//     zeros around it; the zero rows and columns are shared by neighbouring
//     rows and images (Hg = max(T+plane rows, ho+max dy), likewise Wg), so
//     that output pixel (img,oy,ox), numbered q = (img·Hg+oy)·Wg+ox, reads
//     tap (dy,dx) at grid pixel q + (T+dy)·Wg + (L+dx) for every q.
//   - For one ky and one column phase px the taps kx ≡ px (mod s) are
//     neighbouring pixels, so their cin values are contiguous: the column
//     block dW[:, (kx…, c)] of that run is Σ_q dz[:][q] · plane[(q+off)·cin + j],
//     a GEMM whose B rows overlap (row stride cin). Grid pixels outside the
//     output (ox ≥ wo or oy ≥ ho) get dz = 0.
//
// dz is packed in blocks of 4 rows as the micro-kernel's A operand ([q][4]);
// the runs are cut into 16-column halves, computed two at a time by gemmAcc
// (4×32 accumulating micro-kernel whose two 16-column halves read separate B
// rows). Everything accumulates in float32, chunk after chunk.

// wgradChunkBytes is the target size of a chunk's planes and packed dz (fits in L2).
const wgradChunkBytes = 768 << 10

// wgradL1Bytes is the target size of one block's B rows (all planes), which stay in L1.
const wgradL1Bytes = 24 << 10

// wgHalf is a 16-column half of a run: its plane, its float offset in the
// plane buffer, and where its columns go in dW.
type wgHalf struct {
	plane, off       int
	ky, kx0, j0, run int // run: floats of the run (taps·cin); kx0: its first tap
}

// wgradGeom is the geometry of ConvWeightGrad.
type wgradGeom struct {
	ho, wo, s        int
	T, L, Hg, Wg     int
	dymax            int
	planeIdx         [][2]int // (py, px) of each used plane
	halves           []wgHalf
	rowsP, pairs     int
	nc, planeLen, pa int // images per chunk, floats per plane buffer, floats of packed dz
	qb               int // grid pixels per L1 block
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

func wgradPlan(n, cin, h, w, rows, k, s, pad int) wgradGeom {
	var g wgradGeom
	g.s = s
	g.ho, g.wo = (h+2*pad-k)/s+1, (w+2*pad-k)/s+1
	dmin, dmax := 1<<30, -(1 << 30)
	usedList := make([]bool, s) // phases read by some tap (the same for rows and columns)
	for t := 0; t < k; t++ {
		d := floorDiv(t-pad, s)
		dmin, dmax = min(dmin, d), max(dmax, d)
		usedList[floorMod(t-pad, s)] = true
	}
	g.dymax = dmax
	g.T, g.L = max(0, -dmin), max(0, -dmin)
	ph, pw := (h+s-1)/s, (w+s-1)/s // rows/columns of phase plane 0 (the largest)
	g.Hg = max(g.T+ph, g.ho+dmax)
	g.Wg = max(g.L+pw, g.wo+dmax)
	slot := make([]int, s*s)
	for py := 0; py < s; py++ {
		for px := 0; px < s; px++ {
			slot[py*s+px] = -1
			if usedList[py] && usedList[px] {
				slot[py*s+px] = len(g.planeIdx)
				g.planeIdx = append(g.planeIdx, [2]int{py, px})
			}
		}
	}
	for ky := 0; ky < k; ky++ {
		dy, py := floorDiv(ky-pad, s), floorMod(ky-pad, s)
		for px := 0; px < s; px++ {
			kx0, ntaps := -1, 0
			for kx := 0; kx < k; kx++ {
				if floorMod(kx-pad, s) == px {
					if kx0 < 0 {
						kx0 = kx
					}
					ntaps++
				}
			}
			if ntaps == 0 {
				continue
			}
			dx := floorDiv(kx0-pad, s)
			off := ((g.T+dy)*g.Wg + g.L + dx) * cin
			run := ntaps * cin
			for j0 := 0; j0 < run; j0 += 16 {
				g.halves = append(g.halves, wgHalf{plane: slot[py*s+px], off: off + j0, ky: ky, kx0: kx0, j0: j0, run: run})
			}
		}
	}
	g.rowsP = roundUp(rows, 4)
	g.pairs = (len(g.halves) + 1) / 2
	grid := g.Hg * g.Wg
	perImg := 4 * grid * (cin*len(g.planeIdx) + g.rowsP)
	g.nc = max(1, min(n, wgradChunkBytes/perImg))
	g.planeLen = (g.nc*g.Hg+g.T+max(dmax, 0)+3)*g.Wg*cin + 64
	g.pa = g.rowsP * g.nc * grid
	g.qb = max(32, min(512, wgradL1Bytes/(4*cin*len(g.planeIdx)))/16*16)
	return g
}

// ConvWeightGrad sets dw (rows×cin×k×k, PyTorch layout) to the weight gradient of the
// convolution with the given shape (zero padding pad, stride, square k×k filters) over n images:
// dW = Σ_images dz·colᵀ, for inputs x (n×cin×h×w) and output gradients dz (n×rows×ho×wo).
// ws is caller-owned scratch (one per goroutine). Single-threaded. It allocates its accumulator:
// a WeightGrad reuses one.
func ConvWeightGrad(dw, x, dz []float32, n, cin, h, w, rows, k, stride, pad int, ws *Workspace) {
	g := NewWeightGrad(cin, rows, k, stride, pad)
	g.Add(x, dz, n, h, w, ws)
	g.Sum(dw)
}

// WeightGrad accumulates the weight gradient of one convolution (rows filters of cin×k×k,
// stride, zero padding pad) over images given a few at a time: Add any number of times (all with
// the same input size), then Sum. The partial sums stay in the GEMMs' domain (Winograd or phase
// planes), so each Add costs only its images; the final transform runs once, in Sum.
// Single-threaded: one per goroutine.
type WeightGrad struct {
	cin, rows, k, stride, pad int
	h, w                      int  // input size of the Adds since the last Sum
	started, wino             bool // whether acc holds a sum; its path
	acc                       []float32
}

// NewWeightGrad returns an empty accumulator for the given convolution shape.
func NewWeightGrad(cin, rows, k, stride, pad int) *WeightGrad {
	if rows <= 0 || cin <= 0 || k <= 0 || stride <= 0 || pad < 0 {
		panic(fmt.Sprintf("kernels: bad conv shape rows=%d cin=%d k=%d stride=%d pad=%d", rows, cin, k, stride, pad))
	}
	return &WeightGrad{cin: cin, rows: rows, k: k, stride: stride, pad: pad}
}

// Add adds the weight gradient of n images: inputs x (n×cin×h×w) and output gradients dz
// (n×rows×ho×wo). ws is scratch.
func (g *WeightGrad) Add(x, dz []float32, n, h, w int, ws *Workspace) {
	g.AddAct(x, dz, n, h, w, nil, ws)
}

// AddAct is Add for the inputs x' = act(x) (see InputAct; nil: Add), the input of a
// Conv.ForwardAct: the Winograd path maps each input row as it copies it into its padded planes,
// the other path maps the images into scratch first.
func (g *WeightGrad) AddAct(x, dz []float32, n, h, w int, act *InputAct, ws *Workspace) {
	if n <= 0 {
		return
	}
	cin, rows, k, s, pad := g.cin, g.rows, g.k, g.stride, g.pad
	ho, wo := (h+2*pad-k)/s+1, (w+2*pad-k)/s+1
	if len(x) < n*cin*h*w || len(dz) < n*rows*ho*wo {
		panic("kernels: x or dz too short")
	}
	if g.started && (h != g.h || w != g.w) {
		panic("kernels: WeightGrad.Add with another input size before Sum")
	}
	if !g.started {
		// The path is chosen once per sum, for the first Add's batch.
		g.wino = k == 3 && s == 1 && forcePath != pathIm2col && (forcePath == pathWinograd || winogradWorthIt(n, ho, wo))
		size := 36 * roundUp(rows, 4) * roundUp(cin, 4)
		if !g.wino {
			size = roundUp(rows, 4) * 32 * wgradPlan(1, cin, h, w, rows, k, s, pad).pairs
		}
		g.acc = grow32(g.acc, size)
		clear(g.acc)
		g.h, g.w, g.started = h, w, true
	}
	K := kern()
	if act != nil {
		act.check(cin)
	}
	if g.wino {
		winoWeightGrad(K, g.acc, x, dz, n, cin, h, w, rows, pad, act, ws)
		return
	}
	if act != nil {
		x = act.apply(K, ws.actBuf(n*cin*h*w), x, n, cin, h, w)
	}
	phaseWeightGrad(K, g.acc, x, dz, n, cin, h, w, rows, k, s, pad, ws)
}

// Sum sets dw (rows×cin×k×k, PyTorch layout) to the gradient added since the last Sum (zero if
// none) and empties the accumulator.
func (g *WeightGrad) Sum(dw []float32) {
	cin, rows, k := g.cin, g.rows, g.k
	if len(dw) < rows*cin*k*k {
		panic("kernels: dw too short")
	}
	switch {
	case !g.started:
		clear(dw[:rows*cin*k*k])
	case g.wino:
		winoFilterGrad(dw, g.acc, rows, cin)
	default:
		pl := wgradPlan(1, cin, g.h, g.w, rows, k, g.stride, g.pad)
		ldc := 32 * pl.pairs
		for hi, hf := range pl.halves {
			col := 32*(hi/2) + 16*(hi%2)
			for j := hf.j0; j < min(hf.j0+16, hf.run); j++ {
				kx, c := hf.kx0+(j/cin)*g.stride, j%cin
				for r := 0; r < rows; r++ {
					dw[((r*cin+c)*k+hf.ky)*k+kx] = g.acc[r*ldc+col+j-hf.j0]
				}
			}
		}
	}
	g.started = false
}

func grow32(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// phaseWeightGrad adds to cbuf (rowsP × 32·pairs, the halves' columns of wgradPlan) the weight
// gradient of n images on the phase-plane path.
func phaseWeightGrad(K *kernelSet, cbuf, x, dz []float32, n, cin, h, w, rows, k, stride, pad int, ws *Workspace) {
	g := wgradPlan(n, cin, h, w, rows, k, stride, pad)
	ho, wo := g.ho, g.wo
	ldc := 32 * g.pairs
	np := len(g.planeIdx)
	fs := ws.floats(np*g.planeLen + g.pa)
	planes, pa := fs[:np*g.planeLen], fs[np*g.planeLen:]
	grid := g.Hg * g.Wg
	s := g.s
	for img0 := 0; img0 < n; img0 += g.nc {
		m := min(g.nc, n-img0)
		Q := m * grid
		// Phase planes, channels last, zero around the image.
		used := (m*g.Hg+g.T+max(g.dymax, 0)+3)*g.Wg*cin + 64
		for pi, pp := range g.planeIdx {
			py, px := pp[0], pp[1]
			pl := planes[pi*g.planeLen : pi*g.planeLen+used]
			clear(pl)
			rowsP, colsP := (h-py+s-1)/s, (w-px+s-1)/s
			for i := 0; i < m; i++ {
				img := x[(img0+i)*cin*h*w : (img0+i+1)*cin*h*w]
				for r := 0; r < rowsP; r++ {
					// One grid row (a few KB) at a time, so that the strided stores stay in L1.
					d := pl[((i*g.Hg+g.T+r)*g.Wg+g.L)*cin : ((i*g.Hg+g.T+r)*g.Wg+g.L+colsP)*cin]
					for c := 0; c < cin; c++ {
						sr := img[c*h*w+(r*s+py)*w+px:]
						if s == 1 {
							for j, v := range sr[:colsP] {
								d[j*cin+c] = v
							}
							continue
						}
						for j := 0; j < colsP; j++ {
							d[j*cin+c] = sr[j*s]
						}
					}
				}
			}
		}
		// dz packed in blocks of 4 rows, [q][4], zero outside the output.
		nb := g.rowsP / 4
		clear(pa[:nb*Q*4])
		hw := ho * wo
		for b := 0; b < nb; b++ {
			blk := pa[b*Q*4 : (b+1)*Q*4]
			nr := min(4, rows-4*b)
			for i := 0; i < m; i++ {
				src := dz[((img0+i)*rows+4*b)*hw : ((img0+i)*rows+4*b+nr)*hw]
				for oy := 0; oy < ho; oy++ {
					d := blk[(i*g.Hg+oy)*g.Wg*4 : ((i*g.Hg+oy)*g.Wg+wo)*4]
					for r := 0; r < nr; r++ {
						for ox, v := range src[r*hw+oy*wo : r*hw+(oy+1)*wo] {
							d[ox*4+r] = v
						}
					}
				}
			}
		}
		// Blocks of qb grid pixels: their B rows (all planes) and packed dz stay in L1
		// while every 4-row block and pair of halves is accumulated.
		for q0 := 0; q0 < Q; q0 += g.qb {
			kb := min(g.qb, Q-q0)
			for b := 0; b < nb; b++ {
				a := pa[(b*Q+q0)*4 : (b*Q+q0+kb)*4]
				for p := 0; p < g.pairs; p++ {
					h0 := g.halves[2*p]
					h1 := h0
					if 2*p+1 < len(g.halves) {
						h1 = g.halves[2*p+1]
					}
					o0, o1 := h0.plane*g.planeLen+h0.off+q0*cin, h1.plane*g.planeLen+h1.off+q0*cin
					K.gemmAcc(kb, a, planes[o0:o0+kb*cin+16], planes[o1:o1+kb*cin+16], cin, cbuf[4*b*ldc+32*p:], ldc)
				}
			}
		}
	}
}

// winoWeightGradChunkBytes is the target size of a chunk's padded input and
// transformed input and output gradients in winoWeightGrad.
const winoWeightGradChunkBytes = 3 << 20

// winoWeightGrad adds to du the Winograd-domain weight gradient of a 3×3
// stride-1 convolution (winoFilterGrad turns it into dW). With the forward pass
// Y = A^T·[(G·g·G^T) ⊙ (B^T·d·B)]·A per tile, the gradient is
//
//	dW[r][c] = G^T·[ Σ_tiles (A·dY_r·A^T) ⊙ (B^T·d_c·B) ]·G,
//
// that is 36 GEMMs dU_ξ[r][c] = Σ_t Ŷ_ξ[r][t]·V_ξ[c][t] whose depth is the
// number of tiles, then one 6×6 → 3×3 transform per filter. V is computed
// exactly as in the forward pass (same chunks, tile table and kernels); Ŷ
// gathers the 4×4 tiles of dz in the same lane order. The GEMMs reduce over
// contiguous tiles in both operands (dot4: 4×4 blocks of dot products).
func winoWeightGrad(K *kernelSet, du, x, dz []float32, n, cin, h, w, rows, pad int, act *InputAct, ws *Workspace) {
	ho, wo := h+2*pad-2, w+2*pad-2
	hwo := ho * wo
	cinP, rowsP := roundUp(cin, 4), roundUp(rows, 4)
	p := planWino(n, ho, wo, cin*4, 36*(cinP+rowsP)*4*winoChunkBytes/winoWeightGradChunkBytes)
	plane := p.ph * p.pw
	p.inImg = cin * plane
	nrb, ncb := rowsP/4, cinP/4
	nPad, nV, nD := p.nc*cin*plane, 36*(cinP*p.tp+xiSkew), 36*(rowsP*p.tp+xiSkew)
	fs := ws.floats(nPad + nV + nD + 40*lanes)
	pbuf, fs := fs[:nPad], fs[nPad:]
	vbuf, fs := fs[:nV], fs[nV:]
	dbuf, fs := fs[:nD], fs[nD:]
	g := fs[:40*lanes]
	nb := p.tp / lanes
	is := ws.ints(3*p.tp + 2*nb + lanes)
	inBase, outBase, valid := is[:p.tp], is[p.tp:2*p.tp], is[2*p.tp:3*p.tp]
	inFast, outKind := is[3*p.tp:3*p.tp+nb], is[3*p.tp+nb:3*p.tp+2*nb]
	obuf := is[3*p.tp+2*nb : 3*p.tp+2*nb+lanes]
	clear(pbuf)
	for img0 := 0; img0 < n; img0 += p.nc {
		m := min(p.nc, n-img0)
		tc := m * p.tpi
		tp := roundUp(tc, nr)
		vs, ds := cinP*tp+xiSkew, rowsP*tp+xiSkew
		winoTiles(&p, img0, m, rows, inBase, outBase, valid, inFast, outKind)
		// The chunk's images into padded planes, image by image (x is read from memory
		// sequentially; channel by channel across images, as winogradForward copies its
		// L2-resident input, measured 40% slower here): only the rows are copied, the pads
		// stay zero from the clear above.
		for i := 0; i < m; i++ {
			for ci := 0; ci < cin; ci++ {
				act.copyRows(K, pbuf[(i*cin+ci)*plane+pad*p.pw+pad:], p.pw, x[((img0+i)*cin+ci)*h*w:((img0+i)*cin+ci+1)*h*w], h, w, ci)
			}
		}
		for ci := 0; ci < cin; ci++ {
			for t0 := 0; t0 < tp; t0 += lanes {
				K.gatherIn(pbuf[ci*plane:], inBase[t0:t0+lanes], p.pw, int(inFast[t0/lanes]), g, vbuf[ci*tp+t0:], vs)
			}
		}
		for xi := 0; xi < 36; xi++ {
			clear(vbuf[xi*vs+cin*tp : xi*vs+cinP*tp])
			clear(dbuf[xi*ds+rows*tp : xi*ds+rowsP*tp])
		}
		// Ŷ_ξ[r][t] = (A·dY·A^T)_ξ of tile t of filter r.
		for r := 0; r < rows; r++ {
			for t0 := 0; t0 < tp; t0 += lanes {
				for j := range obuf {
					obuf[j] = outBase[t0+j] + int32(r*hwo)
				}
				K.winoGatherY(dz, obuf, wo, int(outKind[t0/lanes]), max(0, min(lanes, tc-t0)), valid[t0:t0+lanes], g)
				K.winoYIn(g, dbuf[r*tp+t0:], ds)
			}
		}
		for xi := 0; xi < 36; xi++ {
			for rb := 0; rb < nrb; rb++ {
				a := dbuf[xi*ds+4*rb*tp : xi*ds+4*(rb+1)*tp]
				for cb := 0; cb < ncb; cb++ {
					K.dot4(tp, a, tp, vbuf[xi*vs+4*cb*tp:xi*vs+4*(cb+1)*tp], tp, du[((xi*nrb+rb)*ncb+cb)*16:])
				}
			}
		}
	}
}

// winoFilterGrad sets dw (rows×cin×3×3) to G^T·dU[r][c]·G of the Winograd-domain gradient du
// (the layout winoWeightGrad accumulates), separable, 16 filters (one 4×4 block of dU) at a time.
func winoFilterGrad(dw, du []float32, rows, cin int) {
	nrb, ncb := roundUp(rows, 4)/4, roundUp(cin, 4)/4
	var blk [36][16]float32
	for rb := 0; rb < nrb; rb++ {
		for cb := 0; cb < ncb; cb++ {
			for xi := 0; xi < 36; xi++ {
				copy(blk[xi][:], du[((xi*nrb+rb)*ncb+cb)*16:])
			}
			for l := 0; l < 16; l++ {
				r, c := 4*rb+l/4, 4*cb+l%4
				if r >= rows || c >= cin {
					continue
				}
				var t [6][3]float64 // dU·G
				for i := 0; i < 6; i++ {
					t[i][0], t[i][1], t[i][2] = winoGT1D(float64(blk[i*6][l]), float64(blk[i*6+1][l]), float64(blk[i*6+2][l]),
						float64(blk[i*6+3][l]), float64(blk[i*6+4][l]), float64(blk[i*6+5][l]))
				}
				d := dw[(r*cin+c)*9 : (r*cin+c)*9+9]
				for kx := 0; kx < 3; kx++ {
					a0, a1, a2 := winoGT1D(t[0][kx], t[1][kx], t[2][kx], t[3][kx], t[4][kx], t[5][kx])
					d[kx], d[3+kx], d[6+kx] = float32(a0), float32(a1), float32(a2)
				}
			}
		}
	}
}

// winoGT1D applies G^T (3×6, see winoG) to m0..m5.
func winoGT1D(m0, m1, m2, m3, m4, m5 float64) (a0, a1, a2 float64) {
	s12, d21 := m1+m2, m2-m1
	s34, d34 := m3+m4, m3-m4
	return m0/4 - s12/6 + s34/24, d21/6 + d34/12, (s34-s12)/6 + m5
}
