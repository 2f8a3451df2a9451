package repair

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"gonum.org/v1/gonum/mat"
)

// Least-squares refit of a block's conv2. Let a ∈ R^D, D = Cin'·3·3 + 1, be the pruned block's
// hidden activation t = relu(bn1(conv1 x)) around one output position (its 3×3×Cin' patch, zero
// padded, in PyTorch's [cin][ky][kx] weight order) with a trailing 1, and y ∈ R^Cout the original
// network's conv2 output (before bn2) at the same position of the same image. Over the sampled rows
// A (rows×D) and Y (rows×Cout), conv2's weights and an intercept W ∈ R^{D×Cout} solve
//
//	min_W ‖A W − Y‖² + λ‖W‖²   ⇔   (AᵀA + λI) W = AᵀY,   λ = ridge · tr(AᵀA)/D,
//
// by Cholesky. The intercept of channel c is folded into bn2: BN(z + b) = s(z − (mean − b)) + β, so
// mean_c ← mean_c − b_c and the convolution stays bias-free (a conv that has a bias, the study's
// method-1 centroid convs, gets b as its new bias instead).
//
// A weight-shared conv2 (method 1) has one filter w_r for the channels c with ℓ(c) = r, each with its
// own BN scale s_c. Minimising the post-BN error Σ_c s_c² ‖A w_r − y_c‖² gives
// (AᵀA + λI) w_r = Σ_c s_c² Aᵀy_c / Σ_c s_c²: the same Cholesky factor, a weighted mean right-hand side.

// target is the original network's conv2 output at one block's sampled positions.
type target struct {
	pos  [][]int32 // per image, sampled output positions (y·wo + x), increasing
	y    []float64 // rows×cout, row-major, in the order of pos
	u    []float64 // rows×cout: the original block's output before its final ReLU, bn2(y) + shortcut
	cout int
	// ReLU-aware compensated targets: for the entries where the original block's output is zeroed
	// by its final ReLU (u ≤ 0), the conv2 value at which the pruned block's is zeroed too, and
	// which side of it is exact (+1: y ≤ zero, −1: y ≥ zero for a negative BN scale; 0: none).
	zero   []float64
	dir    []int8
	passes int
	pool   []float64 // last block only: the original network's pooled features, n×cout
	// ex, if set, appends the 1×1 projection shortcut's input at each position to the regressors,
	// so that the shortcut is refitted jointly with conv2 (see refitJoint).
	ex *extra
}

// extra is a second input of the refit: x (n×c×h×w) sampled at (stride·oy, stride·ox) for output
// position (oy, ox), as a 1×1 convolution without padding reads it.
type extra struct {
	x          []float32
	c, h, w    int
	stride     int
	conv       *resnet.ConvBN // the 1×1 convolution whose weights the extra regressors refit
	scale2     []float32      // conv2's BN scale, per output channel
	scaleShort []float32      // the shortcut's BN scale, per output channel
}

// compensated returns the target that makes the pruned block's output before its final ReLU equal
// the original's, u, given the pruned block's shortcut output s (n×cout×hw) and conv2's BN
// (scale, shift):  scale·y* + shift + s = u  ⇒  y* = (u − s − shift)/scale.
//
// With passes > 0 the target is also ReLU-aware: where u ≤ 0 the final ReLU zeroes the original
// output, and any y on the zeroed side of y0 = (−s − shift)/scale is exact as well; the refit is then
// re-solved passes times, each time with those entries' targets set to the current prediction
// when it lies on that side (an alternating minimisation of the error after the ReLU).
func (tg *target) compensated(conv *resnet.ConvBN, s []float32, hw int, passes, threads int) *target {
	scale, shift := conv.BN.Fold()
	out := &target{pos: tg.pos, y: make([]float64, len(tg.y)), cout: tg.cout, passes: passes}
	if passes > 0 {
		out.zero, out.dir = make([]float64, len(tg.y)), make([]int8, len(tg.y))
	}
	first := tg.firstRows()
	eachBlock(len(tg.pos), threads, func(lo, hi int) {
		row := first[lo]
		for img := lo; img < hi; img++ {
			for _, q := range tg.pos[img] {
				for ch := range tg.cout {
					sv := float64(s[(img*tg.cout+ch)*hw+int(q)])
					out.y[row*tg.cout+ch] = (tg.u[row*tg.cout+ch] - sv - float64(shift[ch])) / float64(scale[ch])
					if passes > 0 && tg.u[row*tg.cout+ch] <= 0 {
						e := row*tg.cout + ch
						out.zero[e] = (-sv - float64(shift[ch])) / float64(scale[ch])
						out.dir[e] = 1
						if scale[ch] < 0 {
							out.dir[e] = -1
						}
					}
				}
				row++
			}
		}
	})
	return out
}

