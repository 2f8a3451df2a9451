package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// capture runs f with os.Stdout redirected and returns what it printed.
func capture(t *testing.T, f func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	err = f()
	w.Close()
	os.Stdout = old
	return <-done, err
}

// randomWeights saves a seeded random variant-B network and returns its path.
func randomWeights(t *testing.T) string {
	t.Helper()
	n, _ := resnet.New(resnet.ArchB)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range n.Convs() {
		for i := range c.W {
			c.W[i] = float32(rng.NormFloat64() * math.Sqrt(2/float64(c.FilterLen())))
		}
	}
	p := filepath.Join(t.TempDir(), "random.safetensors")
	if err := n.Save(p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPruneErrors(t *testing.T) {
	w := randomWeights(t)
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	n, _ := resnet.New(resnet.ArchB)
	n.FCW = n.FCW[:10*32] // a linear layer that does not match the last block
	if err := n.Save(bad, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--weights", w, "--ratio", "0.5"}, "--method and --ratio are required"},
		{[]string{"--weights", w, "--method", "3", "--ratio", "0.5"}, "unknown method"},
		{[]string{"--weights", w, "--method", "1", "--ratio", "1"}, "outside [0, 1)"},
		{[]string{"--weights", w, "--method", "1", "--ratio", "-0.2"}, "outside [0, 1)"},
		{[]string{"--weights", w, "--method", "1", "--ratio", "NaN"}, "finite"},
		{[]string{"--weights", w, "--method", "1", "--ratio", "-1"}, "ratio -1 outside [0, 1)"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--variant", "worst"}, "must start with study or fixed"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--rep", "median"}, "not one of centroid, norm, closest"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--variant", "fixed", "--kernels"}, "method 1"},
		{[]string{"--weights", w, "--method", "1", "--ratio", "0.5", "--select"}, "method 2"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--variant", "fixed", "--comp"}, "add refit"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--comp=false"}, "is a part of comp: add comp"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.95", "--variant", "fixed"}, "= 0 clusters"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--variant", "fixed", "--out", w}, "is the input"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--variant", "fixed", "--out", "p.bin"}, ".safetensors"},
		{[]string{"--weights", w, "--method", "2", "--ratio", "0.5", "--repeat", "0"}, "--repeat"},
		{[]string{"--weights", bad, "--method", "2", "--ratio", "0.5"}, "linear layer"},
	} {
		_, err := capture(t, func() error { return runPrune(tc.args) })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("prune %q: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
}

func TestParseRatios(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		err  bool
	}{
		{in: "0.1:0.9:0.1", want: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}},
		{in: "0.5:0.8:0.3", want: []float64{0.5, 0.8}},
		{in: "0.5,0.8", want: []float64{0.5, 0.8}},
		{in: "0.5:0.1:0.1", err: true},
		{in: "0.1:0.9:0", err: true},
		{in: "a,b", err: true},
		{in: "0:0.9:1e-12", err: true}, // 9·10¹¹ ratios
		{in: "0:0.999:0.001", want: nil, err: false},
	} {
		got, err := parseRatios(tc.in)
		if tc.want == nil && !tc.err {
			if err != nil || len(got) != 1000 {
				t.Errorf("parseRatios(%q) = %d ratios, %v; want 1000", tc.in, len(got), err)
			}
			continue
		}
		if (err != nil) != tc.err || len(got) != len(tc.want) {
			t.Errorf("parseRatios(%q) = %v, %v", tc.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parseRatios(%q) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

// TestPrunedModelLoadsInEval prunes the study's checkpoint, saves it and checks that the saved file
// loads back and gives exactly the reported accuracy.
func TestPrunedModelLoadsInEval(t *testing.T) {
	w := shared.Path(t, "weights/study-resnet20-model.pth")
	t.Setenv(cifar.EnvDir, shared.CIFAR10(t))
	set, err := (&dataFlags{split: "test", limit: 200}).open()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--method", "1", "--ratio", "0.5", "--variant", "study"},
		{"--method", "2", "--ratio", "0.5", "--variant", "fixed+bn+merge+refit+comp+fc", "--recal", "64", "--refit", "64"},
		{"--method", "1", "--ratio", "0.8", "--variant", "fixed+kernels", "--ninit", "1"},
		{"--method", "2", "--ratio", "0.5", "--recal", "64", "--refit", "64", "--ninit", "2"}, // the default variant, best, on fewer images
	} {
		out := filepath.Join(t.TempDir(), "pruned.safetensors")
		stdout, err := capture(t, func() error {
			return runPrune(append(args, "--weights", w, "--limit", "200", "--out", out, "--json"))
		})
		if err != nil {
			t.Fatalf("prune %q: %v", args, err)
		}
		var rep pruneReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("prune %q: %v in %s", args, err, stdout)
		}
		if rep.Images != 200 || !strings.HasPrefix(rep.Link, "#method=") || len(rep.Layers) == 0 || rep.Params >= 272474 {
			t.Errorf("prune %q: report %+v", args, rep.evalReport)
		}
		// The report has every step's key (variant.Steps), and its link gives back the run.
		var keys map[string]any
		if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
			t.Fatal(err)
		}
		sp, _, err := variant.ParseLink(rep.Link)
		if err != nil {
			t.Fatalf("prune %q: link %s: %v", args, rep.Link, err)
		}
		for _, f := range variant.Fields(sp.Variant) {
			if got, ok := keys[f.Key]; !ok || fmt.Sprint(got) != fmt.Sprint(f.Value) {
				t.Errorf("prune %q: report %s = %v, the link says %v", args, f.Key, got, f.Value)
			}
		}
		if sp.Variant.Name() != rep.Variant {
			t.Errorf("prune %q: variant %s, the link's %s", args, rep.Variant, sp.Variant.Name())
		}
		if len(args) > 4 && args[4] == "--recal" && sp.Variant != func() variant.Variant {
			b := variant.Best(variant.Removal)
			b.Recal, b.Refit = 64, 64
			return b
		}() {
			t.Errorf("prune %q: without --variant the run is %s, not the best", args, rep.Variant)
		}
		n, _, err := resnet.Load(out)
		if err != nil {
			t.Fatalf("prune %q: saved model: %v", args, err)
		}
		e, err := resnet.Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		if r := eval.Run(e, set, 0, nil); r.Correct != rep.Correct {
			t.Errorf("prune %q: saved model gets %d right, the report says %d", args, r.Correct, rep.Correct)
		}
	}
}

func TestSweepWritesTables(t *testing.T) {
	w := shared.Path(t, "weights/study-resnet20-model.pth")
	t.Setenv(cifar.EnvDir, shared.CIFAR10(t))
	dir := t.TempDir()
	_, err := capture(t, func() error {
		return runSweep([]string{"--weights", w, "--methods", "1,2", "--ratios", "0.5,0.8", "--variants", "study,fixed+bn8",
			"--limit", "50", "--repeat", "1", "--ninit", "2", "--out", dir})
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+1+2*2*2 || rows[1][2] != "unpruned" || rows[2][2] != "study" {
		t.Fatalf("sweep.csv has %d rows: %q", len(rows), rows)
	}
	for _, name := range []string{"sweep.json", "time.png", "time.svg", "params.png", "accuracy_method1.svg", "accuracy_method2.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Redrawn in place: sweep.json, the input, stays as it was; the plots are rewritten.
	js, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	os.Remove(filepath.Join(dir, "time.png"))
	if _, err := capture(t, func() error {
		return runSweep([]string{"--replot", filepath.Join(dir, "sweep.json"), "--out", dir})
	}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "sweep.json")); string(again) != string(js) {
		t.Error("--replot in place changed sweep.json")
	}
	if _, err := os.Stat(filepath.Join(dir, "time.png")); err != nil {
		t.Errorf("--replot did not redraw time.png: %v", err)
	}
}

// TestSweepFinetune fine-tunes two tiny pruned models for two epochs and checks the curves:
// one accuracy before SGD and one per epoch, in sweep.json, finetune.csv and the plot; and that
// fine-tuning improves the method-2 model's training loss.
func TestSweepFinetune(t *testing.T) {
	w := shared.Path(t, "weights/study-resnet20-model.pth")
	t.Setenv(cifar.EnvDir, shared.CIFAR10(t))
	dir := t.TempDir()
	_, err := capture(t, func() error {
		return runSweep([]string{"--weights", w, "--variants", "fixed+bn256", "--finetune", "2", "--finetune-only",
			"--finetune-points", "1:0.5,2:0.5", "--finetune-train-limit", "512", "--finetune-lr", "0.005",
			"--limit", "100", "--ninit", "2", "--threads", "2", "--out", dir})
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep sweepReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 0 || len(rep.Finetune) != 2 {
		t.Fatalf("--finetune-only: %d grid rows and %d curves, want 0 and 2", len(rep.Rows), len(rep.Finetune))
	}
	for _, c := range rep.Finetune {
		if len(c.Accuracy) != 3 || len(c.TrainLoss) != 2 || c.Variant != "fixed+bn" || c.TrainImages != 512 {
			t.Errorf("curve %+v: want 3 accuracies, 2 losses, variant fixed+bn, 512 images", c)
		}
	}
	if c := rep.Finetune[1]; c.TrainLoss[1] >= c.TrainLoss[0] {
		t.Errorf("method 2: training loss %v does not fall", c.TrainLoss)
	}
	for _, name := range []string{"finetune.csv", "finetune.png", "finetune.svg"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "needs --finetune"},
		{[]string{"--finetune", "1", "--finetune-points", "2-0.5"}, "METHOD:RATIO"},
		{[]string{"--finetune", "1", "--finetune-points", "2:x"}, "not a number"},
		{[]string{"--finetune", "1", "--finetune-points", "2:1.5"}, "outside [0, 1)"},
		{[]string{"--finetune", "-1"}, "≥ 0"},
	} {
		_, err := capture(t, func() error {
			return runSweep(append([]string{"--weights", w, "--out", dir, "--limit", "10", "--finetune-only"}, tc.args...))
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("sweep %q: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
}
