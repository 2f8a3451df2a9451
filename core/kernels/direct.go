package kernels

// Direct path for thin convolutions (pruned ResNet20 blocks: 16→3, 3→16,
// stride-2 16→6, 1×1 shortcuts, …), where Winograd's fixed transform costs
// (input transform ∝ cin, output transform ∝ rows) dominate the tiny
// per-frequency products and im2col's copies cost more than the GEMM.
//
// The input is split into stride×stride phase planes (for stride 1 the
// plane is the padded input), P[py][px][i][j] = in[i·s+py][j·s+px], each
// stored with a zero margin of my rows and mx columns and row pitch pw. The
// output is computed in pitch coordinates q = oy·pw + ox (columns ox ≥ wo
// are computed and dropped): with ky−pad = dy·s+py and kx−pad = dx·s+px, tap
// (ky,kx) of output q reads phase plane (py,px) at q + (my+dy)·pw + mx+dx,
// so over the input channels the B rows of one tap are uniformly one channel
// stride ps apart, and the convolution of a block of 64 outputs is
// Σ_taps Σ_ci a[t][ci][r]·plane_ci[q + toff[t]]: one accumulating
// micro-kernel call (dconv) per block of 3 or 4 filters (directBlockRows), accumulators in
// registers over all taps and channels.
//
// The margins and the pitch columns past the image are zero; they are
// written once per Forward call (the scratch is cleared) and the images'
// rows are copied over the same places for every image.

// dconvCols is the number of outputs (pitch positions) of one dconv call.
const dconvCols = 64

// directGeom is the phase-plane layout of the direct path.
type directGeom struct {
	ho, wo     int
	my, mx     int     // zero margin (rows, columns) before each phase plane
	pw, ph     int     // pitch and rows of a phase plane
	plane      int     // ph·pw: floats of one image's phase plane
	imgs       int     // images whose phase planes are stacked (see stackImages)
	ps         int     // floats per input channel (all used phases + slack)
	phases     [4]int  // offset of phase plane py*s+px in a channel, -1 if unused
	toff       []int32 // per tap (ky*k+kx): offset of output q's input in a channel
	qn         int     // pitch positions covering the outputs: (imgs−1)·plane + ho·pw
	hp, wp     [2]int  // rows and columns of phase planes py and px
	usedPhases int
}

// directStackFloats bounds the stacked images' planes (cin channels, all
// phases): they stay in L2 while dconv reads each of them k·k times.
const directStackFloats = 64 << 10

// geom returns the direct path's layout for n images of h×w; toff (k·k
// values, or nil to only size the layout) receives the tap offsets.
//
// Images are stacked when that wastes fewer outputs: each image's phase
// planes follow the previous image's in the same channel (one plane apart,
// per phase), so output q = i·plane + oy·pw + ox of image i reads its own
// planes at q + toff[t], and one run of dconv blocks covers imgs images
// with only the rows between them (ph − ho per image) wasted, instead of
// rounding each image's ho·pw outputs up to whole 64-output blocks (the
// stride-2 convs: 8×8 outputs are 72 positions, 128 computed, 4 images
// stacked 315, 320 computed).
func (c *Conv) geom(n, h, w int, toff []int32) directGeom {
	s, k, pad := c.stride, c.k, c.pad
	var g directGeom
	g.ho, g.wo = c.OutSize(h, w)
	minD, maxD := floorDiv(-pad, s), floorDiv(k-1-pad, s)
	g.my, g.mx = -minD, -minD
	for p := 0; p < s; p++ {
		g.hp[p], g.wp[p] = (h-p+s-1)/s, (w-p+s-1)/s
	}
	g.pw = g.mx + max(g.wo+maxD, g.wp[0])
	g.ph = g.my + max(g.ho+maxD, g.hp[0])
	g.plane = g.ph * g.pw
	for i := range g.phases {
		g.phases[i] = -1
	}
	// Phases used: tap offset ky−pad has phase (ky−pad) mod s (likewise kx).
	phase := func(t int) int { return t - pad - floorDiv(t-pad, s)*s }
	var used [4]bool
	nUsed := 0
	for ky := 0; ky < k; ky++ {
		for kx := 0; kx < k; kx++ {
			if ph := phase(ky)*s + phase(kx); !used[ph] {
				used[ph] = true
				nUsed++
			}
		}
	}
	g.imgs = 1
	if one := g.ho * g.pw; g.plane-one < roundUp(one, dconvCols)-one {
		g.imgs = max(1, min(n, directStackFloats/(c.cin*nUsed*g.plane)))
	}
	g.qn = (g.imgs-1)*g.plane + g.ho*g.pw
	region := g.imgs * g.plane // one phase's planes of all stacked images
	g.toff = toff
	maxOff := 0
	for ky := 0; ky < k; ky++ {
		dy := floorDiv(ky-pad, s)
		py := ky - pad - dy*s
		for kx := 0; kx < k; kx++ {
			dx := floorDiv(kx-pad, s)
			px := kx - pad - dx*s
			ph := py*s + px
			if g.phases[ph] < 0 {
				g.phases[ph] = g.usedPhases * region
				g.usedPhases++
			}
			off := g.phases[ph] + (g.my+dy)*g.pw + g.mx + dx
			maxOff = max(maxOff, off)
			if toff != nil {
				toff[ky*k+kx] = int32(off)
			}
		}
	}
	// Slack: the last block reads up to q = roundUp(qn, 64) past each tap offset.
	g.ps = max(g.usedPhases*region, maxOff+roundUp(g.qn, dconvCols))
	if g.ps%32 == 0 { // keep channel planes out of one L1 set
		g.ps += 16
	}
	return g
}

