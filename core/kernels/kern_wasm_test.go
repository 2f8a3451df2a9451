//go:build goexperiment.simd && wasm

package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestGemm4Wasm checks the wasm assembly GEMM tiles (gemm4, gemm8) against the portable gemm4 for
// depths 1…70 and row pitches larger than the tile, and that they write nothing outside the tile.
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
				t.Fatalf("gemm4, k=%d: c[%d] = %v, want %v", k, i, got[i], want[i])
			}
		}
		// gemm8: a as the second block, a reversed as the first.
		a0 := make([]float32, 4*k)
		for i := range a0 {
			a0[i] = a[len(a)-1-i]
		}
		want8, got8 := make([]float32, 7*ldc+32), make([]float32, 7*ldc+32)
		for i := range got8 {
			got8[i], want8[i] = 5, 5
		}
		gemm4Portable(k, a0, b, ldb, want8, ldc)
		gemm4Portable(k, a, b, ldb, want8[4*ldc:], ldc)
		gemm8Wasm(k, a0, a, b, ldb, got8, ldc)
		for i := range got8 {
			if d := got8[i] - want8[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("gemm8, k=%d: c[%d] = %v, want %v", k, i, got8[i], want8[i])
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

// TestDconvWasm checks the assembly direct-path micro-kernels (dconv: 4 rows, dconv3: 3 rows)
// against dconvGemmAcc on the portable kernels, and that they write nothing else.
func TestDconvWasm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rows := range []int{4, 3} {
		for _, cin := range []int{1, 3, 16} {
			const ps, ldc = 200, 70
			toff := []int32{0, 1, 2, 34, 35, 36, 68, 69, 70}
			a := make([]float32, len(toff)*cin*4)
			for i := range a {
				a[i] = rng.Float32()*2 - 1
			}
			p := make([]float32, 70+(cin-1)*ps+dconvCols)
			for i := range p {
				p[i] = rng.Float32()*2 - 1
			}
			want, got := make([]float32, 4*ldc), make([]float32, 4*ldc)
			dconvGemmAcc(&portableKernels, cin, a, p, ps, toff, want, ldc)
			for i := range got {
				got[i] = 3
			}
			if rows == 4 {
				dconvWasm(cin, a, p, ps, toff, got, ldc)
			} else {
				dconv3Wasm(cin, a, p, ps, toff, got, ldc)
			}
			for i := range got {
				if i < rows*ldc && i%ldc < dconvCols {
					if d := got[i] - want[i]; d > 1e-4 || d < -1e-4 {
						t.Fatalf("rows=%d cin=%d: c[%d] = %v, want %v", rows, cin, i, got[i], want[i])
					}
				} else if got[i] != 3 {
					t.Fatalf("rows=%d cin=%d: c[%d] written outside the tile", rows, cin, i)
				}
			}
		}
	}
}

// TestRowsWasm checks the assembly row kernels (copyRows, decimate2, affineRows in every
// epilogue mode) against the portable ones on widths with and without a remainder of 4, with
// sources exactly as long as the contracts allow, and that they write nothing else.
func TestRowsWasm(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	fill := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = rng.Float32()*2 - 1
		}
		return v
	}
	same := func(name string, got, want []float32) {
		t.Helper()
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: [%d] = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	for _, w := range []int{1, 4, 7, 8, 16, 19, 32} {
		const rows, pitch = 5, 41
		src := fill(rows * w)
		want, got := fill((rows-1)*pitch+w+3), []float32(nil)
		got = append(got, want...)
		copyRowsPortable(want, pitch, src, rows, w)
		copyRowsWasm(got, pitch, src, rows, w)
		same("copyRows", got, want)

		sp := 2*w + 3
		src = fill((rows-1)*sp + 2*w - 1) // no slack after the last value read
		want = fill((rows-1)*pitch + w + 3)
		got = append(got[:0], want...)
		decimate2Portable(want, pitch, src, sp, rows, w)
		decimate2Wasm(got, pitch, src, sp, rows, w)
		same("decimate2", got, want)

		z, res := fill((rows-1)*pitch+w), fill((rows-1)*pitch+w)
		for _, r := range [][]float32{nil, res} {
			for _, relu := range []bool{false, true} {
				want = fill((rows-1)*pitch + w + 3)
				got = append(got[:0], want...)
				for i := range rows {
					var rr []float32
					if r != nil {
						rr = r[i*pitch : i*pitch+w]
					}
					affinePortable(want[i*pitch:i*pitch+w], z[i*pitch:i*pitch+w], rr, 0.7, -0.1, relu)
				}
				affineRowsWasm(got, pitch, z, pitch, r, rows, w, 0.7, -0.1, relu)
				same("affineRows", got, want)
			}
		}
	}
}
