//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo/view"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
)

// viewWorker is this program's second role, the view worker: web/static/boot.js compiles app.wasm
// once, runs it on the page and hands the same module to one Web Worker (web/static/worker.js),
// where there is no document. The page's first view then needs one program and the weights, not
// the evaluating workers' engine (worker.wasm), which downloads after it (issue 12's budget).
//
// It holds the original network (init: bin = the weights) and answers the page's layer jobs with
// web/demo/view; of several queued layer jobs only the newest runs. While idle it clusters the
// layer shown for the neighbouring numbers of clusters, so that the next slider step finds its
// K-Means done.
func viewWorker() {
	self := js.Global()
	started := time.Now()
	var boot float64 // from receiving the module (worker.js) to this program's main
	if t := self.Get("rpStarted"); t.Type() == js.TypeNumber {
		boot = self.Get("performance").Call("now").Float() - t.Float()
	}
	post := func(op string, v any, bin [][]byte) { proto.Post(self, proto.Encode(op, v, bin)) }
	type job struct {
		op  string
		j   proto.Job
		bin [][]byte
	}
	jobs := make(chan job, 256)
	latest := 0 // the newest layer job's generation seen; read and written on the JS thread only
	proto.Listen(self, func(event js.Value) {
		m, err := proto.Receive(event.Get("data"))
		var j proto.Job
		if err == nil {
			err = m.Decode(&j)
		}
		if err != nil {
			post(proto.OpError, proto.Error{Msg: err.Error()}, nil)
			return
		}
		if m.Op == proto.OpLayer && j.Gen > latest {
			latest = j.Gen
		}
		jobs <- job{m.Op, j, m.Bin}
	})
	type warmJob struct {
		layer string
		sp    variant.Spec
		k     int
	}
	var views *view.Views
	var warm []warmJob
	handle := func(m job) error {
		start := time.Now()
		ms := func() float64 { return float64(time.Since(start).Microseconds()) / 1000 }
		switch m.op {
		case proto.OpInit:
			if len(m.bin) < 1 {
				return fmt.Errorf("init needs the weights")
			}
			n, err := view.LoadNet(m.bin[0])
			if err != nil {
				return fmt.Errorf("weights: %w", err)
			}
			views = view.New(n)
			post(proto.OpReady, proto.Ready{Arch: string(n.Arch), Convs: views.Convs, Ms: ms(), Boot: boot + float64(time.Since(started).Microseconds())/1000 - ms()}, nil)
		case proto.OpLayer:
			if views == nil {
				return fmt.Errorf("view worker not initialised")
			}
			// The page's first layer job comes from the loader with the address's raw hash: what
			// it got wrong takes the defaults, as on the page (which reports it).
			st, _ := state.Parse(m.j.Hash)
			layer := m.j.Layer
			if layer == "" {
				layer = st.Layer
			}
			v, err := views.Layer(layer, st.Spec, nil, nil)
			if err != nil {
				return err
			}
			bin, err := v.Payload()
			if err != nil {
				return err
			}
			post(proto.OpLayer, proto.Layer{Gen: m.j.Gen, View: v, Ms: ms()}, bin)
			warm = warm[:0]
			if !v.Unchanged {
				for _, d := range []int{-1, 1, -2, 2} {
					warm = append(warm, warmJob{layer, st.Spec, v.Clusters + d})
				}
			}
		case proto.OpCancel:
		default:
			return fmt.Errorf("the view worker does not do %q jobs", m.op)
		}
		return nil
	}
	var queue []job
	for {
		// Let the JS event loop deliver what arrived (a newer layer job makes queued ones stale).
		time.Sleep(time.Millisecond)
		for more := true; more; {
			select {
			case m := <-jobs:
				queue = append(queue, m)
			default:
				more = false
			}
		}
		if len(queue) == 0 {
			if len(warm) > 0 && views != nil {
				w := warm[0]
				warm = warm[1:]
				views.Warm(w.layer, w.sp, w.k)
			} else {
				queue = append(queue, <-jobs)
			}
			continue
		}
		m := queue[0]
		queue = queue[1:]
		if m.op == proto.OpLayer && m.j.Gen < latest {
			continue
		}
		if err := handle(m); err != nil {
			post(proto.OpError, proto.Error{Gen: m.j.Gen, Op: m.op, Msg: err.Error()}, nil)
		}
	}
}