// directScratch returns the float32 and int32 scratch sizes of directForward.
func (c *Conv) directScratch(n, h, w int) (nf, ni int) {
	g := c.geom(n, h, w, nil)
	return c.cin*g.ps + (c.rows+4)*g.zp(), c.k * c.k
}

// zp is the row pitch of the direct path's raw output of g.imgs images: the
// pitch positions covering their outputs, rounded up to whole dconv blocks.
func (g *directGeom) zp() int { return roundUp(g.qn, dconvCols) }

// directBlockRows returns the number of filters per direct-path block of a
// conv with rows filters: 4 (dconv's 4×64 tile) unless blocks of 3 (dconv3)
// leave fewer zero rows, so 16 filters run as 4 blocks of 4 (not 6 of 3,
// the last one 2/3 zeros) and the pruned convs' 3 and 6 as blocks of 3.
func directBlockRows(rows int) int {
	if roundUp(rows, 4) <= roundUp(rows, 3) {
		return 4
	}
	return 3
}

// directBlocks returns the number of direct-path blocks for rows filters.
func directBlocks(rows int) int {
	bh := directBlockRows(rows)
	return (rows + bh - 1) / bh
}

// packDirect packs w (rows × cin × k × k) as ad[b][t][ci][i] =
// w[b·bh+i][ci][t] for blocks b of bh = directBlockRows(rows) filters,
// each stored 4 wide, zero past the block's (or the last) row.
func packDirect(ad, w []float32, rows, cin, k int) {
	kk := k * k
	kd := cin * kk
	bh := directBlockRows(rows)
	for b := range directBlocks(rows) {
		blk := ad[b*4*kd : (b+1)*4*kd]
		for t := 0; t < kk; t++ {
			for ci := 0; ci < cin; ci++ {
				for i := 0; i < 4; i++ {
					v := float32(0)
					if r := b*bh + i; i < bh && r < rows {
						v = w[(r*cin+ci)*kk+t]
					}
					blk[(t*cin+ci)*4+i] = v
				}
			}
		}
	}
}

