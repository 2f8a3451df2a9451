package resnet

// LayerCount is the size and cost of one ConvBN (or the linear layer) for a 32×32 input.
type LayerCount struct {
	Name    string `json:"name"`
	Cin     int    `json:"cin"`
	Cout    int    `json:"cout"`
	Rows    int    `json:"filters"` // stored filters: Cout, or centroids under weight sharing
	Weights int    `json:"weights"` // conv (or linear) weights
	Params  int    `json:"params"`  // weights + conv bias + BN γ,β (+ linear bias), as PyTorch counts
	MACs    int    `json:"macs"`    // multiply-accumulates of the convolution (or linear layer)
	Bytes   int    `json:"bytes"`   // stored size: float32 params, plus one byte per shared-filter index
}

// Count is a whole network's LayerCounts and their totals.
type Count struct {
	Layers                       []LayerCount `json:"layers"`
	Weights, Params, MACs, Bytes int
}

// Count returns per-layer and total weights, params, MACs and stored bytes of n on 32×32 inputs.
func (n *Net) Count() Count {
	var ct Count
	add := func(l LayerCount) {
		ct.Layers = append(ct.Layers, l)
		ct.Weights += l.Weights
		ct.Params += l.Params
		ct.MACs += l.MACs
		ct.Bytes += l.Bytes
	}
	h, w := 32, 32
	conv := func(c *ConvBN, h, w int) {
		ho, wo := c.OutSize(h, w)
		weights := len(c.W)
		params := weights + len(c.Bias) + 2*c.Cout
		add(LayerCount{Name: c.Name, Cin: c.Cin, Cout: c.Cout, Rows: c.Rows(), Weights: weights, Params: params,
			MACs: weights * ho * wo, Bytes: 4*params + len(c.Assign)})
	}
	conv(&n.Stem, h, w)
	for i := range n.Blocks {
		b := &n.Blocks[i]
		conv(&b.Conv1, h, w)
		ho, wo := b.Conv1.OutSize(h, w)
		conv(&b.Conv2, ho, wo)
		if b.Shortcut != nil {
			conv(b.Shortcut, h, w)
		}
		h, w = ho, wo
	}
	add(LayerCount{Name: n.FCName, Cin: len(n.FCW) / Classes, Cout: Classes, Rows: Classes, Weights: len(n.FCW),
		Params: len(n.FCW) + len(n.FCB), MACs: len(n.FCW), Bytes: 4 * (len(n.FCW) + len(n.FCB))})
	return ct
}
