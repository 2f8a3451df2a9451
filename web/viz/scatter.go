package viz

import "fmt"

// Scatter is the K-Means view's still picture: the points on their two principal components,
// coloured by cluster (removed filters with a red ring), and the centroids as crosses: the last
// iteration that the ebiten animation (wasm/anim) plays, drawn by the page as SVG so that the
// view is there at the first render, before the animation has downloaded.
type Scatter struct {
	Width, Height float64
	Dots          []Dot
	Crosses       []Path
}

// KMeansScatter draws n points (points: x0, y0, x1, y1, …) with their cluster labels, the
// clusters' centroids (x, y pairs) and, when removed is not nil, which points are removed. It
// returns nil when the sizes disagree.
func KMeansScatter(points []float64, labels []int, centroids []float64, removed []bool) *Scatter {
	n := len(points) / 2
	if n == 0 || len(points) != 2*n || len(labels) != n || len(centroids)%2 != 0 || (removed != nil && len(removed) != n) {
		return nil
	}
	const w, h, pad = 400.0, 300.0, 16.0
	lo := [2]float64{points[0], points[1]}
	hi := lo
	for i := range len(points) / 2 {
		for d := range 2 {
			lo[d], hi[d] = min(lo[d], points[2*i+d]), max(hi[d], points[2*i+d])
		}
	}
	for i := range len(centroids) / 2 {
		for d := range 2 {
			lo[d], hi[d] = min(lo[d], centroids[2*i+d]), max(hi[d], centroids[2*i+d])
		}
	}
	// One scale for both axes, as the animation draws them.
	s := min((w-2*pad)/max(hi[0]-lo[0], 1e-9), (h-2*pad)/max(hi[1]-lo[1], 1e-9))
	x := func(v float64) float64 { return w/2 + (v-(lo[0]+hi[0])/2)*s }
	y := func(v float64) float64 { return h/2 - (v-(lo[1]+hi[1])/2)*s }
	out := &Scatter{Width: w, Height: h}
	for i := range n {
		d := Dot{X: x(points[2*i]), Y: y(points[2*i+1]), R: 5, Fill: ClusterColor(labels[i]), Stroke: "#333",
			Title: fmt.Sprintf("filter %d, cluster %d", i, labels[i])}
		if removed != nil && removed[i] {
			d.Stroke, d.Title = RemovedColor(), d.Title+": removed"
		}
		out.Dots = append(out.Dots, d)
	}
	for j := range len(centroids) / 2 {
		cx, cy := x(centroids[2*j]), y(centroids[2*j+1])
		out.Crosses = append(out.Crosses, Path{D: fmt.Sprintf("M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f", cx-6, cy-6, cx+6, cy+6, cx-6, cy+6, cx+6, cy-6),
			Stroke: ClusterColor(j)})
	}
	return out
}
