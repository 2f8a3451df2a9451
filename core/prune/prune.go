// Package prune compresses a ResNet20 by clustering the filters of its convolutions with K-Means,
// in the two ways of the study this project reproduces:
//
//   - Method 1, weight sharing (method1.go): in every residual block, conv1, conv2 and the 1×1
//     projection shortcut each have their filters clustered into k = int(Cout·(1−r)) clusters and
//     every filter is replaced by its cluster's centroid. The layer stores only the k centroids and
//     each output channel's centroid index (resnet.ConvBN.Assign), so the engine computes each
//     centroid's response once and gathers it into the member channels.
//   - Method 2, channel removal (method2.go): in every residual block, conv1's filters are clustered
//     and only one output channel per cluster is kept, together with its bn1 entry and conv2 input
//     channel: a genuinely smaller network.
//
// Pruning is two steps: Cluster runs K-Means on the layers the method touches and returns a Plan
// (labels and centroids per layer, the expensive part), then Apply builds the pruned network from the
// original and the Plan for a Variant (study or fixed, representative, merging). Several variants
// can share one Plan. The accuracy repairs that need data (BN recalibration, least-squares refit) live
// in package repair.
//
// The package reads no files, so its tests also run under wasm.
package prune

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Method selects how the clusters are used.
type Method int

// The study's two methods.
const (
	Sharing Method = 1 // method 1: weight sharing in conv1, conv2 and the shortcut of every block
	Removal Method = 2 // method 2: removal of conv1's output channels in every block
)

// String returns "1" or "2", the CLI's spelling.
func (m Method) String() string { return strconv.Itoa(int(m)) }

// ParseMethod accepts "1" or "2".
func ParseMethod(s string) (Method, error) {
	switch strings.TrimSpace(s) {
	case "1":
		return Sharing, nil
	case "2":
		return Removal, nil
	}
	return 0, fmt.Errorf("prune: unknown method %q (want 1 = weight sharing or 2 = channel removal)", s)
}

// Rep selects what replaces a cluster: its centroid or one of its members.
type Rep string

// Representatives.
const (
	RepCentroid Rep = "centroid" // the cluster mean (the study)
	RepNorm     Rep = "norm"     // the member filter with the largest L2 norm
	RepClosest  Rep = "closest"  // the member filter nearest to the centroid
)

// ParseRep accepts centroid, norm or closest ("" means centroid).
func ParseRep(s string) (Rep, error) {
	switch Rep(s) {
	case "", RepCentroid:
		return RepCentroid, nil
	case RepNorm, RepClosest:
		return Rep(s), nil
	}
	return "", fmt.Errorf("prune: unknown representative %q (want centroid, norm or closest)", s)
}

// DefaultCalib is the number of train images that a variant's "bn" and "refit" steps use when no
// count is given.
const DefaultCalib = 512

// Variant is everything about a pruning run except the method, ratio and seed.
//
// Its compact name (Name) is "study" or "fixed" followed by "+"-joined steps in a fixed order:
// pcaD (cluster in a D-dimensional PCA space), kernels (cluster 3×3 kernels, method 1), norm or
// closest (representative), bn (BN recalibration), merge (method 2: fold removed channels into their
// representative's conv2 input), refit (least-squares refit of conv2), c1 (the refit also refits
// conv1 so that its output on the pruned block input matches its output on the original's), select
// (method 2: before the refit, each cluster keeps the candidate, its centroid or one of its members,
// that best reconstructs the original conv2 output), comp (the refit also cancels the error the
// pruned prefix left in the shortcut branch), short (the compensated refit also refits the 1×1
// projection shortcuts, jointly with conv2), relu (the compensated refit also ignores errors that
// the block's final ReLU removes), fc (the refit also refits the linear layer to the original
// logits). For example "fixed+bn+merge+refit".
type Variant struct {
	Study   bool // keep the study's two defects (random conv biases in method 1, lost bn1 statistics in method 2)
	PCA     int  // cluster in the space of the first PCA components (0 = no PCA)
	Kernels bool // method 1: cluster individual K×K kernels instead of whole filters
	Rep     Rep  // what replaces a cluster ("" = centroid)
	Recal   int  // recompute every BN's statistics from this many train images (0 = off)
	Merge   bool // method 2: W2[:,rep] += Σ W2[:,m] over the removed members m of rep's cluster
	Refit   int  // refit every block's conv2 by least squares on this many train images (0 = off)
	Comp    bool // refit: target the original block's output (conv2 + shortcut), not its conv2 output
	ReLU    bool // comp: re-solve so that outputs both networks' final ReLU zeroes count as exact
	FC      bool // refit: also refit the linear layer to the original network's logits
	Conv1   bool // refit: also refit every block's conv1 against the original network's block input (with relu: ReLU-aware)
	Select  bool // method 2, refit: choose each cluster's kept channel (centroid or member) by reconstruction of conv2's output
	Short   bool // method 2, comp: refit the 1×1 projection shortcuts jointly with conv2
}

