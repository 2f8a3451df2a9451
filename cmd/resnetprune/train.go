package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
)

// trainOpts are the flags of train and finetune.
type trainOpts struct {
	cfg        train.Config
	schedule   string
	seed       uint64
	arch       string // train only
	weights    string // finetune only
	method     string // finetune only: prune first
	ratio      float64
	kmeansSeed uint64
	ninit      int
	variant    variantFlags
	keepBN     bool       // finetune --method: no Restandardize after the repair
	spec       prune.Spec // from method, ratio, kmeansSeed and variant
	dataDir    string
	trainLimit int
	testLimit  int
	out        string
	resume     bool
	stopAfter  int
	threadsSet bool
	epochsSet  bool
	setFlags   []string // run-defining flags given explicitly (ignored by --resume)
	quiet      bool
}

func (o *trainOpts) register(fs *flag.FlagSet, finetune bool) {
	def := train.DefaultConfig()
	lr, epochs := def.LR, 200
	if finetune {
		lr, epochs = 0.01, 20
	}
	fs.IntVar(&o.cfg.Epochs, "epochs", epochs, "epochs to train in all (with --resume: the run's total)")
	fs.IntVar(&o.cfg.Batch, "batch", def.Batch, "mini-batch size")
	fs.Float64Var(&o.cfg.LR, "lr", lr, "peak learning rate")
	fs.Float64Var(&o.cfg.Momentum, "momentum", def.Momentum, "SGD momentum")
	fs.BoolVar(&o.cfg.Nesterov, "nesterov", false, "Nesterov momentum")
	fs.Float64Var(&o.cfg.WeightDecay, "wd", def.WeightDecay, "L2 weight decay")
	fs.BoolVar(&o.cfg.NoDecayBNBias, "no-wd-bn-bias", false, "no weight decay on BN γ/β and biases")
	fs.StringVar(&o.schedule, "schedule", string(train.Cosine), "learning-rate schedule: cosine, step (×0.1 at 50% and 75%), onecycle or constant")
	fs.Float64Var(&o.cfg.Warmup, "warmup", 0, "warm-up epochs (linear; for onecycle the rising phase, default 30%)")
	fs.Float64Var(&o.cfg.LabelSmoothing, "label-smoothing", 0, "label smoothing ε")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of initialisation, shuffling and augmentation")
	fs.IntVar(&o.cfg.Threads, "threads", 0, "goroutines per mini-batch (0 = all cores); results are reproducible for a given seed and thread count")
	fs.BoolVar(&o.cfg.FreezeBN, "freeze-bn", false, "use BN running statistics and do not train γ/β")
	fs.BoolVar(&o.cfg.NoAugment, "no-augment", false, "no random crop / flip")
	fs.StringVar(&o.dataDir, "data", "", "CIFAR-10 binary folder (default $"+cifar.EnvDir+", else "+cifar.DefaultDir+")")
	fs.IntVar(&o.trainLimit, "train-limit", 0, "train on the first N training images only (0 = all 50,000)")
	fs.IntVar(&o.testLimit, "test-limit", 1000, "test images evaluated after each epoch (the first N; 0 = none); logged as test1k_acc")
	fs.StringVar(&o.out, "out", "", "weights to write (.safetensors); the log (.log.jsonl, .log.csv) and checkpoint (.ckpt.safetensors) go next to it")
	fs.BoolVar(&o.resume, "resume", false, "continue from the checkpoint next to --out")
	fs.IntVar(&o.stopAfter, "stop-after", 0, "stop after this many epochs in this invocation (0 = run to the end); continue with --resume")
	fs.BoolVar(&o.quiet, "quiet", false, "no per-epoch lines on stdout")
	if finetune {
		fs.StringVar(&o.weights, "weights", "", "weights to fine-tune (.safetensors, method-1 files with .assign too, or a PyTorch checkpoint)")
		fs.StringVar(&o.method, "method", "", "prune with this method (1 or 2) before fine-tuning, as `prune` does")
		fs.Float64Var(&o.ratio, "ratio", 0, "pruning ratio for --method")
		fs.Float64Var(&o.cfg.Distill, "distill", 0, "weight α of knowledge distillation from the --weights network (0 = off): loss = (1−α)·CE + α·T²·KL(teacher ‖ student)")
		fs.Float64Var(&o.cfg.DistillT, "distill-t", 4, "distillation temperature T")
		fs.Uint64Var(&o.kmeansSeed, "kmeans-seed", 1, "K-Means seed for --method (prune's --seed)")
		fs.IntVar(&o.ninit, "ninit", prune.NInit, "K-Means restarts per layer for --method")
		o.variant.register(fs)
		fs.BoolVar(&o.keepBN, "keep-bn-stats", false, "with --method: keep the repaired BN statistics (default: restandardise every BN on the calibration images, same function, so that training-mode BN starts from the repaired network)")
	} else {
		fs.StringVar(&o.arch, "arch", "B", "ResNet20 variant: A (option-A shortcuts) or B (1×1 projections)")
	}
}

