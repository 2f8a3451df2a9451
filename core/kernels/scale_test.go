package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestScaleShift checks every kernel set against the scalar expression, bit for bit (zeros of
// either sign compare equal), on lengths around the vector widths.
func TestScaleShift(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 64, 1000} {
			for _, relu := range []bool{false, true} {
				z := randSlice(rng, n)
				s, b := rng.Float32()*4-2, rng.Float32()-0.5
				want := make([]float32, n)
				for i, v := range z {
					want[i] = float32(s*v) + b
					if relu && want[i] < 0 {
						want[i] = 0
					}
				}
				ScaleShift(z, s, b, relu)
				negatives := false
				for i := range z {
					if z[i] != want[i] {
						t.Fatalf("n=%d relu=%v: z[%d] = %v, want %v", n, relu, i, z[i], want[i])
					}
					negatives = negatives || z[i] < 0
				}
				if relu && negatives {
					t.Fatalf("n=%d: negative value after ReLU", n)
				}
			}
		}
	})
}

// TestAddWiden checks every kernel set against the scalar float64 sum, bit for bit.
func TestAddWiden(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 9, 17, 100} {
			src := randSlice(rng, n)
			dst := make([]float64, n+1)
			for i := range dst {
				dst[i] = rng.NormFloat64() * 1e3
			}
			want := append([]float64(nil), dst...)
			for i, v := range src {
				want[i] += float64(v)
			}
			AddWiden(dst, src)
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("n=%d: dst[%d] = %v, want %v", n, i, dst[i], want[i])
				}
			}
		}
	})
}
