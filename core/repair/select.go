package repair

import (
	"errors"
	"math"
	"slices"

	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"gonum.org/v1/gonum/mat"
)

// Choosing each cluster's kept channel by reconstruction (method 2). In block b the original
// network's conv2 output Y (before bn2) is a linear function of the hidden channels' 3×3 patches.
// Each kept channel j of the pruned conv1 stands for a cluster S_j and may be any of the candidates
// {centroid of S_j} ∪ S_j (a member with its own bn1 entry; the centroid with the first member's γ, β
// and its own statistics). With H the candidates' hidden activations relu(bn1(conv1 x)) on the
// original block input x, the choice c = (c_0…c_{K−1}) is the one whose channels reproduce Y best
// by least squares,
//
//	err(c) = Σ y² − R_cᵀ (G_cc + λI)⁻¹ R_c,   G = AᵀA, R = AᵀY over the candidates' patch columns A,
//
// found by coordinate descent from the all-centroid choice: each cluster in turn takes the candidate
// that lowers err most, until a sweep changes nothing (at most selectSweeps sweeps).
const selectSweeps = 3

// selectReps rewrites the pruned block b's conv1 rows and bn1 entries with the chosen candidates
// (see above). l is the plan of b's conv1, ob the original block, xo its input on the first n
// calibration images (h×w maps) and tg the original conv2 outputs at the sampled positions (of at
// least n images).
func (c *Calibration) selectReps(b, ob *resnet.Block, l *prune.LayerPlan, xo []float32, n, h, w int, tg *target, ridge float64) error {
	members := l.Members()
	var order []int
	for j, m := range members {
		if len(m) > 0 {
			order = append(order, j)
		}
	}
	slices.SortFunc(order, func(a, c int) int { return members[a][0] - members[c][0] })
	c1 := &b.Conv1
	if len(order) != c1.Cout || c1.Assign != nil || c1.Cin != ob.Conv1.Cin {
		return errors.New("pruned conv1 does not match the plan")
	}
	// Candidates: per kept channel, the centroid then the members.
	fl := c1.FilterLen()
	type cand struct {
		j, member int // member −1: the centroid
	}
	var cands []cand
	first := make([]int, len(order)+1) // candidates of channel j: first[j]…first[j+1]-1
	for j, cl := range order {
		first[j] = len(cands)
		cands = append(cands, cand{j, -1})
		for _, m := range members[cl] {
			cands = append(cands, cand{j, m})
		}
	}
	first[len(order)] = len(cands)
	nc := len(cands)
	oc := &ob.Conv1
	cc := resnet.ConvBN{Name: c1.Name, Cin: c1.Cin, Cout: nc, K: c1.K, Stride: c1.Stride, W: make([]float32, nc*fl),
		BN: resnet.BatchNorm{Gamma: make([]float32, nc), Beta: make([]float32, nc), Mean: make([]float32, nc), Var: make([]float32, nc)}}
	for i, cd := range cands {
		dst := cc.W[i*fl : (i+1)*fl]
		if cd.member < 0 {
			for t, v := range l.Centroid(order[cd.j]) {
				dst[t] = float32(v)
			}
			r := members[order[cd.j]][0]
			cc.BN.Gamma[i], cc.BN.Beta[i] = oc.BN.Gamma[r], oc.BN.Beta[r]
		} else {
			m := cd.member
			copy(dst, oc.Filter(m))
			cc.BN.Gamma[i], cc.BN.Beta[i], cc.BN.Mean[i], cc.BN.Var[i] = oc.BN.Gamma[m], oc.BN.Beta[m], oc.BN.Mean[m], oc.BN.Var[m]
		}
	}
	z, ho, wo := c.convRaw(&cc, xo, n, h, w)
	hw := ho * wo
	cen := resnet.BatchNorm{Gamma: cc.BN.Gamma, Beta: cc.BN.Beta, Mean: slices.Clone(cc.BN.Mean), Var: slices.Clone(cc.BN.Var)}
	setStats(&cen, z, n, nc, hw) // the centroids' statistics on the original input
	for i, cd := range cands {
		if cd.member < 0 {
			cc.BN.Mean[i], cc.BN.Var[i] = cen.Mean[i], cen.Var[i]
		}
	}
	cc.ApplyBN(z, n, hw, true)
	// Normal equations over all candidates' patches (conv2's geometry).
	g2 := resnet.ConvBN{Cin: nc, Cout: ob.Conv2.Cout, K: ob.Conv2.K, Stride: ob.Conv2.Stride}
	sub := &target{pos: tg.pos[:n], cout: tg.cout}
	rows := 0
	for _, p := range sub.pos {
		rows += len(p)
	}
	sub.y = tg.y[:rows*tg.cout]
	kk := g2.K * g2.K
	d := nc*kk + 1
	nm := c.normals(&g2, z, ho, wo, sub, n, d, true, nil)
	// err of a choice (candidate index per channel), up to the constant Σ y².
	cost := func(choice []int) float64 {
		var idx []int
		for _, ci := range choice {
			for t := range kk {
				idx = append(idx, ci*kk+t)
			}
		}
		idx = append(idx, d-1)
		m := len(idx)
		gs := mat.NewSymDense(m, nil)
		var tr float64
		for a, ia := range idx {
			for bb := a; bb < m; bb++ {
				gs.SetSym(a, bb, nm.g[ia*d+idx[bb]])
			}
			tr += nm.g[ia*d+ia]
		}
		lambda := ridge * tr / float64(m)
		for a := range m {
			gs.SetSym(a, a, gs.At(a, a)+lambda)
		}
		rs := mat.NewDense(m, tg.cout, nil)
		for a, ia := range idx {
			for o := range tg.cout {
				rs.Set(a, o, nm.r[ia*tg.cout+o])
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(gs) {
			return math.Inf(1)
		}
		var sol mat.Dense
		if err := chol.SolveTo(&sol, rs); err != nil {
			return math.Inf(1)
		}
		var e float64
		for a := range m {
			for o := range tg.cout {
				e -= rs.At(a, o) * sol.At(a, o)
			}
		}
		return e
	}
	choice := make([]int, len(order))
	for j := range order {
		choice[j] = first[j]
	}
	best := cost(choice)
	for range selectSweeps {
		changed := false
		for j := range order {
			cur := choice[j]
			for ci := first[j]; ci < first[j+1]; ci++ {
				if ci == cur {
					continue
				}
				choice[j] = ci
				if e := cost(choice); e < best-1e-9*math.Abs(best) {
					best, cur, changed = e, ci, true
				}
			}
			choice[j] = cur
		}
		if !changed {
			break
		}
	}
	for j, ci := range choice {
		copy(c1.W[j*fl:(j+1)*fl], cc.W[ci*fl:(ci+1)*fl])
		c1.BN.Gamma[j], c1.BN.Beta[j], c1.BN.Mean[j], c1.BN.Var[j] = cc.BN.Gamma[ci], cc.BN.Beta[ci], cc.BN.Mean[ci], cc.BN.Var[ci]
		if m := cands[ci].member; m >= 0 && c1.KeptFilter != nil {
			c1.KeptFilter[j] = m
		}
	}
	return nil
}
