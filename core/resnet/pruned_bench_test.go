package resnet_test

import (
	"fmt"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/measure"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// BenchmarkPrunedSpeedup measures the pruned speed-ups in one command: the engine of a pruned
// ResNet20 (variant B, seeded random weights pruned by core/prune, "fixed" variant) against the
// unpruned one on the same 256 random images with 2 goroutines (Engine.Run), the two timed
// alternately in every iteration so that both see the same machine load (measure.Alternate, as
// `resnetprune prune --baseline` and `sweep` time them). It reports the medians of the
// per-iteration ratios: x (wall-clock speed-up), cpu-x (process CPU time, where the platform tells it),
// macs-x (MAC reduction) and of-macs (x / macs-x), and ms/image of both nets (wall, per image on
// the 2 goroutines together). Run it with
//
//	GOEXPERIMENT=simd go test -run NONE -bench PrunedSpeedup -benchtime 5x ./core/resnet/
//
// (-benchtime Nx: N alternating rounds, the medians over them). The targets at r = 0.8 (issue 13,
// medians of 5 rounds): method 1 x ≥ 2.0, method 2 x ≥ 2.5.
func BenchmarkPrunedSpeedup(b *testing.B) {
	const images, threads = 256, 2
	orig := resnettest.RandomNet(resnet.ArchB, 1)
	base, err := resnet.Compile(orig)
	if err != nil {
		b.Fatal(err)
	}
	x := resnettest.RandomImages(images, 2)
	logits := make([]float32, images*resnet.Classes)
	for _, m := range []variant.Method{variant.Removal, variant.Sharing} {
		for _, r := range []float64{0.8, 0.5} {
			b.Run(fmt.Sprintf("m%d_r%.1f", m, r), func(b *testing.B) {
				pn := pruneNet(b, orig, m, r)
				e, err := resnet.Compile(pn)
				if err != nil {
					b.Fatal(err)
				}
				macs := float64(orig.Count().MACs) / float64(pn.Count().MACs)
				run := func(e *resnet.Engine) func() {
					return func() { e.Run(logits, x, images, threads, nil) }
				}
				b.ResetTimer()
				// One warm-up round (workspaces, page faults), then b.N alternating rounds.
				ab := measure.Alternate(b.N, 1, run(e), run(base))
				b.StopTimer()
				b.ReportMetric(ab.Speedup(), "x")
				if cx := ab.CPUSpeedup(); cx > 0 {
					b.ReportMetric(cx, "cpu-x")
				}
				b.ReportMetric(macs, "macs-x")
				b.ReportMetric(ab.Speedup()/macs, "of-macs")
				b.ReportMetric(1000*ab.B.Wall()/images, "base-ms/image")
				b.ReportMetric(1000*ab.A.Wall()/images, "ms/image")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// pruneNet prunes n with method m at ratio r (variant "fixed", one K-Means start per layer: the
// speed depends only on the shapes).
func pruneNet(tb testing.TB, n *resnet.Net, m variant.Method, r float64) *resnet.Net {
	tb.Helper()
	plan, err := prune.Cluster(n, variant.Spec{Method: m, Ratio: r, Seed: 1}, prune.ClusterOptions{NInit: 1})
	if err != nil {
		tb.Fatal(err)
	}
	pn, _, err := prune.Apply(n, plan, variant.Variant{})
	if err != nil {
		tb.Fatal(err)
	}
	return pn
}
