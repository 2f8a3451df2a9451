package page

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
	"github.com/resnet20-pruning/resnet20-pruning/web/viz"
)

// ClassNames are CIFAR-10's classes, by label.
var ClassNames = [10]string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// runDelayMs is how long the settings must rest before the network is pruned again.
const runDelayMs = 400

// SampleCount is the number of test images in the sample grid.
const SampleCount = 24

// Page is the page. Its fields are what root.vugu shows; the host (host.go) connects it to the
// browser: URL hash, workers, clipboard, the animation iframe.
type Page struct {
	S        state.State
	Problems []string // what the URL hash had wrong (shown as a notice, as text)
	Error    string   // the last worker error

	// Model and data, once the workers are ready.
	Ready       bool
	Arch        string
	Convs       []proto.ConvInfo
	TestN       int
	TrainN      int
	WeightsName string
	testPack    []byte // raw CIFAR records of the pack (labels and thumbnails)

	seedTyped string // the seed input's text while it is being typed
	viewReady bool   // the view worker answered init
	gen       int    // run generation: a new run cancels the workers' older jobs
	pruneBusy int    // generation of the prune worker's job in flight (0 = idle)
	runKey    string // state.RunKey of the current run

	// The layer view (filter grid, cluster view).
	View        *proto.LayerView
	Filters     []Cell
	Centroids   []Cell
	LayerMs     float64
	heatmaps    map[string][]string // image URLs (ImageURL) of each layer's filters
	layerPosted string
	viewRatio   string // the ratio the view was computed for

	// The pruned network and its evaluation.
	Pruned      *proto.Pruned
	Diagram     *viz.Diagram
	Table       []TableRow
	netBytes    []byte
	Timing      *proto.Timing
	Cur         *EvalRun // the pruned network on the state's images
	Orig        *EvalRun // the original network on the whole pack (baseline, predictions)
	Samples     []Sample
	Selected    int // sample shown in detail (-1 = none)
	Upload      *Upload
	Copied      string
	AnimState   string
	animPlaying bool
	// Scatter is the K-Means view's still picture (the last iteration, as SVG), shown until the
	// ebiten animation runs (AnimOn).
	Scatter *viz.Scatter
	AnimOn  bool

	Sweep      *viz.Sweep // the CLI's sweep (assets/sweep.json), if the site has one
	SweepError string

	Baseline *Baseline // the original network's accuracy that make site measured (manifest.json)
	V        Versions  // what changed: each view is rebuilt only when its number moves

	host       Host
	evalMarked bool    // the first finished evaluation is marked in rpTimings (evalDone)
	viewSeq    int     // numbers the view worker's layer jobs (a newer one makes older ones stale)
	viewShown  int     // the newest layer job whose answer (or error) arrived
	viewAsked  float64 // when the newest layer job was posted (host.Now)
}

// New returns the page of the settings in hash, talking to the browser through h.
func New(h Host, hash string) *Page {
	c := &Page{Selected: -1, host: h}
	c.LoadHash(hash)
	return c
}

// SetTestPack gives the page the sample pack's test images (raw CIFAR-10 records: labels and
// thumbnails); it may grow as the pack's parts arrive.
func (c *Page) SetTestPack(pack []byte) {
	c.testPack = pack
	c.TestN = max(c.TestN, len(pack)/3073)
	c.refreshSamples()
	c.V.Acc++
	c.V.Controls++
}

// SetSweep installs the CLI's sweep (assets/sweep.json) for the charts, or the reason it is not usable.
func (c *Page) SetSweep(data []byte) {
	if s, err := viz.ParseSweep(data); err == nil {
		c.Sweep = s
	} else {
		c.SweepError = "assets/sweep.json: " + err.Error()
	}
	c.V.Charts++
}

// Versions count the changes of each view's inputs. A view (web/ui) draws itself again only when
// its number has moved since it was last drawn; everything that changes a view's inputs bumps it.
type Versions struct {
	Notices, Controls, Grid, KMeans, Diagram, Table, Acc, Charts, Samples int
}

// all bumps every view (a new hash can change anything, explain=false every text).
func (v *Versions) all() {
	v.Notices++
	v.Controls++
	v.Grid++
	v.KMeans++
	v.Diagram++
	v.Table++
	v.Acc++
	v.Charts++
	v.Samples++
}

