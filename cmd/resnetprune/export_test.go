package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/export"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// exportRandom writes a seeded random variant-B network as safetensors and returns its path.
func exportRandom(t *testing.T) (string, *resnet.Net) {
	t.Helper()
	n := resnettest.RandomNet(resnet.ArchB, 11)
	var buf bytes.Buffer
	if err := export.WriteSafetensors(&buf, n, export.Info{}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "random.safetensors")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, n
}

func TestExportErrors(t *testing.T) {
	w, _ := exportRandom(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.onnx")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "name a .safetensors or .onnx file"},
		{[]string{"--out", filepath.Join(dir, "x.pt")}, "name a .safetensors or .onnx file"},
		{[]string{"--out", w}, "refusing to overwrite"},
		{[]string{"--out", out, "--ratio", "0.5"}, "--ratio prunes: it needs --method"},
		{[]string{"--out", out, "--variant", "fixed"}, "--variant prunes"},
		{[]string{"--out", out, "--recal", "64"}, "--recal prunes"},
		{[]string{"--out", out, "--method", "2"}, "--method needs --ratio"},
		{[]string{"--out", out, "--method", "3", "--ratio", "0.5"}, "unknown method"},
		{[]string{"--out", out, "--method", "2", "--ratio", "1"}, "outside [0, 1)"},
		{[]string{"--out", out, "--method", "2", "--ratio", "0.5", "--ninit", "0"}, "--ninit"},
		{[]string{"--out", out, "extra"}, "unexpected argument"},
	} {
		args := append([]string{"--weights", w}, tc.args...)
		_, err := capture(t, func() error { return runExport(args) })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("export %q: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
	_, err := capture(t, func() error {
		return runExport([]string{"--weights", filepath.Join(dir, "missing.safetensors"), "--out", out})
	})
	if err == nil {
		t.Error("export of a missing weights file succeeded")
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("failed exports left %v behind", names)
	}
}

// export writes exactly the network prune builds (the same pipeline call), and without prune
// flags the weights as they are; both load back as eval loads weights.
func TestExportIsPrunedNet(t *testing.T) {
	w, orig := exportRandom(t)
	dir := t.TempDir()
	spec := func(m variant.Method, name string, seed uint64) *prune.Spec {
		v, err := variant.Parse(name, 0)
		if err != nil {
			t.Fatal(err)
		}
		return &prune.Spec{Method: m, Ratio: 0.5, Seed: seed, Variant: v}
	}
	for _, tc := range []struct {
		args []string
		spec *prune.Spec // nil: not pruned
	}{
		{nil, nil},
		{[]string{"--method", "1", "--ratio", "0.5", "--variant", "study", "--ninit", "2"}, spec(variant.Sharing, "study", 1)},
		{[]string{"--method", "2", "--ratio", "0.5", "--variant", "fixed+merge", "--seed", "4", "--ninit", "2"}, spec(variant.Removal, "fixed+merge", 4)},
	} {
		args := tc.args
		out := filepath.Join(dir, "net.safetensors")
		stdout, err := capture(t, func() error { return runExport(append([]string{"--weights", w, "--out", out}, args...)) })
		if err != nil || !strings.HasPrefix(stdout, "wrote "+out) {
			t.Fatalf("export %q: %v, %q", args, err, stdout)
		}
		got, meta, err := resnet.Load(out)
		if err != nil {
			t.Fatalf("export %q: %v", args, err)
		}
		want, method := orig, "none"
		if tc.spec != nil {
			p, _, err := pruneNet(orig, *tc.spec, 2, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			want, method = p.net, tc.spec.Method.String()
		}
		if meta["method"] != method || meta["source"] != w {
			t.Errorf("export %q: metadata %v", args, meta)
		}
		if tc.spec != nil { // exported again as it is, to ONNX: the pruning keys stay
			again := filepath.Join(dir, "again.onnx")
			if _, err := capture(t, func() error { return runExport([]string{"--weights", out, "--out", again}) }); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(again)
			if err != nil || !bytes.Contains(b, []byte(meta[export.MetaArgs])) || !bytes.Contains(b, []byte(tc.spec.Link())) {
				t.Errorf("export %q, then to ONNX: %v; the ONNX file lacks the run's args %q", args, err, meta[export.MetaArgs])
			}
		}
		wt, gt := want.Tensors(), got.Tensors()
		if len(wt) != len(gt) {
			t.Errorf("export %q: %d tensors, want %d", args, len(gt), len(wt))
		}
		for name, x := range wt {
			if y := gt[name]; y == nil || !slices.Equal(x.Shape, y.Shape) || !slices.Equal(x.Data, y.Data) {
				t.Errorf("export %q: tensor %s is not the pruned network's", args, name)
			}
		}
	}
}

// parityImages is how many test images the parity checks run (the first ones of the test split).
const parityImages = 1000

// TestExportParity exports pruned checkpoints (the study's, variant B, by both methods; akamaster's,
// variant A with its subsample-and-pad shortcuts, by method 2) and checks that ONNX Runtime on the
// .onnx file and PyTorch on the .safetensors file (scripts/load_pruned.py) predict the same class
// as the engine on every one of the first parityImages test images, with logits within 1e-3, and
// that PyTorch's accuracy is the engine's. The repairs are light ones (a few calibration images) to
// keep the test short. ONNX Runtime comes from `make onnx-deps`, PyTorch from Debian's
// python3-torch ($PYTHON, default /usr/bin/python3); either missing skips its part, except under
// CI=true.
func TestExportParity(t *testing.T) {
	study := shared.Path(t, "weights/study-resnet20-model.pth")
	aka := shared.Path(t, "weights/akamaster-resnet20-12fca82f.th")
	t.Setenv(cifar.EnvDir, shared.CIFAR10(t))
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	set, err := (&dataFlags{split: "test", limit: parityImages}).open()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	type model struct {
		name, onnx, st string
		logits         []float32
		correct        int
	}
	var models []*model
	for _, c := range []struct {
		name, weights string
		args          []string
	}{
		{"study-m2", study, []string{"--method", "2", "--ratio", "0.5", "--variant", "fixed+bn256+merge"}},
		{"study-m1", study, []string{"--method", "1", "--ratio", "0.5", "--variant", "study"}},
		{"akamaster-m2", aka, []string{"--method", "2", "--ratio", "0.5", "--variant", "fixed+bn64"}},
	} {
		m := &model{name: c.name, onnx: filepath.Join(dir, c.name+".onnx"), st: filepath.Join(dir, c.name+".safetensors")}
		for _, out := range []string{m.st, m.onnx} {
			if _, err := capture(t, func() error { return runExport(append([]string{"--weights", c.weights, "--out", out}, c.args...)) }); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		n, _, err := resnet.Load(m.st)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		e, err := resnet.Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float32, set.Len()*cifar.ImageSize)
		set.Batch(x, 0, set.Len())
		m.logits = make([]float32, set.Len()*resnet.Classes)
		e.Run(m.logits, x, set.Len(), 0, nil)
		m.correct = eval.Run(e, set, 0, nil).Correct
		models = append(models, m)
	}

	t.Run("onnxruntime", func(t *testing.T) {
		node, err := exec.LookPath("node")
		if err != nil {
			shared.Missing(t, "Node.js (apt-get install nodejs)", err)
		}
		mods := filepath.Join(root, "out", "onnx", "node_modules")
		if _, err := os.Stat(filepath.Join(mods, "onnxruntime-node")); err != nil {
			shared.Missing(t, "onnxruntime-node (make onnx-deps)", err)
		}
		x := make([]float32, set.Len()*cifar.ImageSize)
		set.Batch(x, 0, set.Len())
		images := filepath.Join(dir, "images.f32")
		if err := os.WriteFile(images, f32Bytes(x), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, m := range models {
			out := filepath.Join(dir, m.name+".ort.f32")
			cmd := exec.Command(node, filepath.Join(root, "scripts", "onnx", "run.js"), m.onnx, images, out, "96")
			cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", m.name, err, b)
			}
			compareLogits(t, m.name+" ONNX Runtime", m.logits, readF32(t, out))
		}
	})

	t.Run("pytorch", func(t *testing.T) {
		py := os.Getenv("PYTHON")
		if py == "" {
			py = "/usr/bin/python3"
		}
		if b, err := exec.Command(py, "-c", "import torch, numpy").CombinedOutput(); err != nil {
			shared.Missing(t, "PyTorch and numpy for "+py+" (apt-get install python3-torch python3-numpy)", fmt.Errorf("%v: %s", err, bytes.TrimSpace(b)))
		}
		args := []string{filepath.Join(root, "scripts", "load_pruned.py")}
		var outs []string
		for _, m := range models {
			args = append(args, m.st)
			outs = append(outs, filepath.Join(dir, m.name+".torch.f32"))
		}
		args = append(args, "--limit", fmt.Sprint(parityImages), "--threads", "2", "--json", "--logits")
		cmd := exec.Command(py, append(args, outs...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("load_pruned.py: %v\n%s", err, stderr.Bytes())
		}
		lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
		if len(lines) != len(models) {
			t.Fatalf("load_pruned.py printed %d lines for %d models:\n%s", len(lines), len(models), stdout)
		}
		for i, m := range models {
			var rep struct{ Correct, Images int }
			if err := json.Unmarshal([]byte(lines[i]), &rep); err != nil {
				t.Fatalf("%s: %v in %q", m.name, err, lines[i])
			}
			if rep.Images != set.Len() || rep.Correct != m.correct {
				t.Errorf("%s: PyTorch %d/%d correct, the engine %d/%d", m.name, rep.Correct, rep.Images, m.correct, set.Len())
			}
			compareLogits(t, m.name+" PyTorch", m.logits, readF32(t, outs[i]))
		}
	})
}

// compareLogits checks got against the engine's logits: the same class for every image, every
// logit within 1e-3.
func compareLogits(t *testing.T, what string, want, got []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d logits, want %d", what, len(got), len(want))
	}
	var maxDiff float64
	flips := 0
	for i := 0; i < len(want); i += resnet.Classes {
		if eval.ArgMax(want[i:i+resnet.Classes]) != eval.ArgMax(got[i:i+resnet.Classes]) {
			flips++
		}
		for j := i; j < i+resnet.Classes; j++ {
			maxDiff = max(maxDiff, math.Abs(float64(want[j]-got[j])))
		}
	}
	t.Logf("%s: max |Δlogit| %.2g over %d images, %d different predictions", what, maxDiff, len(want)/resnet.Classes, flips)
	if !(maxDiff <= 1e-3) || flips != 0 {
		t.Errorf("%s: max |Δlogit| %.3g (want ≤ 1e-3), %d different predictions", what, maxDiff, flips)
	}
}

func f32Bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
