package prune

import (
	"math"
	"math/rand/v2"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Method 1, weight sharing. For a layer with filters w_0…w_{C−1} and K-Means labels ℓ(c):
//
//	w'_c = μ_{ℓ(c)}   (the centroid, or the cluster's representative member with RepNorm/RepClosest)
//
// The network keeps every output channel and every BN entry; it stores the K distinct filters and
// the C labels. The convolution z_j = μ_j * x is computed once per cluster and gathered,
// y_c = BN_c(z_{ℓ(c)}), so a layer costs K/C of its dense MACs.
//
// With Variant.Kernels each K×K kernel w_{c,i} is a point instead, w'_{c,i} = μ_{ℓ(c,i)}: a codebook
// of K×K patterns and one index per kernel. That saves storage but not time (the weights stay dense).

// shareLayer rewrites c from its LayerPlan as method 1 does.
func shareLayer(c *resnet.ConvBN, l *LayerPlan, v Variant, seed uint64) {
	code := codebook(l, v.Rep)
	rows := l.K
	if v.Kernels {
		// Dense weights: every kernel becomes its codeword.
		for i, lab := range l.Labels {
			copy(c.W[i*l.D:(i+1)*l.D], code[lab*l.D:(lab+1)*l.D])
		}
		rows = c.Cout
	} else {
		c.W = code
		c.Assign = make([]int32, len(l.Labels))
		for i, lab := range l.Labels {
			c.Assign[i] = int32(lab)
		}
	}
	if v.Study {
		c.Bias = studyBias(rows, c.FilterLen(), seed)
	}
}

// studyBias reproduces the study's first defect: its centroid convolutions were new nn.Conv2d
// layers created with bias=True, whose biases keep PyTorch's default initialisation
// U(−1/√fan_in, 1/√fan_in) with fan_in = Cin·K·K. The values are seeded, not PyTorch's.
func studyBias(rows, fanIn int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x62696173)) // "bias"
	bound := 1 / math.Sqrt(float64(fanIn))
	b := make([]float32, rows)
	for i := range b {
		b[i] = float32((2*rng.Float64() - 1) * bound)
	}
	return b
}
