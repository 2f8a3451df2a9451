package kernels

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// refWeightGrad is the weight gradient Σ_images dz·colᵀ in float64.
func refWeightGrad(x, dz []float32, n, cin, h, w, rows, k, s, pad int) []float32 {
	ho, wo := (h+2*pad-k)/s+1, (w+2*pad-k)/s+1
	dw := make([]float32, rows*cin*k*k)
	for r := 0; r < rows; r++ {
		for c := 0; c < cin; c++ {
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					var acc float64
					for img := 0; img < n; img++ {
						for oy := 0; oy < ho; oy++ {
							iy := oy*s - pad + ky
							if iy < 0 || iy >= h {
								continue
							}
							for ox := 0; ox < wo; ox++ {
								ix := ox*s - pad + kx
								if ix < 0 || ix >= w {
									continue
								}
								acc += float64(dz[((img*rows+r)*ho+oy)*wo+ox]) * float64(x[((img*cin+c)*h+iy)*w+ix])
							}
						}
					}
					dw[((r*cin+c)*k+ky)*k+kx] = float32(acc)
				}
			}
		}
	}
	return dw
}

// TestConvWeightGrad checks ConvWeightGrad against a float64 reference on every conv case
// (strides 1–3, paddings 0–2, k = 1/3/5, odd sizes, multi-chunk batches), with every kernel
// implementation.
func TestConvWeightGrad(t *testing.T) {
	defer func() { forcePath = pathAuto }()
	for _, path := range []int{pathAuto, pathIm2col, pathWinograd} {
		forcePath = path
		t.Run(pathNames[path], testConvWeightGrad)
	}
}

func testConvWeightGrad(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		var ws Workspace
		for _, tc := range append(convCases, convCase{name: "chunks_s2", n: 23, cin: 16, h: 32, w: 32, rows: 32, k: 3, s: 2, p: 1}) {
			ho, wo := (tc.h+2*tc.p-tc.k)/tc.s+1, (tc.w+2*tc.p-tc.k)/tc.s+1
			x := randSlice(rng, tc.n*tc.cin*tc.h*tc.w)
			dz := randSlice(rng, tc.n*tc.rows*ho*wo)
			want := refWeightGrad(x, dz, tc.n, tc.cin, tc.h, tc.w, tc.rows, tc.k, tc.s, tc.p)
			got := make([]float32, len(want))
			for i := range got {
				got[i] = float32(i) // must be overwritten
			}
			ConvWeightGrad(got, x, dz, tc.n, tc.cin, tc.h, tc.w, tc.rows, tc.k, tc.s, tc.p, &ws)
			if e := maxRelErr(got, want); !(e <= 1e-5) {
				t.Errorf("%s: max rel error %g", tc.name, e)
			} else if testing.Verbose() {
				t.Logf("%-14s err=%.2g", tc.name, e)
			}
			// The same sum accumulated a few images at a time, twice (Sum empties it).
			g := NewWeightGrad(tc.cin, tc.rows, tc.k, tc.s, tc.p)
			for range 2 {
				for lo := 0; lo < tc.n; {
					hi := min(tc.n, lo+1+lo%3)
					g.Add(x[lo*tc.cin*tc.h*tc.w:], dz[lo*tc.rows*ho*wo:], hi-lo, tc.h, tc.w, &ws)
					lo = hi
				}
				g.Sum(got)
				if e := maxRelErr(got, want); !(e <= 1e-5) {
					t.Errorf("%s: WeightGrad: max rel error %g", tc.name, e)
				}
			}
		}
	})
}

