//go:build js && wasm

package main

import (
	"encoding/json"
	"sync"
	"syscall/js"
	"time"

	"github.com/vugu/vugu"
	vjs "github.com/vugu/vugu/js"

	"github.com/resnet20-pruning/resnet20-pruning/web/page"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

// browser is the page.Host in the page: workers (web/static/boot.js starts them), the URL hash,
// the clipboard, the animation iframe. Worker and window messages are queued and applied to the
// page by one goroutine under vugu's event lock, in arrival order.
type browser struct {
	page    *page.Page
	env     vugu.EventEnv
	workers []js.Value
	rp      js.Value
	baseURL string // manifest.baseURL: the published copy's address, for "Copy link"

	queue chan func() redraw // each says when the page must be drawn again

	mu         sync.Mutex
	animReady  bool
	lastAnim   string // the last data sent, replayed when the iframe (re)loads
	lastRender time.Time
	redrawSoon bool
}

func newBrowser(env vugu.EventEnv) *browser {
	b := &browser{env: env, rp: js.Global().Get("rp"), queue: make(chan func() redraw, 4096)}
	go b.loop()
	return b
}

// redraw says when the page must be drawn again after a queued change.
type redraw int

const (
	redrawNone  redraw = iota // nothing visible changed (a message for stale settings)
	redrawLater               // progress: drawn within progressRedrawMs
	redrawNow
)

// progressRedrawMs is the shortest time between two redraws for progress messages. A progress
// message redraws only the accuracy card (web/ui's Memo), but the evaluating workers send one
// every 16 images each.
const progressRedrawMs = 100

// loop applies queued changes; progress redraws are limited to one per progressRedrawMs and
// wait while a layer job is unanswered (page.LayerPending: its answer draws them too), and
// changes that show nothing new are not drawn.
func (b *browser) loop() {
	for f := range b.queue {
		b.env.Lock()
		r := f()
		if r == redrawNow || r == redrawLater && time.Since(b.lastRender) > progressRedrawMs*time.Millisecond && !b.page.LayerPending() {
			b.lastRender = time.Now()
			b.env.UnlockRender()
			continue
		}
		b.env.UnlockOnly()
		if r == redrawLater && !b.redrawSoon {
			b.redrawSoon = true
			go func() {
				time.Sleep(progressRedrawMs * time.Millisecond)
				b.queue <- func() redraw { b.redrawSoon = false; return redrawLater }
			}()
		}
	}
}

// start hands the page what the loader fetched and connects it to the workers and the window.
func (b *browser) start() {
	data := js.Global().Get("rpData")
	p := b.page
	p.WeightsName = data.Get("weightsName").String()
	man := data.Get("manifest")
	if u := man.Get("baseURL"); u.Type() == js.TypeString {
		b.baseURL = u.String()
	}
	if t := man.Get("train"); t.Type() == js.TypeObject && t.Get("count").Type() == js.TypeNumber {
		p.TrainN = t.Get("count").Int()
	}
	if bl := man.Get("baseline"); bl.Type() == js.TypeObject {
		var base page.Baseline
		if json.Unmarshal([]byte(js.Global().Get("JSON").Call("stringify", bl).String()), &base) == nil {
			p.Baseline = &base
		}
	}
	// The CLI's sweep for the charts and the sample pack's test images (in parts, the first 200
	// first: each call gives the images so far) arrive after the first view.
	b.rp.Call("onSweep", js.FuncOf(func(this js.Value, args []js.Value) any {
		if sw := args[0].String(); sw != "" {
			b.queue <- func() redraw { p.SetSweep([]byte(sw)); return redrawNow }
		}
		return nil
	}))
	b.rp.Call("onTestImages", js.FuncOf(func(this js.Value, args []js.Value) any {
		pack := make([]byte, args[0].Get("byteLength").Int())
		js.CopyBytesToGo(pack, args[0])
		b.queue <- func() redraw { p.SetTestPack(pack); return redrawNow }
		return nil
	}))
	onMsg := js.FuncOf(func(this js.Value, args []js.Value) any {
		w := args[0].Int()
		m, err := proto.Receive(args[1])
		arrived := b.Now()
		b.queue <- func() redraw {
			if err != nil {
				p.Error = err.Error()
				p.V.Notices++
				return redrawNow
			}
			if m.Op == proto.OpLayer {
				b.Note("layerQueueMs", b.Now()-arrived)
			}
			changed, err := p.OnMessage(w, m)
			switch {
			case err != nil:
				p.Error = err.Error()
				p.V.Notices++
			case !changed:
				return redrawNone
			case m.Op == proto.OpProgress:
				return redrawLater
			}
			return redrawNow
		}
		return nil
	})
	// The loader (boot.js) started the view worker and sent it the weights while this program
	// was starting; the other workers start when the engine and the test images are in.
	if data.Get("earlyLayer").Truthy() {
		p.LoaderAskedLayer()
	}
	ws := b.rp.Call("startWorkers", onMsg)
	for i := range ws.Length() {
		b.workers = append(b.workers, ws.Index(i))
	}
	js.Global().Call("addEventListener", "hashchange", js.FuncOf(func(this js.Value, args []js.Value) any {
		h := js.Global().Get("location").Get("hash").String()
		b.queue <- func() redraw {
			if h != p.S.Hash() {
				p.LoadHash(h)
			}
			return redrawNow
		}
		return nil
	}))
	js.Global().Call("addEventListener", "message", js.FuncOf(func(this js.Value, args []js.Value) any {
		ev := args[0]
		if ev.Get("origin").String() != js.Global().Get("location").Get("origin").String() || ev.Get("data").Type() != js.TypeString {
			return nil
		}
		var m struct {
			AnimReady *bool `json:"animReady"`
			AnimState *struct {
				Step, Steps int
				Playing     bool
			} `json:"animState"`
		}
		if json.Unmarshal([]byte(ev.Get("data").String()), &m) != nil {
			return nil
		}
		b.queue <- func() redraw {
			if m.AnimReady != nil && *m.AnimReady {
				b.mu.Lock()
				b.animReady = true
				last := b.lastAnim
				b.mu.Unlock()
				if last != "" {
					b.PostAnim(last)
				}
				p.AnimReady()
			}
			if s := m.AnimState; s != nil {
				p.OnAnimState(s.Step, s.Steps, s.Playing)
			}
			return redrawNow
		}
		return nil
	}))
}

func (b *browser) Workers() int { return len(b.workers) }

func (b *browser) Post(w int, m proto.Message) {
	if w >= 0 && w < len(b.workers) {
		proto.Post(b.workers[w], m)
	}
}

func (b *browser) Restart(w int) { b.rp.Call("restartWorker", w) }

func (b *browser) NeedTrain() { b.rp.Call("needTrain") }

var (
	blobCtor   = js.Global().Get("Blob")
	urlAPI     = js.Global().Get("URL")
	objectCtor = js.Global().Get("Object")
	u8Ctor     = js.Global().Get("Uint8Array")
)

func (b *browser) ImageURL(bmp []byte) string {
	a := u8Ctor.New(len(bmp))
	js.CopyBytesToJS(a, bmp)
	opts := objectCtor.New()
	opts.Set("type", "image/bmp")
	return urlAPI.Call("createObjectURL", blobCtor.New([]any{a}, opts)).String()
}

func (b *browser) RevokeURL(url string) {
	if len(url) > 5 && url[:5] == "blob:" {
		urlAPI.Call("revokeObjectURL", url)
	}
}

func (b *browser) SetHash(h string) {
	loc := js.Global().Get("location")
	url := loc.Get("pathname").String() + loc.Get("search").String() + h
	js.Global().Get("history").Call("replaceState", js.Null(), "", url)
}

// BaseURL is the link's address without the hash: the published copy's (manifest.baseURL) when
// the site was built with one, else this page's, with its query (?weights=…).
func (b *browser) BaseURL() string {
	loc := js.Global().Get("location")
	if b.baseURL != "" {
		return b.baseURL + loc.Get("search").String()
	}
	return loc.Get("origin").String() + loc.Get("pathname").String() + loc.Get("search").String()
}

func (b *browser) Copy(text string, done func(ok bool)) {
	var f js.Func
	f = js.FuncOf(func(this js.Value, args []js.Value) any {
		ok := args[0].Bool()
		b.queue <- func() redraw { done(ok); return redrawNow }
		f.Release()
		return nil
	})
	b.rp.Call("copy", text, f)
}

// ensureAnim puts the animation's iframe into its slot once the slot is first on screen and the
// first evaluation has finished (rp.whenVisible): the animation (anim.wasm, the largest download)
// is fetched only when someone can see it, and does not hold up the engine. vugu
// does not render the iframe: the slot has no children in kmeans.vugu, so vugu leaves its content
// alone.
func (b *browser) ensureAnim() {
	b.rp.Call("whenVisible", "anim-slot", js.FuncOf(func(this js.Value, args []js.Value) any {
		doc := js.Global().Get("document")
		slot := doc.Call("getElementById", "anim-slot")
		if !slot.Truthy() || slot.Get("firstChild").Truthy() {
			return nil
		}
		f := doc.Call("createElement", "iframe")
		f.Set("id", "anim")
		f.Set("title", "K-Means iterations (animation)")
		f.Set("src", "anim.html")
		slot.Call("appendChild", f)
		b.mu.Lock()
		b.animReady = false
		b.mu.Unlock()
		b.Mark("animRequested")
		return nil
	}))
}

func (b *browser) PostAnim(msg string) {
	b.mu.Lock()
	if len(msg) > 8 && msg[:8] == `{"anim":` {
		b.lastAnim = msg
	}
	ready := b.animReady
	b.mu.Unlock()
	if !ready {
		return
	}
	el := js.Global().Get("document").Call("getElementById", "anim")
	if !el.Truthy() || !el.Get("contentWindow").Truthy() {
		return
	}
	el.Get("contentWindow").Call("postMessage", msg, js.Global().Get("location").Get("origin"))
}

func (b *browser) Now() float64 { return js.Global().Get("performance").Call("now").Float() }

// DecodeImage resizes an uploaded picture (a File from the upload input) in the browser.
func (b *browser) DecodeImage(file any, done func(pixels []byte, msg string)) {
	v, ok := file.(vjs.Value)
	if !ok {
		done(nil, "not a file")
		return
	}
	var f js.Func
	f = js.FuncOf(func(this js.Value, args []js.Value) any {
		var p []byte
		if args[0].Truthy() {
			p = make([]byte, args[0].Get("byteLength").Int())
			js.CopyBytesToGo(p, args[0])
		}
		msg := args[1].String()
		b.queue <- func() redraw { done(p, msg); return redrawNow }
		f.Release()
		return nil
	})
	b.rp.Call("decodeImage", js.Value(v), f)
}

func (b *browser) FirstRender() { b.rp.Call("firstRender") }

func (b *browser) Mark(name string) {
	js.Global().Get("rpTimings").Set(name, b.Now())
	if name == "evalDone" { // the first finished evaluation: the animation may load now
		b.rp.Call("evalFinished")
	}
}

func (b *browser) Note(name string, v float64) {
	js.Global().Get("rpTimings").Set(name, v)
}

// After runs f on the page's event loop after ms milliseconds. f changes nothing on screen (it
// posts the debounced pruning), so no redraw follows: one after every slider step cost a full
// render on the page's thread while the slider moved on.
func (b *browser) After(ms int, f func()) {
	go func() {
		time.Sleep(time.Duration(ms) * time.Millisecond)
		b.queue <- func() redraw { f(); return redrawNone }
	}()
}
