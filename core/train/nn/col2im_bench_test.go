package nn

import "testing"

// BenchmarkCol2im measures the input-gradient scatter of ResNet20's stride-2 convolutions
// (3×3 16→32 at 32×32, and the 1×1 shortcut), one image each.
func BenchmarkCol2im(b *testing.B) {
	for _, tc := range []struct {
		name              string
		cin, h, k, stride int
		pad               int
	}{{"3x3s2_16@32", 16, 32, 3, 2, 1}, {"1x1s2_16@32", 16, 32, 1, 2, 0}} {
		b.Run(tc.name, func(b *testing.B) {
			ho := (tc.h+2*tc.pad-tc.k)/tc.stride + 1
			dcol := make([]float32, tc.cin*tc.k*tc.k*ho*ho)
			for i := range dcol {
				dcol[i] = float32(i%13) - 6
			}
			dx := make([]float32, tc.cin*tc.h*tc.h)
			for range b.N {
				Col2im(dx, dcol, tc.cin, tc.h, tc.h, tc.k, tc.stride, tc.pad)
			}
		})
	}
}
