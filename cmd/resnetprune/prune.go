package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/measure"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
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
func (f *variantFlags) resolve() (variant.Variant, error) {
	var m variant.Method
	if mf := f.fs.Lookup("method"); mf != nil && mf.Value.String() != "" {
		var err error
		if m, err = variant.ParseMethod(mf.Value.String()); err != nil {
			return variant.Variant{}, err
		}
	}
	return f.flags.Variant(m, 0)
}

// pruned is one result of the prune-and-repair pipeline.
type pruned struct {
	*pipeline.Result
	net *resnet.Net // = Result.Net (train.go spells it so)
}

// newPipeline returns the pipeline that prunes orig, with the train split of the CIFAR-10 folder
// dir ("" = the default folder) as its calibration images when calib > 0 (the most any run will
// use; more is refused here, before any work).
func newPipeline(orig *resnet.Net, dir string, calib, ninit, threads int) (*pipeline.Pipeline, error) {
	p := &pipeline.Pipeline{Orig: orig, Threads: threads, NInit: ninit}
	if calib == 0 {
		return p, nil
	}
	folder, err := cifar.Dir(dir)
	if err != nil {
		return nil, err
	}
	if p.Train, err = cifar.Open(folder, cifar.Train); err != nil {
		return nil, err
	}
	if calib > p.Train.Len() {
		return nil, fmt.Errorf("%d calibration images requested, the train split has %d", calib, p.Train.Len())
	}
	return p, nil
}

// pruneNet runs the pipeline for spec on orig, repairing with the first pipeline.Calib(spec.Variant)
// train images of the CIFAR-10 folder dir ("" = the default folder). It returns those calibration
// images too (nil when the variant needs none).
func pruneNet(orig *resnet.Net, spec variant.Spec, ninit int, dir string, threads int) (*pruned, *repair.Calibration, error) {
	n := pipeline.Calib(spec.Variant)
	pl, err := newPipeline(orig, dir, n, ninit, threads)
	if err != nil {
		return nil, nil, err
	}
	r, err := pl.Run(spec)
	if err != nil {
		return nil, nil, err
	}
	var cal *repair.Calibration
	if n > 0 {
		if cal, err = pl.Calibration(n); err != nil {
			return nil, nil, err
		}
	}
	return &pruned{Result: r, net: r.Net}, cal, nil
}

// pruneReport is prune's output: eval's keys plus the pruning settings (every variant step's key,
// from the variant table: MarshalJSON), the per-layer table, the pipeline's times and a link that
// reproduces the run in the browser.
type pruneReport struct {
	evalReport
	Bytes    int             `json:"bytes"`
	CPU      float64         `json:"cpu_seconds"` // process CPU time of the evaluation (median), 0 if unknown
	Method   int             `json:"method"`
	Ratio    float64         `json:"ratio"`
	Variant  string          `json:"variant"`
	Seed     uint64          `json:"seed"`
	Steps    variant.Variant `json:"-"` // written as one key per step of variant.Steps
	Repeat   int             `json:"repeat"`
	Link     string          `json:"link"`
	Notes    []string        `json:"notes"`
	Layers   []prune.Layer   `json:"layers"`
	Repair   *repair.Stats   `json:"repair,omitempty"`
	Baseline *baselineStats  `json:"baseline,omitempty"`
	Out      string          `json:"out,omitempty"`
	// The pipeline's times: K-Means, the calibration images' activations, the repairs.
	ClusterSeconds float64 `json:"cluster_seconds"`
	CalibSeconds   float64 `json:"calib_seconds"`
	RepairSeconds  float64 `json:"repair_seconds"`
}

