package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/export"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
)

// The comparison page (web/static/compare.html) runs the Go engine, TensorFlow.js and ONNX Runtime
// Web on the same networks. Besides the demo's own files it needs, from compareAssets:
//
//   - ONNX Runtime Web's WebAssembly build (ort/: the wasm-only script, its module loader and its
//     SIMD wasm, threaded when the page is cross-origin isolated), from the npm packages that
//     `make tfjs` installs into out/npm (web/compare/package.json); skipped when absent, and the
//     page then says that the engine is missing;
//   - the networks, in compare/ and listed in compare/models.json (CompareIndex): the shipped
//     weights exported to ONNX, and method 2 pruned at each of CompareRatios as
//     `resnetprune prune --method 2 --ratio R --recal 512 --refit 512` prunes (variant best's steps,
//     seed 1, calibrated on the demo's 512 calibration images: compareVariant), each written both
//     as safetensors (for the Go engine's worker and TensorFlow.js) and as ONNX (for ONNX
//     Runtime), from the same network in memory.
//
// None of these is loaded by index.html: they are outside the page's download budget (Critical).

// CompareRatios are the method-2 pruning ratios the comparison page measures besides the unpruned
// network.
var CompareRatios = []float64{0.5, 0.8}

// CompareSeed is the K-Means seed of the comparison page's pruned networks (the CLI's default).
const CompareSeed = 1

// ortFiles are ONNX Runtime Web's files the page loads (relative to the npm package's dist/):
// the wasm backend's script (no WebGL/WebGPU), the Emscripten module it imports (also the script
// of its threads) and the SIMD wasm it runs, threaded or not.
var ortFiles = []string{"ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"}

// CompareModel is one network of compare/models.json. File paths are relative to the site.
type CompareModel struct {
	Name        string   `json:"name"`           // "unpruned", "m2-r0.5", …
	Label       string   `json:"label"`          // for the page's table
	Args        []string `json:"args,omitempty"` // the resnetprune prune flags that made it (variant.Spec.Args)
	Safetensors string   `json:"safetensors"`    // the engine's weights (the shipped weights when unpruned)
	ONNX        string   `json:"onnx"`           // the same network, BN folded (core/export)
	Params      int      `json:"params"`
	MACs        int      `json:"macs"` // per image
}

// CompareIndex is compare/models.json.
type CompareIndex struct {
	Models []CompareModel `json:"models"`
	ORT    string         `json:"ort"`  // ONNX Runtime Web's version, "" when the site does not ship it
	TFJS   string         `json:"tfjs"` // TensorFlow.js's version when the site ships it (tfjs/, copied by Build), else ""
}

// compareAssets writes ort/ and compare/ (see above) into o.Out, after Build has copied the
// static files (TensorFlow.js's included) and before it lists the sizes. net is the shipped
// network (nil when the site ships no weights: then no models are written and the page says so);
// weights is its site path (demo.DefaultWeights).
func compareAssets(o Options, net *resnet.Net, weights string) (*CompareIndex, error) {
	idx := &CompareIndex{}
	if o.Log == nil {
		o.Log = io.Discard
	}
	npm := o.NPM
	if npm == "" {
		npm = filepath.Join(o.Root, "out", "npm", "node_modules")
	}
	ortDir := filepath.Join(npm, "onnxruntime-web")
	if v, err := npmVersion(ortDir); err != nil {
		fmt.Fprintf(o.Log, "site: no ONNX Runtime Web in %s (make tfjs): compare.html will say so\n", npm)
	} else {
		for _, f := range ortFiles {
			if err := copyFile(filepath.Join(ortDir, "dist", f), filepath.Join(o.Out, "ort", f)); err != nil {
				return nil, fmt.Errorf("ONNX Runtime Web %s: %w", v, err)
			}
		}
		idx.ORT = v
		fmt.Fprintf(o.Log, "site: ONNX Runtime Web %s from %s\n", v, npm)
	}
	if _, err := os.Stat(filepath.Join(o.Out, "tfjs", "tf.min.js")); err == nil {
		if idx.TFJS, err = npmVersion(filepath.Join(npm, "@tensorflow", "tfjs")); err != nil {
			idx.TFJS = "?"
		}
	}
	if net != nil {
		models, err := compareModels(o, net, weights)
		if err != nil {
			return nil, err
		}
		idx.Models = models
	}
	b, _ := json.MarshalIndent(idx, "", "  ")
	if err := writeFile(filepath.Join(o.Out, "compare", "models.json"), b); err != nil {
		return nil, err
	}
	return idx, nil
}

