// Package view prepares what the demo's filter grid and K-Means view show for one convolution:
// its filters and their clusters (the pruning's, or the same K-Means as an illustration), and the
// K-Means iterations projected on two principal components. It links K-Means, PCA and the
// pruning's plan types but no evaluation, repair or calibration: the page's program (wasm/app)
// runs it as the *view worker*, so that the first view needs no other program (web/README.md).
package view

import (
	"fmt"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/kmeans"
	"github.com/resnet20-pruning/resnet20-pruning/core/pca"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

// Views holds the original network and the views' cache.
type Views struct {
	Orig  *resnet.Net
	Convs []proto.ConvInfo

	mu    sync.Mutex
	cache map[viewKey]any // the views' PCA and K-Means results
	order []viewKey       // cache keys, oldest first
}

// New returns the views of orig.
func New(orig *resnet.Net) *Views { return &Views{Orig: orig, Convs: Convs(orig)} }

// LoadNet reads safetensors bytes into a Net.
func LoadNet(b []byte) (*resnet.Net, error) {
	f, err := safetensors.ReadBytes(b)
	if err != nil {
		return nil, err
	}
	return resnet.FromTensors(f.Tensors)
}

// Convs lists n's convolutions in forward order.
func Convs(n *resnet.Net) []proto.ConvInfo {
	var out []proto.ConvInfo
	add := func(c *resnet.ConvBN, block int, role string) {
		out = append(out, proto.ConvInfo{Name: c.Name, Index: len(out), Block: block, Role: role, Cin: c.Cin, Cout: c.Cout, K: c.K})
	}
	add(&n.Stem, -1, "stem")
	for i := range n.Blocks {
		b := &n.Blocks[i]
		add(&b.Conv1, i, "conv1")
		add(&b.Conv2, i, "conv2")
		if b.Shortcut != nil {
			add(b.Shortcut, i, "shortcut")
		}
	}
	return out
}

// Conv returns the ConvInfo named name.
func (s *Views) Conv(name string) (proto.ConvInfo, bool) {
	for _, c := range s.Convs {
		if c.Name == name {
			return c, true
		}
	}
	return proto.ConvInfo{}, false
}

// Layer returns the view of layer name for a run: the plan's clustering when the method clusters
// that layer, else an illustrative clustering with the same k and seed. pruned may be nil (then
// Kept is empty).
func (s *Views) Layer(name string, sp variant.Spec, plan *prune.Plan, pruned *resnet.Net) (*proto.LayerView, error) {
	ci, ok := s.Conv(name)
	if !ok {
		return nil, fmt.Errorf("no layer %q in this %s-variant model", name, s.Orig.Arch)
	}
	c := s.Orig.Convs()[ci.Index]
	v := &proto.LayerView{ConvInfo: ci, W: c.W}
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
		v.Steps = []proto.Step2{{Labels: v.Labels, Centroids2: v.Points2}}
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
		v.Steps = append(v.Steps, proto.Step2{Labels: st.Labels, Centroids2: c2, Inertia: st.Inertia})
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

// applyOne builds the network that method 2 gives when only layer ci (conv1 of its block) is
// clustered as in v, every other block's conv1 being left unchanged.
func (s *Views) applyOne(sp variant.Spec, ci proto.ConvInfo, x []float64, v *proto.LayerView, centroids []float64) (*resnet.Net, error) {
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
func cached[T any](s *Views, key viewKey, f func() (T, error)) (T, error) {
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
func (s *Views) fit(name string, x []float64, n, d int, kernels bool, pcaD, k int, seed uint64) (*kmeans.Result, error) {
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
func (s *Views) Warm(name string, sp variant.Spec, k int) error {
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
