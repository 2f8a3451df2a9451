package repair

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"gonum.org/v1/gonum/mat"
)

func TestSetStats(t *testing.T) {
	// 2 images × 2 channels × 2 positions.
	z := []float32{1, 3, 10, 10, 5, 7, 10, 14}
	bn := resnet.NewBatchNorm(2)
	setStats(&bn, z, 2, 2, 2, 2)
	// channel 0: 1, 3, 5, 7 → mean 4, biased var 5; channel 1: 10, 10, 10, 14 → mean 11, var 3.
	if bn.Mean[0] != 4 || bn.Var[0] != 5 || bn.Mean[1] != 11 || bn.Var[1] != 3 || bn.Gamma[0] != 1 {
		t.Fatalf("stats %+v", bn)
	}
}

// TestRecalNormalises checks that after recalibration every BN standardises its own input: the stem's
// conv output, normalised with the new statistics, has mean 0 and variance 1 per channel.
func TestRecalNormalises(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 1)
	x := resnettest.RandomImages(6, 2)
	cal, err := NewCalibration(n.Clone(), x, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	m := n.Clone()
	if _, err := cal.Repair(m, Options{Recal: 6}); err != nil {
		t.Fatal(err)
	}
	for bi, b := range m.Blocks {
		if b.Conv1.BN.Mean[0] == n.Blocks[bi].Conv1.BN.Mean[0] {
			t.Fatalf("%s: bn1 mean unchanged", b.Name)
		}
	}
	z, h, w := m.Stem.ConvRaw(x, 6, 32, 32)
	hw := h * w
	for ch := range m.Stem.Cout {
		var s, s2 float64
		for img := range 6 {
			for _, v := range z[(img*16+ch)*hw : (img*16+ch+1)*hw] {
				u := (float64(v) - float64(m.Stem.BN.Mean[ch])) / math.Sqrt(float64(m.Stem.BN.Var[ch]))
				s += u
				s2 += u * u
			}
		}
		cnt := float64(6 * hw)
		if math.Abs(s/cnt) > 1e-4 || math.Abs(s2/cnt-1) > 1e-4 {
			t.Fatalf("channel %d: normalised mean %v, second moment %v", ch, s/cnt, s2/cnt)
		}
	}
}

