package page

import (
	"fmt"
	"math"
	"strconv"

	"github.com/resnet20-pruning/resnet20-pruning/web/viz"
)

// Small formatting helpers of root.vugu.

// AppClass hides the explanatory texts' space when explain=false.
func (c *Page) AppClass() string {
	if !c.S.Explain {
		return "app no-explain"
	}
	return "app"
}

// SeedText is the seed input's value: what the user is typing (which may be empty or not yet a
// number) until the setting changes some other way. vugu sets the property on every render, so it
// must not overwrite the text being typed.
func (c *Page) SeedText() string {
	if c.seedTyped != "" {
		if v, err := strconv.ParseUint(c.seedTyped, 10, 64); err != nil || v == c.S.Seed {
			return c.seedTyped
		}
	}
	return strconv.FormatUint(c.S.Seed, 10)
}

// DiagramViewBox is the SVG's viewBox.
func (c *Page) DiagramViewBox() string {
	if c.Diagram == nil {
		return "0 0 10 10"
	}
	return fmt.Sprintf("0 0 %.0f %.0f", c.Diagram.Width, c.Diagram.Height)
}

// DiagramStyle lets the SVG grow to its natural width (viz.Diagram.Width) at most: it shrinks on
// narrow screens, a small block is not blown up on wide ones.
func (c *Page) DiagramStyle() string {
	if c.Diagram == nil {
		return ""
	}
	return fmt.Sprintf("max-width: %.0fpx", c.Diagram.Width)
}

// DiagramLabel describes the diagram for screen readers.
func (c *Page) DiagramLabel() string {
	if c.Diagram == nil {
		return ""
	}
	return fmt.Sprintf("block %s: %d channels removed, %d kept", c.DiagramBlock(), c.Diagram.Removed, c.Diagram.Kept)
}

// Dash is a line's stroke-dasharray.
func (c *Page) Dash(d bool) string {
	if d {
		return "3 3"
	}
	return "none"
}

// Bold is a text's font-weight.
func (c *Page) Bold(b bool) string {
	if b {
		return "bold"
	}
	return "normal"
}

// EvalFraction is the evaluation's progress, 0…1.
func (c *Page) EvalFraction() string {
	if c.Cur == nil || c.Cur.Count == 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(c.Cur.Done)/float64(c.Cur.Count), 'f', 3, 64)
}

// RowClass marks the table's changed, selected and total rows.
func (c *Page) RowClass(r TableRow) string {
	cls := ""
	if r.Changed {
		cls += " changed"
	}
	if r.Selected {
		cls += " selected"
	}
	if r.Total {
		cls += " total"
	}
	return cls
}

// SampleTitle is a sample's tooltip.
func (c *Page) SampleTitle(s Sample) string {
	return fmt.Sprintf("test image %d, a %s: original says %s, pruned says %s", s.Index, s.Label, s.OrigPred, s.PrunPred)
}

// PredText shows both answers compactly.
func (c *Page) PredText(s Sample) string {
	if s.OrigPred == s.PrunPred {
		return s.PrunPred
	}
	return s.OrigPred + " → " + s.PrunPred
}

// CountText is "correct/evaluated" of the pruned network.
func (c *Page) CountText() string {
	if c.Cur == nil {
		return ""
	}
	return fmt.Sprintf("%d/%d", c.Cur.Correct, c.Cur.Done)
}

// FinishedText is "true" once the pruned network's evaluation of the current settings is complete.
func (c *Page) FinishedText() string {
	return strconv.FormatBool(c.Cur != nil && c.Cur.Finished && c.Cur.Gen == c.gen)
}

// TogglePlay plays or pauses the animation.
func (c *Page) TogglePlay() {
	if c.animPlaying {
		c.AnimCmd("pause")
	} else {
		c.AnimCmd("play")
	}
}

// PlayLabel is the play/pause button's label.
func (c *Page) PlayLabel() string {
	if c.animPlaying {
		return "❚❚ pause"
	}
	return "▶ play"
}

// GridClass sizes the heatmaps: smaller tiles for the 64-filter layers.
func (c *Page) GridClass(base string) string {
	if c.View != nil && c.View.Cout > 32 {
		return base + " many"
	}
	return base
}

// Charts are accuracy, evaluation time and parameters vs the ratio from the CLI's sweep, with this
// page's settings ringed and its own measurement marked.
func (c *Page) Charts() []viz.Chart {
	if c.Sweep == nil || len(c.Sweep.Rows) == 0 {
		return nil
	}
	name := c.S.Variant.Name()
	var out []viz.Chart
	for i, q := range viz.Quantities {
		live := math.NaN()
		switch i {
		case 0:
			if c.Cur != nil && c.Cur.Finished && c.Cur.Gen == c.gen {
				live, _, _ = c.Cur.Accuracy()
			}
		case 2:
			if p := c.Pruned; p != nil && p.Gen == c.gen && len(p.Layers) > 0 {
				live = float64(p.Layers[len(p.Layers)-1].Params) / 1000
			}
		}
		out = append(out, viz.SweepChart(c.Sweep, q, int(c.S.Method), name, c.S.Ratio, live))
	}
	return out
}

// FinetuneCharts is the fine-tuning chart of the CLI's sweep, if it has curves (zero or one chart).
func (c *Page) FinetuneCharts() []viz.Chart {
	if c.Sweep == nil {
		return nil
	}
	if ch := viz.FinetuneChart(c.Sweep, int(c.S.Method), c.S.Ratio); ch != nil {
		return []viz.Chart{*ch}
	}
	return nil
}

// ViewBox is an SVG viewBox for w × h.
func (c *Page) ViewBox(w, h float64) string { return fmt.Sprintf("0 0 %.0f %.0f", w, h) }

// DotClass marks the live point.
func (c *Page) DotClass(d viz.Dot) string {
	if d.Live {
		return "dot live"
	}
	return "dot"
}

// ChartLegend is the legend shared by the charts.
func (c *Page) ChartLegend() []viz.Legend {
	ch := c.Charts()
	if len(ch) == 0 {
		return nil
	}
	return ch[0].Legend
}

// SwatchStyle draws a legend entry's line.
func (c *Page) SwatchStyle(l viz.Legend) string {
	style := "solid"
	if l.Dash {
		style = "dashed"
	}
	return "border-top: 3px " + style + " " + l.Color
}

// NoSweepText explains a missing sweep.
func (c *Page) NoSweepText() string {
	if c.SweepError != "" {
		return c.SweepError
	}
	return "No sweep is committed yet: run resnetprune sweep --out assets and rebuild the site to see both methods across ratios here."
}

// EvalMs is the pruned network's evaluation time so far, from posting the jobs to the last batch.
func (c *Page) EvalMs() string {
	if c.Cur == nil {
		return ""
	}
	return strconv.FormatFloat(c.Cur.Elapsed, 'f', 0, 64)
}

// ViewName is the layer the filter grid shows (the one asked for until its view arrives).
func (c *Page) ViewName() string {
	if c.View != nil {
		return c.View.Name
	}
	return c.S.Layer
}
