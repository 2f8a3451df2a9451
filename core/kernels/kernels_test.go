package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

// refEpilogue applies ep to the raw reference output z (n×rows×hw) in float64.
func refEpilogue(z []float32, n, rows, hw int, ep *Epilogue) []float32 {
	cout := rows
	if ep != nil && ep.Gather != nil {
		cout = len(ep.Gather)
	}
	out := make([]float32, n*cout*hw)
	for img := 0; img < n; img++ {
		for c := 0; c < cout; c++ {
			g, s, b := c, 1.0, 0.0
			if ep != nil && ep.Gather != nil {
				g = int(ep.Gather[c])
			}
			if ep != nil && ep.Scale != nil {
				s = float64(ep.Scale[c])
			}
			if ep != nil && ep.Bias != nil {
				b = float64(ep.Bias[c])
			}
			for p := 0; p < hw; p++ {
				v := s*float64(z[(img*rows+g)*hw+p]) + b
				if ep != nil && ep.Residual != nil {
					v += float64(ep.Residual[(img*cout+c)*hw+p])
				}
				if ep != nil && ep.ReLU && v < 0 {
					v = 0
				}
				out[(img*cout+c)*hw+p] = float32(v)
			}
		}
	}
	return out
}

// maxRelErr returns max |got-want| / (1 + max|want|).
func maxRelErr(got, want []float32) float64 {
	var maxAbs, maxErr float64
	for i := range want {
		maxAbs = math.Max(maxAbs, math.Abs(float64(want[i])))
		maxErr = math.Max(maxErr, math.Abs(float64(got[i])-float64(want[i])))
	}
	return maxErr / (1 + maxAbs)
}

type convCase struct {
	name                           string
	n, cin, h, w, rows, k, s, p    int
	gather, scale, bias, res, relu bool
	cout                           int // output channels when gather is set
}

var convCases = []convCase{
	{name: "stem", n: 2, cin: 3, h: 32, w: 32, rows: 16, k: 3, s: 1, p: 1},
	{name: "s1_16", n: 3, cin: 16, h: 32, w: 32, rows: 16, k: 3, s: 1, p: 1, scale: true, bias: true, relu: true},
	{name: "s2_16to32", n: 2, cin: 16, h: 32, w: 32, rows: 32, k: 3, s: 2, p: 1, scale: true, bias: true, relu: true},
	{name: "s1_32", n: 2, cin: 32, h: 16, w: 16, rows: 32, k: 3, s: 1, p: 1, scale: true, bias: true, res: true, relu: true},
	{name: "sc1x1_16to32", n: 2, cin: 16, h: 32, w: 32, rows: 32, k: 1, s: 2, p: 0, scale: true, bias: true},
	{name: "s2_32to64", n: 2, cin: 32, h: 16, w: 16, rows: 64, k: 3, s: 2, p: 1, bias: true},
	{name: "s1_64", n: 5, cin: 64, h: 8, w: 8, rows: 64, k: 3, s: 1, p: 1, scale: true, bias: true, res: true, relu: true},
	{name: "sc1x1_32to64", n: 3, cin: 32, h: 16, w: 16, rows: 64, k: 1, s: 2, p: 0},
	{name: "odd5", n: 3, cin: 7, h: 5, w: 5, rows: 9, k: 3, s: 1, p: 1, relu: true},
	{name: "odd7_s2", n: 2, cin: 5, h: 7, w: 7, rows: 11, k: 3, s: 2, p: 1, bias: true},
	{name: "odd7x5", n: 1, cin: 3, h: 7, w: 5, rows: 4, k: 3, s: 1, p: 1, res: true},
	{name: "nopad", n: 2, cin: 4, h: 9, w: 10, rows: 6, k: 3, s: 1, p: 0},
	{name: "1x1_s1", n: 2, cin: 13, h: 6, w: 7, rows: 17, k: 1, s: 1, p: 0, bias: true},
	{name: "gather_pruned", n: 4, cin: 11, h: 16, w: 16, rows: 5, k: 3, s: 1, p: 1, gather: true, cout: 32, scale: true, bias: true, res: true, relu: true},
	{name: "gather_s2", n: 3, cin: 16, h: 32, w: 32, rows: 3, k: 3, s: 2, p: 1, gather: true, cout: 32, scale: true, relu: true},
	{name: "gather_1x1", n: 2, cin: 9, h: 16, w: 16, rows: 7, k: 1, s: 2, p: 0, gather: true, cout: 64, bias: true},
	{name: "cin1", n: 2, cin: 1, h: 8, w: 8, rows: 64, k: 3, s: 1, p: 1},
	{name: "n1_64", n: 1, cin: 64, h: 8, w: 8, rows: 64, k: 3, s: 1, p: 1, relu: true},
	{name: "pad2", n: 3, cin: 5, h: 9, w: 11, rows: 6, k: 3, s: 1, p: 2, bias: true, relu: true},
	{name: "k5", n: 2, cin: 4, h: 12, w: 10, rows: 7, k: 5, s: 1, p: 2, scale: true, res: true},
	{name: "k3_s3", n: 2, cin: 3, h: 13, w: 13, rows: 5, k: 3, s: 3, p: 1},
	{name: "multichunk", n: 6, cin: 16, h: 32, w: 32, rows: 6, k: 3, s: 1, p: 1, scale: true, res: true, relu: true},
	{name: "big_n", n: 17, cin: 16, h: 8, w: 8, rows: 24, k: 3, s: 1, p: 1, relu: true},
	// method 2's 32→12 stride-2 conv: the direct path stacks 6 images (7 = 6 + 1).
	{name: "s2_stacked", n: 7, cin: 32, h: 16, w: 16, rows: 12, k: 3, s: 2, p: 1, bias: true, res: true, relu: true},
}

