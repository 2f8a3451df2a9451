package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVecFused checks the fused element-wise kernels against what they replace, on lengths that
// exercise the vector body and the scalar tail: maskSums32 must return maskedSums32's sums bit
// for bit (BatchNorm.MaskSumsImages promises SumsImages's) and leave g·[out > 0] in g;
// scaleShift2 must equal scaleShift with res = a2·x2 + b2 stored first (a2 = 0.5 makes a2·x2
// exact, so that res is the same whether a2·x2 + b2 is fused or not).
func TestVecFused(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 16, 17, 33, 64, 100, 1024} {
		g, out, x := randVec(rng, n), randVec(rng, n), randVec(rng, n)
		g2 := append([]float32(nil), g...)
		a0, b0 := maskedSums32(g, out, x, 0.25)
		a1, b1 := maskSums32(g2, out, x, 0.25)
		if a0 != a1 || b0 != b1 {
			t.Errorf("n=%d: maskSums32 = %v, %v; maskedSums32 = %v, %v", n, a1, b1, a0, b0)
		}
		var ra, rb float64
		for i := range g {
			want := float32(0)
			if out[i] > 0 {
				want = g[i]
			}
			if g2[i] != want {
				t.Fatalf("n=%d: maskSums32 left g[%d] = %v, want %v", n, i, g2[i], want)
			}
			ra += float64(want)
			rb += float64(want) * (float64(x[i]) - 0.25)
		}
		if math.Abs(a1-ra) > 1e-5*(1+math.Abs(ra)) || math.Abs(b1-rb) > 1e-5*(1+math.Abs(rb)) {
			t.Errorf("n=%d: maskSums32 = %v, %v; float64 reference %v, %v", n, a1, b1, ra, rb)
		}
		for _, relu := range []bool{false, true} {
			res := make([]float32, n)
			for i := range res {
				res[i] = 0.5*x[i] - 0.125
			}
			x2 := append([]float32(nil), x...)
			want, got := make([]float32, n), make([]float32, n)
			scaleShift(want, g, res, 1.5, 0.25, relu)
			scaleShift2(got, g, x2, 1.5, 0.25, 0.5, -0.125, relu)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d relu=%v: scaleShift2[%d] = %v, scaleShift with the residual stored %v", n, relu, i, got[i], want[i])
				}
			}
		}
	}
}
