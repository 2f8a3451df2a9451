package nn

import "math"

// BatchNorm is PyTorch's BatchNorm2d over C channels of n×C×hw activations.
//
// Training mode uses the statistics of the whole mini-batch (M = n·hw values per channel, summed
// across all shards before anything is normalised):
//
//	μ = (1/M) Σ x,   σ² = (1/M) Σ (x−μ)²,   r = 1/√(σ²+ε),   x̂ = (x−μ)·r,   y = γ·x̂ + β
//	running mean ← (1−m)·mean + m·μ,   running var ← (1−m)·var + m·σ²·M/(M−1)   (m = Momentum)
//
// and its backward pass is
//
//	dβ = Σ dy,   dγ = Σ dy·x̂,   dx = γ·r·(dy − dβ/M − x̂·dγ/M).
//
// Inference mode (Forward with train false) and frozen BN (Frozen set) use the running statistics
// instead: μ = mean, r = 1/√(var+ε), so dx = γ·r·dy; the running statistics are not updated and a
// frozen BN reports zero gradients for γ and β (they are not trained).
type BatchNorm struct {
	C                      int
	Gamma, Beta, Mean, Var []float32 // parameters and running statistics (aliased, updated in place)
	DGamma, DBeta          []float32 // gradients after Backward
	Momentum, Eps          float64
	Frozen                 bool

	x        []float32
	n, hw    int
	batch    bool      // whether the last Forward used batch statistics
	reluOnly bool      // whether the last ForwardAct applied a ReLU without residual
	mu32     []float32 // per channel: μ as float32 (backward)
	fa, fb   []float32 // per channel: the forward's y = fa·x + fb
	ca, cb   []float32 // per channel: the backward's dx = ca·g + cb·x + cc
	cc       []float32
	mu, r    []float64 // per channel: the mean and 1/std used by the last Forward
	sums     []float64
	shards   [][]float64 // per shard: two sums per channel
	shift    [][]float32 // per shard: the shift of its statistics sums
	count    []int       // per shard: images in its statistics sums
	nShards  int
}

// NewBatchNorm returns a BatchNorm over the given slices (aliased), with PyTorch's defaults
// momentum 0.1 and ε 1e-5.
func NewBatchNorm(gamma, beta, mean, variance []float32) *BatchNorm {
	c := len(gamma)
	if len(beta) != c || len(mean) != c || len(variance) != c {
		panic("nn: batch norm slices differ in length")
	}
	return &BatchNorm{C: c, Gamma: gamma, Beta: beta, Mean: mean, Var: variance,
		DGamma: make([]float32, c), DBeta: make([]float32, c), Momentum: 0.1, Eps: 1e-5,
		mu: make([]float64, c), r: make([]float64, c), sums: make([]float64, 2*c)}
}

// Forward normalises x (n×C×hw) into y (which must not alias x) and remembers x for Backward.
// With train set and the BN not frozen it uses batch statistics and updates the running ones.
func (bn *BatchNorm) Forward(p Parallel, y, x []float32, n, hw int, train bool) {
	bn.ForwardAct(p, y, x, n, hw, train, nil, false)
}

// ForwardAct is Forward followed, in the same pass, by the addition of res (when not nil; the
// residual branch of a block, n×C×hw) and a ReLU (when relu is set):
// y = max(γ·x̂ + β + res, 0). Its backward pass is BackwardAct with the output y as mask.
func (bn *BatchNorm) ForwardAct(p Parallel, y, x []float32, n, hw int, train bool, res []float32, relu bool) {
	bn.StatsBegin(x, n, hw, p.Shards(n), train)
	p.For(n, func(s, lo, hi int) { bn.StatsImages(s, lo, hi) })
	bn.StatsEnd()
	bn.reluOnly = relu && res == nil
	per := bn.C * hw
	p.For(n, func(_, lo, hi int) {
		var r []float32
		if res != nil {
			r = res[lo*per : hi*per]
		}
		bn.ApplyImages(y[lo*per:hi*per], r, lo, hi, relu)
	})
}