// MarshalJSON writes the report's fields and then every variant step's value under its key.
func (r pruneReport) MarshalJSON() ([]byte, error) {
	type plain pruneReport
	b, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1] // the closing brace
	for _, f := range variant.Fields(r.Steps) {
		k, _ := json.Marshal(f.Key)
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b = append(append(append(append(b, ','), k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// baselineStats compares the pruned model with the unpruned one on the same images in the same run,
// timed alternately (measure.Alternate).
type baselineStats struct {
	Accuracy     float64 `json:"accuracy"`
	Seconds      float64 `json:"seconds"` // median
	MACs         int     `json:"macs"`
	Params       int     `json:"params"`
	Bytes        int     `json:"bytes"`
	CPUSeconds   float64 `json:"cpu_seconds"`   // median
	Speedup      float64 `json:"speedup"`       // median over the rounds of baseline seconds / pruned seconds
	CPUSpeedup   float64 `json:"cpu_speedup"`   // the same in process CPU time
	MACReduction float64 `json:"mac_reduction"` // baseline MACs / pruned MACs
	OfMACs       float64 `json:"speedup_of_mac_reduction"`
}

// link returns the run's link: the published demo's address ($RESNETPRUNE_BASE_URL, checked by
// main) followed by the URL fragment of the spec's settings and the evaluated images; the fragment
// alone without that variable.
func link(s *variant.Spec, d *dataFlags) string {
	base, _ := variant.BaseURL(os.Getenv(variant.EnvBaseURL))
	return base + s.Link([2]string{"split", d.split}, [2]string{"offset", strconv.Itoa(d.offset)}, [2]string{"limit", strconv.Itoa(d.limit)})
}

// pruneUsage is the usage line of prune.
var pruneUsage = "--weights W --method 1|2 --ratio R [--seed S] [--variant " + strings.Join(variant.PresetKeys(), "|") + "|NAME] " + variant.FlagSyntax() +
	" [--out pruned.safetensors] [--baseline] [--limit N] [--offset N] [--threads N] [--json]\n" +
	"Without --variant: the best repair found without SGD (variant best, " + strconv.Itoa(variant.BestCalib) + " calibration train images);\n" +
	"--variant study: the study as published; --variant fixed: its two defects fixed and nothing else."

func runPrune(args []string) error {
	fs := newFlags("prune", pruneUsage)
	weights := fs.String("weights", DefaultWeights, "weights (.safetensors, or a PyTorch .pth/.th)")
	method := fs.String("method", "", "1 = weight sharing (conv1, conv2, shortcut), 2 = channel removal (conv1)")
	ratio := fs.Float64("ratio", 0, "fraction of filters to remove, 0 ≤ r < 1: k = int(C·(1−r)) clusters per layer")
	seed := fs.Uint64("seed", 1, "K-Means seed (each layer derives its own)")
	ninit := fs.Int("ninit", prune.NInit, "K-Means restarts per layer")
	out := fs.String("out", "", "write the pruned model as .safetensors (loads back in eval)")
	baseline := fs.Bool("baseline", false, "also time the unpruned model on the same images, alternately (speed-up)")
	repeat := fs.Int("repeat", 1, "timed evaluations of each model; seconds is their median")
	threads := fs.Int("threads", 0, "goroutines (0 = all cores)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	layerTimes := fs.Bool("layer-times", false, "also time every layer alone (one goroutine, batches of 16 random inputs, median of 5)")
	var vf variantFlags
	vf.register(fs)
	var d dataFlags
	d.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["method"] || !given["ratio"] {
		return fmt.Errorf("--method and --ratio are required")
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	m, err := variant.ParseMethod(*method)
	if err != nil {
		return err
	}
	v, err := vf.resolve()
	if err != nil {
		return err
	}
	if *ninit < 1 || *repeat < 1 || *repeat > maxRepeat {
		return fmt.Errorf("--ninit must be ≥ 1 and --repeat between 1 and %d", maxRepeat)
	}
	spec := variant.Spec{Method: m, Ratio: *ratio, Seed: *seed, Variant: v}
	if err := spec.Validate(); err != nil {
		return err
	}
	if *out != "" {
		if err := checkWeightsOutput(*out, *weights); err != nil {
			return err
		}
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
	e, err := resnet.Compile(p.Net)
	if err != nil {
		return err
	}
	var baseEngine *resnet.Engine
	if *baseline {
		if baseEngine, err = resnet.Compile(orig); err != nil {
			return err
		}
	}
	// Pruned and unpruned timings alternate, so that both see the same machine load; the first run
	// of each shows a progress bar and gives the accuracy.
	var r, base *eval.Result
	evalPruned := func() {
		var bar func(int)
		if r == nil {
			bar = newProgress("prune eval", set.Len()).update
		}
		if ri := eval.Run(e, set, th, bar); r == nil {
			r = ri
		}
	}
	var evalBase func()
	if baseEngine != nil {
		evalBase = func() {
			var bar func(int)
			if base == nil {
				bar = newProgress("baseline", set.Len()).update
			}
			if bi := eval.Run(baseEngine, set, th, bar); base == nil {
				base = bi
			}
		}
	}
	ab := measure.Alternate(*repeat, 0, evalPruned, evalBase)
	r.Seconds = ab.A.Wall()
	rep := pruneReport{evalReport: newEvalReport(p.Net, r, &d, th), Method: int(m), Ratio: spec.Ratio, Variant: v.Name(),
		Seed: spec.Seed, Steps: v, Repeat: *repeat, Link: link(&spec, &d), Notes: p.Notes, Layers: p.Layers, Repair: p.Repair,
		ClusterSeconds: p.ClusterSeconds, CalibSeconds: p.CalibSeconds, RepairSeconds: p.RepairSeconds}
	if *layerTimes {
		fillLayerTimes(rep.Layers, measure.Layers(p.Net, measure.LayerBatch, measure.LayerRuns))
	}
	total := p.Layers[len(p.Layers)-1]
	rep.Weights, rep.Params, rep.MACs, rep.Bytes = total.Weights, total.Params, total.MACs, total.Bytes
	rep.CPU = ab.A.CPU()
	if rep.Notes == nil {
		rep.Notes = []string{}
	}
	if base != nil {
		ct := orig.Count()
		b := &baselineStats{Accuracy: base.Accuracy(), Seconds: ab.B.Wall(), MACs: ct.MACs, Params: ct.Params, Bytes: ct.Bytes,
			CPUSeconds: ab.B.CPU(), Speedup: ab.Speedup(), CPUSpeedup: ab.CPUSpeedup(), MACReduction: float64(ct.MACs) / float64(rep.MACs)}
		b.OfMACs = b.Speedup / b.MACReduction
		rep.Baseline = b
	}
	if *out != "" {
		meta := map[string]string{"source": *weights, "method": spec.Method.String(), "ratio": strconv.FormatFloat(spec.Ratio, 'g', -1, 64),
			"variant": v.Name(), "seed": strconv.FormatUint(spec.Seed, 10), "link": rep.Link}
		if err := saveNet(p.Net, *out, meta, *weights); err != nil {
			return err
		}
		rep.Out = *out
	}
	if *asJSON {
		return jsonIndent(os.Stdout, rep)
	}
	rep.printText(os.Stdout)
	return nil
}

// maxRepeat bounds --repeat.
const maxRepeat = 1000

// fillLayerTimes stores each measured layer's time into the row of the same name and their sum
// into the total row (the last).
func fillLayerTimes(layers []prune.Layer, times []measure.LayerTime) {
	byName := map[string]*prune.Layer{}
	for i := range layers {
		byName[layers[i].Name] = &layers[i]
	}
	var sum float64
	for _, t := range times {
		if l := byName[t.Name]; l != nil {
			l.MsPerImage = t.MsPerImage
		}
		sum += t.MsPerImage
	}
	layers[len(layers)-1].MsPerImage = sum
}

// printText writes the human-readable report: settings, per-layer table, notes, repairs, result.
func (r *pruneReport) printText(w io.Writer) {
	fmt.Fprintf(w, "method %d (%s), ratio %v, seed %d, variant %s\n\n", r.Method, variant.Method(r.Method).Title(), r.Ratio, r.Seed, r.Variant)
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
	if r.Repair != nil {
		fmt.Fprintf(w, "repair    %.1f s (calibration activations %.1f s; K-Means %.1f s)\n", r.RepairSeconds, r.CalibSeconds, r.ClusterSeconds)
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
