package ladder

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

func TestRunErrors(t *testing.T) {
	net, err := resnet.New(resnet.ArchB)
	if err != nil {
		t.Fatal(err)
	}
	test := &cifar.Set{Labels: make([]uint8, 2), Pixels: make([]uint8, 2*cifar.ImageSize)}
	if _, err := Run(&pipeline.Pipeline{Orig: net}, variant.Removal, 0.5, 1, 0, nil, 1, nil); err == nil {
		t.Error("no test images: no error")
	}
	if _, err := Run(&pipeline.Pipeline{Orig: net}, variant.Removal, 1.5, 1, 0, test, 1, nil); err == nil {
		t.Error("ratio 1.5: no error")
	}
	// No calibration images: the first two rungs (no repair) come back, then ErrCalib.
	var seen int
	rungs, err := Run(&pipeline.Pipeline{Orig: net}, variant.Removal, 0.5, 1, 0, test, 1, func(Rung) { seen++ })
	if err == nil || len(rungs) != 2 || seen != 2 || rungs[0].Preset.Key != variant.Study || rungs[1].Images != 2 {
		t.Errorf("without calibration images: %d rungs (%d reported), %v", len(rungs), seen, err)
	}
}

// TestMatchesCLI checks each rung of the ladder (the project's weights, method 2, r = 0.5, seed 1,
// the first 200 test images) against `resnetprune prune --variant NAME --limit 200 --json`: the
// same number of images right (9.5, 9.5, 31.5, 53.5, 76.0, 84.5% when written; ~6 min on the
// loaded 2-core machine, 70 s of CPU).
func TestMatchesCLI(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("-short, or under wasm (no go build there)")
	}
	dir := shared.CIFAR10(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	weights := filepath.Join(root, "weights", "resnet20.safetensors")
	orig, _, err := resnet.Load(weights)
	if err != nil {
		t.Fatal(err)
	}
	trainSet, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		t.Fatal(err)
	}
	testSet, err := cifar.Open(dir, cifar.Test)
	if err != nil {
		t.Fatal(err)
	}
	p := &pipeline.Pipeline{Orig: orig, Train: trainSet.Slice(0, variant.BestCalib), Threads: 2}
	rungs, err := Run(p, variant.Removal, 0.5, 1, 0, testSet.Slice(0, 200), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "resnetprune")
	build := exec.Command("go", "build", "-o", bin, "./cmd/resnetprune")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, r := range rungs {
		name := r.Result.Spec.Variant.Name()
		if r.Preset.Key == variant.BestName {
			name = variant.BestName
		}
		cmd := exec.Command(bin, "prune", "--weights", weights, "--data", dir, "--method", "2", "--ratio", "0.5",
			"--seed", "1", "--variant", name, "--limit", "200", "--threads", "2", "--json")
		cmd.Env = append(os.Environ(), "CIFAR10_DIR="+dir)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("prune --variant %s: %v", name, err)
		}
		var rep struct {
			Correct int `json:"correct"`
			Images  int `json:"images"`
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("prune --variant %s: %v\n%s", name, err, out)
		}
		t.Logf("%-20s ladder %5.1f%%   prune --variant %s: %d/%d", r.Preset.Label, r.Accuracy(), name, rep.Correct, rep.Images)
		if rep.Correct != r.Correct || rep.Images != r.Images {
			t.Errorf("%s: ladder %d/%d, prune --variant %s %d/%d", r.Preset.Label, r.Correct, r.Images, name, rep.Correct, rep.Images)
		}
	}
}
