package measure

import (
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := append([]float64(nil), tc.in...)
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Fatalf("Median reordered its input")
			}
		}
	}
}

func TestAlternate(t *testing.T) {
	var order []string
	ab := Alternate(3, 1,
		func() { order = append(order, "a"); time.Sleep(2 * time.Millisecond) },
		func() { order = append(order, "b"); time.Sleep(8 * time.Millisecond) })
	if got := len(order); got != 8 {
		t.Fatalf("%d runs, want 8", got)
	}
	for i, s := range order {
		if want := "ab"[i%2 : i%2+1]; s != want {
			t.Fatalf("runs %v do not alternate", order)
		}
	}
	if len(ab.A) != 3 || len(ab.B) != 3 {
		t.Fatalf("%d / %d samples", len(ab.A), len(ab.B))
	}
	// Sleeping takes no CPU; the wall ratio is about 4 (sleeps only overshoot).
	if x := ab.Speedup(); x < 1.5 || x > 8 {
		t.Errorf("speed-up %v, want about 4", x)
	}
	if ab.A.Wall() < 0.002 || ab.B.Wall() < 0.008 {
		t.Errorf("medians %v, %v shorter than the sleeps", ab.A.Wall(), ab.B.Wall())
	}
	only := Alternate(2, 0, func() {}, nil)
	if len(only.A) != 2 || only.B != nil || only.Speedup() != 0 {
		t.Errorf("without b: %+v", only)
	}
}

func TestCPUSeconds(t *testing.T) {
	c0, ok := CPUSeconds()
	if !ok {
		t.Skip("no CPU time on this platform")
	}
	s := Time(func() {
		for end := time.Now().Add(30 * time.Millisecond); time.Now().Before(end); {
		}
	})
	if s.CPU < 0.01 || s.Wall < 0.03 {
		t.Errorf("a 30 ms busy loop: %+v", s)
	}
	if c1, _ := CPUSeconds(); c1 < c0 {
		t.Errorf("CPU time went back: %v → %v", c0, c1)
	}
}

func TestLayers(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchB, 1)
	got := Layers(n, 2, 1)
	convs := n.Convs()
	if len(got) != len(convs) {
		t.Fatalf("%d layers timed, the net has %d convolutions", len(got), len(convs))
	}
	for i, c := range convs {
		if got[i].Name != c.Name || !(got[i].MsPerImage > 0) {
			t.Errorf("layer %d: %+v, want %s with a positive time", i, got[i], c.Name)
		}
	}
}