// StatsBegin starts the forward pass of x (n×C×hw, remembered for Backward) run by t shards.
// With train set and the BN not frozen, the batch statistics are the sums that StatsImages adds
// up (each image exactly once, on any shard, in any grouping) and that StatsEnd reduces; else
// StatsImages does nothing and StatsEnd takes the running statistics. After StatsEnd,
// ApplyImages normalises any range of images.
//
// Each shard accumulates Σ(x−k) and Σ(x−k)² in float64 per channel with its own shift k (the
// channel means of its first image), which keeps the one-pass variance accurate while the batch
// mean is within a few standard deviations of k; StatsEnd moves the shards' sums to a common
// shift before adding them in shard order.
func (bn *BatchNorm) StatsBegin(x []float32, n, hw, t int, train bool) {
	C := bn.C
	bn.x, bn.n, bn.hw = x[:n*C*hw], n, hw
	bn.batch = train && !bn.Frozen
	bn.growShards(t)
}

// growShards makes room for t shards' partial sums and clears them.
func (bn *BatchNorm) growShards(t int) {
	for len(bn.shards) < t {
		bn.shards = append(bn.shards, make([]float64, 2*bn.C))
		bn.shift = append(bn.shift, make([]float32, bn.C))
		bn.count = append(bn.count, 0)
	}
	for s := range t {
		clear(bn.shards[s])
		bn.count[s] = 0
	}
	bn.nShards = t
}

// StatsImages adds the statistics of images lo … hi−1 to shard s's sums.
func (bn *BatchNorm) StatsImages(s, lo, hi int) {
	if !bn.batch {
		return
	}
	C, hw := bn.C, bn.hw
	k, part := bn.shift[s], bn.shards[s]
	if bn.count[s] == 0 {
		for ch := range C {
			k[ch] = float32(sum32(bn.x[(lo*C+ch)*hw:(lo*C+ch+1)*hw]) / float64(hw))
		}
	}
	bn.count[s] += hi - lo
	for img := lo; img < hi; img++ {
		for ch := range C {
			a, b := sumSq32(bn.x[(img*C+ch)*hw:(img*C+ch+1)*hw], k[ch])
			part[ch] += a
			part[C+ch] += b
		}
	}
}

// StatsEnd computes μ and 1/σ (batch or running statistics), updates the running statistics
// from the batch ones, and the per-channel affine map of ApplyImages.
func (bn *BatchNorm) StatsEnd() {
	C := bn.C
	bn.fa, bn.fb = growF32(bn.fa, C), growF32(bn.fb, C)
	if bn.batch {
		M := float64(bn.n * bn.hw)
		m := bn.Momentum
		for ch := range C {
			// Σ(x−k0) and Σ(x−k0)² over all shards, k0 the first shard's shift.
			k0 := float64(bn.shift[0][ch])
			var s1, s2 float64
			for s := range bn.nShards {
				if bn.count[s] == 0 {
					continue
				}
				d, ms := float64(bn.shift[s][ch])-k0, float64(bn.count[s]*bn.hw)
				a, b := bn.shards[s][ch], bn.shards[s][C+ch]
				s1 += a + ms*d
				s2 += b + 2*d*a + ms*d*d
			}
			d := s1 / M
			bn.mu[ch] = k0 + d
			v := max(0, s2/M-d*d)
			bn.r[ch] = 1 / math.Sqrt(v+bn.Eps)
			unbiased := v
			if M > 1 {
				unbiased = v * M / (M - 1)
			}
			bn.Mean[ch] = float32((1-m)*float64(bn.Mean[ch]) + m*bn.mu[ch])
			bn.Var[ch] = float32((1-m)*float64(bn.Var[ch]) + m*unbiased)
		}
	} else {
		for ch := range C {
			bn.mu[ch] = float64(bn.Mean[ch])
			bn.r[ch] = 1 / math.Sqrt(float64(bn.Var[ch])+bn.Eps)
		}
	}
	// y = a·x + b with a = γ·r, b = β − μ·a.
	a, b := bn.fa, bn.fb
	for ch := range C {
		s := float64(bn.Gamma[ch]) * bn.r[ch]
		a[ch], b[ch] = float32(s), float32(float64(bn.Beta[ch])-bn.mu[ch]*s)
	}
}

