package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/cifar/download"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/torchload"
)

// DefaultWeights is the project's own trained model.
const DefaultWeights = "weights/resnet20.safetensors"

// dataFlags are the flags every command that reads CIFAR-10 shares.
type dataFlags struct {
	dir           string
	split         string
	offset, limit int
}

func (d *dataFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&d.dir, "data", "", "CIFAR-10 binary folder (default $"+cifar.EnvDir+", else "+cifar.DefaultDir+")")
	fs.StringVar(&d.split, "split", "test", "test or train")
	fs.IntVar(&d.offset, "offset", 0, "first image")
	fs.IntVar(&d.limit, "limit", 0, "number of images (0 = all from offset)")
}

// open loads the requested images.
func (d *dataFlags) open() (*cifar.Set, error) {
	var split cifar.Split
	switch d.split {
	case "test":
		split = cifar.Test
	case "train":
		split = cifar.Train
	default:
		return nil, fmt.Errorf("--split %q: want test or train", d.split)
	}
	dir, err := cifar.Dir(d.dir)
	if err != nil {
		return nil, err
	}
	set, err := cifar.Open(dir, split)
	if err != nil {
		return nil, err
	}
	if d.offset < 0 || d.offset >= set.Len() {
		return nil, fmt.Errorf("--offset %d outside the %d %s images", d.offset, set.Len(), d.split)
	}
	end := set.Len()
	if d.limit < 0 {
		return nil, fmt.Errorf("--limit %d is negative", d.limit)
	}
	if d.limit > 0 && d.limit < end-d.offset { // Compared so, offset+limit cannot overflow.
		end = d.offset + d.limit
	}
	return set.Slice(d.offset, end), nil
}

