package resnet

import (
	"fmt"
	"maps"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/torchload"
)

// Metadata keys written into the project's safetensors files.
const (
	MetaFormat = "format" // "resnet20-pruning/1"
	MetaArch   = "arch"   // "A" or "B"
	MetaNorm   = "normalization"
)

// Normalization is the input preprocessing every supported checkpoint expects.
const Normalization = "x/255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)"

// Load reads a Net from a .safetensors file of this project or a PyTorch checkpoint (.pth, .th, .pt).
// It returns the file's metadata too (empty for PyTorch checkpoints).
func Load(path string) (*Net, map[string]string, error) {
	if strings.HasSuffix(path, ".safetensors") {
		f, err := safetensors.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		n, err := FromTensors(f.Tensors)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		if a, ok := f.Metadata[MetaArch]; ok && Arch(a) != n.Arch {
			return nil, nil, fmt.Errorf("%s: metadata says arch %s but tensors are variant %s", path, a, n.Arch)
		}
		return n, f.Metadata, nil
	}
	ts, err := torchload.Load(path)
	if err != nil {
		return nil, nil, err
	}
	n, err := FromTensors(ts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, map[string]string{}, nil
}

// Save writes n as safetensors with its arch and normalisation (and extra metadata) recorded.
func (n *Net) Save(path string, extra map[string]string) error {
	meta := map[string]string{MetaFormat: "resnet20-pruning/1", MetaArch: string(n.Arch), MetaNorm: Normalization}
	maps.Copy(meta, extra)
	return safetensors.WriteFile(path, &safetensors.File{Tensors: n.Tensors(), Metadata: meta})
}
