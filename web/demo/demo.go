// Package demo is what the browser demo computes, in plain Go: it runs natively (tests, and the
// browser test's reference numbers) and inside the Web Workers' wasm (wasm/worker), which only adds
// the message glue. It prunes exactly as `resnetprune prune` does (package pipeline: cluster,
// apply, repair on the first train images, account) and evaluates on the sample pack's test
// images, and it prepares what the views show: one layer's filters and clusters with the K-Means
// iterations projected on two principal components, and each block's conv1 → bn1 → conv2 diagram.
package demo

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
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

// Session holds the original network and the sample pack.
type Session struct {
	Orig  *resnet.Net
	Test  *cifar.Set // the pack's test images (the first 1,000 of the test split)
	Train *cifar.Set // the pack's calibration images (the first 512 of the train split), may be empty
	Convs []ConvInfo

	pipe *pipeline.Pipeline // the pruning pipeline; its calibration images are the pack's train images

	mu    sync.Mutex
	cache map[viewKey]any // the views' PCA and K-Means results (view.go)
	order []viewKey       // cache keys, oldest first
}

// LoadNet reads safetensors bytes into a Net.
func LoadNet(b []byte) (*resnet.Net, error) {
	f, err := safetensors.ReadBytes(b)
	if err != nil {
		return nil, err
	}
	return resnet.FromTensors(f.Tensors)
}

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
	s := &Session{Orig: n, Test: &cifar.Set{}, Train: &cifar.Set{}}
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
	s.Convs = Convs(n)
	// Calibration from every pack image at once, so that runs with fewer reuse it.
	s.pipe = &pipeline.Pipeline{Orig: n, Train: s.Train, Threads: 1, MinCalib: s.Train.Len()}
	return s, nil
}

// Convs lists n's convolutions in forward order.
func Convs(n *resnet.Net) []ConvInfo {
	var out []ConvInfo
	add := func(c *resnet.ConvBN, block int, role string) {
		out = append(out, ConvInfo{Name: c.Name, Index: len(out), Block: block, Role: role, Cin: c.Cin, Cout: c.Cout, K: c.K})
	}
	add(&n.Stem, -1, "stem")
	for i := range n.Blocks {
		b := &n.Blocks[i]
		add(&b.Conv1, i, "conv1")
		add(&b.Conv2, i, "conv2")
		if b.Shortcut != nil {
			add(b.Shortcut, i, "shortcut")
		}
	}
	return out
}

// Conv returns the ConvInfo named name.
func (s *Session) Conv(name string) (ConvInfo, bool) {
	for _, c := range s.Convs {
		if c.Name == name {
			return c, true
		}
	}
	return ConvInfo{}, false
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
