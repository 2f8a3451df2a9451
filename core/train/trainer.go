package train

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
	"github.com/resnet20-pruning/resnet20-pruning/core/train/nn"
)

// Config is everything that determines a training run (with the initial weights and the data).
type Config struct {
	Epochs         int      `json:"epochs"`
	Batch          int      `json:"batch"`
	LR             float64  `json:"lr"`
	Momentum       float64  `json:"momentum"`
	Nesterov       bool     `json:"nesterov"`
	WeightDecay    float64  `json:"weight_decay"`
	NoDecayBNBias  bool     `json:"no_decay_bn_bias"` // no weight decay on BN γ/β and biases
	Schedule       Schedule `json:"schedule"`
	Warmup         float64  `json:"warmup_epochs"`
	LabelSmoothing float64  `json:"label_smoothing"`
	Seed           uint64   `json:"seed"`
	Threads        int      `json:"threads"`
	FreezeBN       bool     `json:"freeze_bn"`
	NoAugment      bool     `json:"no_augment"`
	// Distill is the weight α of knowledge distillation from Trainer.Teacher (0 = off) and
	// DistillT its temperature (nn.Distill).
	Distill  float64 `json:"distill,omitempty"`
	DistillT float64 `json:"distill_t,omitempty"`
}

// DefaultConfig returns the usual CIFAR-10 ResNet recipe: batch 128, SGD lr 0.1, momentum 0.9,
// weight decay 5e-4, cosine schedule, augmentation on.
func DefaultConfig() Config {
	return Config{Epochs: 1, Batch: 128, LR: 0.1, Momentum: 0.9, WeightDecay: 5e-4, Schedule: Cosine, Threads: 1}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Epochs < 1 || c.Batch < 1 || c.Threads < 1 {
		return fmt.Errorf("train: epochs %d, batch %d and threads %d must all be ≥ 1", c.Epochs, c.Batch, c.Threads)
	}
	if c.Distill < 0 || c.Distill > 1 || c.Distill > 0 && !(c.DistillT > 0) {
		return fmt.Errorf("train: distillation weight %g must be in [0, 1] and its temperature %g > 0", c.Distill, c.DistillT)
	}
	if c.Momentum < 0 || c.WeightDecay < 0 || c.LabelSmoothing < 0 || c.LabelSmoothing >= 1 {
		return fmt.Errorf("train: momentum %g, weight decay %g must be ≥ 0 and label smoothing %g in [0, 1)", c.Momentum, c.WeightDecay, c.LabelSmoothing)
	}
	return LRSchedule{Kind: c.Schedule, Base: c.LR, Epochs: c.Epochs, StepsPerEpoch: 1, Warmup: c.Warmup}.Validate()
}

// EpochStats is one line of the training log.
type EpochStats struct {
	Epoch     int     `json:"epoch"` // 1-based
	LR        float64 `json:"lr"`    // learning rate of the epoch's last step
	Loss      float64 `json:"train_loss"`
	Acc       float64 `json:"train_acc"` // percent, on the augmented training batches
	TestAcc   float64 `json:"test1k_acc"`
	Images    int     `json:"images"`
	Seconds   float64 `json:"seconds"`
	ImagesSec float64 `json:"images_per_s"`
}

// Trainer runs epochs of mini-batch SGD over a training set.
type Trainer struct {
	Cfg   Config
	Model *Model
	Opt   *SGD
	Data  *cifar.Set
	Epoch int          // epochs completed
	Steps int          // optimizer steps completed
	Log   []EpochStats // one entry per completed epoch
	// Teacher gives the logits distilled into the model when Cfg.Distill > 0 (not checkpointed:
	// set it again after Resume).
	Teacher *resnet.Engine

	pcg *rand.PCG
	rng *rand.Rand
	nz  *Normalizer
	x   []float32
	lab []int
	dz  []float32
	tl  []float32 // teacher logits
}

// NewTrainer prepares training of (a copy of) net on data.
func NewTrainer(net *resnet.Net, data *cifar.Set, cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if data.Len() == 0 {
		return nil, fmt.Errorf("train: no training images")
	}
	m, err := NewModel(net, Options{Threads: cfg.Threads, FreezeBN: cfg.FreezeBN})
	if err != nil {
		return nil, err
	}
	t := &Trainer{Cfg: cfg, Model: m, Data: data, nz: NewNormalizer(),
		Opt: NewSGD(m.Params(), cfg.Momentum, cfg.WeightDecay, cfg.Nesterov, cfg.NoDecayBNBias)}
	t.pcg = rand.NewPCG(cfg.Seed, 0x747261696e) // "train"
	t.rng = rand.New(t.pcg)
	return t, nil
}

