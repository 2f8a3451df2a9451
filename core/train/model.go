// Package train trains ResNet20 on CIFAR-10: a trainable Model built from (and written back into) a
// resnet.Net, SGD with momentum, learning-rate schedules, data augmentation, and a Trainer that runs
// epochs deterministically and checkpoints its complete state.
//
// Layers and their backward passes live in the sub-package nn. A mini-batch is split over
// Threads goroutines layer by layer, with BatchNorm statistics reduced over the whole mini-batch
// (as PyTorch computes them); results are bit-for-bit reproducible for a given seed and thread
// count.
package train

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/train/nn"
)

// ParamKind tells what a trainable tensor is, for weight-decay rules.
type ParamKind int

// Kinds of trainable tensors.
const (
	Weight  ParamKind = iota // convolution or linear weights
	Bias                     // convolution or linear bias
	BNParam                  // BatchNorm γ or β
)

// Param is one trainable tensor: its PyTorch name, its values (aliasing the Model's resnet.Net)
// and its gradient after Model.Backward.
type Param struct {
	Name string
	Kind ParamKind
	Data []float32
	Grad []float32
	// RowStep, when not nil, scales the optimizer step of each row r of Data (one filter, or its
	// bias) by RowStep[r]. Method-1 shared filters use 1/|members|: a centroid's gradient is the
	// sum of its n members' gradients (the true gradient), and stepping by it at the network's
	// learning rate moves a 16-member centroid 16 times as far as an ordinary filter, which throws
	// the fine-tuning of highly shared layers off course (method 1, r = 0.9: 40.5% → 19.5% after the
	// first 10,000 images at lr 0.005; 27.5% with the scaled step).
	RowStep []float32
}

// unit is a convolution followed by its BatchNorm, with the buffers of its outputs.
type unit struct {
	conv *nn.Conv
	bn   *nn.BatchNorm
	z, y []float32 // conv output; BN output (with the ReLU and residual of its block applied)
	// fused: the BN output is never stored, so y stays nil: a block's first unit (relu(BN(z)) is
	// read by the second conv through Conv.SetInputAct) and a projection shortcut (its BN output
	// is added to the block output as that is written, BatchNorm.ApplyPairImages).
	fused bool
	cout  int
	per   int // floats of one image's output (cout·ho·wo)
}

func newUnit(c *resnet.ConvBN, freeze bool) unit {
	u := unit{
		conv: nn.NewConv(c.Cin, c.Rows(), c.K, c.Stride, c.K/2, c.W, c.Bias, c.Assign),
		bn:   nn.NewBatchNorm(c.BN.Gamma, c.BN.Beta, c.BN.Mean, c.BN.Var),
		cout: c.Cout,
	}
	u.bn.Eps = resnet.BNEps
	u.bn.Frozen = freeze
	return u
}

// begin starts the unit's forward pass over x (n×cin×h×w) on t shards and returns the output
// size; images then runs the conv and the BN statistics of a range of images, and after the BN's
// StatsEnd, apply writes the BN output.
func (u *unit) begin(x []float32, n, h, w, t int, train bool) (ho, wo int) {
	ho, wo = u.conv.OutSize(h, w)
	u.per = u.cout * ho * wo
	u.z = grow(u.z, n*u.per)
	if !u.fused {
		u.y = grow(u.y, n*u.per)
	}
	u.conv.ForwardBegin(x, n, h, w, t)
	u.bn.StatsBegin(u.z, n, ho*wo, t, train)
	return ho, wo
}

func (u *unit) images(s, lo, hi int) {
	u.conv.ForwardImages(s, u.z[lo*u.per:hi*u.per], lo, hi)
	u.bn.StatsImages(s, lo, hi)
}

// apply writes y = BN(z) (+ res, or + sc's BN output) (then a ReLU if relu) for images
// lo … hi−1; res, when not nil, holds the whole batch.
func (u *unit) apply(lo, hi int, res []float32, sc *unit, relu bool) {
	y := u.y[lo*u.per : hi*u.per]
	if sc != nil {
		u.bn.ApplyPairImages(y, sc.bn, lo, hi, relu)
		return
	}
	if res != nil {
		res = res[lo*u.per : hi*u.per]
	}
	u.bn.ApplyImages(y, res, lo, hi, relu)
}

