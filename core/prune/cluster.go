package prune

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/kmeans"
	"github.com/resnet20-pruning/resnet20-pruning/core/pca"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// K-Means settings of the study (scikit-learn's defaults).
const (
	NInit   = 10
	MaxIter = 300
	Tol     = 1e-4
)

// Role names a convolution's place in its residual block.
type Role string

// Roles of the pruned convolutions.
const (
	Conv1    Role = "conv1"
	Conv2    Role = "conv2"
	Shortcut Role = "shortcut"
)

// LayerPlan is the clustering of one layer.
type LayerPlan struct {
	Name      string // the convolution's name, e.g. "layer4.conv1"
	Conv      int    // index in Net.Convs() (0 is the stem); also salts the layer's seed
	Block     int    // residual block index, 0…8
	Role      Role   // conv1, conv2 or shortcut
	N, D      int    // clustered points (filters, or kernels) and their length
	K         int    // clusters, int(N·(1−r))
	Unchanged bool   // K ≥ N: the ratio leaves this layer as it is (no clustering ran)
	PCA       int    // dimensions K-Means ran in (0 = the original D)
	Seed      uint64 // the layer's K-Means seed, derived from the run's seed and Conv
	Points    []float64
	Labels    []int     // cluster of each point
	Centroids []float64 // K×D cluster centres in the original space
	Inertia   float64   // K-Means inertia, in the space it ran in
	Hash      uint64    // kmeans.Hash of the clustering as K-Means returned it
	Iter      int       // Lloyd iterations of the winning restart
}

// Members returns each cluster's point indices in increasing order.
func (l *LayerPlan) Members() [][]int {
	m := make([][]int, l.K)
	for i, c := range l.Labels {
		m[c] = append(m[c], i)
	}
	return m
}

// Centroid returns cluster j's centre (a slice into Centroids).
func (l *LayerPlan) Centroid(j int) []float64 { return l.Centroids[j*l.D : (j+1)*l.D] }

// Point returns point i (a slice into Points).
func (l *LayerPlan) Point(i int) []float64 { return l.Points[i*l.D : (i+1)*l.D] }

// Plan is the clustering of every layer a method prunes: the expensive part of pruning, shared by
// every Variant that differs only in what Apply does with it.
type Plan struct {
	Method  Method
	Ratio   float64
	Seed    uint64
	PCA     int
	Kernels bool
	Layers  []LayerPlan
}

// ClusterOptions tunes Cluster. The zero value is the study's setting.
type ClusterOptions struct {
	NInit, MaxIter int     // K-Means restarts and iterations (0 = NInit, MaxIter)
	Tol            float64 // K-Means tolerance (0 = Tol)
	Threads        int     // layers clustered concurrently (0 = GOMAXPROCS); results do not depend on it
}

// target is one convolution that a method clusters.
type target struct {
	conv  *resnet.ConvBN
	index int // in Net.Convs()
	block int
	role  Role
}

// targets lists, in forward order, the convolutions method m clusters: conv1, conv2 and the
// shortcut of every block (method 1) or conv1 of every block (method 2). The stem is never pruned.
func targets(n *resnet.Net, m Method) []target {
	var ts []target
	idx := 1 // Convs()[0] is the stem
	for bi := range n.Blocks {
		b := &n.Blocks[bi]
		ts = append(ts, target{&b.Conv1, idx, bi, Conv1})
		if m == Sharing {
			ts = append(ts, target{&b.Conv2, idx + 1, bi, Conv2})
			if b.Shortcut != nil {
				ts = append(ts, target{b.Shortcut, idx + 2, bi, Shortcut})
			}
		}
		idx += 2
		if b.Shortcut != nil {
			idx++
		}
	}
	return ts
}

