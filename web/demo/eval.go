package demo

import (
	"fmt"
	"math"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Batch is how many images Evaluate runs between two progress reports.
const Batch = resnet.Batch

// Evaluate runs e on images start … start+count-1 of set in batches of Batch on the calling
// goroutine, calling each after every batch with the batch's first index, its predictions and
// logits; each returns false to stop (a cancelled run). It reports whether it ran to the end.
func Evaluate(e *resnet.Engine, set *cifar.Set, start, count int, each func(first int, preds []int, logits []float32) bool) bool {
	var ev Evaluator
	for i := start; i < start+count; i += Batch {
		preds, logits := ev.Batch(e, set, i, min(Batch, start+count-i))
		if !each(i, preds, logits) {
			return false
		}
	}
	return true
}

// Evaluator evaluates batches of images, reusing its buffers from one batch (and job) to the next.
type Evaluator struct {
	wk        resnet.Worker
	x, logits []float32
}

// Batch runs e on images first … first+m-1 of set (m ≤ Batch) and returns their predictions and
// logits (new slices).
func (ev *Evaluator) Batch(e *resnet.Engine, set *cifar.Set, first, m int) ([]int, []float32) {
	if ev.x == nil {
		ev.x = make([]float32, Batch*cifar.ImageSize)
		ev.logits = make([]float32, Batch*resnet.Classes)
	}
	set.Batch(ev.x, first, m)
	e.Forward(ev.logits[:m*resnet.Classes], ev.x[:m*cifar.ImageSize], m, &ev.wk)
	preds := make([]int, m)
	for j := range m {
		preds[j] = eval.ArgMax(ev.logits[j*resnet.Classes : (j+1)*resnet.Classes])
	}
	return preds, append([]float32(nil), ev.logits[:m*resnet.Classes]...)
}

// Classify returns the logits of one 32×32 image given as planar R, G, B bytes (CIFAR's layout).
func Classify(e *resnet.Engine, pixels []byte) ([]float32, error) {
	if len(pixels) != cifar.ImageSize {
		return nil, fmt.Errorf("want %d bytes (3×32×32), got %d", cifar.ImageSize, len(pixels))
	}
	rec := append([]byte{0}, pixels...)
	set, err := cifar.ParseBytes(rec, "upload")
	if err != nil {
		return nil, err
	}
	x := make([]float32, cifar.ImageSize)
	set.Normalize(x, 0)
	logits := make([]float32, resnet.Classes)
	var wk resnet.Worker
	e.Forward(logits, x, 1, &wk)
	return logits, nil
}

// Softmax returns the class probabilities of logits.
func Softmax(logits []float32) []float64 {
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, float64(v))
	}
	p := make([]float64, len(logits))
	var s float64
	for i, v := range logits {
		p[i] = math.Exp(float64(v) - m)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

// Wilson returns the 95% Wilson score interval of a proportion k/n, in percent.
func Wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 100
	}
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / den
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return 100 * math.Max(0, c-h), 100 * math.Min(1, c+h)
}
