package resnet

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
)

// randomNet returns a Net of the given arch with seeded random weights and BN statistics.
func randomNet(t testing.TB, arch Arch, seed uint64) *Net {
	n, err := New(arch)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, c := range n.Convs() {
		std := math.Sqrt(2 / float64(c.FilterLen()))
		for i := range c.W {
			c.W[i] = float32(rng.NormFloat64() * std)
		}
		for i := range c.Cout {
			c.BN.Gamma[i] = float32(0.5 + rng.Float64())
			c.BN.Beta[i] = float32(rng.NormFloat64() * 0.1)
			c.BN.Mean[i] = float32(rng.NormFloat64() * 0.1)
			c.BN.Var[i] = float32(0.5 + rng.Float64())
		}
	}
	for i := range n.FCW {
		n.FCW[i] = float32(rng.NormFloat64() * 0.1)
	}
	for i := range n.FCB {
		n.FCB[i] = float32(rng.NormFloat64() * 0.1)
	}
	return n
}

// referenceForward runs one image through n the slow, literal way (float64 BN, no folding): the
// ground truth for Engine.
func referenceForward(n *Net, x []float32) []float32 {
	convbn := func(c *ConvBN, in []float32, h, w int, relu bool) ([]float32, int, int) {
		ho, wo := c.OutSize(h, w)
		rows := c.Rows()
		z := make([]float32, rows*ho*wo)
		kernels.ReferenceConv(z, in, c.W, 1, c.Cin, h, w, rows, c.K, c.Stride, c.K/2)
		out := make([]float32, c.Cout*ho*wo)
		for ch := range c.Cout {
			r := ch
			if c.Assign != nil {
				r = int(c.Assign[ch])
			}
			inv := 1 / math.Sqrt(float64(c.BN.Var[ch])+BNEps)
			for p := range ho * wo {
				v := float64(z[r*ho*wo+p])
				if c.Bias != nil {
					v += float64(c.Bias[r])
				}
				v = (v-float64(c.BN.Mean[ch]))*inv*float64(c.BN.Gamma[ch]) + float64(c.BN.Beta[ch])
				if relu {
					v = max(v, 0)
				}
				out[ch*ho*wo+p] = float32(v)
			}
		}
		return out, ho, wo
	}
	cur, h, w := convbn(&n.Stem, x, 32, 32, true)
	cin := n.Stem.Cout
	for i := range n.Blocks {
		b := &n.Blocks[i]
		t, ho, wo := convbn(&b.Conv1, cur, h, w, true)
		y, _, _ := convbn(&b.Conv2, t, ho, wo, false)
		var s []float32
		switch {
		case b.Shortcut != nil:
			s, _, _ = convbn(b.Shortcut, cur, h, w, false)
		case b.Conv1.Stride == 1 && cin == b.Conv2.Cout:
			s = cur
		default:
			s = make([]float32, b.Conv2.Cout*ho*wo)
			optionA(s, cur, 1, cin, h, w, b.Conv2.Cout, b.Conv1.Stride)
		}
		for j := range y {
			y[j] = max(y[j]+s[j], 0)
		}
		cur, h, w, cin = y, ho, wo, b.Conv2.Cout
	}
	logits := make([]float32, Classes)
	for o := range Classes {
		sum := float64(n.FCB[o])
		for k := range cin {
			var m float64
			for _, v := range cur[k*h*w : (k+1)*h*w] {
				m += float64(v)
			}
			sum += float64(n.FCW[o*cin+k]) * m / float64(h*w)
		}
		logits[o] = float32(sum)
	}
	return logits
}

func randomImages(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, n*3*32*32)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func maxAbsDiff(a, b []float32) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
	}
	return d
}

// shareFilters turns every conv of n into a weight-shared one with k = Cout/2 centroids (the first
// half of its filters) and seeded random assignments and biases: a structural stand-in for method 1.
func shareFilters(n *Net, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 3))
	for _, c := range n.Convs() {
		k := max(1, c.Cout/2)
		c.W = c.W[:k*c.FilterLen()]
		c.Assign = make([]int32, c.Cout)
		c.Bias = make([]float32, k)
		for i := range c.Assign {
			c.Assign[i] = int32(rng.IntN(k))
		}
		for i := range c.Bias {
			c.Bias[i] = float32(rng.NormFloat64() * 0.1)
		}
	}
}

