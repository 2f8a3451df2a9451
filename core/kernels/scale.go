package kernels

// ScaleShift sets z[i] = s*z[i] + b, then max(0,·) when relu, for every i (an inference-mode BN
// on one channel's values). The product is rounded before the sum (no fused multiply-add), so
// every kernel set gives the bits of the plain Go expression float32(s*z[i]) + b; only the sign of
// a zero may differ.
func ScaleShift(z []float32, s, b float32, relu bool) {
	if K := kern(); K.scaleShift != nil {
		K.scaleShift(z, s, b, relu)
		return
	}
	scaleShiftPortable(z, s, b, relu)
}

func scaleShiftPortable(z []float32, s, b float32, relu bool) {
	for i, v := range z {
		v = float32(s*v) + b
		if relu && v < 0 {
			v = 0
		}
		z[i] = v
	}
}

// AddWiden adds src to dst element by element in float64: dst[i] += float64(src[i]) for
// i < len(src) (dst at least as long; the same bits on every kernel set).
func AddWiden(dst []float64, src []float32) {
	dst = dst[:len(src)]
	i := 0
	if K := kern(); K.addWiden != nil {
		i = K.addWiden(dst, src)
	}
	for ; i < len(src); i++ {
		dst[i] += float64(src[i])
	}
}
