package prune

import (
	"math"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
)

// logits runs n's Engine on x.
func logits(t testing.TB, n *resnet.Net, x []float32) []float32 {
	t.Helper()
	e, err := resnet.Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	m := len(x) / (3 * 32 * 32)
	out := make([]float32, m*resnet.Classes)
	e.Run(out, x, m, 1, nil)
	return out
}

func assertClose(t testing.TB, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("%s: value %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func prune(t testing.TB, n *resnet.Net, s Spec) (*resnet.Net, *Plan, []string) {
	t.Helper()
	p, err := Cluster(n, s, ClusterOptions{NInit: 3})
	if err != nil {
		t.Fatal(err)
	}
	m, notes, err := Apply(n, p, s.Variant)
	if err != nil {
		t.Fatal(err)
	}
	return m, p, notes
}

func TestClusters(t *testing.T) {
	for _, tc := range []struct {
		c     int
		ratio float64
		want  int
	}{
		{16, 0, 16}, {16, 0.5, 8}, {16, 0.7, 4}, {16, 0.8, 3}, {32, 0.8, 6}, {64, 0.9, 6}, {16, 0.95, 0}, {64, 0.3, 44},
	} {
		if got := Clusters(tc.c, tc.ratio); got != tc.want {
			t.Errorf("Clusters(%d, %v) = %d, want %d", tc.c, tc.ratio, got, tc.want)
		}
	}
}

func TestTooManyClustersRemoved(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 1)
	_, err := Cluster(n, Spec{Method: Removal, Ratio: 0.95}, ClusterOptions{})
	if err == nil || !strings.Contains(err.Error(), "layer1.conv1") || !strings.Contains(err.Error(), "= 0 clusters") {
		t.Fatalf("ratio 0.95: error %v, want one naming layer1.conv1 and 0 clusters", err)
	}
}

func TestRatioZeroUnchanged(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 1)
	for _, m := range []Method{Sharing, Removal} {
		p, notes := func() (*resnet.Net, []string) {
			pr, _, notes := prune(t, n, Spec{Method: m, Ratio: 0})
			return pr, notes
		}()
		for i, c := range p.Convs() {
			orig := n.Convs()[i]
			if c.Assign != nil || len(c.W) != len(orig.W) {
				t.Fatalf("method %d: %s changed at ratio 0", m, c.Name)
			}
			if i > 0 && (c.Name == orig.Name) && strings.HasSuffix(c.Name, "conv1") && !c.Unchanged {
				t.Errorf("method %d: %s not marked Unchanged", m, c.Name)
			}
		}
		if len(notes) == 0 || !strings.Contains(notes[0], "unchanged") {
			t.Errorf("method %d: notes %q do not mention unchanged layers", m, notes)
		}
	}
}

// TestMethod1MatchesExpandedFilters checks that the shared network computes what a dense network
// whose every filter is replaced by its centroid computes.
func TestMethod1MatchesExpandedFilters(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 2)
	x := resnettest.RandomImages(2, 3)
	for _, v := range []Variant{{}, {Study: true}, {Rep: RepNorm}, {Rep: RepClosest}, {PCA: 4}} {
		m, p, _ := prune(t, n, Spec{Method: Sharing, Ratio: 0.5, Seed: 5, Variant: v})
		dense := m.Clone()
		for _, c := range dense.Convs() {
			if c.Assign == nil {
				continue
			}
			fl := c.FilterLen()
			w := make([]float32, c.Cout*fl)
			var bias []float32
			for ch, a := range c.Assign {
				copy(w[ch*fl:(ch+1)*fl], c.Filter(int(a)))
				if c.Bias != nil {
					bias = append(bias, c.Bias[a])
				}
			}
			c.W, c.Assign, c.Bias = w, nil, bias
		}
		for _, l := range p.Layers {
			c := m.Convs()[l.Conv]
			if c.Rows() != Clusters(c.Cout, 0.5) || len(c.Assign) != c.Cout {
				t.Fatalf("%s: %s has %d rows / %d labels", v.Name(), c.Name, c.Rows(), len(c.Assign))
			}
			if v.Study != (c.Bias != nil) {
				t.Fatalf("%s: %s bias %v", v.Name(), c.Name, c.Bias != nil)
			}
			bound := float32(1 / math.Sqrt(float64(c.FilterLen())))
			for _, b := range c.Bias {
				if b < -bound || b > bound {
					t.Fatalf("%s: bias %v outside ±%v", c.Name, b, bound)
				}
			}
			if v.PCA > 0 { // centroids are member means in the original space
				for j, mem := range l.Members() {
					for d := range l.D {
						var s float64
						for _, i := range mem {
							s += l.Point(i)[d]
						}
						if len(mem) > 0 && math.Abs(s/float64(len(mem))-l.Centroid(j)[d]) > 1e-12 {
							t.Fatalf("%s: centroid %d is not its members' mean", l.Name, j)
						}
					}
				}
			}
		}
		assertClose(t, v.Name(), logits(t, m, x), logits(t, dense, x), 1e-4)
	}
}

