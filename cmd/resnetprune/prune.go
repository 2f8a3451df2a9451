package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/repair"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// variantFlags are a command's --variant and step flags (variant.Register).
type variantFlags struct {
	fs    *flag.FlagSet
	flags *variant.Flags
}

// register adds --variant and the step flags to fs.
func (f *variantFlags) register(fs *flag.FlagSet) {
	f.fs, f.flags = fs, variant.Register(fs)
}

// resolve returns the variant the flags describe for the method of the command's --method flag
// (without --variant: variant.Best of that method).
func (f *variantFlags) resolve() (prune.Variant, error) {
	var m variant.Method
	if mf := f.fs.Lookup("method"); mf != nil && mf.Value.String() != "" {
		var err error
		if m, err = variant.ParseMethod(mf.Value.String()); err != nil {
			return prune.Variant{}, err
		}
	}
	return f.flags.Variant(m, 0)
}

// pruned is one pruned network and what happened while building it.
type pruned struct {
	net    *resnet.Net
	layers []prune.Layer
	notes  []string
	repair *repair.Stats
}

// build applies variant v to plan's clustering of orig and repairs the result (cal may be nil when
// v needs no calibration images).
func build(orig *resnet.Net, plan *prune.Plan, v prune.Variant, cal *repair.Calibration) (*pruned, error) {
	net, notes, err := prune.Apply(orig, plan, v)
	if err != nil {
		return nil, err
	}
	p := &pruned{net: net, notes: notes}
	if v.Recal > 0 || v.Refit > 0 {
		if cal == nil {
			return nil, fmt.Errorf("variant %s needs calibration images", v.Name())
		}
		if p.repair, err = cal.Repair(net, repair.ForPlan(v, plan)); err != nil {
			return nil, err
		}
	}
	p.layers = prune.Account(net, plan)
	return p, nil
}

// pruneNet clusters orig as spec says, applies spec.Variant and repairs the result with the
// first max(Recal, Refit) train images of the CIFAR-10 folder dir ("" = the default folder). It
// returns those calibration images too (nil when the variant needs none).
func pruneNet(orig *resnet.Net, spec prune.Spec, ninit int, dir string, threads int) (*pruned, *repair.Calibration, error) {
	plan, err := prune.Cluster(orig, spec, prune.ClusterOptions{NInit: ninit})
	if err != nil {
		return nil, nil, err
	}
	cal, err := calibration(orig, dir, max(spec.Variant.Recal, spec.Variant.Refit), threads)
	if err != nil {
		return nil, nil, err
	}
	p, err := build(orig, plan, spec.Variant, cal)
	return p, cal, err
}

// calibration opens the first n normalised train images for the repairs (nil when n is 0).
func calibration(orig *resnet.Net, folder string, n, threads int) (*repair.Calibration, error) {
	if n == 0 {
		return nil, nil
	}
	dir, err := cifar.Dir(folder)
	if err != nil {
		return nil, err
	}
	set, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		return nil, err
	}
	if n > set.Len() {
		return nil, fmt.Errorf("%d calibration images requested, the train split has %d", n, set.Len())
	}
	x := make([]float32, n*cifar.ImageSize)
	set.Batch(x, 0, n)
	return repair.NewCalibration(orig, x, n, threads)
}

// median returns the median of v.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// pruneReport is prune's output: eval's keys plus the pruning settings, the per-layer table and a
// link that reproduces the run in the browser.
type pruneReport struct {
	evalReport
	Bytes    int            `json:"bytes"`
	CPU      float64        `json:"cpu_seconds"` // process CPU time of the evaluation (median), 0 if unknown
	Method   int            `json:"method"`
	Ratio    float64        `json:"ratio"`
	Variant  string         `json:"variant"`
	Seed     uint64         `json:"seed"`
	PCA      int            `json:"pca"`
	Kernels  bool           `json:"kernels"`
	Rep      string         `json:"rep"`
	Recal    int            `json:"recal"`
	Merge    bool           `json:"merge"`
	Refit    int            `json:"refit"`
	Comp     bool           `json:"comp"`
	ReLU     bool           `json:"relu"`
	FC       bool           `json:"fc"`
	Repeat   int            `json:"repeat"`
	Link     string         `json:"link"`
	Notes    []string       `json:"notes"`
	Layers   []prune.Layer  `json:"layers"`
	Repair   *repair.Stats  `json:"repair,omitempty"`
	Baseline *baselineStats `json:"baseline,omitempty"`
	Out      string         `json:"out,omitempty"`
}

