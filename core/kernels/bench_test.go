package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// resnet20Layer is one convolution of ResNet20 on 32×32 CIFAR-10 images.
type resnet20Layer struct {
	name                   string
	cin, h, rows, k, s, p  int
	count                  int // occurrences in the network
	relu, residual, affine bool
	out                    int // output channels after a method-1 Gather (0: rows, no Gather)
}

// resnet20Layers lists the distinct conv shapes of ResNet20 with their counts
// (19 3×3 convs + 2 1×1 shortcuts).
var resnet20Layers = []resnet20Layer{
	{name: "stem_3to16_32x32", cin: 3, h: 32, rows: 16, k: 3, s: 1, p: 1, count: 1, relu: true, affine: true},
	{name: "s1_16to16_32x32", cin: 16, h: 32, rows: 16, k: 3, s: 1, p: 1, count: 6, relu: true, affine: true},
	{name: "s2_16to32_32x32", cin: 16, h: 32, rows: 32, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
	{name: "sc_1x1_16to32_32x32", cin: 16, h: 32, rows: 32, k: 1, s: 2, p: 0, count: 1, affine: true},
	{name: "s1_32to32_16x16", cin: 32, h: 16, rows: 32, k: 3, s: 1, p: 1, count: 5, relu: true, affine: true},
	{name: "s2_32to64_16x16", cin: 32, h: 16, rows: 64, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
	{name: "sc_1x1_32to64_16x16", cin: 32, h: 16, rows: 64, k: 1, s: 2, p: 0, count: 1, affine: true},
	{name: "s1_64to64_8x8", cin: 64, h: 8, rows: 64, k: 3, s: 1, p: 1, count: 5, relu: true, affine: true},
}

// prunedLayers are the conv shapes of ResNet20 pruned at ratio 0.8: method 1
// (m1_: 3/6/12 shared filters gathered into 16/32/64 channels) and method 2
// (p_: conv1 keeps 3/6/12 filters, conv2 reads 3/6/12 channels).
var prunedLayers = []resnet20Layer{
	{name: "m1_16to3g16_32x32", cin: 16, h: 32, rows: 3, out: 16, k: 3, s: 1, p: 1, count: 6, relu: true, residual: true, affine: true},
	{name: "m1_s2_16to6g32_32x32", cin: 16, h: 32, rows: 6, out: 32, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
	{name: "m1_sc_16to6g32_32x32", cin: 16, h: 32, rows: 6, out: 32, k: 1, s: 2, p: 0, count: 1, affine: true},
	{name: "m1_32to6g32_16x16", cin: 32, h: 16, rows: 6, out: 32, k: 3, s: 1, p: 1, count: 5, relu: true, residual: true, affine: true},
	{name: "m1_s2_32to12g64_16x16", cin: 32, h: 16, rows: 12, out: 64, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
	{name: "m1_sc_32to12g64_16x16", cin: 32, h: 16, rows: 12, out: 64, k: 1, s: 2, p: 0, count: 1, affine: true},
	{name: "m1_64to12g64_8x8", cin: 64, h: 8, rows: 12, out: 64, k: 3, s: 1, p: 1, count: 5, relu: true, residual: true, affine: true},
	{name: "p_16to3_32x32", cin: 16, h: 32, rows: 3, k: 3, s: 1, p: 1, count: 3, relu: true, affine: true},
	{name: "p_3to16_32x32", cin: 3, h: 32, rows: 16, k: 3, s: 1, p: 1, count: 3, relu: true, residual: true, affine: true},
	{name: "p_32to6_16x16", cin: 32, h: 16, rows: 6, k: 3, s: 1, p: 1, count: 2, relu: true, affine: true},
	{name: "p_6to32_16x16", cin: 6, h: 16, rows: 32, k: 3, s: 1, p: 1, count: 3, relu: true, residual: true, affine: true},
	{name: "p_64to12_8x8", cin: 64, h: 8, rows: 12, k: 3, s: 1, p: 1, count: 2, relu: true, affine: true},
	{name: "p_12to64_8x8", cin: 12, h: 8, rows: 64, k: 3, s: 1, p: 1, count: 3, relu: true, residual: true, affine: true},
	{name: "p_s2_16to6_32x32", cin: 16, h: 32, rows: 6, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
	{name: "p_s2_32to12_16x16", cin: 32, h: 16, rows: 12, k: 3, s: 2, p: 1, count: 1, relu: true, affine: true},
}

func (l resnet20Layer) macs() int {
	ho := (l.h+2*l.p-l.k)/l.s + 1
	return l.rows * l.cin * l.k * l.k * ho * ho
}

type benchConv struct {
	conv     *Conv
	src, dst []float32
	ep       *Epilogue
	h        int
}

func newBenchConv(l resnet20Layer, n int, rng *rand.Rand) benchConv {
	conv := NewConv(randSlice(rng, l.rows*l.cin*l.k*l.k), l.rows, l.cin, l.k, l.s, l.p)
	ho, wo := conv.OutSize(l.h, l.h)
	ep := &Epilogue{ReLU: l.relu}
	cout := l.rows
	if l.out > 0 {
		cout = l.out
		ep.Gather = make([]int32, cout)
		for co := range cout {
			ep.Gather[co] = int32(co % l.rows) // every row used
		}
		rng.Shuffle(cout, func(i, j int) { ep.Gather[i], ep.Gather[j] = ep.Gather[j], ep.Gather[i] })
	}
	if l.affine {
		ep.Scale, ep.Bias = randSlice(rng, cout), randSlice(rng, cout)
	}
	if l.residual {
		ep.Residual = randSlice(rng, n*cout*ho*wo)
	}
	return benchConv{conv: conv, src: randSlice(rng, n*l.cin*l.h*l.h), dst: make([]float32, n*cout*ho*wo), ep: ep, h: l.h}
}

const benchN = 16

// BenchmarkConv measures each ResNet20 layer shape at n = 16 images.
func BenchmarkConv(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, l := range append(resnet20Layers[:len(resnet20Layers):len(resnet20Layers)], prunedLayers...) {
		b.Run(l.name, func(b *testing.B) {
			bc := newBenchConv(l, benchN, rng)
			var ws Workspace
			bc.conv.Forward(bc.dst, bc.src, benchN, bc.h, bc.h, bc.ep, &ws)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, _ := threadCPUTime()
			for b.Loop() {
				bc.conv.Forward(bc.dst, bc.src, benchN, bc.h, bc.h, bc.ep, &ws)
			}
			report(b, benchN, float64(l.macs()), cpu0)
		})
	}
}

// report records ns/image and GFLOP/s (wall time) and, where the OS thread's
// CPU time is available, cpu-ns/image (CPU time of the benchmark thread,
// which is what matters on a machine shared with other jobs).
func report(b *testing.B, n int, macs float64, cpu0 int64) {
	sec := b.Elapsed().Seconds()
	b.ReportMetric(sec*1e9/float64(b.N*n), "ns/image")
	b.ReportMetric(2*macs*float64(b.N*n)/sec/1e9, "GFLOP/s")
	if cpu1, ok := threadCPUTime(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N*n), "cpu-ns/image")
	}
}

// BenchmarkResNet20Convs runs all 19+2 convolutions of ResNet20 on one batch
// of images in network order and reports ns per image and the effective
// GFLOP/s (direct-convolution FLOPs, 2 per MAC).
func BenchmarkResNet20Convs(b *testing.B) {
	for _, n := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchResNet20(b, n) })
	}
}

