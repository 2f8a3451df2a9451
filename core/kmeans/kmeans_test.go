package kmeans

import (
	"math"
	"math/rand/v2"
	"testing"
)

// blobs returns k well-separated Gaussian clusters of m points each in d dimensions.
func blobs(k, m, d int, seed uint64) ([]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 9))
	var x []float64
	var truth []int
	for c := range k {
		centre := make([]float64, d)
		for t := range centre {
			centre[t] = 20 * rng.NormFloat64()
		}
		for range m {
			for t := range d {
				x = append(x, centre[t]+rng.NormFloat64())
			}
			truth = append(truth, c)
		}
	}
	return x, truth
}

func TestFitRecoversBlobs(t *testing.T) {
	for _, tc := range []struct{ k, m, d int }{{2, 10, 2}, {5, 20, 9}, {8, 8, 144}} {
		x, truth := blobs(tc.k, tc.m, tc.d, 1)
		r, err := Fit(x, tc.k*tc.m, tc.d, Options{K: tc.k, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		// Same partition up to renaming.
		m := map[int]int{}
		for i, l := range r.Labels {
			if want, ok := m[truth[i]]; ok && want != l {
				t.Fatalf("k=%d d=%d: point %d split from its blob", tc.k, tc.d, i)
			}
			m[truth[i]] = l
		}
		if len(m) != tc.k {
			t.Fatalf("k=%d: %d distinct clusters", tc.k, len(m))
		}
	}
}

func TestDeterministic(t *testing.T) {
	x, _ := blobs(6, 11, 27, 4)
	a, _ := Fit(x, 66, 27, Options{K: 6, Seed: 42, History: true})
	b, _ := Fit(x, 66, 27, Options{K: 6, Seed: 42, History: true})
	if Hash(a) != Hash(b) || len(a.History) != len(b.History) {
		t.Fatal("same seed gave different results")
	}
	c, _ := Fit(x, 66, 27, Options{K: 6, Seed: 43, NInit: 1})
	_ = c // a different seed may or may not change the labels; it must not fail.
}

// TestGoldenHash pins the exact result of a fixed problem, so that the native and wasm builds (this
// test runs under both) and future changes are held to the same labels and centroids bit for bit.
func TestGoldenHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	x := make([]float64, 64*144)
	for i := range x {
		x[i] = rng.NormFloat64() * 0.1
	}
	r, err := Fit(x, 64, 144, Options{K: 32, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	const want = 0x38c496568043eb7f
	if got := Hash(r); got != want {
		t.Fatalf("hash %#x, want %#x (inertia %v, iter %d)", got, want, r.Inertia, r.Iter)
	}
}

func TestLloydNeverIncreasesInertia(t *testing.T) {
	x, _ := blobs(4, 15, 5, 8)
	for i := range x {
		x[i] += 5 * math.Sin(float64(i)) // overlapping clusters: several iterations
	}
	r, _ := Fit(x, 60, 5, Options{K: 7, Seed: 5, NInit: 1, History: true})
	for i := 2; i < len(r.History); i++ {
		if r.History[i].Inertia > r.History[i-1].Inertia+1e-9 {
			t.Fatalf("inertia rose at step %d: %v → %v", i, r.History[i-1].Inertia, r.History[i].Inertia)
		}
	}
}

func TestEdgeCases(t *testing.T) {
	// All points equal: k-means++ must still pick k centres and leave no NaN.
	x := make([]float64, 10*3)
	r, err := Fit(x, 10, 3, Options{K: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Centroids {
		if math.IsNaN(v) {
			t.Fatal("NaN centroid")
		}
	}
	// k = n: every point its own cluster, zero inertia.
	y, _ := blobs(1, 6, 2, 3)
	r, _ = Fit(y, 6, 2, Options{K: 6, Seed: 1})
	if r.Inertia != 0 {
		t.Fatalf("k=n inertia %v", r.Inertia)
	}
	for _, bad := range []struct {
		name string
		x    []float64
		n, d int
		opt  Options
	}{
		{"k=0", y, 6, 2, Options{K: 0}},
		{"k>n", y, 6, 2, Options{K: 7}},
		{"length", y[:5], 6, 2, Options{K: 2}},
		{"nan", []float64{1, math.NaN()}, 2, 1, Options{K: 1}},
		{"negative", y, 6, 2, Options{K: 2, NInit: -1}},
	} {
		if _, err := Fit(bad.x, bad.n, bad.d, bad.opt); err == nil {
			t.Errorf("%s: no error", bad.name)
		}
	}
}
