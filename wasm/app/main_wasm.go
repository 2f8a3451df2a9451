//go:build js && wasm

// Command app is the demo page's program: it mounts web/ui's components on #app, drives them with
// web/page's controller and connects both to the browser (host_js.go: workers, URL hash,
// clipboard, the animation iframe). All computation happens in Web Workers: the same program runs
// as the view worker (view_js.go: a layer's filters and K-Means, in a worker where there is no
// document), wasm/worker prunes and evaluates.
package main

import (
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
	js "github.com/vugu/vugu/js"

	"github.com/resnet20-pruning/resnet20-pruning/web/page"
	"github.com/resnet20-pruning/resnet20-pruning/web/ui"
)

func main() {
	if !js.Global().Get("document").Truthy() {
		viewWorker()
		return
	}
	renderer, err := domrender.New("#app")
	if err != nil {
		panic(err)
	}
	defer renderer.Release()
	env := renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(env)
	if err != nil {
		panic(err)
	}
	b := newBrowser(env)
	p := page.New(b, js.Global().Get("location").Get("hash").String())
	app := ui.NewApp(p)
	app.Decode = b.DecodeImage
	b.page = p
	b.start()
	renders, firstRender, baselineShown := 0, false, false
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := b.Now()
		env.Lock()
		res := buildEnv.RunBuild(app)
		haveFilters, haveOrig := len(p.Filters) > 0, p.OrigOnRange() != "…"
		env.UnlockOnly()
		t1 := b.Now()
		if err := renderer.Render(res); err != nil {
			panic(err)
		}
		b.Note("buildMs", t1-t0)
		b.Note("renderMs", b.Now()-t1)
		renders++
		b.Note("renders", float64(renders))
		// The loading screen goes once the filters are on screen.
		if !firstRender && haveFilters {
			firstRender = true
			b.FirstRender()
			b.ensureAnim()
		}
		if !baselineShown && haveOrig {
			baselineShown = true
			b.Mark("baselineShown")
		}
	}
}