// BenchmarkConvWeightGrad measures ConvWeightGrad for each ResNet20 layer shape at n = 64 images
// (one shard of a 128-image batch on 2 threads).
func BenchmarkConvWeightGrad(b *testing.B) {
	const n = 64
	rng := rand.New(rand.NewPCG(5, 6))
	for _, l := range resnet20Layers {
		ho := (l.h+2*l.p-l.k)/l.s + 1
		x := randSlice(rng, n*l.cin*l.h*l.h)
		dz := randSlice(rng, n*l.rows*ho*ho)
		dw := make([]float32, l.rows*l.cin*l.k*l.k)
		var ws Workspace
		b.Run(l.name, func(b *testing.B) {
			ConvWeightGrad(dw, x, dz, n, l.cin, l.h, l.h, l.rows, l.k, l.s, l.p, &ws)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, _ := threadCPUTime()
			for b.Loop() {
				ConvWeightGrad(dw, x, dz, n, l.cin, l.h, l.h, l.rows, l.k, l.s, l.p, &ws)
			}
			report(b, n, float64(l.macs()), cpu0)
		})
	}
}

// BenchmarkGemmAccL1 runs the gemmAcc micro-kernel (the 4×32 GEMM tile of gemm4 too) on
// L1-resident operands with every kernel implementation: the machine's attainable rate, to
// calibrate the other figures on a shared machine.
func BenchmarkGemmAccL1(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	const k = 256
	a, bm, c := randSlice(rng, 4*k), randSlice(rng, k*16+16), make([]float32, 4*32)
	defer func() { kernOverride, forcePortable = nil, false }()
	for _, K := range append([]*kernelSet{&portableKernels}, simdSets...) {
		b.Run(K.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, _ := threadCPUTime()
			for b.Loop() {
				for range 100 {
					K.gemmAcc(k, a, bm, bm[16:], 16, c, 32)
				}
			}
			cpu1, _ := threadCPUTime()
			b.ReportMetric(float64(b.N)*100*k*4*32*2/float64(cpu1-cpu0), "cpu-GFLOP/s")
		})
	}
}

// oldWeightGrad is the previous training path (per image: channels-last copy, transposed im2col,
// Sgemm), kept for comparison in BenchmarkConvWeightGradOld.
func oldWeightGrad(dw, x, dz []float32, n, cin, h, w, rows, k, s, pad int, xt, colT []float32) {
	ho, wo := (h+2*pad-k)/s+1, (w+2*pad-k)/s+1
	P, KK := ho*wo, cin*k*k
	hp, wp := h+2*pad, w+2*pad
	clear(dw)
	for img := 0; img < n; img++ {
		xi := x[img*cin*h*w:]
		clear(xt)
		for y := 0; y < h; y++ {
			for ix := 0; ix < w; ix++ {
				px := xt[((y+pad)*wp+ix+pad)*cin:]
				for ci := 0; ci < cin; ci++ {
					px[ci] = xi[ci*h*w+y*w+ix]
				}
			}
		}
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				row := colT[(oy*wo+ox)*KK:]
				j := 0
				for ky := 0; ky < k; ky++ {
					copy(row[j:j+k*cin], xt[((oy*s+ky)*wp+ox*s)*cin:])
					j += k * cin
				}
			}
		}
		_ = hp
		Sgemm(false, false, rows, KK, P, 1, dz[img*rows*P:], P, colT, KK, 1, dw, KK)
	}
}

// BenchmarkConvWeightGradOld is BenchmarkConvWeightGrad for oldWeightGrad.
func BenchmarkConvWeightGradOld(b *testing.B) {
	const n = 64
	rng := rand.New(rand.NewPCG(5, 6))
	for _, l := range resnet20Layers {
		ho := (l.h+2*l.p-l.k)/l.s + 1
		x := randSlice(rng, n*l.cin*l.h*l.h)
		dz := randSlice(rng, n*l.rows*ho*ho)
		dw := make([]float32, l.rows*l.cin*l.k*l.k)
		hp := l.h + 2*l.p
		xt, colT := make([]float32, hp*hp*l.cin+64), make([]float32, ho*ho*l.cin*l.k*l.k)
		b.Run(l.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, _ := threadCPUTime()
			for b.Loop() {
				oldWeightGrad(dw, x, dz, n, l.cin, l.h, l.h, l.rows, l.k, l.s, l.p, xt, colT)
			}
			report(b, n, float64(l.macs()), cpu0)
		})
	}
}