// Baseline is the original network's accuracy on the first Total test images, computed natively
// by make site for the shipped weights (manifest.json's "baseline"); shown from the first render
// and confirmed by the workers' own evaluation.
type Baseline struct {
	Correct int    `json:"correct"`
	Total   int    `json:"total"`
	Weights string `json:"weights"`
}

// Cell is one heatmap of the filter grid or of the centroid row.
type Cell struct {
	Src, Border, Title, Class, Caption string
}

// TableRow is one row of the per-layer table.
type TableRow struct {
	Name, Channels, Weights, MACs, Ms string
	Changed, Total, Selected          bool
}

// Sample is one image of the sample grid.
type Sample struct {
	Index              int
	Src, Label         string
	OrigPred, PrunPred string
	Disagree, Wrong    bool
	Pending            bool
}

// Upload is the user's own picture and both networks' answers.
type Upload struct {
	Src, Error  string
	Orig, Prune []Guess
	pixels      []byte
}

// Guess is one line of a top-5 list.
type Guess struct {
	Class string
	Prob  string
	Width string // CSS width of the probability bar
}

// EvalRun accumulates one evaluation that the workers stream in.
type EvalRun struct {
	Gen          int
	Net          string
	Start, Count int
	Preds        []int // -1 until known
	Logits       []float32
	Done         int
	Correct      int
	Began        float64 // host time (ms) when the jobs were posted
	Elapsed      float64 // ms until the last batch arrived
	Finished     bool
}

// Accuracy returns the percentage of correct predictions so far and its 95% Wilson interval.
func (e *EvalRun) Accuracy() (acc, lo, hi float64) {
	if e == nil || e.Done == 0 {
		return 0, 0, 100
	}
	acc = 100 * float64(e.Correct) / float64(e.Done)
	lo, hi = wilson(e.Correct, e.Done)
	return acc, lo, hi
}

// ImagesPerSecond is the throughput of all workers together, as the page sees it.
func (e *EvalRun) ImagesPerSecond() float64 {
	if e == nil || e.Elapsed <= 0 {
		return 0
	}
	return float64(e.Done) / (e.Elapsed / 1000)
}

func wilson(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nn := float64(k)/float64(n), float64(n)
	den := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / den
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return 100 * math.Max(0, c-h), 100 * math.Min(1, c+h)
}

// ---- Settings and the URL hash ----

// LoadHash reads the settings from the URL hash (on start and on hashchange).
func (c *Page) LoadHash(h string) {
	st, probs := state.Parse(h)
	c.Problems = c.Problems[:0]
	for _, p := range probs {
		c.Problems = append(c.Problems, p.String())
	}
	c.S = st
	c.seedTyped = ""
	c.V.all()
	c.checkLayer()
	c.apply(false)
}

// checkLayer falls back to the default layer when the model has no layer of that name.
func (c *Page) checkLayer() { c.checkLayerNames() }

func (c *Page) checkLayerNames() {
	if len(c.Convs) == 0 {
		return
	}
	for _, cv := range c.Convs {
		if cv.Name == c.S.Layer {
			return
		}
	}
	def := state.Default().Layer
	if len(c.Convs) > 1 {
		def = c.Convs[1].Name // the first block's conv1, whatever the variant's names
	}
	c.V.Notices++
	c.Problems = append(c.Problems, fmt.Sprintf("layer=%q: this model has no such layer; showing %s", c.S.Layer, def))
	c.S.Layer = def
}

// apply writes the hash (unless it came from it) and starts what the change needs.
func (c *Page) apply(writeHash bool) {
	if writeHash && c.host != nil {
		c.host.SetHash(c.S.Hash())
	}
	// The settings show in the controls (and the command line) and ring the charts' point.
	c.V.Controls++
	c.V.Charts++
	if !c.Ready {
		if c.viewReady {
			c.requestLayer()
		}
		return
	}
	if k := c.S.RunKey(); k != c.runKey {
		c.runKey = k
		c.startRun()
	}
	c.requestLayer()
	c.refreshTable()
	c.refreshDiagram()
}

// Hidden reports whether a control is hidden by NAME_hide=true.
func (c *Page) Hidden(key string) bool { return c.S.Hide[key] }

// Label returns a setting's label (from the one declaration in web/state).
func (c *Page) Label(key string) string {
	f, _ := state.FieldByKey(key)
	return f.Label
}

// Event handlers of the controls. Each changes one setting, then apply.

