package demo

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/kmeans"
	"github.com/resnet20-pruning/resnet20-pruning/core/pca"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// Layer returns the view of layer name for a run: the plan's clustering when the method clusters
// that layer, else an illustrative clustering with the same k and seed. pruned may be nil (then
// Kept is empty).
func (s *Session) Layer(name string, sp variant.Spec, plan *prune.Plan, pruned *resnet.Net) (*LayerView, error) {
	ci, ok := s.Conv(name)
	if !ok {
		return nil, fmt.Errorf("no layer %q in this %s-variant model", name, s.Orig.Arch)
	}
	c := s.Orig.Convs()[ci.Index]
	v := &LayerView{ConvInfo: ci, W: c.W}
	var lp *prune.LayerPlan
	if plan != nil {
		for i := range plan.Layers {
			if plan.Layers[i].Name == name {
				lp = &plan.Layers[i]
			}
		}
	}
	kernels := sp.Variant.Kernels
	var cent64 []float64 // the centroids before rounding to float32
	x := make([]float64, len(c.W))
	for i, w := range c.W {
		x[i] = float64(w)
	}
	n, d := c.Cout, c.FilterLen()
	if kernels {
		n, d = c.Cout*c.Cin, c.K*c.K
	}
	v.N, v.D, v.Kernels = n, d, kernels
	k := prune.Clusters(n, sp.Ratio)
	seed := prune.LayerSeed(sp.Seed, ci.Index)
	clusters := ci.Role == "conv1" || (sp.Method == variant.Sharing && ci.Role != "stem")
	if lp != nil {
		v.Clustered, v.Unchanged, v.Clusters, seed = true, lp.Unchanged, lp.K, lp.Seed
		if !lp.Unchanged {
			v.Labels, cent64 = lp.Labels, lp.Centroids
			v.Centroids = f32(lp.Centroids)
			v.Hash = fmt.Sprintf("%016x", lp.Hash)
		}
	} else if clusters {
		// No plan yet: this layer's own K-Means below is the pruning's (same points, k, seed and
		// options), so the view can be shown before the whole network is clustered.
		v.Clustered = true
		if k < 1 {
			return nil, fmt.Errorf("prune: %s: ratio %v leaves int(%d × (1−%v)) = %d clusters; at least 1 is needed", name, sp.Ratio, n, sp.Ratio, k)
		}
		v.Clusters = min(k, n)
		v.Unchanged = k >= n
	} else {
		switch {
		case ci.Role == "stem":
			v.Note = "The stem is never pruned; its clustering is shown as an illustration only."
		default:
			v.Note = fmt.Sprintf("Method %d does not prune %s layers; their clustering is shown as an illustration only.", sp.Method, ci.Role)
		}
		k = max(k, 1)
		v.Clusters = min(k, n)
		v.Unchanged = k >= n
	}
	if v.Unchanged {
		if v.Note == "" {
			v.Note = fmt.Sprintf("Ratio %v keeps int(%d × (1 − %v)) ≥ %d clusters: this layer is left as it is.", sp.Ratio, n, sp.Ratio, n)
		}
		v.Labels = make([]int, n)
		for i := range v.Labels {
			v.Labels[i] = i
		}
		v.Centroids = f32(x)
	}

	// The animation: the same K-Means (same points, k, seed, options), with its history recorded,
	// on the PCA space the variant clusters in, projected on the first two components. Both are
	// cached per layer (and k, seed, PCA), so that moving the slider back is instant.
	pcaD := 0
	if sp.Variant.PCA > 0 {
		pcaD = min(sp.Variant.PCA, d, n)
	}
	p2, err := cached(s, viewKey{layer: name, kernels: kernels, k: -1}, func() (*pca2, error) {
		y, b, err := pca.Fit(x, n, d, min(2, d, n))
		return &pca2{y, b}, err
	})
	if err != nil {
		return nil, err
	}
	basis2 := p2.basis
	v.Points2 = pad2(p2.y, n, min(2, d, n))
	if v.Unchanged {
		if pruned != nil && sp.Method == variant.Removal && ci.Role == "conv1" {
			v.Kept = pruned.Blocks[ci.Block].Conv1.KeptFilter
		}
		v.Steps = []Step2{{Labels: v.Labels, Centroids2: v.Points2}}
		v.AnimSame = true
		return v, nil
	}
	r, err := s.fit(name, x, n, d, kernels, pcaD, v.Clusters, seed)
	if err != nil {
		return nil, err
	}
	sd := d
	if pcaD > 0 {
		sd = pcaD
	}
	if v.Labels == nil { // illustration: this run is the clustering
		v.Labels = r.Labels
		cent64 = r.Centroids
		if pcaD > 0 {
			cent64 = memberMeans(x, n, d, r.Labels, v.Clusters)
		}
		v.Centroids = f32(cent64)
		v.Hash = fmt.Sprintf("%016x", kmeans.Hash(r))
	}
	v.AnimSame = fmt.Sprintf("%016x", kmeans.Hash(r)) == v.Hash
	if sp.Method == variant.Removal && ci.Role == "conv1" && v.Clustered {
		if pruned == nil {
			// Which filter survives in each cluster is prune.Apply's decision: apply a plan that
			// clusters only this layer (the others left as they are) and read it back.
			if pruned, err = s.applyOne(sp, ci, x, v, cent64); err != nil {
				return nil, err
			}
		}
		v.Kept = pruned.Blocks[ci.Block].Conv1.KeptFilter
	}
	for _, st := range r.History {
		c2 := make([]float64, v.Clusters*2)
		for j := range v.Clusters {
			cj := st.Centroids[j*sd : (j+1)*sd]
			if pcaD > 0 { // PCA coordinates: the first two are the 2-D view's (same SVD)
				c2[2*j] = cj[0]
				if sd > 1 {
					c2[2*j+1] = cj[1]
				}
				continue
			}
			p := basis2.Project(cj)
			c2[2*j] = p[0]
			if len(p) > 1 {
				c2[2*j+1] = p[1]
			}
		}
		v.Steps = append(v.Steps, Step2{Labels: st.Labels, Centroids2: c2, Inertia: st.Inertia})
	}
	return v, nil
}

