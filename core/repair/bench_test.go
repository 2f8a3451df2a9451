package repair

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// BenchmarkRepairBest times Best's method-2 repair at r = 0.5 (fresh Calibration each time, so the
// original network's forward passes count) of a random variant-B network on random images: the
// same shapes, and so nearly the same work, as on the study checkpoint, without data files, so it
// also runs under wasm (GOMAXPROCS goroutines; one under wasm). The clustering is not timed.
func BenchmarkRepairBest(b *testing.B) {
	net := resnettest.RandomNet(resnet.ArchB, 11)
	for _, n := range []int{512, variant.BestCalib} {
		b.Run(fmt.Sprintf("calib=%d", n), func(b *testing.B) {
			x := resnettest.RandomImages(n, 12)
			v, err := variant.Parse(variant.Best(prune.Removal).Name(), n)
			if err != nil {
				b.Fatal(err)
			}
			plan, err := prune.Cluster(net, prune.Spec{Method: prune.Removal, Ratio: 0.5, Seed: 1, Variant: v}, prune.ClusterOptions{NInit: 1})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				b.StopTimer()
				m, _, err := prune.Apply(net, plan, v)
				if err != nil {
					b.Fatal(err)
				}
				cal, err := NewCalibration(net, x, n, runtime.GOMAXPROCS(0))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := cal.Repair(m, ForPlan(v, plan)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
