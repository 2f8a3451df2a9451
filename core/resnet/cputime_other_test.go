//go:build !linux

package resnet_test

// processCPU is not available here: BenchmarkPrunedSpeedup then reports no cpu-x.
func processCPU() (float64, bool) { return 0, false }
