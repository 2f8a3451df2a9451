//go:build js && wasm

package main

import (
	"encoding/json"
	"sync"
	"syscall/js"
	"time"

	"github.com/vugu/vugu"

	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
	"github.com/resnet20-pruning/resnet20-pruning/web/viz"
)

// browser is the host in the page: workers (web/static/boot.js starts them), the URL hash, the
// clipboard, the animation iframe. Worker and window messages are queued and applied to the Root
// by one goroutine under vugu's event lock, in arrival order.
type browser struct {
	root    *Root
	env     vugu.EventEnv
	workers []js.Value
	rp      js.Value

	queue chan func() redraw // each says when the page must be drawn again

	mu         sync.Mutex
	animReady  bool
	lastAnim   string // the last data sent, replayed when the iframe (re)loads
	lastRender time.Time
	redrawSoon bool
}

func newBrowser(root *Root, env vugu.EventEnv) *browser {
	b := &browser{root: root, env: env, rp: js.Global().Get("rp"), queue: make(chan func() redraw, 4096)}
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

// progressRedrawMs is the shortest time between two redraws for progress messages: each redraw
// costs the page's thread tens of milliseconds, which a slider move must not wait behind.
const progressRedrawMs = 250

// loop applies queued changes; progress redraws are limited to one per progressRedrawMs, and
// changes that show nothing new are not drawn.
func (b *browser) loop() {
	for f := range b.queue {
		b.env.Lock()
		r := f()
		if r == redrawNow || r == redrawLater && time.Since(b.lastRender) > progressRedrawMs*time.Millisecond {
			b.lastRender = time.Now()
			b.env.UnlockRender()
			continue
		}
		b.env.UnlockOnly()
		if r == redrawLater && !b.redrawSoon {
			b.redrawSoon = true
			go func() {
				time.Sleep(progressRedrawMs * time.Millisecond)
				b.queue <- func() redraw { b.redrawSoon = false; return redrawNow }
			}()
		}
	}
}

// start starts the workers and hands them the weights and the sample pack.
func (b *browser) start() {
	data := js.Global().Get("rpData")
	test := data.Get("test")
	pack := make([]byte, test.Get("byteLength").Int())
	js.CopyBytesToGo(pack, test)
	b.root.testPack = pack
	b.root.TestN = len(pack) / 3073
	b.root.WeightsName = data.Get("weightsName").String()
	if sw := data.Get("sweep"); sw.Type() == js.TypeString && sw.String() != "" {
		if s, err := viz.ParseSweep([]byte(sw.String())); err == nil {
			b.root.Sweep = s
		} else {
			b.root.SweepError = "assets/sweep.json: " + err.Error()
		}
	}
	onMsg := js.FuncOf(func(this js.Value, args []js.Value) any {
		w, d := args[0].Int(), args[1]
		op := d.Get("op").String()
		j := ""
		if v := d.Get("json"); v.Type() == js.TypeString {
			j = v.String()
		}
		var bin [][]byte
		if v := d.Get("bin"); v.Truthy() {
			for i := range v.Length() {
				a := v.Index(i)
				p := make([]byte, a.Get("byteLength").Int())
				js.CopyBytesToGo(p, a)
				bin = append(bin, p)
			}
		}
		arrived := b.Now()
		b.queue <- func() redraw {
			if op == "layer" {
				b.Note("layerQueueMs", b.Now()-arrived)
			}
			changed, err := b.root.OnMessage(w, op, j, bin)
			switch {
			case err != nil:
				b.root.Error = err.Error()
			case !changed:
				return redrawNone
			case op == proto.OpProgress:
				return redrawLater
			}
			return redrawNow
		}
		return nil
	})
	// The loader (boot.js) started the workers and sent them the weights and the sample pack
	// (the view worker only the weights) while this program was starting.
	if data.Get("earlyLayer").Truthy() {
		b.root.LoaderAskedLayer()
	}
	ws := b.rp.Call("startWorkers", onMsg)
	for i := range ws.Length() {
		b.workers = append(b.workers, ws.Index(i))
	}
	js.Global().Call("addEventListener", "hashchange", js.FuncOf(func(this js.Value, args []js.Value) any {
		h := js.Global().Get("location").Get("hash").String()
		b.queue <- func() redraw {
			if h != b.root.S.Hash() {
				b.root.LoadHash(h)
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
				p := b.lastAnim
				b.mu.Unlock()
				if p != "" {
					b.PostAnim(p)
				}
			}
			if s := m.AnimState; s != nil {
				b.root.OnAnimState(s.Step, s.Steps, s.Playing)
			}
			return redrawNow
		}
		return nil
	}))
}

func (b *browser) Workers() int { return len(b.workers) }

func (b *browser) Restart(w int) { b.rp.Call("restartWorker", w) }

var (
	blobCtor = js.Global().Get("Blob")
	urlAPI   = js.Global().Get("URL")
)

func (b *browser) ImageURL(png []byte) string {
	a := u8Ctor.New(len(png))
	js.CopyBytesToJS(a, png)
	opts := objectCtor.New()
	opts.Set("type", "image/png")
	return urlAPI.Call("createObjectURL", blobCtor.New([]any{a}, opts)).String()
}

func (b *browser) RevokeURL(url string) {
	if len(url) > 5 && url[:5] == "blob:" {
		urlAPI.Call("revokeObjectURL", url)
	}
}

var (
	objectCtor = js.Global().Get("Object")
	u8Ctor     = js.Global().Get("Uint8Array")
)

func (b *browser) Post(w int, op string, v any, bin [][]byte) {
	if w < 0 || w >= len(b.workers) {
		return
	}
	j, err := json.Marshal(v)
	if err != nil {
		return
	}
	msg := objectCtor.New()
	msg.Set("op", op)
	msg.Set("json", string(j))
	var transfer []any
	if len(bin) > 0 {
		arr := make([]any, len(bin))
		for i, p := range bin {
			a := u8Ctor.New(len(p))
			js.CopyBytesToJS(a, p)
			arr[i] = a
			transfer = append(transfer, a.Get("buffer"))
		}
		msg.Set("bin", js.ValueOf(arr))
	}
	b.workers[w].Call("postMessage", msg, js.ValueOf(transfer))
}

func (b *browser) SetHash(h string) {
	loc := js.Global().Get("location")
	url := loc.Get("pathname").String() + loc.Get("search").String() + h
	js.Global().Get("history").Call("replaceState", js.Null(), "", url)
}

func (b *browser) BaseURL() string {
	loc := js.Global().Get("location")
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

// ensureAnim puts the animation's iframe into its slot. vugu does not render it: vugu sets every
// attribute again on each render, and setting an iframe's src reloads it. The slot has no children
// in root.vugu, so vugu leaves its content alone.
func (b *browser) ensureAnim() {
	if !b.root.FirstRenderDone {
		return // after the first view: the animation's 14 MB must not delay it
	}
	doc := js.Global().Get("document")
	slot := doc.Call("getElementById", "anim-slot")
	if !slot.Truthy() || slot.Get("firstChild").Truthy() {
		return
	}
	f := doc.Call("createElement", "iframe")
	f.Set("id", "anim")
	f.Set("title", "K-Means iterations (animation)")
	f.Set("src", "anim.html")
	slot.Call("appendChild", f)
	b.mu.Lock()
	b.animReady = false
	b.mu.Unlock()
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

func (b *browser) DecodeImage(file jsValue, done func(pixels []byte, msg string)) {
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
	b.rp.Call("decodeImage", js.Value(file), f)
}

func (b *browser) FirstRender() { b.rp.Call("firstRender") }

func (b *browser) Mark(name string) {
	js.Global().Get("rpTimings").Set(name, b.Now())
}

func (b *browser) Note(name string, v float64) {
	js.Global().Get("rpTimings").Set(name, v)
}

func (b *browser) After(ms int, f func()) {
	go func() {
		time.Sleep(time.Duration(ms) * time.Millisecond)
		b.queue <- func() redraw { f(); return redrawNow }
	}()
}
