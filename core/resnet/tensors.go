package resnet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// Tensor names follow PyTorch's state_dict: "<conv>.weight" [rows, cin, k, k] and
// "<bn>.{weight,bias,running_mean,running_var}" [cout]. Method-1 weight sharing adds
// "<conv>.assign" [cout] (centroid index per channel, stored as float32) and, for the study's
// variant, "<conv>.bias" [rows]. Channel removal (method 2) simply gives smaller shapes.

// DetectArch tells the variant from a state_dict's key names.
func DetectArch(ts map[string]*tensor.Tensor) (Arch, error) {
	switch {
	case ts["l.weight"] != nil || ts["layer9.conv1.weight"] != nil:
		return ArchB, nil
	case ts["linear.weight"] != nil || ts["layer3.2.conv1.weight"] != nil:
		return ArchA, nil
	}
	return "", fmt.Errorf("resnet: cannot tell the ResNet20 variant: no l.weight/layer9.* (B) nor linear.weight/layer3.2.* (A) among %d tensors", len(ts))
}

// FromTensors builds a Net from named tensors, taking channel counts from the shapes so that pruned
// models load too. Every tensor must be used; unknown or missing names are errors.
func FromTensors(ts map[string]*tensor.Tensor) (*Net, error) {
	arch, err := DetectArch(ts)
	if err != nil {
		return nil, err
	}
	n, _ := New(arch)
	used := map[string]bool{}
	get := func(name string, dims int) (*tensor.Tensor, error) {
		t := ts[name]
		if t == nil {
			return nil, fmt.Errorf("resnet: missing tensor %s", name)
		}
		if len(t.Shape) != dims || len(t.Data) != tensor.Numel(t.Shape) {
			return nil, fmt.Errorf("resnet: tensor %s has shape %v, want %d dimensions", name, t.Shape, dims)
		}
		used[name] = true
		return t, nil
	}
	for _, c := range n.Convs() {
		w, err := get(c.Name+".weight", 4)
		if err != nil {
			return nil, err
		}
		if w.Shape[2] != c.K || w.Shape[3] != c.K {
			return nil, fmt.Errorf("resnet: tensor %s.weight has shape %v, want %d×%d kernels", c.Name, w.Shape, c.K, c.K)
		}
		c.Cin, c.W = w.Shape[1], w.Data
		var bn [4][]float32
		for i, suffix := range []string{"weight", "bias", "running_mean", "running_var"} {
			t, err := get(c.BNName+"."+suffix, 1)
			if err != nil {
				return nil, err
			}
			bn[i] = t.Data
		}
		c.BN = BatchNorm{bn[0], bn[1], bn[2], bn[3]}
		c.Cout = len(bn[0])
		used[c.BNName+".num_batches_tracked"] = true
		if a := ts[c.Name+".assign"]; a != nil {
			if _, err := get(c.Name+".assign", 1); err != nil {
				return nil, err
			}
			c.Assign = make([]int32, len(a.Data))
			for i, v := range a.Data {
				if v != float32(int32(v)) {
					return nil, fmt.Errorf("resnet: tensor %s.assign[%d] = %v is not an index", c.Name, i, v)
				}
				c.Assign[i] = int32(v)
			}
		}
		if ts[c.Name+".bias"] != nil {
			b, err := get(c.Name+".bias", 1)
			if err != nil {
				return nil, err
			}
			c.Bias = b.Data
		}
	}
	w, err := get(n.FCName+".weight", 2)
	if err != nil {
		return nil, err
	}
	b, err := get(n.FCName+".bias", 1)
	if err != nil {
		return nil, err
	}
	if w.Shape[0] != Classes {
		return nil, fmt.Errorf("resnet: tensor %s.weight has shape %v, want %d classes", n.FCName, w.Shape, Classes)
	}
	n.FCW, n.FCB = w.Data, b.Data
	var unknown []string
	for name := range ts {
		if !used[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		if len(unknown) > 5 {
			unknown = append(unknown[:5], "…")
		}
		return nil, fmt.Errorf("resnet: %s-variant weights have unexpected tensors: %s", arch, strings.Join(unknown, ", "))
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return n, nil
}

// Tensors returns n's parameters by PyTorch name (sharing n's memory).
func (n *Net) Tensors() map[string]*tensor.Tensor {
	ts := map[string]*tensor.Tensor{}
	vec := func(d []float32) *tensor.Tensor { return &tensor.Tensor{Shape: []int{len(d)}, Data: d} }
	for _, c := range n.Convs() {
		ts[c.Name+".weight"] = &tensor.Tensor{Shape: []int{c.Rows(), c.Cin, c.K, c.K}, Data: c.W}
		ts[c.BNName+".weight"] = vec(c.BN.Gamma)
		ts[c.BNName+".bias"] = vec(c.BN.Beta)
		ts[c.BNName+".running_mean"] = vec(c.BN.Mean)
		ts[c.BNName+".running_var"] = vec(c.BN.Var)
		if c.Assign != nil {
			a := make([]float32, len(c.Assign))
			for i, v := range c.Assign {
				a[i] = float32(v)
			}
			ts[c.Name+".assign"] = vec(a)
		}
		if c.Bias != nil {
			ts[c.Name+".bias"] = vec(c.Bias)
		}
	}
	ts[n.FCName+".weight"] = &tensor.Tensor{Shape: []int{Classes, len(n.FCW) / Classes}, Data: n.FCW}
	ts[n.FCName+".bias"] = vec(n.FCB)
	return ts
}