// thinConv1 gives every block's conv1 Cout/5 filters (3, 6, 12) and conv2 as many input channels,
// with seeded random weights and BN: the shapes of method 2 at r = 0.8. With shared, conv1 and
// conv2 instead keep their channels and share Cout/5 centroid filters (method 1's shapes).
func thinConv1(n *Net, seed uint64, shared bool) {
	rng := rand.New(rand.NewPCG(seed, 3))
	random := func(m int, std float64) []float32 {
		v := make([]float32, m)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * std)
		}
		return v
	}
	for i := range n.Blocks {
		b := &n.Blocks[i]
		keep := b.Conv1.Cout / 5
		if shared {
			for _, c := range []*ConvBN{&b.Conv1, &b.Conv2} {
				c.W = random(keep*c.FilterLen(), math.Sqrt(2/float64(c.FilterLen())))
				c.Assign = make([]int32, c.Cout)
				for ch := range c.Assign {
					c.Assign[ch] = int32(rng.IntN(keep))
				}
			}
			continue
		}
		c1, c2 := &b.Conv1, &b.Conv2
		c1.Cout = keep
		c1.W = random(keep*c1.FilterLen(), math.Sqrt(2/float64(c1.FilterLen())))
		c1.BN = BatchNorm{Gamma: random(keep, 0.1), Beta: random(keep, 0.1), Mean: random(keep, 0.1), Var: make([]float32, keep)}
		for ch := range keep {
			c1.BN.Gamma[ch] += 1
			c1.BN.Var[ch] = float32(0.5 + rng.Float64())
		}
		c2.Cin = keep
		c2.W = random(c2.Cout*c2.FilterLen(), math.Sqrt(2/float64(c2.FilterLen())))
	}
}

// TestEngineMatchesReference checks the compiled engine (BN folding, fused epilogues, gathers,
// both shortcut kinds, batching and threads) against the literal forward pass. Tolerance 1e-3 absolute
// on logits of magnitude ~1–10, from float32 accumulation over ~600-term dot products.
func TestEngineMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		name         string
		arch         Arch
		shared, thin bool
	}{
		{"A", ArchA, false, false},
		{"B", ArchB, false, false},
		{"B-shared", ArchB, true, false},
		{"A-shared", ArchA, true, false},
		{"B-thin", ArchB, false, true},
		{"B-shared-thin", ArchB, true, true},
		{"A-thin", ArchA, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := randomNet(t, tc.arch, 7)
			switch {
			case tc.thin:
				thinConv1(n, 9, tc.shared)
			case tc.shared:
				shareFilters(n, 9)
			}
			e, err := Compile(n)
			if err != nil {
				t.Fatal(err)
			}
			const imgs = 21 // not a multiple of Batch
			x := randomImages(imgs, 5)
			got := make([]float32, imgs*Classes)
			e.Run(got, x, imgs, 2, nil)
			for i := range imgs {
				want := referenceForward(n, x[i*3072:(i+1)*3072])
				if d := maxAbsDiff(got[i*Classes:(i+1)*Classes], want); d > 1e-3 {
					t.Fatalf("image %d: logits differ by %g\n got %v\nwant %v", i, d, got[i*Classes:(i+1)*Classes], want)
				}
			}
		})
	}
}

// TestRunReusesWorkers checks that Run keeps its goroutines' Workers between calls: a second Run
// gives the same logits and allocates far less than one Worker's activation buffers (4 × Batch ×
// 16·32·32 floats = 4 MiB), which every Run allocated and faulted in before the pool.
func TestRunReusesWorkers(t *testing.T) {
	e, err := Compile(randomNet(t, ArchB, 3))
	if err != nil {
		t.Fatal(err)
	}
	const imgs = 2 * Batch
	x := randomImages(imgs, 4)
	first := make([]float32, imgs*Classes)
	e.Run(first, x, imgs, 2, nil)
	got := make([]float32, imgs*Classes)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	e.Run(got, x, imgs, 2, nil)
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("second Run allocated %d bytes, want < 1 MiB (Workers reused)", d)
	}
	if !slices.Equal(got, first) {
		t.Error("second Run's logits differ from the first's")
	}
}