// Coefs returns the per-channel map y = a·x + b (before any residual and ReLU) that ApplyImages
// applies, set by StatsEnd: a = γ·r, b = β − μ·a. The slices are the BatchNorm's own (valid, and
// unchanged, until the next StatsEnd); a convolution that reads relu(y) through them
// (Conv.SetInputAct) computes exactly the values ApplyImages would have stored.
func (bn *BatchNorm) Coefs() (a, b []float32) { return bn.fa, bn.fb }

// ApplyImages writes y = γ·x̂ + β (+ res when not nil) for images lo … hi−1 (y and res hold
// those images only), then max(·, 0) when relu is set.
func (bn *BatchNorm) ApplyImages(y, res []float32, lo, hi int, relu bool) {
	C, hw := bn.C, bn.hw
	x := bn.x[lo*C*hw : hi*C*hw]
	for i := range (hi - lo) * C {
		off, ch := i*hw, i%C
		var r []float32
		if res != nil {
			r = res[off : off+hw]
		}
		scaleShift(y[off:off+hw], x[off:off+hw], r, bn.fa[ch], bn.fb[ch], relu)
	}
}

// ApplyPairImages writes y = (γ·x̂ + β) + (o's γ·x̂ + β) for images lo … hi−1 (y holds those
// images only), then max(·, 0) when relu is set: ApplyImages with res = o's BN output (same C and
// hw, after o's StatsEnd), computed on the fly instead of stored, with the same float32 result.
// It is a block's output with a projection shortcut; both BNs' backward passes are those of
// ApplyImages with the residual (the mask is y).
func (bn *BatchNorm) ApplyPairImages(y []float32, o *BatchNorm, lo, hi int, relu bool) {
	C, hw := bn.C, bn.hw
	if o.C != C || o.hw != hw {
		panic("nn: ApplyPairImages over batch norms of different shapes")
	}
	x, x2 := bn.x[lo*C*hw:hi*C*hw], o.x[lo*C*hw:hi*C*hw]
	for i := range (hi - lo) * C {
		off, ch := i*hw, i%C
		scaleShift2(y[off:off+hw], x[off:off+hw], x2[off:off+hw], bn.fa[ch], bn.fb[ch], o.fa[ch], o.fb[ch], relu)
	}
}

// Backward sets DGamma and DBeta (zero when frozen) and writes dL/dx into dx; dy is dL/dy.
// dx may alias dy.
func (bn *BatchNorm) Backward(p Parallel, dx, dy []float32) { bn.BackwardAct(p, dx, dy, nil) }

// BackwardAct is Backward for ForwardAct with a ReLU: given the ReLU's output out, the gradient
// reaching the BN is dy·[out > 0] (computed on the fly; dy is not changed unless dx aliases it).
// A nil out means no ReLU.
func (bn *BatchNorm) BackwardAct(p Parallel, dx, dy, out []float32) {
	bn.backward(p, dx, dy, out, false)
}

// BackwardReLU is BackwardAct for a ForwardAct with a ReLU and no residual, without its output:
// the ReLU's mask [γ·x̂ + β > 0] is recomputed from the saved input exactly as ForwardAct
// computed it, which saves reading the output.
func (bn *BatchNorm) BackwardReLU(p Parallel, dx, dy []float32) {
	if !bn.reluOnly {
		panic("nn: BackwardReLU after a ForwardAct without ReLU or with a residual")
	}
	bn.backward(p, dx, dy, nil, true)
}