// SetMethod picks method 1 or 2 and turns off the steps the other method alone allows.
func (c *Page) SetMethod(m int) {
	c.S.Method = variant.Method(m)
	c.clean()
	c.apply(true)
}

// clean turns off every step that the method does not allow or whose required steps are off,
// until none is left (a step can require a step that requires another).
func (c *Page) clean() {
	for changed := true; changed; {
		changed = false
		for i := range variant.Steps {
			st := &variant.Steps[i]
			if st.Enabled(c.S.Variant) && (!st.Allows(c.S.Method) || !requiresOn(st, c.S.Variant)) {
				st.Set(&c.S.Variant, 0)
				changed = true
			}
		}
	}
}

// requiresOn reports whether every step that st requires is on in v.
func requiresOn(st *variant.Step, v variant.Variant) bool {
	for _, r := range st.Requires {
		if req, ok := variant.Lookup(r); !ok || !req.Enabled(v) {
			return false
		}
	}
	return true
}

// SetRatio sets the compression ratio from the slider's text.
func (c *Page) SetRatio(text string) {
	if v, err := strconv.ParseFloat(text, 64); err == nil && v >= 0 && v <= state.MaxRatio {
		c.S.Ratio = math.Round(v*100) / 100
		c.apply(true)
	}
}

// SetSeed takes the seed field's text as it is typed.
func (c *Page) SetSeed(text string) {
	c.seedTyped = strings.TrimSpace(text)
	c.V.Controls++
	if v, err := strconv.ParseUint(c.seedTyped, 10, 64); err == nil && v != c.S.Seed {
		c.S.Seed = v
		c.apply(true)
	}
}

// SetLimit sets the number of evaluated images.
func (c *Page) SetLimit(text string) {
	if v, err := strconv.Atoi(text); err == nil && v >= 1 && c.S.Offset+v <= state.TestImages {
		c.S.Limit = v
		c.apply(true)
	}
}

// SetLayer picks the layer shown.
func (c *Page) SetLayer(name string) {
	c.S.Layer = name
	c.checkLayer()
	c.apply(true)
}

// SetChoice sets a choice step (the representative) from its select's value.
func (c *Page) SetChoice(key, value string) {
	st, ok := variant.Lookup(key)
	if !ok || st.Kind != variant.Choice {
		return
	}
	v := c.S.Variant
	if st.Parse(&v, value) == nil {
		c.S.Variant = v
		c.apply(true)
	}
}

// Toggle is one checkbox of the variant and repairs: "variant" (the study's defects) and every
// on/off, count and dimension step of core/variant's table, in its order.
type Toggle struct{ Key, Help string }

// Choice is one select of the variant: a choice step of the table.
type Choice struct {
	Key, Label, Help string
	Options          []string
}

// Toggles lists the variant and repair toggles in order, with their explanation.
var Toggles, Choices = toggles()

func toggles() ([]Toggle, []Choice) {
	f, _ := state.FieldByKey(state.KeyVariant)
	ts := []Toggle{{state.KeyVariant, f.Help}}
	var cs []Choice
	for i := range variant.Steps {
		st := &variant.Steps[i]
		if st.Kind == variant.Choice {
			cs = append(cs, Choice{st.Key, st.Label, st.Help, st.Choices})
		} else {
			ts = append(ts, Toggle{st.Key, st.Help})
		}
	}
	return ts, cs
}

// Toggle flips a toggle: a count step between off and the calibration images the site ships, a
// dimension step between off and its usual value (pca: 8); steps that need a step turned off go
// off with it.
func (c *Page) Toggle(key string) {
	if key == state.KeyVariant {
		c.S.Variant.Study = !c.S.Variant.Study
		c.apply(true)
		return
	}
	st, ok := variant.Lookup(key)
	if !ok || c.Disabled(key) {
		return
	}
	switch {
	case st.Enabled(c.S.Variant):
		st.Set(&c.S.Variant, 0)
	case st.Kind == variant.Count:
		st.Set(&c.S.Variant, min(state.CalibImages, max(c.TrainN, 1)))
	case st.Kind == variant.Dim:
		st.Set(&c.S.Variant, st.On)
	default:
		st.Set(&c.S.Variant, 1)
	}
	c.clean()
	c.apply(true)
}

// On reports a toggle's state.
func (c *Page) On(key string) bool {
	if key == state.KeyVariant {
		return c.S.Variant.Study
	}
	st, ok := variant.Lookup(key)
	return ok && st.Enabled(c.S.Variant)
}

