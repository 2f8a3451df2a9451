package viz

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Sweep is the part of `resnetprune sweep`'s sweep.json (cmd/resnetprune/sweep.go) the charts use.
type Sweep struct {
	Images   int             `json:"images"`
	Baseline SweepRow        `json:"baseline"`
	Rows     []SweepRow      `json:"rows"`
	Finetune []FinetuneCurve `json:"finetune"`
}

// FinetuneCurve is one pruned model's accuracy over its fine-tuning epochs (sweep --finetune).
type FinetuneCurve struct {
	Method   int       `json:"method"`
	Ratio    float64   `json:"ratio"`
	Variant  string    `json:"variant"`
	LR       float64   `json:"lr"`
	Schedule string    `json:"schedule"`
	Accuracy []float64 `json:"accuracy"` // [0] pruned and repaired, [e] after epoch e
}

// SweepRow is one (method, ratio, variant) of a sweep.
type SweepRow struct {
	Method   int     `json:"method"`
	Ratio    float64 `json:"ratio"`
	Variant  string  `json:"variant"`
	Accuracy float64 `json:"accuracy"`
	Images   int     `json:"images"`
	Seconds  float64 `json:"seconds"`
	Params   int     `json:"params"`
	Link     string  `json:"link"`
}

// ParseSweep reads sweep.json.
func ParseSweep(b []byte) (*Sweep, error) {
	var s Sweep
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if len(s.Rows) == 0 && len(s.Finetune) == 0 {
		return nil, fmt.Errorf("sweep.json has no rows and no fine-tuning curves")
	}
	return &s, nil
}

// Chart is a small SVG line chart in its own coordinates (Width × Height).
type Chart struct {
	Title         string
	Width, Height float64
	Paths         []Path
	Dots          []Dot
	Ticks         []Text
	Grid          []Line
	Legend        []Legend
}

// Path is one series.
type Path struct {
	D, Stroke string
	Dash      bool
}

// Dot is a marked point; Live is the page's own run.
type Dot struct {
	X, Y, R      float64
	Fill, Stroke string
	Title        string
	Live         bool
}

// Legend is one entry of the legend.
type Legend struct {
	Name, Color string
	Dash        bool
}

// Quantity picks what a chart plots from a sweep row.
type Quantity struct {
	Title string
	Of    func(r SweepRow) float64
	Fmt   func(v float64) string
}

// Quantities are the three charts: accuracy, evaluation time and parameters vs compression.
var Quantities = []Quantity{
	{"accuracy (%)", func(r SweepRow) float64 { return r.Accuracy }, func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }},
	{"evaluation ms / image (CLI, native)", func(r SweepRow) float64 {
		if r.Images == 0 {
			return 0
		}
		return 1000 * r.Seconds / float64(r.Images)
	}, func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }},
	{"parameters (k)", func(r SweepRow) float64 { return float64(r.Params) / 1000 }, func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }},
}

// SeriesColor is the colour of a (method, variant) line: method 1 blues and greens, method 2
// purples and browns; never red.
func SeriesColor(method, i int) string {
	m1 := []string{"#1f5fa8", "#2a9d8f", "#6aa84f", "#4f81bd", "#17becf", "#7f9c2b"}
	m2 := []string{"#7b3294", "#b35806", "#8c6d31", "#c51b7d", "#5e3c99", "#a6761d"}
	if method == 2 {
		return m2[i%len(m2)]
	}
	return m1[i%len(m1)]
}