func (bn *BatchNorm) backward(p Parallel, dx, dy, out []float32, affine bool) {
	n, per := bn.n, bn.C*bn.hw
	sl := func(v []float32, lo, hi int) []float32 {
		if v == nil {
			return nil
		}
		return v[lo*per : hi*per]
	}
	bn.BackwardBegin(p.Shards(n))
	p.For(n, func(s, lo, hi int) { bn.SumsImages(s, sl(dy, lo, hi), sl(out, lo, hi), lo, hi, affine) })
	bn.SumsEnd()
	p.For(n, func(_, lo, hi int) { bn.DxImages(sl(dx, lo, hi), sl(dy, lo, hi), sl(out, lo, hi), lo, hi, affine) })
}

// BackwardBegin starts the backward pass of the last forward pass, run by t shards:
// SumsImages over every image exactly once, SumsEnd (which sets DGamma and DBeta), then
// DxImages over any ranges of images.
//
// The gradient reaching the BN is the given dy masked by a ReLU after it: by [out > 0] when
// out is not nil (the ReLU's output), by [γ·x̂ + β > 0] recomputed from the saved input when
// affine is set (a ReLU and no residual), else not masked.
func (bn *BatchNorm) BackwardBegin(t int) {
	bn.growShards(t)
	C := bn.C
	bn.mu32 = growF32(bn.mu32, C)
	for ch := range C {
		bn.mu32[ch] = float32(bn.mu[ch])
	}
}

// SumsImages adds Σ dy' and Σ dy'·(x−μ) over images lo … hi−1 to shard s's sums (dy and out
// hold those images only; dy' is dy masked as BackwardBegin describes).
func (bn *BatchNorm) SumsImages(s int, dy, out []float32, lo, hi int, affine bool) {
	C, hw := bn.C, bn.hw
	part, mu32, fa, fb := bn.shards[s], bn.mu32, bn.fa, bn.fb
	x := bn.x[lo*C*hw : hi*C*hw]
	for i := range (hi - lo) * C {
		off, ch := i*hw, i%C
		g, row := dy[off:off+hw], x[off:off+hw]
		var a, b float64
		switch {
		case affine:
			a, b = affineMaskedSums32(g, row, mu32[ch], fa[ch], fb[ch])
		case out != nil:
			a, b = maskedSums32(g, out[off:off+hw], row, mu32[ch])
		default:
			a, b = sum32(g), dotShift32(g, row, mu32[ch])
		}
		part[ch] += a
		part[C+ch] += b
	}
}

// MaskSumsImages is SumsImages with the mask [out > 0] (out not nil, affine not set) that also
// writes the masked gradient dy' over dy, so that the passes after it (DxImages without out, the
// residual branch) need not read out again. The sums are SumsImages's, bit for bit.
func (bn *BatchNorm) MaskSumsImages(s int, dy, out []float32, lo, hi int) {
	C, hw := bn.C, bn.hw
	part, mu32 := bn.shards[s], bn.mu32
	x := bn.x[lo*C*hw : hi*C*hw]
	for i := range (hi - lo) * C {
		off, ch := i*hw, i%C
		a, b := maskSums32(dy[off:off+hw], out[off:off+hw], x[off:off+hw], mu32[ch])
		part[ch] += a
		part[C+ch] += b
	}
}

