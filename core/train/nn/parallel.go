// Package nn implements the layers of ResNet20 training: for each layer its forward pass and its
// backward pass side by side, with the math in a comment (in the style of llm.c).
//
// Activations are float32 NCHW slices for a whole mini-batch of n images. Every layer splits its
// work over the images of the batch into Parallel.Threads contiguous shards that run on their own
// goroutines; reductions over the batch (BatchNorm statistics, weight gradients) are computed per
// shard and then added in shard order, so results depend only on the data and the thread count,
// never on scheduling. Layers keep what their backward pass needs (inputs by reference: the caller
// must not overwrite a layer's input before calling its Backward).
//
// Convolutions run on the inference kernels (kernels.Conv) for the forward pass and the input
// gradient, and on kernels.ConvWeightGrad for the weight gradient.
package nn

import "sync"

// Parallel runs per-image work on Threads goroutines (Threads < 1 means 1).
type Parallel struct {
	Threads int
}

// Shards returns the number of shards a batch of n images is split into: min(Threads, n), at least 1.
func (p Parallel) Shards(n int) int {
	return max(1, min(max(1, p.Threads), n))
}

// For calls f(shard, lo, hi) for each shard of [0, n): shard s covers images n·s/t … n·(s+1)/t−1
// where t = Shards(n). The shards run concurrently; For returns when all are done.
func (p Parallel) For(n int, f func(shard, lo, hi int)) {
	t := p.Shards(n)
	if t == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for s := 1; s < t; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(s, n*s/t, n*(s+1)/t)
		}()
	}
	f(0, 0, n/t)
	wg.Wait()
}

// grow returns buf resized to n elements, reallocating only when its capacity is too small.
// The contents are unspecified.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// growShards makes sure s has at least t per-shard buffers.
func growShards(s [][]float32, t int) [][]float32 {
	for len(s) < t {
		s = append(s, nil)
	}
	return s
}

// sum32Go returns the sum of v, accumulated in float32 over four lanes and returned as float64.
// It is used for per-row partial sums (rows are at most a few thousand elements) that are then
// accumulated in float64.
func sum32Go(v []float32) float64 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(v); i += 4 {
		s0 += v[i]
		s1 += v[i+1]
		s2 += v[i+2]
		s3 += v[i+3]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return float64((s0 + s1) + (s2 + s3))
}

// dot32 returns Σ a[i]·b[i] like sum32.
func dot32(a, b []float32) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return float64((s0 + s1) + (s2 + s3))
}