// parseTrain parses train's or finetune's flags.
func parseTrain(name string, args []string, finetune bool) (*trainOpts, error) {
	usage := "--epochs N --out W.safetensors [--arch B] [--batch 128] [--lr 0.1] [--schedule cosine|step|onecycle] [--resume] …"
	if finetune {
		usage = "--weights W --epochs N --out W2.safetensors [--lr 0.01] [--resume] …"
	}
	fs := newFlags(name, usage)
	o := &trainOpts{}
	o.register(fs, finetune)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "threads":
			o.threadsSet = true
		case "epochs":
			o.epochsSet = true
		case "data", "train-limit", "test-limit", "out", "resume", "stop-after", "quiet":
		default:
			o.setFlags = append(o.setFlags, "--"+f.Name)
		}
	})
	o.cfg.Schedule, o.cfg.Seed = train.Schedule(o.schedule), o.seed
	var err error
	if o.cfg.Threads, err = threadsOrDefault(o.cfg.Threads); err != nil {
		return nil, err
	}
	if o.out == "" || !strings.HasSuffix(o.out, ".safetensors") {
		return nil, fmt.Errorf("--out must name a .safetensors file")
	}
	if finetune && o.weights == "" && !o.resume {
		return nil, fmt.Errorf("--weights is required")
	}
	ckpt, jsonl, csvPath := o.outputs()
	for _, p := range []string{o.out, ckpt, jsonl, csvPath} {
		if err := checkOutput(p, o.weights); err != nil {
			return nil, err
		}
	}
	if o.cfg.Epochs > maxEpochs {
		return nil, fmt.Errorf("--epochs %d: at most %d", o.cfg.Epochs, maxEpochs)
	}
	if o.cfg.Batch > cifar.TrainLen {
		return nil, fmt.Errorf("--batch %d: at most the %d training images", o.cfg.Batch, cifar.TrainLen)
	}
	if (o.method != "") != (o.ratio != 0) {
		return nil, fmt.Errorf("--method and --ratio go together")
	}
	if o.method != "" {
		m, err := prune.ParseMethod(o.method)
		if err != nil {
			return nil, err
		}
		v, err := o.variant.resolve()
		if err != nil {
			return nil, err
		}
		if o.ninit < 1 {
			return nil, fmt.Errorf("--ninit must be ≥ 1")
		}
		o.spec = prune.Spec{Method: m, Ratio: o.ratio, Seed: o.kmeansSeed, Variant: v}
		if err := o.spec.Validate(); err != nil {
			return nil, err
		}
	}
	if o.trainLimit < 0 || o.testLimit < 0 || o.stopAfter < 0 {
		return nil, fmt.Errorf("--train-limit, --test-limit and --stop-after must be ≥ 0")
	}
	return o, o.cfg.Validate()
}

// maxEpochs bounds --epochs (and a resumed checkpoint's): far beyond any useful run, small enough
// that step counts cannot overflow.
const maxEpochs = 10000

