package repair

import (
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// setStats replaces bn's running statistics by those of z (n images × c channels × hw positions),
// adaptive BN: for each channel, over the N = n·hw values z_i,
//
//	mean = (1/N) Σ z_i,   var = (1/N) Σ (z_i − mean)²
//
// in float64, two passes. The variance is the biased (population) one, which is what a PyTorch BN
// layer normalises a batch with in training; its running_var update would use the unbiased
// N/(N−1)·var instead, a difference of less than 1/32,768 for N ≥ 32,768 values (a few hundred
// images at the smallest, 8×8 stage). γ and β are kept. threads goroutines take the channels.
func setStats(bn *resnet.BatchNorm, z []float32, n, c, hw, threads int) {
	cnt := float64(n * hw)
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(threads, c)) {
		wg.Go(func() {
			for ch := range next {
				channelStats(bn, z, n, c, hw, ch, cnt)
			}
		})
	}
	for ch := range c {
		next <- ch
	}
	close(next)
	wg.Wait()
}

// channelStats sets bn's statistics of channel ch (see setStats).
func channelStats(bn *resnet.BatchNorm, z []float32, n, c, hw, ch int, cnt float64) {
	var sum float64
	for img := range n {
		for _, v := range z[(img*c+ch)*hw : (img*c+ch+1)*hw] {
			sum += float64(v)
		}
	}
	mean := sum / cnt
	var sq float64
	for img := range n {
		for _, v := range z[(img*c+ch)*hw : (img*c+ch+1)*hw] {
			d := float64(v) - mean
			sq += d * d
		}
	}
	bn.Mean[ch], bn.Var[ch] = float32(mean), float32(sq/cnt)
}
