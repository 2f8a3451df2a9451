//go:build !unix

package measure

// CPUSeconds returns 0, false: this platform (wasm, Windows) does not tell the process's CPU time.
func CPUSeconds() (float64, bool) { return 0, false }