// Disabled reports toggles that do not apply to the current method or settings: the method does
// not allow the step, a step it requires is off, or it needs calibration images the site lacks.
func (c *Page) Disabled(key string) bool {
	st, ok := variant.Lookup(key)
	if !ok {
		return false
	}
	return !st.Allows(c.S.Method) || !requiresOn(st, c.S.Variant) || st.Kind == variant.Count && c.TrainN == 0
}

// ChoiceValue is a choice step's current value.
func (c *Page) ChoiceValue(key string) string {
	if st, ok := variant.Lookup(key); ok {
		return st.Format(c.S.Variant)
	}
	return ""
}

// RatioText is the slider's value for display.
func (c *Page) RatioText() string { return strconv.FormatFloat(c.S.Ratio, 'f', 2, 64) }

// LimitOptions are the choices of the number of evaluation images.
func (c *Page) LimitOptions() []int {
	opts := []int{100, 200, 500, 1000}
	have := false
	for _, o := range opts {
		have = have || o == c.S.Limit
	}
	if !have {
		opts = append(opts, c.S.Limit)
		sort.Ints(opts)
	}
	out := opts[:0]
	for _, o := range opts {
		if c.S.Offset+o <= max(c.TestN, c.S.Limit) {
			out = append(out, o)
		}
	}
	return out
}

// LayerTitle describes the layer shown.
func (c *Page) LayerTitle(cv proto.ConvInfo) string {
	switch cv.Role {
	case "stem":
		return "stem conv (" + cv.Name + ")"
	case "shortcut":
		return cv.Name + " (1×1 shortcut)"
	}
	return cv.Name
}

// CopyLink copies the page's URL (with the full hash) to the clipboard.
func (c *Page) CopyLink() {
	if c.host == nil {
		return
	}
	link := c.host.BaseURL() + c.S.Hash()
	c.host.Copy(link, func(ok bool) {
		c.V.Controls++
		if ok {
			c.Copied = "Link copied."
		} else {
			c.Copied = "Copy failed: select the address bar and copy it."
		}
	})
}

// CLI is the command that reproduces the run.
func (c *Page) CLI() string { return c.S.CLI(c.weightsArg()) }

func (c *Page) weightsArg() string {
	if c.WeightsName == "" {
		return "W.safetensors"
	}
	w := c.WeightsName
	if i := strings.LastIndex(w, "/"); i >= 0 && !strings.HasPrefix(w, "weights/") {
		w = w[i+1:]
	}
	return w
}

// ---- Views ----

// imageURL returns a short URL of img for an <img src>: vugu sends every attribute again on each
// render, so a data URL's kilobytes per image would cross from Go to JS every time.
func (c *Page) imageURL(img *image.RGBA) string {
	if c.host == nil {
		return viz.DataURL(img)
	}
	return c.host.ImageURL(viz.BMP(img))
}

// setView installs a layer view: heatmaps, centroid row, the animation.
func (c *Page) setView(v *proto.LayerView) {
	c.View = v
	c.viewRatio = c.RatioText()
	c.V.Grid++
	c.Filters = c.Filters[:0]
	for _, cell := range c.Centroids {
		if c.host != nil {
			c.host.RevokeURL(cell.Src)
		}
	}
	c.Centroids = c.Centroids[:0]
	if v == nil {
		return
	}
	scale := viz.MaxAbs(v.W)
	rgb := v.Role == "stem"
	fl := v.Cin * v.K * v.K
	kept := map[int]bool{}
	for _, k := range v.Kept {
		kept[k] = true
	}
	members := map[int]int{}
	if !v.Kernels {
		for _, l := range v.Labels {
			members[l]++
		}
	}
	// A layer's filters do not change with the settings: their heatmaps are drawn once.
	srcs := c.heatmaps[v.Name]
	if len(srcs) != v.Cout {
		srcs = make([]string, v.Cout)
		for f := range v.Cout {
			srcs[f] = c.imageURL(viz.FilterImage(v.W[f*fl:(f+1)*fl], v.Cin, v.K, scale, rgb))
		}
		if c.heatmaps == nil {
			c.heatmaps = map[string][]string{}
		}
		c.heatmaps[v.Name] = srcs
	}
	for f := range v.Cout {
		cell := Cell{Src: srcs[f], Border: "#bbb", Class: "filter", Caption: strconv.Itoa(f)}
		title := fmt.Sprintf("filter %d", f)
		if !v.Kernels && f < len(v.Labels) && !v.Unchanged {
			l := v.Labels[f]
			cell.Border = viz.ClusterColor(l)
			title += fmt.Sprintf(", cluster %d (%d filters)", l, members[l])
		}
		if v.Kept != nil && !kept[f] {
			cell.Border, cell.Class = viz.RemovedColor(), "filter removed"
			title += ": removed"
		} else if v.Kept != nil {
			cell.Class = "filter kept"
			title += ": kept"
		}
		cell.Title = title
		c.Filters = append(c.Filters, cell)
	}
	if !v.Unchanged && len(v.Centroids) > 0 {
		d := len(v.Centroids) / max(v.Clusters, 1)
		for j := range v.Clusters {
			cw := v.Centroids[j*d : (j+1)*d]
			var src string
			if v.Kernels {
				src = c.imageURL(viz.FilterImage(cw, 1, v.K, scale, false))
			} else {
				src = c.imageURL(viz.FilterImage(cw, v.Cin, v.K, scale, rgb))
			}
			c.Centroids = append(c.Centroids, Cell{Src: src, Border: viz.ClusterColor(j), Class: "centroid",
				Title: fmt.Sprintf("centroid of cluster %d (%d members)", j, members[j]), Caption: "c" + strconv.Itoa(j)})
		}
	}
	c.setScatter(v)
	c.sendAnim()
}