// SweepChart draws quantity q against the ratio, one line per (method, variant); the row of the
// page's settings (method, variant name, ratio) gets a ring, and live (if not NaN) is the page's own
// measurement at that ratio, drawn as a filled marker.
func SweepChart(s *Sweep, q Quantity, method int, variant string, ratio, live float64) Chart {
	const W, H, left, right, top, bottom = 300.0, 190.0, 38.0, 8.0, 20.0, 26.0
	c := Chart{Title: q.Title, Width: W, Height: H}
	type key struct {
		m int
		v string
	}
	series := map[key][]SweepRow{}
	var keys []key
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, r := range s.Rows {
		k := key{r.Method, r.Variant}
		if _, ok := series[k]; !ok {
			keys = append(keys, k)
		}
		series[k] = append(series[k], r)
		v := q.Of(r)
		ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
	}
	if !math.IsNaN(live) {
		ymin, ymax = math.Min(ymin, live), math.Max(ymax, live)
	}
	if base := q.Of(s.Baseline); base > 0 {
		ymin, ymax = math.Min(ymin, base), math.Max(ymax, base)
	}
	if ymin == ymax {
		ymin, ymax = ymin-1, ymax+1
	}
	pad := (ymax - ymin) * 0.06
	ymin, ymax = ymin-pad, ymax+pad
	if ymin < 0 && q.Of(s.Baseline) >= 0 {
		ymin = math.Min(0, ymin+pad)
	}
	x := func(r float64) float64 { return left + (W-left-right)*r/0.9 }
	y := func(v float64) float64 { return top + (H-top-bottom)*(1-(v-ymin)/(ymax-ymin)) }
	for i := range 5 {
		v := ymin + (ymax-ymin)*float64(i)/4
		c.Grid = append(c.Grid, Line{X1: left, Y1: y(v), X2: W - right, Y2: y(v), Stroke: "#e4e4e4", Width: 1})
		c.Ticks = append(c.Ticks, Text{X: left - 4, Y: y(v) + 4, S: q.Fmt(v), Anchor: "end"})
	}
	for _, r := range []float64{0, 0.3, 0.6, 0.9} {
		c.Ticks = append(c.Ticks, Text{X: x(r), Y: H - bottom + 14, S: strconv.FormatFloat(r, 'f', 1, 64), Anchor: "middle"})
	}
	if base := q.Of(s.Baseline); base > 0 {
		c.Paths = append(c.Paths, Path{D: fmt.Sprintf("M%.1f %.1fH%.1f", left, y(base), W-right), Stroke: "#999", Dash: true})
	}
	sort.SliceStable(keys, func(a, b int) bool {
		if keys[a].m != keys[b].m {
			return keys[a].m < keys[b].m
		}
		return false
	})
	perMethod := map[int]int{}
	for _, k := range keys {
		rows := series[k]
		sort.Slice(rows, func(a, b int) bool { return rows[a].Ratio < rows[b].Ratio })
		col := SeriesColor(k.m, perMethod[k.m])
		perMethod[k.m]++
		var d strings.Builder
		for i, r := range rows {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f", cmd, x(r.Ratio), y(q.Of(r)))
			if r.Method == method && r.Variant == variant && math.Abs(r.Ratio-ratio) < 1e-9 {
				c.Dots = append(c.Dots, Dot{X: x(r.Ratio), Y: y(q.Of(r)), R: 6, Fill: "none", Stroke: "#000",
					Title: fmt.Sprintf("the CLI's sweep for these settings: %s", q.Fmt(q.Of(r)))})
			}
		}
		c.Paths = append(c.Paths, Path{D: d.String(), Stroke: col, Dash: k.m == 2})
		c.Legend = append(c.Legend, Legend{Name: fmt.Sprintf("m%d %s", k.m, k.v), Color: col, Dash: k.m == 2})
	}
	if !math.IsNaN(live) {
		c.Dots = append(c.Dots, Dot{X: x(ratio), Y: y(live), R: 4.5, Fill: "#000", Stroke: "#fff", Live: true,
			Title: fmt.Sprintf("this page's run: %s", q.Fmt(live))})
	}
	return c
}

// FinetuneChart draws accuracy against the fine-tuning epoch, one line per curve of s (nil when s
// has none); the curve of the page's method and ratio ends in a ring.
func FinetuneChart(s *Sweep, method int, ratio float64) *Chart {
	if len(s.Finetune) == 0 {
		return nil
	}
	const W, H, left, right, top, bottom = 300.0, 190.0, 38.0, 8.0, 20.0, 26.0
	c := &Chart{Title: "accuracy (%) while fine-tuning, by epoch", Width: W, Height: H}
	epochs := 1
	for _, f := range s.Finetune {
		epochs = max(epochs, len(f.Accuracy)-1)
	}
	x := func(e int) float64 { return left + (W-left-right)*float64(e)/float64(epochs) }
	y := func(v float64) float64 { return top + (H-top-bottom)*(1-v/100) }
	for i := range 5 {
		v := 25 * float64(i)
		c.Grid = append(c.Grid, Line{X1: left, Y1: y(v), X2: W - right, Y2: y(v), Stroke: "#e4e4e4", Width: 1})
		c.Ticks = append(c.Ticks, Text{X: left - 4, Y: y(v) + 4, S: strconv.Itoa(int(v)), Anchor: "end"})
	}
	for e := 0; e <= epochs; e += max(1, epochs/5) {
		c.Ticks = append(c.Ticks, Text{X: x(e), Y: H - bottom + 14, S: strconv.Itoa(e), Anchor: "middle"})
	}
	if base := s.Baseline.Accuracy; base > 0 {
		c.Paths = append(c.Paths, Path{D: fmt.Sprintf("M%.1f %.1fH%.1f", left, y(base), W-right), Stroke: "#999", Dash: true})
	}
	perMethod := map[int]int{}
	for _, f := range s.Finetune {
		col := SeriesColor(f.Method, perMethod[f.Method])
		perMethod[f.Method]++
		var d strings.Builder
		for e, acc := range f.Accuracy {
			cmd := "L"
			if e == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f", cmd, x(e), y(acc))
		}
		c.Paths = append(c.Paths, Path{D: d.String(), Stroke: col, Dash: f.Method == 2})
		name := fmt.Sprintf("m%d r=%g", f.Method, f.Ratio)
		c.Legend = append(c.Legend, Legend{Name: name, Color: col, Dash: f.Method == 2})
		if n := len(f.Accuracy); n > 0 && f.Method == method && math.Abs(f.Ratio-ratio) < 1e-9 {
			c.Dots = append(c.Dots, Dot{X: x(n - 1), Y: y(f.Accuracy[n-1]), R: 6, Fill: "none", Stroke: "#000",
				Title: fmt.Sprintf("%s after %d epochs (lr %g %s, from %s): %.1f%%", name, n-1, f.LR, f.Schedule, f.Variant, f.Accuracy[n-1])})
		}
	}
	return c
}
