//go:build js && wasm

// Command worker is the demo's engine as a WebAssembly program, one instance per pruning or
// evaluating Web Worker (see web/static/worker.js; the view worker is wasm/app's second role). It
// holds the original network and the sample pack, and answers the page's jobs (package
// web/proto): prune a run, evaluate a range of test images with progress after every batch,
// classify an uploaded image, time the layers. The computations are package web/demo's; this
// file is only the message glue.
//
// A newer job generation cancels older ones: before each job, and after every evaluated batch,
// the worker returns to the JS event loop, so a "cancel" (or any newer job) is seen within one
// batch. The original network's evaluation (kept whatever the settings) runs in the background,
// one batch at a time when no other job waits. Pruning cannot be interrupted: the page terminates
// a worker that prunes for stale settings and starts a new one.
package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
)

type message struct {
	op  string
	job proto.Job
	bin [][]byte
}

type worker struct {
	mu     sync.Mutex
	latest int // newest generation seen

	s         *demo.Session
	origE     *resnet.Engine
	prunedE   *resnet.Engine
	prunedNet *resnet.Net
	netBytes  []byte // the bytes prunedE was compiled from
	origTimes map[string]float64

	ev demo.Evaluator
	bg *background // the original network's evaluation, one batch per idle moment
}

// background is an evaluation of the original network in progress.
type background struct {
	job   proto.Job
	next  int
	start time.Time
}

// orig returns the original network's engine, compiled on first use.
func (w *worker) orig() (*resnet.Engine, error) {
	if w.origE == nil {
		e, err := resnet.Compile(w.s.Orig)
		if err != nil {
			return nil, err
		}
		w.origE = e
	}
	return w.origE, nil
}

// usePruned makes b (a serialised pruned network) the one evaluated, unless it already is.
func (w *worker) usePruned(b []byte) error {
	if w.prunedE != nil && string(b) == string(w.netBytes) {
		return nil
	}
	n, err := demo.LoadNet(b)
	if err != nil {
		return err
	}
	e, err := resnet.Compile(n)
	if err != nil {
		return err
	}
	w.prunedE, w.prunedNet, w.netBytes = e, n, b
	return nil
}

var self = js.Global()

var boot float64

func main() {
	if t := self.Get("rpStarted"); t.Type() == js.TypeNumber {
		boot = self.Get("performance").Call("now").Float() - t.Float()
	}
	w := &worker{}
	jobs := make(chan message, 256)
	proto.Listen(self, func(event js.Value) {
		m, err := decode(event.Get("data"))
		if err != nil {
			post(proto.OpError, proto.Error{Msg: err.Error()}, nil)
			return
		}
		w.mu.Lock()
		if m.job.Gen > w.latest {
			w.latest = m.job.Gen
		}
		w.mu.Unlock()
		if m.op != proto.OpCancel {
			jobs <- m
		}
	})
	var queue []message
	for {
		// Let the JS event loop deliver what arrived (a newer job makes queued ones stale).
		yield()
		for more := true; more; {
			select {
			case m := <-jobs:
				queue = append(queue, m)
			default:
				more = false
			}
		}
		if len(queue) == 0 {
			if w.bg != nil {
				w.backgroundBatch()
			} else {
				queue = append(queue, <-jobs)
			}
			continue
		}
		m := queue[0]
		queue = queue[1:]
		if cancellable(m) && w.stale(m.job.Gen) {
			continue
		}
		if err := w.handle(m); err != nil {
			post(proto.OpError, proto.Error{Gen: m.job.Gen, Op: m.op, Msg: err.Error()}, nil)
		}
	}
}

// backgroundBatch evaluates the next batch of the original network's evaluation.
func (w *worker) backgroundBatch() {
	b := w.bg
	j := b.job
	e, err := w.orig()
	if err != nil {
		w.bg = nil
		post(proto.OpError, proto.Error{Gen: j.Gen, Op: proto.OpEval, Msg: err.Error()}, nil)
		return
	}
	m := min(resnet.Batch, j.Start+j.Count-b.next)
	preds, logits := w.ev.Batch(e, w.s.Test, b.next, m)
	first := b.next
	b.next += m
	op := proto.OpProgress
	if b.next == j.Start+j.Count {
		op, w.bg = proto.OpEvalDone, nil
	}
	post(op, proto.Progress{Gen: j.Gen, Net: j.Net, First: first, Preds: preds, Logits: logits, Ms: ms(b.start), Done: b.next - j.Start}, nil)
}

// cancellable reports whether a newer generation makes m useless: not for init, classify and
// the original network's evaluation (its results are kept whatever the settings).
func cancellable(m message) bool {
	return m.op != proto.OpInit && m.op != proto.OpClassify && !(m.op == proto.OpEval && m.job.Net == "orig")
}

func (w *worker) stale(gen int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return gen < w.latest
}

// yield returns to the JS event loop so that queued messages are delivered: it posts to a
// MessageChannel and waits for that message, a round trip of ~0.01 ms. (time.Sleep is a nested
// setTimeout, which browsers clamp to ≥ 4 ms: 6–8 ms per 16-image batch measured in a worker.)
var yield = func() func() {
	ch := make(chan struct{}, 1)
	mc := js.Global().Get("MessageChannel").New()
	mc.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		ch <- struct{}{}
		return nil
	}))
	port := mc.Get("port2")
	return func() {
		port.Call("postMessage", js.Null())
		<-ch
	}
}()

func ms(since time.Time) float64 { return float64(time.Since(since).Microseconds()) / 1000 }

