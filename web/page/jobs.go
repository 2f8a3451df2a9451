package page

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

// Transport carries the page's jobs to the workers and back (Web Workers in the browser, a fake
// in the tests): worker w's replies come back through Page.OnMessage.
type Transport interface {
	Workers() int                // started workers: 0 is the view worker, 1 prunes, 2… evaluate
	Post(w int, m proto.Message) // see proto.Encode
	Restart(w int)               // terminates worker w and starts a fresh one (same module, same init)
	NeedTrain()                  // the prune worker gets the calibration images before its next job
}

// Host is the rest of the browser the page needs (wasm/app; a fake in the tests).
type Host interface {
	Transport
	ImageURL(bmp []byte) string // a short URL of a BMP (viz.BMP) for <img src> (a blob: URL in the browser)
	RevokeURL(url string)       // frees an ImageURL
	SetHash(h string)
	BaseURL() string // the page's address without the hash (the manifest's baseURL when set)
	Copy(text string, done func(ok bool))
	PostAnim(msg string)
	Now() float64
	Mark(name string) // records the time of a milestone in window.rpTimings
	Note(name string, v float64)
	After(ms int, f func()) // runs f later on the page's event loop (under the event lock), without a redraw: f must change nothing on screen
}

// The workers: worker 0 (the page's own program in a worker: it links no engine) answers the
// layer views, so that they never wait behind a pruning or an evaluation; worker 1 prunes (and
// times the layers), and is terminated and replaced when the settings change while it works;
// workers 2… evaluate, and the first of them classifies uploads between its batches' jobs.
const viewWorker, pruneWorker = 0, 1

// evalWorkers returns the indices of the evaluating workers.
func (c *Page) evalWorkers() []int {
	var ws []int
	for i := pruneWorker + 1; i < c.host.Workers(); i++ {
		ws = append(ws, i)
	}
	if len(ws) == 0 {
		ws = []int{c.host.Workers() - 1}
	}
	return ws
}

// postPrune sends a job to the prune worker and remembers that it is busy with generation gen.
func (c *Page) postPrune(op string, j proto.Job, bin [][]byte) {
	c.pruneBusy = j.Gen
	c.host.Post(pruneWorker, proto.Encode(op, j, bin))
}

// LoaderAskedLayer records that the loader (boot.js) already asked the view worker for the
// layer of the address's hash as job 1, before this program started.
func (c *Page) LoaderAskedLayer() {
	c.viewSeq = 1
	c.layerPosted = c.S.RunKey() + "|" + c.S.Layer
}

// startRun cancels what the workers do for older settings and starts pruning with the new ones.
func (c *Page) startRun() {
	c.gen++
	for _, w := range c.evalWorkers() {
		c.host.Post(w, proto.Encode(proto.OpCancel, proto.Job{Gen: c.gen}, nil))
	}
	// A pruning cannot be interrupted: the worker doing one for older settings is replaced.
	if c.pruneBusy != 0 {
		c.host.Restart(pruneWorker)
		c.pruneBusy = 0
	}
	c.Cur, c.Timing, c.Diagram = nil, nil, nil
	c.Table = c.Table[:0]
	c.V.Acc++
	c.V.Diagram++
	c.V.Table++
	c.refreshSamples()
	// While a slider is dragged the layer view goes first; the whole network is pruned once the
	// settings have rested for a moment (a pruning for settings that changed since costs a new
	// worker, whose start takes CPU from the page and the view worker). The first run, the
	// address's, starts at once.
	if c.needsCalibration() {
		c.host.NeedTrain()
	}
	gen, hash := c.gen, c.S.Hash()
	if gen == 1 {
		c.postPrune(proto.OpPrune, proto.Job{Gen: gen, Hash: hash}, nil)
		return
	}
	c.host.After(runDelayMs, func() {
		if gen == c.gen {
			c.postPrune(proto.OpPrune, proto.Job{Gen: gen, Hash: hash}, nil)
		}
	})
}

