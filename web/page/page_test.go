package page

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
	"github.com/resnet20-pruning/resnet20-pruning/web/viz"
)

// fakeHost records what the page asks of the browser.
type fakeHost struct {
	workers int
	posts   []post
	hash    string
	anims   []string
	now     float64
	later   []func()
	restart []int
	train   int
}

type post struct {
	w   int
	op  string
	job proto.Job
	bin int
}

func (h *fakeHost) Workers() int { return h.workers }
func (h *fakeHost) Post(w int, m proto.Message) {
	var j proto.Job
	if err := m.Decode(&j); err != nil {
		panic(err)
	}
	h.posts = append(h.posts, post{w, m.Op, j, len(m.Bin)})
}
func (h *fakeHost) ImageURL(bmp []byte) string {
	return "data:image/bmp;base64," + base64.StdEncoding.EncodeToString(bmp)
}
func (h *fakeHost) RevokeURL(string)                  {}
func (h *fakeHost) NeedTrain()                        { h.train++ }
func (h *fakeHost) Restart(w int)                     { h.restart = append(h.restart, w) }
func (h *fakeHost) SetHash(s string)                  { h.hash = s }
func (h *fakeHost) BaseURL() string                   { return "http://127.0.0.1:8080/" }
func (h *fakeHost) Copy(text string, done func(bool)) { done(true) }
func (h *fakeHost) PostAnim(msg string)               { h.anims = append(h.anims, msg) }
func (h *fakeHost) Now() float64                      { h.now += 10; return h.now }
func (h *fakeHost) Mark(string)                       {}
func (h *fakeHost) Note(string, float64)              {}
func (h *fakeHost) After(ms int, f func())            { h.later = append(h.later, f) }
func (h *fakeHost) ops(op string) (n int) {
	for _, p := range h.posts {
		if p.op == op {
			n++
		}
	}
	return n
}

// pack returns n fake CIFAR records whose labels are i%10.
func pack(n int) []byte {
	b := make([]byte, n*3073)
	for i := range n {
		b[i*3073] = byte(i % 10)
	}
	return b
}

func newRoot(t *testing.T, hash string) (*Page, *fakeHost) {
	h := &fakeHost{workers: 4}
	c := New(h, hash)
	c.SetTestPack(pack(1000))
	convs := []proto.ConvInfo{{Name: "conv1", Role: "stem", Block: -1, Cin: 3, Cout: 16, K: 3}, {Name: "layer1.conv1", Index: 1, Role: "conv1", Cin: 16, Cout: 16, K: 3}}
	for w := range 4 {
		r := proto.Ready{Arch: "B", Convs: convs, Test: 1000, Train: 512}
		if w == viewWorker {
			r.Test, r.Train = 0, 0
		}
		if _, err := c.OnMessage(w, proto.Encode(proto.OpReady, r, nil)); err != nil {
			t.Fatal(err)
		}
	}
	return c, h
}

