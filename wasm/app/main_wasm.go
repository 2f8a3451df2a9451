//go:build js && wasm

// Command app is the demo page: a vugu component tree (root.vugu, generated into root_gen.go by
// `make vugugen`) mounted on #app. Its state lives in the URL hash (package web/state); all
// computation happens in Web Workers running wasm/worker.
package main

import (
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
	js "github.com/vugu/vugu/js"
)

func main() {
	renderer, err := domrender.New("#app")
	if err != nil {
		panic(err)
	}
	defer renderer.Release()
	js.Global().Get("rp").Call("quietRenders")
	env := renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(env)
	if err != nil {
		panic(err)
	}
	root := &Root{Selected: -1}
	renders := 0
	b := newBrowser(root, env)
	root.host = b
	root.LoadHash(js.Global().Get("location").Get("hash").String())
	b.start()
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := b.Now()
		env.Lock()
		res := buildEnv.RunBuild(root)
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
		if !root.FirstRenderDone && len(root.Filters) > 0 {
			root.FirstRenderDone = true
			b.FirstRender()
		}
		b.ensureAnim()
	}
}