func (tc convCase) epilogue(rng *rand.Rand, ho, wo int) *Epilogue {
	ep := &Epilogue{ReLU: tc.relu}
	cout := tc.rows
	if tc.gather {
		cout = tc.cout
		ep.Gather = make([]int32, cout)
		for i := range ep.Gather {
			ep.Gather[i] = int32(rng.IntN(tc.rows))
		}
	}
	if tc.scale {
		ep.Scale = randSlice(rng, cout)
	}
	if tc.bias {
		ep.Bias = randSlice(rng, cout)
	}
	if tc.res {
		ep.Residual = randSlice(rng, tc.n*cout*ho*wo)
	}
	return ep
}

// convTol is the tolerance on max|got-want|/(1+max|want|) for unit-scale data
// (Winograd F(4×4,3×3) loses a few bits relative to direct summation).
const convTol = 1e-4

// withKernels runs f once per kernel implementation the CPU supports (the
// SIMD ones when built with GOEXPERIMENT=simd, and always the portable one).
func withKernels(t *testing.T, f func(t *testing.T)) {
	defer func() { kernOverride, forcePortable = nil, false }()
	forcePortable = true
	t.Run(KernelName(), f)
	forcePortable = false
	for _, k := range simdSets {
		kernOverride = k
		t.Run(KernelName(), f)
	}
}

var pathNames = map[int]string{pathAuto: "auto", pathIm2col: "im2col", pathWinograd: "winograd", pathDirect: "direct"}

func testConvCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ws Workspace
	for _, tc := range convCases {
		src := randSlice(rng, tc.n*tc.cin*tc.h*tc.w)
		wt := randSlice(rng, tc.rows*tc.cin*tc.k*tc.k)
		conv := NewConv(wt, tc.rows, tc.cin, tc.k, tc.s, tc.p)
		ho, wo := conv.OutSize(tc.h, tc.w)
		z := make([]float32, tc.n*tc.rows*ho*wo)
		ReferenceConv(z, src, wt, tc.n, tc.cin, tc.h, tc.w, tc.rows, tc.k, tc.s, tc.p)
		for _, withEp := range []bool{false, true} {
			var ep *Epilogue
			if withEp {
				ep = tc.epilogue(rng, ho, wo)
			}
			want := refEpilogue(z, tc.n, tc.rows, ho*wo, ep)
			if got := conv.OutChannels(ep) * tc.n * ho * wo; got != len(want) {
				t.Fatalf("%s: output size %d, want %d", tc.name, got, len(want))
			}
			got := make([]float32, len(want))
			for i := range got {
				got[i] = float32(math.NaN())
			}
			conv.Forward(got, src, tc.n, tc.h, tc.w, ep, &ws)
			e := maxRelErr(got, want)
			if withEp && testing.Verbose() {
				t.Logf("%-14s path=%-8s err=%.2g", tc.name, pathNames[forcePath], e)
			}
			if !(e <= convTol) {
				t.Errorf("%s (path=%s, epilogue=%v): max rel error %g > %g", tc.name, pathNames[forcePath], withEp, e, convTol)
			}
		}
	}
}

