package train

import (
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
