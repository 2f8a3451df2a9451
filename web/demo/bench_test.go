package demo

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo/view"
)

// BenchmarkSlider is what the view worker computes when the ratio slider moves to r before the
// filter grid can be redrawn: the layer view of layer4.conv1 (32 filters, method 2) without the
// plan, and its message payload. cold: the K-Means for that k is not cached yet; cached: the
// slider comes back to a ratio seen before (or precomputed while idle).
func BenchmarkSlider(b *testing.B) {
	s := testSession(b, 16, 16)
	for _, cold := range []bool{true, false} {
		for _, r := range []float64{0.25, 0.75, 0.4, 0.5} {
			b.Run(fmt.Sprintf("cold=%v/r=%v", cold, r), func(b *testing.B) {
				sp := variant.Spec{Method: variant.Removal, Ratio: r, Seed: 1}
				size := 0
				for b.Loop() {
					vs := s.Views
					if cold {
						vs = view.New(s.Orig)
					}
					v, err := vs.Layer("layer4.conv1", sp, nil, nil)
					if err != nil {
						b.Fatal(err)
					}
					bin, err := v.Payload()
					if err != nil {
						b.Fatal(err)
					}
					j, _ := json.Marshal(v)
					size = len(j) + len(bin[0]) + len(bin[1]) + len(bin[2])
				}
				b.ReportMetric(float64(size), "msg-bytes")
			})
		}
	}
}

// BenchmarkPrune is worker 1's job for the default run (method 2, ratio 0.5): cluster every conv1
// with 10 restarts, apply, account.
func BenchmarkPrune(b *testing.B) {
	s := testSession(b, 16, 16)
	sp := variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1}
	for b.Loop() {
		if _, err := s.Prune(sp, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate1000 evaluates the first 1,000 test images with the default run's pruned
// network on N workers (goroutines with their own Engine, as the browser's Web Workers), each a
// contiguous slice.
func BenchmarkEvaluate1000(b *testing.B) {
	s := testSession(b, 1000, 16)
	p, err := s.Prune(variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1}, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			es := make([]*resnet.Engine, workers)
			for i := range es {
				if es[i], err = resnet.Compile(p.Net); err != nil {
					b.Fatal(err)
				}
			}
			n := s.Test.Len()
			per := (n + workers - 1) / workers
			for b.Loop() {
				var wg sync.WaitGroup
				for i, e := range es {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var ev Evaluator
						for j := i * per; j < min(n, (i+1)*per); j += resnet.Batch {
							ev.Batch(e, s.Test, j, min(resnet.Batch, min(n, (i+1)*per)-j))
						}
					}()
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/1000img")
		})
	}
}

// BenchmarkBatch is the default run's pruned network per image at several batch sizes.
func BenchmarkBatch(b *testing.B) {
	s := testSession(b, 64, 16)
	p, err := s.Prune(variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1}, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, net := range []*resnet.Net{s.Orig, p.Net} {
		e, err := resnet.Compile(net)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range []int{1, 8, 16, 32, 64} {
			b.Run(fmt.Sprintf("pruned=%v/batch=%d", net != s.Orig, m), func(b *testing.B) {
				x := make([]float32, m*3072)
				s.Test.Batch(x, 0, m)
				logits := make([]float32, m*resnet.Classes)
				var wk resnet.Worker
				for b.Loop() {
					e.Forward(logits, x, m, &wk)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*m), "ms/img")
			})
		}
	}
}
