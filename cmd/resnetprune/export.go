package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/export"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// exportFormats maps an output file's extension to its writer (core/export).
var exportFormats = map[string]func(io.Writer, *resnet.Net, export.Info) error{
	".safetensors": export.WriteSafetensors,
	".onnx":        export.WriteONNX,
}

// pruneOnlyFlags are export's flags that only mean something when it prunes (with --method).
var pruneOnlyFlags = []string{"ratio", "seed", "ninit", "data"}

func runExport(args []string) error {
	fs := newFlags("export", "--weights W [--method 1|2 --ratio R [--seed S] [--variant NAME] [step flags] [--data DIR]] --out F.safetensors|F.onnx [--threads N]")
	weights := fs.String("weights", DefaultWeights, "weights (.safetensors, or a PyTorch .pth/.th)")
	method := fs.String("method", "", "prune first, as the prune command does: 1 = weight sharing, 2 = channel removal (without: export the weights as they are)")
	ratio := fs.Float64("ratio", -1, "fraction of filters to remove, 0 ≤ r < 1 (with --method)")
	seed := fs.Uint64("seed", 1, "K-Means seed (with --method)")
	ninit := fs.Int("ninit", prune.NInit, "K-Means restarts per layer (with --method)")
	dir := fs.String("data", "", "CIFAR-10 binary folder for the repairs' calibration train images (default $CIFAR10_DIR, else data/cifar-10-batches-bin)")
	out := fs.String("out", "", "output: F.safetensors (PyTorch names, pruned shapes; loads in eval and scripts/load_pruned.py) or F.onnx (opset 13, BN folded, dynamic batch, normalised NCHW input)")
	threads := fs.Int("threads", 0, "goroutines for the repairs (0 = all cores)")
	var vf variantFlags
	vf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	write, ok := exportFormats[filepath.Ext(*out)]
	if !ok {
		return fmt.Errorf("--out %q: name a .safetensors or .onnx file", *out)
	}
	if err := checkOutput(*out, *weights); err != nil {
		return err
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	info := export.Info{Source: *weights}
	var spec prune.Spec
	if *method == "" {
		for _, name := range append(pruneOnlyFlags, append(vf.flags.Given(), "variant")...) {
			if set[name] {
				return fmt.Errorf("--%s prunes: it needs --method and --ratio (without them export writes the unpruned weights)", name)
			}
		}
	} else {
		if *ratio == -1 {
			return fmt.Errorf("--method needs --ratio")
		}
		m, err := prune.ParseMethod(*method)
		if err != nil {
			return err
		}
		v, err := vf.resolve()
		if err != nil {
			return err
		}
		if *ninit < 1 {
			return fmt.Errorf("--ninit must be ≥ 1")
		}
		spec = prune.Spec{Method: m, Ratio: *ratio, Seed: *seed, Variant: v}
		if err := spec.Validate(); err != nil {
			return err
		}
		info.Spec = &spec
	}
	net, err := loadNet(*weights)
	if err != nil {
		return err
	}
	if spec.Method == 0 && strings.HasSuffix(*weights, ".safetensors") {
		// A file pruned earlier keeps its pruning keys (export.Info.SourceMeta).
		if _, info.SourceMeta, err = resnet.Load(*weights); err != nil {
			return err
		}
	}
	if spec.Method != 0 {
		p, _, err := pruneNet(net, spec, *ninit, *dir, th)
		if err != nil {
			return err
		}
		net = p.net
	}
	if err := writeOutput(*out, []string{*weights}, func(w io.Writer) error { return write(w, net, info) }); err != nil {
		return err
	}
	ct := net.Count()
	what := "as loaded, not pruned here"
	switch {
	case spec.Method != 0:
		what = "pruned: " + strings.Join(spec.Args(), " ")
	case info.SourceMeta["method"] != "" && info.SourceMeta["method"] != "none":
		what = "as loaded, pruned earlier: method " + info.SourceMeta["method"] + ", " + info.SourceMeta[export.MetaArgs]
	}
	fmt.Fprintf(os.Stdout, "wrote %s: ResNet20 %s, %s, %d params, %d MACs\n", *out, net.Arch, what, ct.Params, ct.MACs)
	return nil
}
