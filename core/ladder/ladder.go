// Package ladder computes the repair ladder: the accuracy of every preset of core/variant
// (As published, Defects fixed, + BN recalibration, + merge, + least squares, Best) for one
// method, ratio and seed, on given images. It runs core/pipeline once per preset, with one
// calibration (built once, for the preset that needs the most images, and reused by the others)
// and one clustering per plan key (the presets without PCA share theirs), so that each rung is
// exactly what `resnetprune prune --variant NAME` gives for it.
package ladder

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// Rung is one preset's pruned network and its accuracy.
type Rung struct {
	Preset  *variant.Preset
	Result  *pipeline.Result // Result.Spec is the run
	Correct int              // test images classified right
	Images  int              // test images evaluated
}

// Accuracy returns the rung's accuracy in percent.
func (r *Rung) Accuracy() float64 {
	if r.Images == 0 {
		return 0
	}
	return 100 * float64(r.Correct) / float64(r.Images)
}

// Run prunes p.Orig with every preset of variant.Presets in order for method m, ratio r and seed
// (count steps on calib calibration images, variant.DefaultCalib when calib ≤ 0; Best on
// variant.BestCalib) and evaluates each on test with threads goroutines. p.Train must hold
// enough calibration images for the presets that repair (pipeline.ErrCalib otherwise). each, if not
// nil, is called after every rung (a page fills in its bars). p's calibration is reused: Run
// raises p.MinCalib to what the presets need, so that it is built at most once.
func Run(p *pipeline.Pipeline, m variant.Method, r float64, seed uint64, calib int, test *cifar.Set, threads int, each func(Rung)) ([]Rung, error) {
	if test == nil || test.Len() == 0 {
		return nil, fmt.Errorf("ladder: no test images")
	}
	specs := variant.Ladder(m, r, seed, calib)
	need := 0
	for _, sp := range specs {
		if err := sp.Validate(); err != nil {
			return nil, err
		}
		need = max(need, pipeline.Calib(sp.Variant))
	}
	p.MinCalib = max(p.MinCalib, need)
	plans := map[string]*prune.Plan{}
	rungs := make([]Rung, 0, len(specs))
	for i, sp := range specs {
		plan := plans[sp.PlanKey()]
		if plan == nil {
			var err error
			if plan, err = p.Cluster(sp); err != nil {
				return rungs, err
			}
			plans[sp.PlanKey()] = plan
		}
		res, err := p.Build(plan, sp.Variant)
		if err != nil {
			return rungs, fmt.Errorf("ladder: %s: %w", variant.Presets[i].Label, err)
		}
		e, err := resnet.Compile(res.Net)
		if err != nil {
			return rungs, err
		}
		ev := eval.Run(e, test, max(1, threads), nil)
		rungs = append(rungs, Rung{Preset: &variant.Presets[i], Result: res, Correct: ev.Correct, Images: ev.Images})
		if each != nil {
			each(rungs[len(rungs)-1])
		}
	}
	return rungs, nil
}
