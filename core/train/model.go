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
}

// unit is a convolution followed by its BatchNorm, with the buffers of its outputs.
type unit struct {
	conv *nn.Conv
	bn   *nn.BatchNorm
	z, y []float32 // conv output; BN output (ReLU and residual are applied to y in place)
	cout int
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

// forward runs conv and BN on x (n×cin×h×w) into u.y, adding res (if not nil) and applying a
// ReLU (if relu) in the BN's pass, and returns the output size.
func (u *unit) forward(p nn.Parallel, x []float32, n, h, w int, train bool, res []float32, relu bool) (ho, wo int) {
	ho, wo = u.conv.OutSize(h, w)
	size := n * u.cout * ho * wo
	u.z, u.y = grow(u.z, size), grow(u.y, size)
	u.conv.Forward(p, u.z, x, n, h, w)
	u.bn.ForwardAct(p, u.y, u.z, n, ho*wo, train, res, relu)
	return ho, wo
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
	g       [4][]float32 // gradient scratch, each the size of the largest activation
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
		switch {
		case b.Shortcut != nil:
			u := newUnit(b.Shortcut, opt.FreezeBN)
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
		m.params = append(m.params, &Param{Name: c.Name + ".weight", Kind: Weight, Data: c.W, Grad: u.conv.DW})
		if c.Bias != nil {
			m.params = append(m.params, &Param{Name: c.Name + ".bias", Kind: Bias, Data: c.Bias, Grad: u.conv.DB})
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

// Forward computes the logits (n×resnet.Classes, owned by the model and overwritten by the next
// call) of n normalised images x (n×3×h×w). With train set, BN uses batch statistics and updates
// its running statistics (unless frozen). x must stay unchanged until Backward.
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
	h, w = m.stem.forward(p, x, n, h, w, train, nil, true)
	maxAct := m.stem.cout * h * w
	cur := m.stem.y
	for i := range m.blocks {
		b := &m.blocks[i]
		b.h, b.w = h, w
		ho, wo := b.c1.conv.OutSize(h, w)
		per := b.c2.cout * ho * wo
		var res []float32
		switch b.kind {
		case identity:
			res = cur
		case optionA:
			b.scOut = grow(b.scOut, n*per)
			nn.ShortcutAForward(p, b.scOut, cur, n, b.cin, h, w, b.c2.cout, b.stride)
			res = b.scOut
		case projection:
			b.sc.forward(p, cur, n, h, w, train, nil, false)
			res = b.sc.y
		}
		b.c1.forward(p, cur, n, h, w, train, nil, true)
		// relu(bn2(conv2 t) + shortcut), fused into BN2's pass.
		b.c2.forward(p, b.c1.y, n, ho, wo, train, res[:n*per], true)
		maxAct = max(maxAct, b.cin*h*w, b.c1.cout*ho*wo, per)
		cur, h, w = b.c2.y, ho, wo
	}
	c := m.fc.In
	m.pooled = grow(m.pooled, n*c)
	nn.AvgPoolForward(p, m.pooled, cur, n, c, h*w)
	m.logits = grow(m.logits, n*resnet.Classes)
	m.fc.Forward(m.logits, m.pooled, n)
	for i := range m.g {
		m.g[i] = grow(m.g[i], n*maxAct)
	}
	return m.logits
}

// Backward computes every parameter's gradient (Param.Grad) for the last Forward, given
// dlogits = dL/dlogits (n×resnet.Classes).
func (m *Model) Backward(dlogits []float32) {
	p, n := m.par, m.n
	last := &m.blocks[len(m.blocks)-1]
	h, w := last.c1.conv.OutSize(last.h, last.w)
	c := m.fc.In
	m.dpool = grow(m.dpool, n*c)
	m.fc.Backward(m.dpool, dlogits)
	g := m.g
	nn.AvgPoolBackward(p, g[0], m.dpool, n, c, h*w)
	for i := len(m.blocks) - 1; i >= 0; i-- {
		b := &m.blocks[i]
		ho, wo := b.c1.conv.OutSize(b.h, b.w)
		per := b.c2.cout * ho * wo
		// g[0] = dL/d(block output); the final ReLU's mask [y2 > 0] is applied on the fly by
		// every consumer (BN2, the shortcut), so g[0] itself stays unmasked.
		b.c2.bn.BackwardAct(p, g[1], g[0], b.c2.y)
		b.c2.conv.Backward(p, g[2], g[1])
		b.c1.bn.BackwardReLU(p, g[2], g[2]) // through conv1's ReLU (mask recomputed) and BN
		b.c1.conv.Backward(p, g[1], g[2])   // g[1] = dL/d(block input) through the residual branch
		inSize := n * b.cin * b.h * b.w
		switch b.kind {
		case identity:
			nn.AddMaskedForward(p, g[1][:inSize], g[0][:inSize], b.c2.y, n, b.cin*b.h*b.w)
		case optionA:
			nn.ReLUBackward(p, g[0], b.c2.y, n, per)
			nn.ShortcutABackward(p, g[1], g[0], n, b.cin, b.h, b.w, b.c2.cout, b.stride)
		case projection:
			b.sc.bn.BackwardAct(p, g[2], g[0], b.c2.y)
			b.sc.conv.Backward(p, g[3], g[2])
			nn.AddForward(p, g[1][:inSize], g[3][:inSize], n, b.cin*b.h*b.w)
		}
		g[0], g[1] = g[1], g[0]
	}
	m.stem.bn.BackwardReLU(p, g[0], g[0])
	m.stem.conv.Backward(p, nil, g[0])
	m.g = g
}