// checkResumed rejects a resumed checkpoint whose configuration or progress is out of range or
// inconsistent (a damaged or edited file), before any epoch runs on it.
func checkResumed(t *train.Trainer) error {
	if t.Cfg.Epochs > maxEpochs || t.Cfg.Batch > cifar.TrainLen || t.Cfg.Threads > maxThreads {
		return fmt.Errorf("%s: %d epochs of batch %d on %d threads out of range (at most %d epochs, batches of %d, %d threads)",
			train.MetaConfig, t.Cfg.Epochs, t.Cfg.Batch, t.Cfg.Threads, maxEpochs, cifar.TrainLen, maxThreads)
	}
	if t.Epoch < 0 || t.Epoch > maxEpochs || t.Epoch != len(t.Log) {
		return fmt.Errorf("%s %d: want the number of logged epochs, %d", train.MetaEpoch, t.Epoch, len(t.Log))
	}
	if want := t.Epoch * t.StepsPerEpoch(); t.Steps != want {
		return fmt.Errorf("%s %d: %d epochs of %d steps make %d", train.MetaSteps, t.Steps, t.Epoch, t.StepsPerEpoch(), want)
	}
	return nil
}

// outputs returns the files written next to --out.
func (o *trainOpts) outputs() (ckpt, jsonl, csvPath string) {
	base := strings.TrimSuffix(o.out, ".safetensors")
	return base + ".ckpt.safetensors", base + ".log.jsonl", base + ".log.csv"
}

func runTrain(args []string) error {
	o, err := parseTrain("train", args, false)
	if err != nil {
		return err
	}
	trainSet, testSet, err := o.loadData()
	if err != nil {
		return err
	}
	return o.run(trainSet, testSet, os.Stdout, func() (*resnet.Net, map[string]string, error) {
		net, err := resnet.New(resnet.Arch(o.arch))
		if err != nil {
			return nil, nil, err
		}
		train.Init(net, o.seed)
		return net, map[string]string{"train.init": "kaiming_normal seed " + strconv.FormatUint(o.seed, 10)}, nil
	})
}

func runFinetune(args []string) error {
	o, err := parseTrain("finetune", args, true)
	if err != nil {
		return err
	}
	trainSet, testSet, err := o.loadData()
	if err != nil {
		return err
	}
	return o.run(trainSet, testSet, os.Stdout, o.finetuneStart)
}

// finetuneStart loads --weights (and prunes them when --method is given).
func (o *trainOpts) finetuneStart() (*resnet.Net, map[string]string, error) {
	net, err := loadNet(o.weights)
	if err != nil {
		return nil, nil, err
	}
	meta := map[string]string{"train.init": o.weights}
	if o.method != "" {
		p, cal, err := pruneNet(net, o.spec, o.ninit, o.dataDir, o.cfg.Threads)
		if err != nil {
			return nil, nil, err
		}
		if cal != nil && !o.keepBN {
			if err := cal.Restandardize(p.net, max(o.spec.Variant.Recal, o.spec.Variant.Refit)); err != nil {
				return nil, nil, err
			}
		}
		net = p.net
		meta["train.pruned"] = fmt.Sprintf("method %d ratio %g variant %s kmeans-seed %d", o.spec.Method, o.spec.Ratio, o.spec.Variant.Name(), o.spec.Seed)
		meta["link"] = link(&o.spec, &dataFlags{split: "test", limit: o.testLimit})
	}
	return net, meta, nil
}

// loadData reads the training images (the first --train-limit) and the first --test-limit test images.
func (o *trainOpts) loadData() (trainSet, testSet *cifar.Set, err error) {
	dir, err := cifar.Dir(o.dataDir)
	if err != nil {
		return nil, nil, err
	}
	if trainSet, err = openTrain(dir, o.trainLimit); err != nil {
		return nil, nil, err
	}
	testSet = &cifar.Set{}
	if o.testLimit > 0 {
		if testSet, err = cifar.Open(dir, cifar.Test); err != nil {
			return nil, nil, err
		}
		testSet = testSet.Slice(0, min(o.testLimit, testSet.Len()))
	}
	return trainSet, testSet, nil
}