// compareModels writes the networks of the comparison page.
func compareModels(o Options, net *resnet.Net, weights string) ([]CompareModel, error) {
	write := func(name string, n *resnet.Net, info export.Info, onnxOnly bool) (CompareModel, error) {
		ct := n.Count()
		m := CompareModel{Name: name, Safetensors: weights, ONNX: "compare/" + name + ".onnx", Params: ct.Params, MACs: ct.MACs}
		var b bytes.Buffer
		if err := export.WriteONNX(&b, n, info); err != nil {
			return m, fmt.Errorf("compare %s: %w", name, err)
		}
		if err := writeFile(filepath.Join(o.Out, filepath.FromSlash(m.ONNX)), b.Bytes()); err != nil {
			return m, err
		}
		if !onnxOnly {
			m.Safetensors = "compare/" + name + ".safetensors"
			b.Reset()
			if err := export.WriteSafetensors(&b, n, info); err != nil {
				return m, fmt.Errorf("compare %s: %w", name, err)
			}
			if err := writeFile(filepath.Join(o.Out, filepath.FromSlash(m.Safetensors)), b.Bytes()); err != nil {
				return m, err
			}
		}
		return m, nil
	}
	base, err := write("unpruned", net, export.Info{Source: weights}, true)
	if err != nil {
		return nil, err
	}
	base.Label = "unpruned"
	models := []CompareModel{base}
	v := compareVariant()
	calib, err := demo.ReadRecords(filepath.Join(o.CIFAR, "data_batch_1.bin"), state.CalibImages)
	if err != nil {
		return nil, fmt.Errorf("compare: calibration images: %w", err)
	}
	train, err := cifar.ParseBytes(calib, "data_batch_1.bin")
	if err != nil {
		return nil, err
	}
	p := &pipeline.Pipeline{Orig: net, Train: train}
	for _, r := range CompareRatios {
		sp := variant.Spec{Method: variant.Removal, Ratio: r, Seed: CompareSeed, Variant: v}
		res, err := p.Run(sp)
		if err != nil {
			return nil, fmt.Errorf("compare: pruning %v: %w", sp.Args(), err)
		}
		rs := strconv.FormatFloat(r, 'g', -1, 64)
		m, err := write("m2-r"+rs, res.Net, export.Info{Source: weights, Spec: &res.Spec}, false)
		if err != nil {
			return nil, err
		}
		m.Label = "method 2, r = " + rs
		m.Args = res.Spec.Args()
		models = append(models, m)
		fmt.Fprintf(o.Log, "site: compare/%s: prune %v, %d params (unpruned %d), K-Means %.1f s, repair %.1f s\n",
			m.Name, m.Args, m.Params, base.Params, res.ClusterSeconds, res.CalibSeconds+res.RepairSeconds)
	}
	return models, nil
}

// compareVariant is method 2's best variant (variant.Best) calibrated on the demo's own
// calibration images (state.CalibImages, the pack's train images) instead of
// variant.BestCalib: the network the demo's page prunes with the best steps, at a quarter of
// the site build's time. The calibration count changes the repaired weights, not the layers'
// widths, so the speeds compared are those of variant best.
func compareVariant() variant.Variant {
	v := variant.Best(variant.Removal)
	for i := range variant.Steps {
		if st := &variant.Steps[i]; st.Kind == variant.Count && st.Enabled(v) {
			st.Set(&v, state.CalibImages)
		}
	}
	return v
}

// npmVersion returns the version in an npm package folder's package.json.
func npmVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var p struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &p); err != nil || p.Version == "" {
		return "", fmt.Errorf("%s/package.json: no version", dir)
	}
	return p.Version, nil
}