// setScatter draws the still picture of v's K-Means (its last iteration) for the K-Means view.
func (c *Page) setScatter(v *proto.LayerView) {
	var a struct {
		Points []float64     `json:"points"`
		Steps  []proto.Step2 `json:"steps"`
	}
	var sc *viz.Scatter
	if json.Unmarshal(v.Anim, &a) == nil && len(a.Steps) > 0 {
		last := a.Steps[len(a.Steps)-1]
		var removed []bool
		if v.Kept != nil && !v.Kernels && len(v.Kept) < v.Cout {
			removed = make([]bool, v.Cout)
			for i := range removed {
				removed[i] = true
			}
			for _, k := range v.Kept {
				removed[k] = false
			}
		}
		sc = viz.KMeansScatter(a.Points, last.Labels, last.Centroids2, removed)
	}
	if (sc != nil || c.Scatter != nil) && !c.AnimOn {
		c.V.KMeans++
	}
	c.Scatter = sc
}

// AnimReady records that the ebiten animation runs: it replaces the still picture.
func (c *Page) AnimReady() {
	if !c.AnimOn {
		c.AnimOn = true
		c.V.KMeans++
	}
}

// sendAnim hands the view's K-Means history to the ebiten iframe.
func (c *Page) sendAnim() {
	v := c.View
	if v == nil || c.host == nil {
		return
	}
	colors := make([]string, v.Clusters)
	for j := range colors {
		colors[j] = viz.ClusterColor(j)
	}
	var removed []bool
	if v.Kept != nil {
		removed = make([]bool, v.Cout)
		for i := range removed {
			removed[i] = true
		}
		for _, k := range v.Kept {
			removed[k] = false
		}
	}
	what := "filters"
	if v.Kernels {
		what = "kernels"
	}
	b, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("%s: %d %s, k=%d", v.Name, v.N, what, v.Clusters),
		"colors": colors, "removed": removed})
	// The worker's {"points":…,"steps":…} goes through as it came: b without its closing brace,
	// then the fragment without its opening one.
	anim := v.Anim
	if len(anim) < 2 {
		anim = []byte("{}")
	}
	sep := ","
	if len(anim) == 2 {
		sep = ""
	}
	c.host.PostAnim(`{"anim":` + string(b[:len(b)-1]) + sep + string(anim[1:]) + "}")
}

// AnimCmd sends play/pause/step/back to the animation.
func (c *Page) AnimCmd(cmd string) {
	if c.host != nil {
		c.host.PostAnim(`{"cmd":"` + cmd + `"}`)
	}
}

// OnAnimState records the animation's position (messages from the iframe).
func (c *Page) OnAnimState(step, steps int, playing bool) {
	c.animPlaying = playing
	c.V.KMeans++
	switch {
	case steps == 0:
		c.AnimState = ""
	case step == 0:
		c.AnimState = fmt.Sprintf("k-means++ seeding (%d iterations follow)", steps-1)
	default:
		c.AnimState = fmt.Sprintf("iteration %d of %d", step, steps-1)
	}
}

