// Package resnettest provides seeded random networks and images for tests of packages built on
// core/resnet.
package resnettest

import (
	"math"
	"math/rand/v2"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// RandomNet returns a ResNet20 of the given variant with seeded random weights (He-scaled) and
// BN statistics, and a random linear layer.
func RandomNet(arch resnet.Arch, seed uint64) *resnet.Net {
	n, err := resnet.New(arch)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, c := range n.Convs() {
		std := math.Sqrt(2 / float64(c.FilterLen()))
		for i := range c.W {
			c.W[i] = float32(rng.NormFloat64() * std)
		}
		for i := range c.Cout {
			c.BN.Gamma[i] = float32(0.5 + rng.Float64())
			c.BN.Beta[i] = float32(rng.NormFloat64() * 0.1)
			c.BN.Mean[i] = float32(rng.NormFloat64() * 0.1)
			c.BN.Var[i] = float32(0.5 + rng.Float64())
		}
	}
	for i := range n.FCW {
		n.FCW[i] = float32(rng.NormFloat64() * 0.1)
	}
	for i := range n.FCB {
		n.FCB[i] = float32(rng.NormFloat64() * 0.1)
	}
	return n
}

// RandomImages returns n 3×32×32 images of standard normal values.
func RandomImages(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, n*3*32*32)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}
