package demo

import (
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// LayerTimes measures each convolution of n alone, as the engine runs it (shared convolutions
// compute their K centroids and gather), on a batch of images of the layer's input size: the best
// of reps runs, in milliseconds per image. The values of the input do not change the time.
func LayerTimes(n *resnet.Net, images, reps int) map[string]float64 {
	out := map[string]float64{}
	var ws kernels.Workspace
	h, w := 32, 32
	measure := func(c *resnet.ConvBN, h, w int) {
		conv := kernels.NewConv(c.W, c.Rows(), c.Cin, c.K, c.Stride, c.K/2)
		ho, wo := conv.OutSize(h, w)
		src := make([]float32, images*c.Cin*h*w)
		for i := range src {
			src[i] = float32(i%7) * 0.1
		}
		dst := make([]float32, images*c.Cout*ho*wo)
		ep := &kernels.Epilogue{Gather: c.Assign, ReLU: true}
		best := 0.0
		for r := range reps + 1 {
			start := time.Now()
			conv.Forward(dst, src, images, h, w, ep, &ws)
			el := time.Since(start).Seconds() * 1000 / float64(images)
			if r == 1 || (r > 1 && el < best) { // run 0 warms up
				best = el
			}
		}
		out[c.Name] = best
	}
	measure(&n.Stem, h, w)
	h, w = n.Stem.OutSize(h, w)
	for i := range n.Blocks {
		b := &n.Blocks[i]
		measure(&b.Conv1, h, w)
		ho, wo := b.Conv1.OutSize(h, w)
		measure(&b.Conv2, ho, wo)
		if b.Shortcut != nil {
			measure(b.Shortcut, h, w)
		}
		h, w = ho, wo
	}
	return out
}