// TestMethod2MatchesExpandedNetwork checks channel removal against the original-width network in
// which every member of a cluster computes exactly what the kept channel computes: same conv1 filter,
// same bn1 entry. With merging, the two must agree; without merging, the original network must also
// ignore the removed members (their conv2 input weights zeroed).
func TestMethod2MatchesExpandedNetwork(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 3)
	x := resnettest.RandomImages(2, 4)
	for _, v := range []Variant{{}, {Merge: true}, {Rep: RepNorm}, {Rep: RepClosest, Merge: true}, {Study: true, Merge: true}, {PCA: 3}} {
		m, p, _ := prune(t, n, Spec{Method: Removal, Ratio: 0.6, Seed: 9, Variant: v})
		exp := n.Clone()
		for bi, l := range p.Layers {
			b, pb := &exp.Blocks[bi], &m.Blocks[bi]
			if pb.Conv1.Cout != Clusters(16<<(bi/3), 0.6) || pb.Conv2.Cin != pb.Conv1.Cout || len(pb.Conv1.KeptFilter) != pb.Conv1.Cout {
				t.Fatalf("%s: %s kept %d channels", v.Name(), l.Name, pb.Conv1.Cout)
			}
			first := -1
			for j, r := range pb.Conv1.KeptFilter {
				if l.Labels[r] < 0 || (v.Rep == "" && r < first) {
					t.Fatalf("%s: %s kept channels %v not ordered by first member", v.Name(), l.Name, pb.Conv1.KeptFilter)
				}
				first = r
				keep := map[int]bool{}
				for i, lab := range l.Labels {
					if lab != l.Labels[r] {
						continue
					}
					copy(b.Conv1.Filter(i), pb.Conv1.Filter(j))
					b.Conv1.BN.Gamma[i], b.Conv1.BN.Beta[i] = pb.Conv1.BN.Gamma[j], pb.Conv1.BN.Beta[j]
					b.Conv1.BN.Mean[i], b.Conv1.BN.Var[i] = pb.Conv1.BN.Mean[j], pb.Conv1.BN.Var[j]
					keep[i] = v.Merge || i == r
				}
				for i, k := range keep {
					if k {
						continue
					}
					for o := range b.Conv2.Cout {
						clear(b.Conv2.W[(o*b.Conv2.Cin+i)*9 : (o*b.Conv2.Cin+i+1)*9])
					}
				}
			}
		}
		if v.Study && m.Blocks[0].Conv1.BN.Var[0] != 1 {
			t.Fatalf("study variant kept bn1 running_var")
		}
		assertClose(t, v.Name(), logits(t, m, x), logits(t, exp, x), 1e-4)
	}
}

func TestKernels(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 4)
	// A high ratio keeps K-Means over the 9,216 kernels of a 64×64 layer quick (k = 276).
	m, p, notes := prune(t, n, Spec{Method: Sharing, Ratio: 0.97, Seed: 1, Variant: Variant{Kernels: true}})
	for _, l := range p.Layers {
		c := m.Convs()[l.Conv]
		if c.Assign != nil || c.Rows() != c.Cout {
			t.Fatalf("%s: kernel clustering changed the layer's shape", c.Name)
		}
		distinct := map[[9]float32]bool{}
		kk := c.K * c.K
		for i := 0; i < len(c.W); i += kk {
			var k [9]float32
			copy(k[:], c.W[i:i+kk])
			distinct[k] = true
		}
		if len(distinct) > l.K || l.K != Clusters(c.Cout*c.Cin, 0.97) {
			t.Fatalf("%s: %d distinct kernels for %d clusters", c.Name, len(distinct), l.K)
		}
	}
	acc := Account(m, p)
	tot := acc[len(acc)-1]
	dense := n.Count()
	if tot.MACs != dense.MACs || tot.Bytes >= dense.Bytes/2 {
		t.Errorf("kernels: MACs %d (dense %d), bytes %d (dense %d)", tot.MACs, dense.MACs, tot.Bytes, dense.Bytes)
	}
	if !strings.Contains(strings.Join(notes, ";"), "no speed-up") {
		t.Errorf("notes %q do not say kernel clustering gives no speed-up", notes)
	}
}

func TestAccount(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 5)
	full := n.Count()
	for _, m := range []Method{Sharing, Removal} {
		pr, p, _ := prune(t, n, Spec{Method: m, Ratio: 0.5, Seed: 1})
		acc := Account(pr, p)
		tot := acc[len(acc)-1]
		ct := pr.Count()
		if tot.Params != ct.Params || tot.MACs != ct.MACs || tot.Weights != ct.Weights || tot.Bytes != ct.Bytes {
			t.Errorf("method %d: totals %+v differ from Count %+v", m, tot, ct)
		}
		if tot.MACs >= full.MACs*3/4 || tot.Weights >= full.Weights*3/4 {
			t.Errorf("method %d at 0.5: MACs %d of %d, weights %d of %d", m, tot.MACs, full.MACs, tot.Weights, full.Weights)
		}
		for _, l := range acc {
			if l.Name == "layer1.conv1" && (l.Clusters != 8 || l.Original != 16 || l.Hash == "") {
				t.Errorf("method %d: %+v", m, l)
			}
		}
	}
}