// Name returns the variant's compact name, e.g. "fixed+pca8+norm+bn+merge+refit". Calibration
// image counts are not part of the name (see Link).
func (v Variant) Name() string {
	parts := []string{"fixed"}
	if v.Study {
		parts[0] = "study"
	}
	if v.PCA > 0 {
		parts = append(parts, "pca"+strconv.Itoa(v.PCA))
	}
	if v.Kernels {
		parts = append(parts, "kernels")
	}
	if v.Rep != "" && v.Rep != RepCentroid {
		parts = append(parts, string(v.Rep))
	}
	if v.Recal > 0 {
		parts = append(parts, "bn")
	}
	if v.Merge {
		parts = append(parts, "merge")
	}
	if v.Refit > 0 {
		parts = append(parts, "refit")
	}
	if v.Select {
		parts = append(parts, "select")
	}
	if v.Conv1 {
		parts = append(parts, "c1")
	}
	if v.Comp {
		parts = append(parts, "comp")
	}
	if v.Short {
		parts = append(parts, "short")
	}
	if v.ReLU {
		parts = append(parts, "relu")
	}
	if v.FC {
		parts = append(parts, "fc")
	}
	return strings.Join(parts, "+")
}

// ParseVariant reads a compact name such as "fixed+bn+merge+refit" (steps in any order). The "bn"
// and "refit" steps use calib train images (DefaultCalib when calib ≤ 0); "bnN" and "refitN" give
// their own count, e.g. "fixed+bn1024".
func ParseVariant(s string, calib int) (Variant, error) {
	if calib <= 0 {
		calib = DefaultCalib
	}
	parts := strings.Split(strings.TrimSpace(s), "+")
	var v Variant
	switch parts[0] {
	case "study":
		v.Study = true
	case "fixed":
	default:
		return v, fmt.Errorf("prune: variant %q must start with study or fixed", s)
	}
	count := func(p, prefix string) (int, bool, error) {
		if !strings.HasPrefix(p, prefix) {
			return 0, false, nil
		}
		rest := p[len(prefix):]
		if rest == "" {
			return calib, true, nil
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return 0, true, fmt.Errorf("prune: variant %q: bad count in step %q", s, p)
		}
		return n, true, nil
	}
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		key := strings.TrimRight(p, "0123456789")
		if seen[key] {
			return v, fmt.Errorf("prune: variant %q repeats step %q", s, key)
		}
		seen[key] = true
		switch {
		case p == "kernels":
			v.Kernels = true
		case p == "norm" || p == "closest" || p == "centroid":
			v.Rep = Rep(p)
		case p == "merge":
			v.Merge = true
		case p == "comp":
			v.Comp = true
		case p == "relu":
			v.ReLU = true
		case p == "fc":
			v.FC = true
		case p == "c1":
			v.Conv1 = true
		case p == "select":
			v.Select = true
		case p == "short":
			v.Short = true
		case strings.HasPrefix(p, "pca"):
			d, err := strconv.Atoi(p[3:])
			if err != nil || d < 1 {
				return v, fmt.Errorf("prune: variant %q: step %q needs a dimension, e.g. pca8", s, p)
			}
			v.PCA = d
		default:
			if n, ok, err := count(p, "bn"); ok {
				if err != nil {
					return v, err
				}
				v.Recal = n
				continue
			}
			if n, ok, err := count(p, "refit"); ok {
				if err != nil {
					return v, err
				}
				v.Refit = n
				continue
			}
			return v, fmt.Errorf("prune: variant %q: unknown step %q (want pcaD, kernels, norm, closest, bn, merge, refit, select, c1, comp, short, relu, fc)", s, p)
		}
	}
	return v, nil
}

