package view

import (
	"math/rand/v2"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// randomNet is a ResNet20 (variant B) with random convolution weights: the views need no
// trained weights and no data set.
func randomNet(t *testing.T) *resnet.Net {
	n, err := resnet.New(resnet.ArchB)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range n.Convs() {
		for i := range c.W {
			c.W[i] = float32(r.NormFloat64())
		}
	}
	return n
}

// The view worker's job: a layer's clustering, the kept filter of each cluster (method 2), the
// K-Means history on two components; the cache answers the same job with the same view, and a
// warmed k is the one a later Layer uses.
func TestLayer(t *testing.T) {
	v := New(randomNet(t))
	if len(v.Convs) == 0 || v.Convs[0].Role != "stem" {
		t.Fatalf("convs %+v", v.Convs)
	}
	sp := variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1}
	lv, err := v.Layer("layer1.conv1", sp, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !lv.Clustered || lv.Unchanged || lv.N != 16 || lv.Clusters != 8 || len(lv.Labels) != 16 || len(lv.Kept) != 8 {
		t.Fatalf("layer1.conv1 at 0.5: clustered %v unchanged %v, %d points, %d clusters, %d labels, %d kept",
			lv.Clustered, lv.Unchanged, lv.N, lv.Clusters, len(lv.Labels), len(lv.Kept))
	}
	seen := map[int]bool{}
	for _, k := range lv.Kept {
		if seen[lv.Labels[k]] {
			t.Errorf("two kept filters in cluster %d", lv.Labels[k])
		}
		seen[lv.Labels[k]] = true
	}
	if len(lv.Points2) != 32 || len(lv.Steps) == 0 || !lv.AnimSame || len(lv.Centroids) != 8*lv.D {
		t.Fatalf("%d coordinates, %d steps, anim same %v, %d centroid values", len(lv.Points2), len(lv.Steps), lv.AnimSame, len(lv.Centroids))
	}
	again, err := v.Layer("layer1.conv1", sp, nil, nil)
	if err != nil || again.Hash != lv.Hash {
		t.Fatalf("the same job again: hash %s, first %s (%v)", again.Hash, lv.Hash, err)
	}
	// Method 1 does not prune the stem: an illustration with a note.
	st, err := v.Layer("conv1", variant.Spec{Method: variant.Sharing, Ratio: 0.5, Seed: 1}, nil, nil)
	if err != nil || st.Clustered || st.Note == "" {
		t.Fatalf("stem: clustered %v, note %q (%v)", st.Clustered, st.Note, err)
	}
	if _, err := v.Layer("layer9.conv3", sp, nil, nil); err == nil {
		t.Error("no error for a layer the network does not have")
	}
	// Warm caches the K-Means of k = 4 (ratio 0.75 of 16 filters) under the same key Layer uses.
	if err := v.Warm("layer1.conv1", sp, 4); err != nil {
		t.Fatal(err)
	}
	n := len(v.cache)
	if _, err := v.Layer("layer1.conv1", variant.Spec{Method: variant.Removal, Ratio: 0.75, Seed: 1}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(v.cache) != n {
		t.Errorf("the warmed K-Means was computed again: %d cache entries, %d before", len(v.cache), n)
	}
}