// AnimPlaying reports whether the animation runs (for the play/pause button).
func (c *Page) AnimPlaying() bool { return c.animPlaying }

// ViewNote explains what the filter grid shows.
func (c *Page) ViewNote() string {
	v := c.View
	if v == nil {
		return ""
	}
	if v.Note != "" {
		return v.Note
	}
	s := fmt.Sprintf("%d filters of %d×%d×%d clustered into k = int(%d × (1 − %s)) = %d clusters.", v.Cout, v.Cin, v.K, v.K, v.Cout, c.viewRatio, v.Clusters)
	if v.Kernels {
		s = fmt.Sprintf("%d kernels of %d×%d clustered into %d shared patterns.", v.N, v.K, v.K, v.Clusters)
	}
	if v.Kept != nil {
		s += fmt.Sprintf(" Method 2 keeps one filter per cluster: %d removed (red).", v.Cout-len(v.Kept))
	}
	return s
}

// refreshDiagram draws the block of the layer shown.
func (c *Page) refreshDiagram() {
	c.V.Diagram++
	c.Diagram = nil
	if c.Pruned == nil || c.Pruned.Gen != c.gen {
		return
	}
	b := c.blockIndex()
	if b < 0 || b >= len(c.Pruned.Blocks) {
		return
	}
	d := viz.Block(c.Pruned.Blocks[b])
	c.Diagram = &d
}

// blockIndex is the block of the layer shown (the first block for the stem).
func (c *Page) blockIndex() int {
	for _, cv := range c.Convs {
		if cv.Name == c.S.Layer {
			return max(cv.Block, 0)
		}
	}
	return 0
}

// DiagramBlock names the block the diagram shows.
func (c *Page) DiagramBlock() string {
	b := c.blockIndex()
	if c.Pruned != nil && b < len(c.Pruned.Blocks) {
		return c.Pruned.Blocks[b].Block
	}
	return ""
}

// refreshTable builds the per-layer table from the accounting and the timings.
func (c *Page) refreshTable() {
	c.V.Table++
	c.Table = c.Table[:0]
	p := c.Pruned
	if p == nil || p.Gen != c.gen {
		return
	}
	for i, l := range p.Layers {
		if i >= len(p.Orig) {
			break
		}
		o := p.Orig[i]
		r := TableRow{Name: l.Name, Total: l.Name == "total", Selected: l.Name == c.S.Layer}
		if !r.Total {
			r.Channels = arrow(strconv.Itoa(o.Cout), strconv.Itoa(l.Cout))
			if l.Pruned && !l.Unchanged && l.Clusters > 0 && p.Orig[i].Cout == l.Cout {
				r.Channels += fmt.Sprintf(" (%d shared)", l.Filters)
			}
		}
		r.Weights = arrow(compact(o.Weights), compact(l.Weights))
		r.MACs = arrow(compact(o.MACs), compact(l.MACs))
		r.Changed = o.Weights != l.Weights || o.Cout != l.Cout
		if t := c.Timing; t != nil && t.Gen == c.gen {
			if r.Total {
				var so, sp float64
				for _, v := range t.Orig {
					so += v
				}
				for _, v := range t.Pruned {
					sp += v
				}
				r.Ms = arrow(fmt.Sprintf("%.2f", so), fmt.Sprintf("%.2f", sp))
			} else if to, ok := t.Orig[l.Name]; ok {
				r.Ms = arrow(fmt.Sprintf("%.2f", to), fmt.Sprintf("%.2f", t.Pruned[l.Name]))
			}
		}
		c.Table = append(c.Table, r)
	}
}

func arrow(a, b string) string {
	if a == b {
		return a
	}
	return a + " → " + b
}

// compact writes n with k/M suffixes (the per-layer table must fit a projector's width).
func compact(n int) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1_000_000:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	case n >= 1000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return strconv.Itoa(n)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// ---- Accuracy panel ----

// AccText is the pruned network's accuracy with its interval, as it streams in.
func (c *Page) AccText(e *EvalRun) string {
	if e == nil || e.Done == 0 {
		return "…"
	}
	acc, lo, hi := e.Accuracy()
	return fmt.Sprintf("%.1f%%", acc) + fmt.Sprintf(" (95%%: %.1f–%.1f)", lo, hi)
}

// AccShort is just the percentage.
func (c *Page) AccShort(e *EvalRun) string {
	if e == nil || e.Done == 0 {
		return "…"
	}
	acc, _, _ := e.Accuracy()
	return fmt.Sprintf("%.1f%%", acc)
}

