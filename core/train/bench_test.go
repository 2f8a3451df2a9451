package train

import (
	"os"
	"strconv"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// BenchmarkTrainStep times one SGD step (forward, backward, update) of the full-width variant-B
// ResNet20 on a batch of 128 images with 2 threads, and reports images/s and the seconds an epoch
// of the 50,000 CIFAR-10 training images would take at that rate (the PyTorch 1.13 CPU reference
// on 2 threads takes about 117 s/epoch on the project machine). On Linux it also reports the
// process CPU seconds per step, which tells how much of the wall time other load took away.
// BenchmarkTrainStep1 is the same on one thread.
func BenchmarkTrainStep(b *testing.B) { benchTrainStep(b, 2) }

// BenchmarkTrainStep1 is BenchmarkTrainStep on one thread.
func BenchmarkTrainStep1(b *testing.B) { benchTrainStep(b, 1) }

func benchTrainStep(b *testing.B, threads int) {
	const batch = 128
	net, err := resnet.New(resnet.ArchB)
	if err != nil {
		b.Fatal(err)
	}
	Init(net, 1)
	m, err := NewModel(net, Options{Threads: threads})
	if err != nil {
		b.Fatal(err)
	}
	opt := NewSGD(m.Params(), 0.9, 5e-4, false, false)
	x := randomImages(batch, cifar.Height, cifar.Width, 1)
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = i % resnet.Classes
	}
	tr := &Trainer{Cfg: DefaultConfig(), Model: m, Opt: opt}
	tr.Step(x, labels, batch, 0.01) // warm-up: grows every buffer
	b.ResetTimer()
	cpu0 := processCPUSeconds()
	for range b.N {
		tr.Step(x, labels, batch, 0.01)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	if cpu := processCPUSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(cpu/float64(b.N), "cpu-s/step")
	}
	b.ReportMetric(batch/sec, "images/s")
	b.ReportMetric(cifar.TrainLen/batch*sec, "s/epoch")
}

// BenchmarkTrainImages times what scripts/torch_reference.py train-bench times, for
// scripts/train_compare.sh: variant B from a seeded initialisation, SGD (lr 0.1, momentum 0.9,
// weight decay 1e-4), no augmentation, one untimed warm-up step on the first batch, then one
// step per batch of 128 over the first TRAIN_BENCH_IMAGES (default 2560) real training images
// of $CIFAR10_DIR, normalised beforehand; TRAIN_BENCH_THREADS (default 2) threads. It reports
// the seconds a 50,000-image epoch takes at that rate and the process CPU seconds per step.
// Skipped when the data set is not found.
func BenchmarkTrainImages(b *testing.B) {
	dir, err := cifar.Dir("")
	if err != nil {
		b.Skip(err)
	}
	n, threads := envInt(b, "TRAIN_BENCH_IMAGES", 2560), envInt(b, "TRAIN_BENCH_THREADS", 2)
	set, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		b.Skip(err)
	}
	if n > set.Len() {
		b.Fatalf("TRAIN_BENCH_IMAGES %d > %d training images", n, set.Len())
	}
	const batch = 128
	x := make([]float32, n*cifar.ImageSize)
	set.Batch(x, 0, n)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = set.Label(i)
	}
	net, err := resnet.New(resnet.ArchB)
	if err != nil {
		b.Fatal(err)
	}
	Init(net, 1)
	m, err := NewModel(net, Options{Threads: threads})
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Threads, cfg.WeightDecay = threads, 1e-4
	tr := &Trainer{Cfg: cfg, Model: m, Opt: NewSGD(m.Params(), 0.9, cfg.WeightDecay, false, false)}
	tr.Step(x, labels, min(batch, n), 0.1) // warm-up, not timed
	b.ResetTimer()
	cpu0 := processCPUSeconds()
	steps := 0
	for range b.N {
		for lo := 0; lo < n; lo += batch {
			k := min(batch, n-lo)
			tr.Step(x[lo*cifar.ImageSize:], labels[lo:lo+k], k, 0.1)
			steps++
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	if cpu := processCPUSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(cpu/float64(steps), "cpu-s/step")
	}
	b.ReportMetric(float64(n)/sec, "images/s")
	b.ReportMetric(sec*cifar.TrainLen/float64(n), "s/epoch")
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		b.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return v
}
