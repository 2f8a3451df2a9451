package train

import (
	"math"
	"math/rand/v2"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Init fills net's weights for training from scratch, seeded, like the akamaster ResNet20:
// convolution and linear weights ~ N(0, 2/fan_in) (kaiming_normal_), conv biases 0, the linear
// bias ~ U(±1/√fan_in) (PyTorch's default), BN γ = 1, β = 0, running mean 0 and variance 1.
func Init(net *resnet.Net, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x696e6974))
	for _, c := range net.Convs() {
		std := math.Sqrt(2 / float64(c.FilterLen()))
		for i := range c.W {
			c.W[i] = float32(rng.NormFloat64() * std)
		}
		clear(c.Bias)
		for ch := range c.Cout {
			c.BN.Gamma[ch], c.BN.Beta[ch], c.BN.Mean[ch], c.BN.Var[ch] = 1, 0, 0, 1
		}
	}
	in := len(net.FCW) / resnet.Classes
	std := math.Sqrt(2 / float64(in))
	for i := range net.FCW {
		net.FCW[i] = float32(rng.NormFloat64() * std)
	}
	bound := 1 / math.Sqrt(float64(in))
	for i := range net.FCB {
		net.FCB[i] = float32((2*rng.Float64() - 1) * bound)
	}
}