// ProgressText counts the evaluated images.
func (c *Page) ProgressText(e *EvalRun) string {
	if e == nil {
		return ""
	}
	return fmt.Sprintf("%d / %d images", e.Done, e.Count)
}

// SpeedText is the throughput.
func (c *Page) SpeedText(e *EvalRun) string {
	if e == nil || e.Done == 0 {
		return "…"
	}
	return fmt.Sprintf("%.0f images/s", e.ImagesPerSecond())
}

// Speedup compares the pruned network's throughput with the original's (same page, same workers).
func (c *Page) Speedup() string {
	if c.Cur == nil || c.Orig == nil || !c.Cur.Finished || !c.Orig.Finished || c.Orig.ImagesPerSecond() == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", c.Cur.ImagesPerSecond()/c.Orig.ImagesPerSecond())
}

// OrigOnRange is the original network's accuracy on the state's images: from the workers'
// evaluation once it covers them, before that from the manifest's baseline (make site's native
// measurement of the shipped weights) when it is about the same images and weights.
func (c *Page) OrigOnRange() string {
	if k, n, ok := c.origLive(); ok {
		return fmt.Sprintf("%.1f%%", 100*float64(k)/float64(n))
	}
	if b := c.baseline(); b != nil {
		return fmt.Sprintf("%.1f%%", 100*float64(b.Correct)/float64(b.Total))
	}
	return "…"
}

// origLive counts the original network's correct answers on the state's images, once all are known.
func (c *Page) origLive() (k, n int, ok bool) {
	if c.Orig == nil {
		return 0, 0, false
	}
	for i := c.S.Offset; i < c.S.Offset+c.S.Limit && i < len(c.Orig.Preds); i++ {
		if c.Orig.Preds[i] < 0 {
			return 0, 0, false
		}
		n++
		if c.Orig.Preds[i] == c.label(i) {
			k++
		}
	}
	return k, n, n > 0
}

// baseline is the manifest's baseline when it applies to the state's images and the weights shown.
func (c *Page) baseline() *Baseline {
	b := c.Baseline
	if b == nil || b.Total <= 0 || c.S.Offset != 0 || c.S.Limit != b.Total || b.Weights != c.WeightsName {
		return nil
	}
	return b
}

// BaselineCheck compares the manifest's baseline with the workers' own measurement: "" until both
// are known or when they agree, else a sentence for the page.
func (c *Page) BaselineCheck() string {
	b := c.baseline()
	k, n, ok := c.origLive()
	if b == nil || !ok || n != b.Total || k == b.Correct {
		return ""
	}
	return fmt.Sprintf("The original network scores %d/%d here, but make site measured %d/%d for these weights: this browser computes differently.", k, n, b.Correct, b.Total)
}

// TotalsText summarises params and MACs before and after.
func (c *Page) TotalsText() string {
	p := c.Pruned
	if p == nil || p.Gen != c.gen || len(p.Layers) == 0 || len(p.Orig) == 0 {
		return ""
	}
	l, o := p.Layers[len(p.Layers)-1], p.Orig[len(p.Orig)-1]
	return fmt.Sprintf("params %s → %s (%.0f%%), MACs %s → %s (%.0f%%)", thousands(o.Params), thousands(l.Params),
		100*float64(l.Params)/float64(o.Params), thousands(o.MACs), thousands(l.MACs), 100*float64(l.MACs)/float64(o.MACs))
}

// Busy reports what is being computed.
func (c *Page) Busy() string {
	switch {
	case !c.Ready:
		return "starting the workers…"
	case c.Pruned == nil || c.Pruned.Gen != c.gen:
		return "clustering every layer and pruning…"
	case c.Cur != nil && !c.Cur.Finished:
		return "evaluating…"
	}
	return ""
}

// ---- Samples ----

func (c *Page) label(i int) int {
	o := i * 3073
	if o < 0 || o >= len(c.testPack) {
		return -1
	}
	return int(c.testPack[o])
}

func (c *Page) pixels(i int) []byte {
	o := i*3073 + 1
	if o < 1 || o+3072 > len(c.testPack) {
		return nil
	}
	return c.testPack[o : o+3072]
}

