package pca

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitRoundTrip: points on a d-dimensional affine subspace project and map back exactly, keep all
// the variance, and Project agrees with Fit's coordinates.
func TestFitRoundTrip(t *testing.T) {
	for _, tc := range []struct{ n, D, d int }{{10, 5, 2}, {64, 144, 3}, {4, 9, 4}} {
		rng := rand.New(rand.NewPCG(1, uint64(tc.D)))
		basis := make([]float64, tc.d*tc.D)
		for i := range basis {
			basis[i] = rng.NormFloat64()
		}
		x := make([]float64, tc.n*tc.D)
		for i := range tc.n {
			for j := range tc.d {
				c := rng.NormFloat64()
				for k := range tc.D {
					x[i*tc.D+k] += c * basis[j*tc.D+k]
				}
			}
			for k := range tc.D {
				x[i*tc.D+k] += 3 // offset: the mean must be removed
			}
		}
		y, b, err := Fit(x, tc.n, tc.D, tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(b.Explained-1) > 1e-9 {
			t.Errorf("n=%d D=%d d=%d: explained %v, want 1", tc.n, tc.D, tc.d, b.Explained)
		}
		back := make([]float64, tc.D)
		for i := range tc.n {
			b.Back(back, y[i*tc.d:(i+1)*tc.d])
			p := b.Project(x[i*tc.D : (i+1)*tc.D])
			for k := range tc.D {
				if math.Abs(back[k]-x[i*tc.D+k]) > 1e-9 {
					t.Fatalf("n=%d D=%d d=%d: point %d not recovered", tc.n, tc.D, tc.d, i)
				}
			}
			for j := range tc.d {
				if math.Abs(p[j]-y[i*tc.d+j]) > 1e-9 {
					t.Fatalf("n=%d D=%d d=%d: Project differs from Fit", tc.n, tc.D, tc.d)
				}
			}
		}
	}
}

func TestFitRejects(t *testing.T) {
	x := make([]float64, 12)
	for _, tc := range []struct{ n, D, d int }{{4, 3, 0}, {4, 3, 4}, {5, 3, 2}, {0, 3, 1}} {
		if _, _, err := Fit(x, tc.n, tc.D, tc.d); err == nil {
			t.Errorf("n=%d D=%d d=%d: no error", tc.n, tc.D, tc.d)
		}
	}
}