// TestConv checks every path (auto, forced im2col, forced Winograd) of every
// kernel implementation against ReferenceConv.
func TestConv(t *testing.T) {
	defer func() { forcePath = pathAuto }()
	withKernels(t, func(t *testing.T) {
		for _, path := range []int{pathAuto, pathIm2col, pathWinograd, pathDirect} {
			forcePath = path
			testConvCases(t)
		}
	})
}

func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				ai, bi := i*lda+p, p*ldb+j
				if transA {
					ai = p*lda + i
				}
				if transB {
					bi = j*ldb + p
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
			}
			c[i*ldc+j] = float32(float64(alpha)*s + float64(beta)*float64(c[i*ldc+j]))
		}
	}
}

// TestSgemm checks Sgemm against a float64 triple loop for all transpose
// combinations, odd sizes, padded strides and several alpha/beta.
func TestSgemm(t *testing.T) {
	withKernels(t, testSgemm)
}

func testSgemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dims := [][3]int{{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {13, 100, 37}, {40, 1, 70}, {1, 50, 3}, {31, 47, 129}, {6, 70, 600}}
	for _, d := range dims {
		m, n, k := d[0], d[1], d[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}} {
					alpha, beta := ab[0], ab[1]
					lda, ldb, ldc := k+2, n+1, n+3
					if ta {
						lda = m + 1
					}
					if tb {
						ldb = k + 3
					}
					ra, rb := m, k
					if ta {
						ra = k
					}
					if tb {
						rb = n
					}
					a := randSlice(rng, ra*lda)
					b := randSlice(rng, rb*ldb)
					c := randSlice(rng, m*ldc)
					want := append([]float32(nil), c...)
					Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					naiveGemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
					name := fmt.Sprintf("m%d_n%d_k%d_tA%v_tB%v_a%g_b%g", m, n, k, ta, tb, alpha, beta)
					if e := maxRelErr(c, want); e > 1e-5*math.Sqrt(float64(k)) {
						t.Errorf("%s: max rel error %g", name, e)
					}
				}
			}
		}
	}
}

// TestForwardAllocs checks that Forward does not allocate once the
// workspace has grown.
func TestForwardAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range convCases {
		src := randSlice(rng, tc.n*tc.cin*tc.h*tc.w)
		conv := NewConv(randSlice(rng, tc.rows*tc.cin*tc.k*tc.k), tc.rows, tc.cin, tc.k, tc.s, tc.p)
		ho, wo := conv.OutSize(tc.h, tc.w)
		ep := tc.epilogue(rng, ho, wo)
		dst := make([]float32, tc.n*conv.OutChannels(ep)*ho*wo)
		var ws Workspace
		conv.Forward(dst, src, tc.n, tc.h, tc.w, ep, &ws)
		if a := testing.AllocsPerRun(3, func() { conv.Forward(dst, src, tc.n, tc.h, tc.w, ep, &ws) }); a != 0 {
			t.Errorf("%s: %v allocations per Forward", tc.name, a)
		}
	}
}

// TestConvAccessors checks Rows, OutSize and OutChannels.
func TestConvAccessors(t *testing.T) {
	c := NewConv(make([]float32, 5*3*9), 5, 3, 3, 2, 1)
	if c.Rows() != 5 {
		t.Errorf("Rows = %d, want 5", c.Rows())
	}
	if ho, wo := c.OutSize(32, 15); ho != 16 || wo != 8 {
		t.Errorf("OutSize(32,15) = %d,%d, want 16,8", ho, wo)
	}
	if got := c.OutChannels(nil); got != 5 {
		t.Errorf("OutChannels(nil) = %d, want 5", got)
	}
	if got := c.OutChannels(&Epilogue{Gather: make([]int32, 12)}); got != 12 {
		t.Errorf("OutChannels(gather 12) = %d, want 12", got)
	}
}

// TestSetWeights checks that a convolution re-prepared with SetWeights computes exactly what a
// new one does, on both paths.
func TestSetWeights(t *testing.T) {
	defer func() { forcePath = pathAuto }()
	rng := rand.New(rand.NewPCG(13, 14))
	var ws Workspace
	for _, tc := range convCases {
		w1 := randSlice(rng, tc.rows*tc.cin*tc.k*tc.k)
		w2 := randSlice(rng, len(w1))
		src := randSlice(rng, tc.n*tc.cin*tc.h*tc.w)
		c1 := NewConv(w1, tc.rows, tc.cin, tc.k, tc.s, tc.p)
		c1.SetWeights(w2)
		c2 := NewConv(w2, tc.rows, tc.cin, tc.k, tc.s, tc.p)
		ho, wo := c2.OutSize(tc.h, tc.w)
		for _, path := range []int{pathIm2col, pathWinograd, pathDirect} {
			forcePath = path
			got, want := make([]float32, tc.n*tc.rows*ho*wo), make([]float32, tc.n*tc.rows*ho*wo)
			c1.Forward(got, src, tc.n, tc.h, tc.w, nil, &ws)
			c2.Forward(want, src, tc.n, tc.h, tc.w, nil, &ws)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s (path=%s): output %d = %v after SetWeights, %v from NewConv", tc.name, pathNames[path], i, got[i], want[i])
				}
			}
		}
	}
}

