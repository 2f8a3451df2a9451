package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/measure"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// DefaultSweepVariants shows each repair step's gain in turn, then the best repair (variant.Best
// of each method).
const DefaultSweepVariants = "study,fixed,fixed+bn,fixed+bn+merge,fixed+bn+merge+refit,best"

// maxRatios bounds the number of ratios of --ratios.
const maxRatios = 1000

// sweepRow is one (method, ratio, variant) of a sweep; its JSON keys are also the CSV's columns.
type sweepRow struct {
	Method       int     `json:"method"`
	Ratio        float64 `json:"ratio"`
	Variant      string  `json:"variant"`
	Accuracy     float64 `json:"accuracy"`
	Correct      int     `json:"correct"`
	Images       int     `json:"images"`
	Seconds      float64 `json:"seconds"` // median of --repeat evaluations
	ImagesPerSec float64 `json:"images_per_s"`
	BaseSeconds  float64 `json:"baseline_seconds"` // the unpruned model, timed alternately with this one (median)
	Speedup      float64 `json:"speedup"`          // median over the rounds of baseline seconds / seconds
	// CPU time of the process during the evaluation (user + system, measure.CPUSeconds; 0 where
	// unavailable): unlike wall time it barely moves when other processes load the machine.
	CPUSeconds     float64 `json:"cpu_seconds"`
	BaseCPUSeconds float64 `json:"baseline_cpu_seconds"`
	CPUSpeedup     float64 `json:"cpu_speedup"`
	Params         int     `json:"params"`
	Weights        int     `json:"weights"`
	MACs           int     `json:"macs"`
	MACReduction   float64 `json:"mac_reduction"`
	Bytes          int     `json:"bytes"`
	Link           string  `json:"link"`
	Notes          string  `json:"notes"`
	RepairSeconds  float64 `json:"repair_seconds"` // the repairs, with the calibration activations when this row built them
}

// sweepReport is sweep.json.
type sweepReport struct {
	Weights  string     `json:"weights"`
	Split    string     `json:"split"`
	Offset   int        `json:"offset"`
	Images   int        `json:"images"`
	Threads  int        `json:"threads"`
	Repeat   int        `json:"repeat"`
	Seed     uint64     `json:"seed"`
	Calib    int        `json:"calib"`
	Baseline sweepRow   `json:"baseline"`
	Rows     []sweepRow `json:"rows"`
	// Finetune holds the fine-tuning curves of sweep --finetune N.
	Finetune []finetuneCurve `json:"finetune,omitempty"`
}

// parseRatios reads "0.1:0.9:0.1" (start:stop:step, stop included) or a list "0.3,0.5,0.8".
// Range values are rounded to 9 decimals, so 0.1:0.9:0.1 gives 0.3, not 0.30000000000000004.
func parseRatios(s string) ([]float64, error) {
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("--ratios %q: %q is not a number", s, p)
			}
			v[i] = f
		}
		if v[2] <= 0 || v[1] < v[0] {
			return nil, fmt.Errorf("--ratios %q: want start:stop:step with start ≤ stop and step > 0", s)
		}
		if n := math.Floor((v[1]-v[0])/v[2]+1e-9) + 1; n > maxRatios {
			return nil, fmt.Errorf("--ratios %q gives %.0f ratios, more than %d", s, n, maxRatios)
		}
		var out []float64
		for i := 0; ; i++ {
			r := math.Round((v[0]+float64(i)*v[2])*1e9) / 1e9
			if r > v[1]+1e-9 {
				break
			}
			out = append(out, r)
		}
		return out, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) > maxRatios {
		return nil, fmt.Errorf("--ratios: %d ratios, more than %d", len(parts), maxRatios)
	}
	var out []float64
	for _, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("--ratios %q: %q is not a number", s, p)
		}
		out = append(out, f)
	}
	return out, nil
}