func TestRunFlow(t *testing.T) {
	c, h := newRoot(t, "#method=2&ratio=0.5&seed=1&limit=200")
	if !c.Ready || c.TestN != 1000 {
		t.Fatalf("ready %v, %d test images", c.Ready, c.TestN)
	}
	if h.ops(proto.OpLayer) != 1 {
		t.Fatalf("%d layer jobs", h.ops(proto.OpLayer))
	}
	// The address's run is pruned at once; a later setting only after the debounce (below).
	if h.ops(proto.OpPrune) != 1 || len(h.later) != 0 {
		t.Fatalf("%d prune jobs, %d delayed: want the first run's posted at once", h.ops(proto.OpPrune), len(h.later))
	}
	gen := c.gen
	pr := proto.Pruned{Gen: gen, Blocks: []proto.BlockDiagram{{Block: "layer1", C: 4, Method: 2, Labels: []int{0, 1, 0, 1}, Removed: []bool{false, false, true, true}, Rep: []int{0, 1}, Clusters: 2}},
		Layers: []proto.LayerRow{{Name: "layer1.conv1", Cout: 2}, {Name: "total", Params: 10}}, Orig: []proto.LayerRow{{Name: "layer1.conv1", Cout: 4}, {Name: "total", Params: 20}}}
	if _, err := c.OnMessage(1, proto.Encode(proto.OpPrune, pr, [][]byte{[]byte("net")})); err != nil {
		t.Fatal(err)
	}
	if c.Diagram == nil || c.Diagram.Removed != 2 {
		t.Fatalf("diagram %+v", c.Diagram)
	}
	// 200 images split among the two evaluating workers, batch-aligned: 112 + 88.
	var evals []post
	for _, p := range h.posts {
		if p.op == proto.OpEval {
			evals = append(evals, p)
		}
	}
	if len(evals) != 2 || evals[0].job.Count != 112 || evals[1].job.Start != 112 || evals[1].job.Count != 88 || evals[0].bin != 1 {
		t.Fatalf("eval jobs %+v", evals)
	}
	// Progress: all predictions "label 0": 20 of 200 correct.
	for _, e := range evals {
		for first := e.job.Start; first < e.job.Start+e.job.Count; first += 16 {
			n := min(16, e.job.Start+e.job.Count-first)
			p := proto.Progress{Gen: gen, Net: "pruned", First: first, Preds: make([]int, n), Logits: make([]float32, 10*n)}
			if _, err := c.OnMessage(e.w, proto.Encode(proto.OpProgress, p, nil)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.CountText() != "20/200" || c.FinishedText() != "true" {
		t.Fatalf("count %s finished %s", c.CountText(), c.FinishedText())
	}
	if h.ops(proto.OpTiming) != 1 || c.Orig == nil {
		t.Fatal("no timing or baseline evaluation after the run")
	}
	// A stale generation's progress is ignored; a new setting cancels.
	c.S.Ratio = 0.3
	c.apply(true)
	if c.gen != gen+1 || h.ops(proto.OpCancel) < 4 || !strings.Contains(h.hash, "ratio=0.3") {
		t.Fatalf("gen %d, %d cancels, hash %s", c.gen, h.ops(proto.OpCancel), h.hash)
	}
	old := proto.Progress{Gen: gen, Net: "pruned", First: 0, Preds: []int{0}, Logits: make([]float32, 10)}
	if changed, err := c.OnMessage(1, proto.Encode(proto.OpProgress, old, nil)); changed || err != nil || c.Cur != nil {
		t.Fatalf("stale progress: changed %v, err %v, current run %v", changed, err, c.Cur)
	}
}

func TestLayerChangeOnlyAsksTheViewWorker(t *testing.T) {
	c, h := newRoot(t, "")
	n, cancels := len(h.posts), h.ops(proto.OpCancel)
	c.S.Layer = "conv1"
	c.apply(true)
	if len(h.posts) != n+1 || h.posts[n].op != proto.OpLayer || h.posts[n].w != viewWorker {
		t.Fatalf("posts after a layer change: %+v", h.posts[n:])
	}
	if h.ops(proto.OpCancel) != cancels {
		t.Fatal("a layer change cancelled the run")
	}
}

func TestUnknownLayerFallsBack(t *testing.T) {
	c, _ := newRoot(t, "#layer=layer3.2.conv1")
	if c.S.Layer != "layer1.conv1" || len(c.Problems) != 1 {
		t.Fatalf("layer %s, problems %v", c.S.Layer, c.Problems)
	}
}

func TestViewCells(t *testing.T) {
	c, h := newRoot(t, "#method=2")
	v := &proto.LayerView{ConvInfo: proto.ConvInfo{Name: "layer1.conv1", Role: "conv1", Cin: 2, Cout: 4, K: 3}, W: make([]float32, 4*18),
		Clustered: true, Clusters: 2, Labels: []int{0, 1, 0, 1}, Centroids: make([]float32, 2*18), Kept: []int{0, 1},
		Points2: make([]float64, 8), Steps: []proto.Step2{{Labels: []int{0, 1, 0, 1}, Centroids2: make([]float64, 4)}}}
	bin, err := v.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpLayer, proto.Layer{Gen: c.viewSeq, View: v}, bin)); err != nil {
		t.Fatal(err)
	}
	if len(c.Filters) != 4 || len(c.Centroids) != 2 {
		t.Fatalf("%d filters, %d centroids", len(c.Filters), len(c.Centroids))
	}
	removed := 0
	for _, f := range c.Filters {
		if strings.Contains(f.Class, "removed") {
			removed++
		}
		if !strings.HasPrefix(f.Src, "data:image/bmp;base64,Qk") {
			t.Fatal("heatmap is not a BMP data URL")
		}
	}
	if removed != 2 || len(h.anims) == 0 {
		t.Fatalf("%d removed, %d animation messages", removed, len(h.anims))
	}
	var a struct {
		Anim struct {
			Title  string        `json:"title"`
			Points []float64     `json:"points"`
			Steps  []proto.Step2 `json:"steps"`
			Colors []string      `json:"colors"`
		} `json:"anim"`
	}
	if err := json.Unmarshal([]byte(h.anims[len(h.anims)-1]), &a); err != nil || len(a.Anim.Points) != 8 || len(a.Anim.Steps) != 1 || len(a.Anim.Colors) != 2 || a.Anim.Title == "" {
		t.Fatalf("animation message %s: %v", h.anims[len(h.anims)-1], err)
	}
}

func TestLayerPending(t *testing.T) {
	c, h := newRoot(t, "#method=2")
	if !c.LayerPending() {
		t.Fatal("the address's layer job is unanswered but not pending")
	}
	v := &proto.LayerView{ConvInfo: proto.ConvInfo{Name: "layer1.conv1", Role: "conv1", Cin: 2, Cout: 4, K: 3}, W: make([]float32, 4*18),
		Clustered: true, Clusters: 2, Labels: []int{0, 1, 0, 1}, Centroids: make([]float32, 2*18), Kept: []int{0, 1},
		Points2: make([]float64, 8), Steps: []proto.Step2{{Labels: []int{0, 1, 0, 1}, Centroids2: make([]float64, 4)}}}
	bin, err := v.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpLayer, proto.Layer{Gen: c.viewSeq, View: v}, bin)); err != nil {
		t.Fatal(err)
	}
	if c.LayerPending() {
		t.Fatal("pending after its answer")
	}
	c.S.Layer = "conv1"
	c.apply(true)
	if !c.LayerPending() {
		t.Fatal("a new layer's job is not pending")
	}
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpError, proto.Error{Gen: c.viewSeq, Op: proto.OpLayer, Msg: "x"}, nil)); err != nil {
		t.Fatal(err)
	}
	if c.LayerPending() {
		t.Fatal("pending after its error")
	}
	c.S.Layer = "layer1.conv1"
	c.apply(true)
	h.now += layerHoldMs
	if c.LayerPending() {
		t.Fatalf("still pending %d ms after it was posted", layerHoldMs)
	}
}

