package pipeline

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/repair"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// randomSet returns n CIFAR-10 records of seeded random pixels.
func randomSet(t *testing.T, n int) *cifar.Set {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	b := make([]byte, n*(1+cifar.ImageSize))
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	for i := range n {
		b[i*(1+cifar.ImageSize)] = byte(i % 10)
	}
	s, err := cifar.ParseBytes(b, "random")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func logits(t *testing.T, n *resnet.Net, x []float32, m int) []float32 {
	t.Helper()
	e, err := resnet.Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, m*resnet.Classes)
	e.Run(out, x, m, 1, nil)
	return out
}

// The pipeline gives exactly the network of its steps done by hand, reuses its calibration images
// and refuses a variant that needs more than it has.
func TestPipeline(t *testing.T) {
	orig := resnettest.RandomNet(resnet.ArchB, 3)
	train := randomSet(t, 24)
	p := &Pipeline{Orig: orig, Train: train, Threads: 1, NInit: 1}
	sp := variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 2, Variant: variant.Variant{Recal: 16, Merge: true, Refit: 16, Comp: true}}
	r, err := p.Run(sp)
	if err != nil {
		t.Fatal(err)
	}
	if r.Spec != sp || r.Repair == nil || r.Layers[len(r.Layers)-1].Name != "total" || r.ClusterSeconds <= 0 || r.RepairSeconds <= 0 {
		t.Fatalf("result %+v", r)
	}
	plan, err := prune.Cluster(orig, sp, prune.ClusterOptions{NInit: 1})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := prune.Apply(orig, plan, sp.Variant)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 16*cifar.ImageSize)
	train.Batch(x, 0, 16)
	cal, err := repair.NewCalibration(orig, x, 16, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cal.Repair(want, repair.ForPlan(sp.Variant, plan)); err != nil {
		t.Fatal(err)
	}
	test := make([]float32, 4*cifar.ImageSize)
	train.Batch(test, 20, 4)
	if got, w := logits(t, r.Net, test, 4), logits(t, want, test, 4); !slices.Equal(got, w) {
		t.Fatalf("pipeline logits %v\nby hand %v", got[:10], w[:10])
	}
	// A second build with fewer images reuses the calibration; more than Train has is refused.
	first := p.cal
	v := sp.Variant
	v.Refit, v.Recal = 8, 0
	if _, err := p.Build(r.Plan, v); err != nil || p.cal != first {
		t.Fatalf("rebuild: %v, calibration rebuilt %v", err, p.cal != first)
	}
	v.Refit = 25
	if _, err := p.Build(r.Plan, v); !errors.Is(err, ErrCalib) {
		t.Fatalf("25 of 24 images: %v", err)
	}
	// No repair needs no images.
	bare := &Pipeline{Orig: orig, NInit: 1}
	if r, err := bare.Run(variant.Spec{Method: variant.Sharing, Ratio: 0.5, Seed: 1}); err != nil || r.Repair != nil {
		t.Fatalf("no repair: %v, %+v", err, r)
	}
	if _, err := bare.Run(variant.Spec{Method: variant.Sharing, Ratio: 1.5}); err == nil {
		t.Fatal("ratio 1.5 accepted")
	}
	// MinCalib builds more images than the first run needs, once.
	q := &Pipeline{Orig: orig, Train: train, Threads: 1, NInit: 1, MinCalib: 100}
	if _, err := q.Build(r.Plan, variant.Variant{Recal: 4}); err != nil || q.cal.Images() != 24 {
		t.Fatalf("MinCalib: %v, %d images", err, q.cal.Images())
	}
}
