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
	// maskSums32 is maskedSums32 that also writes g' = g·[out > 0] over g.
	maskSums32 = maskSums32Go
	// scaleShift2 sets y = (a·x + b) + (a2·x2 + b2), then max(·, 0) when relu is set.
	scaleShift2 = scaleShift2Go
	// col2im3s2Plane, where it reports true, has done col2im3s2 for one channel; the portable
	// version never does.
	col2im3s2Plane = func(d, c []float32, P, ho, wo int, add bool) bool { return false }
)

// reluMaskGo sets g[i] = 0 where out[i] ≤ 0.
func reluMaskGo(g, out []float32) {
	out = out[:len(g)]
	for i, e := range g {
		g[i] = mask(e, out[i])
	}
}

// maskSums32Go is maskedSums32Go that also writes g' = g·[out > 0] over g (same sums, same
// accumulation order).
func maskSums32Go(g, out, x []float32, mu float32) (float64, float64) {
	return maskSumsGo(g, out, x, mu, true)
}

// scaleShift2Go sets y = (a·x + b) + (a2·x2 + b2), then max(·, 0) when relu is set: scaleShiftGo
// with res = a2·x2 + b2 computed on the fly (rounded to float32 as if stored).
func scaleShift2Go(y, x, x2 []float32, a, b, a2, b2 float32, relu bool) {
	x, x2 = x[:len(y)], x2[:len(y)]
	for i, v := range x {
		r := float32(a2*x2[i] + b2)
		v = float32(a*v+b) + r
		if relu {
			v = max(v, 0)
		}
		y[i] = v
	}
}