// SumsEnd adds the shards' sums in shard order and sets DGamma, DBeta and the per-channel
// coefficients of DxImages.
func (bn *BatchNorm) SumsEnd() {
	C := bn.C
	clear(bn.sums)
	for _, part := range bn.shards[:bn.nShards] {
		for i, v := range part {
			bn.sums[i] += v
		}
	}
	bn.ca, bn.cb, bn.cc = growF32(bn.ca, C), growF32(bn.cb, C), growF32(bn.cc, C)
	a, b, c := bn.ca, bn.cb, bn.cc
	M := float64(bn.n * bn.hw)
	for ch := range C {
		// sums[ch] = Σ dy', sums[C+ch] = Σ dy'·(x−μ); dγ = r·Σ dy'·(x−μ).
		dbeta, dgamma := bn.sums[ch], bn.sums[C+ch]*bn.r[ch]
		if bn.Frozen {
			bn.DBeta[ch], bn.DGamma[ch] = 0, 0
		} else {
			bn.DBeta[ch], bn.DGamma[ch] = float32(dbeta), float32(dgamma)
		}
		gr := float64(bn.Gamma[ch]) * bn.r[ch]
		if !bn.batch {
			a[ch], b[ch], c[ch] = float32(gr), 0, 0 // dx = γ·r·dy'
			continue
		}
		// dx = γr·dy' − γr·dβ/M − γr²·dγ/M·(x−μ) = a·dy' + b·x + c
		k := gr * bn.r[ch] * dgamma / M
		a[ch] = float32(gr)
		b[ch] = float32(-k)
		c[ch] = float32(-gr*dbeta/M + k*bn.mu[ch])
	}
}

// DxImages writes dL/dx of images lo … hi−1 into dx (dx, dy and out hold those images only; dx
// may alias dy), with the masking of SumsImages.
func (bn *BatchNorm) DxImages(dx, dy, out []float32, lo, hi int, affine bool) {
	C, hw := bn.C, bn.hw
	x := bn.x[lo*C*hw : hi*C*hw]
	a, b, c, fa, fb := bn.ca, bn.cb, bn.cc, bn.fa, bn.fb
	for i := range (hi - lo) * C {
		off, ch := i*hw, i%C
		if affine {
			bnDxAffine(dx[off:off+hw], dy[off:off+hw], x[off:off+hw], fa[ch], fb[ch], a[ch], b[ch], c[ch])
			continue
		}
		var o []float32
		if out != nil {
			o = out[off : off+hw]
		}
		bnDx(dx[off:off+hw], dy[off:off+hw], x[off:off+hw], o, a[ch], b[ch], c[ch])
	}
}

// growF32 returns buf resized to n elements (contents unspecified).
func growF32(buf []float32, n int) []float32 { return grow(buf, n) }

// scaleShiftGo sets y = a·x + b (+ res when not nil), then max(·, 0) when relu is set.
func scaleShiftGo(y, x, res []float32, a, b float32, relu bool) {
	x = x[:len(y)]
	switch {
	case res != nil && relu:
		res = res[:len(y)]
		for i, v := range x {
			y[i] = max(a*v+b+res[i], 0)
		}
	case res != nil:
		res = res[:len(y)]
		for i, v := range x {
			y[i] = a*v + b + res[i]
		}
	case relu:
		for i, v := range x {
			y[i] = max(a*v+b, 0)
		}
	default:
		for i, v := range x {
			y[i] = a*v + b
		}
	}
}

// bnDxGo sets d = a·g' + b·x + c with g' = g·[out > 0] (g' = g when out is nil).
// d may alias g.
func bnDxGo(d, g, x, out []float32, a, b, c float32) {
	x, d = x[:len(g)], d[:len(g)]
	if out != nil {
		out = out[:len(g)]
		for i, v := range g {
			d[i] = a*mask(v, out[i]) + b*x[i] + c
		}
		return
	}
	for i, v := range g {
		d[i] = a*v + b*x[i] + c
	}
}

// mask returns g where out > 0 and 0 elsewhere, without a branch: the sign bit of −bits(out)
// is set exactly when out is positive (ReLU outputs are never −0).
func mask(g, out float32) float32 {
	m := uint32(-int32(math.Float32bits(out)) >> 31)
	return math.Float32frombits(math.Float32bits(g) & m)
}

// maskedSums32Go returns Σ g' and Σ g'·(x−mu) for g' = g·[out > 0], accumulated like sum32.
func maskedSums32Go(g, out, x []float32, mu float32) (float64, float64) {
	return maskSumsGo(g, out, x, mu, false)
}

