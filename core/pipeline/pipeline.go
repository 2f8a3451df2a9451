// Package pipeline is the one prune-and-repair pipeline: cluster the filters (prune.Cluster), build
// the pruned network for a variant (prune.Apply), repair it on calibration train images
// (repair.Calibration.Repair) and account for it (prune.Account). The CLI (prune, sweep, finetune,
// export) and the browser demo both call it, so they prune identically.
package pipeline

import (
	"errors"
	"fmt"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/repair"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// Pipeline prunes one original network. Its calibration images are the first ones of Train, built
// once (repair.NewCalibration) and reused by every run that needs no more of them. A Pipeline is
// not safe for concurrent use.
type Pipeline struct {
	Orig     *resnet.Net
	Train    *cifar.Set // calibration images (the train split, or the demo's pack); nil or empty when no run repairs
	Threads  int        // goroutines of the repairs (0 = all cores)
	NInit    int        // K-Means restarts per layer (0 = prune.NInit, the study's)
	MinCalib int        // build the calibration from at least this many of Train's images (so that later runs reuse it)

	cal *repair.Calibration
}

// Result is one pruned and repaired network.
type Result struct {
	Spec   variant.Spec
	Plan   *prune.Plan
	Net    *resnet.Net
	Notes  []string      // what the user should be told (prune.Apply's notes)
	Layers []prune.Layer // prune.Account of Net (last row: the totals)
	Repair *repair.Stats // nil without repairs

	ClusterSeconds float64 // K-Means (0 when the plan was given)
	CalibSeconds   float64 // building the calibration images' activations (0 when reused)
	RepairSeconds  float64 // the repairs themselves (calibration activations excluded)
}

// ErrCalib is returned when a variant needs more calibration images than Train has.
var ErrCalib = errors.New("not enough calibration images")

// Run prunes the original network as sp says: Cluster, then Build.
func (p *Pipeline) Run(sp variant.Spec) (*Result, error) {
	if err := sp.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	plan, err := p.Cluster(sp)
	if err != nil {
		return nil, err
	}
	secs := time.Since(t0).Seconds()
	r, err := p.Build(plan, sp.Variant)
	if err != nil {
		return nil, err
	}
	r.ClusterSeconds = secs
	return r, nil
}

// Cluster runs K-Means on the layers sp's method prunes (prune.Cluster with p.NInit restarts).
// Specs with equal PlanKeys can share its plan (Build).
func (p *Pipeline) Cluster(sp variant.Spec) (*prune.Plan, error) {
	return prune.Cluster(p.Orig, sp, prune.ClusterOptions{NInit: p.NInit})
}

// Build applies variant v to plan (a clustering of p.Orig), repairs the result on the first
// max(v.Recal, v.Refit) calibration images and accounts for it.
func (p *Pipeline) Build(plan *prune.Plan, v variant.Variant) (*Result, error) {
	net, notes, err := prune.Apply(p.Orig, plan, v)
	if err != nil {
		return nil, err
	}
	r := &Result{Spec: variant.Spec{Method: plan.Method, Ratio: plan.Ratio, Seed: plan.Seed, Variant: v}, Plan: plan, Net: net, Notes: notes}
	if n := Calib(v); n > 0 {
		t1 := time.Now()
		cal, err := p.Calibration(n)
		if err != nil {
			return nil, err
		}
		t2 := time.Now()
		if r.Repair, err = cal.Repair(net, repair.ForPlan(v, plan)); err != nil {
			return nil, err
		}
		r.CalibSeconds, r.RepairSeconds = t2.Sub(t1).Seconds(), time.Since(t2).Seconds()
	}
	r.Layers = prune.Account(net, plan)
	return r, nil
}

// Calib returns how many calibration images v's repairs use (0: none).
func Calib(v variant.Variant) int { return max(v.Recal, v.Refit) }

// Calibration returns calibration images with at least n of Train's first images (and at least
// MinCalib, as far as Train has them), building them only when the last ones were fewer.
func (p *Pipeline) Calibration(n int) (*repair.Calibration, error) {
	have := 0
	if p.Train != nil {
		have = p.Train.Len()
	}
	if n > have {
		return nil, fmt.Errorf("%w: the variant needs %d, there are %d", ErrCalib, n, have)
	}
	if p.cal != nil && p.cal.Images() >= n {
		return p.cal, nil
	}
	m := max(n, min(p.MinCalib, have))
	x := make([]float32, m*cifar.ImageSize)
	p.Train.Batch(x, 0, m)
	cal, err := repair.NewCalibration(p.Orig, x, m, p.Threads)
	if err != nil {
		return nil, err
	}
	p.cal = cal
	return cal, nil
}