// directForward computes image by image (or g.imgs stacked images at a
// time, see geom): the phase planes of all input channels, then the raw
// output z of every used filter in pitch coordinates (dconv blocks of 64
// positions × directBlockRows filters), then the epilogue of each output
// channel as one call over its whole plane (z's columns ox ≥ wo are
// skipped), so a filter gathered into many channels (method 1) costs one
// pass per channel, not one call per row segment.
func (c *Conv) directForward(dst, src []float32, n, h, w int, act *InputAct, e *epi, scratch []float32, is []int32) {
	K := kern()
	g := c.geom(n, h, w, is[:c.k*c.k])
	hw := g.ho * g.wo
	cin, kd, s := c.cin, c.kdim, c.stride
	zp := g.zp()
	planes := scratch[:cin*g.ps]
	z := scratch[cin*g.ps : cin*g.ps+(c.rows+4)*zp] // a block may write up to 4 rows
	clear(planes)
	for img0 := 0; img0 < n; img0 += g.imgs {
		m := min(g.imgs, n-img0)
		qn := (m-1)*g.plane + g.ho*g.pw
		for i := 0; i < m; i++ {
			img := img0 + i
			for ci := 0; ci < cin; ci++ {
				in := src[(img*cin+ci)*h*w : (img*cin+ci+1)*h*w]
				pl := planes[ci*g.ps+i*g.plane : (ci+1)*g.ps]
				for ph, off := range g.phases {
					if off < 0 {
						continue
					}
					py, px := ph/s, ph%s
					d := pl[off+g.my*g.pw+g.mx:]
					if s == 1 {
						act.copyRows(K, d, g.pw, in, h, w, ci)
					} else { // act is nil: ForwardAct mapped the input
						// The rest of the image as source: slack for vector reads.
						K.decimate2(d, g.pw, src[(img*cin+ci)*h*w+py*w+px:], 2*w, g.hp[py], g.wp[px])
					}
				}
			}
		}
		bh := directBlockRows(c.rows)
		for b := range directBlocks(c.rows) {
			r := b * bh
			mr := min(bh, c.rows-r)
			if e.start[r+mr] == e.start[r] {
				continue // no output channel reads these rows
			}
			for q0 := 0; q0 < qn; q0 += dconvCols {
				K.directConv(bh, cin, c.ad[b*4*kd:(b+1)*4*kd], planes[q0:], g.ps, g.toff, z[r*zp+q0:], zp)
			}
		}
		for i := 0; i < m; i++ {
			img := img0 + i
			for r := 0; r < c.rows; r++ {
				zr := z[r*zp+i*g.plane : r*zp+i*g.plane+g.ho*g.pw]
				for _, co := range e.inv[e.start[r]:e.start[r+1]] {
					off := (img*e.cout + int(co)) * hw
					var res []float32
					if e.res != nil {
						res = e.res[off : off+hw]
					}
					K.affineRowsOf(dst[off:off+hw], g.wo, zr, g.pw, res, g.ho, g.wo, e.scale[co], e.bias[co], e.relu)
				}
			}
		}
	}
}

// dconvGemmAcc is dconv built from gemmAcc calls (kernel sets without a
// dedicated dconv): per tap, two accumulating 4×32 GEMMs of depth cin.
func dconvGemmAcc(K *kernelSet, cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	for i := range 4 {
		clear(c[i*ldc : i*ldc+dconvCols])
	}
	for t, off := range toff {
		at := a[t*cin*4 : (t+1)*cin*4]
		for h := 0; h < dconvCols; h += nr {
			K.gemmAcc(cin, at, p[int(off)+h:], p[int(off)+h+16:], ps, c[h:], ldc)
		}
	}
}

// dconvCheck checks the operands of an assembly dconv on rows rows (the AVX-512 and wasm
// kernel sets): it panics on operands too short; without taps it clears c's rows and returns
// false (nothing to call).
func dconvCheck(rows, cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) bool {
	maxOff := 0
	for _, o := range toff {
		if o < 0 {
			panic("kernels: dconv: negative tap offset")
		}
		maxOff = max(maxOff, int(o))
	}
	if cin <= 0 || ps < 0 || len(a) < len(toff)*cin*4 || len(p) < maxOff+(cin-1)*ps+dconvCols || ldc < dconvCols || len(c) < (rows-1)*ldc+dconvCols {
		panic("kernels: dconv operands too short")
	}
	if len(toff) == 0 {
		for i := range rows {
			clear(c[i*ldc : i*ldc+dconvCols])
		}
		return false
	}
	return true
}
