//go:build goexperiment.simd && wasm

package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestGemm4Wasm checks the wasm assembly GEMM tile against the portable one for depths 1…70 and
// row pitches larger than the tile, and that it writes nothing outside the tile.
func TestGemm4Wasm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 1; k <= 70; k += 3 {
		ldb, ldc := 32+k%5, 40
		a := make([]float32, 4*k)
		b := make([]float32, (k-1)*ldb+32)
		for i := range a {
			a[i] = rng.Float32()*2 - 1
		}
		for i := range b {
			b[i] = rng.Float32()*2 - 1
		}
		want := make([]float32, 3*ldc+32)
		got := make([]float32, 3*ldc+32)
		for i := range got {
			got[i], want[i] = 7, 7
		}
		gemm4Portable(k, a, b, ldb, want, ldc)
		gemm4Wasm(k, a, b, ldb, got, ldc)
		for i := range got {
			if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("k=%d: c[%d] = %v, want %v", k, i, got[i], want[i])
			}
		}
	}
}

// TestWinoGatherInWasm checks the assembly gather + input transform against the portable
// winoGather and winoIn on random planes and tile offsets, writing nothing outside v's lanes.
func TestWinoGatherInWasm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const pw, stride = 37, 21
	p := make([]float32, 40*pw)
	for i := range p {
		p[i] = rng.Float32()*2 - 1
	}
	base := make([]int32, lanes)
	for try := range 20 {
		for j := range base {
			base[j] = int32(rng.IntN(30)*pw + rng.IntN(pw-5))
		}
		g, want, got := make([]float32, 36*lanes), make([]float32, 35*stride+lanes), make([]float32, 35*stride+lanes)
		for i := range got {
			got[i], want[i] = 9, 9
		}
		winoGatherPortable(p, base, pw, blockScalar, g)
		winoInPortable(g, want, stride)
		winoGatherInWasm(p, base, pw, blockScalar, make([]float32, 36*lanes), got, stride)
		for i := range got {
			if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("try %d: v[%d] = %v, want %v", try, i, got[i], want[i])
			}
		}
	}
}
