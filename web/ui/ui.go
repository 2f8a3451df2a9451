// Package ui is the demo page's look: one vugu component per view (the .vugu files, generated
// into *_gen.go by vugugen), each showing part of a page.Page (web/page, where the page's logic
// lives) and each drawn again only when its own inputs change (Memo, keyed by page.Versions).
package ui

import (
	"github.com/vugu/vugu"

	"github.com/resnet20-pruning/resnet20-pruning/web/page"
)

// App is the page's root component: the fixed layout with a Memo per view.
type App struct {
	P *page.Page

	// Decode turns an uploaded file (a browser File) into 3×32×32 planar RGB bytes and calls done
	// later, on the page's event loop, with them or a message (wasm/app).
	Decode func(file any, done func(pixels []byte, msg string))

	header, notices, controls, filters, kmeans, diagram, acc, table, charts, samples *Memo
}

// NewApp returns the page's root component for p.
func NewApp(p *page.Page) *App {
	a := &App{P: p}
	v := &p.V
	memo := func(view vugu.Builder, key func() any) *Memo { return &Memo{View: view, Key: key} }
	a.header = memo(&Header{P: p}, func() any { return [2]int{v.Acc, v.Controls} })
	a.notices = memo(&Notices{P: p}, func() any { return v.Notices })
	a.controls = memo(&Controls{P: p}, func() any { return v.Controls })
	a.filters = memo(&Filters{P: p}, func() any { return v.Grid })
	a.kmeans = memo(&Kmeans{P: p}, func() any { return v.KMeans })
	a.diagram = memo(&Diagram{P: p}, func() any { return v.Diagram })
	a.acc = memo(&Accuracy{P: p}, func() any { return v.Acc })
	a.table = memo(&Layers{P: p}, func() any { return v.Table })
	a.charts = memo(&Charts{P: p}, func() any { return v.Charts })
	a.samples = memo(&Samples{App: a, P: p}, func() any { return v.Samples })
	return a
}

// The views. Each shows one part of P; their markup is in the .vugu file of the same name.

// Header is the title, the accuracy at a glance and "Copy link".
type Header struct{ P *page.Page }

// Notices are what the link got wrong and the last worker error.
type Notices struct{ P *page.Page }

// Controls are the settings and the command line of the run.
type Controls struct{ P *page.Page }

// Filters is the filter grid and the centroid row of the layer shown.
type Filters struct{ P *page.Page }

// Kmeans holds the K-Means animation's iframe (wasm/app puts it in) and its buttons.
type Kmeans struct{ P *page.Page }

// Diagram is the block diagram of the layer's residual block.
type Diagram struct{ P *page.Page }

// Accuracy is the accuracy card.
type Accuracy struct{ P *page.Page }

// Layers is the per-layer table.
type Layers struct{ P *page.Page }

// Charts are the sweep's charts with this page's point.
type Charts struct{ P *page.Page }

// Samples are the test images with both networks' answers and the upload.
type Samples struct {
	App *App
	P   *page.Page
}
