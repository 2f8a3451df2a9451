//go:build unix

package measure

import "syscall"

// CPUSeconds returns the process's user + system CPU time (getrusage, microsecond resolution) and
// whether the platform tells it.
func CPUSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, true
}
