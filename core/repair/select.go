package repair

import (
	"errors"
	"math"
	"slices"
	"sync"

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
// (λ = ridge × the mean diagonal of all candidates' G) found by coordinate descent from the
// all-centroid choice: each cluster in turn takes the candidate that lowers err most, until a sweep
// changes nothing (at most selectSweeps sweeps). A cluster's candidates are compared through the
// Schur complement of the other channels' columns (see channelErrs), factorised once per cluster.
const selectSweeps = 3

// selectReps rewrites the pruned block b's conv1 rows and bn1 entries with the chosen candidates
// (see above). l is the plan of b's conv1, ob the original block, xo its input on the first n
// calibration images (h×w maps) and tg the original conv2 outputs at the sampled positions (of at
// least n images), of which the choice uses at most positions per image (see target.subset).
func (c *Calibration) selectReps(b, ob *resnet.Block, l *prune.LayerPlan, xo []float32, n, h, w int, tg *target, positions int, ridge float64, bufs *buffers) error {
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
	z, ho, wo := c.convRaw(&cc, xo, n, h, w, bufs)
	defer bufs.put(z)
	hw := ho * wo
	cen := resnet.BatchNorm{Gamma: cc.BN.Gamma, Beta: cc.BN.Beta, Mean: slices.Clone(cc.BN.Mean), Var: slices.Clone(cc.BN.Var)}
	setStats(&cen, z, n, nc, hw, c.threads) // the centroids' statistics on the original input
	for i, cd := range cands {
		if cd.member < 0 {
			cc.BN.Mean[i], cc.BN.Var[i] = cen.Mean[i], cen.Var[i]
		}
	}
	c.applyBN(&cc, z, n, hw, true)
	// Normal equations over all candidates' patches (conv2's geometry).
	g2 := resnet.ConvBN{Cin: nc, Cout: ob.Conv2.Cout, K: ob.Conv2.K, Stride: ob.Conv2.Stride}
	sub := tg.subset(n, positions)
	kk := g2.K * g2.K
	d := nc*kk + 1
	nm := c.normals(&g2, z, ho, wo, sub, n, d, true, nil)
	// λ is fixed for the block: ridge times the mean diagonal of all the candidates' G.
	var tr float64
	for i := range d {
		tr += nm.g[i*d+i]
	}
	lambda := ridge * tr / float64(d)
	choice := make([]int, len(order))
	for j := range order {
		choice[j] = first[j]
	}
	for range selectSweeps {
		changed := false
		for j := range order {
			errs, err := channelErrs(nm, d, kk, tg.cout, lambda, choice, j, first[j], first[j+1], c.threads)
			if err != nil {
				return err
			}
			if errs == nil { // the other channels' equations are singular: keep this one
				continue
			}
			cur := errs[choice[j]-first[j]]
			best := choice[j]
			for k, e := range errs {
				if e < errs[best-first[j]]-1e-9*math.Abs(cur) {
					best = first[j] + k
				}
			}
			if best != choice[j] {
				choice[j], changed = best, true
			}
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

// subset returns the target's rows of its first n images, at most p positions each (0: all), spread
// evenly over each image's sampled positions.
func (tg *target) subset(n, p int) *target {
	sub := &target{pos: tg.pos[:n], cout: tg.cout}
	rows := 0
	for _, ps := range sub.pos {
		rows += len(ps)
	}
	if p <= 0 || !slices.ContainsFunc(sub.pos, func(ps []int32) bool { return len(ps) > p }) {
		sub.y = tg.y[:rows*tg.cout]
		return sub
	}
	sub.pos = make([][]int32, n)
	keep := 0
	for _, ps := range tg.pos[:n] {
		keep += min(p, len(ps))
	}
	sub.y = make([]float64, 0, keep*tg.cout)
	row := 0
	for img, ps := range tg.pos[:n] {
		for k := range min(p, len(ps)) {
			i := k * len(ps) / min(p, len(ps))
			sub.pos[img] = append(sub.pos[img], ps[i])
			sub.y = append(sub.y, tg.y[(row+i)*tg.cout:(row+i+1)*tg.cout]...)
		}
		row += len(ps)
	}
	return sub
}

// channelErrs returns err (up to the constant Σ y²) of the choice with channel j's candidate set to
// each of lo…hi-1 in turn, the other channels as chosen. With F the other channels' columns and the
// intercept (factorised once), and C a candidate's kk columns,
//
//	err = −R_Fᵀ G_FF⁻¹ R_F − vᵀ S⁻¹ v,   S = G_CC − G_CF G_FF⁻¹ G_FC,   v = R_C − G_CF G_FF⁻¹ R_F,
//
// all G with λ added to their diagonal: the same value as solving the whole choice's equations.
// It returns nil errs when G_FF is not positive definite. threads goroutines share the candidates.
func channelErrs(nm normal, d, kk, cout int, lambda float64, choice []int, j, lo, hi, threads int) ([]float64, error) {
	var idx []int
	for l, ci := range choice {
		if l != j {
			for t := range kk {
				idx = append(idx, ci*kk+t)
			}
		}
	}
	idx = append(idx, d-1)
	m := len(idx)
	gf := mat.NewSymDense(m, nil)
	rf := mat.NewDense(m, cout, nil)
	for a, ia := range idx {
		for b := a; b < m; b++ {
			gf.SetSym(a, b, nm.g[ia*d+idx[b]])
		}
		gf.SetSym(a, a, gf.At(a, a)+lambda)
		for o := range cout {
			rf.Set(a, o, nm.r[ia*cout+o])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(gf) {
		return nil, nil
	}
	var w mat.Dense // G_FF⁻¹ R_F
	if err := chol.SolveTo(&w, rf); err != nil {
		return nil, err
	}
	var base float64
	for a := range m {
		for o := range cout {
			base += rf.At(a, o) * w.At(a, o)
		}
	}
	errs := make([]float64, hi-lo)
	fails := make([]error, hi-lo)
	// The candidates in parallel: each reads the factorisation and writes its own errs entry.
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(threads, hi-lo)) {
		wg.Go(func() {
			gfc := mat.NewDense(m, kk, nil)
			scc := mat.NewSymDense(kk, nil)
			rc := mat.NewDense(kk, cout, nil)
			var q, bq, bw, sol mat.Dense
			var sc mat.Cholesky
			for ci := range next {
				for a, ia := range idx {
					for t := range kk {
						gfc.Set(a, t, nm.g[ia*d+ci*kk+t])
					}
				}
				if err := chol.SolveTo(&q, gfc); err != nil {
					fails[ci-lo] = err
					continue
				}
				bq.Mul(gfc.T(), &q)
				bw.Mul(gfc.T(), &w)
				for t := range kk {
					c := ci*kk + t
					for u := t; u < kk; u++ {
						scc.SetSym(t, u, nm.g[c*d+ci*kk+u]-bq.At(t, u))
					}
					scc.SetSym(t, t, scc.At(t, t)+lambda)
					for o := range cout {
						rc.Set(t, o, nm.r[c*cout+o]-bw.At(t, o))
					}
				}
				if !sc.Factorize(scc) {
					errs[ci-lo] = math.Inf(1)
					continue
				}
				if err := sc.SolveTo(&sol, rc); err != nil {
					fails[ci-lo] = err
					continue
				}
				e := -base
				for t := range kk {
					for o := range cout {
						e -= rc.At(t, o) * sol.At(t, o)
					}
				}
				errs[ci-lo] = e
			}
		})
	}
	for ci := lo; ci < hi; ci++ {
		next <- ci
	}
	close(next)
	wg.Wait()
	return errs, errors.Join(fails...)
}
