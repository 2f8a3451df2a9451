// Package export writes a (pruned) ResNet20 for other frameworks: safetensors with PyTorch's
// tensor names (WriteSafetensors), loadable by PyTorch through scripts/load_pruned.py and by this
// project's own readers, and ONNX (WriteONNX), an inference graph with every batch normalisation
// folded into its convolution. It writes to an io.Writer and opens no file.
//
// Both take the network's input as the engine does: float32 NCHW images already normalised as
// resnet.Normalization says (x/255, then per-channel mean and std). The ONNX graph has no
// normalisation node; InputDoc, in its metadata and doc strings, says so.
//
// # Pruned networks
//
// Method 2 (channel removal) gives an ordinary, narrower network: in block b conv1 keeps k_b of its
// filters, so conv1.weight is [k_b, cin, 3, 3], bn1's four vectors have k_b entries and
// conv2.weight is [cout, k_b, 3, 3]. Both formats simply carry those shapes.
//
// Method 1 (weight sharing) keeps every output channel but stores only K centroid filters per
// layer, W = [μ_0 … μ_{K−1}], and each output channel's centroid index a(o) ∈ [0, K). The
// safetensors file keeps that compact form (see Metadata's "layout" entry for the expansion); the
// ONNX graph expands it, W_o = μ_{a(o)}, because ONNX has no gathered convolution.
//
// # Batch-normalisation folding (ONNX)
//
// In inference, BatchNorm2d maps a convolution's output channel o, z_o = W_o * x + c_o (c_o the
// conv bias, 0 when the conv has none), to
//
//	y_o = γ_o (z_o − m_o) / √(v_o + ε) + β_o = s_o z_o + t_o,
//	s_o = γ_o / √(v_o + ε),   t_o = β_o − m_o s_o
//
// with γ, β the BN's weight and bias, m, v its running mean and variance and ε = 1e-5
// (resnet.BNEps). Since convolution is linear in its weights, y_o = (s_o W_o) * x + (s_o c_o + t_o):
// the folded convolution has weights W'_o = s_o W_o and bias b'_o = s_o c_o + t_o, and needs no BN
// node. s and t are computed in float64 and rounded to float32 (resnet.BatchNorm.Fold), then
// W'_o = s_o·W_o in float32, exactly as the project's engine folds them, so the ONNX graph and the
// engine differ only in the order of their floating-point sums.
package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// Info describes how an exported network was made; it is recorded in the files' metadata.
type Info struct {
	Source string        // the weights it was made from (a file name), "" if unknown
	Spec   *variant.Spec // the pruning run that made it; nil when it was not pruned here
	// Source's own metadata, when Spec is nil: its pruning keys (PruneKeys) are kept, so that a
	// file pruned earlier (prune --out, export) keeps saying how it was made.
	SourceMeta map[string]string
}

// PruneKeys are the metadata keys that describe a pruning run.
var PruneKeys = []string{"method", "ratio", "seed", "variant", MetaArgs, "link"}

// Metadata keys written by this package besides resnet's format, arch and normalisation keys and
// prune --out's "source", "method", "ratio", "seed", "variant" and "link".
const (
	MetaArgs   = "args"   // the resnetprune flags that reproduce the pruning run (variant.Spec.Args)
	MetaLayout = "layout" // safetensors: how the tensors map onto PyTorch modules
	MetaInput  = "input"  // ONNX: the input's layout and preprocessing
	MetaFolded = "folded" // ONNX: what was folded or expanded into the graph's convolutions
)

// InputDoc states the exported ONNX graph's input convention.
const InputDoc = "input: float32 NCHW [N, 3, 32, 32], N dynamic, RGB, already normalised: " + resnet.Normalization +
	"; output logits: float32 [N, 10] (CIFAR-10 classes, no softmax)"

// layoutDoc explains the safetensors tensors to a PyTorch user (scripts/load_pruned.py follows it).
const layoutDoc = "PyTorch state_dict names and layouts (Conv2d weight [out, in, k, k], BatchNorm2d " +
	"weight/bias/running_mean/running_var, eps 1e-5, Linear weight [10, in]); every module's width is its tensors' shape " +
	"(method 2: conv1.weight [k, in, 3, 3], bn1 [k], conv2.weight [out, k, 3, 3]). " +
	"<conv>.bias, if present, is a conv bias (Conv2d(bias=True)). " +
	"<conv>.assign, if present (method 1, weight sharing): <conv>.weight holds K centroid filters [K, in, k, k] and " +
	"<conv>.assign [out] each output channel's centroid index, stored as float32 exact integers; the Conv2d is " +
	"weight = W[assign.long()] (and bias = b[assign.long()]) with out filters"

// Metadata returns the string metadata recorded for n made as info says: the project's format,
// arch and normalisation keys, the source, the pruning run (method, ratio, seed, the variant's
// name, the flags that reproduce it and its link: from info.Spec, else those of info.SourceMeta,
// else method "none") and the tensor layout.
func Metadata(n *resnet.Net, info Info) map[string]string {
	m := map[string]string{
		resnet.MetaFormat: "resnet20-pruning/1",
		resnet.MetaArch:   string(n.Arch),
		resnet.MetaNorm:   resnet.Normalization,
		MetaLayout:        layoutDoc,
		"method":          "none",
	}
	if info.Source != "" {
		m["source"] = info.Source
	}
	if info.Spec == nil {
		for _, k := range PruneKeys {
			if v, ok := info.SourceMeta[k]; ok {
				m[k] = v
			}
		}
	}
	if s := info.Spec; s != nil {
		m["method"] = s.Method.String()
		m["ratio"] = strconv.FormatFloat(s.Ratio, 'g', -1, 64)
		m["seed"] = strconv.FormatUint(s.Seed, 10)
		m["variant"] = s.Variant.Name()
		m[MetaArgs] = strings.Join(s.Args(), " ")
		m["link"] = s.Link()
	}
	return m
}

// Fold returns c's convolution with its batch normalisation folded in and, under weight sharing,
// its centroids expanded: Cout filters W'_o = s_o·W_{a(o)} (Cout×Cin×K×K, PyTorch layout) and Cout
// biases b'_o = s_o·c_{a(o)} + t_o, where a is c.Assign (the identity without sharing), c the conv
// bias (0 without one) and s, t the BN's scale and shift (see the package comment).
func Fold(c *resnet.ConvBN) (w, b []float32) {
	scale, shift := c.BN.Fold()
	fl := c.FilterLen()
	w = make([]float32, c.Cout*fl)
	b = shift
	for o := range c.Cout {
		r := o
		if c.Assign != nil {
			r = int(c.Assign[o])
		}
		for j, v := range c.W[r*fl : (r+1)*fl] {
			w[o*fl+j] = v * scale[o]
		}
		if c.Bias != nil {
			b[o] += scale[o] * c.Bias[r]
		}
	}
	return w, b
}

// check validates n before export.
func check(n *resnet.Net, info Info) error {
	if n == nil {
		return fmt.Errorf("export: nil network")
	}
	if info.Spec != nil {
		if err := info.Spec.Validate(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if err := n.Validate(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
