package viz

import (
	"bytes"
	"encoding/base64"
	"image"
	"strings"
	"testing"

	"golang.org/x/image/bmp"

	"github.com/resnet20-pruning/resnet20-pruning/web/proto"
)

func TestClusterColorsAreNotRed(t *testing.T) {
	seen := map[string]bool{}
	for j := range 64 {
		c := clusterRGBA(j)
		if c.R > 150 && c.G < 90 && c.B < 90 {
			t.Errorf("cluster %d colour %v looks red", j, c)
		}
		if ClusterColor(j) == removedColor {
			t.Errorf("cluster %d uses removedColor", j)
		}
		seen[ClusterColor(j)] = true
	}
	if len(seen) < 60 {
		t.Errorf("only %d distinct colours for 64 clusters", len(seen))
	}
}

func TestFilterImage(t *testing.T) {
	w := make([]float32, 16*9)
	w[0], w[9] = 1, -1
	img := FilterImage(w, 16, 3, 1, false)
	if b := img.Bounds(); b.Dx() != 15 || b.Dy() != 15 {
		t.Fatalf("16 kernels: %v", b)
	}
	if c := img.RGBAAt(0, 0); c != Diverging(1) {
		t.Fatalf("pixel (0,0) %v", c)
	}
	if c := img.RGBAAt(4, 0); c != Diverging(-1) {
		t.Fatalf("pixel (4,0) %v", c)
	}
	rgb := FilterImage(make([]float32, 27), 3, 3, 1, true)
	if rgb.Bounds().Dx() != 3 {
		t.Fatal("stem filter is not one 3×3 colour image")
	}
	// The BMP, read back by golang.org/x/image/bmp, has the same pixels (odd widths: padded rows).
	for _, im := range []*image.RGBA{img, rgb, FilterImage(w[:5*9], 5, 3, 1, false)} {
		u := DataURL(im)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(u, "data:image/bmp;base64,"))
		if err != nil {
			t.Fatal(err)
		}
		back, err := bmp.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if back.Bounds() != im.Bounds() {
			t.Fatalf("bounds %v, want %v", back.Bounds(), im.Bounds())
		}
		for y := range im.Bounds().Dy() {
			for x := range im.Bounds().Dx() {
				r, g, b, _ := back.At(x, y).RGBA()
				c := im.RGBAAt(x, y)
				if uint8(r>>8) != c.R || uint8(g>>8) != c.G || uint8(b>>8) != c.B {
					t.Fatalf("pixel (%d,%d): %d %d %d, want %v", x, y, r>>8, g>>8, b>>8, c)
				}
			}
		}
	}
}

