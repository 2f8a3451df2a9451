package resnet

import "github.com/resnet20-pruning/resnet20-pruning/core/kernels"

// Layer-by-layer forward pass for calibration and repair: slower than Engine (BN is not folded,
// nothing is fused) but every intermediate is visible, and a layer's BN may be changed between the
// convolution and its use. Activations are NCHW float32 for n images.

// ConvRaw returns the convolution of x (n×Cin×h×w) by c's filters, gathered to Cout channels and
// with c's conv bias added, before BN: z (n×Cout×ho×wo).
func (c *ConvBN) ConvRaw(x []float32, n, h, w int) (z []float32, ho, wo int) {
	ho, wo = c.OutSize(h, w)
	z = make([]float32, n*c.Cout*ho*wo)
	ep := &kernels.Epilogue{Gather: c.Assign}
	if c.Bias != nil {
		ep.Bias = make([]float32, c.Cout)
		for ch := range c.Cout {
			r := ch
			if c.Assign != nil {
				r = int(c.Assign[ch])
			}
			ep.Bias[ch] = c.Bias[r]
		}
	}
	var ws kernels.Workspace
	kernels.NewConv(c.W, c.Rows(), c.Cin, c.K, c.Stride, c.K/2).Forward(z, x, n, h, w, ep, &ws)
	return z, ho, wo
}

// ApplyBN applies c's inference-mode BN in place to z (n×Cout×hw), then ReLU when relu is set
// (kernels.ScaleShift: the product is rounded before the shift, as in plain Go on amd64).
func (c *ConvBN) ApplyBN(z []float32, n, hw int, relu bool) {
	scale, shift := c.BN.Fold()
	for img := range n {
		for ch := range c.Cout {
			s, b := scale[ch], shift[ch]
			kernels.ScaleShift(z[(img*c.Cout+ch)*hw:(img*c.Cout+ch+1)*hw], s, b, relu)
		}
	}
}

// ShortcutOf returns block b's shortcut branch for its input x (n×cin×h×w).
func (b *Block) ShortcutOf(x []float32, n, cin, h, w int) []float32 {
	if b.Shortcut != nil {
		s, ho, wo := b.Shortcut.ConvRaw(x, n, h, w)
		b.Shortcut.ApplyBN(s, n, ho*wo, false)
		return s
	}
	if b.Conv1.Stride == 1 && cin == b.Conv2.Cout {
		return x
	}
	ho, wo := b.Conv1.OutSize(h, w)
	s := make([]float32, n*b.Conv2.Cout*ho*wo)
	optionA(s, x, n, cin, h, w, b.Conv2.Cout, b.Conv1.Stride)
	return s
}

// Hidden returns relu(bn1(conv1 x)), the block's inner activation (n×Conv1.Cout×ho×wo).
func (b *Block) Hidden(x []float32, n, h, w int) (t []float32, ho, wo int) {
	t, ho, wo = b.Conv1.ConvRaw(x, n, h, w)
	b.Conv1.ApplyBN(t, n, ho*wo, true)
	return t, ho, wo
}

// Output returns relu(bn2(conv2 t) + shortcut) for the block's inner activation t and its input x.
func (b *Block) Output(x, t []float32, n, cin, h, w int) (y []float32, ho, wo int) {
	ho, wo = b.Conv1.OutSize(h, w)
	y, _, _ = b.Conv2.ConvRaw(t, n, ho, wo)
	b.Conv2.ApplyBN(y, n, ho*wo, false)
	s := b.ShortcutOf(x, n, cin, h, w)
	for i := range y {
		y[i] = max(y[i]+s[i], 0)
	}
	return y, ho, wo
}

// Forward returns the block's output for input x (n×cin×h×w).
func (b *Block) Forward(x []float32, n, cin, h, w int) (y []float32, ho, wo int) {
	t, _, _ := b.Hidden(x, n, h, w)
	return b.Output(x, t, n, cin, h, w)
}

// StemForward returns relu(bn(conv x)) of the stem for n normalised 3×32×32 images.
func (net *Net) StemForward(x []float32, n int) (y []float32, h, w int) {
	y, h, w = net.Stem.ConvRaw(x, n, 32, 32)
	net.Stem.ApplyBN(y, n, h*w, true)
	return y, h, w
}

// BlockInput returns the channel count entering block i.
func (net *Net) BlockInput(i int) int {
	if i == 0 {
		return net.Stem.Cout
	}
	return net.Blocks[i-1].Conv2.Cout
}
