package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// DefaultFinetunePoints are the study's fine-tuning curves: method 1 at r = 0.5 and 0.9, method 2
// at r = 0.5 and 0.8.
const DefaultFinetunePoints = "1:0.5,1:0.9,2:0.5,2:0.8"

// finetuneCurve is one pruned model's accuracy over its fine-tuning epochs (sweep --finetune).
type finetuneCurve struct {
	Method      int     `json:"method"`
	Ratio       float64 `json:"ratio"`
	Variant     string  `json:"variant"`
	LR          float64 `json:"lr"`
	Schedule    string  `json:"schedule"`
	Epochs      int     `json:"epochs"`
	TrainImages int     `json:"train_images"`
	KeepBN      bool    `json:"keep_bn_stats"` // the repaired BN statistics were not restandardised
	Distill     float64 `json:"distill"`       // weight α of distillation from the unpruned network
	DistillT    float64 `json:"distill_t"`
	// Accuracy on the sweep's images: [0] right after pruning and repair, [e] after epoch e.
	Accuracy  []float64 `json:"accuracy"`
	TrainLoss []float64 `json:"train_loss"` // [e−1]: mean loss of epoch e
	TrainAcc  []float64 `json:"train_acc"`  // [e−1]: accuracy on epoch e's augmented batches
	Seconds   []float64 `json:"seconds"`    // [e−1]: wall seconds of epoch e's training
	Params    int       `json:"params"`
	MACs      int       `json:"macs"`
	Link      string    `json:"link"`
}

// finetunePoint is one (method, ratio) to fine-tune.
type finetunePoint struct {
	method variant.Method
	ratio  float64
}

// parseFinetunePoints reads "1:0.5,2:0.8".
func parseFinetunePoints(s string) ([]finetunePoint, error) {
	var ps []finetunePoint
	for _, f := range strings.Split(s, ",") {
		ms, rs, ok := strings.Cut(strings.TrimSpace(f), ":")
		if !ok {
			return nil, fmt.Errorf("--finetune-points %q: want METHOD:RATIO pairs such as %s", s, DefaultFinetunePoints)
		}
		m, err := variant.ParseMethod(ms)
		if err != nil {
			return nil, err
		}
		r, err := strconv.ParseFloat(rs, 64)
		if err != nil {
			return nil, fmt.Errorf("--finetune-points %q: ratio %q is not a number", s, rs)
		}
		ps = append(ps, finetunePoint{m, r})
	}
	return ps, nil
}

// finetuneCurves prunes the pipeline's network at each point with that method's variant of vs,
// fine-tunes it with cfg on trainSet and evaluates it on set before and after every epoch. Unless
// keepBN, every BN is first restandardised on the repair's calibration images
// (repair.Calibration.Restandardize). done is called with the curves so far after each one (to
// save them: a long run that stops keeps what it finished). teacher (the original network
// compiled) gives the logits distilled when cfg.Distill > 0.
func finetuneCurves(pl *pipeline.Pipeline, teacher *resnet.Engine, points []finetunePoint, vs map[variant.Method]variant.Variant, seed uint64, keepBN bool,
	cfg train.Config, trainSet, set *cifar.Set, d *dataFlags, done func([]finetuneCurve) error) ([]finetuneCurve, error) {
	var curves []finetuneCurve
	for _, pt := range points {
		v := vs[pt.method]
		s := variant.Spec{Method: pt.method, Ratio: pt.ratio, Seed: seed, Variant: v}
		p, err := pl.Run(s)
		if err != nil {
			return nil, err
		}
		restd := pipeline.Calib(v)
		if keepBN {
			restd = 0
		}
		if restd > 0 {
			cal, err := pl.Calibration(restd)
			if err != nil {
				return nil, err
			}
			if err := cal.Restandardize(p.Net, restd); err != nil {
				return nil, err
			}
		}
		tot := p.Layers[len(p.Layers)-1]
		c := finetuneCurve{Method: int(pt.method), Ratio: pt.ratio, Variant: v.Name(), LR: cfg.LR, Schedule: string(cfg.Schedule),
			Epochs: cfg.Epochs, TrainImages: trainSet.Len(), KeepBN: restd == 0, Distill: cfg.Distill, DistillT: cfg.DistillT, Params: tot.Params, MACs: tot.MACs, Link: link(&s, d)}
		acc, err := testAccuracy(p.Net, set, cfg.Threads)
		if err != nil {
			return nil, err
		}
		c.Accuracy = append(c.Accuracy, acc)
		fmt.Fprintf(os.Stderr, "fine-tune method %d ratio %.2f %s: %.2f%% before\n", pt.method, pt.ratio, c.Variant, acc)
		t, err := train.NewTrainer(p.Net, trainSet, cfg)
		if err != nil {
			return nil, err
		}
		t.Teacher = teacher
		for !t.Done() {
			bar := newTrainBar(fmt.Sprintf("method %d r=%.2f epoch %d/%d", pt.method, pt.ratio, t.Epoch+1, cfg.Epochs), trainSet.Len())
			st := t.RunEpoch(bar.update)
			if acc, err = testAccuracy(t.Model.Net(), set, cfg.Threads); err != nil {
				return nil, err
			}
			c.Accuracy = append(c.Accuracy, acc)
			c.TrainLoss, c.TrainAcc, c.Seconds = append(c.TrainLoss, st.Loss), append(c.TrainAcc, st.Acc), append(c.Seconds, st.Seconds)
			fmt.Fprintf(os.Stderr, "fine-tune method %d ratio %.2f epoch %d/%d: loss %.4f, %.2f%% (%.0f s)\n",
				pt.method, pt.ratio, st.Epoch, cfg.Epochs, st.Loss, acc, st.Seconds)
		}
		curves = append(curves, c)
		if err := done(curves); err != nil {
			return nil, err
		}
	}
	return curves, nil
}