func runSweep(args []string) error {
	fs := newFlags("sweep", "--weights W --out DIR [--methods 1,2] [--ratios 0.1:0.9:0.1] [--variants "+DefaultSweepVariants+"] [--calib N] [--seed S] [--repeat N] [--limit N] [--offset N] [--threads N] [--finetune N [--finetune-points "+DefaultFinetunePoints+"] [--finetune-variant V] [--finetune-lr 0.02] [--finetune-only]]")
	weights := fs.String("weights", DefaultWeights, "weights (.safetensors, or a PyTorch .pth/.th)")
	methods := fs.String("methods", "1,2", "comma-separated methods")
	ratios := fs.String("ratios", "0.1:0.9:0.1", "start:stop:step (stop included) or a comma-separated list")
	variants := fs.String("variants", DefaultSweepVariants, "comma-separated variant names: best (each method's best repair, "+
		strconv.Itoa(variant.BestCalib)+" calibration images), study, fixed or NAME (see prune --variant)")
	calib := fs.Int("calib", variant.DefaultCalib, "train images for the bn and refit steps that give no count")
	seed := fs.Uint64("seed", 1, "K-Means seed")
	ninit := fs.Int("ninit", prune.NInit, "K-Means restarts per layer")
	repeat := fs.Int("repeat", 3, "timed evaluations of each model, alternating with the unpruned one; medians are reported")
	threads := fs.Int("threads", 0, "goroutines (0 = all cores)")
	out := fs.String("out", "", "output folder: sweep.csv, sweep.json, time/params/accuracy plots (.png, .svg)")
	replot := fs.String("replot", "", "only redraw the tables and plots of an earlier sweep.json into --out")
	ftEpochs := fs.Int("finetune", 0, "also fine-tune the pruned model at each --finetune-points for N epochs and plot accuracy per epoch (0 = off)")
	ftPoints := fs.String("finetune-points", DefaultFinetunePoints, "METHOD:RATIO pairs to fine-tune")
	ftVariant := fs.String("finetune-variant", "", "variant whose repaired model is fine-tuned (default: the last of --variants)")
	ftLR := fs.Float64("finetune-lr", 0.02, "fine-tuning peak learning rate (cosine schedule, batch 128, momentum 0.9, wd 5e-4, crop+flip; seed = --seed)")
	ftOnly := fs.Bool("finetune-only", false, "skip the methods × ratios × variants grid: only the fine-tuning curves")
	ftTrainLimit := fs.Int("finetune-train-limit", 0, "fine-tune on the first N training images only (0 = all 50,000)")
	ftDistill := fs.Float64("finetune-distill", 0, "weight α of knowledge distillation from the unpruned network while fine-tuning (0 = off; see finetune --distill)")
	ftDistillT := fs.Float64("finetune-distill-t", 4, "distillation temperature")
	ftKeepBN := fs.Bool("finetune-keep-bn-stats", false, "do not restandardise the repaired BNs before fine-tuning (see finetune --keep-bn-stats)")
	var d dataFlags
	d.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	if *replot != "" {
		return replotSweep(*replot, *out)
	}
	th, err := threadsOrDefault(*threads)
	if err != nil {
		return err
	}
	if *repeat < 1 || *repeat > maxRepeat || *ninit < 1 || *calib < 1 {
		return fmt.Errorf("--ninit and --calib must be ≥ 1 and --repeat between 1 and %d", maxRepeat)
	}
	if *ftEpochs < 0 || *ftTrainLimit < 0 {
		return fmt.Errorf("--finetune and --finetune-train-limit must be ≥ 0")
	}
	if *ftOnly && *ftEpochs == 0 {
		return fmt.Errorf("--finetune-only needs --finetune N")
	}
	var ms []variant.Method
	for _, s := range strings.Split(*methods, ",") {
		m, err := variant.ParseMethod(s)
		if err != nil {
			return err
		}
		ms = append(ms, m)
	}
	rs, err := parseRatios(*ratios)
	if err != nil {
		return err
	}
	// Each method's variants ("best" differs by method); calibN is the most images any repair uses.
	names := strings.Split(*variants, ",")
	if *ftVariant == "" {
		*ftVariant = names[len(names)-1]
	}
	vs := map[variant.Method][]variant.Variant{}
	ftV := map[variant.Method]variant.Variant{}
	calibN := 0
	for _, m := range variant.Methods {
		for _, name := range names {
			v, err := variant.Resolve(name, m, *calib)
			if err != nil {
				return err
			}
			vs[m] = append(vs[m], v)
			if slices.Contains(ms, m) {
				calibN = max(calibN, pipeline.Calib(v))
			}
		}
		if ftV[m], err = variant.Resolve(*ftVariant, m, *calib); err != nil {
			return err
		}
	}
	var ftPts []finetunePoint
	ftCfg := train.DefaultConfig()
	if *ftEpochs > 0 {
		if ftPts, err = parseFinetunePoints(*ftPoints); err != nil {
			return err
		}
		ftCfg.Epochs, ftCfg.LR, ftCfg.Seed, ftCfg.Threads = *ftEpochs, *ftLR, *seed, th
		ftCfg.Distill, ftCfg.DistillT = *ftDistill, *ftDistillT
		if err := ftCfg.Validate(); err != nil {
			return err
		}
		for _, pt := range ftPts {
			s := variant.Spec{Method: pt.method, Ratio: pt.ratio, Seed: *seed, Variant: ftV[pt.method]}
			if err := s.Validate(); err != nil {
				return fmt.Errorf("--finetune-points: method %d, ratio %v, variant %s: %w", pt.method, pt.ratio, s.Variant.Name(), err)
			}
			calibN = max(calibN, pipeline.Calib(s.Variant))
		}
		if *ftOnly {
			ms, rs = nil, nil
		}
	}
	// Check every spec before the long part.
	for _, m := range ms {
		for _, r := range rs {
			for _, v := range vs[m] {
				s := variant.Spec{Method: m, Ratio: r, Seed: *seed, Variant: v}
				if err := s.Validate(); err != nil {
					return fmt.Errorf("method %d, ratio %v, variant %s: %w", m, r, v.Name(), err)
				}
			}
		}
	}
	for _, name := range sweepFiles {
		if err := checkOutput(filepath.Join(*out, name), *weights); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	orig, err := loadNet(*weights)
	if err != nil {
		return err
	}
	set, err := d.open()
	if err != nil {
		return err
	}
	pl, err := newPipeline(orig, d.dir, calibN, *ninit, th)
	if err != nil {
		return err
	}
	baseEngine, err := resnet.Compile(orig)
	if err != nil {
		return err
	}
	eval.Run(baseEngine, set, th, nil) // warm-up
	rep := sweepReport{Weights: *weights, Split: d.split, Offset: d.offset, Images: set.Len(), Threads: th, Repeat: *repeat, Seed: *seed, Calib: *calib}
	var baseRuns measure.Samples
	total := 0
	for _, m := range ms {
		total += len(rs) * len(vs[m])
	}
	start := time.Now()
	for _, m := range ms {
		for _, r := range rs {
			plans := map[string]*prune.Plan{}
			for _, v := range vs[m] {
				s := variant.Spec{Method: m, Ratio: r, Seed: *seed, Variant: v}
				plan := plans[s.PlanKey()]
				if plan == nil {
					if plan, err = pl.Cluster(s); err != nil {
						return fmt.Errorf("method %d, ratio %v: %w", m, r, err)
					}
					plans[s.PlanKey()] = plan
				}
				row, bs, err := sweepOne(pl, baseEngine, plan, s, set, &d, th, *repeat)
				if err != nil {
					return fmt.Errorf("method %d, ratio %v, variant %s: %w", m, r, v.Name(), err)
				}
				baseRuns = append(baseRuns, bs...)
				rep.Rows = append(rep.Rows, row)
				fmt.Fprintf(os.Stderr, "[%d/%d %s] method %d ratio %.2f %-28s accuracy %6.2f%%  %.3f s (unpruned %.3f s, %.2f×; CPU %.2f×)  MACs ÷%.2f\n",
					len(rep.Rows), total, time.Since(start).Round(time.Second), m, r, row.Variant, row.Accuracy, row.Seconds, row.BaseSeconds, row.Speedup,
					row.CPUSpeedup, row.MACReduction)
			}
		}
	}
	var b *eval.Result
	last := measure.Time(func() { b = eval.Run(baseEngine, set, th, nil) })
	if len(baseRuns) == 0 { // --finetune-only: no alternating timings
		baseRuns = measure.Samples{last}
	}
	ct := orig.Count()
	rep.Baseline = sweepRow{Variant: "unpruned", Accuracy: b.Accuracy(), Correct: b.Correct, Images: b.Images, Seconds: baseRuns.Wall(),
		Params: ct.Params, Weights: ct.Weights, MACs: ct.MACs, MACReduction: 1, Bytes: ct.Bytes, Speedup: 1}
	rep.Baseline.BaseSeconds = rep.Baseline.Seconds
	rep.Baseline.CPUSeconds, rep.Baseline.BaseCPUSeconds, rep.Baseline.CPUSpeedup = baseRuns.CPU(), baseRuns.CPU(), 1
	rep.Baseline.ImagesPerSec = float64(b.Images) / rep.Baseline.Seconds
	save := func() error { return writeSweep(*out, &rep, ms, *weights) }
	if len(ftPts) > 0 {
		trainSet, err := openTrain(d.dir, *ftTrainLimit)
		if err != nil {
			return err
		}
		progress := func(cs []finetuneCurve) error {
			rep.Finetune = cs
			return save()
		}
		if rep.Finetune, err = finetuneCurves(pl, baseEngine, ftPts, ftV, *seed, *ftKeepBN, ftCfg, trainSet, set, &d, progress); err != nil {
			return err
		}
	}
	if err := save(); err != nil {
		return err
	}
	fmt.Printf("%d runs, %d fine-tuning curves → %s (sweep.csv, sweep.json, time/params/accuracy plots; finetune.csv and plot)\n", len(rep.Rows), len(rep.Finetune), *out)
	return nil
}

// sweepFiles are the files a sweep may write into its folder (plots as .png and .svg).
var sweepFiles = []string{"sweep.json", "sweep.csv", "time.png", "time.svg", "params.png", "params.svg", "cpu_time.png", "cpu_time.svg",
	"accuracy_method1.png", "accuracy_method1.svg", "accuracy_method2.png", "accuracy_method2.svg", "finetune.csv", "finetune.png", "finetune.svg"}

// sweepOne builds, repairs and evaluates one spec; it returns the row and the unpruned model's
// runs, timed alternately with the pruned one's (measure.Alternate).
func sweepOne(pl *pipeline.Pipeline, baseEngine *resnet.Engine, plan *prune.Plan, s variant.Spec,
	set *cifar.Set, d *dataFlags, th, repeat int) (sweepRow, measure.Samples, error) {
	p, err := pl.Build(plan, s.Variant)
	if err != nil {
		return sweepRow{}, nil, err
	}
	e, err := resnet.Compile(p.Net)
	if err != nil {
		return sweepRow{}, nil, err
	}
	var r *eval.Result
	ab := measure.Alternate(repeat, 0, func() {
		if ri := eval.Run(e, set, th, nil); r == nil {
			r = ri
		}
	}, func() { eval.Run(baseEngine, set, th, nil) })
	tot := p.Layers[len(p.Layers)-1]
	ct := pl.Orig.Count()
	row := sweepRow{Method: int(s.Method), Ratio: s.Ratio, Variant: s.Variant.Name(), Accuracy: r.Accuracy(), Correct: r.Correct,
		Images: r.Images, Seconds: ab.A.Wall(), BaseSeconds: ab.B.Wall(), Params: tot.Params, Weights: tot.Weights, MACs: tot.MACs,
		Bytes: tot.Bytes, Link: link(&s, d), Notes: strings.Join(p.Notes, "; "), Speedup: ab.Speedup(),
		CPUSeconds: ab.A.CPU(), BaseCPUSeconds: ab.B.CPU(), CPUSpeedup: ab.CPUSpeedup(), RepairSeconds: p.CalibSeconds + p.RepairSeconds}
	row.ImagesPerSec = float64(row.Images) / row.Seconds
	row.MACReduction = float64(ct.MACs) / float64(row.MACs)
	return row, ab.B, nil
}

// writeSweep writes sweep.csv, sweep.json and the plots into dir (never over input).
func writeSweep(dir string, rep *sweepReport, ms []variant.Method, input string) error {
	var buf bytes.Buffer
	if err := jsonIndent(&buf, rep); err != nil {
		return err
	}
	js := buf.Bytes()
	jsonPath := filepath.Join(dir, "sweep.json")
	if fi, err := os.Stat(jsonPath); err == nil && sameFile(fi, input) {
		// --replot in place: sweep.json is the input and stays as it is.
	} else if err := writeFile(jsonPath, input, append(js, '\n')); err != nil {
		return err
	}
	w := &csvRows{}
	w.Write([]string{"method", "ratio", "variant", "accuracy", "correct", "images", "seconds", "images_per_s", "baseline_seconds",
		"speedup", "cpu_seconds", "baseline_cpu_seconds", "cpu_speedup", "params", "weights", "macs", "mac_reduction", "bytes", "repair_seconds", "link", "notes"})
	ff := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, r := range append([]sweepRow{rep.Baseline}, rep.Rows...) {
		method := strconv.Itoa(r.Method)
		if r.Method == 0 {
			method = ""
		}
		w.Write([]string{method, ff(r.Ratio), r.Variant, ff(r.Accuracy), strconv.Itoa(r.Correct), strconv.Itoa(r.Images), ff(r.Seconds),
			ff(r.ImagesPerSec), ff(r.BaseSeconds), ff(r.Speedup), ff(r.CPUSeconds), ff(r.BaseCPUSeconds), ff(r.CPUSpeedup), strconv.Itoa(r.Params), strconv.Itoa(r.Weights), strconv.Itoa(r.MACs),
			ff(r.MACReduction), strconv.Itoa(r.Bytes), ff(r.RepairSeconds), r.Link, r.Notes})
	}
	if err := writeCSV(filepath.Join(dir, "sweep.csv"), input, w.rows); err != nil {
		return err
	}
	if err := writePlots(dir, rep, ms, input); err != nil {
		return err
	}
	if len(rep.Finetune) > 0 {
		return writeCurves(dir, rep, input)
	}
	return nil
}

// variantNames returns the variants of method m's rows, in their order.
func variantNames(rows []sweepRow, m variant.Method) []string {
	var names []string
	for _, r := range rows {
		if r.Method == int(m) && !slices.Contains(names, r.Variant) {
			names = append(names, r.Variant)
		}
	}
	return names
}

// savePlot writes p as dir/name.png and dir/name.svg, 9 × 4.5 inches.
func savePlot(p *plot.Plot, dir, name, input string) error {
	for _, ext := range []string{"png", "svg"} {
		wt, err := p.WriterTo(9*vg.Inch, 4.5*vg.Inch, ext)
		if err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(dir, name+"."+ext), []string{input}, func(w io.Writer) error {
			_, err := wt.WriteTo(w)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// series collects the (ratio, value) points of the rows that keep returns true for.
func series(rows []sweepRow, keep func(sweepRow) bool, value func(sweepRow) float64) plotter.XYs {
	var xy plotter.XYs
	for _, r := range rows {
		if keep(r) {
			xy = append(xy, plotter.XY{X: r.Ratio, Y: value(r)})
		}
	}
	return xy
}

// writePlots draws, as PNG and SVG: evaluation time vs ratio (both methods and the unpruned
// reference), params vs ratio, and accuracy vs ratio per method (one line per variant).
func writePlots(dir string, rep *sweepReport, ms []variant.Method, input string) error {
	if len(rep.Rows) == 0 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Rows {
		lo, hi = min(lo, r.Ratio), max(hi, r.Ratio)
	}
	ref := func(v float64) plotter.XYs { return plotter.XYs{{X: lo, Y: v}, {X: hi, Y: v}} }
	// Time and params depend on the method and ratio, not on the variant: plot each method's first
	// variant's rows (time is the median over every variant of the same method and ratio).
	first := map[variant.Method]string{}
	for _, m := range ms {
		if names := variantNames(rep.Rows, m); len(names) > 0 {
			first[m] = names[0]
		}
	}
	type figure struct {
		name, title, ylabel string
		lines               []any
	}
	var timeLines, paramLines []any
	for _, m := range ms {
		label := fmt.Sprintf("method %d (%s)", m, m.Title())
		timeLines = append(timeLines, label, series(rep.Rows, func(r sweepRow) bool { return r.Method == int(m) && r.Variant == first[m] },
			func(r sweepRow) float64 { return medianOf(rep.Rows, m, r.Ratio) }))
		paramLines = append(paramLines, label, series(rep.Rows, func(r sweepRow) bool { return r.Method == int(m) && r.Variant == first[m] },
			func(r sweepRow) float64 { return float64(r.Params) }))
	}
	timeLines = append(timeLines, "unpruned", ref(rep.Baseline.Seconds))
	var cpuLines []any
	for _, m := range ms {
		cpuLines = append(cpuLines, fmt.Sprintf("method %d (%s)", m, m.Title()),
			series(rep.Rows, func(r sweepRow) bool { return r.Method == int(m) && r.Variant == first[m] },
				func(r sweepRow) float64 { return r.CPUSeconds }))
	}
	cpuLines = append(cpuLines, "unpruned", ref(rep.Baseline.CPUSeconds))
	paramLines = append(paramLines, "unpruned", ref(float64(rep.Baseline.Params)))
	figs := []figure{
		{"time", fmt.Sprintf("evaluation time, %d images, %d threads", rep.Images, rep.Threads), "seconds (median)", timeLines},
		{"params", "parameters", "params", paramLines},
	}
	if rep.Baseline.CPUSeconds > 0 {
		figs = append(figs, figure{"cpu_time", fmt.Sprintf("evaluation CPU time (user + system), %d images, %d threads", rep.Images, rep.Threads),
			"CPU seconds (median)", cpuLines})
	}
	for _, m := range ms {
		var lines []any
		for _, name := range variantNames(rep.Rows, m) {
			lines = append(lines, name, series(rep.Rows, func(r sweepRow) bool { return r.Method == int(m) && r.Variant == name },
				func(r sweepRow) float64 { return r.Accuracy }))
		}
		lines = append(lines, "unpruned", ref(rep.Baseline.Accuracy))
		figs = append(figs, figure{fmt.Sprintf("accuracy_method%d", m), fmt.Sprintf("accuracy, method %d (%s), %d test images", m, m.Title(), rep.Images), "accuracy %", lines})
	}
	for _, fg := range figs {
		p := plot.New()
		p.Title.Text = fg.title
		p.X.Label.Text = "pruning ratio r (k = int(C·(1−r)) clusters)"
		p.Y.Label.Text = fg.ylabel
		p.Y.Min = 0
		p.Add(plotter.NewGrid())
		if err := plotutil.AddLinePoints(p, fg.lines...); err != nil {
			return err
		}
		p.Legend.Top = true
		// An empty band right of the data for the legend, and ticks at the ratios only.
		p.X.Max = hi + legendBand(p, fg.lines, hi-lo)
		p.X.Tick.Marker = plot.TickerFunc(func(float64, float64) []plot.Tick {
			var ts []plot.Tick
			for r := math.Ceil(lo*10-1e-9) / 10; r <= hi+1e-9; r += 0.1 {
				ts = append(ts, plot.Tick{Value: r, Label: strconv.FormatFloat(r, 'f', 1, 64)})
			}
			return ts
		})
		if err := savePlot(p, dir, fg.name, input); err != nil {
			return err
		}
	}
	return nil
}

// legendBand returns how far past the last ratio the x axis must reach so that the legend of lines
// (label, series pairs) fits to the right of the data in a 9-inch wide plot whose data span
// width (in ratio units).
func legendBand(p *plot.Plot, lines []any, span float64) float64 {
	var w vg.Length
	for i := 0; i < len(lines); i += 2 {
		if s, ok := lines[i].(string); ok {
			w = max(w, p.Legend.TextStyle.Width(s))
		}
	}
	const data = 8.2 * vg.Inch                      // the plot's width less the y axis
	frac := min(0.7, float64((w+0.7*vg.Inch)/data)) // text, swatch and padding
	return span * frac / (1 - frac)
}

// medianOf returns the median evaluation time over every variant of method m at ratio r.
func medianOf(rows []sweepRow, m variant.Method, r float64) float64 {
	var s []float64
	for _, row := range rows {
		if row.Method == int(m) && row.Ratio == r {
			s = append(s, row.Seconds)
		}
	}
	return measure.Median(s)
}

// replotSweep rewrites the CSV, JSON and plots of the sweep saved in file into dir.
func replotSweep(file, dir string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var rep sweepReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var ms []variant.Method
	for _, r := range rep.Rows {
		if m := variant.Method(r.Method); !slices.Contains(ms, m) {
			ms = append(ms, m)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeSweep(dir, &rep, ms, file)
}

// csvRows collects CSV records (Write has csv.Writer's shape) for writeCSV.
type csvRows struct{ rows [][]string }

// Write appends one record.
func (c *csvRows) Write(r []string) { c.rows = append(c.rows, r) }

// writeCSV writes rows to path as CSV (never over input).
func writeCSV(path, input string, rows [][]string) error {
	return writeOutput(path, []string{input}, func(w io.Writer) error { return csv.NewWriter(w).WriteAll(rows) })
}

// sameFile reports whether fi is the file at path.
func sameFile(fi os.FileInfo, path string) bool {
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// writeFile writes b to path (never over input).
func writeFile(path, input string, b []byte) error {
	return writeOutput(path, []string{input}, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
