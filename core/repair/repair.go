// Package repair restores some of a pruned ResNet20's accuracy without gradient descent, from a few
// hundred calibration images:
//
//   - adaptive BN (recal.go): every BatchNorm's running mean and variance are recomputed, in forward
//     order, from the activations the pruned network itself produces;
//   - least-squares refit (refit.go): each block's conv2 is refitted so that its pre-BN output on the
//     pruned block's own input reproduces the original network's conv2 pre-BN output (optionally
//     also conv1, the 1×1 projection shortcuts jointly with conv2, and the linear layer);
//   - channel selection (select.go, method 2): each cluster's kept conv1 channel becomes the
//     candidate, its centroid or one of its members, that best reconstructs conv2's output.
//
// Both run block by block in forward order, so each step sees the already repaired prefix of the
// network. The calibration images are the caller's (the CLI uses the first N train images); the
// package reads no files.
package repair

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Defaults of Options.
const (
	// DefaultPositions is how many spatial positions per image the refit samples at most (of 64,
	// 256 and 1,024 in the three stages). Neighbouring positions of one image say much the same:
	// on the study checkpoint (method 2, r = 0.5, Best's steps, 2,048 images, select on all the
	// refit's positions, 3 ReLU passes; the first 1,000 test images) 256 gave 82.6%, 64 82.5%,
	// 32 82.8% and 16 (1 pass) 82.1%; method 1 at r = 0.5 / 0.8: 256 65.7 / 37.7%, 32 65.4 / 38.8%
	// (TestStudyOptions).
	DefaultPositions = 32
	// DefaultSelectPositions is how many of each refit image's sampled positions the select step
	// chooses the kept channels on: its normal equations span every candidate channel (the kept
	// ones and all the cluster members, 1.5× conv1's width at r = 0.5), the refit's largest.
	// Fewer images instead cost more accuracy: 512 images × 64 positions gave 81.3%, all 2,048 ×
	// 16 of 32 positions 82.9% (8: 82.4%).
	DefaultSelectPositions = 16
	// DefaultRidge is the refit's ridge λ relative to the mean diagonal of the normal matrix.
	DefaultRidge = 1e-3
	// DefaultReLUPasses is how many times a ReLU-aware refit is re-solved (each pass costs about
	// as much as the refit's first solve; 3 passes gave 83.0%, 1 82.9%).
	DefaultReLUPasses = 1
)

// Options selects the repairs. The zero value repairs nothing.
type Options struct {
	Recal     int     // recompute every BN's statistics from the first Recal calibration images (0 = off)
	Refit     int     // refit every block's conv2 on the first Refit calibration images (0 = off)
	Positions int     // refit: spatial positions sampled per image (0 = DefaultPositions)
	Ridge     float64 // refit: relative ridge (0 = DefaultRidge)
	// Compensate makes the refit target the original block's output rather than its conv2 output:
	// conv2 must also cancel the error that the pruned prefix left in the shortcut branch (see
	// target.compensated). bn2 then keeps its statistics, which the target is expressed in.
	Compensate bool
	// ReLUPasses (with Compensate) re-solves each refit this many times, letting the entries that
	// the block's final ReLU zeroes in the original network keep any prediction it zeroes too.
	ReLUPasses int
	// Linear also refits the final linear layer so that the pruned network's logits reproduce the
	// original network's on the refit images (least squares over the pooled features).
	Linear bool
	// Conv1 also refits every block's conv1 before its conv2: on the pruned network's own block input,
	// its pre-BN output is fitted to what the same (pruned) conv1 gives on the original network's
	// block input, so that the prefix's error is cancelled before it reaches the hidden activation.
	// With ReLUPasses it is ReLU-aware as well: where bn1's ReLU zeroes the target, any output that
	// it zeroes too counts as exact (the same alternating re-solve as conv2's).
	Conv1 bool
	// Shortcut (with Compensate) refits a block's 1×1 projection shortcut jointly with its conv2: one
	// least squares over conv2's input patches and the shortcut's input pixel, so that both branches
	// together reproduce the original block's output. Identity shortcuts, and weight-shared
	// (method 1) convolutions, are left to the plain compensated refit.
	Shortcut bool
	// Select (method 2) chooses each block's kept conv1 channels by reconstruction on the refit
	// images, before the refits (see selectReps). Plan is the clustering the pruned network was
	// built from, which it needs.
	Select bool
	Plan   *prune.Plan
	// SelectPositions is how many of each refit image's sampled positions the select step chooses
	// on (0 = DefaultSelectPositions; at most Positions).
	SelectPositions int
}

