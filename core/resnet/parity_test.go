package resnet

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/torchload"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// torchFixture is testdata/torch_logits.json, written once by scripts/torch_reference.py fixture.
type torchFixture map[string]struct {
	Weights     string      `json:"weights"`
	TestFirst16 [][]float64 `json:"test_first16"`
	Synthetic   [][]float64 `json:"synthetic"`
}

// syntheticInput is the fixture's data-free input k: x[c,y,x] = sin(0.1·(c·1024+y·32+x) + k),
// already in normalised space.
func syntheticInput(k int) []float32 {
	x := make([]float32, 3*32*32)
	for i := range x {
		x[i] = float32(math.Sin(0.1*float64(i) + float64(k)))
	}
	return x
}

// TestPyTorchParity runs both public checkpoints and compares logits with PyTorch's, ≤ 1e-3 max abs.
func TestPyTorchParity(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_logits.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx torchFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	for arch, want := range fx {
		t.Run(arch, func(t *testing.T) {
			ts, err := torchload.Load(shared.Path(t, "weights/"+want.Weights))
			if err != nil {
				t.Fatal(err)
			}
			n, err := FromTensors(ts)
			if err != nil {
				t.Fatal(err)
			}
			if string(n.Arch) != arch {
				t.Fatalf("detected arch %s, fixture says %s", n.Arch, arch)
			}
			e, err := Compile(n)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, x []float32, want [][]float64) {
				got := make([]float32, len(want)*Classes)
				e.Run(got, x, len(want), 2, nil)
				for i, w := range want {
					for j := range Classes {
						if d := math.Abs(float64(got[i*Classes+j]) - w[j]); d > 1e-3 {
							t.Fatalf("%s %d: logit %d = %v, PyTorch %v (diff %g)", what, i, j, got[i*Classes+j], w[j], d)
						}
					}
				}
			}
			var syn []float32
			for k := range want.Synthetic {
				syn = append(syn, syntheticInput(k)...)
			}
			check("synthetic", syn, want.Synthetic)
			set, err := cifar.Open(shared.CIFAR10(t), cifar.Test)
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float32, 16*cifar.ImageSize)
			set.Batch(x, 0, 16)
			check("test image", x, want.TestFirst16)
		})
	}
}
