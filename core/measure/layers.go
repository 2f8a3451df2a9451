package measure

import (
	"math/rand/v2"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// The per-layer timing that the CLI and the browser demo both use: batches of LayerBatch images,
// the median of LayerRuns runs.
const (
	LayerBatch = 16
	LayerRuns  = 5
)

// LayerTime is one convolution's measured time.
type LayerTime struct {
	Name       string  `json:"name"`
	MsPerImage float64 `json:"ms_per_image"`
}

// Layers measures every convolution of n alone, in forward order, as resnet.Compile runs it: BN
// folded (scale into the weights, or, for a shared convolution, applied per output channel after
// the K centroids' responses are gathered), the shift as bias, ReLU after the stem and conv1, the
// residual add and ReLU after conv2, none after a projection shortcut. Each runs on the calling
// goroutine on batch images of seeded random values at its input size (the values do not change
// the time): one warm-up, then runs timed runs; the result is their median, in milliseconds per
// image. The CLI (prune --layer-times) and the browser demo both report these numbers.
func Layers(n *resnet.Net, batch, runs int) []LayerTime {
	batch, runs = max(batch, 1), max(runs, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	var ws kernels.Workspace
	var out []LayerTime
	random := func(m int) []float32 {
		x := make([]float32, m)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	time1 := func(c *resnet.ConvBN, h, w int, relu, residual bool) {
		scale, shift := c.BN.Fold()
		weights := c.W
		ep := &kernels.Epilogue{Bias: shift, ReLU: relu}
		if c.Assign != nil {
			ep.Gather, ep.Scale = c.Assign, scale
		} else {
			fl := c.FilterLen()
			weights = make([]float32, len(c.W))
			for i := range weights {
				weights[i] = c.W[i] * scale[i/fl]
			}
		}
		conv := kernels.NewConv(weights, c.Rows(), c.Cin, c.K, c.Stride, c.K/2)
		ho, wo := c.OutSize(h, w)
		x := random(batch * c.Cin * h * w)
		y := make([]float32, batch*c.Cout*ho*wo)
		if residual {
			ep.Residual = random(len(y))
		}
		conv.Forward(y, x, batch, h, w, ep, &ws) // warm-up
		secs := make([]float64, runs)
		for r := range secs {
			t0 := time.Now()
			conv.Forward(y, x, batch, h, w, ep, &ws)
			secs[r] = time.Since(t0).Seconds()
		}
		out = append(out, LayerTime{Name: c.Name, MsPerImage: 1000 * Median(secs) / float64(batch)})
	}
	h, w := 32, 32
	time1(&n.Stem, h, w, true, false)
	h, w = n.Stem.OutSize(h, w)
	for i := range n.Blocks {
		b := &n.Blocks[i]
		time1(&b.Conv1, h, w, true, false)
		ho, wo := b.Conv1.OutSize(h, w)
		time1(&b.Conv2, ho, wo, true, true)
		if b.Shortcut != nil {
			time1(b.Shortcut, h, w, false, false)
		}
		h, w = ho, wo
	}
	return out
}