func f32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// pad2 widens n×d coordinates (d ≤ 2) to n×2.
func pad2(y []float64, n, d int) []float64 {
	if d == 2 {
		return y
	}
	out := make([]float64, 2*n)
	for i := range n {
		for j := range d {
			out[2*i+j] = y[i*d+j]
		}
	}
	return out
}

func memberMeans(x []float64, n, d int, labels []int, k int) []float64 {
	c := make([]float64, k*d)
	counts := make([]int, k)
	for i, l := range labels {
		counts[l]++
		for t := range d {
			c[l*d+t] += x[i*d+t]
		}
	}
	for j := range k {
		if counts[j] > 0 {
			for t := range d {
				c[j*d+t] /= float64(counts[j])
			}
		}
	}
	return c
}

// Diagrams describes every block of pruned (built from orig with plan).
func Diagrams(orig *resnet.Net, plan *prune.Plan, pruned *resnet.Net) []BlockDiagram {
	byName := map[string]*prune.LayerPlan{}
	for i := range plan.Layers {
		byName[plan.Layers[i].Name] = &plan.Layers[i]
	}
	out := make([]BlockDiagram, len(orig.Blocks))
	for i := range orig.Blocks {
		ob, pb := &orig.Blocks[i], &pruned.Blocks[i]
		d := BlockDiagram{Block: ob.Name, Index: i, C: ob.Conv1.Cout, Method: int(plan.Method), Removed: make([]bool, ob.Conv1.Cout)}
		if lp := byName[ob.Conv1.Name]; lp != nil && !plan.Kernels {
			d.Clusters, d.Unchanged = lp.K, lp.Unchanged
			if !lp.Unchanged {
				d.Labels = lp.Labels
			}
		}
		if lp := byName[ob.Conv2.Name]; lp != nil && !lp.Unchanged && !plan.Kernels {
			d.Conv2Labels = lp.Labels
		}
		if kept := pb.Conv1.KeptFilter; kept != nil {
			d.Rep = kept
			for c := range d.Removed {
				d.Removed[c] = true
			}
			for _, k := range kept {
				d.Removed[k] = false
			}
		}
		out[i] = d
	}
	return out
}

