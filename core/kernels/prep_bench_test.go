package kernels

import "testing"

// BenchmarkWinogradWeights measures the Winograd weight transform of a 64→64 3×3 layer (run for
// every stride-1 3×3 conv, forward and input gradient, at every training step).
func BenchmarkWinogradWeights(b *testing.B) {
	const rows, cin = 64, 64
	w := make([]float32, rows*cin*9)
	for i := range w {
		w[i] = float32(i%17) - 8
	}
	u := winogradWeights(w, rows, cin)
	b.ResetTimer()
	for range b.N {
		winogradWeightsInto(u, w, rows, cin)
	}
}