// firstRows returns each image's first row in the target's rows (and the row count last).
func (tg *target) firstRows() []int {
	first := make([]int, len(tg.pos)+1)
	for img, ps := range tg.pos {
		first[img+1] = first[img] + len(ps)
	}
	return first
}

// samplePositions picks min(p, hw) of an hw-position map for each of n images: all of them when
// hw ≤ p, else p distinct ones drawn by a PCG seeded with (image, block), so every variant's refit
// uses the same rows.
func samplePositions(n, hw, p, block int) [][]int32 {
	pos := make([][]int32, n)
	for img := range n {
		all := make([]int32, hw)
		for i := range all {
			all[i] = int32(i)
		}
		if hw > p {
			rng := rand.New(rand.NewPCG(uint64(img), uint64(block)))
			for i := range p { // partial Fisher–Yates
				j := i + rng.IntN(hw-i)
				all[i], all[j] = all[j], all[i]
			}
			all = all[:p]
			slices.Sort(all)
		}
		pos[img] = all
	}
	return pos
}

// cachedTargets returns the refit targets of every block (see blockTarget) on the first n calibration
// images at p positions per image, if an earlier Repair computed them, else nil.
func (c *Calibration) cachedTargets(n, p int) []target {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.targets[[2]int{n, p}]
}

// storeTargets caches tg as the refit targets of (n, p) and returns the cached value (the first one
// stored, should two goroutines compute them).
func (c *Calibration) storeTargets(n, p int, tg []target) []target {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.targets[[2]int{n, p}]; ok {
		return old
	}
	c.targets[[2]int{n, p}] = tg
	return tg
}

// origStem returns the original network's stem output (the first block's input) on the first n
// calibration images.
func (c *Calibration) origStem(n int, bufs *buffers) ([]float32, int, int) {
	return c.convBN(&c.orig.Stem, c.x[:n*3*32*32], n, 32, 32, true, nil, bufs)
}

// blockTarget runs the original network's block i on its input x (n×cin×h×w) and returns the block's
// refit target at positions sampled p per image, and its output (the next block's input) with its
// size.
func (c *Calibration) blockTarget(i int, x []float32, n, cin, h, w, p int, bufs *buffers) (target, []float32, int, int) {
	b := &c.orig.Blocks[i]
	t, ho, wo := c.convBN(&b.Conv1, x, n, h, w, true, nil, bufs)
	y, _, _ := c.convRaw(&b.Conv2, t, n, ho, wo, bufs)
	bufs.put(t)
	hw, cout := ho*wo, b.Conv2.Cout
	tg := target{pos: samplePositions(n, hw, p, i), cout: cout}
	first := tg.firstRows()
	rows := first[n]
	tg.y, tg.u = make([]float64, rows*cout), make([]float64, rows*cout)
	// sample copies y's values at the sampled positions into dst (rows×cout).
	sample := func(dst []float64) {
		c.each(n, func(lo, hi int) {
			row := first[lo]
			for img := lo; img < hi; img++ {
				for _, q := range tg.pos[img] {
					for ch := range cout {
						dst[row*cout+ch] = float64(y[(img*cout+ch)*hw+int(q)])
					}
					row++
				}
			}
		})
	}
	sample(tg.y)
	c.applyBN(&b.Conv2, y, n, hw, false)
	s := c.shortcut(b, x, n, cin, h, w, bufs)
	per := cout * hw
	c.each(n, func(lo, hi int) {
		for j := lo * per; j < hi*per; j++ {
			y[j] += s[j]
		}
	})
	if len(s) > 0 && &s[0] != &x[0] {
		bufs.put(s)
	}
	sample(tg.u)
	c.each(n, func(lo, hi int) {
		for j := lo * per; j < hi*per; j++ {
			y[j] = max(y[j], 0)
		}
	})
	return tg, y, ho, wo
}

