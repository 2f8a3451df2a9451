//go:build !(linux && (amd64 || arm64))

package kernels

func threadCPUTime() (int64, bool) { return 0, false }

func processCPUTime() (int64, bool) { return 0, false }