// shortcut kinds of a block.
const (
	identity = iota
	optionA
	projection
)

type block struct {
	c1, c2            unit
	sc                *unit
	kind              int
	cin, stride, h, w int // block input channels and size
	scOut             []float32
}

// Model is a trainable ResNet20. Its parameters and BN running statistics alias the resnet.Net it
// was built from, so the Net always holds the current weights (see Net).
type Model struct {
	net    *resnet.Net
	par    nn.Parallel
	stem   unit
	blocks []block
	fc     *nn.Linear
	params []*Param

	n, h, w int
	x       []float32
	pooled  []float32
	logits  []float32
	dpool   []float32
	g       [3][]float32 // gradient scratch, each the size of the largest activation
	dz      [][]float32  // per shard: a group's BN input gradient (Backward)
}

// Options configure a Model.
type Options struct {
	// Threads is the number of goroutines a mini-batch is split over (< 1 means 1).
	Threads int
	// FreezeBN uses the BN running statistics in training too, and does not train γ and β.
	FreezeBN bool
}

// NewModel builds a trainable model from a copy of net (variant A or B, any channel counts, with
// or without method-1 shared filters: for those the membership is fixed and the centroids, and
// their biases if any, are trained).
func NewModel(net *resnet.Net, opt Options) (*Model, error) {
	if err := net.Validate(); err != nil {
		return nil, err
	}
	net = net.Clone()
	m := &Model{net: net, par: nn.Parallel{Threads: max(1, opt.Threads)}}
	m.stem = newUnit(&net.Stem, opt.FreezeBN)
	cin := net.Stem.Cout
	for i := range net.Blocks {
		b := &net.Blocks[i]
		bl := block{c1: newUnit(&b.Conv1, opt.FreezeBN), c2: newUnit(&b.Conv2, opt.FreezeBN), cin: cin, stride: b.Conv1.Stride}
		bl.c1.fused = true
		switch {
		case b.Shortcut != nil:
			u := newUnit(b.Shortcut, opt.FreezeBN)
			u.fused = true
			bl.sc, bl.kind = &u, projection
		case bl.stride == 1 && cin == b.Conv2.Cout:
			bl.kind = identity
		default:
			bl.kind = optionA
		}
		m.blocks = append(m.blocks, bl)
		cin = b.Conv2.Cout
	}
	m.fc = nn.NewLinear(cin, resnet.Classes, net.FCW, net.FCB)

	addUnit := func(c *resnet.ConvBN, u *unit) {
		var step []float32
		if c.Assign != nil {
			step = make([]float32, c.Rows())
			for _, g := range c.Assign {
				step[g]++
			}
			for r, n := range step {
				step[r] = 1 / max(n, 1)
			}
		}
		m.params = append(m.params, &Param{Name: c.Name + ".weight", Kind: Weight, Data: c.W, Grad: u.conv.DW, RowStep: step})
		if c.Bias != nil {
			m.params = append(m.params, &Param{Name: c.Name + ".bias", Kind: Bias, Data: c.Bias, Grad: u.conv.DB, RowStep: step})
		}
		if !opt.FreezeBN {
			m.params = append(m.params,
				&Param{Name: c.BNName + ".weight", Kind: BNParam, Data: c.BN.Gamma, Grad: u.bn.DGamma},
				&Param{Name: c.BNName + ".bias", Kind: BNParam, Data: c.BN.Beta, Grad: u.bn.DBeta})
		}
	}
	addUnit(&net.Stem, &m.stem)
	for i := range net.Blocks {
		b, bl := &net.Blocks[i], &m.blocks[i]
		addUnit(&b.Conv1, &bl.c1)
		addUnit(&b.Conv2, &bl.c2)
		if b.Shortcut != nil {
			addUnit(b.Shortcut, bl.sc)
		}
	}
	m.params = append(m.params,
		&Param{Name: net.FCName + ".weight", Kind: Weight, Data: net.FCW, Grad: m.fc.DW},
		&Param{Name: net.FCName + ".bias", Kind: Bias, Data: net.FCB, Grad: m.fc.DB})
	return m, nil
}