// Calibration holds the calibration images and the original network, and caches the original
// network's refit targets so that several pruned variants can be repaired against one forward pass.
// It is safe for concurrent use.
type Calibration struct {
	orig    *resnet.Net
	x       []float32 // n normalised 3×32×32 images
	n       int
	threads int

	mu      sync.Mutex
	targets map[[2]int][]target // by (images, positions)
}

// NewCalibration returns a Calibration for the original (unpruned) network orig and n normalised
// images x (n×3×32×32); threads goroutines split the images in forward passes (0 = GOMAXPROCS).
func NewCalibration(orig *resnet.Net, x []float32, n, threads int) (*Calibration, error) {
	if n < 1 || len(x) != n*3*32*32 {
		return nil, fmt.Errorf("repair: %d values for %d calibration images", len(x), n)
	}
	if err := orig.Validate(); err != nil {
		return nil, err
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	return &Calibration{orig: orig, x: x, n: n, threads: threads, targets: map[[2]int][]target{}}, nil
}

// Images returns the number of calibration images.
func (c *Calibration) Images() int { return c.n }

// LayerStats reports one repaired layer.
type LayerStats struct {
	Name string `json:"name"`
	// Refit only: the sum of squared errors of conv2's pre-BN output against the original network's,
	// relative to the target's sum of squares, before and after the refit, on the sampled rows.
	Before float64 `json:"rel_err_before"`
	After  float64 `json:"rel_err_after"`
	Rows   int     `json:"rows"` // sampled positions (least-squares equations per output channel)
}

// Stats reports a Repair.
type Stats struct {
	Recal     int          `json:"recal"`                      // images the BN statistics came from
	Refit     int          `json:"refit"`                      // images the refit used
	Positions int          `json:"positions"`                  // positions sampled per image in the refit
	Select    int          `json:"select_positions,omitempty"` // positions per image the select step chose on
	Layers    []LayerStats `json:"layers,omitempty"`
}

// Repair applies the repairs of opt to pruned in place, block by block in forward order:
//
//	stem:     [recal stem BN]
//	block i:  [select conv1's channels] → [refit conv1] → [recal shortcut BN] → [recal bn1] →
//	          [refit conv2 (jointly with the shortcut) on relu(bn1(conv1 x))] → [recal bn2]
//	end:      [refit the linear layer]
//
// where x is block i's input computed by the already repaired prefix. The refit target is the
// original network's conv2 pre-BN output (Compensate: block output), computed through the original
// prefix; the selection and the conv1 refit work on the original network's block input.
func (c *Calibration) Repair(pruned *resnet.Net, opt Options) (*Stats, error) {
	if opt.Recal < 0 || opt.Refit < 0 || opt.Positions < 0 || opt.SelectPositions < 0 {
		return nil, fmt.Errorf("repair: negative count (recal %d, refit %d, positions %d, select positions %d)", opt.Recal, opt.Refit, opt.Positions, opt.SelectPositions)
	}
	if (opt.Compensate || opt.Linear || opt.Conv1) && opt.Refit == 0 {
		return nil, fmt.Errorf("repair: compensation and the linear refit are parts of the refit (set Refit)")
	}
	if opt.ReLUPasses < 0 || (opt.ReLUPasses > 0 && !opt.Compensate) {
		return nil, fmt.Errorf("repair: ReLU passes (%d) need Compensate", opt.ReLUPasses)
	}
	if opt.Shortcut && !opt.Compensate {
		return nil, fmt.Errorf("repair: the joint shortcut refit needs Compensate")
	}
	if opt.Select && opt.Refit == 0 {
		return nil, fmt.Errorf("repair: choosing the kept channels needs the refit (set Refit)")
	}
	if opt.Select && (opt.Plan == nil || opt.Plan.Method != prune.Removal || len(opt.Plan.Layers) != len(pruned.Blocks)) {
		return nil, fmt.Errorf("repair: choosing the kept channels needs the method-2 plan the network was pruned with (see ForPlan)")
	}
	n := max(opt.Recal, opt.Refit)
	st := &Stats{Recal: opt.Recal, Refit: opt.Refit}
	if n == 0 {
		return st, nil
	}
	if n > c.n {
		return nil, fmt.Errorf("repair: %d calibration images requested, %d available", n, c.n)
	}
	if err := pruned.Validate(); err != nil {
		return nil, err
	}
	if len(pruned.Blocks) != len(c.orig.Blocks) || pruned.Arch != c.orig.Arch {
		return nil, fmt.Errorf("repair: pruned network (%s, %d blocks) does not match the original (%s, %d blocks)",
			pruned.Arch, len(pruned.Blocks), c.orig.Arch, len(c.orig.Blocks))
	}
	if opt.Positions <= 0 {
		opt.Positions = DefaultPositions
	}
	if opt.Ridge <= 0 {
		opt.Ridge = DefaultRidge
	}
	if opt.SelectPositions == 0 {
		opt.SelectPositions = DefaultSelectPositions
	}
	opt.SelectPositions = min(opt.SelectPositions, opt.Positions)
	if opt.Refit > 0 {
		st.Positions = opt.Positions
	}
	if opt.Select {
		st.Select = opt.SelectPositions
	}
	// The refit targets come from the original network's forward pass on the refit images: cached
	// from an earlier Repair, or computed block by block below on the same pass that gives the
	// select and conv1 steps the original block inputs (ocur).
	var tg []target
	fresh := false
	if opt.Refit > 0 {
		if tg = c.cachedTargets(opt.Refit, opt.Positions); tg == nil {
			tg, fresh = make([]target, len(c.orig.Blocks)), true
		}
	}
	recal := func(conv *resnet.ConvBN, z []float32, hw int) {
		if opt.Recal > 0 {
			setStats(&conv.BN, z[:opt.Recal*conv.Cout*hw], opt.Recal, conv.Cout, hw, c.threads)
		}
	}
	bufs := &buffers{} // the activations' slices, recycled block after block
	x := c.x[:n*3*32*32]
	cur, h, w := c.convRaw(&pruned.Stem, x, n, 32, 32, bufs)
	recal(&pruned.Stem, cur, h*w)
	c.applyBN(&pruned.Stem, cur, n, h*w, true)
	cin := pruned.Stem.Cout
	var ocur []float32 // the original network's block input on the refit images
	if fresh || (opt.Refit > 0 && (opt.Conv1 || opt.Select)) {
		ocur, _, _ = c.origStem(opt.Refit, bufs)
	}
	for i := range pruned.Blocks {
		b := &pruned.Blocks[i]
		var onext []float32 // the original block's output
		if fresh {
			tg[i], onext, _, _ = c.blockTarget(i, ocur, opt.Refit, cin, h, w, opt.Positions, bufs)
		} else if ocur != nil {
			onext = c.origBlock(i, ocur, opt.Refit, cin, h, w, bufs)
		}
		if ocur != nil && (opt.Conv1 || opt.Select) {
			if opt.Select && !opt.Plan.Layers[i].Unchanged {
				if err := c.selectReps(b, &c.orig.Blocks[i], &opt.Plan.Layers[i], ocur, opt.Refit, h, w, &tg[i], opt.SelectPositions, opt.Ridge, bufs); err != nil {
					return nil, fmt.Errorf("repair: %s: %w", b.Conv1.Name, err)
				}
			}
			if opt.Conv1 {
				ls, err := c.refitConv1(&b.Conv1, cur[:opt.Refit*cin*h*w], ocur, opt.Refit, h, w, i, opt, bufs)
				if err != nil {
					return nil, fmt.Errorf("repair: %s: %w", b.Conv1.Name, err)
				}
				st.Layers = append(st.Layers, ls)
			}
		}
		bufs.put(ocur)
		ocur = onext
		// The shortcut first: a compensating refit needs its output.
		var s []float32
		if b.Shortcut != nil {
			var hs, ws int
			s, hs, ws = c.convRaw(b.Shortcut, cur, n, h, w, bufs)
			recal(b.Shortcut, s, hs*ws)
			c.applyBN(b.Shortcut, s, n, hs*ws, false)
		} else {
			s = b.ShortcutOf(cur, n, cin, h, w) // cur itself, or a new slice
		}
		t, ho, wo := c.convRaw(&b.Conv1, cur, n, h, w, bufs)
		recal(&b.Conv1, t, ho*wo)
		c.applyBN(&b.Conv1, t, n, ho*wo, true)
		if opt.Refit > 0 {
			tgi := &tg[i]
			joint := opt.Compensate && opt.Shortcut && b.Shortcut != nil && b.Shortcut.Assign == nil && b.Shortcut.Bias == nil &&
				b.Conv2.Assign == nil && b.Conv2.Bias == nil // dense convolutions only (not method 1's shared ones)
			if joint {
				// The shortcut's output is refitted too: compensate only its BN shift.
				ss, sh := b.Shortcut.BN.Fold()
				c0 := make([]float32, len(s))
				hw := ho * wo
				for j := range c0 {
					c0[j] = sh[(j/hw)%b.Shortcut.Cout]
				}
				tgi = tgi.compensated(&b.Conv2, c0, hw, opt.ReLUPasses, c.threads)
				s2, _ := b.Conv2.BN.Fold()
				tgi.ex = &extra{x: cur[:opt.Refit*cin*h*w], c: cin, h: h, w: w, stride: b.Shortcut.Stride, conv: b.Shortcut, scale2: s2, scaleShort: ss}
			} else if opt.Compensate {
				tgi = tgi.compensated(&b.Conv2, s, ho*wo, opt.ReLUPasses, c.threads)
			}
			ls, err := c.refit(&b.Conv2, t[:opt.Refit*b.Conv1.Cout*ho*wo], opt.Refit, ho, wo, tgi, opt.Ridge)
			if err != nil {
				return nil, fmt.Errorf("repair: %s: %w", b.Conv2.Name, err)
			}
			st.Layers = append(st.Layers, ls)
			if joint {
				bufs.put(s)
				s, _, _ = c.convRaw(b.Shortcut, cur, n, h, w, bufs)
				c.applyBN(b.Shortcut, s, n, ho*wo, false)
			}
		}
		y, _, _ := c.convRaw(&b.Conv2, t, n, ho, wo, bufs)
		if opt.Refit == 0 || !opt.Compensate {
			recal(&b.Conv2, y, ho*wo)
		}
		c.applyBN(&b.Conv2, y, n, ho*wo, false)
		per := b.Conv2.Cout * ho * wo
		c.each(n, func(lo, hi int) {
			for j := lo * per; j < hi*per; j++ {
				y[j] = max(y[j]+s[j], 0)
			}
		})
		bufs.put(t, s, cur)
		cur, h, w, cin = y, ho, wo, b.Conv2.Cout
	}
	if fresh {
		tg[len(tg)-1].pool = pool(ocur, opt.Refit, cin, h*w)
		c.storeTargets(opt.Refit, opt.Positions, tg)
	}
	if opt.Refit > 0 && opt.Linear {
		ls, err := c.refitLinear(pruned, pool(cur[:opt.Refit*cin*h*w], opt.Refit, cin, h*w), opt.Refit, opt.Ridge)
		if err != nil {
			return nil, err
		}
		st.Layers = append(st.Layers, ls)
	}
	return st, nil
}

// refitConv1 refits conv1 (see Options.Conv1): x is the pruned network's block input, xo the
// original network's, both on the n refit images (h×w maps).
func (c *Calibration) refitConv1(conv *resnet.ConvBN, x, xo []float32, n, h, w, block int, opt Options, bufs *buffers) (LayerStats, error) {
	yo, ho, wo := c.convRaw(conv, xo, n, h, w, bufs)
	defer bufs.put(yo)
	hw, cout := ho*wo, conv.Cout
	tg := &target{pos: samplePositions(n, hw, opt.Positions, 1000+block), cout: cout}
	scale, shift := conv.BN.Fold()
	rows := 0
	for _, ps := range tg.pos {
		rows += len(ps)
	}
	tg.y = make([]float64, 0, rows*cout)
	if opt.ReLUPasses > 0 {
		tg.passes = opt.ReLUPasses
		tg.zero, tg.dir = make([]float64, 0, rows*cout), make([]int8, 0, rows*cout)
	}
	for img, ps := range tg.pos {
		for _, q := range ps {
			for ch := range cout {
				y := float64(yo[(img*cout+ch)*hw+int(q)])
				tg.y = append(tg.y, y)
				if tg.passes > 0 {
					// bn1's ReLU zeroes this entry of the target: any y on the zeroed side is exact.
					var dir int8
					z := -float64(shift[ch]) / float64(scale[ch])
					if s := float64(scale[ch]); s != 0 && s*y+float64(shift[ch]) <= 0 {
						dir = 1
						if s < 0 {
							dir = -1
						}
					}
					tg.zero, tg.dir = append(tg.zero, z), append(tg.dir, dir)
				}
			}
		}
	}
	return c.refit(conv, x, n, h, w, tg, opt.Ridge)
}

// origBlock returns the original network's block i output for its input x (n×cin×h×w).
func (c *Calibration) origBlock(i int, x []float32, n, cin, h, w int, bufs *buffers) []float32 {
	b := &c.orig.Blocks[i]
	t, ho, wo := c.convBN(&b.Conv1, x, n, h, w, true, nil, bufs)
	// conv2's BN not in its epilogue: the same bits as blockTarget's output.
	y, _, _ := c.convRaw(&b.Conv2, t, n, ho, wo, bufs)
	bufs.put(t)
	c.applyBN(&b.Conv2, y, n, ho*wo, false)
	s := c.shortcut(b, x, n, cin, h, w, bufs)
	for j := range y {
		y[j] = max(y[j]+s[j], 0)
	}
	if len(s) > 0 && &s[0] != &x[0] {
		bufs.put(s)
	}
	return y
}

// shortcut is b.ShortcutOf(x) with a projection's output in a buffer of bufs (an identity
// shortcut returns x itself).
func (c *Calibration) shortcut(b *resnet.Block, x []float32, n, cin, h, w int, bufs *buffers) []float32 {
	if b.Shortcut == nil {
		return b.ShortcutOf(x, n, cin, h, w)
	}
	s, _, _ := c.convBN(b.Shortcut, x, n, h, w, false, nil, bufs)
	return s
}

// convRaw is conv.ConvRaw with the images cut into blocks of normBlock (whatever the thread count, so
// that the result does not depend on it), c.threads blocks at a time. The result is written into a
// buffer of bufs (nil: a new slice).
func (c *Calibration) convRaw(conv *resnet.ConvBN, x []float32, n, h, w int, bufs *buffers) ([]float32, int, int) {
	return c.conv(conv, x, n, h, w, false, false, nil, bufs)
}

// convBN is convRaw followed by conv's BN, the residual res (nil: none) and a ReLU if relu is
// set, all in the convolution's epilogue.
func (c *Calibration) convBN(conv *resnet.ConvBN, x []float32, n, h, w int, relu bool, res []float32, bufs *buffers) ([]float32, int, int) {
	return c.conv(conv, x, n, h, w, true, relu, res, bufs)
}

func (c *Calibration) conv(conv *resnet.ConvBN, x []float32, n, h, w int, bn, relu bool, res []float32, bufs *buffers) ([]float32, int, int) {
	ho, wo := conv.OutSize(h, w)
	in, out := conv.Cin*h*w, conv.Cout*ho*wo
	z := bufs.get(n * out)
	ep := &kernels.Epilogue{Gather: conv.Assign, ReLU: relu}
	var scale, shift []float32
	if bn {
		scale, shift = conv.BN.Fold()
		ep.Scale, ep.Bias = scale, slices.Clone(shift)
	}
	if conv.Bias != nil {
		if ep.Bias == nil {
			ep.Bias = make([]float32, conv.Cout)
		}
		for ch := range conv.Cout {
			r := ch
			if conv.Assign != nil {
				r = int(conv.Assign[ch])
			}
			if bn {
				ep.Bias[ch] += scale[ch] * conv.Bias[r]
			} else {
				ep.Bias[ch] = conv.Bias[r]
			}
		}
	}
	kc := kernels.NewConv(conv.W, conv.Rows(), conv.Cin, conv.K, conv.Stride, conv.K/2)
	blocks := (n + normBlock - 1) / normBlock
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(c.threads, blocks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ws kernels.Workspace
			e := *ep
			for b := range next {
				lo, hi := b*normBlock, min((b+1)*normBlock, n)
				if res != nil {
					e.Residual = res[lo*out : hi*out]
				}
				kc.Forward(z[lo*out:hi*out], x[lo*in:hi*in], hi-lo, h, w, &e, &ws)
			}
		}()
	}
	for b := range blocks {
		next <- b
	}
	close(next)
	wg.Wait()
	return z, ho, wo
}

