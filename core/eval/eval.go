// Package eval measures a compiled ResNet20 on CIFAR-10 images: accuracy, predictions and speed.
package eval

import (
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Result is one evaluation's outcome.
type Result struct {
	Correct int       // images whose arg-max logit equals the label
	Images  int       // images evaluated
	Seconds float64   // wall time of normalisation + inference
	Preds   []int     // arg-max class per image
	Logits  []float32 // Images×resnet.Classes
}

// Accuracy returns the percentage of correct predictions.
func (r *Result) Accuracy() float64 {
	if r.Images == 0 {
		return 0
	}
	return 100 * float64(r.Correct) / float64(r.Images)
}

// ImagesPerSecond returns the throughput.
func (r *Result) ImagesPerSecond() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Images) / r.Seconds
}

// Run evaluates e on every image of set with the given number of threads (0 = all cores).
// progress, if non-nil, is called with the number of images done.
func Run(e *resnet.Engine, set *cifar.Set, threads int, progress func(done int)) *Result {
	n := set.Len()
	start := time.Now()
	x := make([]float32, n*cifar.ImageSize)
	set.Batch(x, 0, n)
	logits := make([]float32, n*resnet.Classes)
	e.Run(logits, x, n, threads, progress)
	el := time.Since(start)
	r := &Result{Images: n, Seconds: el.Seconds(), Logits: logits, Preds: make([]int, n)}
	for i := range n {
		r.Preds[i] = ArgMax(logits[i*resnet.Classes : (i+1)*resnet.Classes])
		if r.Preds[i] == set.Label(i) {
			r.Correct++
		}
	}
	return r
}

// ArgMax returns the index of the largest value (the first one on ties).
func ArgMax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