// BenchmarkResNet20ConvsKernels runs BenchmarkResNet20Convs at n = 16 with
// every kernel implementation the CPU supports.
func BenchmarkResNet20ConvsKernels(b *testing.B) {
	defer func() { kernOverride = nil }()
	for _, k := range append(append([]*kernelSet(nil), simdSets...), &portableKernels) {
		kernOverride = k
		b.Run(k.name, func(b *testing.B) { benchResNet20(b, benchN) })
	}
}

// BenchmarkResNet20ConvsParallel runs the n = 16 sequence on GOMAXPROCS
// goroutines at once (one workspace each), as the inference engine does, and
// reports wall ns per image over all goroutines and the process CPU time per
// image (cpu-ns/image: the per-core cost with all cores busy).
func BenchmarkResNet20ConvsParallel(b *testing.B) {
	p := runtime.GOMAXPROCS(0)
	runs := make([]func(), p)
	for i := range runs {
		runs[i] = resnet20Seq(benchN)
	}
	var macs int
	for _, l := range resnet20Layers {
		macs += l.count * l.macs()
	}
	cpu0, _ := processCPUTime()
	for b.Loop() {
		done := make(chan bool)
		for _, run := range runs {
			go func() {
				run()
				done <- true
			}()
		}
		for range runs {
			<-done
		}
	}
	sec := b.Elapsed().Seconds()
	images := float64(b.N * p * benchN)
	b.ReportMetric(sec*1e9/images, "ns/image")
	b.ReportMetric(2*float64(macs)*images/sec/1e9, "GFLOP/s")
	if cpu1, ok := processCPUTime(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/images, "cpu-ns/image")
	}
}

