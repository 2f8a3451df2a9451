package demo

import (
	"github.com/resnet20-pruning/resnet20-pruning/core/measure"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// LayerTimes is measure.Layers (each convolution of n alone, as the engine runs it, on a batch of
// images random values: the median of reps runs) by layer name, in milliseconds per image: the
// same timer as `resnetprune prune --layer-times`, which uses images = measure.LayerBatch and
// reps = measure.LayerRuns.
func LayerTimes(n *resnet.Net, images, reps int) map[string]float64 {
	out := map[string]float64{}
	for _, t := range measure.Layers(n, images, reps) {
		out[t.Name] = t.MsPerImage
	}
	return out
}