// LayerSeed derives layer i's K-Means seed from the run's seed (SplitMix64 of seed and i), so that
// every layer has its own stream and results do not depend on the order layers are clustered in.
func LayerSeed(seed uint64, i int) uint64 {
	z := seed + uint64(i+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Cluster runs K-Means on every layer that s.Method prunes and returns the Plan. For each layer the
// points are its filters flattened to Cin·K·K vectors (or, with Variant.Kernels, every K×K kernel),
// k = int(N·(1−r)); k < 1 is an error and k ≥ N leaves the layer Unchanged. With Variant.PCA = D the
// points are projected on their first D principal components before K-Means and the centroids are
// the member means in the original space.
func Cluster(n *resnet.Net, s Spec, opt ClusterOptions) (*Plan, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	p := &Plan{Method: s.Method, Ratio: s.Ratio, Seed: s.Seed, PCA: s.Variant.PCA, Kernels: s.Variant.Kernels}
	ts := targets(n, s.Method)
	p.Layers = make([]LayerPlan, len(ts))
	for i, t := range ts {
		c := t.conv
		if c.Assign != nil || c.Bias != nil {
			return nil, fmt.Errorf("prune: %s is already weight-shared; prune the original network", c.Name)
		}
		l := &p.Layers[i]
		*l = LayerPlan{Name: c.Name, Conv: t.index, Block: t.block, Role: t.role, Seed: LayerSeed(s.Seed, t.index)}
		l.Points, l.N, l.D = points(c, s.Variant.Kernels)
		l.K = Clusters(l.N, s.Ratio)
		if l.K < 1 {
			what := "filters"
			if s.Variant.Kernels {
				what = "kernels"
			}
			return nil, fmt.Errorf("prune: %s: ratio %v leaves int(%d %s × (1−%v)) = %d clusters; at least 1 is needed (use a smaller ratio)",
				c.Name, s.Ratio, l.N, what, s.Ratio, l.K)
		}
		if l.K >= l.N {
			l.K, l.Unchanged = l.N, true
		}
	}
	threads := opt.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, len(p.Layers))
	var wg sync.WaitGroup
	next := make(chan int)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fitLayer(&p.Layers[i], s.Variant.PCA, opt)
			}
		}()
	}
	for i := range p.Layers {
		if !p.Layers[i].Unchanged {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// points returns c's filters as float64 rows (N = Cout, D = Cin·K·K) or, for kernels, every K×K
// kernel (N = Cout·Cin, D = K·K). Both are the PyTorch weight read row by row.
func points(c *resnet.ConvBN, kernels bool) ([]float64, int, int) {
	x := make([]float64, len(c.W))
	for i, v := range c.W {
		x[i] = float64(v)
	}
	if kernels {
		return x, c.Cout * c.Cin, c.K * c.K
	}
	return x, c.Cout, c.FilterLen()
}

// fitLayer runs K-Means on l.Points, optionally in PCA space.
func fitLayer(l *LayerPlan, pcaDims int, opt ClusterOptions) error {
	x, d := l.Points, l.D
	var basis *pca.Basis
	if pcaDims > 0 {
		l.PCA = min(pcaDims, l.D, l.N)
		var err error
		if x, basis, err = pca.Fit(l.Points, l.N, l.D, l.PCA); err != nil {
			return fmt.Errorf("prune: %s: %w", l.Name, err)
		}
		d = l.PCA
	}
	r, err := kmeans.Fit(x, l.N, d, kmeans.Options{K: l.K, NInit: or(opt.NInit, NInit), MaxIter: or(opt.MaxIter, MaxIter),
		Tol: orf(opt.Tol, Tol), Seed: l.Seed})
	if err != nil {
		return fmt.Errorf("prune: %s: %w", l.Name, err)
	}
	l.Labels, l.Inertia, l.Hash, l.Iter = r.Labels, r.Inertia, kmeans.Hash(r), r.Iter
	if pcaDims == 0 {
		l.Centroids = r.Centroids
		return nil
	}
	// Centroids in the original space: each cluster's member mean c_j = (1/|S_j|) Σ_{i∈S_j} x_i.
	// A cluster left empty by the final assignment (it cannot have a member mean) takes its PCA
	// centre mapped back, μ + V·c_j.
	l.Centroids = make([]float64, l.K*l.D)
	counts := make([]int, l.K)
	for i, c := range l.Labels {
		counts[c]++
		row := l.Centroids[c*l.D : (c+1)*l.D]
		for t, v := range l.Point(i) {
			row[t] += v
		}
	}
	for j := range l.K {
		row := l.Centroids[j*l.D : (j+1)*l.D]
		if counts[j] == 0 {
			basis.Back(row, r.Centroid(j))
			continue
		}
		for t := range row {
			row[t] /= float64(counts[j])
		}
	}
	return nil
}

func or(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orf(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// sqDist returns Σ (a_i − b_i)².
func sqDist(a, b []float64) float64 {
	var s float64
	for i := range a {
		t := a[i] - b[i]
		s += t * t
	}
	return s
}

// norm2 returns Σ a_i².
func norm2(a []float64) float64 {
	var s float64
	for _, v := range a {
		s += v * v
	}
	return s
}

// representative returns the member of cluster members that rep selects and whether it is a member:
// the largest-norm member (RepNorm), the member nearest the centroid (RepClosest, lowest index on
// ties), or -1 for RepCentroid and for an empty cluster.
func representative(l *LayerPlan, j int, members []int, rep Rep) int {
	if len(members) == 0 {
		return -1
	}
	best, bestV := -1, math.Inf(-1)
	for _, m := range members {
		var v float64
		switch rep {
		case RepNorm:
			v = norm2(l.Point(m))
		case RepClosest:
			v = -sqDist(l.Point(m), l.Centroid(j))
		default:
			return -1
		}
		if v > bestV {
			best, bestV = m, v
		}
	}
	return best
}

// codebook returns the K replacement vectors of l (K×D, float32): the centroids, or with RepNorm /
// RepClosest each cluster's representative member (the centroid for an empty cluster).
func codebook(l *LayerPlan, rep Rep) []float32 {
	members := l.Members()
	out := make([]float32, l.K*l.D)
	for j := range l.K {
		src := l.Centroid(j)
		if m := representative(l, j, members[j], rep); m >= 0 {
			src = l.Point(m)
		}
		for t, v := range src {
			out[j*l.D+t] = float32(v)
		}
	}
	return out
}
