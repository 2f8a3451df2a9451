package export

import (
	"io"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
)

// WriteSafetensors writes n as safetensors: PyTorch's tensor names and n's (pruned) shapes, as
// resnet.Net.Tensors gives them, F32, with Metadata(n, info). The file is the one prune --out
// writes, with more metadata: resnet.Load (and so resnetprune eval --weights) reads it back to the
// same network, and scripts/load_pruned.py builds the PyTorch module from it.
func WriteSafetensors(w io.Writer, n *resnet.Net, info Info) error {
	if err := check(n, info); err != nil {
		return err
	}
	return safetensors.Write(w, &safetensors.File{Tensors: n.Tensors(), Metadata: Metadata(n, info)})
}