// baselineStats compares the pruned model with the unpruned one on the same images in the same run.
type baselineStats struct {
	Accuracy     float64 `json:"accuracy"`
	Seconds      float64 `json:"seconds"`
	MACs         int     `json:"macs"`
	Params       int     `json:"params"`
	Bytes        int     `json:"bytes"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	Speedup      float64 `json:"speedup"`       // baseline seconds / pruned seconds
	CPUSpeedup   float64 `json:"cpu_speedup"`   // the same in process CPU time
	MACReduction float64 `json:"mac_reduction"` // baseline MACs / pruned MACs
	OfMACs       float64 `json:"speedup_of_mac_reduction"`
}

// link returns the run's URL fragment: the spec's settings and the evaluated images.
func link(s *prune.Spec, d *dataFlags) string {
	return s.Link([2]string{"split", d.split}, [2]string{"offset", strconv.Itoa(d.offset)}, [2]string{"limit", strconv.Itoa(d.limit)})
}

func runPrune(args []string) error {
	fs := newFlags("prune", "--weights W --method 1|2 --ratio R [--seed S] [--variant study|fixed|NAME] [--pca D] [--kernels] [--rep centroid|norm|closest] [--recal N] [--merge] [--refit N [--comp [--relu]] [--fc]] [--out pruned.safetensors] [--baseline] [--limit N] [--offset N] [--threads N] [--json]")
	weights := fs.String("weights", DefaultWeights, "weights (.safetensors, or a PyTorch .pth/.th)")
	method := fs.String("method", "", "1 = weight sharing (conv1, conv2, shortcut), 2 = channel removal (conv1)")
	ratio := fs.Float64("ratio", -1, "fraction of filters to remove, 0 ≤ r < 1: k = int(C·(1−r)) clusters per layer")
	seed := fs.Uint64("seed", 1, "K-Means seed (each layer derives its own)")
	ninit := fs.Int("ninit", prune.NInit, "K-Means restarts per layer")
	out := fs.String("out", "", "write the pruned model as safetensors (loads back in eval)")
	baseline := fs.Bool("baseline", false, "also time the unpruned model on the same images (speed-up)")
	repeat := fs.Int("repeat", 1, "timed evaluations of each model; seconds is their median")
	threads := fs.Int("threads", 0, "goroutines (0 = all cores)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	layerTimes := fs.Bool("layer-times", false, "also time every layer alone (one goroutine, batches of 16 random inputs)")
	var vf variantFlags
	vf.register(fs)
	var d dataFlags
	d.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	if *method == "" || *ratio == -1 {
		return fmt.Errorf("--method and --ratio are required")
	}
	m, err := prune.ParseMethod(*method)
	if err != nil {
		return err
	}
	v, err := vf.resolve()
	if err != nil {
		return err
	}
	if *ninit < 1 || *repeat < 1 {
		return fmt.Errorf("--ninit and --repeat must be ≥ 1")
	}
	spec := prune.Spec{Method: m, Ratio: *ratio, Seed: *seed, Variant: v}
	if err := spec.Validate(); err != nil {
		return err
	}
	orig, err := loadNet(*weights)
	if err != nil {
		return err
	}
	p, _, err := pruneNet(orig, spec, *ninit, d.dir, th)
	if err != nil {
		return err
	}
	set, err := d.open()
	if err != nil {
		return err
	}
	e, err := resnet.Compile(p.net)
	if err != nil {
		return err
	}
	var base *eval.Result
	var baseEngine *resnet.Engine
	if *baseline {
		if baseEngine, err = resnet.Compile(orig); err != nil {
			return err
		}
	}
	// Alternate pruned and unpruned timings so that both see the same machine load.
	var r *eval.Result
	var secs, baseSecs, cpu, baseCPU []float64
	for i := range *repeat {
		var bar func(int)
		if i == 0 {
			bar = newProgress("prune eval", set.Len()).update
		}
		c0 := cpuSeconds()
		ri := eval.Run(e, set, th, bar)
		cpu = append(cpu, cpuDelta(c0))
		if r == nil {
			r = ri
		}
		secs = append(secs, ri.Seconds)
		if baseEngine != nil {
			if i == 0 {
				bar = newProgress("baseline", set.Len()).update
			}
			c1 := cpuSeconds()
			bi := eval.Run(baseEngine, set, th, bar)
			baseCPU = append(baseCPU, cpuDelta(c1))
			if base == nil {
				base = bi
			}
			baseSecs = append(baseSecs, bi.Seconds)
		}
	}
	r.Seconds = median(secs)
	rep := pruneReport{evalReport: newEvalReport(p.net, r, &d, th), Method: int(m), Ratio: spec.Ratio, Variant: v.Name(),
		Seed: spec.Seed, PCA: v.PCA, Kernels: v.Kernels, Rep: string(orDefault(v.Rep, prune.RepCentroid)), Recal: v.Recal,
		Merge: v.Merge, Refit: v.Refit, Comp: v.Comp, ReLU: v.ReLU, FC: v.FC, Repeat: *repeat, Link: link(&spec, &d), Notes: p.notes, Layers: p.layers, Repair: p.repair}
	if *layerTimes {
		timeLayers(p.net, p.layers)
	}
	total := p.layers[len(p.layers)-1]
	rep.Weights, rep.Params, rep.MACs, rep.Bytes = total.Weights, total.Params, total.MACs, total.Bytes
	rep.CPU = median(cpu)
	if rep.Notes == nil {
		rep.Notes = []string{}
	}
	if base != nil {
		base.Seconds = median(baseSecs)
		ct := orig.Count()
		b := &baselineStats{Accuracy: base.Accuracy(), Seconds: base.Seconds, MACs: ct.MACs, Params: ct.Params, Bytes: ct.Bytes,
			MACReduction: float64(ct.MACs) / float64(rep.MACs)}
		if r.Seconds > 0 {
			b.Speedup = base.Seconds / r.Seconds
		}
		b.OfMACs = b.Speedup / b.MACReduction
		if b.CPUSeconds = median(baseCPU); rep.CPU > 0 {
			b.CPUSpeedup = b.CPUSeconds / rep.CPU
		}
		rep.Baseline = b
	}
	if *out != "" {
		meta := map[string]string{"source": *weights, "method": spec.Method.String(), "ratio": strconv.FormatFloat(spec.Ratio, 'g', -1, 64),
			"variant": v.Name(), "seed": strconv.FormatUint(spec.Seed, 10), "link": rep.Link}
		if err := p.net.Save(*out, meta); err != nil {
			return err
		}
		rep.Out = *out
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.printText(os.Stdout)
	return nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

var methodNames = map[int]string{1: "weight sharing", 2: "channel removal"}

// printText writes the human-readable report: settings, per-layer table, notes, repairs, result.
func (r *pruneReport) printText(w io.Writer) {
	fmt.Fprintf(w, "method %d (%s), ratio %v, seed %d, variant %s\n\n", r.Method, methodNames[r.Method], r.Ratio, r.Seed, r.Variant)
	writeLayers(w, r.Layers)
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	if r.Repair != nil {
		if r.Repair.Recal > 0 {
			fmt.Fprintf(w, "recal: every BN's mean and (biased) variance from the first %d train images\n", r.Repair.Recal)
		}
		if r.Repair.Refit > 0 {
			fmt.Fprintf(w, "refit: conv2 least squares on the first %d train images, ≤ %d positions each:\n", r.Repair.Refit, r.Repair.Positions)
			for _, l := range r.Repair.Layers {
				fmt.Fprintf(w, "  %-14s relative error %.3f → %.3f (%d rows)\n", l.Name, l.Before, l.After, l.Rows)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "accuracy  %.2f%% (%d/%d, %s split from %d)\n", r.Accuracy, r.Correct, r.Images, r.Split, r.Offset)
	fmt.Fprintf(w, "seconds   %.3f (%.0f images/s, %d threads, median of %d; CPU %.2f s)\n", r.Seconds, r.ImagesPerSec, r.Threads, r.Repeat, r.CPU)
	fmt.Fprintf(w, "weights   %d\nparams    %d\nmacs      %d\nbytes     %d\n", r.Weights, r.Params, r.MACs, r.Bytes)
	if b := r.Baseline; b != nil {
		fmt.Fprintf(w, "unpruned  %.2f%%, %.3f s, %d MACs: speed-up %.2f× (CPU time %.2f×), MAC reduction %.2f× (speed-up = %.2f of it)\n",
			b.Accuracy, b.Seconds, b.MACs, b.Speedup, b.CPUSpeedup, b.MACReduction, b.OfMACs)
	}
	if r.Out != "" {
		fmt.Fprintln(w, "saved    ", r.Out)
	}
	fmt.Fprintln(w, "link     ", r.Link)
}

// writeLayers prints the per-layer accounting as an aligned table.
func writeLayers(w io.Writer, layers []prune.Layer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\tcin\tcout\tof\tclusters\tfilters\tweights\tparams\tMACs\tbytes\tms/image\t\t")
	for _, l := range layers {
		clusters, flag := "-", ""
		if l.Pruned {
			clusters = strconv.Itoa(l.Clusters)
		}
		if l.Unchanged {
			flag = "unchanged"
		}
		cin, cout, of := strconv.Itoa(l.Cin), strconv.Itoa(l.Cout), strconv.Itoa(l.Original)
		if l.Name == "total" {
			cin, cout, of = "", "", ""
		}
		ms := "-"
		if l.MsPerImage > 0 {
			ms = strconv.FormatFloat(l.MsPerImage, 'f', 4, 64)
		}
		if l.Name == "total" {
			clusters = strconv.Itoa(l.Clusters)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", l.Name, cin, cout, of, clusters, l.Filters, l.Weights, l.Params, l.MACs, l.Bytes, ms, flag)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// timeLayers measures every convolution of n alone, as the engine runs it (BN folded into the
// epilogue; shared layers compute their centroids once and gather), on one goroutine with batches of
// 16 random inputs, and stores the median ms per image of 5 runs into the matching rows of layers
// (the total row gets their sum).
func timeLayers(n *resnet.Net, layers []prune.Layer) {
	const batch, runs = 16, 5
	rng := rand.New(rand.NewPCG(1, 2))
	byName := map[string]*prune.Layer{}
	for i := range layers {
		byName[layers[i].Name] = &layers[i]
	}
	h, w := 32, 32
	var ws kernels.Workspace
	var sum float64
	timeConv := func(c *resnet.ConvBN, h, w int) {
		scale, shift := c.BN.Fold()
		conv := kernels.NewConv(c.W, c.Rows(), c.Cin, c.K, c.Stride, c.K/2)
		ep := &kernels.Epilogue{Bias: shift, ReLU: true}
		if c.Assign != nil {
			ep.Gather, ep.Scale = c.Assign, scale
		}
		x := make([]float32, batch*c.Cin*h*w)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		ho, wo := c.OutSize(h, w)
		y := make([]float32, batch*c.Cout*ho*wo)
		conv.Forward(y, x, batch, h, w, ep, &ws) // warm-up
		var secs []float64
		for range runs {
			start := time.Now()
			conv.Forward(y, x, batch, h, w, ep, &ws)
			secs = append(secs, time.Since(start).Seconds())
		}
		ms := 1000 * median(secs) / batch
		if l := byName[c.Name]; l != nil {
			l.MsPerImage = ms
		}
		sum += ms
	}
	timeConv(&n.Stem, h, w)
	for i := range n.Blocks {
		b := &n.Blocks[i]
		timeConv(&b.Conv1, h, w)
		ho, wo := b.Conv1.OutSize(h, w)
		timeConv(&b.Conv2, ho, wo)
		if b.Shortcut != nil {
			timeConv(b.Shortcut, h, w)
		}
		h, w = ho, wo
	}
	layers[len(layers)-1].MsPerImage = sum
}
