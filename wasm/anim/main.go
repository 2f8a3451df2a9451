//go:build js && wasm

// Command anim is the K-Means animation of the demo's cluster view: an ebiten game that runs in
// its own iframe (anim.html; ebiten takes over a page's body) and draws the filters of one layer
// projected on their first two principal components, coloured by cluster, with the centroids
// moving through the Lloyd iterations of the winning K-Means restart.
//
// The page sends it JSON messages with window.postMessage: {"anim": {...}} (the data, see Anim)
// and {"cmd": "play"|"pause"|"step"|"back"|"restart"}. It reports its position back as
// {"animState": {"step", "steps", "playing"}} so that the page's buttons stay in sync.
package main

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Anim is what the page sends: N points (N×2), and per iteration the labels and K centroids (K×2).
type Anim struct {
	Title   string    `json:"title"`
	Points  []float64 `json:"points"`
	Steps   []Step    `json:"steps"`
	Colors  []string  `json:"colors"`  // CSS hex per cluster
	Removed []bool    `json:"removed"` // points drawn with a red ring (method 2: removed filters)
}

// Step is one Lloyd iteration.
type Step struct {
	Labels    []int     `json:"labels"`
	Centroids []float64 `json:"centroids2"`
	Inertia   float64   `json:"inertia"`
}

// Game animates an Anim. Step s shows the assignment of iteration s and its centroids moving from
// the previous positions (t from 0 to 1).
type Game struct {
	mu      sync.Mutex
	a       *Anim
	colors  []color.RGBA
	step    int
	t       float64
	playing bool
	dirty   bool
	bounds  [4]float64 // min x, min y, max x, max y of points and centroids
	frame   int
	size    [2]int
}

const framesPerStep = 36

// Update advances the animation (ebiten calls it 30 times a second, see main).
func (g *Game) Update() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.a == nil || !g.playing {
		return nil
	}
	g.t += 1.0 / framesPerStep
	if g.t >= 1 {
		g.t = 0
		if g.step+1 < len(g.a.Steps) {
			g.step++
		} else {
			g.t, g.playing = 1, false
			notify(g)
		}
		notify(g)
	}
	g.dirty = true
	return nil
}

// Draw draws the points, coloured by their current cluster, and the (interpolated) centroids.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, h := screen.Bounds().Dx(), screen.Bounds().Dy()
	g.frame++
	if !g.dirty && g.size == [2]int{w, h} && g.frame%30 != 0 {
		return // the screen keeps its last frame (SetScreenClearedEveryFrame(false))
	}
	g.dirty, g.size = false, [2]int{w, h}
	screen.Fill(color.RGBA{250, 250, 247, 255})
	vector.DrawFilledRect(screen, 0, 0, float32(w), 20*float32(ebiten.Monitor().DeviceScaleFactor()), color.RGBA{43, 49, 56, 255}, false)
	if g.a == nil || len(g.a.Steps) == 0 {
		ebitenutil.DebugPrintAt(screen, "waiting for a layer…", 10, 10)
		return
	}
	s := ebiten.Monitor().DeviceScaleFactor()
	pad := 24 * s
	bx0, by0, bx1, by1 := g.bounds[0], g.bounds[1], g.bounds[2], g.bounds[3]
	scale := math.Min((float64(w)-2*pad)/math.Max(bx1-bx0, 1e-12), (float64(h)-2*pad-14*s)/math.Max(by1-by0, 1e-12))
	px := func(x, y float64) (float32, float32) {
		return float32(pad + (x-bx0)*scale), float32(pad + 14*s + (by1-y)*scale)
	}
	st := g.a.Steps[g.step]
	n := len(g.a.Points) / 2
	r := float32(math.Max(2.5, math.Min(6, 300/math.Sqrt(float64(n)+1)/4)) * s)
	red := color.RGBA{227, 0, 15, 255}
	for i := range n {
		x, y := px(g.a.Points[2*i], g.a.Points[2*i+1])
		c := color.RGBA{150, 150, 150, 255}
		if g.step > 0 && i < len(st.Labels) {
			c = g.color(st.Labels[i])
		}
		vector.DrawFilledCircle(screen, x, y, r, c, true)
		if i < len(g.a.Removed) && g.a.Removed[i] && g.step == len(g.a.Steps)-1 {
			vector.StrokeCircle(screen, x, y, r+2*float32(s), 1.5*float32(s), red, true)
		}
	}
	prev := g.a.Steps[max(g.step-1, 0)].Centroids
	k := len(st.Centroids) / 2
	t := g.t
	if !g.playing {
		t = 1
	}
	for j := range k {
		cx := st.Centroids[2*j]
		cy := st.Centroids[2*j+1]
		if g.step > 0 && 2*j+1 < len(prev) {
			cx = prev[2*j] + (cx-prev[2*j])*t
			cy = prev[2*j+1] + (cy-prev[2*j+1])*t
		}
		x, y := px(cx, cy)
		d := 7 * float32(s)
		vector.StrokeLine(screen, x-d, y-d, x+d, y+d, 5*float32(s), color.Black, true)
		vector.StrokeLine(screen, x-d, y+d, x+d, y-d, 5*float32(s), color.Black, true)
		vector.StrokeLine(screen, x-d, y-d, x+d, y+d, 2.5*float32(s), g.color(j), true)
		vector.StrokeLine(screen, x-d, y+d, x+d, y-d, 2.5*float32(s), g.color(j), true)
	}
	label := "k-means++ seeding"
	if g.step > 0 {
		label = fmt.Sprintf("iteration %d of %d   inertia %.4g", g.step, len(g.a.Steps)-1, st.Inertia)
	}
	ebitenutil.DebugPrintAt(screen, g.a.Title+"   "+label, 6, 4)
}