// needsCalibration reports whether the run has a step that counts calibration images.
func (c *Page) needsCalibration() bool {
	for i := range variant.Steps {
		if st := &variant.Steps[i]; st.Kind == variant.Count && st.Enabled(c.S.Variant) {
			return true
		}
	}
	return false
}

// viewSeq numbers the view worker's layer jobs (a newer one makes older ones stale).

// requestLayer asks the view worker for the layer shown, unless it is already on its way.
func (c *Page) requestLayer() {
	key := c.S.RunKey() + "|" + c.S.Layer
	if key == c.layerPosted {
		return
	}
	c.layerPosted = key
	c.viewSeq++
	c.viewAsked = c.host.Now()
	c.host.Post(viewWorker, proto.Encode(proto.OpLayer, proto.Job{Gen: c.viewSeq, Hash: c.S.Hash(), Layer: c.S.Layer}, nil))
}

// clearError removes the last worker error (a newer answer arrived).
func (c *Page) clearError() {
	if c.Error != "" {
		c.Error = ""
		c.V.Notices++
	}
}

// startEval splits images start…start+count-1 among the evaluating workers in contiguous,
// batch-aligned chunks.
func (c *Page) startEval(net string, start, count int, bin [][]byte) *EvalRun {
	e := &EvalRun{Gen: c.gen, Net: net, Start: start, Count: count, Preds: make([]int, count), Logits: make([]float32, 10*count), Began: c.host.Now()}
	for i := range e.Preds {
		e.Preds[i] = -1
	}
	ws := c.evalWorkers()
	per := (count + len(ws) - 1) / len(ws)
	per = (per + 15) / 16 * 16
	for k, w := range ws {
		a := start + k*per
		b := min(start+count, a+per)
		if a >= b {
			break
		}
		c.host.Post(w, proto.Encode(proto.OpEval, proto.Job{Gen: c.gen, Net: net, Start: a, Count: b - a}, bin))
	}
	return e
}

// classifyUpload sends the uploaded picture to the first evaluating worker (the view worker has
// no engine).
func (c *Page) classifyUpload() {
	if c.Upload == nil || c.Upload.pixels == nil {
		return
	}
	bin := [][]byte{c.Upload.pixels}
	if c.netBytes != nil {
		bin = append(bin, c.netBytes)
	}
	c.host.Post(c.evalWorkers()[0], proto.Encode(proto.OpClassify, proto.Job{}, bin))
}