func TestHashIsTheStateDeclaration(t *testing.T) {
	c, _ := newRoot(t, "#ratio_hide=true&explain=false")
	if !c.Hidden("ratio") || c.S.Explain {
		t.Fatal("hide/explain not read")
	}
	def := state.Default()
	if c.S.Spec != def.Spec {
		t.Fatal("spec changed")
	}
	c2, _ := newRoot(t, "#<script>=1&method=9")
	if len(c2.Problems) != 2 {
		t.Fatalf("problems %v", c2.Problems)
	}
}

func TestStalePruningRestartsThePruneWorker(t *testing.T) {
	c, h := newRoot(t, "#method=2&ratio=0.5")
	if h.ops(proto.OpPrune) != 1 || h.posts[len(h.posts)-1].w != pruneWorker {
		t.Fatal("no prune job on the prune worker")
	}
	// A new setting while it prunes: the worker is replaced, the new pruning posted after the delay.
	c.S.Ratio = 0.3
	c.apply(true)
	if len(h.restart) != 1 || h.restart[0] != pruneWorker {
		t.Fatalf("restarts %v", h.restart)
	}
	if h.ops(proto.OpPrune) != 1 || len(h.later) != 1 {
		t.Fatalf("%d prune jobs, %d delayed: want the new setting's after the delay", h.ops(proto.OpPrune), len(h.later))
	}
	h.later[len(h.later)-1]()
	pr := proto.Pruned{Gen: c.gen, Layers: []proto.LayerRow{{Name: "total"}}, Orig: []proto.LayerRow{{Name: "total"}}}
	if _, err := c.OnMessage(pruneWorker, proto.Encode(proto.OpPrune, pr, [][]byte{[]byte("net")})); err != nil {
		t.Fatal(err)
	}
	// Idle again: the next setting does not restart it.
	c.S.Ratio = 0.4
	c.apply(true)
	if len(h.restart) != 1 {
		t.Fatalf("restarted an idle worker: %v", h.restart)
	}
}

