package repair

import (
	"math"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
)

// TestRestandardize checks that Restandardize keeps the network's inference-mode logits and leaves
// every BN with the statistics of its own input: after it, a second Restandardize changes nothing.
func TestRestandardize(t *testing.T) {
	for _, arch := range []resnet.Arch{resnet.ArchA, resnet.ArchB} {
		n := resnettest.RandomNet(arch, 3)
		x := resnettest.RandomImages(5, 4)
		cal, err := NewCalibration(n.Clone(), x, 5, 2)
		if err != nil {
			t.Fatal(err)
		}
		m := n.Clone()
		if err := cal.Restandardize(m, 5); err != nil {
			t.Fatal(err)
		}
		if m.Blocks[3].Conv2.BN.Mean[0] == n.Blocks[3].Conv2.BN.Mean[0] {
			t.Fatalf("%s: block 3 bn2 statistics unchanged", arch)
		}
		before, after := logits(t, n, x, 5), logits(t, m, x, 5)
		for i := range before {
			if d := math.Abs(float64(before[i] - after[i])); d > 1e-3*(1+math.Abs(float64(before[i]))) {
				t.Fatalf("%s: logit %d %v → %v", arch, i, before[i], after[i])
			}
		}
		again := m.Clone()
		if err := cal.Restandardize(again, 5); err != nil {
			t.Fatal(err)
		}
		for i, g := range again.Blocks[5].Conv1.BN.Gamma {
			if d := math.Abs(float64(g - m.Blocks[5].Conv1.BN.Gamma[i])); d > 1e-4*(1+math.Abs(float64(g))) {
				t.Fatalf("%s: a second Restandardize moved γ[%d] %v → %v", arch, i, m.Blocks[5].Conv1.BN.Gamma[i], g)
			}
		}
		if err := cal.Restandardize(m, 6); err == nil {
			t.Errorf("%s: 6 of 5 images accepted", arch)
		}
	}
}

func logits(t *testing.T, n *resnet.Net, x []float32, imgs int) []float32 {
	t.Helper()
	e, err := resnet.Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, imgs*resnet.Classes)
	e.Run(out, x, imgs, 1, nil)
	return out
}
