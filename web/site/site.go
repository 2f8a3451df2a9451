// Package site builds the browser demo's self-contained static site (what `make site` writes to
// dist/): the page (index.html, web/static/*), Go's wasm_exec.js, the three WebAssembly programs
// (wasm/app: the vugu page, also the view worker; wasm/worker: the engine of the prune and
// evaluating workers, built with SIMD; wasm/anim: the ebiten K-Means animation), the sample pack cut from the CIFAR-10 folder (the
// first test images and the first train images for calibration, raw CIFAR records), the weights
// when present, the committed assets (sweep results), the comparison page's engines and networks
// (ort/: ONNX Runtime Web from out/npm; compare/: the weights as ONNX and method 2 at r = 0.5 and
// 0.8 as safetensors and ONNX; compare_assets.go), a manifest, and a .gz copy (and a .br copy
// when the brotli tool is installed) of every compressible file for servers that serve
// precompressed files (cmd/serve does).
//
// Nothing it writes is committed: dist/ is git-ignored.
package site

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
)

// Options configures Build.
type Options struct {
	Root      string // repository root (holds go.mod)
	Out       string // output folder, e.g. dist
	CIFAR     string // CIFAR-10 binary folder (test_batch.bin, data_batch_1.bin)
	Weights   string // weights file to ship ("" = weights/resnet20.safetensors when present)
	NoWeights bool   // ship no weights at all (the page then asks for a file)
	Sweep     string // sweep.json to ship instead of assets/sweep.json (tests)
	NPM       string // node_modules holding @tensorflow/tfjs* and onnxruntime-web (default out/npm/node_modules)
	Test      int    // test images in the pack (default 1000)
	TestFirst int    // test images in the first part of the pack, testParts[0] (default 200)
	Train     int    // train images in the pack (default 512)
	BaseURL   string // the site's public address (https://user.github.io/repo/), "" when unknown
	SkipGz    bool   // no precompressed copies
	Log       io.Writer
}

// Manifest is dist/manifest.json: what the loader (web/static/boot.js) downloads.
type Manifest struct {
	Weights   string         `json:"weights"`   // "" when the site ships no weights
	BaseURL   string         `json:"baseURL"`   // the site's public address, ending in "/"; "" when unknown
	Test      Pack           `json:"test"`      // all the test images of the pack in one file
	TestParts []Pack         `json:"testParts"` // the same images in parts, the first one small
	Train     Pack           `json:"train"`
	Baseline  *Baseline      `json:"baseline,omitempty"` // nil when the site ships no weights
	Sweep     string         `json:"sweep"`              // "assets/sweep.json" when the repository has one
	Sizes     map[string]int `json:"sizes"`              // bytes of every file, uncompressed
	Go        string         `json:"go"`
}

// Pack is one file of the sample pack.
type Pack struct {
	File  string `json:"file"`
	Count int    `json:"count"`
}

// Baseline is the original network's accuracy on the pack's test images with the shipped weights,
// computed natively by Build (core/resnet, core/eval) so that the page can show it at once.
type Baseline struct {
	Correct int    `json:"correct"`
	Total   int    `json:"total"`
	Weights string `json:"weights"`
}

// marker identifies a folder Build made, the only kind it empties.
const marker = ".resnet20-pruning-site"

// Programs are the wasm programs and their build settings.
var Programs = []struct {
	Pkg, Out string
	SIMD     bool
}{
	{"./wasm/app", "app.wasm", false},
	{"./wasm/worker", "worker.wasm", true},
	{"./wasm/anim", "anim.wasm", false},
}