func TestLoaderAskedLayer(t *testing.T) {
	h := &fakeHost{workers: 4}
	c := New(h, "#layer=layer1.conv1")
	c.SetTestPack(pack(10))
	c.LoaderAskedLayer()
	r := proto.Ready{Arch: "B", Convs: []proto.ConvInfo{{Name: "conv1", Role: "stem"}, {Name: "layer1.conv1", Role: "conv1"}}}
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpReady, r, nil)); err != nil {
		t.Fatal(err)
	}
	if h.ops(proto.OpLayer) != 0 {
		t.Fatal("the page asked again for the layer the loader asked for")
	}
}

// A progress message redraws the accuracy card only (and the sample tiles when it is about
// them); a layer view redraws the filter grid only.
func TestProgressTouchesOnlyTheAccuracyCard(t *testing.T) {
	c, _ := newRoot(t, "#method=2&ratio=0.5&seed=1&limit=200")
	pr := proto.Pruned{Gen: c.gen, Layers: []proto.LayerRow{{Name: "total"}}, Orig: []proto.LayerRow{{Name: "total"}}}
	if _, err := c.OnMessage(pruneWorker, proto.Encode(proto.OpPrune, pr, [][]byte{[]byte("net")})); err != nil {
		t.Fatal(err)
	}
	progress := func(first int) Versions {
		before := c.V
		p := proto.Progress{Gen: c.gen, Net: "pruned", First: first, Preds: make([]int, 16), Logits: make([]float32, 160)}
		if _, err := c.OnMessage(2, proto.Encode(proto.OpProgress, p, nil)); err != nil {
			t.Fatal(err)
		}
		return before
	}
	before := progress(112)
	want := before
	want.Acc = c.V.Acc
	if c.V != want || c.V.Acc == before.Acc {
		t.Fatalf("progress on images 112…127 changed %+v → %+v; want only Acc", before, c.V)
	}
	before = progress(0)
	want = before
	want.Acc, want.Samples = c.V.Acc, c.V.Samples
	if c.V != want || c.V.Samples == before.Samples {
		t.Fatalf("progress on images 0…15 changed %+v → %+v; want Acc and Samples", before, c.V)
	}
	before = c.V
	v := &proto.LayerView{ConvInfo: proto.ConvInfo{Name: "layer1.conv1", Role: "conv1", Cin: 1, Cout: 2, K: 3}, W: make([]float32, 18), Clusters: 1, Labels: []int{0, 0}, Centroids: make([]float32, 9)}
	bin, _ := v.Payload()
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpLayer, proto.Layer{Gen: c.viewSeq, View: v}, bin)); err != nil {
		t.Fatal(err)
	}
	want = before
	want.Grid = c.V.Grid
	if c.V != want || c.V.Grid == before.Grid {
		t.Fatalf("a layer view changed %+v → %+v; want only Grid", before, c.V)
	}
}

// The manifest's baseline is shown before the workers measure the original network, then their
// measurement; a disagreement is reported.
func TestBaseline(t *testing.T) {
	c, _ := newRoot(t, "#limit=1000")
	c.WeightsName = "weights/resnet20.safetensors"
	c.Baseline = &Baseline{Correct: 913, Total: 1000, Weights: "weights/resnet20.safetensors"}
	if got := c.OrigOnRange(); got != "91.3%" {
		t.Fatalf("before the live run: %q", got)
	}
	c.SetLimit("200")
	if got := c.OrigOnRange(); got != "…" {
		t.Fatalf("the baseline of 1000 images shown for 200: %q", got)
	}
	c.SetLimit("1000")
	c.Orig = &EvalRun{Count: 1000, Preds: make([]int, 1000)} // every answer "airplane": 100 correct
	if got := c.OrigOnRange(); got != "10.0%" {
		t.Fatalf("live: %q", got)
	}
	if !strings.Contains(c.BaselineCheck(), "100/1000") {
		t.Fatalf("mismatch not reported: %q", c.BaselineCheck())
	}
	c.Baseline.Correct = 100
	if c.BaselineCheck() != "" {
		t.Fatalf("agreement reported as %q", c.BaselineCheck())
	}
	c.Baseline.Weights = "other.safetensors"
	c.Orig = nil
	if got := c.OrigOnRange(); got != "…" {
		t.Fatalf("another file's baseline shown: %q", got)
	}
}