// refreshSamples fills the sample grid from the current predictions; the samples view is drawn
// again only when a tile changed (most progress messages are about other images).
func (c *Page) refreshSamples() {
	n := min(SampleCount, c.S.Limit)
	if len(c.Samples) != n || (n > 0 && c.Samples[0].Index != c.S.Offset) {
		for _, old := range c.Samples {
			if c.host != nil {
				c.host.RevokeURL(old.Src)
			}
		}
		c.Samples = make([]Sample, n)
		for k := range c.Samples {
			i := c.S.Offset + k
			c.Samples[k] = Sample{Index: i, Src: c.imageURL(viz.Thumbnail(c.pixels(i))), Label: className(c.label(i))}
		}
		c.V.Samples++
	}
	for k := range c.Samples {
		s := &c.Samples[k]
		i := s.Index
		op, pp := -1, -1
		if c.Orig != nil && i < len(c.Orig.Preds) {
			op = c.Orig.Preds[i]
		}
		if c.Cur != nil && c.Cur.Gen == c.gen && i-c.Cur.Start >= 0 && i-c.Cur.Start < len(c.Cur.Preds) {
			pp = c.Cur.Preds[i-c.Cur.Start]
		}
		before := *s
		s.OrigPred, s.PrunPred = className(op), className(pp)
		s.Pending = op < 0 || pp < 0
		s.Disagree = !s.Pending && op != pp
		s.Wrong = pp >= 0 && pp != c.label(i)
		if *s != before {
			c.V.Samples++
		}
	}
}

func className(l int) string {
	if l < 0 || l >= len(ClassNames) {
		return "…"
	}
	return ClassNames[l]
}

// SampleClass is a sample tile's CSS class.
func (c *Page) SampleClass(s Sample) string {
	cls := "sample"
	if s.Disagree {
		cls += " disagree"
	}
	if s.Index == c.Selected {
		cls += " selected"
	}
	return cls
}

// Select shows a sample's top-5 for both networks.
func (c *Page) Select(i int) {
	c.V.Samples++
	if c.Selected == i {
		c.Selected = -1
		return
	}
	c.Selected = i
}

// Top5 returns the top-5 classes of the original ("orig") or pruned network for sample i.
func (c *Page) Top5(net string, i int) []Guess {
	var logits []float32
	switch net {
	case "orig":
		if c.Orig != nil && (i+1)*10 <= len(c.Orig.Logits) && c.Orig.Preds[i] >= 0 {
			logits = c.Orig.Logits[i*10 : (i+1)*10]
		}
	default:
		if e := c.Cur; e != nil {
			k := i - e.Start
			if k >= 0 && (k+1)*10 <= len(e.Logits) && e.Preds[k] >= 0 {
				logits = e.Logits[k*10 : (k+1)*10]
			}
		}
	}
	return top5(logits)
}

func top5(logits []float32) []Guess {
	if len(logits) != 10 {
		return nil
	}
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, float64(v))
	}
	p := make([]float64, 10)
	var s float64
	for i, v := range logits {
		p[i] = math.Exp(float64(v) - m)
		s += p[i]
	}
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	out := make([]Guess, 5)
	for k := range out {
		q := p[idx[k]] / s
		out[k] = Guess{Class: ClassNames[idx[k]], Prob: fmt.Sprintf("%.1f%%", 100*q), Width: fmt.Sprintf("width:%.0f%%", 100*q)}
	}
	return out
}

// SelectedLabel names the selected sample's true class.
func (c *Page) SelectedLabel() string {
	return fmt.Sprintf("test image %d: %s", c.Selected, className(c.label(c.Selected)))
}

// Uploaded classifies the user's picture (3×32×32 planar RGB bytes, decoded by the browser) with
// both networks, or shows why it could not be decoded (msg).
func (c *Page) Uploaded(pixels []byte, msg string) {
	c.V.Samples++
	if msg != "" {
		c.Upload = &Upload{Error: msg}
		return
	}
	c.Upload = &Upload{Src: c.imageURL(viz.Thumbnail(pixels)), pixels: pixels}
	c.classifyUpload()
}

// layerHoldMs bounds how long LayerPending holds progress redraws back for one layer job.
const layerHoldMs = 1000

// LayerPending reports whether the newest layer job (a slider step, a new layer) is still
// unanswered, for at most layerHoldMs after it was posted: the host then holds progress redraws
// back, so that the filter grid is not drawn behind a render of the accuracy card.
func (c *Page) LayerPending() bool {
	return c.viewShown != c.viewSeq && c.host.Now()-c.viewAsked < layerHoldMs
}