// StepsPerEpoch returns the number of mini-batches per epoch (the last one may be smaller).
func (t *Trainer) StepsPerEpoch() int { return (t.Data.Len() + t.Cfg.Batch - 1) / t.Cfg.Batch }

// Schedule returns the learning-rate schedule of the run.
func (t *Trainer) Schedule() LRSchedule {
	return LRSchedule{Kind: t.Cfg.Schedule, Base: t.Cfg.LR, Epochs: t.Cfg.Epochs, StepsPerEpoch: t.StepsPerEpoch(), Warmup: t.Cfg.Warmup}
}

// Done reports whether all configured epochs have run.
func (t *Trainer) Done() bool { return t.Epoch >= t.Cfg.Epochs }

// Step runs one SGD step on n images x (normalised, n×3×32×32) with labels at learning rate lr
// and returns the batch's mean loss and number of correct predictions (before the update).
func (t *Trainer) Step(x []float32, labels []int, n int, lr float64) (loss float64, correct int) {
	logits := t.Model.Forward(x, n, cifar.Height, cifar.Width, true)
	t.dz = grow(t.dz, n*resnet.Classes)
	loss, correct = nn.SoftmaxCrossEntropy(t.dz, logits, labels, n, resnet.Classes, t.Cfg.LabelSmoothing)
	if t.Cfg.Distill > 0 {
		if t.Teacher == nil {
			panic("train: Cfg.Distill set without a Teacher")
		}
		t.tl = grow(t.tl, n*resnet.Classes)
		t.Teacher.Run(t.tl, x, n, t.Cfg.Threads, nil)
		loss = nn.Distill(t.dz, loss, logits, t.tl, n, resnet.Classes, t.Cfg.Distill, t.Cfg.DistillT)
	}
	t.Model.Backward(t.dz)
	t.Opt.Step(lr)
	return loss, correct
}

// RunEpoch trains one epoch: a seeded shuffle, then mini-batches with seeded augmentation (all
// random draws happen on the calling goroutine, in image order, so they do not depend on the
// thread count). progress, if not nil, is called after each step with the images done and the
// running mean loss and accuracy (percent). The returned stats are appended to Log; TestAcc is
// left for the caller to fill in.
func (t *Trainer) RunEpoch(progress func(done int, loss, acc float64)) EpochStats {
	start := time.Now()
	N, B := t.Data.Len(), t.Cfg.Batch
	perm := t.rng.Perm(N)
	sched := t.Schedule()
	t.x = grow(t.x, B*cifar.ImageSize)
	if cap(t.lab) < B {
		t.lab = make([]int, B)
	}
	var lossSum float64
	var correct, done int
	var lr float64
	for lo := 0; lo < N; lo += B {
		n := min(B, N-lo)
		augs := make([]Aug, n)
		for k := range n {
			augs[k] = Identity
			if !t.Cfg.NoAugment {
				augs[k] = DrawAug(t.rng)
			}
			t.lab[k] = t.Data.Label(perm[lo+k])
		}
		nn.Parallel{Threads: t.Cfg.Threads}.For(n, func(_, a, b int) {
			for k := a; k < b; k++ {
				t.nz.Apply(t.x[k*cifar.ImageSize:(k+1)*cifar.ImageSize], t.Data.Image(perm[lo+k]), augs[k])
			}
		})
		lr = sched.LR(t.Steps)
		l, c := t.Step(t.x, t.lab[:n], n, lr)
		t.Steps++
		lossSum += l * float64(n)
		correct += c
		done += n
		if progress != nil {
			progress(done, lossSum/float64(done), 100*float64(correct)/float64(done))
		}
	}
	t.Epoch++
	sec := time.Since(start).Seconds()
	st := EpochStats{Epoch: t.Epoch, LR: lr, Loss: lossSum / float64(N), Acc: 100 * float64(correct) / float64(N),
		Images: N, Seconds: sec, ImagesSec: float64(N) / sec}
	t.Log = append(t.Log, st)
	return st
}

// Checkpoint metadata keys (besides resnet's format, arch and normalization).
const (
	MetaConfig   = "train.config" // JSON Config
	MetaEpoch    = "train.epoch"  // epochs completed
	MetaSteps    = "train.steps"  // optimizer steps completed
	MetaRNG      = "train.rng"    // hex of the PCG state (math/rand/v2 PCG.MarshalBinary)
	MetaLog      = "train.log"    // JSON array of EpochStats
	MetaTrainLen = "train.images" // number of training images, checked on resume
	// MomentumPrefix prefixes each parameter's name for its momentum buffer tensor.
	MomentumPrefix = "optimizer.momentum."
)

