// Package heal fine-tunes a pruned network live, a few mini-batches at a time, so that a browser
// worker can show accuracy coming back and stop whenever the user asks: SGD with momentum and
// knowledge distillation from the unpruned network (core/train's Trainer.Step and nn.Distill) on
// randomly cropped and flipped training images (core/train's augmentation), with a constant
// learning rate (a live run has no planned end for a schedule to aim at).
//
// Measured (TestCurve; the study checkpoint, method 2, r = 0.8, first 1,000 test images, one
// thread, DefaultOptions, seconds of training including New's restandardisation, evaluations
// excluded; the 2-core machine under a load of 15–23, so the times are pessimistic and noisy):
//
//   - from Best (68.9%), in WebAssembly under Node 20: 67.8% at 27 s (320 images), 64.8% at 41 s,
//     64.4% at 54 s, 65.5% at 68 s (1,280 images): no gain within 60 s; natively: 64.5% at 26 s
//     (1,600 images), 68.9% at 40 s, 69.8% at 56 s, 70.1% at 83 s (6,400 images), +1.2 points;
//   - from "+ merge" (fixed+bn+merge, 15.5%), in WebAssembly: 23.6% at 25 s, 30.5% at 38 s, 32.1% at
//     51 s, 37.0% at 65 s (1,280 images); natively 45.2% after 4,480 images (33 s).
//
// A Tuner is not safe for concurrent use. Its results depend on the seed, the images and the thread
// count only, so the same calls give the same weights natively and in WebAssembly (up to the
// floating-point differences of the kernels).
package heal

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/repair"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
	"github.com/resnet20-pruning/resnet20-pruning/core/train/nn"
)

// Options configure a Tuner. DefaultOptions gives the ones measured for the live demo.
type Options struct {
	LR          float64 // constant learning rate
	Momentum    float64 // SGD momentum
	WeightDecay float64 // L2 weight decay
	Batch       int     // images per SGD step
	Distill     float64 // weight α of the distillation loss (0 = plain cross-entropy; then teacher may be nil)
	Temperature float64 // distillation temperature T
	// Restandardize is how many calibration images New uses to restandardise the student's BNs
	// (repair.Calibration.Restandardize; at most the calibration's count; 0 = all of them). A
	// refit leaves BN statistics that no longer describe the BN's input, and training-mode BN
	// would start by undoing the repair. Ignored without a calibration.
	Restandardize int
	// Recal is how many calibration images Net recomputes every BN's statistics from (adaptive
	// BN, as the "bn" repair step; at most the calibration's count; 0 = keep the running
	// statistics that training updated). Ignored without a calibration. Training normalises with
	// each batch's statistics; the running statistics lag behind the weights and, at batch 32,
	// are too noisy to evaluate with (the study network, method 2, r = 0.8: 48–67% from one
	// evaluation to the next instead of a steady 68–70%).
	Recal   int
	Seed    uint64 // shuffling and augmentation
	Threads int    // goroutines per mini-batch (a wasm worker has one)
}

// DefaultOptions returns the settings of the live demo: lr 2e-4, momentum 0.9, weight decay 5e-4,
// batch 32, distillation α 0.9 at T 4, BNs restandardised on and recomputed from up to 512
// calibration images, seed 1, one thread.
//
// The learning rate is low because the study checkpoint's convolution weights are small (norms
// 1.4–5.4) and their gradients large (3–40 times the weights' norm in one batch of the method-2,
// r = 0.8 network): at lr 2e-3 or more the first hundred images undo much of the repair (68.9% →
// 41–57%), and at 2e-4 the accuracy rises from the start. Frozen BN (train.Config.FreezeBN)
// diverges within 8 steps even at 2e-3 (3e-4: 14.8% after 768 images).
func DefaultOptions() Options {
	return Options{LR: 2e-4, Momentum: 0.9, WeightDecay: 5e-4, Batch: 32, Distill: 0.9, Temperature: 4,
		Restandardize: 512, Recal: 512, Seed: 1, Threads: 1}
}

// Validate checks the options.
func (o Options) Validate() error {
	if !(o.LR > 0) || math.IsInf(o.LR, 0) {
		return fmt.Errorf("heal: learning rate %g must be a positive number", o.LR)
	}
	if o.Batch < 1 || o.Batch > 1024 {
		return fmt.Errorf("heal: batch %d outside 1 … 1024", o.Batch)
	}
	if o.Restandardize < 0 || o.Recal < 0 {
		return fmt.Errorf("heal: restandardize count %d and recal count %d must be ≥ 0", o.Restandardize, o.Recal)
	}
	return o.config().Validate()
}

func (o Options) config() train.Config {
	return train.Config{Epochs: 1, Batch: o.Batch, LR: o.LR, Momentum: o.Momentum, WeightDecay: o.WeightDecay,
		Schedule: train.Constant, Seed: o.Seed, Threads: max(1, o.Threads),
		Distill: o.Distill, DistillT: o.Temperature}
}

// Progress is where a Tuner stands after a call to Step.
type Progress struct {
	Steps   int     // SGD steps since New
	Images  int     // training images seen since New (with repeats: the images are cycled)
	Loss    float64 // mean training loss of the last call's batches (distilled when Distill > 0)
	Acc     float64 // percent of the last call's augmented training images classified right (before each step)
	Seconds float64 // time spent in Step since New
}