// Build writes the site.
func Build(o Options) (*Manifest, error) {
	if o.Test == 0 {
		o.Test = 1000
	}
	if o.Train == 0 {
		o.Train = 512
	}
	if o.TestFirst == 0 {
		o.TestFirst = 200
	}
	if o.Test < 1 || o.Train < 1 || o.TestFirst < 1 {
		return nil, fmt.Errorf("site: want at least one image in each pack (test %d, first part %d, train %d)", o.Test, o.TestFirst, o.Train)
	}
	base, err := variant.BaseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	if o.CIFAR == "" {
		return nil, errors.New("no CIFAR-10 folder: set CIFAR10_DIR (or run make data)")
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if err := prepareOut(o.Out); err != nil {
		return nil, err
	}
	m := &Manifest{BaseURL: base, Sizes: map[string]int{}, Go: runtime.Version()}
	// The wasm programs.
	for _, p := range Programs {
		fmt.Fprintf(o.Log, "site: go build %s → %s\n", p.Pkg, p.Out)
		if err := goBuild(o.Root, p.Pkg, filepath.Join(o.Out, p.Out), p.SIMD); err != nil {
			return nil, err
		}
	}
	// Static files.
	goroot, err := goEnv(o.Root, "GOROOT")
	if err != nil {
		return nil, err
	}
	copies := map[string]string{
		filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		filepath.Join(o.Root, "index.html"):                  "index.html",
	}
	static, err := os.ReadDir(filepath.Join(o.Root, "web", "static"))
	if err != nil {
		return nil, err
	}
	for _, e := range static {
		if !e.IsDir() {
			copies[filepath.Join(o.Root, "web", "static", e.Name())] = e.Name()
		}
	}
	if assets, err := os.ReadDir(filepath.Join(o.Root, "assets")); err == nil {
		for _, e := range assets {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				copies[filepath.Join(o.Root, "assets", e.Name())] = "assets/" + e.Name()
				if e.Name() == "sweep.json" {
					m.Sweep = "assets/sweep.json"
				}
			}
		}
	}
	if o.Sweep != "" {
		copies[o.Sweep] = "assets/sweep.json"
		m.Sweep = "assets/sweep.json"
	}
	// TensorFlow.js for the comparison page (compare.html), from the npm packages that
	// `make tfjs` installs into out/npm (web/compare/package.json); skipped when absent.
	npm := o.NPM
	if npm == "" {
		npm = filepath.Join(o.Root, "out", "npm", "node_modules")
	}
	tfjs := map[string]string{
		"@tensorflow/tfjs/dist/tf.min.js":                                         "tfjs/tf.min.js",
		"@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js":               "tfjs/tf-backend-wasm.min.js",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm":               "tfjs/tfjs-backend-wasm.wasm",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm":          "tfjs/tfjs-backend-wasm-simd.wasm",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs/tfjs-backend-wasm-threaded-simd.wasm",
	}
	haveTF := true
	for src := range tfjs {
		if _, err := os.Stat(filepath.Join(npm, src)); err != nil {
			haveTF = false
		}
	}
	if haveTF {
		for src, dst := range tfjs {
			copies[filepath.Join(npm, src)] = dst
		}
		fmt.Fprintf(o.Log, "site: TensorFlow.js from %s\n", npm)
	} else {
		fmt.Fprintf(o.Log, "site: no TensorFlow.js in %s (make tfjs): compare.html will say so\n", npm)
	}
	// Weights.
	w := o.Weights
	if w == "" && !o.NoWeights {
		if _, err := os.Stat(filepath.Join(o.Root, demo.DefaultWeights)); err == nil {
			w = filepath.Join(o.Root, demo.DefaultWeights)
		}
	}
	var net *resnet.Net
	if w != "" {
		if net, err = demo.LoadNetFile(w); err != nil {
			return nil, fmt.Errorf("weights %s: %w", w, err)
		}
		copies[w] = demo.DefaultWeights
		m.Weights = demo.DefaultWeights
		fmt.Fprintf(o.Log, "site: weights %s\n", w)
	} else {
		fmt.Fprintf(o.Log, "site: no weights (%s missing): the page will ask for a file\n", demo.DefaultWeights)
	}
	for src, dst := range copies {
		if err := copyFile(src, filepath.Join(o.Out, dst)); err != nil {
			return nil, err
		}
	}
	// The sample pack: the test images whole and in two parts, the train images.
	test, err := demo.ReadRecords(filepath.Join(o.CIFAR, "test_batch.bin"), o.Test)
	if err != nil {
		return nil, err
	}
	train, err := demo.ReadRecords(filepath.Join(o.CIFAR, "data_batch_1.bin"), o.Train)
	if err != nil {
		return nil, err
	}
	m.Test = Pack{File: "data/test.bin", Count: o.Test}
	m.Train = Pack{File: "data/train.bin", Count: o.Train}
	files := map[string][]byte{m.Test.File: test, m.Train.File: train}
	// testParts: the first TestFirst images, then the rest (if any).
	for k, first := 0, 0; first < o.Test; k++ {
		n := o.Test - first
		if k == 0 {
			n = min(n, o.TestFirst)
		}
		p := Pack{File: fmt.Sprintf("data/test-%d.bin", k), Count: n}
		m.TestParts = append(m.TestParts, p)
		files[p.File] = test[first*cifar.RecordSize : (first+n)*cifar.RecordSize]
		first += n
	}
	for name, b := range files {
		if err := writeFile(filepath.Join(o.Out, name), b); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(o.Log, "site: sample pack %d test (first part %d) + %d train images from %s\n",
		o.Test, m.TestParts[0].Count, o.Train, o.CIFAR)
	// The original network's accuracy on exactly those images.
	if net != nil {
		b, err := baseline(net, test)
		if err != nil {
			return nil, err
		}
		b.Weights = m.Weights
		m.Baseline = b
		fmt.Fprintf(o.Log, "site: baseline %d / %d correct with %s\n", b.Correct, b.Total, w)
	}
	// The comparison page's engines and networks (compare_assets.go).
	if _, err := compareAssets(o, net, m.Weights); err != nil {
		return nil, err
	}
	// Sizes, then the manifest, then the compressed copies.
	err = filepath.WalkDir(o.Out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".gz") || strings.HasSuffix(path, ".br") || d.Name() == marker {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(o.Out, path)
		m.Sizes[filepath.ToSlash(rel)] = int(fi.Size())
		return nil
	})
	if err != nil {
		return nil, err
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := writeFile(filepath.Join(o.Out, "manifest.json"), mb); err != nil {
		return nil, err
	}
	if !o.SkipGz {
		names := make([]string, 0, len(m.Sizes)+1)
		for n := range m.Sizes {
			names = append(names, n)
		}
		names = append(names, "manifest.json")
		sort.Strings(names)
		br, _ := exec.LookPath("brotli") // .br copies only when the brotli tool is installed
		for _, n := range names {
			if !compressible(n) {
				continue
			}
			p := filepath.Join(o.Out, filepath.FromSlash(n))
			if err := gzipFile(p); err != nil {
				return nil, err
			}
			if br != "" {
				if b, err := exec.Command(br, "-q", "9", "-f", "-o", p+".br", p).CombinedOutput(); err != nil {
					return nil, fmt.Errorf("brotli %s: %v\n%s", n, err, b)
				}
			}
		}
		if br == "" {
			fmt.Fprintln(o.Log, "site: no brotli tool: gzip copies only (apt-get install brotli for .br)")
		}
	}
	return m, nil
}

// MaxCritical is the budget, in gzip-compressed bytes, of the files the page needs before the
// filters and the K-Means view are interactive (Critical).
const MaxCritical = 3_000_000

// Critical lists the files, relative to the site, that the page downloads before the filters and
// the K-Means view are interactive: the page shell and loader, Go's wasm_exec.js, the manifest,
// the page's program (app.wasm, which also runs as the view worker) and the weights. The engine
// (worker.wasm), the test images, the sweep, the calibration images, the ebiten animation and the
// comparison page come later (web/static/boot.js starts them at the first render). This is the
// one list the budget test and sitegen's report use.
func Critical(m *Manifest) []string {
	names := []string{"index.html", "style.css", "favicon.svg", "wasm_exec.js", "boot.js", "worker.js",
		"manifest.json", "app.wasm"}
	if m.Weights != "" {
		names = append(names, m.Weights)
	}
	return names
}

// FileSize is one file's size in bytes, as stored and gzip-compressed.
type FileSize struct {
	Name      string
	Bytes, Gz int
}

// Sizes returns the size and gzip-compressed size (at the level of Build's .gz copies, which
// cmd/serve sends) of each named file of the site in dir, and the sum of the compressed sizes.
func Sizes(dir string, names []string) ([]FileSize, int, error) {
	var out []FileSize
	total := 0
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return nil, 0, err
		}
		var c countWriter
		zw, _ := gzip.NewWriterLevel(&c, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		out = append(out, FileSize{Name: n, Bytes: len(b), Gz: int(c)})
		total += int(c)
	}
	return out, total, nil
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(b []byte) (int, error) { *c += countWriter(len(b)); return len(b), nil }

// baseline evaluates net natively on the raw test records.
func baseline(net *resnet.Net, records []byte) (*Baseline, error) {
	set, err := cifar.ParseBytes(records, "test_batch.bin")
	if err != nil {
		return nil, err
	}
	e, err := resnet.Compile(net)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	r := eval.Run(e, set, 0, nil)
	return &Baseline{Correct: r.Correct, Total: r.Images}, nil
}

// prepareOut empties out if Build made it (or creates it); it refuses other non-empty folders.
func prepareOut(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, marker), nil, 0o644)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(out, marker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by the site builder; refusing to overwrite it", out)
		}
	}
	for _, e := range entries {
		if e.Name() == marker {
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, marker), nil, 0o644)
}

func goEnv(root, key string) (string, error) {
	cmd := exec.Command("go", "env", key)
	cmd.Dir = root
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func goBuild(root, pkg, out string, simd bool) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if simd {
		cmd.Env = append(cmd.Env, "GOEXPERIMENT=simd")
	} else {
		cmd.Env = append(cmd.Env, "GOEXPERIMENT=") // not inherited from make test's SIMD runs
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

func compressible(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".wasm", ".js", ".html", ".css", ".json", ".bin", ".safetensors", ".svg", ".txt":
		return true
	}
	return false
}

func gzipFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := os.Create(path + ".gz")
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFile(dst, b)
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