// maskSumsGo is maskedSums32Go, writing g' over g when store is set.
func maskSumsGo(g, out, x []float32, mu float32, store bool) (float64, float64) {
	out, x = out[:len(g)], x[:len(g)]
	var s0, s1, t0, t1 float32
	i := 0
	for ; i+2 <= len(g); i += 2 {
		g0, g1 := mask(g[i], out[i]), mask(g[i+1], out[i+1])
		if store {
			g[i], g[i+1] = g0, g1
		}
		s0 += g0
		s1 += g1
		t0 += g0 * (x[i] - mu)
		t1 += g1 * (x[i+1] - mu)
	}
	for ; i < len(g); i++ {
		g0 := mask(g[i], out[i])
		if store {
			g[i] = g0
		}
		s0 += g0
		t0 += g0 * (x[i] - mu)
	}
	return float64(s0 + s1), float64(t0 + t1)
}

// sqDev32Go returns Σ (v−mu)² accumulated like sum32.
func sqDev32Go(v []float32, mu float32) float64 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(v); i += 4 {
		d0, d1, d2, d3 := v[i]-mu, v[i+1]-mu, v[i+2]-mu, v[i+3]-mu
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(v); i++ {
		d := v[i] - mu
		s0 += d * d
	}
	return float64((s0 + s1) + (s2 + s3))
}

// dotShift32Go returns Σ g[i]·(x[i]−mu) accumulated like sum32.
func dotShift32Go(g, x []float32, mu float32) float64 {
	x = x[:len(g)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(g); i += 4 {
		s0 += g[i] * (x[i] - mu)
		s1 += g[i+1] * (x[i+1] - mu)
		s2 += g[i+2] * (x[i+2] - mu)
		s3 += g[i+3] * (x[i+3] - mu)
	}
	for ; i < len(g); i++ {
		s0 += g[i] * (x[i] - mu)
	}
	return float64((s0 + s1) + (s2 + s3))
}

// affineMask returns g where fa·x + fb > 0 (ForwardAct's ReLU test for y = max(fa·x + fb, 0),
// evaluated with the same expression as scaleShiftGo) and 0 elsewhere.
func affineMask(g, x, fa, fb float32) float32 {
	if fa*x+fb > 0 {
		return g
	}
	return 0
}

// affineMaskedSums32Go is maskedSums32Go with the mask [fa·x + fb > 0].
func affineMaskedSums32Go(g, x []float32, mu, fa, fb float32) (float64, float64) {
	x = x[:len(g)]
	var s0, s1, t0, t1 float32
	i := 0
	for ; i+2 <= len(g); i += 2 {
		g0, g1 := affineMask(g[i], x[i], fa, fb), affineMask(g[i+1], x[i+1], fa, fb)
		s0 += g0
		s1 += g1
		t0 += g0 * (x[i] - mu)
		t1 += g1 * (x[i+1] - mu)
	}
	for ; i < len(g); i++ {
		g0 := affineMask(g[i], x[i], fa, fb)
		s0 += g0
		t0 += g0 * (x[i] - mu)
	}
	return float64(s0 + s1), float64(t0 + t1)
}

// bnDxAffineGo is bnDxGo with the mask [fa·x + fb > 0]; d may alias g.
func bnDxAffineGo(d, g, x []float32, fa, fb, a, b, c float32) {
	x, d = x[:len(g)], d[:len(g)]
	for i, v := range g {
		d[i] = a*affineMask(v, x[i], fa, fb) + b*x[i] + c
	}
}

// sumSq32Go returns Σ (v−k) and Σ (v−k)², accumulated like sum32.
func sumSq32Go(v []float32, k float32) (float64, float64) {
	var s0, s1, q0, q1 float32
	i := 0
	for ; i+2 <= len(v); i += 2 {
		d0, d1 := v[i]-k, v[i+1]-k
		s0 += d0
		s1 += d1
		q0 += d0 * d0
		q1 += d1 * d1
	}
	for ; i < len(v); i++ {
		d := v[i] - k
		s0 += d
		q0 += d * d
	}
	return float64(s0 + s1), float64(q0 + q1)
}