// Tuner fine-tunes one pruned network.
type Tuner struct {
	opt    Options
	cal    *repair.Calibration
	tr     *train.Trainer
	images *cifar.Set
	nz     *train.Normalizer
	rng    *rand.Rand
	perm   []int
	pos    int
	x      []float32
	idx    []int // the batch's images
	labels []int
	augs   []train.Aug
	p      Progress
}

// New prepares fine-tuning of a copy of student on images (raw training images: the demo's
// calibration pack and its training pack, or the train split) with distillation from teacher
// (the unpruned network; nil when o.Distill is 0). cal, when not nil, holds calibration images of
// teacher (the pipeline's, reused) on which the student's BNs are restandardised first (see
// Options.Restandardize). student and teacher are not modified.
func New(teacher, student *resnet.Net, images *cifar.Set, cal *repair.Calibration, o Options) (*Tuner, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if student == nil {
		return nil, fmt.Errorf("heal: no network to fine-tune")
	}
	if images == nil || images.Len() == 0 {
		return nil, fmt.Errorf("heal: no training images")
	}
	if o.Distill > 0 && teacher == nil {
		return nil, fmt.Errorf("heal: distillation needs the unpruned network")
	}
	net := student.Clone()
	if cal != nil {
		n := cal.Images()
		if o.Restandardize > 0 {
			n = min(n, o.Restandardize)
		}
		if err := cal.Restandardize(net, n); err != nil {
			return nil, err
		}
	}
	tr, err := train.NewTrainer(net, images, o.config())
	if err != nil {
		return nil, err
	}
	if o.Distill > 0 {
		if tr.Teacher, err = resnet.Compile(teacher); err != nil {
			return nil, fmt.Errorf("heal: teacher: %w", err)
		}
	}
	return &Tuner{opt: o, cal: cal, tr: tr, images: images, nz: train.NewNormalizer(),
		rng: rand.New(rand.NewPCG(o.Seed, 0x6865616c)), // "heal"
		x:   make([]float32, o.Batch*cifar.ImageSize), idx: make([]int, o.Batch), labels: make([]int, o.Batch), augs: make([]train.Aug, o.Batch)}, nil
}

// Step runs up to batches SGD steps, each on the next o.Batch images of a seeded shuffle of the
// training images (reshuffled after each pass), randomly cropped and flipped. It stops early,
// returning ctx.Err(), when ctx is done before a batch; a worker calls it with a few batches at a
// time and checks for a stop message in between. A diverging loss (NaN or ±Inf) is an error, and
// the Tuner's weights are then not usable.
func (h *Tuner) Step(ctx context.Context, batches int) (Progress, error) {
	start := time.Now()
	var lossSum float64
	var correct, seen int
	for range batches {
		if err := ctx.Err(); err != nil {
			h.finish(start, lossSum, correct, seen)
			return h.p, err
		}
		n := h.opt.Batch
		for k := range n {
			if h.pos == len(h.perm) {
				h.perm, h.pos = h.rng.Perm(h.images.Len()), 0
			}
			h.idx[k] = h.perm[h.pos]
			h.pos++
			h.labels[k] = h.images.Label(h.idx[k])
			h.augs[k] = train.DrawAug(h.rng)
		}
		idx := h.idx
		nn.Parallel{Threads: h.tr.Cfg.Threads}.For(n, func(_, a, b int) {
			for k := a; k < b; k++ {
				h.nz.Apply(h.x[k*cifar.ImageSize:(k+1)*cifar.ImageSize], h.images.Image(idx[k]), h.augs[k])
			}
		})
		loss, c := h.tr.Step(h.x, h.labels[:n], n, h.opt.LR)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			h.finish(start, lossSum, correct, seen)
			return h.p, fmt.Errorf("heal: training diverged at step %d (loss %v): lower the learning rate", h.p.Steps+1, loss)
		}
		h.p.Steps++
		h.p.Images += n
		lossSum += loss * float64(n)
		correct += c
		seen += n
	}
	h.finish(start, lossSum, correct, seen)
	return h.p, nil
}

func (h *Tuner) finish(start time.Time, lossSum float64, correct, seen int) {
	h.p.Seconds += time.Since(start).Seconds()
	h.p.Loss, h.p.Acc = 0, 0
	if seen > 0 {
		h.p.Loss = lossSum / float64(seen)
		h.p.Acc = 100 * float64(correct) / float64(seen)
	}
}

// Progress returns where the Tuner stands (as the last Step returned it).
func (h *Tuner) Progress() Progress { return h.p }

// Net returns a copy of the fine-tuned network: its weights, and BN statistics recomputed on the
// first Options.Recal calibration images (or the running statistics training kept).
func (h *Tuner) Net() (*resnet.Net, error) {
	net := h.tr.Model.Net()
	if h.cal != nil && h.opt.Recal > 0 {
		if _, err := h.cal.Repair(net, repair.Options{Recal: min(h.opt.Recal, h.cal.Images())}); err != nil {
			return nil, err
		}
	}
	return net, nil
}

// Evaluate returns how many of test's images the fine-tuned network classifies right, on threads
// goroutines.
func (h *Tuner) Evaluate(test *cifar.Set, threads int) (int, error) {
	net, err := h.Net()
	if err != nil {
		return 0, err
	}
	return Correct(net, test, threads)
}

// Correct returns how many of test's images net classifies right, on threads goroutines.
func Correct(net *resnet.Net, test *cifar.Set, threads int) (int, error) {
	e, err := resnet.Compile(net)
	if err != nil {
		return 0, err
	}
	return eval.Run(e, test, max(1, threads), nil).Correct, nil
}
