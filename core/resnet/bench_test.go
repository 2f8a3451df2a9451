package resnet

import "testing"

// BenchmarkForward times one goroutine's forward pass of variant B at batch sizes 1 and 16,
// reporting ms/image. Under wasm (make bench-wasm) batch 1 is the browser's per-image latency.
func BenchmarkForward(b *testing.B) {
	n := randomNet(b, ArchB, 1)
	e, err := Compile(n)
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, Batch} {
		b.Run(map[int]string{1: "batch1", Batch: "batch16"}[batch], func(b *testing.B) {
			x := randomImages(batch, 2)
			logits := make([]float32, batch*Classes)
			var wk Worker
			e.Forward(logits, x, batch, &wk)
			b.ResetTimer()
			for range b.N {
				e.Forward(logits, x, batch, &wk)
			}
			b.ReportMetric(1000*b.Elapsed().Seconds()/float64(b.N*batch), "ms/image")
		})
	}
}
