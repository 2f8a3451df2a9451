//go:build js && wasm

package resnet_test

import (
	"fmt"
	"sort"
	"syscall/js"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// The engine compiled to wasm under Node (make bench-wasm). Besides the wall clock these
// benchmarks report the Node process's CPU time (process.cpuUsage: user + system, every thread),
// which a loaded machine inflates far less than the wall clock; in a browser, where there is no
// process object, only wall-clock figures are reported.

// nodeCPU returns the Node process's CPU seconds, or false outside Node.
func nodeCPU() (float64, bool) {
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject || p.Get("cpuUsage").Type() != js.TypeFunction {
		return 0, false
	}
	u := p.Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6, true
}

// wasmSample is one timed run: wall-clock and CPU seconds (CPU 0 outside Node).
type wasmSample struct{ wall, cpu float64 }

func timeWasm(f func()) wasmSample {
	c0, _ := nodeCPU()
	t0 := time.Now()
	f()
	wall := time.Since(t0).Seconds()
	c1, _ := nodeCPU()
	return wasmSample{wall, c1 - c0}
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkWasmForward times one goroutine's Engine.Forward of the unpruned network (variant B,
// random weights) at batch sizes 1, 16 and 64 and of the same network pruned by method 2 at
// r = 0.8 at batch 16, reporting the median wall-clock and CPU ms/image over b.N calls (one
// untimed call first).
func BenchmarkWasmForward(b *testing.B) {
	orig := resnettest.RandomNet(resnet.ArchB, 1)
	engines := map[string]*resnet.Engine{}
	engine := func(b *testing.B, net string) *resnet.Engine { // compiled (and pruned) when first run
		if e := engines[net]; e != nil {
			return e
		}
		n := orig
		if net != "unpruned" {
			n = pruneNet(b, orig, variant.Removal, 0.8)
		}
		e, err := resnet.Compile(n)
		if err != nil {
			b.Fatal(err)
		}
		engines[net] = e
		return e
	}
	for _, net := range []string{"unpruned", "m2_r0.8"} {
		batches := []int{1, resnet.Batch, 64}
		if net != "unpruned" {
			batches = []int{resnet.Batch}
		}
		for _, batch := range batches {
			b.Run(fmt.Sprintf("%s/batch%d", net, batch), func(b *testing.B) {
				e := engine(b, net)
				x := resnettest.RandomImages(batch, 2)
				logits := make([]float32, batch*resnet.Classes)
				var wk resnet.Worker
				e.Forward(logits, x, batch, &wk)
				var walls, cpus []float64
				b.ResetTimer()
				for range b.N {
					s := timeWasm(func() { e.Forward(logits, x, batch, &wk) })
					walls, cpus = append(walls, s.wall), append(cpus, s.cpu)
				}
				b.ReportMetric(1000*medianOf(walls)/float64(batch), "ms/image")
				if _, ok := nodeCPU(); ok {
					b.ReportMetric(1000*medianOf(cpus)/float64(batch), "cpu-ms/image")
				}
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// BenchmarkWasmPrunedSpeedup is BenchmarkPrunedSpeedup for the browser's setting: one goroutine
// (one worker) runs Engine.Forward in batches of resnet.Batch over 256 random images, the pruned
// and the unpruned engine alternately in every iteration. It reports the medians of the
// per-iteration ratios (x: wall clock, cpu-x: Node's CPU time), macs-x and the pruned net's and
// the base's ms/image (wall).
func BenchmarkWasmPrunedSpeedup(b *testing.B) {
	const images = 256
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
				run := func(e *resnet.Engine) func() {
					var wk resnet.Worker
					return func() {
						for i := 0; i < images; i += resnet.Batch {
							e.Forward(logits[i*resnet.Classes:(i+resnet.Batch)*resnet.Classes], x[i*3*32*32:(i+resnet.Batch)*3*32*32], resnet.Batch, &wk)
						}
					}
				}
				fp, fb := run(e), run(base)
				fp()
				fb()
				var xs, cxs, pw, bw []float64
				b.ResetTimer()
				for range b.N {
					sp, sb := timeWasm(fp), timeWasm(fb)
					xs, pw, bw = append(xs, sb.wall/sp.wall), append(pw, sp.wall), append(bw, sb.wall)
					if sp.cpu > 0 {
						cxs = append(cxs, sb.cpu/sp.cpu)
					}
				}
				b.StopTimer()
				b.ReportMetric(medianOf(xs), "x")
				if len(cxs) > 0 {
					b.ReportMetric(medianOf(cxs), "cpu-x")
				}
				b.ReportMetric(float64(orig.Count().MACs)/float64(pn.Count().MACs), "macs-x")
				b.ReportMetric(1000*medianOf(bw)/images, "base-ms/image")
				b.ReportMetric(1000*medianOf(pw)/images, "ms/image")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}