// TestRefit checks the least-squares refit: on the unpruned network it keeps reproducing the original
// (tiny errors: each refit perturbs the next block's input a little); on pruned networks it lowers
// every block's error.
func TestRefit(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 3)
	const imgs = 8
	x := resnettest.RandomImages(imgs, 4)
	cal, err := NewCalibration(n, x, imgs, 2)
	if err != nil {
		t.Fatal(err)
	}
	same := n.Clone()
	st, err := cal.Repair(same, Options{Refit: imgs, Positions: 64, Ridge: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Layers) != 9 {
		t.Fatalf("%d refitted layers, want 9", len(st.Layers))
	}
	for _, l := range st.Layers {
		if l.Before > 1e-2 || math.Abs(l.After) > 1e-2 || l.After > l.Before+1e-6 || l.Rows != imgs*64 {
			t.Errorf("unpruned %s: relative error %g → %g over %d rows", l.Name, l.Before, l.After, l.Rows)
		}
	}
	for _, tc := range []struct {
		m         prune.Method
		v         prune.Variant
		comp, lin bool
		passes    int
		c1        bool
		short     bool
		sel       bool
	}{
		{prune.Removal, prune.Variant{}, false, false, 0, false, false, false},
		{prune.Removal, prune.Variant{Merge: true}, false, false, 0, false, false, false},
		{prune.Removal, prune.Variant{Merge: true}, true, true, 0, false, false, false},
		{prune.Removal, prune.Variant{Merge: true}, true, false, 2, false, false, false},
		{prune.Removal, prune.Variant{Merge: true}, true, true, 1, true, false, false},
		{prune.Removal, prune.Variant{}, true, false, 1, false, true, false},
		{prune.Removal, prune.Variant{}, true, true, 1, true, true, true},
		{prune.Removal, prune.Variant{}, false, false, 0, false, false, true},
		{prune.Sharing, prune.Variant{}, false, false, 0, false, false, false},
		{prune.Sharing, prune.Variant{Study: true}, true, true, 1, false, false, false},
	} {
		s := prune.Spec{Method: tc.m, Ratio: 0.5, Seed: 1, Variant: tc.v}
		p, err := prune.Cluster(n, s, prune.ClusterOptions{NInit: 2})
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := prune.Apply(n, p, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{Recal: imgs, Refit: imgs, Positions: 64, Compensate: tc.comp, Linear: tc.lin, ReLUPasses: tc.passes, Conv1: tc.c1, Shortcut: tc.short, Select: tc.sel}
		if tc.sel {
			opt.Plan = p
		}
		st, err := cal.Repair(m, opt)
		if err != nil {
			t.Fatal(err)
		}
		if want := 9 + map[bool]int{true: 1}[tc.lin] + map[bool]int{true: 9}[tc.c1]; len(st.Layers) != want {
			t.Fatalf("%d refitted layers, want %d", len(st.Layers), want)
		}
		for _, l := range st.Layers {
			// conv1's first block sees (nearly) the original input: its error may already be ~0.
			c1ok := strings.HasSuffix(l.Name, "conv1") && l.After <= l.Before+1e-6
			if !(l.After < l.Before || c1ok) || l.After < 0 {
				t.Errorf("method %d %s: %s relative error %g → %g", tc.m, tc.v.Name(), l.Name, l.Before, l.After)
			}
		}
		if _, err := resnet.Compile(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cal.Repair(n.Clone(), Options{Refit: imgs + 1}); err == nil {
		t.Error("more images than the calibration holds: no error")
	}
	if _, err := cal.Repair(n.Clone(), Options{Recal: 2, Linear: true}); err == nil {
		t.Error("linear refit without refit: no error")
	}
	if _, err := cal.Repair(n.Clone(), Options{Recal: 2, Conv1: true}); err == nil {
		t.Error("conv1 refit without refit: no error")
	}
	if _, err := cal.Repair(n.Clone(), Options{Refit: 2, ReLUPasses: 1}); err == nil {
		t.Error("ReLU passes without compensation: no error")
	}
	if _, err := cal.Repair(n.Clone(), Options{Refit: 2, Shortcut: true}); err == nil {
		t.Error("joint shortcut refit without compensation: no error")
	}
	if _, err := cal.Repair(n.Clone(), Options{Refit: 2, Select: true}); err == nil {
		t.Error("select without a plan: no error")
	}
	// The joint shortcut refit of the unpruned network keeps reproducing it.
	st, err = cal.Repair(n.Clone(), Options{Refit: imgs, Positions: 64, Ridge: 1e-6, Compensate: true, Shortcut: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Layers {
		if l.Before > 1e-2 || math.Abs(l.After) > 1e-2 {
			t.Errorf("unpruned, joint shortcut: %s relative error %g → %g", l.Name, l.Before, l.After)
		}
	}
}

// TestSelectKeepsCandidates checks the select step: every kept conv1 channel is its cluster's centroid
// or one of its members (then with that member's bn1 entry and index), and the choice is
// deterministic.
func TestSelectKeepsCandidates(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 5)
	const imgs = 6
	x := resnettest.RandomImages(imgs, 6)
	cal, err := NewCalibration(n, x, imgs, 2)
	if err != nil {
		t.Fatal(err)
	}
	v := prune.Variant{Refit: imgs, Select: true}
	p, err := prune.Cluster(n, prune.Spec{Method: prune.Removal, Ratio: 0.5, Seed: 3, Variant: v}, prune.ClusterOptions{NInit: 2})
	if err != nil {
		t.Fatal(err)
	}
	var nets [2]*resnet.Net
	members := 0
	for run := range nets {
		m, _, err := prune.Apply(n, p, v)
		if err != nil {
			t.Fatal(err)
		}
		opt := ForPlan(v, p)
		opt.Positions = 64
		if _, err := cal.Repair(m, opt); err != nil {
			t.Fatal(err)
		}
		nets[run] = m
	}
	for bi := range n.Blocks {
		l := &p.Layers[bi]
		c, o := &nets[0].Blocks[bi].Conv1, &n.Blocks[bi].Conv1
		for j, r := range c.KeptFilter {
			row := c.Filter(j)
			equal := func(src []float64) bool {
				for i, v := range src {
					if row[i] != float32(v) {
						return false
					}
				}
				return true
			}
			cl := l.Labels[r]
			switch {
			case slices.Equal(row, o.Filter(r)) && c.BN.Gamma[j] == o.BN.Gamma[r] && c.BN.Mean[j] == o.BN.Mean[r]:
				members++
			case equal(l.Centroid(cl)) && r == l.Members()[cl][0]:
			default:
				t.Fatalf("%s channel %d (filter %d) is neither its cluster's centroid nor the member", c.Name, j, r)
			}
		}
		if !slices.Equal(c.W, nets[1].Blocks[bi].Conv1.W) {
			t.Fatalf("%s: two runs chose differently", c.Name)
		}
	}
	t.Logf("%d kept channels are members", members)
}

func TestSamplePositions(t *testing.T) {
	a := samplePositions(3, 1024, 256, 0)
	b := samplePositions(3, 1024, 256, 0)
	for img := range a {
		if len(a[img]) != 256 {
			t.Fatalf("%d positions", len(a[img]))
		}
		seen := map[int32]bool{}
		for i, q := range a[img] {
			if q != b[img][i] || seen[q] || q < 0 || q >= 1024 || (i > 0 && q <= a[img][i-1]) {
				t.Fatalf("image %d: positions not distinct, sorted and reproducible", img)
			}
			seen[q] = true
		}
	}
	if all := samplePositions(1, 64, 256, 5); len(all[0]) != 64 || all[0][63] != 63 {
		t.Fatalf("small map not taken whole: %v", all[0])
	}
}

// TestRepairThreadIndependent checks that the repaired weights do not depend on the thread count
// (the normal equations are summed over fixed blocks of images, in order), nor on whether the refit
// targets were computed by this Repair or cached by an earlier one (of another variant).
func TestRepairThreadIndependent(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 7)
	const imgs = normBlock + 3
	x := resnettest.RandomImages(imgs, 8)
	v := prune.Variant{Recal: imgs, Refit: imgs, Select: true, Conv1: true, Comp: true, Short: true, ReLU: true, FC: true}
	p, err := prune.Cluster(n, prune.Spec{Method: prune.Removal, Ratio: 0.5, Seed: 1, Variant: v}, prune.ClusterOptions{NInit: 2})
	if err != nil {
		t.Fatal(err)
	}
	var nets []*resnet.Net
	for run, threads := range []int{1, 3, 2} {
		cal, err := NewCalibration(n, x, imgs, threads)
		if err != nil {
			t.Fatal(err)
		}
		if run == 2 { // the targets from a repair that needs no original block inputs
			w := prune.Variant{Refit: imgs, Comp: true}
			m, _, err := prune.Apply(n, p, w)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cal.Repair(m, Options{Refit: imgs, Compensate: true, Positions: 16}); err != nil {
				t.Fatal(err)
			}
			if cal.cachedTargets(imgs, 16) == nil {
				t.Fatal("targets not cached")
			}
		}
		m, _, err := prune.Apply(n, p, v)
		if err != nil {
			t.Fatal(err)
		}
		opt := ForPlan(v, p)
		opt.Positions = 16
		if _, err := cal.Repair(m, opt); err != nil {
			t.Fatal(err)
		}
		nets = append(nets, m)
	}
	for run := 1; run < len(nets); run++ {
		a, b := nets[0].Convs(), nets[run].Convs()
		for i := range a {
			if !slices.Equal(a[i].W, b[i].W) || !slices.Equal(a[i].BN.Mean, b[i].BN.Mean) {
				t.Errorf("run %d: %s: weights differ from the first run's", run, a[i].Name)
			}
		}
		if !slices.Equal(nets[0].FCW, nets[run].FCW) {
			t.Errorf("run %d: linear layer: weights differ from the first run's", run)
		}
	}
}

// TestChannelErrs checks the select step's Schur-complement errors against solving each choice's
// whole ridge system.
func TestChannelErrs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const kk, nc, cout, rows = 4, 7, 3, 60
	d := nc*kk + 1
	a := mat.NewDense(rows, d, nil)
	y := mat.NewDense(rows, cout, nil)
	for i := range rows {
		for j := range d {
			a.Set(i, j, rng.NormFloat64())
		}
		a.Set(i, d-1, 1)
		for o := range cout {
			y.Set(i, o, rng.NormFloat64())
		}
	}
	var g, r mat.Dense
	g.Mul(a.T(), a)
	r.Mul(a.T(), y)
	nm := normal{g: make([]float64, d*d), r: make([]float64, d*cout)}
	for i := range d {
		for j := range d {
			nm.g[i*d+j] = g.At(i, j)
		}
		for o := range cout {
			nm.r[i*cout+o] = r.At(i, o)
		}
	}
	const lambda = 0.5
	choice := []int{0, 3, 5} // channel 1's candidates are 2, 3, 4
	errs, err := channelErrs(nm, d, kk, cout, lambda, choice, 1, 2, 5, 2)
	if err != nil || len(errs) != 3 {
		t.Fatal(errs, err)
	}
	for k, ci := range []int{2, 3, 4} {
		var idx []int
		for _, c := range []int{choice[0], ci, choice[2]} {
			for u := range kk {
				idx = append(idx, c*kk+u)
			}
		}
		idx = append(idx, d-1)
		m := len(idx)
		gs := mat.NewSymDense(m, nil)
		rs := mat.NewDense(m, cout, nil)
		for p, ip := range idx {
			for q, iq := range idx {
				gs.SetSym(p, q, g.At(ip, iq))
			}
			gs.SetSym(p, p, gs.At(p, p)+lambda)
			for o := range cout {
				rs.Set(p, o, r.At(ip, o))
			}
		}
		var sol mat.Dense
		if err := sol.Solve(gs, rs); err != nil {
			t.Fatal(err)
		}
		want := -mat.Sum(mulElem(rs, &sol))
		if math.Abs(errs[k]-want) > 1e-9*math.Abs(want) {
			t.Errorf("candidate %d: err %v, want %v", ci, errs[k], want)
		}
	}
}

func mulElem(a, b *mat.Dense) *mat.Dense {
	var c mat.Dense
	c.MulElem(a, b)
	return &c
}
