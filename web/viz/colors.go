// Package viz turns the demo's numbers into pictures, in plain Go (tested natively, run in the
// page's wasm): cluster colours, filter heatmaps and image thumbnails as PNG data URLs, and the
// block diagram's shapes (diagram.go, where removed filters and channels get removedColor).
package viz

import (
	"fmt"
	"image/color"
	"math"
)

// ClusterColor returns cluster j's colour as CSS hex. Hues step by the golden angle through
// 40°…320°, so neighbouring cluster numbers differ strongly and no cluster is red: red is reserved
// for what pruning removed (removedColor).
func ClusterColor(j int) string {
	c := clusterRGBA(j)
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

func clusterRGBA(j int) color.RGBA {
	const golden = 0.381966011250105 // 1 − 1/φ
	f := math.Mod(float64(j)*golden, 1)
	hue := 40 + 280*f
	light := []float64{0.45, 0.60, 0.35}[j%3]
	return hsl(hue, 0.75, light)
}

// hsl converts hue (degrees), saturation and lightness (0…1) to RGB.
func hsl(h, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	hp := h / 60
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g, b = c, x, 0
	case hp < 2:
		r, g, b = x, c, 0
	case hp < 3:
		r, g, b = 0, c, x
	case hp < 4:
		r, g, b = 0, x, c
	case hp < 5:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := l - c/2
	to := func(v float64) uint8 { return uint8(math.Round(255 * math.Max(0, math.Min(1, v+m)))) }
	return color.RGBA{to(r), to(g), to(b), 255}
}

// Diverging maps v ∈ [−1, 1] to blue (negative) – white (0) – orange-brown (positive); the
// positive end is not red so that heatmaps never look "removed".
func Diverging(v float64) color.RGBA {
	v = math.Max(-1, math.Min(1, v))
	neg := [3]float64{33, 102, 172} // #2166ac
	pos := [3]float64{179, 88, 6}   // #b35806
	white := [3]float64{247, 247, 247}
	end := pos
	t := v
	if v < 0 {
		end, t = neg, -v
	}
	t = math.Sqrt(t) // more contrast for small weights
	var c [3]uint8
	for i := range c {
		c[i] = uint8(math.Round(white[i] + (end[i]-white[i])*t))
	}
	return color.RGBA{c[0], c[1], c[2], 255}
}
