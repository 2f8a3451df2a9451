package demo

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Batch is the images of one evaluation step: resnet.Batch, the engine's images per Worker call.
var Batch = resnet.Batch

// Evaluator evaluates batches of images, reusing its buffers from one batch (and job) to the next.
type Evaluator struct {
	wk        resnet.Worker
	x, logits []float32
}

// Batch runs e on images first … first+m-1 of set (m ≤ resnet.Batch) and returns their predictions and
// logits (new slices).
func (ev *Evaluator) Batch(e *resnet.Engine, set *cifar.Set, first, m int) ([]int, []float32) {
	if len(ev.x) < m*cifar.ImageSize {
		ev.x = make([]float32, m*cifar.ImageSize)
		ev.logits = make([]float32, m*resnet.Classes)
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
