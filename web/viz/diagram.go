package viz

import (
	"fmt"
	"slices"

	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

// removedColor is the red of everything pruning removed: conv1 filters, their bn1 entries and
// conv2's input channels in the block diagram (class "removed"), and removed filters' borders in
// the filter grid. Cluster colours (ClusterColor) never use red.
const removedColor = "#e3000f"

// RemovedColor returns removedColor (for the page's legend and the filter grid).
func RemovedColor() string { return removedColor }

// unclusteredColor fills channels of a layer that was not clustered (the ratio left it as it was).
const unclusteredColor = "#9aa5b1"

// Rect, Line and Text are SVG shapes in the diagram's coordinates.
type Rect struct {
	X, Y, W, H    float64
	Fill, Stroke  string
	StrokeW       float64
	Class, Title  string
	Channel, Clus int
}

// Line is an SVG line.
type Line struct {
	X1, Y1, X2, Y2 float64
	Stroke         string
	Width          float64
	Dash           bool
}

// Text is an SVG text.
type Text struct {
	X, Y   float64
	S      string
	Anchor string
	Bold   bool
}

// Diagram is a block's conv1 → bn1 → conv2 picture, as in the study's figure: one cell per
// channel in each of the three rows, channels grouped by conv1 cluster, removed ones in red.
type Diagram struct {
	Width, Height float64
	Rects         []Rect
	Lines         []Line
	Texts         []Text
	Removed, Kept int
}

// Diagram geometry.
const (
	diagramWidth    = 940.0 // the most a diagram takes
	minDiagramWidth = 460.0 // room for the summary line under the channels
	labelWidth      = 150.0
	rowGap          = 38.0
)

// Block draws d.
func Block(d proto.BlockDiagram) Diagram {
	c := d.C
	order := channelOrder(d.Labels, c)
	pos := make([]int, c)
	for p, ch := range order {
		pos[ch] = p
	}
	cell := min(22.0, (diagramWidth-labelWidth-10)/float64(max(c, 1)))
	size := cell * 0.82
	x0 := labelWidth
	rowsY := [3]float64{24, 24 + rowGap + size, 24 + 2*(rowGap+size)}
	// As wide as its channels need (and its summary line), so that a narrow screen scales a
	// 16-channel block less than a 64-channel one.
	out := Diagram{Width: max(x0+float64(c)*cell+10, minDiagramWidth), Height: rowsY[2] + size + 34}
	members := map[int][]int{}
	for ch := range c {
		if d.Labels != nil {
			members[d.Labels[ch]] = append(members[d.Labels[ch]], ch)
		}
	}
	kept := c
	for _, r := range d.Removed {
		if r {
			kept--
		}
	}
	out.Kept, out.Removed = kept, c-kept
	out.Texts = append(out.Texts,
		Text{X: 0, Y: rowsY[0] + size*0.75, S: fmt.Sprintf("%s.conv1 filters", d.Block), Bold: true},
		Text{X: 0, Y: rowsY[1] + size*0.75, S: "bn1 entries"},
		Text{X: 0, Y: rowsY[2] + size*0.75, S: "conv2 input channels"})
	isRep := map[int]bool{}
	for _, r := range d.Rep {
		isRep[r] = true
	}
	for ch := range c {
		x := x0 + float64(pos[ch])*cell
		removed := d.Removed[ch]
		fill, cls, clus := unclusteredColor, "kept", -1
		if d.Labels != nil {
			clus = d.Labels[ch]
			fill = ClusterColor(clus)
		}
		title := fmt.Sprintf("channel %d", ch)
		if clus >= 0 {
			title += fmt.Sprintf(", cluster %d of %d (%d filters)", clus, d.Clusters, len(members[clus]))
		}
		stroke, sw := "#333", 0.6
		if removed {
			fill, cls = removedColor, "removed"
			title += ": removed"
			if d.Method == 2 {
				title += fmt.Sprintf(" (its cluster keeps channel %d)", repOf(d, clus, members))
			}
		} else if d.Method == 2 && isRep[ch] {
			title += ": kept, stands for its cluster"
			stroke, sw = "#000", 1.6
		}
		for row, kind := range []string{"filter", "bn", "chan"} {
			out.Rects = append(out.Rects, Rect{X: x, Y: rowsY[row], W: size, H: size, Fill: fill, Stroke: stroke, StrokeW: sw,
				Class: kind + " " + cls, Title: title, Channel: ch, Clus: clus})
		}
		for row := range 2 {
			l := Line{X1: x + size/2, Y1: rowsY[row] + size, X2: x + size/2, Y2: rowsY[row+1], Stroke: "#777", Width: 1}
			if removed {
				l.Stroke, l.Dash = removedColor, true
			}
			out.Lines = append(out.Lines, l)
		}
	}
	// Clusters: a bracket under the conv1 row spanning each cluster's (contiguous) channels. In
	// method 1 they share one centroid filter; in method 2 one of them survives.
	if d.Labels != nil {
		ids := make([]int, 0, len(members))
		for j := range members {
			ids = append(ids, j)
		}
		slices.Sort(ids)
		for _, j := range ids {
			m := members[j]
			lo, hi := pos[m[0]], pos[m[0]]
			for _, ch := range m {
				lo, hi = min(lo, pos[ch]), max(hi, pos[ch])
			}
			y := rowsY[0] + size + 4
			out.Lines = append(out.Lines, Line{X1: x0 + float64(lo)*cell, Y1: y, X2: x0 + float64(hi)*cell + size, Y2: y, Stroke: ClusterColor(j), Width: 3})
		}
	}
	summary := fmt.Sprintf("%d of %d channels removed (red), %d kept", c-kept, c, kept)
	if d.Method == 1 {
		summary = fmt.Sprintf("no channel removed: %d filters share %d centroids (brackets group them)", c, len(members))
		if d.Labels == nil {
			summary = "this layer is left as it is at this ratio"
		}
	}
	out.Texts = append(out.Texts, Text{X: x0, Y: rowsY[2] + size + 24, S: summary})
	return out
}

// repOf returns the kept channel of cluster j (method 2), or -1.
func repOf(d proto.BlockDiagram, j int, members map[int][]int) int {
	for _, ch := range members[j] {
		if !d.Removed[ch] {
			return ch
		}
	}
	return -1
}

// channelOrder groups channels by cluster (clusters by their first member), members in order; the
// identity without labels.
func channelOrder(labels []int, c int) []int {
	order := make([]int, c)
	for i := range order {
		order[i] = i
	}
	if labels == nil {
		return order
	}
	first := map[int]int{}
	for ch := c - 1; ch >= 0; ch-- {
		first[labels[ch]] = ch
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if fa, fb := first[labels[a]], first[labels[b]]; fa != fb {
			return fa - fb
		}
		return a - b
	})
	return order
}
