package nn

// Element-wise kernels of the BatchNorm and ReLU passes. The portable Go versions (suffix Go) are
// the reference; vec_avx512.go replaces them with AVX-512 versions when built with
// GOEXPERIMENT=simd on a CPU that has AVX-512.
var (
	// scaleShift sets y = a·x + b (+ res when not nil), then max(·, 0) when relu is set.
	scaleShift = scaleShiftGo
	// bnDx sets d = a·g' + b·x + c with g' = g·[out > 0] (g when out is nil); d may alias g.
	bnDx = bnDxGo
	// reluMask sets g[i] = 0 where out[i] ≤ 0.
	reluMask = reluMaskGo
	// sum32 returns Σ v, accumulated in float32 lanes and returned as float64.
	sum32 = sum32Go
	// sqDev32 returns Σ (v−mu)².
	sqDev32 = sqDev32Go
	// dotShift32 returns Σ g·(x−mu).
	dotShift32 = dotShift32Go
	// maskedSums32 returns Σ g' and Σ g'·(x−mu) for g' = g·[out > 0].
	maskedSums32 = maskedSums32Go
	// affineMaskedSums32 returns Σ g' and Σ g'·(x−mu) for g' = g·[fa·x + fb > 0].
	affineMaskedSums32 = affineMaskedSums32Go
	// bnDxAffine sets d = a·g' + b·x + c with g' = g·[fa·x + fb > 0]; d may alias g.
	bnDxAffine = bnDxAffineGo
	// sumSq32 returns Σ (v−k) and Σ (v−k)².
	sumSq32 = sumSq32Go
	// addMasked adds x·[out > 0] to y.
	addMasked = addMaskedGo
)

// addMaskedGo adds x·[out > 0] to y element-wise.
func addMaskedGo(y, x, out []float32) {
	x, out = x[:len(y)], out[:len(y)]
	for i := range y {
		y[i] += mask(x[i], out[i])
	}
}

// reluMaskGo sets g[i] = 0 where out[i] ≤ 0.
func reluMaskGo(g, out []float32) {
	out = out[:len(g)]
	for i, e := range g {
		g[i] = mask(e, out[i])
	}
}