// applyOne builds the network that method 2 gives when only layer ci (conv1 of its block) is
// clustered as in v, every other block's conv1 being left unchanged.
func (s *Session) applyOne(sp variant.Spec, ci ConvInfo, x []float64, v *LayerView, centroids []float64) (*resnet.Net, error) {
	plan := &prune.Plan{Method: sp.Method, Ratio: sp.Ratio, Seed: sp.Seed, PCA: sp.Variant.PCA, Kernels: sp.Variant.Kernels}
	for _, c := range s.Convs {
		if c.Role != "conv1" {
			continue
		}
		n, d := c.Cout, c.Cin*c.K*c.K
		lp := prune.LayerPlan{Name: c.Name, Conv: c.Index, Block: c.Block, Role: prune.Conv1, N: n, D: d, K: n, Unchanged: true}
		if c.Name == ci.Name {
			lp.Unchanged, lp.K, lp.Points, lp.Labels, lp.Centroids = false, v.Clusters, x, v.Labels, centroids
		}
		plan.Layers = append(plan.Layers, lp)
	}
	net, _, err := prune.Apply(s.Orig, plan, sp.Variant)
	return net, err
}

// viewKey identifies a cached computation of the views: a layer's 2-D PCA (k = -1) or its K-Means
// with k clusters and seed in the space of pca components (0 = the points themselves).
type viewKey struct {
	layer   string
	kernels bool
	pca, k  int
	seed    uint64
}

type pca2 struct {
	y     []float64
	basis *pca.Basis
}

// maxCached bounds the cached views (a layer's K-Means with history is at most a few hundred KB).
const maxCached = 128

// cached returns the value cached under key, computing it with f on a miss; the oldest entries go
// first when the cache is full.
func cached[T any](s *Session, key viewKey, f func() (T, error)) (T, error) {
	s.mu.Lock()
	if v, ok := s.cache[key]; ok {
		s.mu.Unlock()
		return v.(T), nil
	}
	s.mu.Unlock()
	v, err := f()
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil {
		s.cache = map[viewKey]any{}
	}
	if _, ok := s.cache[key]; !ok {
		if len(s.order) >= maxCached {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
		s.cache[key] = v
		s.order = append(s.order, key)
	}
	return v, nil
}

// fit is the views' K-Means of a layer's n points x (n×d): the pruning's (same points, k, seed and
// options, in the same PCA space) with its history recorded, cached.
func (s *Session) fit(name string, x []float64, n, d int, kernels bool, pcaD, k int, seed uint64) (*kmeans.Result, error) {
	return cached(s, viewKey{layer: name, kernels: kernels, pca: pcaD, k: k, seed: seed}, func() (*kmeans.Result, error) {
		space, sd := x, d
		if pcaD > 0 {
			var err error
			if space, _, err = pca.Fit(x, n, d, pcaD); err != nil {
				return nil, err
			}
			sd = pcaD
		}
		return kmeans.Fit(space, n, sd, kmeans.Options{K: k, NInit: prune.NInit, MaxIter: prune.MaxIter, Tol: prune.Tol, Seed: seed, History: true})
	})
}

// Warm computes (and caches) the view's K-Means of layer name with k clusters for the settings sp,
// so that a later Layer with a ratio giving k answers at once. It does nothing for k outside 1…N−1.
func (s *Session) Warm(name string, sp variant.Spec, k int) error {
	ci, ok := s.Conv(name)
	if !ok {
		return nil
	}
	c := s.Orig.Convs()[ci.Index]
	n, d := c.Cout, c.FilterLen()
	if sp.Variant.Kernels {
		n, d = c.Cout*c.Cin, c.K*c.K
	}
	if k < 1 || k >= n {
		return nil
	}
	x := make([]float64, len(c.W))
	for i, w := range c.W {
		x[i] = float64(w)
	}
	pcaD := 0
	if sp.Variant.PCA > 0 {
		pcaD = min(sp.Variant.PCA, d, n)
	}
	_, err := s.fit(name, x, n, d, sp.Variant.Kernels, pcaD, k, prune.LayerSeed(sp.Seed, ci.Index))
	return err
}