// Layout uses the iframe's size in device pixels, so that the drawing is sharp.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(outsideWidth) * s), int(float64(outsideHeight) * s)
}

func (g *Game) color(j int) color.RGBA {
	if j >= 0 && j < len(g.colors) {
		return g.colors[j]
	}
	return color.RGBA{90, 90, 90, 255}
}

func (g *Game) set(a *Anim) {
	g.a = a
	g.colors = g.colors[:0]
	for _, c := range a.Colors {
		g.colors = append(g.colors, parseHex(c))
	}
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	grow := func(x, y float64) {
		b[0], b[1], b[2], b[3] = math.Min(b[0], x), math.Min(b[1], y), math.Max(b[2], x), math.Max(b[3], y)
	}
	for i := 0; i+1 < len(a.Points); i += 2 {
		grow(a.Points[i], a.Points[i+1])
	}
	for _, st := range a.Steps {
		for i := 0; i+1 < len(st.Centroids); i += 2 {
			grow(st.Centroids[i], st.Centroids[i+1])
		}
	}
	if math.IsInf(b[0], 0) {
		b = [4]float64{-1, -1, 1, 1}
	}
	g.bounds = b
	g.step, g.t, g.playing = 0, 0, len(a.Steps) > 1
	g.dirty = true
}

func (g *Game) command(cmd string) {
	if g.a == nil {
		return
	}
	last := len(g.a.Steps) - 1
	switch cmd {
	case "play":
		if g.step >= last {
			g.step, g.t = 0, 0
		}
		g.playing = true
	case "pause":
		g.playing = false
	case "step":
		g.playing = false
		g.step, g.t = min(g.step+1, last), 1
	case "back":
		g.playing = false
		g.step, g.t = max(g.step-1, 0), 1
	case "restart":
		g.step, g.t, g.playing = 0, 0, true
	case "end":
		g.step, g.t, g.playing = last, 1, false
	}
	g.dirty = true
}

// notify tells the page where the animation is (g.mu held).
func notify(g *Game) {
	steps := 0
	if g.a != nil {
		steps = len(g.a.Steps)
	}
	b, _ := json.Marshal(map[string]any{"animState": map[string]any{"step": g.step, "steps": steps, "playing": g.playing}})
	parent := js.Global().Get("parent")
	if parent.Truthy() {
		parent.Call("postMessage", string(b), js.Global().Get("location").Get("origin"))
	}
}

func parseHex(s string) color.RGBA {
	if len(s) == 7 && s[0] == '#' {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
		}
	}
	return color.RGBA{90, 90, 90, 255}
}

func main() {
	g := &Game{dirty: true}
	origin := js.Global().Get("location").Get("origin").String()
	js.Global().Call("addEventListener", "message", js.FuncOf(func(this js.Value, args []js.Value) any {
		ev := args[0]
		if ev.Get("origin").String() != origin || ev.Get("data").Type() != js.TypeString {
			return nil
		}
		var m struct {
			Anim *Anim  `json:"anim"`
			Cmd  string `json:"cmd"`
		}
		if json.Unmarshal([]byte(ev.Get("data").String()), &m) != nil {
			return nil
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if m.Anim != nil {
			g.set(m.Anim)
		}
		if m.Cmd != "" {
			g.command(m.Cmd)
		}
		notify(g)
		return nil
	}))
	ebiten.SetTPS(30)
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetWindowTitle("K-Means iterations")
	if parent := js.Global().Get("parent"); parent.Truthy() {
		parent.Call("postMessage", `{"animReady":true}`, origin)
	}
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("warn", "anim: "+err.Error())
	}
}
