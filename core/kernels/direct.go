package kernels

// Direct path for stride-1 convolutions with few filters or few input
// channels (pruned ResNet20 blocks: 16→3, 3→16, 32→6, …), where Winograd's
// fixed transform costs (input transform ∝ cin, output transform ∝ rows)
// dominate the tiny per-frequency products and im2col's copies cost more
// than the GEMM.
//
// Every input channel is copied once into a zero-padded plane of width pw
// (plane stride ps). The output is computed in padded-width coordinates
// q = oy·pw + ox (columns ox ≥ wo are computed and dropped): for tap (ky,kx)
// the B row of channel ci is plane ci shifted by ky·pw+kx, so over ci the B
// rows of one tap are uniformly ps apart, and the conv is the sum over taps
// of GEMMs with depth cin, run with the accumulating 4×32 kernel gemmAcc on
// weights packed [tap][cin][4] per block of 4 rows.

// directGeom returns the padded plane width and stride of the direct path.
func (c *Conv) directGeom(h, w int) (pw, ps int) {
	ho, _ := c.OutSize(h, w)
	pw = w + 2*c.pad
	need := roundUp(ho*pw, nr) + (c.k-1)*(pw+1)
	ps = roundUp(max(need, (h+2*c.pad)*pw), pw)
	if ps%32 == 0 { // keep channel planes out of one L1 set
		ps += pw
	}
	return pw, ps
}

// directScratch returns the float32 scratch size of directForward.
func (c *Conv) directScratch(h, w int) int {
	_, ps := c.directGeom(h, w)
	return c.cin*ps + 4*nr
}

// packDirect packs w (rows × cin × k × k) as ad[rb][t][ci][i] = w[rb+i][ci][t]
// for blocks rb of 4 rows, zero past the last row.
func packDirect(ad, w []float32, rows, cin, k int) {
	kk := k * k
	kd := cin * kk
	for r := 0; r < rows; r += 4 {
		blk := ad[r*kd : (r+4)*kd]
		for t := 0; t < kk; t++ {
			for ci := 0; ci < cin; ci++ {
				for i := 0; i < 4; i++ {
					v := float32(0)
					if r+i < rows {
						v = w[((r+i)*cin+ci)*kk+t]
					}
					blk[(t*cin+ci)*4+i] = v
				}
			}
		}
	}
}

func (c *Conv) directForward(dst, src []float32, n, h, w int, e *epi, scratch []float32) {
	K := kern()
	ho, wo := c.OutSize(h, w)
	hw := ho * wo
	pw, ps := c.directGeom(h, w)
	cin, k, kd := c.cin, c.k, c.kdim
	planes := scratch[:cin*ps]
	tile := scratch[cin*ps : cin*ps+4*nr]
	qn := ho * pw
	for img := 0; img < n; img++ {
		for ci := 0; ci < cin; ci++ {
			K.padPlane(planes[ci*ps:(ci+1)*ps], src[(img*cin+ci)*h*w:(img*cin+ci+1)*h*w], h, w, pw, c.pad)
		}
		for q0 := 0; q0 < qn; q0 += nr {
			for r := 0; r < c.rows; r += 4 {
				mr := min(4, c.rows-r)
				if e.start[r+mr] == e.start[r] {
					continue // no output channel reads these rows
				}
				clear(tile)
				a := c.ad[r*kd : (r+4)*kd]
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						t := ky*k + kx
						off := q0 + ky*pw + kx
						K.gemmAcc(cin, a[t*cin*4:(t+1)*cin*4], planes[off:], planes[off+16:], ps, tile, nr)
					}
				}
				// Store the valid columns, one output row segment at a time.
				for q := q0; q < min(q0+nr, qn); {
					oy, ox := q/pw, q%pw
					end := min(q0+nr, oy*pw+pw)
					if ox < wo {
						seg := min(end, oy*pw+wo) - q
						for i := 0; i < mr; i++ {
							e.store(K, dst, tile[i*nr+q-q0:i*nr+q-q0+seg], r+i, img, oy*wo+ox, hw)
						}
					}
					q = end
				}
			}
		}
	}
}
