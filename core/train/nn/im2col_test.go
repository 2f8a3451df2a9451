package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestIm2colLayouts checks the column-matrix builders against each other: Im2colT and the
// channels-last PadHWC + Im2colTHWC are transposes (and a column permutation) of Im2col, and
// Col2im is its adjoint: ⟨Im2col(x), c⟩ = ⟨x, Col2im(c)⟩.
func TestIm2colLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, tc := range []struct{ cin, h, w, k, stride, pad int }{
		{3, 5, 5, 3, 1, 1}, {4, 6, 7, 3, 2, 1}, {2, 5, 6, 1, 2, 0}, {3, 4, 4, 1, 1, 0},
		{3, 8, 8, 3, 2, 1}, {2, 6, 4, 3, 2, 1}, {2, 2, 2, 3, 2, 1}, {2, 6, 8, 1, 2, 0},
		{3, 16, 16, 3, 2, 1}, {2, 32, 32, 3, 2, 1}, {2, 64, 32, 3, 2, 1}, {2, 32, 64, 3, 2, 1},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			ho, wo := (tc.h+2*tc.pad-tc.k)/tc.stride+1, (tc.w+2*tc.pad-tc.k)/tc.stride+1
			P, kk := ho*wo, tc.k*tc.k
			KK := tc.cin * kk
			x := randVec(rng, tc.cin*tc.h*tc.w)
			col := make([]float32, KK*P)
			Im2col(col, x, tc.cin, tc.h, tc.w, tc.k, tc.stride, tc.pad)
			colT := make([]float32, P*KK)
			Im2colT(colT, x, tc.cin, tc.h, tc.w, tc.k, tc.stride, tc.pad)
			hp, wp := tc.h+2*tc.pad, tc.w+2*tc.pad
			xt := make([]float32, hp*wp*tc.cin)
			PadHWC(xt, x, tc.cin, tc.h, tc.w, tc.pad)
			colHWC := make([]float32, P*KK)
			Im2colTHWC(colHWC, xt, tc.cin, hp, wp, tc.k, tc.stride)
			for j := range KK {
				ci, q := j/kk, j%kk
				for p := range P {
					if colT[p*KK+j] != col[j*P+p] {
						t.Fatalf("Im2colT[%d][%d] = %v, Im2col gives %v", p, j, colT[p*KK+j], col[j*P+p])
					}
					if g := colHWC[p*KK+q*tc.cin+ci]; g != col[j*P+p] {
						t.Fatalf("Im2colTHWC[%d][%d] = %v, Im2col gives %v", p, q*tc.cin+ci, g, col[j*P+p])
					}
				}
			}
			c := randVec(rng, KK*P)
			dx := make([]float32, len(x))
			Col2im(dx, c, tc.cin, tc.h, tc.w, tc.k, tc.stride, tc.pad)
			gen := make([]float32, len(x))
			col2imGeneric(gen, c, tc.cin, tc.h, tc.w, tc.k, tc.stride, tc.pad, false)
			for i := range dx {
				if math.Abs(float64(dx[i]-gen[i])) > 1e-6*(1+math.Abs(float64(gen[i]))) {
					t.Fatalf("Col2im[%d] = %v, the generic scatter gives %v", i, dx[i], gen[i])
				}
			}
			// With add set, col2im adds to what dx holds.
			acc := randVec(rng, len(x))
			base := append([]float32(nil), acc...)
			col2im(acc, c, tc.cin, tc.h, tc.w, tc.k, tc.stride, tc.pad, true)
			for i := range acc {
				if want := base[i] + dx[i]; math.Abs(float64(acc[i]-want)) > 1e-6*(1+math.Abs(float64(want))) {
					t.Fatalf("col2im add[%d] = %v, want %v", i, acc[i], want)
				}
			}
			var lhs, rhs float64
			for i := range col {
				lhs += float64(col[i]) * float64(c[i])
			}
			for i := range x {
				rhs += float64(x[i]) * float64(dx[i])
			}
			if math.Abs(lhs-rhs) > 1e-4*(1+math.Abs(lhs)) {
				t.Errorf("⟨Im2col x, c⟩ = %g but ⟨x, Col2im c⟩ = %g", lhs, rhs)
			}
		})
	}
}