// OnMessage handles one message from worker w. It reports whether the page changed: a message
// for settings that have changed since (a stale generation) changes nothing, and the host then
// need not redraw.
func (c *Page) OnMessage(w int, m proto.Message) (changed bool, err error) {
	bin := m.Bin
	switch m.Op {
	case proto.OpReady:
		var r proto.Ready
		if err := m.Decode(&r); err != nil {
			return false, err
		}
		c.host.Mark(fmt.Sprintf("worker%dReady", w))
		c.host.Note(fmt.Sprintf("worker%dInitMs", w), r.Ms)
		c.host.Note(fmt.Sprintf("worker%dBootMs", w), r.Boot)
		c.Arch, c.Convs = r.Arch, r.Convs
		c.V.Controls++
		c.V.Acc++
		if r.Test > 0 {
			c.TestN = r.Test
		}
		if w == pruneWorker && r.Train > 0 {
			c.TrainN = r.Train // else the manifest's count: the images come when a repair needs them
		}
		if w == viewWorker && !c.Ready {
			// The view worker can describe the layer before the others are ready.
			c.viewReady = true
			c.checkLayerNames()
			c.requestLayer()
		}
		// The evaluating workers need not be ready: their jobs wait in their queues.
		if w == pruneWorker && !c.Ready {
			c.Ready = true
			c.checkLayer()
			c.apply(false)
		}
	case proto.OpError:
		var e proto.Error
		if err := m.Decode(&e); err != nil {
			return false, err
		}
		if w == pruneWorker && e.Gen == c.pruneBusy {
			c.pruneBusy = 0
		}
		if w == viewWorker && e.Gen == c.viewSeq {
			c.viewShown = e.Gen
		}
		if e.Gen == 0 || e.Gen == c.gen || (w == viewWorker && e.Gen == c.viewSeq) {
			c.V.Notices++
			c.Error = fmt.Sprintf("worker %d (%s): %s", w, e.Op, e.Msg)
		}
	case proto.OpLayer:
		t0 := c.host.Now()
		var l proto.Layer
		if err := m.Decode(&l); err != nil {
			return false, err
		}
		defer func() { c.host.Note("layerPageMs", c.host.Now()-t0) }()
		if l.View == nil {
			return false, fmt.Errorf("layer message without a view")
		}
		if err := l.View.SetPayload(bin); err != nil {
			return false, err
		}
		if l.Gen == c.viewSeq {
			c.viewShown = l.Gen
			if c.View == nil {
				c.host.Mark("firstLayerView")
			}
			c.clearError()
			c.LayerMs = l.Ms
			c.host.Note("layerViewMs", l.Ms)
			c.setView(l.View)
		}
	case proto.OpPrune:
		var p proto.Pruned
		if err := m.Decode(&p); err != nil {
			return false, err
		}
		if p.Gen == c.pruneBusy {
			c.pruneBusy = 0
		}
		if p.Gen != c.gen || len(bin) == 0 {
			return false, nil
		}
		c.clearError()
		if c.Pruned == nil {
			c.host.Mark("firstPruned")
		}
		c.Pruned, c.netBytes = &p, bin[0]
		c.V.Acc++
		c.V.Charts++
		c.refreshDiagram()
		c.refreshTable()
		c.Cur = c.startEval("pruned", c.S.Offset, c.S.Limit, [][]byte{c.netBytes})
		c.refreshSamples()
	case proto.OpProgress, proto.OpEvalDone:
		var p proto.Progress
		if err := m.Decode(&p); err != nil {
			return false, err
		}
		e := c.Cur
		if p.Net == "orig" {
			e = c.Orig
		} else if p.Gen != c.gen {
			return false, nil
		}
		if e == nil {
			return false, nil
		}
		for k, pred := range p.Preds {
			i := p.First + k - e.Start
			if i < 0 || i >= e.Count || e.Preds[i] >= 0 {
				continue
			}
			e.Preds[i] = pred
			copy(e.Logits[i*10:(i+1)*10], p.Logits[k*10:(k+1)*10])
			e.Done++
			if pred == c.label(p.First+k) {
				e.Correct++
			}
		}
		e.Elapsed = c.host.Now() - e.Began
		c.V.Acc++
		if e.Done == e.Count && !e.Finished {
			e.Finished = true
			if e == c.Cur {
				c.V.Charts++ // the live point
				if !c.evalMarked {
					c.evalMarked = true
					c.host.Mark("evalDone")
				}
				c.postPrune(proto.OpTiming, proto.Job{Gen: c.gen}, [][]byte{c.netBytes})
				if c.Orig == nil {
					c.Orig = c.startEval("orig", 0, c.TestN, nil)
				}
			}
		}
		c.refreshSamples()
	case proto.OpTiming:
		var t proto.Timing
		if err := m.Decode(&t); err != nil {
			return false, err
		}
		if t.Gen == c.pruneBusy {
			c.pruneBusy = 0
		}
		if t.Gen == c.gen {
			c.Timing = &t
			c.refreshTable()
		}
	case proto.OpClassify:
		var r proto.Classified
		if err := m.Decode(&r); err != nil {
			return false, err
		}
		c.V.Samples++
		if c.Upload != nil {
			c.Upload.Orig, c.Upload.Prune = top5(r.Orig), top5(r.Pruned)
		}
	default:
		return false, fmt.Errorf("unknown message %q from worker %d", m.Op, w)
	}
	return true, nil
}
