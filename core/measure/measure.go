// Package measure is the project's one measuring kit: the process's CPU time, medians, the
// alternating A/B timer that compares two computations under the same machine load (a pruned and
// an unpruned network in `resnetprune prune --baseline`, `sweep` and the PrunedSpeedup benchmark)
// and the per-layer timer (Layers) of the CLI's --layer-times and the browser demo's layer timing.
package measure

import (
	"slices"
	"time"
)

// Median returns the median of v (the mean of the two middle values for an even count; 0 for none).
func Median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Sample is one timed run: its wall-clock seconds and the process's CPU seconds (user + system,
// every goroutine) while it ran; CPU is 0 where the platform does not tell (CPUSeconds).
type Sample struct {
	Wall, CPU float64
}

// Time runs f once and returns its wall-clock and CPU time.
func Time(f func()) Sample {
	c0, _ := CPUSeconds()
	t0 := time.Now()
	f()
	wall := time.Since(t0).Seconds()
	c1, _ := CPUSeconds()
	return Sample{Wall: wall, CPU: c1 - c0}
}

// Samples are the timed runs of one computation.
type Samples []Sample

// Wall returns the median wall-clock seconds.
func (s Samples) Wall() float64 { return Median(s.walls()) }

// CPU returns the median CPU seconds (0 where unknown).
func (s Samples) CPU() float64 {
	var c []float64
	for _, x := range s {
		c = append(c, x.CPU)
	}
	return Median(c)
}

func (s Samples) walls() []float64 {
	w := make([]float64, len(s))
	for i, x := range s {
		w[i] = x.Wall
	}
	return w
}

// AB is the outcome of Alternate: the runs of a and of b, round by round.
type AB struct {
	A, B Samples
}

// Alternate runs a and b alternately: warm untimed rounds, then rounds timed rounds of a then b, so
// that both see the same machine load. b may be nil: then only a is timed.
func Alternate(rounds, warm int, a, b func()) AB {
	for range warm {
		a()
		if b != nil {
			b()
		}
	}
	var ab AB
	for range rounds {
		ab.A = append(ab.A, Time(a))
		if b != nil {
			ab.B = append(ab.B, Time(b))
		}
	}
	return ab
}

// Speedup returns how many times faster a ran than b: the median over the rounds of b's wall time
// over a's (paired ratios follow a drifting machine load better than a ratio of medians); 0 without
// b's runs.
func (ab AB) Speedup() float64 {
	return ab.ratio(func(s Sample) float64 { return s.Wall })
}

// CPUSpeedup is Speedup in process CPU time; 0 where CPU time is unknown.
func (ab AB) CPUSpeedup() float64 {
	return ab.ratio(func(s Sample) float64 { return s.CPU })
}

func (ab AB) ratio(f func(Sample) float64) float64 {
	var r []float64
	for i := range min(len(ab.A), len(ab.B)) {
		if a := f(ab.A[i]); a > 0 {
			r = append(r, f(ab.B[i])/a)
		}
	}
	return Median(r)
}