// applyBN is conv.ApplyBN on c.threads goroutines.
func (c *Calibration) applyBN(conv *resnet.ConvBN, z []float32, n, hw int, relu bool) {
	per := conv.Cout * hw
	c.each(n, func(lo, hi int) { conv.ApplyBN(z[lo*per:hi*per], hi-lo, hw, relu) })
}

// each calls f for the blocks of normBlock of n images (lo…hi-1), c.threads blocks at a time.
func (c *Calibration) each(n int, f func(lo, hi int)) { eachBlock(n, c.threads, f) }

// eachBlock calls f for the blocks of normBlock of n images (lo…hi-1), threads blocks at a time.
func eachBlock(n, threads int, f func(lo, hi int)) {
	blocks := (n + normBlock - 1) / normBlock
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(threads, blocks)) {
		wg.Go(func() {
			for b := range next {
				f(b*normBlock, min((b+1)*normBlock, n))
			}
		})
	}
	for b := range blocks {
		next <- b
	}
	close(next)
	wg.Wait()
}

// buffers recycles the large activation slices of one Repair: get returns a slice of length n
// (its contents arbitrary), put hands slices back once nothing reads them. A nil *buffers
// allocates.
type buffers struct{ free [][]float32 }

func (b *buffers) get(n int) []float32 {
	if b == nil {
		return make([]float32, n)
	}
	best := -1
	for i, f := range b.free {
		if cap(f) >= n && (best < 0 || cap(f) < cap(b.free[best])) {
			best = i
		}
	}
	if best < 0 {
		return make([]float32, n)
	}
	f := b.free[best]
	b.free = slices.Delete(b.free, best, best+1)
	return f[:n]
}

func (b *buffers) put(fs ...[]float32) {
	if b == nil {
		return
	}
	for _, f := range fs {
		if cap(f) > 0 && !slices.ContainsFunc(b.free, func(g []float32) bool { return &g[:1][0] == &f[:1][0] }) {
			b.free = append(b.free, f)
		}
	}
}