// pool returns the global average pool of x (n×c×hw) as float64 (n×c).
func pool(x []float32, n, c, hw int) []float64 {
	out := make([]float64, n*c)
	for i := range n * c {
		var s float64
		for _, v := range x[i*hw : (i+1)*hw] {
			s += float64(v)
		}
		out[i] = s / float64(hw)
	}
	return out
}

// refitLinear fits the linear layer W' (Classes×C) and bias b' on the pruned network's pooled
// features f (n×C) to the original network's logits z = W f_orig + b:
// min ‖[f 1] [W' b']ᵀ − z‖² + λ‖·‖², the same normal equations as conv2's.
func (c *Calibration) refitLinear(pruned *resnet.Net, f []float64, n int, ridge float64) (LayerStats, error) {
	orig := c.orig
	c.mu.Lock()
	var fo []float64
	for k, t := range c.targets {
		if k[0] == n {
			fo = t[len(t)-1].pool
			break
		}
	}
	c.mu.Unlock()
	C := len(pruned.FCW) / resnet.Classes
	d := C + 1
	A := mat.NewDense(n, d, nil)
	Y := mat.NewDense(n, resnet.Classes, nil)
	for i := range n {
		for j := range C {
			A.Set(i, j, f[i*C+j])
		}
		A.Set(i, C, 1)
		for o := range resnet.Classes {
			z := float64(orig.FCB[o])
			for j := range C {
				z += float64(orig.FCW[o*C+j]) * fo[i*C+j]
			}
			Y.Set(i, o, z)
		}
	}
	var g mat.SymDense
	g.SymOuterK(1, A.T())
	var tr float64
	for i := range d {
		tr += g.At(i, i)
	}
	lambda := ridge * tr / float64(d)
	for i := range d {
		g.SetSym(i, i, g.At(i, i)+lambda)
	}
	var chol mat.Cholesky
	if !chol.Factorize(&g) {
		return LayerStats{}, errors.New("repair: linear layer: normal equations are not positive definite")
	}
	var rhs, sol mat.Dense
	rhs.Mul(A.T(), Y)
	if err := chol.SolveTo(&sol, &rhs); err != nil {
		return LayerStats{}, err
	}
	relErr := func(w func(o, j int) float64) float64 {
		var e, yy float64
		for i := range n {
			for o := range resnet.Classes {
				z := w(o, C)
				for j := range C {
					z += w(o, j) * f[i*C+j]
				}
				t := Y.At(i, o)
				e += (z - t) * (z - t)
				yy += t * t
			}
		}
		return e / yy
	}
	st := LayerStats{Name: pruned.FCName, Rows: n}
	st.Before = relErr(func(o, j int) float64 {
		if j == C {
			return float64(pruned.FCB[o])
		}
		return float64(pruned.FCW[o*C+j])
	})
	st.After = relErr(func(o, j int) float64 { return sol.At(j, o) })
	for o := range resnet.Classes {
		for j := range C {
			pruned.FCW[o*C+j] = float32(sol.At(j, o))
		}
		pruned.FCB[o] = float32(sol.At(C, o))
	}
	return st, nil
}

// normal holds the normal equations' parts: G = AᵀA, R = AᵀY and Σ y_c².
type normal struct {
	g, r []float64
	yy   []float64
	rows int
}

// normBlock is how many images each partial sum of the normal equations covers. The images are cut
// into blocks of this size whatever the thread count, and the blocks' sums are added in order, so
// that the refit gives the same bits on any number of threads.
const normBlock = 64

