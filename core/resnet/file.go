package resnet

import (
	"fmt"
	"maps"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
)

// Metadata keys written into the project's safetensors files.
const (
	MetaFormat = "format" // "resnet20-pruning/1"
	MetaArch   = "arch"   // "A" or "B"
	MetaNorm   = "normalization"
)

// Normalization is the input preprocessing every supported checkpoint expects.
const Normalization = "x/255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)"

// Load reads a Net, and the file's metadata, from a .safetensors file of this project. PyTorch
// checkpoints are read by package torchload (whose tensors FromTensors takes), so that programs
// that only load safetensors, such as the browser's, do not carry a pickle reader.
func Load(path string) (*Net, map[string]string, error) {
	if !strings.HasSuffix(path, ".safetensors") {
		return nil, nil, fmt.Errorf("%s: not a .safetensors file (PyTorch checkpoints: `resnetprune import`, or torchload.Load and FromTensors)", path)
	}
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

// Save writes n as safetensors with its arch and normalisation (and extra metadata) recorded.
func (n *Net) Save(path string, extra map[string]string) error {
	meta := map[string]string{MetaFormat: "resnet20-pruning/1", MetaArch: string(n.Arch), MetaNorm: Normalization}
	maps.Copy(meta, extra)
	return safetensors.WriteFile(path, &safetensors.File{Tensors: n.Tensors(), Metadata: meta})
}
