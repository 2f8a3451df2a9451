//go:build goexperiment.simd && amd64 && !race

package kernels

import (
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/internal/asmcheck"
)

// TestNoLegacySSEInAVXCode: no kernel of this package runs legacy SSE while the AVX upper halves
// are dirty (~160 ns per call on the machines measured; see package asmcheck).
func TestNoLegacySSEInAVXCode(t *testing.T) {
	asmcheck.Check(t, `resnet20-pruning/core/kernels\.`)
}