// writeCurves writes finetune.csv and the accuracy-per-epoch plot (finetune.png, .svg) into dir
// (never over input).
func writeCurves(dir string, rep *sweepReport, input string) error {
	w := &csvRows{}
	w.Write([]string{"method", "ratio", "variant", "lr", "schedule", "epoch", "accuracy", "train_loss", "train_acc", "seconds"})
	ff := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	var lines []any
	for _, c := range rep.Finetune {
		var xy plotter.XYs
		for e, acc := range c.Accuracy {
			loss, tacc, sec := "", "", ""
			if e > 0 && e <= len(c.TrainLoss) && e <= len(c.TrainAcc) && e <= len(c.Seconds) {
				loss, tacc, sec = ff(c.TrainLoss[e-1]), ff(c.TrainAcc[e-1]), ff(c.Seconds[e-1])
			}
			w.Write([]string{strconv.Itoa(c.Method), ff(c.Ratio), c.Variant, ff(c.LR), c.Schedule, strconv.Itoa(e), ff(acc), loss, tacc, sec})
			xy = append(xy, plotter.XY{X: float64(e), Y: acc})
		}
		lines = append(lines, fmt.Sprintf("method %d, r = %g", c.Method, c.Ratio), xy)
	}
	if err := writeCSV(filepath.Join(dir, "finetune.csv"), input, w.rows); err != nil {
		return err
	}
	epochs := 0
	for _, c := range rep.Finetune {
		epochs = max(epochs, len(c.Accuracy)-1)
	}
	lines = append(lines, "unpruned", plotter.XYs{{X: 0, Y: rep.Baseline.Accuracy}, {X: float64(max(epochs, 1)), Y: rep.Baseline.Accuracy}})
	p := plot.New()
	c0 := rep.Finetune[0]
	variant := c0.Variant
	for _, c := range rep.Finetune {
		if c.Variant != variant {
			variant = "per-curve repairs, see finetune.csv"
		}
	}
	recipe := fmt.Sprintf("%s, lr %g %s", variant, c0.LR, c0.Schedule)
	if c0.Distill > 0 {
		recipe += fmt.Sprintf(", distillation α %g T %g", c0.Distill, c0.DistillT)
	}
	p.Title.Text = fmt.Sprintf("fine-tuning after pruning (%s), accuracy on %d test images", recipe, rep.Images)
	p.X.Label.Text = "epoch (0 = pruned and repaired, before SGD)"
	p.Y.Label.Text = "accuracy %"
	p.Y.Min, p.Y.Max = 0, 100
	p.Add(plotter.NewGrid())
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return err
	}
	p.Legend.Top, p.Legend.Left = false, false // bottom right: the curves are high by then
	return savePlot(p, dir, "finetune", input)
}
