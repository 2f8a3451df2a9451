// Package proto is the message protocol between the demo's page (wasm/app) and its Web Workers
// (wasm/worker). Every message is a JS object {op, json, bin}: op names it, json is the JSON of
// the struct below, bin (optional) is an array of Uint8Array payloads (weights, sample pack,
// serialised networks, pixels).
package proto

import (
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/repair"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
)

// Operations.
const (
	OpModule   = "module"   // page → worker: the compiled worker.wasm (handled by worker.js)
	OpInit     = "init"     // page → worker: bin = weights, test pack, train pack
	OpReady    = "ready"    // worker → page: Ready
	OpError    = "error"    // worker → page: Error
	OpCancel   = "cancel"   // page → worker: Job (gen only): abandon every job older than gen
	OpLayer    = "layer"    // page → worker: Job; worker → page: Layer
	OpPrune    = "prune"    // page → worker: Job; worker → page: Pruned (bin = the pruned network)
	OpEval     = "eval"     // page → worker: Job (bin = the network unless Net is "orig")
	OpProgress = "progress" // worker → page: Progress
	OpEvalDone = "evaldone" // worker → page: Progress (the last one of a job)
	OpClassify = "classify" // page → worker: Job (bin = 3×32×32 planar RGB bytes); worker → page: Classified
	OpTiming   = "timing"   // page → worker: Job; worker → page: Timing
)

// Job is a request. Gen is the page's run generation: a newer one cancels older jobs.
type Job struct {
	Gen   int    `json:"gen"`
	Hash  string `json:"hash,omitempty"`  // the run's settings (state.Parse)
	Layer string `json:"layer,omitempty"` // OpLayer: the layer to describe
	Net   string `json:"net,omitempty"`   // OpEval: "orig" or "pruned"
	Start int    `json:"start"`           // OpEval: first test image
	Count int    `json:"count"`           // OpEval: images
	NInit int    `json:"ninit,omitempty"` // K-Means restarts (0 = the study's 10)
}

// Ready answers OpInit.
type Ready struct {
	Arch  string          `json:"arch"`
	Convs []demo.ConvInfo `json:"convs"`
	Test  int             `json:"test"`
	Train int             `json:"train"`
	Ms    float64         `json:"ms"`
}

// Error reports a failure (of job Gen, or of the worker when Gen is 0).
type Error struct {
	Gen int    `json:"gen"`
	Op  string `json:"op"`
	Msg string `json:"msg"`
}

// Layer answers OpLayer.
type Layer struct {
	Gen  int             `json:"gen"`
	View *demo.LayerView `json:"view"`
	Ms   float64         `json:"ms"`
}

// Pruned answers OpPrune; bin[0] is the pruned network (safetensors).
type Pruned struct {
	Gen    int                 `json:"gen"`
	Notes  []string            `json:"notes"`
	Layers []prune.Layer       `json:"layers"`
	Orig   []prune.Layer       `json:"orig"`
	Blocks []demo.BlockDiagram `json:"blocks"`
	Repair *repair.Stats       `json:"repair,omitempty"`
	Ms     float64             `json:"ms"`
}

// Progress reports one batch of an evaluation: predictions and logits of images First….
type Progress struct {
	Gen    int       `json:"gen"`
	Net    string    `json:"net"`
	First  int       `json:"first"`
	Preds  []int     `json:"preds"`
	Logits []float32 `json:"logits"`
	Ms     float64   `json:"ms"` // worker time of the job so far
	Done   int       `json:"done"`
}

// Classified answers OpClassify: both networks' logits.
type Classified struct {
	Gen    int       `json:"gen"`
	Orig   []float32 `json:"orig"`
	Pruned []float32 `json:"pruned"`
}

// Timing answers OpTiming: milliseconds per image of each convolution, original and pruned.
type Timing struct {
	Gen    int                `json:"gen"`
	Orig   map[string]float64 `json:"orig"`
	Pruned map[string]float64 `json:"pruned"`
}