// TestInputAct checks that ForwardAct and WeightGrad.AddAct compute exactly what Forward and Add
// compute on the mapped input, on every path and kernel set (the Winograd paths map rows as they
// copy them, the others map the whole input into scratch).
func TestInputAct(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		defer func() { forcePath = pathAuto }()
		rng := rand.New(rand.NewPCG(15, 16))
		var ws Workspace
		for _, tc := range convCases {
			w := randSlice(rng, tc.rows*tc.cin*tc.k*tc.k)
			src := randSlice(rng, tc.n*tc.cin*tc.h*tc.w)
			act := &InputAct{Scale: randSlice(rng, tc.cin), Shift: randSlice(rng, tc.cin), ReLU: true}
			mapped := act.apply(kern(), make([]float32, len(src)), src, tc.n, tc.cin, tc.h, tc.w)
			c := NewConv(w, tc.rows, tc.cin, tc.k, tc.s, tc.p)
			ho, wo := c.OutSize(tc.h, tc.w)
			dz := randSlice(rng, tc.n*tc.rows*ho*wo)
			for _, path := range []int{pathIm2col, pathWinograd, pathDirect} {
				forcePath = path
				got, want := make([]float32, tc.n*tc.rows*ho*wo), make([]float32, tc.n*tc.rows*ho*wo)
				c.ForwardAct(got, src, tc.n, tc.h, tc.w, act, nil, &ws)
				c.Forward(want, mapped, tc.n, tc.h, tc.w, nil, &ws)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s (path=%s): ForwardAct output %d = %v, Forward of the mapped input %v", tc.name, pathNames[path], i, got[i], want[i])
					}
				}
				g1, g2 := NewWeightGrad(tc.cin, tc.rows, tc.k, tc.s, tc.p), NewWeightGrad(tc.cin, tc.rows, tc.k, tc.s, tc.p)
				g1.AddAct(src, dz, tc.n, tc.h, tc.w, act, &ws)
				g2.Add(mapped, dz, tc.n, tc.h, tc.w, &ws)
				dw1, dw2 := make([]float32, len(w)), make([]float32, len(w))
				g1.Sum(dw1)
				g2.Sum(dw2)
				for i := range dw1 {
					if dw1[i] != dw2[i] {
						t.Fatalf("%s (path=%s): AddAct gradient %d = %v, Add of the mapped input %v", tc.name, pathNames[path], i, dw1[i], dw2[i])
					}
				}
			}
		}
	})
}

// TestDirectStacking checks which direct-path layouts stack images (see geom): the stride-2 convs
// whose outputs would leave most of their last 64-output block empty, never more than n images,
// and not the 32×32 stride-1 ones, whose 32·34 outputs fill 17 blocks exactly.
func TestDirectStacking(t *testing.T) {
	for _, tc := range []struct {
		rows, cin, h, k, s, n, want int
	}{
		{12, 32, 16, 3, 2, 16, 6}, // 8×8 outputs: 72 positions in 128, 81 apart stacked
		{12, 32, 16, 3, 2, 4, 4},
		{6, 16, 32, 3, 2, 16, 3}, // 16×16 outputs: 272 in 320, 289 apart
		{3, 16, 32, 3, 1, 16, 1},
		{32, 16, 32, 1, 2, 16, 1}, // 1×1: 256 outputs, whole blocks
	} {
		c := NewConv(make([]float32, tc.rows*tc.cin*tc.k*tc.k), tc.rows, tc.cin, tc.k, tc.s, tc.k/2)
		if g := c.geom(tc.n, tc.h, tc.h, nil); g.imgs != tc.want {
			t.Errorf("%d→%d k%d s%d at %d×%d, n = %d: %d images stacked, want %d", tc.cin, tc.rows, tc.k, tc.s, tc.h, tc.h, tc.n, g.imgs, tc.want)
		}
	}
}