// normals returns the normal equations of the n images' rows (see accumulate): each block of
// normBlock images is accumulated on its own, c.threads blocks at a time, and the blocks are added
// in order.
func (c *Calibration) normals(conv *resnet.ConvBN, t []float32, h, w int, tg *target, n, d int, gram bool, wt []float32) normal {
	blocks := (n + normBlock - 1) / normBlock
	threads := min(c.threads, blocks)
	part := make([]normal, threads)
	var sum normal
	for first := 0; first < blocks; first += threads {
		var wg sync.WaitGroup
		for p := range min(threads, blocks-first) {
			b := first + p
			wg.Add(1)
			go func() {
				defer wg.Done()
				nm := normal{r: make([]float64, d*tg.cout), yy: make([]float64, tg.cout)}
				if gram {
					nm.g = make([]float64, d*d)
				}
				accumulate(&nm, conv, t, h, w, tg, b*normBlock, min((b+1)*normBlock, n), d, wt)
				part[p] = nm
			}()
		}
		wg.Wait()
		for p := range min(threads, blocks-first) {
			o := part[p]
			if first == 0 && p == 0 {
				sum = o
				continue
			}
			for i := range sum.g {
				sum.g[i] += o.g[i]
			}
			for i := range sum.r {
				sum.r[i] += o.r[i]
			}
			for i := range sum.yy {
				sum.yy[i] += o.yy[i]
			}
			sum.rows += o.rows
		}
	}
	for i := range d * d { // accumulate fills the upper triangle
		if r, c := i/d, i%d; c < r && sum.g != nil {
			sum.g[i] = sum.g[c*d+r]
		}
	}
	return sum
}

// accumulate adds the rows of images lo…hi-1 to nm. t is the n×cin×h×w hidden activation.
// Rows are gathered in chunks of 256; each chunk's AᵀA (its upper triangle only) and AᵀY (as YᵀA)
// are float32 GEMMs (kernels.Sgemm, sums of 256 products) added into the float64 totals. AᵀA is skipped when
// nm.g is nil; normals fills its lower triangle.
//
// With wt (d×cout, float32) the targets are ReLU-relaxed (see target.compensated) on the fly: each chunk's
// predictions A·wt are one more GEMM, and a ReLU-zeroed entry whose prediction lies on its exact side
// takes the prediction as its target.
func accumulate(nm *normal, conv *resnet.ConvBN, t []float32, h, w int, tg *target, lo, hi, d int, wt []float32) {
	const chunk = 256
	cin, k, pad, cout, stride := conv.Cin, conv.K, conv.K/2, tg.cout, conv.Stride
	_, ow := conv.OutSize(h, w)
	a := make([]float32, chunk*d)
	yc := make([]float32, chunk*cout)
	var pc []float32
	if wt != nil {
		pc = make([]float32, chunk*cout)
	}
	var gc []float32
	if nm.g != nil {
		gc = make([]float32, d*d)
	}
	rc := make([]float32, cout*d)
	row := 0
	for img := range lo {
		row += len(tg.pos[img])
	}
	m := 0
	flush := func() {
		if m == 0 {
			return
		}
		if wt != nil {
			kernels.Sgemm(false, false, m, cout, d, 1, a, d, wt, cout, 0, pc, cout)
			r0 := row - m
			for i := range m {
				for ch := range cout {
					e := (r0+i)*cout + ch
					if dir := tg.dir[e]; dir != 0 {
						p := float64(pc[i*cout+ch])
						if (dir > 0 && p <= tg.zero[e]) || (dir < 0 && p >= tg.zero[e]) {
							yc[i*cout+ch] = pc[i*cout+ch]
						}
					}
				}
			}
		}
		if gc != nil {
			// Only the upper triangle, in panels of gramPanel rows: row panel i0 is the GEMM of
			// columns i0… of A against columns i0…d-1 (half the products of the full AᵀA).
			for i0 := 0; i0 < d; i0 += gramPanel {
				bi := min(gramPanel, d-i0)
				kernels.Sgemm(true, false, bi, d-i0, m, 1, a[i0:], d, a[i0:], d, 0, gc[i0*d+i0:], d)
				for i := i0; i < i0+bi; i++ {
					kernels.AddWiden(nm.g[i*d+i:(i+1)*d], gc[i*d+i:(i+1)*d])
				}
			}
		}
		// (AᵀY)ᵀ = YᵀA: Sgemm pads its second operand to panels of 32 columns, so the narrow Y
		// goes first (AᵀY itself cost twice as much when the packing was last compared).
		kernels.Sgemm(true, false, cout, d, m, 1, yc, cout, a, d, 0, rc, d)
		for ch := range cout {
			for i, v := range rc[ch*d : (ch+1)*d] {
				nm.r[i*cout+ch] += float64(v)
			}
		}
		for i := range m {
			for ch, v := range yc[i*cout : (i+1)*cout] {
				nm.yy[ch] += float64(v) * float64(v)
			}
		}
		nm.rows += m
		m = 0
	}
	// Each image is copied once into zero-padded maps, so that every patch is k runs of k values
	// per channel.
	hp, wp := h+2*pad, w+2*pad
	padded := make([]float32, cin*hp*wp)
	for img := lo; img < hi; img++ {
		for ci := range cin {
			for y := range h {
				o := (ci*hp+y+pad)*wp + pad
				copy(padded[o:o+w], t[((img*cin+ci)*h+y)*w:])
			}
		}
		for _, q := range tg.pos[img] {
			oy, ox := int(q)/ow*stride, int(q)%ow*stride
			dst := a[m*d : (m+1)*d]
			patch(dst[:cin*k*k], padded, cin, hp, wp, k, oy, ox)
			j := cin * k * k
			if ex := tg.ex; ex != nil {
				xs := ex.x[img*ex.c*ex.h*ex.w:]
				iy, ix := int(q)/ow*ex.stride, int(q)%ow*ex.stride
				for ci := range ex.c {
					dst[j] = xs[(ci*ex.h+iy)*ex.w+ix]
					j++
				}
			}
			dst[j] = 1
			for ch := range cout {
				yc[m*cout+ch] = float32(tg.y[(row)*cout+ch])
			}
			row++
			m++
			if m == chunk {
				flush()
			}
		}
	}
	flush()
}

