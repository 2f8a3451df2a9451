package prune

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Apply returns a pruned copy of n, the network p was clustered from, built as p.Method does for
// variant v; n is not modified. notes lists what the caller should tell the user: layers the ratio
// left unchanged, steps that do nothing for this method, dropped empty clusters. Variant.Recal and
// Variant.Refit are not applied here (they need data: package repair).
func Apply(n *resnet.Net, p *Plan, v Variant) (pruned *resnet.Net, notes []string, err error) {
	s := Spec{Method: p.Method, Ratio: p.Ratio, Seed: p.Seed, Variant: v}
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	if v.PCA != p.PCA || v.Kernels != p.Kernels {
		return nil, nil, fmt.Errorf("prune: variant %s does not match the plan (pca %d, kernels %v)", v.Name(), p.PCA, p.Kernels)
	}
	m := n.Clone()
	convs := m.Convs()
	ts := targets(m, p.Method)
	if len(ts) != len(p.Layers) {
		return nil, nil, fmt.Errorf("prune: plan has %d layers, network has %d to prune", len(p.Layers), len(ts))
	}
	var unchanged []string
	for i := range p.Layers {
		l := &p.Layers[i]
		t := ts[i]
		if l.Conv >= len(convs) || convs[l.Conv] != t.conv || t.conv.Name != l.Name {
			return nil, nil, fmt.Errorf("prune: plan layer %s does not match the network's %s", l.Name, t.conv.Name)
		}
		np, _, d := points(t.conv, p.Kernels)
		if d != l.D || len(np) != l.N*l.D {
			return nil, nil, fmt.Errorf("prune: %s: plan clustered %d×%d, network layer has %d values of dimension %d", l.Name, l.N, l.D, len(np), d)
		}
		if l.Unchanged {
			t.conv.Unchanged = true
			unchanged = append(unchanged, l.Name)
			continue
		}
		switch p.Method {
		case Sharing:
			shareLayer(t.conv, l, v, LayerSeed(p.Seed^0x5354554459, l.Conv)) // "STUDY"
		case Removal:
			if dropped := removeChannels(&m.Blocks[t.block], l, v); dropped > 0 {
				notes = append(notes, fmt.Sprintf("%s: %d empty K-Means cluster(s) dropped", l.Name, dropped))
			}
		}
	}
	if len(unchanged) > 0 {
		notes = append(notes, fmt.Sprintf("ratio %v keeps int(C·(1−r)) ≥ C in %d layer(s), left unchanged: %v", p.Ratio, len(unchanged), unchanged))
	}
	if v.Merge && p.Method == Sharing {
		notes = append(notes, "merge does nothing in method 1 (no channel is removed)")
	}
	if v.Kernels {
		notes = append(notes, "kernel clustering stores a codebook but keeps dense weights: no speed-up")
	}
	if err := m.Validate(); err != nil {
		return nil, nil, fmt.Errorf("prune: pruned network is inconsistent: %w", err)
	}
	return m, notes, nil
}