func TestBlockDiagram(t *testing.T) {
	d := proto.BlockDiagram{Block: "layer1", C: 6, Method: 2, Clusters: 3,
		Labels:  []int{0, 1, 0, 2, 1, 0},
		Removed: []bool{false, false, true, false, true, true},
		Rep:     []int{0, 1, 3}}
	g := Block(d)
	red := 0
	for _, r := range g.Rects {
		if strings.Contains(r.Class, "removed") {
			if r.Fill != removedColor {
				t.Errorf("removed %s not red", r.Class)
			}
			if strings.HasPrefix(r.Class, "chan") {
				red++
			}
		}
	}
	if red != 3 || g.Removed != 3 || g.Kept != 3 {
		t.Fatalf("%d red channels, removed %d kept %d", red, g.Removed, g.Kept)
	}
	// Channels of a cluster are adjacent: order 0,2,5 | 1,4 | 3.
	if got := channelOrder(d.Labels, 6); !equal(got, []int{0, 2, 5, 1, 4, 3}) {
		t.Fatalf("order %v", got)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSweepChart(t *testing.T) {
	s, err := ParseSweep([]byte(`{"images": 1000, "baseline": {"accuracy": 88, "seconds": 2, "images": 1000, "params": 272474},
		"rows": [
		{"method": 1, "ratio": 0.1, "variant": "study", "accuracy": 80, "seconds": 2, "images": 1000, "params": 250000},
		{"method": 1, "ratio": 0.5, "variant": "study", "accuracy": 40, "seconds": 1.5, "images": 1000, "params": 150000},
		{"method": 2, "ratio": 0.5, "variant": "fixed", "accuracy": 15, "seconds": 1.2, "images": 1000, "params": 138000}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range Quantities {
		c := SweepChart(s, q, 2, "fixed", 0.5, 14.8)
		if len(c.Legend) != 2 || len(c.Paths) != 3 {
			t.Fatalf("%s: %d series, %d paths", q.Title, len(c.Legend), len(c.Paths))
		}
		live, ring := 0, 0
		for _, d := range c.Dots {
			if d.Live {
				live++
			} else {
				ring++
			}
			if d.X < 0 || d.X > c.Width || d.Y < 0 || d.Y > c.Height {
				t.Errorf("%s: dot outside the chart: %+v", q.Title, d)
			}
		}
		if live != 1 || ring != 1 {
			t.Errorf("%s: %d live and %d matching dots", q.Title, live, ring)
		}
	}
	if _, err := ParseSweep([]byte(`{"rows": []}`)); err == nil {
		t.Error("empty sweep accepted")
	}
	if FinetuneChart(s, 2, 0.5) != nil {
		t.Error("fine-tuning chart without curves")
	}
}

func TestFinetuneChart(t *testing.T) {
	s, err := ParseSweep([]byte(`{"images": 1000, "baseline": {"accuracy": 88}, "rows": [],
		"finetune": [{"method": 1, "ratio": 0.9, "variant": "fixed+bn", "accuracy": [10, 40, 55, 61]},
		             {"method": 2, "ratio": 0.5, "variant": "fixed+bn", "accuracy": [79, 84, 85.5, 86]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method int
		ratio  float64
		rings  int
	}{{2, 0.5, 1}, {1, 0.9, 1}, {2, 0.8, 0}} {
		c := FinetuneChart(s, tc.method, tc.ratio)
		if c == nil || len(c.Legend) != 2 || len(c.Paths) != 3 || len(c.Dots) != tc.rings {
			t.Fatalf("method %d r=%g: %+v", tc.method, tc.ratio, c)
		}
		for _, d := range c.Dots {
			if d.X != c.Width-8 || d.Y < 20 || d.Y > c.Height-26 {
				t.Errorf("ring %+v not at the last epoch inside the plot", d)
			}
		}
	}
}

// A diagram is as wide as its channels need, within minDiagramWidth…diagramWidth, and every
// channel box lies inside it.
func TestBlockDiagramWidth(t *testing.T) {
	for _, c := range []int{6, 16, 32, 64} {
		d := proto.BlockDiagram{Block: "b", C: c, Method: 2, Removed: make([]bool, c)}
		g := Block(d)
		if g.Width < minDiagramWidth || g.Width > diagramWidth {
			t.Errorf("%d channels: width %v outside %v…%v", c, g.Width, minDiagramWidth, diagramWidth)
		}
		right := 0.0
		for _, r := range g.Rects {
			right = max(right, r.X+r.W)
		}
		if right > g.Width || (c == 64 && right < g.Width-40) {
			t.Errorf("%d channels: boxes end at %v in a diagram %v wide", c, right, g.Width)
		}
	}
}

// The K-Means still picture: every point and cross inside the picture, colours by cluster, a red
// ring for removed points; nil when the sizes disagree.
func TestKMeansScatter(t *testing.T) {
	pts := []float64{0, 0, 1, 0, 0, 1, 5, 5}
	s := KMeansScatter(pts, []int{0, 0, 0, 1}, []float64{0.3, 0.3, 5, 5}, []bool{false, true, true, false})
	if s == nil || len(s.Dots) != 4 || len(s.Crosses) != 2 {
		t.Fatalf("%+v", s)
	}
	for i, d := range s.Dots {
		if d.X < 0 || d.X > s.Width || d.Y < 0 || d.Y > s.Height {
			t.Errorf("dot %d at (%v, %v) outside %v×%v", i, d.X, d.Y, s.Width, s.Height)
		}
	}
	if s.Dots[3].Fill != ClusterColor(1) || s.Dots[1].Stroke != RemovedColor() || s.Dots[0].Stroke == RemovedColor() {
		t.Errorf("colours %+v", s.Dots)
	}
	if s.Dots[3].Y >= s.Dots[0].Y || s.Dots[3].X <= s.Dots[0].X {
		t.Error("y does not grow upwards or x rightwards")
	}
	for _, bad := range [][]int{{0, 0, 0}, nil} {
		if KMeansScatter(pts, bad, []float64{0, 0}, nil) != nil {
			t.Errorf("labels %v: want nil", bad)
		}
	}
	if KMeansScatter(pts, []int{0, 0, 0, 0}, []float64{0, 0}, []bool{true}) != nil {
		t.Error("removed of the wrong length: want nil")
	}
}