// Spec is one complete pruning run: method, ratio, seed and variant.
type Spec struct {
	Method  Method
	Ratio   float64 // fraction of filters to remove, 0 ≤ r < 1
	Seed    uint64  // K-Means (and the study's random biases) seed
	Variant Variant
}

// Validate checks the ratio, the method and the combination of options.
func (s *Spec) Validate() error {
	if s.Method != Sharing && s.Method != Removal {
		return fmt.Errorf("prune: unknown method %d (want 1 or 2)", int(s.Method))
	}
	if math.IsNaN(s.Ratio) || s.Ratio < 0 || s.Ratio >= 1 {
		return fmt.Errorf("prune: ratio %v outside [0, 1)", s.Ratio)
	}
	v := s.Variant
	if _, err := ParseRep(string(v.Rep)); err != nil {
		return err
	}
	if v.PCA < 0 || v.Recal < 0 || v.Refit < 0 {
		return fmt.Errorf("prune: negative pca/recal/refit (%d/%d/%d)", v.PCA, v.Recal, v.Refit)
	}
	if (v.Comp || v.FC || v.Conv1 || v.Select) && v.Refit == 0 {
		return fmt.Errorf("prune: comp, c1, select and fc are parts of the refit: add refit")
	}
	if v.ReLU && !v.Comp {
		return fmt.Errorf("prune: relu is a part of comp: add comp")
	}
	if v.Short && !v.Comp {
		return fmt.Errorf("prune: short is a part of comp: add comp")
	}
	if v.Select && s.Method != Removal {
		return fmt.Errorf("prune: select chooses method 2's kept channels: use method 2")
	}
	if v.Short && s.Method != Removal {
		return fmt.Errorf("prune: short refits dense shortcuts, method 1 shares them: use method 2")
	}
	if v.Kernels && s.Method != Sharing {
		return fmt.Errorf("prune: kernel clustering is a method-1 (weight sharing) option")
	}
	return nil
}

// Link returns a URL fragment with every setting as key=value, keys named as the CLI's flags, e.g.
// "#method=2&ratio=0.5&seed=1&variant=fixed&pca=0&kernels=false&rep=centroid&recal=512&merge=true&refit=512&comp=false&relu=false&fc=false".
// extra settings (for example the evaluation images) are appended in the given order.
func (s *Spec) Link(extra ...[2]string) string {
	v := s.Variant
	base := "fixed"
	if v.Study {
		base = "study"
	}
	rep := v.Rep
	if rep == "" {
		rep = RepCentroid
	}
	kv := [][2]string{
		{"method", s.Method.String()},
		{"ratio", strconv.FormatFloat(s.Ratio, 'g', -1, 64)},
		{"seed", strconv.FormatUint(s.Seed, 10)},
		{"variant", base},
		{"pca", strconv.Itoa(v.PCA)},
		{"kernels", strconv.FormatBool(v.Kernels)},
		{"rep", string(rep)},
		{"recal", strconv.Itoa(v.Recal)},
		{"merge", strconv.FormatBool(v.Merge)},
		{"refit", strconv.Itoa(v.Refit)},
		{"comp", strconv.FormatBool(v.Comp)},
		{"relu", strconv.FormatBool(v.ReLU)},
		{"fc", strconv.FormatBool(v.FC)},
	}
	// Only when set, so that older links keep their form.
	for _, f := range []struct {
		key string
		on  bool
	}{{"c1", v.Conv1}, {"select", v.Select}, {"short", v.Short}} {
		if f.on {
			kv = append(kv, [2]string{f.key, "true"})
		}
	}
	kv = append(kv, extra...)
	var b strings.Builder
	for i, p := range kv {
		if i == 0 {
			b.WriteByte('#')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1]))
	}
	return b.String()
}

// Clusters returns k = int(c·(1−r)), the study's cluster count for c filters at ratio r (Python's
// int() truncation of the same float64 product).
func Clusters(c int, ratio float64) int {
	return int(float64(c) * (1 - ratio))
}