// run trains (or resumes) and writes weights, checkpoint and logs after every epoch. start gives
// the initial weights of a fresh run and metadata describing them.
func (o *trainOpts) run(trainSet, testSet *cifar.Set, stdout io.Writer, start func() (*resnet.Net, map[string]string, error)) error {
	ckptPath, jsonlPath, csvPath := o.outputs()
	inputs := []string{o.weights}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	var (
		t    *train.Trainer
		meta map[string]string
	)
	if o.resume {
		f, err := safetensors.ReadFile(ckptPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(os.Stderr, "no checkpoint %s: starting from the beginning\n", ckptPath)
		case err != nil:
			return err
		default:
			threads, epochs := 0, 0
			if o.threadsSet {
				threads = o.cfg.Threads
			}
			if o.epochsSet {
				epochs = o.cfg.Epochs
			}
			if t, err = train.Resume(f, trainSet, threads, epochs); err != nil {
				return fmt.Errorf("%s: %w", ckptPath, err)
			}
			if err := checkResumed(t); err != nil {
				return fmt.Errorf("%s: %w", ckptPath, err)
			}
			if len(o.setFlags) > 0 {
				fmt.Fprintf(os.Stderr, "resume: %s ignored: the checkpoint's configuration is used (only --epochs and --threads override it)\n",
					strings.Join(o.setFlags, ", "))
			}
			meta = map[string]string{}
			for k, v := range f.Metadata {
				if strings.HasPrefix(k, "train.init") || strings.HasPrefix(k, "train.pruned") || k == "train.start_test_acc" || k == "link" {
					meta[k] = v
				}
			}
			fmt.Fprintf(os.Stderr, "resuming %s at epoch %d of %d\n", ckptPath, t.Epoch, t.Cfg.Epochs)
		}
	}
	if t == nil {
		net, m, err := start()
		if err != nil {
			return err
		}
		if t, err = train.NewTrainer(net, trainSet, o.cfg); err != nil {
			return err
		}
		if meta = m; meta == nil {
			meta = map[string]string{}
		}
		if testSet.Len() > 0 {
			acc, err := testAccuracy(net, testSet, o.cfg.Threads)
			if err != nil {
				return err
			}
			meta["train.start_test_acc"] = strconv.FormatFloat(acc, 'f', 2, 64)
			if !o.quiet {
				fmt.Fprintf(stdout, "before training: test-%d %.2f%%\n", testSet.Len(), acc)
			}
		}
	}
	if t.Cfg.Distill > 0 { // the teacher is the network given to finetune, before pruning
		path := o.weights
		if path == "" {
			path = meta["train.init"]
		}
		inputs = append(inputs, path)
		for _, p := range []string{o.out, ckptPath, jsonlPath, csvPath} {
			if err := checkOutput(p, path); err != nil {
				return fmt.Errorf("distillation teacher: %w", err)
			}
		}
		tn, err := loadNet(path)
		if err != nil {
			return fmt.Errorf("distillation teacher: %w", err)
		}
		if t.Teacher, err = resnet.Compile(tn); err != nil {
			return err
		}
	}
	// The logs always hold exactly the checkpoint's epochs: rewrite them from it.
	if err := writeLogs(jsonlPath, csvPath, t.Log, inputs); err != nil {
		return err
	}
	ran := 0
	for !t.Done() && (o.stopAfter == 0 || ran < o.stopAfter) {
		bar := newTrainBar(fmt.Sprintf("epoch %d/%d", t.Epoch+1, t.Cfg.Epochs), trainSet.Len())
		st := t.RunEpoch(bar.update)
		if math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0) {
			return fmt.Errorf("training diverged in epoch %d (loss %v, lr %.3g at its end): lower --lr; nothing of this epoch was saved",
				t.Epoch, st.Loss, st.LR)
		}
		net := t.Model.Net()
		if testSet.Len() > 0 {
			var err error
			if st.TestAcc, err = testAccuracy(net, testSet, t.Cfg.Threads); err != nil {
				return err
			}
			t.Log[len(t.Log)-1].TestAcc = st.TestAcc
		}
		ck, err := t.Checkpoint(meta)
		if err != nil {
			return err
		}
		if err := writeOutput(ckptPath, inputs, func(w io.Writer) error { return safetensors.Write(w, ck) }); err != nil {
			return err
		}
		summary := map[string]string{"train.epoch": strconv.Itoa(t.Epoch), "train.config": ck.Metadata[train.MetaConfig]}
		for k, v := range meta {
			summary[k] = v
		}
		if err := saveNet(net, o.out, summary, inputs...); err != nil {
			return err
		}
		if err := writeLogs(jsonlPath, csvPath, t.Log, inputs); err != nil {
			return err
		}
		if !o.quiet {
			test := "test-1k"
			if testSet.Len() != 1000 {
				test = fmt.Sprintf("test-%d", testSet.Len())
			}
			fmt.Fprintf(stdout, "epoch %3d/%d  lr %.5f  loss %.4f  train %.2f%%  %s %.2f%%  %.1f s (%.0f img/s)\n",
				st.Epoch, t.Cfg.Epochs, st.LR, st.Loss, st.Acc, test, st.TestAcc, st.Seconds, st.ImagesSec)
		}
		ran++
	}
	return nil
}

