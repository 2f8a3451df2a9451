package repair

import "github.com/resnet20-pruning/resnet20-pruning/core/prune"

// ForVariant returns the repair steps a pruning variant names (bn, refit, c1, comp, relu, fc), so
// that the CLI and the browser repair a pruned network identically.
func ForVariant(v prune.Variant) Options {
	o := Options{Recal: v.Recal, Refit: v.Refit, Compensate: v.Comp, Linear: v.FC, Conv1: v.Conv1}
	if v.ReLU {
		o.ReLUPasses = DefaultReLUPasses
	}
	return o
}