// convs returns every convolution layer, in forward order.
func (m *Model) convs() []*nn.Conv {
	cs := []*nn.Conv{m.stem.conv}
	for i := range m.blocks {
		b := &m.blocks[i]
		cs = append(cs, b.c1.conv, b.c2.conv)
		if b.sc != nil {
			cs = append(cs, b.sc.conv)
		}
	}
	return cs
}

// Params returns the trainable tensors in a fixed order (the Net's forward order, then the
// linear layer). Frozen BN parameters are not among them.
func (m *Model) Params() []*Param { return m.params }

// Net returns a copy of the model as a resnet.Net: current weights and BN running statistics.
func (m *Model) Net() *resnet.Net { return m.net.Clone() }

// Arch returns the model's variant.
func (m *Model) Arch() resnet.Arch { return m.net.Arch }

// Threads returns the number of goroutines a mini-batch is split over.
func (m *Model) Threads() int { return m.par.Threads }

func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// groupBytes is the size, per activation tensor, of the groups of images that a shard runs
// through several layers in a row (each layer's output is read by the next while in L2).
const groupBytes = 256 << 10

// groups calls f(lo, hi) for consecutive groups of images of [lo0, hi0) whose activations of
// perImage floats (the largest tensor involved) take about groupBytes each.
func groups(perImage, lo0, hi0 int, f func(lo, hi int)) {
	g := max(1, groupBytes/(4*perImage))
	for lo := lo0; lo < hi0; lo += g {
		f(lo, min(lo+g, hi0))
	}
}

// serial runs the whole-batch element-wise layers on a group of images, inside a shard.
var serial = nn.Parallel{Threads: 1}

// Forward computes the logits (n×resnet.Classes, owned by the model and overwritten by the next
// call) of n normalised images x (n×3×h×w). With train set, BN uses batch statistics and updates
// its running statistics (unless frozen). x must stay unchanged until Backward.
//
// Each shard runs its images a group at a time through all the work between two batch-wide
// reductions (the BN statistics): the previous BN's output, then the convolutions reading it,
// then their BN statistics, so that every intermediate is read back while in cache.
func (m *Model) Forward(x []float32, n, h, w int, train bool) []float32 {
	p := m.par
	m.x, m.n, m.h, m.w = x, n, h, w
	if len(x) < n*3*h*w {
		panic(fmt.Sprintf("train: %d inputs for %d images of 3×%d×%d", len(x), n, h, w))
	}
	// Prepare every convolution's kernels at once, spread over the threads (interleaved: the
	// layers grow with depth, so contiguous ranges would leave one thread most of the work).
	convs := m.convs()
	t := p.Shards(len(convs))
	p.For(t, func(s, _, _ int) {
		for i := s; i < len(convs); i += t {
			convs[i].Prepare()
		}
	})
	t = p.Shards(n)
	st := &m.stem
	h, w = st.begin(x, n, h, w, t, train)
	p.For(n, func(s, lo, hi int) {
		groups(max(3*m.h*m.w, st.per), lo, hi, func(lo, hi int) { st.images(s, lo, hi) })
	})
	st.bn.StatsEnd()
	maxAct := st.per
	// pending is the unit whose BN output (with the residual and the ReLU) is still to be
	// written: the stem's, then each block's second unit's, whose residual is pendRes or the BN
	// output of the projection pendSC.
	pending, pendRes, pendSC := st, []float32(nil), (*unit)(nil)
	for i := range m.blocks {
		b := &m.blocks[i]
		b.h, b.w = h, w
		cur := pending.y // the block input, written by the first stage below
		in := b.cin * h * w
		// Stage 1: the block input, then conv1 (and the projection) on it, with their statistics.
		ho, wo := b.c1.begin(cur, n, h, w, t, train)
		per := b.c2.cout * ho * wo
		if b.sc != nil {
			b.sc.begin(cur, n, h, w, t, train)
		}
		if b.kind == optionA {
			b.scOut = grow(b.scOut, n*per)
		}
		pu, pr, psc := pending, pendRes, pendSC
		p.For(n, func(s, lo, hi int) {
			groups(max(in, per), lo, hi, func(lo, hi int) {
				pu.apply(lo, hi, pr, psc, true)
				b.c1.images(s, lo, hi)
				switch b.kind {
				case projection:
					b.sc.images(s, lo, hi)
				case optionA:
					nn.ShortcutAForward(serial, b.scOut[lo*per:hi*per], cur[lo*in:hi*in], hi-lo, b.cin, h, w, b.c2.cout, b.stride)
				}
			})
		})
		b.c1.bn.StatsEnd()
		if b.sc != nil {
			b.sc.bn.StatsEnd()
		}
		// Stage 2: conv2 on relu(bn1(conv1)), which it computes as it reads conv1's output (the
		// BN output is never stored; conv2's weight gradient reads it the same way), with its
		// statistics.
		b.c2.begin(b.c1.z, n, ho, wo, t, train)
		b.c2.conv.SetInputAct(b.c1.bn.Coefs())
		p.For(n, func(s, lo, hi int) {
			groups(per, lo, hi, func(lo, hi int) { b.c2.images(s, lo, hi) })
		})
		b.c2.bn.StatsEnd()
		// relu(bn2(conv2) + shortcut) is written by the next stage (the projection's BN output
		// as it goes).
		pending, pendRes, pendSC = &b.c2, nil, nil
		switch b.kind {
		case identity:
			pendRes = cur
		case optionA:
			pendRes = b.scOut
		case projection:
			pendSC = b.sc
		}
		maxAct = max(maxAct, in, per)
		h, w = ho, wo
	}
	c := m.fc.In
	m.pooled = grow(m.pooled, n*c)
	pu, pr, psc := pending, pendRes, pendSC
	p.For(n, func(_, lo, hi int) {
		groups(pu.per, lo, hi, func(lo, hi int) {
			pu.apply(lo, hi, pr, psc, true)
			nn.AvgPoolForward(serial, m.pooled[lo*c:hi*c], pu.y[lo*pu.per:hi*pu.per], hi-lo, c, h*w)
		})
	})
	m.logits = grow(m.logits, n*resnet.Classes)
	m.fc.Forward(m.logits, m.pooled, n)
	for i := range m.g {
		m.g[i] = grow(m.g[i], n*maxAct)
	}
	m.growScratch(t, maxAct)
	return m.logits
}

