package repair

import "github.com/resnet20-pruning/resnet20-pruning/core/prune"

// ForVariant returns the repair steps a pruning variant names (bn, refit, select, c1, comp, short,
// relu, fc), so that the CLI and the browser repair a pruned network identically. A variant with
// select also needs the plan the network was pruned with: use ForPlan.
func ForVariant(v prune.Variant) Options {
	o := Options{Recal: v.Recal, Refit: v.Refit, Compensate: v.Comp, Linear: v.FC, Conv1: v.Conv1, Shortcut: v.Short, Select: v.Select}
	if v.ReLU {
		o.ReLUPasses = DefaultReLUPasses
	}
	return o
}

// ForPlan is ForVariant for a network that prune.Apply built from plan: the options also carry the
// plan, which the select step needs.
func ForPlan(v prune.Variant, plan *prune.Plan) Options {
	o := ForVariant(v)
	o.Plan = plan
	return o
}
