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
// original and the Plan for a variant.Variant (study or fixed, representative, merging). Several
// variants can share one Plan. The accuracy repairs that need data (BN recalibration, least-squares
// refit) live in package repair; package pipeline runs the three in order. A run's settings (Spec,
// Variant, Method) are declared in package variant.
//
// The package reads no files, so its tests also run under wasm.
package prune

import "github.com/resnet20-pruning/resnet20-pruning/core/variant"

// The declaration of a pruning run lives in package variant (one table of steps); these names
// keep the packages that spell them prune.X compiling.
type (
	Method  = variant.Method
	Rep     = variant.Rep
	Variant = variant.Variant
	Spec    = variant.Spec
)

// The methods and representatives (package variant).
const (
	Sharing     = variant.Sharing
	Removal     = variant.Removal
	RepCentroid = variant.RepCentroid
	RepNorm     = variant.RepNorm
	RepClosest  = variant.RepClosest
)

// ParseMethod is variant.ParseMethod.
func ParseMethod(s string) (Method, error) { return variant.ParseMethod(s) }

// Clusters returns k = int(c·(1−r)), the study's cluster count for c filters at ratio r (Python's
// int() truncation of the same float64 product).
func Clusters(c int, ratio float64) int {
	return int(float64(c) * (1 - ratio))
}