// growScratch makes the per-shard scratch of Backward hold a group of images of up to maxAct
// floats each (a group holds at most groupBytes, or one image).
func (m *Model) growScratch(t, maxAct int) {
	for len(m.dz) < t {
		m.dz = append(m.dz, nil)
	}
	for s := range t {
		m.dz[s] = grow(m.dz[s], max(groupBytes/4, maxAct))
	}
}

// Backward computes every parameter's gradient (Param.Grad) for the last Forward, given
// dlogits = dL/dlogits (n×resnet.Classes).
//
// Like Forward, each shard runs its images a group at a time through everything between two
// reductions: a BN's input gradient (in per-shard scratch), the convolution's weight and input
// gradients, the shortcut's gradient, and the sums of the BN before it.
//
// The gradient of a block's output reaches its BNs through the block's final ReLU: the pass
// that sums it for their backward (blockSums, while it is in cache) also applies the mask
// [y2 > 0] in place, so that the later passes (BN2's and the projection's input gradients, the
// identity and option-A shortcuts) read the masked gradient and not y2.
func (m *Model) Backward(dlogits []float32) {
	p, n := m.par, m.n
	t := p.Shards(n)
	c := m.fc.In
	m.dpool = grow(m.dpool, n*c)
	m.fc.Backward(m.dpool, dlogits)
	g := m.g
	// g0 = dL/d(block output), then (after blockSums) dL/d(its pre-ReLU sum).
	g0, gin, g2 := g[0], g[1], g[2]
	last := &m.blocks[len(m.blocks)-1]
	beginSums(last, t)
	p.For(n, func(s, lo, hi int) {
		u := &last.c2
		groups(u.per, lo, hi, func(lo, hi int) {
			nn.AvgPoolBackward(serial, g0[lo*u.per:hi*u.per], m.dpool[lo*c:hi*c], hi-lo, c, u.per/c)
			blockSums(last, s, g0, lo, hi)
		})
	})
	endSums(last)
	for i := len(m.blocks) - 1; i >= 0; i-- {
		b := &m.blocks[i]
		per, in := b.c2.per, b.cin*b.h*b.w
		// Stage 1: bn2's input gradient, conv2's gradients (dx into g2), the sums of bn1.
		b.c2.conv.BackwardBegin(t, true)
		b.c1.bn.BackwardBegin(t)
		p.For(n, func(s, lo, hi int) {
			dz := m.dz[s]
			groups(max(per, in), lo, hi, func(lo, hi int) {
				b.c2.bn.DxImages(dz, g0[lo*per:hi*per], nil, lo, hi, false)
				b.c2.conv.BackwardImages(s, g2[lo*per:hi*per], dz, lo, hi)
				b.c1.bn.SumsImages(s, g2[lo*per:hi*per], nil, lo, hi, true)
			})
		})
		b.c2.conv.BackwardEnd()
		b.c1.bn.SumsEnd()
		// Stage 2: bn1's input gradient, conv1's gradients (dx into gin), the shortcut's gradient
		// added to gin (the identity's fused into conv1's input-gradient store; the projection's
		// BN and conv backward here, where its input is in cache for its weight gradient), then
		// the sums of the BN before the block.
		b.c1.conv.BackwardBegin(t, true)
		if b.sc != nil {
			b.sc.conv.BackwardBegin(t, true)
		}
		var prev *block
		if i > 0 {
			prev = &m.blocks[i-1]
			beginSums(prev, t)
		} else {
			m.stem.bn.BackwardBegin(t)
		}
		p.For(n, func(s, lo, hi int) {
			dz := m.dz[s]
			groups(max(per, in), lo, hi, func(lo, hi int) {
				b.c1.bn.DxImages(dz, g2[lo*per:hi*per], nil, lo, hi, true)
				gi := gin[lo*in : hi*in]
				switch b.kind {
				case identity:
					b.c1.conv.BackwardImagesAdd(s, gi, g0[lo*in:hi*in], dz, lo, hi)
				case optionA:
					b.c1.conv.BackwardImages(s, gi, dz, lo, hi)
					nn.ShortcutABackward(serial, gi, g0[lo*per:hi*per], hi-lo, b.cin, b.h, b.w, b.c2.cout, b.stride)
				case projection:
					b.c1.conv.BackwardImages(s, gi, dz, lo, hi)
					b.sc.bn.DxImages(dz, g0[lo*per:hi*per], nil, lo, hi, false)
					b.sc.conv.BackwardImagesAdd(s, gi, gi, dz, lo, hi)
				}
				if prev != nil {
					blockSums(prev, s, gin, lo, hi)
				} else {
					m.stem.bn.SumsImages(s, gi, nil, lo, hi, true)
				}
			})
		})
		b.c1.conv.BackwardEnd()
		if b.sc != nil {
			b.sc.conv.BackwardEnd()
		}
		if prev != nil {
			endSums(prev)
		} else {
			m.stem.bn.SumsEnd()
		}
		g0, gin = gin, g0
	}
	st := &m.stem
	st.conv.BackwardBegin(t, false)
	p.For(n, func(s, lo, hi int) {
		dz := m.dz[s]
		groups(st.per, lo, hi, func(lo, hi int) {
			st.bn.DxImages(dz, g0[lo*st.per:hi*st.per], nil, lo, hi, true)
			st.conv.BackwardImages(s, nil, dz, lo, hi)
		})
	})
	st.conv.BackwardEnd()
}

// beginSums, blockSums and endSums run the first pass of the backward pass of a block's last
// BN (and of its projection's BN), given g = dL/d(block output) before the final ReLU's mask;
// blockSums applies the mask to g in place.
func beginSums(b *block, t int) {
	b.c2.bn.BackwardBegin(t)
	if b.sc != nil {
		b.sc.bn.BackwardBegin(t)
	}
}

func blockSums(b *block, s int, g []float32, lo, hi int) {
	per := b.c2.per
	gs, ys := g[lo*per:hi*per], b.c2.y[lo*per:hi*per]
	b.c2.bn.MaskSumsImages(s, gs, ys, lo, hi)
	if b.sc != nil {
		b.sc.bn.SumsImages(s, gs, nil, lo, hi, false)
	}
}

func endSums(b *block) {
	b.c2.bn.SumsEnd()
	if b.sc != nil {
		b.sc.bn.SumsEnd()
	}
}