func loadNet(path string) (*resnet.Net, error) {
	if _, err := os.Stat(path); err != nil && path == DefaultWeights {
		return nil, fmt.Errorf("default weights %s not found: run from the repository root or pass --weights", path)
	}
	if strings.HasSuffix(path, ".safetensors") {
		n, _, err := resnet.Load(path)
		return n, err
	}
	ts, err := torchload.Load(path)
	if err != nil {
		return nil, err
	}
	n, err := resnet.FromTensors(ts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// evalReport is eval's output; its JSON keys are the CLI's contract.
type evalReport struct {
	Accuracy     float64 `json:"accuracy"`
	Correct      int     `json:"correct"`
	Images       int     `json:"images"`
	Seconds      float64 `json:"seconds"`
	ImagesPerSec float64 `json:"images_per_s"`
	Threads      int     `json:"threads"`
	Weights      int     `json:"weights"`
	Params       int     `json:"params"`
	MACs         int     `json:"macs"`
	Arch         string  `json:"arch"`
	Split        string  `json:"split"`
	Offset       int     `json:"offset"`
}

func newEvalReport(n *resnet.Net, r *eval.Result, d *dataFlags, threads int) evalReport {
	ct := n.Count()
	return evalReport{Accuracy: r.Accuracy(), Correct: r.Correct, Images: r.Images, Seconds: r.Seconds,
		ImagesPerSec: r.ImagesPerSecond(), Threads: threads, Weights: ct.Weights, Params: ct.Params, MACs: ct.MACs,
		Arch: string(n.Arch), Split: d.split, Offset: d.offset}
}

func (r evalReport) print(asJSON bool) error {
	if asJSON {
		return jsonIndent(os.Stdout, r)
	}
	fmt.Printf("arch      %s\naccuracy  %.2f%% (%d/%d, %s split from %d)\nseconds   %.3f (%.0f images/s, %d threads)\nweights   %d\nparams    %d\nmacs      %d\n",
		r.Arch, r.Accuracy, r.Correct, r.Images, r.Split, r.Offset, r.Seconds, r.ImagesPerSec, r.Threads, r.Weights, r.Params, r.MACs)
	return nil
}

// maxThreads bounds --threads: more goroutines than this only cost memory.
const maxThreads = 1024

func threadsOrDefault(t int) (int, error) {
	if t < 0 || t > maxThreads {
		return 0, fmt.Errorf("--threads %d: want 0 (all cores) to %d", t, maxThreads)
	}
	if t == 0 {
		return runtime.GOMAXPROCS(0), nil
	}
	return t, nil
}

func runEval(args []string) error {
	fs := newFlags("eval", "--weights W [--data DIR] [--split test|train] [--offset N] [--limit N] [--threads N] [--json]")
	weights := fs.String("weights", DefaultWeights, "weights (.safetensors, or a PyTorch .pth/.th)")
	threads := fs.Int("threads", 0, "goroutines (0 = all cores)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	var d dataFlags
	d.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	n, err := loadNet(*weights)
	if err != nil {
		return err
	}
	set, err := d.open()
	if err != nil {
		return err
	}
	e, err := resnet.Compile(n)
	if err != nil {
		return err
	}
	bar := newProgress("eval", set.Len())
	r := eval.Run(e, set, th, bar.update)
	return newEvalReport(n, r, &d, th).print(*asJSON)
}

// Bounds of bench's flags: 50,000 images take 586 MiB of input.
const (
	maxBenchImages = 50000
	maxBenchRuns   = 1000
)

// benchReport is bench's output.
type benchReport struct {
	Arch         string    `json:"arch"`
	Images       int       `json:"images"`
	Threads      int       `json:"threads"`
	Runs         int       `json:"runs"`
	Seconds      []float64 `json:"seconds"`
	Median       float64   `json:"median_seconds"`
	ImagesPerSec float64   `json:"images_per_s"`
	MsPerImage   float64   `json:"ms_per_image"`
	MACs         int       `json:"macs"`
	GMACPerSec   float64   `json:"gmac_per_s"`
	GoVersion    string    `json:"go"`
	GOARCH       string    `json:"goarch"`
}

func runBench(args []string) error {
	fs := newFlags("bench", "[--weights W] [--images N] [--runs N] [--threads N] [--json]")
	weights := fs.String("weights", "", "weights (default: seeded random weights of --arch; speed does not depend on values)")
	arch := fs.String("arch", "B", "variant when no --weights: A or B")
	images := fs.Int("images", 2000, "images per run (seeded random inputs)")
	runs := fs.Int("runs", 5, "timed runs after one warm-up run")
	threads := fs.Int("threads", 0, "goroutines (0 = all cores)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	if *images < 1 || *images > maxBenchImages {
		return fmt.Errorf("--images %d: want 1 to %d (each takes %d KiB of input)", *images, maxBenchImages, cifar.ImageSize*4/1024)
	}
	if *runs < 1 || *runs > maxBenchRuns {
		return fmt.Errorf("--runs %d: want 1 to %d", *runs, maxBenchRuns)
	}
	var n *resnet.Net
	if *weights != "" {
		n, err = loadNet(*weights)
	} else {
		n, err = resnet.New(resnet.Arch(*arch))
	}
	if err != nil {
		return err
	}
	e, err := resnet.Compile(n)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, *images*cifar.ImageSize)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	logits := make([]float32, *images*resnet.Classes)
	e.Run(logits, x, *images, th, nil) // warm-up
	rep := benchReport{Arch: string(n.Arch), Images: *images, Threads: th, Runs: *runs, MACs: n.Count().MACs,
		GoVersion: runtime.Version(), GOARCH: runtime.GOARCH}
	for range *runs {
		start := time.Now()
		e.Run(logits, x, *images, th, nil)
		rep.Seconds = append(rep.Seconds, time.Since(start).Seconds())
	}
	s := slices.Clone(rep.Seconds)
	slices.Sort(s)
	rep.Median = s[len(s)/2]
	rep.ImagesPerSec = float64(*images) / rep.Median
	rep.MsPerImage = 1000 * rep.Median / float64(*images)
	rep.GMACPerSec = float64(rep.MACs) * rep.ImagesPerSec / 1e9
	if *asJSON {
		return jsonIndent(os.Stdout, rep)
	}
	fmt.Printf("arch %s, %d images × %d runs, %d threads (%s %s)\nmedian %.3f s  %.0f images/s  %.3f ms/image  %.1f GMAC/s\n",
		rep.Arch, rep.Images, rep.Runs, rep.Threads, rep.GoVersion, rep.GOARCH, rep.Median, rep.ImagesPerSec, rep.MsPerImage, rep.GMACPerSec)
	return nil
}

func runImport(args []string) error {
	fs := newFlags("import", "--from CHECKPOINT.pth --out WEIGHTS.safetensors")
	from := fs.String("from", "", "PyTorch checkpoint (zip or legacy pickle)")
	out := fs.String("out", "", "safetensors file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *out == "" {
		return fmt.Errorf("both --from and --out are required")
	}
	if err := checkWeightsOutput(*out, *from); err != nil {
		return err
	}
	n, err := loadNet(*from)
	if err != nil {
		return err
	}
	if err := saveNet(n, *out, map[string]string{"source": *from}, *from); err != nil {
		return err
	}
	ct := n.Count()
	fmt.Printf("%s: ResNet20 variant %s, %d weights, %d params → %s\n", *from, n.Arch, ct.Weights, ct.Params, *out)
	return nil
}

func runData(args []string) error {
	fs := newFlags("data", "[--dir data]")
	dir := fs.String("dir", "data", "folder to download and extract into (creates DIR/cifar-10-batches-bin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx := signalContext() // A SIGINT cancels the download, which removes its partial files.
	err := download.CIFAR10(ctx, *dir, os.Stderr)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("interrupted: the download's partial files are removed, nothing was installed in %s", *dir)
	}
	return err
}
