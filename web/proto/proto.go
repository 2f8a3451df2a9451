// Package proto is the message protocol between the demo's page (wasm/app) and its Web Workers
// (wasm/worker). Every message is a JS object {op, json, bin}: op names it, json is the JSON of
// the struct below, bin (optional) is an array of Uint8Array payloads (weights, sample pack,
// serialised networks, pixels).
package proto

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
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
	Arch  string     `json:"arch"`
	Convs []ConvInfo `json:"convs"`
	Test  int        `json:"test"`
	Train int        `json:"train"`
	Ms    float64    `json:"ms"`   // the init job
	Boot  float64    `json:"boot"` // from receiving the module to the Go program's main
}

// Error reports a failure (of job Gen, or of the worker when Gen is 0).
type Error struct {
	Gen int    `json:"gen"`
	Op  string `json:"op"`
	Msg string `json:"msg"`
}

// Layer answers OpLayer; the view's bulky parts travel as bin (LayerView.Payload).
type Layer struct {
	Gen  int        `json:"gen"`
	View *LayerView `json:"view"`
	Ms   float64    `json:"ms"`
}

// Pruned answers OpPrune; bin[0] is the pruned network (safetensors).
type Pruned struct {
	Gen    int             `json:"gen"`
	Notes  []string        `json:"notes"`
	Layers []LayerRow      `json:"layers"`
	Orig   []LayerRow      `json:"orig"`
	Blocks []BlockDiagram  `json:"blocks"`
	Repair json.RawMessage `json:"repair,omitempty"`
	Ms     float64         `json:"ms"`
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

// ConvInfo places a convolution in the network.
type ConvInfo struct {
	Name  string `json:"name"`
	Index int    `json:"index"` // in Net.Convs()
	Block int    `json:"block"` // residual block, -1 for the stem
	Role  string `json:"role"`  // stem, conv1, conv2 or shortcut
	Cin   int    `json:"cin"`
	Cout  int    `json:"cout"`
	K     int    `json:"k"`
}

// LayerView is what the filter grid and the cluster view show for one convolution.
type LayerView struct {
	ConvInfo
	W []float32 `json:"-"` // the original filters, Cout×Cin×K×K (PyTorch layout); bin[0]

	// Clustered: the run's method clusters this layer. Otherwise the clustering is computed the same
	// way (same k, same per-layer seed) as an illustration only, and Note says so.
	Clustered bool      `json:"clustered"`
	Unchanged bool      `json:"unchanged"` // the ratio leaves k ≥ N: no clustering
	Kernels   bool      `json:"kernels"`   // points are single K×K kernels (method 1 kernel clustering)
	N         int       `json:"n"`
	D         int       `json:"d"`
	Clusters  int       `json:"clusters"`
	Labels    []int     `json:"labels"` // cluster of each point (filter, or kernel)
	Centroids []float32 `json:"-"`      // Clusters×D, in the original space; bin[1]
	Kept      []int     `json:"kept"`   // method 2 conv1: the original filter kept for each surviving channel
	Hash      string    `json:"hash"`   // kmeans.Hash of the clustering (as in the CLI's JSON)
	Note      string    `json:"note"`

	// The K-Means iterations of the winning restart on a 2-D PCA projection of the points. They
	// travel as the animation's JSON {"points":…,"steps":…} (Anim, bin[2]), which the page hands to
	// the animation without decoding it.
	Points2  []float64 `json:"-"` // N×2
	Steps    []Step2   `json:"-"`
	Anim     []byte    `json:"-"`
	Explain2 float64   `json:"explained2"`   // share of the points' variance the two components keep
	AnimSame bool      `json:"anim_matches"` // the animated run ends in the clustering the pruning used
}

// Step2 is one Lloyd iteration projected on two components.
type Step2 struct {
	Labels     []int     `json:"labels"`
	Centroids2 []float64 `json:"centroids2"` // Clusters×2
	Inertia    float64   `json:"inertia"`
}

// BlockDiagram is one residual block's conv1 → bn1 → conv2 path: the C filters of conv1, their
// C bn1 entries and the C input channels of conv2 (channel i of each is the same channel).
type BlockDiagram struct {
	Block  string `json:"block"`
	Index  int    `json:"index"`
	C      int    `json:"c"`      // conv1 filters in the original network
	Method int    `json:"method"` // 1 or 2
	// Labels is the cluster of each conv1 filter (nil when the layer was not clustered).
	Labels []int `json:"labels"`
	// Removed marks the conv1 filters (and with them the bn1 entries and conv2 input channels) that
	// the pruned network no longer has (method 2).
	Removed []bool `json:"removed"`
	// Rep is, for method 2, the kept filter of each surviving channel; for method 1 nil.
	Rep []int `json:"rep"`
	// Conv2Labels is method 1's clustering of conv2's filters (which share centroids).
	Conv2Labels []int `json:"conv2_labels"`
	Clusters    int   `json:"clusters"`
	Unchanged   bool  `json:"unchanged"`
}

// RemovedCount is the number of removed channels.
func (b *BlockDiagram) RemovedCount() int {
	n := 0
	for _, r := range b.Removed {
		if r {
			n++
		}
	}
	return n
}

// LayerRow is one row of the per-layer accounting: prune.Layer's JSON (core/prune/report.go).
type LayerRow struct {
	Name      string  `json:"name"`
	Pruned    bool    `json:"pruned"`
	Unchanged bool    `json:"unchanged"`
	Cin       int     `json:"cin"`
	Cout      int     `json:"cout"`
	Original  int     `json:"original"`
	Clusters  int     `json:"clusters"`
	Filters   int     `json:"filters"`
	Weights   int     `json:"weights"`
	Params    int     `json:"params"`
	MACs      int     `json:"macs"`
	Bytes     int     `json:"bytes"`
	Hash      string  `json:"labels_hash,omitempty"`
	Iter      int     `json:"kmeans_iter,omitempty"`
	Inertia   float64 `json:"inertia,omitempty"`
	// MsPerImage is the layer's measured time, when timed.
	MsPerImage float64 `json:"ms_per_image,omitempty"`
}

// Payload returns the bin of v's Layer message: W, Centroids (float32, little-endian) and the
// animation's JSON.
func (v *LayerView) Payload() ([][]byte, error) {
	anim, err := json.Marshal(struct {
		Points []float64 `json:"points"`
		Steps  []Step2   `json:"steps"`
	}{v.Points2, v.Steps})
	if err != nil {
		return nil, err
	}
	return [][]byte{f32Bytes(v.W), f32Bytes(v.Centroids), anim}, nil
}

// SetPayload reads bin (Payload's) into v.W, v.Centroids and v.Anim.
func (v *LayerView) SetPayload(bin [][]byte) error {
	if len(bin) != 3 || len(bin[0])%4 != 0 || len(bin[1])%4 != 0 {
		return fmt.Errorf("layer view: bad payload")
	}
	v.W, v.Centroids, v.Anim = bytesF32(bin[0]), bytesF32(bin[1]), bin[2]
	return nil
}

func f32Bytes(x []float32) []byte {
	b := make([]byte, 4*len(x))
	for i, f := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

func bytesF32(b []byte) []float32 {
	x := make([]float32, len(b)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x
}
