package resnet

import (
	"runtime"
	"sync"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
)

// Engine is a Net compiled for inference: each BN is folded into its convolution (weights scaled,
// shift as bias), bias/ReLU/residual are fused into the kernels' epilogues, and method-1 shared
// convolutions compute each centroid once and gather it into the member channels.
// An Engine is read-only and safe for concurrent use; each goroutine needs its own Worker.
type Engine struct {
	arch   Arch
	h, w   int // input size
	stem   layer
	blocks []engineBlock
	fcW    []float32
	fcB    []float32
	maxAct int // largest activation per image, in floats

	// workers keeps Run's Workers between calls, so that a Run does not allocate and fault in
	// its goroutines' activation buffers and scratch again (several MB each).
	workers sync.Pool
}

type layer struct {
	conv *kernels.Conv
	ep   kernels.Epilogue
	cout int
}

type engineBlock struct {
	conv1, conv2 layer
	shortcut     *layer
	cin, stride  int // block input channels and stride, for the option-A shortcut
}

// Compile prepares n for inference on 32×32 images.
func Compile(n *Net) (*Engine, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{arch: n.Arch, h: 32, w: 32, fcW: clone(n.FCW), fcB: clone(n.FCB)}
	e.stem = compileConv(&n.Stem, true)
	h, w := n.Stem.OutSize(e.h, e.w)
	e.maxAct = n.Stem.Cout * h * w
	cin := n.Stem.Cout
	for i := range n.Blocks {
		b := &n.Blocks[i]
		eb := engineBlock{conv1: compileConv(&b.Conv1, true), conv2: compileConv(&b.Conv2, true), cin: cin, stride: b.Conv1.Stride}
		eb.conv2.ep.ReLU = true // after the residual add
		if b.Shortcut != nil {
			sc := compileConv(b.Shortcut, false)
			eb.shortcut = &sc
		}
		h, w = b.Conv1.OutSize(h, w)
		e.maxAct = max(e.maxAct, b.Conv1.Cout*h*w, b.Conv2.Cout*h*w)
		e.blocks = append(e.blocks, eb)
		cin = b.Conv2.Cout
	}
	return e, nil
}

// compileConv folds BN into the convolution: y = scale·(W*x + bias) + shift.
// Without sharing the scale goes into the weights; with sharing it stays per output channel.
func compileConv(c *ConvBN, relu bool) layer {
	scale, shift := c.BN.Fold()
	rows := c.Rows()
	fl := c.FilterLen()
	l := layer{cout: c.Cout, ep: kernels.Epilogue{Bias: shift, ReLU: relu}}
	if c.Assign == nil {
		w := make([]float32, len(c.W))
		for r := range rows {
			for j := range fl {
				w[r*fl+j] = c.W[r*fl+j] * scale[r]
			}
			if c.Bias != nil {
				shift[r] += scale[r] * c.Bias[r]
			}
		}
		l.conv = kernels.NewConv(w, rows, c.Cin, c.K, c.Stride, c.K/2)
		return l
	}
	l.conv = kernels.NewConv(c.W, rows, c.Cin, c.K, c.Stride, c.K/2)
	l.ep.Gather = c.Assign
	l.ep.Scale = scale
	if c.Bias != nil {
		for ch, a := range c.Assign {
			shift[ch] += scale[ch] * c.Bias[a]
		}
	}
	return l
}

// Worker holds one goroutine's scratch memory for Forward.
type Worker struct {
	ws   kernels.Workspace
	bufs [4][]float32
	pool []float32
}

// Forward computes logits (n×Classes) for n normalised CHW images x (n×3×32×32).
func (e *Engine) Forward(logits, x []float32, n int, wk *Worker) {
	size := n * e.maxAct
	for i := range wk.bufs {
		if cap(wk.bufs[i]) < size {
			wk.bufs[i] = make([]float32, size)
		}
	}
	cur, t, s, out := wk.bufs[0], wk.bufs[1], wk.bufs[2], wk.bufs[3]
	h, w := e.h, e.w
	c := e.stem
	c.run(cur, x, n, h, w, &wk.ws)
	h, w = c.conv.OutSize(h, w)
	for i := range e.blocks {
		b := &e.blocks[i]
		b.conv1.run(t, cur, n, h, w, &wk.ws)
		ho, wo := b.conv1.conv.OutSize(h, w)
		var res []float32
		switch {
		case b.shortcut != nil:
			b.shortcut.run(s, cur, n, h, w, &wk.ws)
			res = s
		case b.stride == 1 && b.cin == b.conv2.cout:
			res = cur
		default:
			res = s
			optionA(s, cur, n, b.cin, h, w, b.conv2.cout, b.stride)
		}
		ep := b.conv2.ep
		ep.Residual = res[:n*b.conv2.cout*ho*wo]
		b.conv2.conv.Forward(out, t, n, ho, wo, &ep, &wk.ws)
		cur, out = out, cur
		h, w = ho, wo
	}
	// Global average pool, then the linear layer.
	ch := len(e.fcW) / Classes
	if cap(wk.pool) < ch {
		wk.pool = make([]float32, ch)
	}
	pool := wk.pool[:ch]
	hw := h * w
	for img := range n {
		for k := range ch {
			var sum float32
			for _, v := range cur[(img*ch+k)*hw : (img*ch+k+1)*hw] {
				sum += v
			}
			pool[k] = sum / float32(hw)
		}
		for o := range Classes {
			sum := e.fcB[o]
			for k, v := range pool {
				sum += e.fcW[o*ch+k] * v
			}
			logits[img*Classes+o] = sum
		}
	}
}

func (l *layer) run(dst, src []float32, n, h, w int, ws *kernels.Workspace) {
	l.conv.Forward(dst, src, n, h, w, &l.ep, ws)
}

// optionA is the parameter-free shortcut of variant A: subsample by the stride and zero-pad the
// channels evenly on both sides (PyTorch: F.pad(x[:, :, ::2, ::2], (0,0,0,0,p,p))).
func optionA(dst, src []float32, n, cin, h, w, cout, stride int) {
	ho, wo := (h+stride-1)/stride, (w+stride-1)/stride
	pad := (cout - cin) / 2
	out := dst[:n*cout*ho*wo]
	clear(out)
	for img := range n {
		for c := range cin {
			s := src[(img*cin+c)*h*w:]
			d := out[(img*cout+c+pad)*ho*wo:]
			for y := range ho {
				for x := range wo {
					d[y*wo+x] = s[y*stride*w+x*stride]
				}
			}
		}
	}
}

// Batch is the number of images each Worker call processes in Run.
const Batch = 16

// Run computes logits for n images of x using up to threads goroutines (0 = GOMAXPROCS), calling
// progress (if non-nil) with the number of images finished so far.
func (e *Engine) Run(logits, x []float32, n, threads int, progress func(done int)) {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	per := 3 * e.h * e.w
	var (
		mu   sync.Mutex
		next int
		done int
		wg   sync.WaitGroup
	)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk, _ := e.workers.Get().(*Worker)
			if wk == nil {
				wk = new(Worker)
			}
			defer e.workers.Put(wk)
			for {
				mu.Lock()
				start := next
				next += Batch
				mu.Unlock()
				if start >= n {
					return
				}
				m := min(Batch, n-start)
				e.Forward(logits[start*Classes:(start+m)*Classes], x[start*per:(start+m)*per], m, wk)
				if progress != nil {
					mu.Lock()
					done += m
					progress(done)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}
