package repair

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// TestNormalsReference checks the GEMM-built normal equations (upper-triangular panels, float32
// chunks added in float64, the lower triangle mirrored) against a plain float64 sum over the sampled
// rows, for stride 1 and 2, with and without the shortcut's extra regressors, and on more images
// than one normBlock.
func TestNormalsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name                 string
		n, cin, h, cout, str int
		p                    int
		extra                bool
	}{
		{"s1", 70, 5, 9, 7, 1, 40, false},
		{"s2+extra", 9, 4, 10, 6, 2, 25, true},
		{"wide", 3, 30, 6, 4, 1, 36, false}, // d = 271: several panels, a partial last one
	} {
		conv := &resnet.ConvBN{Cin: tc.cin, Cout: tc.cout, K: 3, Stride: tc.str}
		ho, wo := conv.OutSize(tc.h, tc.h)
		x := make([]float32, tc.n*tc.cin*tc.h*tc.h)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		tg := &target{pos: samplePositions(tc.n, ho*wo, tc.p, 3), cout: tc.cout}
		rows := 0
		for _, p := range tg.pos {
			rows += len(p)
		}
		tg.y = make([]float64, rows*tc.cout)
		for i := range tg.y {
			tg.y[i] = float64(float32(rng.NormFloat64()))
		}
		d := tc.cin*9 + 1
		if tc.extra {
			tg.ex = &extra{x: x, c: tc.cin, h: tc.h, w: tc.h, stride: tc.str}
			d += tc.cin
		}
		cal := &Calibration{threads: 2}
		nm := cal.normals(conv, x, tc.h, tc.h, tg, tc.n, d, true, nil)
		if nm.rows != rows {
			t.Fatalf("%s: %d rows, want %d", tc.name, nm.rows, rows)
		}
		// Reference: each row's regressors in float64.
		g := make([]float64, d*d)
		r := make([]float64, d*tc.cout)
		yy := make([]float64, tc.cout)
		row := 0
		a := make([]float64, d)
		for img, ps := range tg.pos {
			for _, q := range ps {
				oy, ox := int(q)/wo*tc.str, int(q)%wo*tc.str
				j := 0
				for ci := range tc.cin {
					for ky := range 3 {
						for kx := range 3 {
							iy, ix := oy-1+ky, ox-1+kx
							a[j] = 0
							if iy >= 0 && iy < tc.h && ix >= 0 && ix < tc.h {
								a[j] = float64(x[((img*tc.cin+ci)*tc.h+iy)*tc.h+ix])
							}
							j++
						}
					}
				}
				if tc.extra {
					for ci := range tc.cin {
						a[j] = float64(x[((img*tc.cin+ci)*tc.h+oy)*tc.h+ox])
						j++
					}
				}
				a[j] = 1
				for i := range d {
					for k := range d {
						g[i*d+k] += a[i] * a[k]
					}
					for c := range tc.cout {
						r[i*tc.cout+c] += a[i] * tg.y[row*tc.cout+c]
					}
				}
				for c := range tc.cout {
					yy[c] += tg.y[row*tc.cout+c] * tg.y[row*tc.cout+c]
				}
				row++
			}
		}
		check := func(what string, got, want []float64) {
			var scale float64
			for _, v := range want {
				scale = max(scale, math.Abs(v))
			}
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-5*scale {
					t.Fatalf("%s: %s[%d] = %v, want %v", tc.name, what, i, got[i], want[i])
				}
			}
		}
		check("G", nm.g, g)
		check("R", nm.r, r)
		check("yy", nm.yy, yy)
	}
}