// openTrain reads the training images of the CIFAR-10 folder dir ("" = the default folder), the
// first limit of them when limit > 0.
func openTrain(dir string, limit int) (*cifar.Set, error) {
	dir, err := cifar.Dir(dir)
	if err != nil {
		return nil, err
	}
	set, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		return nil, err
	}
	if limit > 0 && limit < set.Len() {
		set = set.Slice(0, limit)
	}
	return set, nil
}

// testAccuracy returns net's accuracy in percent on set.
func testAccuracy(net *resnet.Net, set *cifar.Set, threads int) (float64, error) {
	e, err := resnet.Compile(net)
	if err != nil {
		return 0, err
	}
	return eval.Run(e, set, threads, nil).Accuracy(), nil
}

var csvHeader = []string{"epoch", "lr", "train_loss", "train_acc", "test1k_acc", "seconds", "images", "images_per_s"}

func csvRow(s train.EpochStats) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	return []string{strconv.Itoa(s.Epoch), f(s.LR), f(s.Loss), f(s.Acc), f(s.TestAcc), f(s.Seconds), strconv.Itoa(s.Images), f(s.ImagesSec)}
}

// writeLogs rewrites both logs with the given epochs (through writeOutput, never onto inputs).
func writeLogs(jsonlPath, csvPath string, log []train.EpochStats, inputs []string) error {
	var j, c strings.Builder
	w := csv.NewWriter(&c)
	w.Write(csvHeader)
	for _, s := range log {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		j.Write(append(b, '\n'))
		w.Write(csvRow(s))
	}
	w.Flush()
	if err := writeOutput(jsonlPath, inputs, func(w io.Writer) error { _, err := io.WriteString(w, j.String()); return err }); err != nil {
		return err
	}
	return writeOutput(csvPath, inputs, func(w io.Writer) error { _, err := io.WriteString(w, c.String()); return err })
}

// trainBar draws "epoch 3/200 [=====>    ] 12800/50000  420 img/s  ETA 1m28s  loss 1.2345  acc 56.7%"
// on a terminal, at most 10 times a second; it is silent when stderr is not a terminal.
type trainBar struct {
	out         io.Writer
	label       string
	total       int
	start, last time.Time
}

func newTrainBar(label string, total int) *trainBar {
	b := &trainBar{label: label, total: total, start: time.Now()}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && total > 0 {
		b.out = os.Stderr
	}
	return b
}

func (b *trainBar) update(done int, loss, acc float64) {
	if b.out == nil || (time.Since(b.last) < 100*time.Millisecond && done < b.total) {
		return
	}
	b.last = time.Now()
	el := time.Since(b.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	const width = 30
	fill := width * done / b.total
	eta := ""
	if rate > 0 && done < b.total {
		eta = "ETA " + (time.Duration(float64(b.total-done)/rate) * time.Second).String()
	}
	fmt.Fprintf(b.out, "\r%s [%s%s] %d/%d  %.0f img/s  %s  loss %.4f  acc %.1f%%   ", b.label,
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, b.total, rate, eta, loss, acc)
	if done >= b.total {
		fmt.Fprint(b.out, "\r\033[K")
	}
}