func (w *worker) handle(m message) error {
	start := time.Now()
	j := m.job
	if m.op != proto.OpInit && w.s == nil {
		return fmt.Errorf("worker not initialised")
	}
	switch m.op {
	case proto.OpInit:
		// bin: weights[, test pack[, train pack]]. The prune worker gets the calibration images
		// only when a repair step needs them.
		if len(m.bin) < 1 {
			return fmt.Errorf("init needs the weights")
		}
		var test, train []byte
		if len(m.bin) > 1 {
			test = m.bin[1]
		}
		if len(m.bin) > 2 {
			train = m.bin[2]
		}
		s, err := demo.NewSession(m.bin[0], test, train)
		if err != nil {
			return err
		}
		w.s = s
		post(proto.OpReady, proto.Ready{Arch: string(s.Orig.Arch), Convs: s.Convs, Test: s.Test.Len(), Train: s.Train.Len(), Ms: ms(start), Boot: boot}, nil)
	case proto.OpPrune:
		st, err := parse(j.Hash)
		if err != nil {
			return err
		}
		p, err := w.s.Prune(st.Spec, j.NInit)
		if err != nil {
			return err
		}
		b, err := demo.NetBytes(p.Net)
		if err != nil {
			return err
		}
		if w.prunedE, err = resnet.Compile(p.Net); err != nil {
			return err
		}
		w.prunedNet, w.netBytes = p.Net, b
		out := proto.Pruned{Gen: j.Gen, Notes: p.Notes, Blocks: p.Blocks, Ms: ms(start)}
		for _, l := range p.Layers {
			out.Layers = append(out.Layers, proto.LayerRow(l))
		}
		for _, l := range p.Orig {
			out.Orig = append(out.Orig, proto.LayerRow(l))
		}
		if p.Repair != nil {
			out.Repair, _ = json.Marshal(p.Repair)
		}
		post(proto.OpPrune, out, [][]byte{b})
	case proto.OpEval:
		e, err := w.orig()
		if err != nil {
			return err
		}
		if j.Net != "orig" {
			if len(m.bin) > 0 {
				if err := w.usePruned(m.bin[0]); err != nil {
					return err
				}
			}
			if w.prunedE == nil {
				return fmt.Errorf("no pruned network to evaluate")
			}
			e = w.prunedE
		}
		if j.Start < 0 || j.Count < 0 || j.Start+j.Count > w.s.Test.Len() {
			return fmt.Errorf("images %d…%d outside the pack's %d", j.Start, j.Start+j.Count, w.s.Test.Len())
		}
		if j.Net == "orig" {
			w.bg = &background{job: j, next: j.Start, start: start}
			if j.Count == 0 {
				w.bg = nil
				post(proto.OpEvalDone, proto.Progress{Gen: j.Gen, Net: j.Net, Ms: ms(start)}, nil)
			}
			return nil
		}
		for i := j.Start; i < j.Start+j.Count; i += resnet.Batch {
			preds, logits := w.ev.Batch(e, w.s.Test, i, min(resnet.Batch, j.Start+j.Count-i))
			done := i + len(preds) - j.Start
			op := proto.OpProgress
			if done == j.Count {
				op = proto.OpEvalDone
			}
			post(op, proto.Progress{Gen: j.Gen, Net: j.Net, First: i, Preds: preds, Logits: logits, Ms: ms(start), Done: done}, nil)
			yield()
			if w.stale(j.Gen) {
				return nil
			}
		}
		if j.Count == 0 {
			post(proto.OpEvalDone, proto.Progress{Gen: j.Gen, Net: j.Net, Ms: ms(start)}, nil)
		}
	case proto.OpClassify:
		if len(m.bin) < 1 {
			return fmt.Errorf("classify needs the pixels")
		}
		if len(m.bin) > 1 {
			if err := w.usePruned(m.bin[1]); err != nil {
				return err
			}
		}
		oe, err := w.orig()
		if err != nil {
			return err
		}
		o, err := demo.Classify(oe, m.bin[0])
		if err != nil {
			return err
		}
		out := proto.Classified{Gen: j.Gen, Orig: o}
		if w.prunedE != nil {
			if out.Pruned, err = demo.Classify(w.prunedE, m.bin[0]); err != nil {
				return err
			}
		}
		post(proto.OpClassify, out, nil)
	case proto.OpTiming:
		if len(m.bin) > 0 {
			if err := w.usePruned(m.bin[0]); err != nil {
				return err
			}
		}
		if w.prunedNet == nil {
			return fmt.Errorf("nothing pruned yet")
		}
		if w.origTimes == nil {
			w.origTimes = demo.LayerTimes(w.s.Orig, 8, 2)
			yield()
		}
		if w.stale(j.Gen) {
			return nil
		}
		t := proto.Timing{Gen: j.Gen, Orig: w.origTimes, Pruned: demo.LayerTimes(w.prunedNet, 8, 2)}
		post(proto.OpTiming, t, nil)
	default:
		return fmt.Errorf("unknown op %q", m.op)
	}
	return nil
}

func parse(hash string) (state.State, error) {
	st, probs := state.Parse(hash)
	if len(probs) > 0 {
		return st, fmt.Errorf("settings: %s", probs[0])
	}
	return st, nil
}

func decode(v js.Value) (message, error) {
	m, err := proto.Receive(v)
	if err != nil {
		return message{}, err
	}
	out := message{op: m.Op, bin: m.Bin}
	return out, m.Decode(&out.job)
}

// post sends {op, json, bin} to the page, transferring the binary payloads.
func post(op string, v any, bin [][]byte) { proto.Post(self, proto.Encode(op, v, bin)) }
