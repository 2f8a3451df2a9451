package repair

import (
	"fmt"
	"math"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Restandardize makes every BatchNorm of net hold the statistics of its own input on the first n
// calibration images, without changing the function net computes in inference mode.
//
// With σ = √(var+ε) before and the measured mean μ' and σ' = √(var'+ε), it sets
//
//	mean ← μ',  var ← var',  γ' = γ·σ'/σ,  β' = β + γ·(μ'−μ)/σ,
//
// so that γ'(x−μ')/σ' + β' = γ(x−μ)/σ + β for every x. A refit that changes a convolution without
// recomputing the BN after it (the compensating refit) leaves statistics that no longer describe
// the BN's input; inference does not care, but training-mode BN normalises with the batch's own
// statistics, so fine-tuning such a network would start by undoing the repair. After
// Restandardize, a batch's statistics are close to the running ones and training starts from the
// repaired function.
func (c *Calibration) Restandardize(net *resnet.Net, n int) error {
	if n < 1 || n > c.n {
		return fmt.Errorf("repair: restandardize on %d images, the calibration has %d", n, c.n)
	}
	if err := net.Validate(); err != nil {
		return err
	}
	std := func(conv *resnet.ConvBN, z []float32, hw int) {
		restandardize(&conv.BN, z, n, conv.Cout, hw)
	}
	cur, h, w := c.convRaw(&net.Stem, c.x[:n*3*32*32], n, 32, 32, nil)
	std(&net.Stem, cur, h*w)
	net.Stem.ApplyBN(cur, n, h*w, true)
	cin := net.Stem.Cout
	for i := range net.Blocks {
		b := &net.Blocks[i]
		var s []float32
		if b.Shortcut != nil {
			var hs, ws int
			s, hs, ws = c.convRaw(b.Shortcut, cur, n, h, w, nil)
			std(b.Shortcut, s, hs*ws)
			b.Shortcut.ApplyBN(s, n, hs*ws, false)
		} else {
			s = b.ShortcutOf(cur, n, cin, h, w)
		}
		t, ho, wo := c.convRaw(&b.Conv1, cur, n, h, w, nil)
		std(&b.Conv1, t, ho*wo)
		b.Conv1.ApplyBN(t, n, ho*wo, true)
		y, _, _ := c.convRaw(&b.Conv2, t, n, ho, wo, nil)
		std(&b.Conv2, y, ho*wo)
		b.Conv2.ApplyBN(y, n, ho*wo, false)
		for j := range y {
			y[j] = max(y[j]+s[j], 0)
		}
		cur, h, w, cin = y, ho, wo, b.Conv2.Cout
	}
	return nil
}

// restandardize sets bn's statistics to those of z (n×c×hw) and rescales γ, β to keep its function.
func restandardize(bn *resnet.BatchNorm, z []float32, n, c, hw int) {
	old := resnet.BatchNorm{Mean: append([]float32(nil), bn.Mean...), Var: append([]float32(nil), bn.Var...)}
	setStats(bn, z, n, c, hw, 1)
	for ch := range c {
		s0 := math.Sqrt(float64(old.Var[ch]) + resnet.BNEps)
		s1 := math.Sqrt(float64(bn.Var[ch]) + resnet.BNEps)
		g := float64(bn.Gamma[ch])
		bn.Gamma[ch] = float32(g * s1 / s0)
		bn.Beta[ch] = float32(float64(bn.Beta[ch]) + g*(float64(bn.Mean[ch])-float64(old.Mean[ch]))/s0)
	}
}