// benchResNet20 runs the ResNet20 convolutions in network order with
// chained activations: each conv reads the latest output of its input shape
// (as in the real network, where it is still warm in cache) and writes the
// other buffer of a ping-pong pair for its output shape.
func benchResNet20(b *testing.B, n int) {
	run := resnet20Seq(n)
	var macs int
	for _, l := range resnet20Layers {
		macs += l.count * l.macs()
	}
	run()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, _ := threadCPUTime()
	for b.Loop() {
		run()
	}
	report(b, n, float64(macs), cpu0)
}

// resnet20Seq returns a function running the sequence on its own buffers
// and workspace.
func resnet20Seq(n int) func() {
	rng := rand.New(rand.NewPCG(7, 8))
	type shape struct{ c, h int }
	bufs := map[shape]*[2][]float32{}
	cur := map[shape]int{}
	buf := func(s shape) *[2][]float32 {
		if bufs[s] == nil {
			bufs[s] = &[2][]float32{randSlice(rng, n*s.c*s.h*s.h), randSlice(rng, n*s.c*s.h*s.h)}
		}
		return bufs[s]
	}
	type step struct {
		bc       benchConv
		in, out  shape
		residual bool
	}
	var seq []step
	for _, l := range resnet20Layers {
		for i := 0; i < l.count; i++ {
			bc := newBenchConv(l, n, rng)
			ho, _ := bc.conv.OutSize(l.h, l.h)
			seq = append(seq, step{bc: bc, in: shape{l.cin, l.h}, out: shape{l.rows, ho}, residual: l.k == 3 && l.s == 1 && i%2 == 1})
		}
	}
	var ws Workspace
	run := func() {
		for i := range seq {
			st := &seq[i]
			in, out := buf(st.in), buf(st.out)
			src := in[cur[st.in]]
			o := 1 - cur[st.out]
			if st.in == st.out && o == cur[st.in] {
				o = 1 - o
			}
			ep := *st.bc.ep
			if st.residual {
				ep.Residual = out[1-o] // the block input (same shape as the output)
			}
			st.bc.conv.Forward(out[o], src, n, st.in.h, st.in.h, &ep, &ws)
			cur[st.out] = o
		}
	}
	run()
	return run
}

// BenchmarkConvPath compares the im2col, Winograd and direct paths on the
// ResNet20 shapes and their method-2-pruned versions (n = 16), where they
// apply.
func BenchmarkConvPath(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, l := range append(resnet20Layers[:len(resnet20Layers):len(resnet20Layers)], prunedLayers...) {
		for _, path := range []int{pathIm2col, pathWinograd, pathDirect} {
			if path == pathWinograd && (l.k != 3 || l.s != 1) {
				continue
			}
			b.Run(l.name+"/"+pathNames[path], func(b *testing.B) {
				forcePath = path
				defer func() { forcePath = pathAuto }()
				bc := newBenchConv(l, benchN, rng)
				var ws Workspace
				bc.conv.Forward(bc.dst, bc.src, benchN, bc.h, bc.h, bc.ep, &ws)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0, _ := threadCPUTime()
				for b.Loop() {
					bc.conv.Forward(bc.dst, bc.src, benchN, bc.h, bc.h, bc.ep, &ws)
				}
				report(b, benchN, float64(l.macs()), cpu0)
			})
		}
	}
}
