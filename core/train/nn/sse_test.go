//go:build goexperiment.simd && amd64 && !race

package nn

import (
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/internal/asmcheck"
)

// TestNoLegacySSEInAVXCode: no element-wise kernel runs legacy SSE while the AVX upper halves are
// dirty (see package asmcheck and vec_avx512.go).
func TestNoLegacySSEInAVXCode(t *testing.T) {
	asmcheck.Check(t, `resnet20-pruning/core/train/nn\.`)
}
