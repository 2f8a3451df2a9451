package prune

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Layer is the accounting of one layer of a pruned network (every ConvBN and the linear layer).
type Layer struct {
	Name      string  `json:"name"`
	Pruned    bool    `json:"pruned"`    // the method clustered this layer
	Unchanged bool    `json:"unchanged"` // ... but the ratio left it as it was
	Cin       int     `json:"cin"`
	Cout      int     `json:"cout"`     // output channels now
	Original  int     `json:"original"` // output channels before pruning
	Clusters  int     `json:"clusters"` // K-Means clusters (0 when not clustered)
	Filters   int     `json:"filters"`  // distinct stored filters (or codebook entries with kernels)
	Weights   int     `json:"weights"`  // stored weights (codebook floats with kernels)
	Params    int     `json:"params"`   // weights + conv bias + BN γ,β (+ linear bias)
	MACs      int     `json:"macs"`     // multiply-accumulates per 32×32 image
	Bytes     int     `json:"bytes"`    // float32 params + indices (1 byte, or 2 beyond 256 clusters)
	Hash      string  `json:"labels_hash,omitempty"`
	Iter      int     `json:"kmeans_iter,omitempty"`
	Inertia   float64 `json:"inertia,omitempty"`
	// MsPerImage is the layer's measured time, measure.Layers (prune --layer-times fills it in).
	MsPerImage float64 `json:"ms_per_image,omitempty"`
}

// Account returns the per-layer accounting of pruned (built by Apply from p) and the totals in a
// final "total" row. It is resnet.Count with the plan's clustering added; with kernel clustering the
// weights and bytes are the codebook's (K·k·k floats + one index per kernel), the MACs the dense
// convolution's.
func Account(pruned *resnet.Net, p *Plan) []Layer {
	ct := pruned.Count()
	byName := map[string]*LayerPlan{}
	if p != nil {
		for i := range p.Layers {
			byName[p.Layers[i].Name] = &p.Layers[i]
		}
	}
	convs := map[string]*resnet.ConvBN{}
	for _, c := range pruned.Convs() {
		convs[c.Name] = c
	}
	var out []Layer
	total := Layer{Name: "total"}
	for _, lc := range ct.Layers {
		l := Layer{Name: lc.Name, Cin: lc.Cin, Cout: lc.Cout, Original: lc.Cout, Filters: lc.Rows,
			Weights: lc.Weights, Params: lc.Params, MACs: lc.MACs, Bytes: lc.Bytes}
		if lp := byName[lc.Name]; lp != nil {
			l.Pruned, l.Unchanged, l.Clusters, l.Iter, l.Inertia = true, lp.Unchanged, lp.K, lp.Iter, lp.Inertia
			if !lp.Unchanged {
				l.Hash = fmt.Sprintf("%016x", lp.Hash)
			}
			if p.Method == Removal {
				l.Original = lp.N
			}
			if p.Kernels && !lp.Unchanged {
				c := convs[lc.Name]
				l.Filters = lp.K
				l.Weights = lp.K * lp.D
				l.Params = l.Weights + len(c.Bias) + 2*c.Cout
				l.Bytes = 4*l.Params + lp.N*IndexBytes(lp.K)
			}
		}
		out = append(out, l)
		total.Weights += l.Weights
		total.Params += l.Params
		total.MACs += l.MACs
		total.Bytes += l.Bytes
		total.Filters += l.Filters
		total.Clusters += l.Clusters
	}
	return append(out, total)
}

// IndexBytes is the storage of one cluster index among k: 1 byte up to 256 clusters, else 2.
func IndexBytes(k int) int {
	if k <= 256 {
		return 1
	}
	return 2
}