// Checkpoint returns the complete training state as a safetensors file: the model's tensors
// under their PyTorch names, each momentum buffer as MomentumPrefix+name (so resnet.Load does not
// take the file as plain weights; Resume does), and the configuration, progress, RNG state and log as
// metadata. extra metadata is added as is.
func (t *Trainer) Checkpoint(extra map[string]string) (*safetensors.File, error) {
	net := t.Model.Net()
	ts := net.Tensors()
	for k, p := range t.Model.Params() {
		v := t.Opt.Velocity(k)
		ts[MomentumPrefix+p.Name] = &tensor.Tensor{Shape: []int{len(v)}, Data: append([]float32(nil), v...)}
	}
	cfg, err := json.Marshal(t.Cfg)
	if err != nil {
		return nil, err
	}
	lg, err := json.Marshal(t.Log)
	if err != nil {
		return nil, err
	}
	st, err := t.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	meta := map[string]string{
		resnet.MetaFormat: "resnet20-pruning/1", resnet.MetaArch: string(net.Arch), resnet.MetaNorm: resnet.Normalization,
		MetaConfig: string(cfg), MetaEpoch: strconv.Itoa(t.Epoch), MetaSteps: strconv.Itoa(t.Steps),
		MetaRNG: hex.EncodeToString(st), MetaLog: string(lg), MetaTrainLen: strconv.Itoa(t.Data.Len()),
	}
	maps.Copy(meta, extra)
	return &safetensors.File{Tensors: ts, Metadata: meta}, nil
}

// Resume rebuilds a Trainer from a Checkpoint file and the same training data. With threads > 0
// it overrides the recorded thread count (results then differ in the last bits from an
// uninterrupted run); with epochs > 0 it overrides the number of epochs (which changes the
// learning-rate schedule).
func Resume(f *safetensors.File, data *cifar.Set, threads, epochs int) (*Trainer, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(f.Metadata[MetaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("train: checkpoint has no valid %s: %v", MetaConfig, err)
	}
	if threads > 0 {
		cfg.Threads = threads
	}
	if epochs > 0 {
		cfg.Epochs = epochs
	}
	if n, err := strconv.Atoi(f.Metadata[MetaTrainLen]); err != nil || n != data.Len() {
		return nil, fmt.Errorf("train: checkpoint was trained on %s images, resuming with %d", f.Metadata[MetaTrainLen], data.Len())
	}
	weights := map[string]*tensor.Tensor{}
	mom := map[string]*tensor.Tensor{}
	for name, ts := range f.Tensors {
		if rest, ok := strings.CutPrefix(name, MomentumPrefix); ok {
			mom[rest] = ts
		} else {
			weights[name] = ts
		}
	}
	net, err := resnet.FromTensors(weights)
	if err != nil {
		return nil, err
	}
	t, err := NewTrainer(net, data, cfg)
	if err != nil {
		return nil, err
	}
	for k, p := range t.Model.Params() {
		v := mom[p.Name]
		if v == nil || len(v.Data) != len(p.Data) {
			return nil, fmt.Errorf("train: checkpoint lacks the momentum of %s", p.Name)
		}
		copy(t.Opt.Velocity(k), v.Data)
		delete(mom, p.Name)
	}
	if len(mom) > 0 {
		return nil, fmt.Errorf("train: checkpoint has %d momentum buffers for no parameter (frozen BN changed?)", len(mom))
	}
	if t.Epoch, err = strconv.Atoi(f.Metadata[MetaEpoch]); err != nil {
		return nil, fmt.Errorf("train: checkpoint %s: %v", MetaEpoch, err)
	}
	if t.Steps, err = strconv.Atoi(f.Metadata[MetaSteps]); err != nil {
		return nil, fmt.Errorf("train: checkpoint %s: %v", MetaSteps, err)
	}
	st, err := hex.DecodeString(f.Metadata[MetaRNG])
	if err == nil {
		err = t.pcg.UnmarshalBinary(st)
	}
	if err != nil {
		return nil, fmt.Errorf("train: checkpoint %s: %v", MetaRNG, err)
	}
	if err := json.Unmarshal([]byte(f.Metadata[MetaLog]), &t.Log); err != nil {
		return nil, fmt.Errorf("train: checkpoint %s: %v", MetaLog, err)
	}
	return t, nil
}
