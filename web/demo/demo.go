// Package demo is what the browser demo computes, in plain Go: it runs natively (tests, and the
// browser test's reference numbers) and inside the Web Workers' wasm (wasm/worker), which only adds
// the message glue. It prunes exactly as `resnetprune prune` does (package pipeline: cluster,
// apply, repair on the first train images, account) and evaluates on the sample pack's test
// images, and it prepares what the views show: one layer's filters and clusters with the K-Means
// iterations projected on two principal components (package view, which the page's program runs
// as the view worker without the rest of demo), and each block's conv1 → bn1 → conv2 diagram.
package demo

import (
	"bytes"
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo/view"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

// The data types of the views live in package proto, so that the page decodes them without
// linking the core.
type (
	ConvInfo     = proto.ConvInfo
	LayerView    = proto.LayerView
	Step2        = proto.Step2
	BlockDiagram = proto.BlockDiagram
)

// Session holds the original network (Orig, from view.Views, with the layer views) and the
// sample pack.
type Session struct {
	*view.Views
	Test  *cifar.Set // the pack's test images (the first 1,000 of the test split)
	Train *cifar.Set // the pack's calibration images (the first 512 of the train split), may be empty

	pipe *pipeline.Pipeline // the pruning pipeline; its calibration images are the pack's train images
}

// LoadNet reads safetensors bytes into a Net (view.LoadNet).
func LoadNet(b []byte) (*resnet.Net, error) { return view.LoadNet(b) }

// NetBytes serialises n as safetensors (to hand a pruned network to other workers).
func NetBytes(n *resnet.Net) ([]byte, error) {
	var b bytes.Buffer
	if err := safetensors.Write(&b, &safetensors.File{Tensors: n.Tensors(), Metadata: map[string]string{resnet.MetaArch: string(n.Arch)}}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// NewSession parses the weights and the pack (raw CIFAR-10 records; either may be empty, for a
// worker that only describes layers).
func NewSession(weights, test, train []byte) (*Session, error) {
	n, err := LoadNet(weights)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	s := &Session{Views: view.New(n), Test: &cifar.Set{}, Train: &cifar.Set{}}
	if len(test) > 0 {
		if s.Test, err = cifar.ParseBytes(test, "test.bin"); err != nil {
			return nil, err
		}
	}
	if len(train) > 0 {
		if s.Train, err = cifar.ParseBytes(train, "train.bin"); err != nil {
			return nil, err
		}
	}
	// Calibration from every pack image at once, so that runs with fewer reuse it.
	s.pipe = &pipeline.Pipeline{Orig: n, Train: s.Train, Threads: 1, MinCalib: s.Train.Len()}
	return s, nil
}

// Pruned is one pruning run's outcome: the pipeline's result, the original network's accounting
// and the block diagrams.
type Pruned struct {
	*pipeline.Result
	Orig   []prune.Layer  // prune.Account of the original network
	Blocks []BlockDiagram // one per residual block
}

// Prune runs sp on the original network as the CLI does (pipeline.Pipeline.Run), repairing on
// the pack's train images; a variant that needs more of them than the pack has fails with
// pipeline.ErrCalib. ninit ≤ 0 means the study's 10 K-Means restarts.
func (s *Session) Prune(sp variant.Spec, ninit int) (*Pruned, error) {
	s.pipe.NInit = ninit
	r, err := s.pipe.Run(sp)
	if err != nil {
		return nil, err
	}
	return &Pruned{Result: r, Orig: prune.Account(s.Orig, nil), Blocks: Diagrams(s.Orig, r.Plan, r.Net)}, nil
}

// Diagrams describes every block of pruned (built from orig with plan).
func Diagrams(orig *resnet.Net, plan *prune.Plan, pruned *resnet.Net) []BlockDiagram {
	byName := map[string]*prune.LayerPlan{}
	for i := range plan.Layers {
		byName[plan.Layers[i].Name] = &plan.Layers[i]
	}
	out := make([]BlockDiagram, len(orig.Blocks))
	for i := range orig.Blocks {
		ob, pb := &orig.Blocks[i], &pruned.Blocks[i]
		d := BlockDiagram{Block: ob.Name, Index: i, C: ob.Conv1.Cout, Method: int(plan.Method), Removed: make([]bool, ob.Conv1.Cout)}
		if lp := byName[ob.Conv1.Name]; lp != nil && !plan.Kernels {
			d.Clusters, d.Unchanged = lp.K, lp.Unchanged
			if !lp.Unchanged {
				d.Labels = lp.Labels
			}
		}
		if lp := byName[ob.Conv2.Name]; lp != nil && !lp.Unchanged && !plan.Kernels {
			d.Conv2Labels = lp.Labels
		}
		if kept := pb.Conv1.KeptFilter; kept != nil {
			d.Rep = kept
			for c := range d.Removed {
				d.Removed[c] = true
			}
			for _, k := range kept {
				d.Removed[k] = false
			}
		}
		out[i] = d
	}
	return out
}
