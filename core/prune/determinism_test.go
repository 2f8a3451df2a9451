package prune

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
)

// goldenLabels are the per-run digests of every layer's K-Means labels and centroids (kmeans.Hash,
// chained with FNV-1a) for resnettest.RandomNet(ArchB, 1) at ratio 0.5, seed 1, computed natively
// on linux/amd64. The test runs under wasm too (make test-wasm): equal digests mean the same clustering bit for bit.
var goldenLabels = map[Method]uint64{
	Sharing: 0xb9094643742d8bb1,
	Removal: 0x0e9a2fc81ee61e9e,
}

func TestLabelsDeterministic(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 1)
	for _, m := range []Method{Sharing, Removal} {
		s := Spec{Method: m, Ratio: 0.5, Seed: 1}
		var sums [2]uint64
		for run, threads := range []int{1, 3} {
			p, err := Cluster(n, s, ClusterOptions{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			h := fnv.New64a()
			for _, l := range p.Layers {
				if run == 0 {
					t.Logf("method %d %-18s k=%2d labels hash %016x", m, l.Name, l.K, l.Hash)
				}
				fmt.Fprintf(h, "%s:%016x;", l.Name, l.Hash)
			}
			sums[run] = h.Sum64()
		}
		if sums[0] != sums[1] {
			t.Errorf("method %d: 1 and 3 threads give different clusterings", m)
		}
		if sums[0] != goldenLabels[m] {
			t.Errorf("method %d: digest %#016x, want %#016x", m, sums[0], goldenLabels[m])
		}
	}
}