// TestCount checks the published sizes: 40,813,184 MACs, 270,896 weights and 272,474 params for
// variant B, 40,551,040 MACs for variant A.
func TestCount(t *testing.T) {
	for _, tc := range []struct {
		arch                  Arch
		macs, weights, params int
	}{
		{ArchB, 40_813_184, 270_896, 272_474},
		{ArchA, 40_551_040, 270_896 - 16*32 - 32*64, 272_474 - 16*32 - 32*64 - 2*(32+64)},
	} {
		n, _ := New(tc.arch)
		ct := n.Count()
		if ct.MACs != tc.macs || ct.Weights != tc.weights || ct.Params != tc.params {
			t.Errorf("arch %s: macs %d weights %d params %d, want %d %d %d", tc.arch, ct.MACs, ct.Weights, ct.Params, tc.macs, tc.weights, tc.params)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(n *Net)
	}{
		{"short weights", func(n *Net) { n.Blocks[0].Conv1.W = n.Blocks[0].Conv1.W[:10] }},
		{"bn length", func(n *Net) { n.Blocks[3].Conv2.BN.Mean = n.Blocks[3].Conv2.BN.Mean[:3] }},
		{"chain", func(n *Net) { n.Blocks[2].Conv2.Cin = 8 }},
		{"assign range", func(n *Net) { c := &n.Stem; c.Assign = make([]int32, c.Cout); c.Assign[3] = 99 }},
		{"negative var", func(n *Net) { n.Stem.BN.Var[0] = -1 }},
		{"nan var", func(n *Net) { n.Stem.BN.Var[0] = float32(math.NaN()) }},
		{"fc", func(n *Net) { n.FCB = n.FCB[:3] }},
	} {
		n, _ := New(ArchB)
		tc.mutate(n)
		if err := n.Validate(); err == nil {
			t.Errorf("%s: Validate accepted a broken net", tc.name)
		}
	}
}

func TestTensorsRoundTrip(t *testing.T) {
	for _, arch := range []Arch{ArchA, ArchB} {
		n := randomNet(t, arch, 3)
		shareFilters(n, 4)
		m, err := FromTensors(n.Clone().Tensors())
		if err != nil {
			t.Fatal(err)
		}
		x := randomImages(2, 1)
		if d := maxAbsDiff(referenceForward(n, x[:3072]), referenceForward(m, x[:3072])); d != 0 {
			t.Fatalf("arch %s: round trip changed logits by %g", arch, d)
		}
		ts := n.Tensors()
		ts["extra.weight"] = ts["conv1.weight"]
		if _, err := FromTensors(ts); err == nil {
			t.Fatalf("arch %s: unknown tensor accepted", arch)
		}
	}
}

// TestLayerwiseMatchesReference checks the unfused layer-by-layer pass used by calibration.
func TestLayerwiseMatchesReference(t *testing.T) {
	for _, arch := range []Arch{ArchA, ArchB} {
		n := randomNet(t, arch, 11)
		shareFilters(n, 2)
		x := randomImages(3, 6)
		y, h, w := n.StemForward(x, 3)
		for i := range n.Blocks {
			y, h, w = n.Blocks[i].Forward(y, 3, n.BlockInput(i), h, w)
		}
		e, err := Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		// Compare the final feature maps through the same pooling + linear head.
		got := make([]float32, 3*Classes)
		var wk Worker
		e.Forward(got, x, 3, &wk)
		for img := range 3 {
			want := referenceForward(n, x[img*3072:(img+1)*3072])
			if d := maxAbsDiff(got[img*Classes:(img+1)*Classes], want); d > 1e-3 {
				t.Fatalf("arch %s image %d: engine vs reference %g", arch, img, d)
			}
			ch := len(n.FCW) / Classes
			for o := range Classes {
				sum := float64(n.FCB[o])
				for k := range ch {
					var m float64
					for _, v := range y[(img*ch+k)*h*w : (img*ch+k+1)*h*w] {
						m += float64(v)
					}
					sum += float64(n.FCW[o*ch+k]) * m / float64(h*w)
				}
				if d := math.Abs(sum - float64(want[o])); d > 1e-3 {
					t.Fatalf("arch %s image %d: layerwise logit %d off by %g", arch, img, o, d)
				}
			}
		}
	}
}
