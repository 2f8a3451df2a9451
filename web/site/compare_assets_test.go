package site

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
	"github.com/resnet20-pruning/resnet20-pruning/web/testutil"
)

// fakeORT makes an npm folder holding an onnxruntime-web package with the files compareAssets copies.
func fakeORT(t *testing.T) string {
	npm := t.TempDir()
	dist := filepath.Join(npm, "onnxruntime-web", "dist")
	os.MkdirAll(dist, 0o755)
	os.WriteFile(filepath.Join(npm, "onnxruntime-web", "package.json"), []byte(`{"name": "onnxruntime-web", "version": "9.8.7"}`), 0o644)
	for _, f := range ortFiles {
		os.WriteFile(filepath.Join(dist, f), []byte("content of "+f), 0o644)
	}
	return npm
}

func readIndex(t *testing.T, out string) *CompareIndex {
	b, err := os.ReadFile(filepath.Join(out, "compare", "models.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx CompareIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return &idx
}

// Without weights and without the npm packages the page gets an index saying so, and no ort/.
func TestCompareAssetsNothing(t *testing.T) {
	out := t.TempDir()
	if _, err := compareAssets(Options{Out: out, NPM: t.TempDir()}, nil, ""); err != nil {
		t.Fatal(err)
	}
	if idx := readIndex(t, out); idx.ORT != "" || idx.TFJS != "" || len(idx.Models) != 0 {
		t.Errorf("index %+v, want no ONNX Runtime, no TensorFlow.js and no models", idx)
	}
	if _, err := os.Stat(filepath.Join(out, "ort")); err == nil {
		t.Error("ort/ written without the npm package")
	}
	// A package whose dist lacks a file is an error, not a half-copied engine.
	npm := fakeORT(t)
	os.Remove(filepath.Join(npm, "onnxruntime-web", "dist", ortFiles[2]))
	if _, err := compareAssets(Options{Out: t.TempDir(), NPM: npm}, nil, ""); err == nil {
		t.Error("an incomplete onnxruntime-web package was accepted")
	}
}

// With weights: ONNX Runtime's files, the unpruned network's ONNX export, and method 2 at each of
// CompareRatios as safetensors (which the engine reads back to a network of the listed size) and
// ONNX.
func TestCompareAssets(t *testing.T) {
	dir := shared.CIFAR10(t)
	w := testutil.Weights(t)
	net, err := demo.LoadNet(w)
	if err != nil {
		t.Fatal(err)
	}
	out, npm := t.TempDir(), fakeORT(t)
	// TensorFlow.js as Build copies it.
	os.MkdirAll(filepath.Join(out, "tfjs"), 0o755)
	os.WriteFile(filepath.Join(out, "tfjs", "tf.min.js"), []byte("tf"), 0o644)
	os.MkdirAll(filepath.Join(npm, "@tensorflow", "tfjs"), 0o755)
	os.WriteFile(filepath.Join(npm, "@tensorflow", "tfjs", "package.json"), []byte(`{"version": "1.2.3"}`), 0o644)
	var log bytes.Buffer
	start := time.Now()
	idx, err := compareAssets(Options{Out: out, NPM: npm, CIFAR: dir, Log: &log}, net, "weights/resnet20.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compareAssets in %v:\n%s", time.Since(start).Round(time.Millisecond), log.String())
	if got := readIndex(t, out); !slices.EqualFunc(got.Models, idx.Models, func(a, b CompareModel) bool {
		return a.Name == b.Name && a.ONNX == b.ONNX && a.Safetensors == b.Safetensors && a.Params == b.Params
	}) || got.ORT != "9.8.7" || got.TFJS != "1.2.3" {
		t.Errorf("models.json %+v, want %+v with ORT 9.8.7 and TensorFlow.js 1.2.3", got, idx)
	}
	for _, f := range ortFiles {
		if b, err := os.ReadFile(filepath.Join(out, "ort", f)); err != nil || string(b) != "content of "+f {
			t.Errorf("ort/%s: %q, %v", f, b, err)
		}
	}
	if len(idx.Models) != 1+len(CompareRatios) {
		t.Fatalf("%d models, want %d", len(idx.Models), 1+len(CompareRatios))
	}
	base := idx.Models[0]
	if base.Name != "unpruned" || base.Safetensors != "weights/resnet20.safetensors" || base.Params != net.Count().Params {
		t.Errorf("unpruned model %+v", base)
	}
	prev := base.Params
	for i, m := range idx.Models {
		if fi, err := os.Stat(filepath.Join(out, m.ONNX)); err != nil || fi.Size() < int64(4*m.Params) {
			t.Errorf("%s: ONNX %s: %v (want at least its %d float32 parameters)", m.Name, m.ONNX, err, m.Params)
		}
		if i == 0 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, m.Safetensors))
		if err != nil {
			t.Fatal(err)
		}
		pn, err := demo.LoadNet(b)
		if err != nil {
			t.Fatalf("%s: the engine cannot read %s: %v", m.Name, m.Safetensors, err)
		}
		if ct := pn.Count(); ct.Params != m.Params || ct.MACs != m.MACs {
			t.Errorf("%s: the file holds %d params / %d MACs, the index says %d / %d", m.Name, ct.Params, ct.MACs, m.Params, m.MACs)
		}
		if m.Params >= prev {
			t.Errorf("%s: %d params, not fewer than the previous model's %d", m.Name, m.Params, prev)
		}
		prev = m.Params
		if !slices.Contains(m.Args, "--method") || !slices.Contains(m.Args, "2") {
			t.Errorf("%s: args %v do not name method 2", m.Name, m.Args)
		}
	}
}