// gramPanel is the row panel of the upper-triangular AᵀA products in accumulate.
const gramPanel = 64

// patch writes the k×k patch of the cin maps src (h×w each) whose top-left corner is (y0, x0),
// which lies inside them, into dst (cin·k·k, [cin][ky][kx]).
func patch(dst, src []float32, cin, h, w, k, y0, x0 int) {
	if k == 3 {
		for ci := range cin {
			o := (ci*h+y0)*w + x0
			r0, r1, r2 := src[o:o+3], src[o+w:o+w+3], src[o+2*w:o+2*w+3]
			d := dst[9*ci : 9*ci+9]
			d[0], d[1], d[2] = r0[0], r0[1], r0[2]
			d[3], d[4], d[5] = r1[0], r1[1], r1[2]
			d[6], d[7], d[8] = r2[0], r2[1], r2[2]
		}
		return
	}
	j := 0
	for ci := range cin {
		for ky := range k {
			o := (ci*h+y0+ky)*w + x0
			copy(dst[j:j+k], src[o:o+k])
			j += k
		}
	}
}

// refit solves conv2's least squares (see the top of this file) for the hidden activation t of the
// first n calibration images (h×w maps) and writes the new weights into conv.
func (c *Calibration) refit(conv *resnet.ConvBN, t []float32, n, h, w int, tg *target, ridge float64) (LayerStats, error) {
	if tg.cout != conv.Cout {
		return LayerStats{}, errors.New("the refitted conv must have the target's output channels")
	}
	fl := conv.FilterLen()
	d := fl + 1
	ne := 0 // extra regressors
	if tg.ex != nil {
		if conv.Assign != nil || conv.Bias != nil || tg.ex.conv.Assign != nil || tg.ex.conv.Bias != nil {
			return LayerStats{}, errors.New("a joint shortcut refit needs dense, bias-free convolutions")
		}
		ne = tg.ex.c
		d += ne
	}
	// normals returns the normal equations; gram: also AᵀA; wt: ReLU-relaxed targets (accumulate).
	normals := func(gram bool, wt []float32) normal {
		return c.normals(conv, t, h, w, tg, n, d, gram, wt)
	}
	nm := normals(true, nil)
	G := mat.NewSymDense(d, nm.g)
	var tr float64
	for i := range d {
		tr += nm.g[i*d+i]
	}
	reg := mat.NewSymDense(d, slices.Clone(nm.g))
	lambda := ridge * tr / float64(d)
	for i := range d {
		reg.SetSym(i, i, reg.At(i, i)+lambda)
	}
	var chol mat.Cholesky
	if !chol.Factorize(reg) {
		return LayerStats{}, errors.New("normal equations are not positive definite")
	}
	rows := conv.Rows()
	scale, _ := conv.BN.Fold()
	rowOf := func(ch int) int {
		if conv.Assign == nil {
			return ch
		}
		return int(conv.Assign[ch])
	}
	// Right-hand side per stored filter: AᵀY's column, or the s²-weighted mean of its members'.
	solve := func(r []float64) (*mat.Dense, error) {
		rhs := mat.NewDense(d, rows, nil)
		wsum := make([]float64, rows)
		for ch := range conv.Cout {
			row, s2 := rowOf(ch), float64(scale[ch])*float64(scale[ch])
			if conv.Assign == nil {
				s2 = 1
			}
			wsum[row] += s2
			for i := range d {
				rhs.Set(i, row, rhs.At(i, row)+s2*r[i*tg.cout+ch])
			}
		}
		for row := range rows {
			if wsum[row] > 0 {
				for i := range d {
					rhs.Set(i, row, rhs.At(i, row)/wsum[row])
				}
			}
		}
		var sol mat.Dense
		err := chol.SolveTo(&sol, rhs)
		return &sol, err
	}
	sol, err := solve(nm.r)
	if err != nil {
		return LayerStats{}, err
	}
	// ReLU-aware passes (see target.compensated): G is unchanged, only AᵀY is recomputed, for targets
	// relaxed towards the current solution's predictions.
	for range tg.passes {
		wt := make([]float32, d*tg.cout)
		for ch := range tg.cout {
			for i := range d {
				wt[i*tg.cout+ch] = float32(sol.At(i, rowOf(ch)))
			}
		}
		if sol, err = solve(normals(false, wt).r); err != nil {
			return LayerStats{}, err
		}
	}
	// Relative error of channel c's weights u (D): (uᵀGu − 2uᵀR_c + Σy_c²) / Σ y_c².
	relErr := func(u func(i int, ch int) float64) float64 {
		var e, yy float64
		gu := make([]float64, d)
		for ch := range conv.Cout {
			uc := make([]float64, d)
			for i := range d {
				uc[i] = u(i, ch)
			}
			ucv := mat.NewVecDense(d, uc)
			guv := mat.NewVecDense(d, gu)
			guv.MulVec(G, ucv)
			var q, lin float64
			for i := range d {
				q += uc[i] * gu[i]
				lin += uc[i] * nm.r[i*tg.cout+ch]
			}
			e += q - 2*lin + nm.yy[ch]
			yy += nm.yy[ch]
		}
		return e / yy
	}
	st := LayerStats{Name: conv.Name, Rows: nm.rows}
	st.Before = relErr(func(i, ch int) float64 {
		r := rowOf(ch)
		if i < fl {
			return float64(conv.W[r*fl+i])
		}
		if i < fl+ne {
			ex := tg.ex
			return float64(ex.conv.W[ch*ne+i-fl]) * float64(ex.scaleShort[ch]) / float64(ex.scale2[ch])
		}
		if conv.Bias != nil {
			return float64(conv.Bias[r])
		}
		return 0
	})
	st.After = relErr(func(i, ch int) float64 { return sol.At(i, rowOf(ch)) })
	for r := range rows {
		for i := range fl {
			conv.W[r*fl+i] = float32(sol.At(i, r))
		}
		if conv.Bias != nil {
			conv.Bias[r] = float32(sol.At(fl+ne, r))
		}
	}
	if ex := tg.ex; ex != nil { // the shortcut's weights: its column of the solution, in its own BN's units
		for ch := range conv.Cout {
			for ci := range ne {
				ex.conv.W[ch*ne+ci] = float32(sol.At(fl+ci, ch) * float64(ex.scale2[ch]) / float64(ex.scaleShort[ch]))
			}
		}
	}
	if conv.Bias == nil {
		for ch := range conv.Cout {
			conv.BN.Mean[ch] -= float32(sol.At(fl+ne, rowOf(ch)))
		}
	}
	return st, nil
}
