package prune

import (
	"slices"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Method 2, channel removal. In block b with conv1 filters w_0…w_{C−1} clustered into K clusters
// S_0…S_{K−1}, ordered by their first (smallest) member, one channel per cluster survives:
//
//	representative  r_j = min S_j (centroid), argmax_{m∈S_j} ‖w_m‖ (norm), argmin_{m∈S_j} ‖w_m − μ_j‖ (closest)
//	conv1 filter    w'_j = μ_j (centroid) or w_{r_j}
//	bn1 entry       γ'_j, β'_j, mean'_j, var'_j = those of r_j   (study: mean' = 0, var' = 1)
//	conv2 input     W2'[:, j] = W2[:, r_j]                        (merge: Σ_{m∈S_j} W2[:, m])
//
// Merging assumes every member's activation is close to the representative's, relu(bn1(w_m * x)) ≈
// relu(bn1(w'_j * x)), so conv2's sum over the removed inputs Σ_m W2[:,m]·a_m ≈ (Σ_m W2[:,m])·a_{r_j}.
// conv2's outputs, bn2 and the shortcut are untouched: the block's output keeps its width.

// removeChannels rewrites block b from conv1's LayerPlan as method 2 does and returns the number of
// empty clusters that were dropped (K-Means can, rarely, leave one).
func removeChannels(b *resnet.Block, l *LayerPlan, v Variant) (dropped int) {
	members := l.Members()
	var order []int // cluster ids that have members, by first member
	for j, m := range members {
		if len(m) > 0 {
			order = append(order, j)
		} else {
			dropped++
		}
	}
	slices.SortFunc(order, func(a, c int) int { return members[a][0] - members[c][0] })

	c1, c2 := &b.Conv1, &b.Conv2
	k := len(order)
	fl := c1.FilterLen()
	w1 := make([]float32, k*fl)
	bn := resnet.BatchNorm{Gamma: make([]float32, k), Beta: make([]float32, k), Mean: make([]float32, k), Var: make([]float32, k)}
	kk := c2.K * c2.K
	w2 := make([]float32, c2.Cout*k*kk)
	kept := make([]int, k)
	for j, cl := range order {
		r := representative(l, cl, members[cl], v.Rep)
		var src []float64
		if r >= 0 {
			src = l.Point(r)
		} else { // centroid: the first member stands for the cluster
			r = members[cl][0]
			src = l.Centroid(cl)
		}
		kept[j] = r
		for t, x := range src {
			w1[j*fl+t] = float32(x)
		}
		bn.Gamma[j], bn.Beta[j] = c1.BN.Gamma[r], c1.BN.Beta[r]
		bn.Mean[j], bn.Var[j] = c1.BN.Mean[r], c1.BN.Var[r]
		if v.Study { // the study's second defect: the new BatchNorm2d lost the running statistics
			bn.Mean[j], bn.Var[j] = 0, 1
		}
		inputs := []int{r}
		if v.Merge {
			inputs = members[cl]
		}
		for o := range c2.Cout {
			dst := w2[(o*k+j)*kk : (o*k+j+1)*kk]
			for _, m := range inputs {
				for t, x := range c2.W[(o*c2.Cin+m)*kk : (o*c2.Cin+m+1)*kk] {
					dst[t] += x
				}
			}
		}
	}
	c1.W, c1.BN, c1.Cout, c1.KeptFilter = w1, bn, k, kept
	c2.W, c2.Cin = w2, k
	return dropped
}