// The toggles walk core/variant's table: every step has a control; turned on, each shows in the
// link and the command line; turning a step off turns off the steps that require it, and
// switching the method turns off the steps it does not allow.
func TestTogglesWalkTheStepTable(t *testing.T) {
	c, _ := newRoot(t, "#method=2")
	have := map[string]bool{}
	for _, tg := range Toggles {
		have[tg.Key] = true
	}
	for _, ch := range Choices {
		have[ch.Key] = true
	}
	for i := range variant.Steps {
		if !have[variant.Steps[i].Key] {
			t.Errorf("step %s has no control", variant.Steps[i].Key)
		}
	}
	for _, tg := range Toggles[1:] {
		if c.Disabled(tg.Key) {
			continue
		}
		c.Toggle(tg.Key)
		st, _ := variant.Lookup(tg.Key)
		if !c.On(tg.Key) || strings.Contains(c.S.Hash(), "&"+tg.Key+"="+st.Default()+"&") {
			t.Fatalf("%s: on %v, hash %s", tg.Key, c.On(tg.Key), c.S.Hash())
		}
		if !strings.Contains(c.CLI(), c.S.Variant.Name()) {
			t.Fatalf("%s: command line %s lacks %s", tg.Key, c.CLI(), c.S.Variant.Name())
		}
	}
	if !c.On("select") || !c.On("short") || c.On("kernels") {
		t.Fatalf("method 2, all allowed steps on: %s", c.S.Variant.Name())
	}
	c.Toggle("comp")
	if c.On("short") || c.On("relu") || !c.On("fc") {
		t.Fatalf("comp off left %s", c.S.Variant.Name())
	}
	c.SetMethod(1)
	if c.On("select") || !c.On("refit") {
		t.Fatalf("method 1 left %s", c.S.Variant.Name())
	}
	if err := c.S.Validate(); err != nil {
		t.Fatal(err)
	}
}

// The K-Means view has a still picture of the last iteration as soon as a layer view arrives;
// the animation replaces it once it runs.
func TestKMeansStill(t *testing.T) {
	c, _ := newRoot(t, "#method=2&ratio=0.5&seed=1&limit=200")
	v := &proto.LayerView{ConvInfo: proto.ConvInfo{Name: "layer1.conv1", Role: "conv1", Cin: 1, Cout: 3, K: 3}, W: make([]float32, 27),
		N: 3, D: 9, Clusters: 2, Labels: []int{0, 1, 0}, Centroids: make([]float32, 18), Kept: []int{0, 1},
		Points2: []float64{0, 0, 1, 1, 0.2, 0}, Steps: []proto.Step2{{Labels: []int{0, 0, 0}, Centroids2: []float64{0, 0, 1, 1}}, {Labels: []int{0, 1, 0}, Centroids2: []float64{0.1, 0, 1, 1}}}}
	bin, _ := v.Payload()
	before := c.V.KMeans
	if _, err := c.OnMessage(viewWorker, proto.Encode(proto.OpLayer, proto.Layer{Gen: c.viewSeq, View: v}, bin)); err != nil {
		t.Fatal(err)
	}
	if c.Scatter == nil || len(c.Scatter.Dots) != 3 || len(c.Scatter.Crosses) != 2 || c.V.KMeans == before {
		t.Fatalf("still %+v, K-Means view version %d → %d", c.Scatter, before, c.V.KMeans)
	}
	if c.Scatter.Dots[1].Fill != viz.ClusterColor(1) || c.Scatter.Dots[2].Stroke != viz.RemovedColor() {
		t.Errorf("the last iteration's labels and method 2's removed filter are not drawn: %+v", c.Scatter.Dots)
	}
	before = c.V.KMeans
	c.AnimReady()
	if !c.AnimOn || c.V.KMeans == before {
		t.Fatal("the animation's start does not redraw the K-Means view")
	}
}
