package state

import (
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
)

func TestDefaultsRoundTrip(t *testing.T) {
	d := Default()
	s, probs := Parse(d.Hash())
	if len(probs) > 0 {
		t.Fatalf("default hash %s: %v", d.Hash(), probs)
	}
	if s.Hash() != d.Hash() {
		t.Fatalf("round trip %s != %s", s.Hash(), d.Hash())
	}
	if s2, p := Parse(""); len(p) > 0 || s2.Hash() != d.Hash() {
		t.Fatal("empty hash is not the default")
	}
}

// The CLI's link (prune.Spec.Link with split, offset and limit) opens the same run, the demo's
// hash starts with exactly the CLI's keys in the CLI's order, and the page's command line
// reproduces it; the best method-2 repair adds the optional keys c1, select and short.
func TestCLILink(t *testing.T) {
	for _, tc := range []struct {
		spec prune.Spec
		cli  string
	}{
		{prune.Spec{Method: prune.Removal, Ratio: 0.35, Seed: 7, Variant: prune.Variant{Study: true, PCA: 8, Rep: prune.RepNorm, Recal: 512, Merge: true, Refit: 256, Comp: true, ReLU: true, FC: true}},
			"--method 2 --ratio 0.35 --seed 7 --variant study --pca 8 --rep norm --recal 512 --merge --refit 256 --comp --relu --fc --limit 200"},
		{prune.Spec{Method: prune.Removal, Ratio: 0.5, Seed: 1, Variant: prune.Variant{PCA: 8, Recal: 512, Merge: true, Refit: 512,
			Comp: true, ReLU: true, FC: true, Conv1: true, Select: true, Short: true}},
			"--variant fixed+c1+select+short --pca 8 --recal 512 --merge --refit 512 --comp --relu --fc"},
	} {
		link := tc.spec.Link([2]string{"split", "test"}, [2]string{"offset", "0"}, [2]string{"limit", "200"})
		s, probs := Parse(link)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", link, probs)
		}
		if got := s.Spec(); got != tc.spec {
			t.Fatalf("spec %+v, want %+v", got, tc.spec)
		}
		if s.Limit != 200 {
			t.Fatalf("limit %d", s.Limit)
		}
		if !strings.HasPrefix(s.Hash(), link) {
			t.Fatalf("hash %s does not extend the CLI link %s", s.Hash(), link)
		}
		if cli := s.CLI("w.safetensors"); !strings.Contains(cli, tc.cli) {
			t.Fatalf("CLI %q", cli)
		}
	}
}

// The optional keys are listed only when on, and only where they apply.
func TestOptionalKeys(t *testing.T) {
	d := Default()
	if strings.Contains(d.Hash(), "select") {
		t.Fatalf("default hash %s lists an optional key", d.Hash())
	}
	if _, probs := Parse("#method=1&ratio=0.5&refit=256&select=true"); len(probs) == 0 {
		t.Error("select with method 1 accepted")
	}
}

func TestTestHash(t *testing.T) {
	s, probs := Parse("#method=2&ratio=0.5&seed=1")
	if len(probs) > 0 || s.Method != 2 || s.Ratio != 0.5 || s.Seed != 1 || s.Study || s.Limit != 1000 {
		t.Fatalf("%+v %v", s, probs)
	}
}

func TestHide(t *testing.T) {
	s, probs := Parse("ratio_hide=true&explain=false&seed_hide=false&layer=layer4.conv2")
	if len(probs) > 0 || !s.Hide["ratio"] || s.Hide["seed"] || s.Explain || s.Layer != "layer4.conv2" {
		t.Fatalf("%+v %v", s, probs)
	}
	if !strings.HasSuffix(s.Hash(), "&explain=false&ratio_hide=true") {
		t.Fatalf("hash %s", s.Hash())
	}
}

func TestMalformed(t *testing.T) {
	def := Default()
	for _, h := range []string{
		"#junk",
		"#%%%",
		"#method=3",
		"#ratio=NaN",
		"#ratio=0.95",
		"#ratio=-0.1",
		"#ratio=1e400",
		"#seed=-1",
		"#limit=0",
		"#limit=5000",
		"#rep=<script>alert(1)</script>",
		"#layer=<img src=x onerror=alert(1)>",
		"#layer=layer10.conv1",
		"#<b>=1",
		"#recal=100000",
		"#split=train",
		"#foo_hide=true",
		"#ratio_hide=yes",
		"#" + strings.Repeat("a=1&", 2000),
		"#method=1&kernels=true&method=2",
	} {
		s, probs := Parse(h)
		if len(probs) == 0 {
			t.Errorf("%.60q: no problem reported", h)
		}
		for _, p := range probs {
			if p.String() == "" {
				t.Errorf("%q: empty problem", h)
			}
		}
		if h != "#method=1&kernels=true&method=2" && s.Spec() != def.Spec() {
			t.Errorf("%.60q: spec %+v, want the default", h, s.Spec())
		}
	}
	// A bad value keeps the other settings.
	s, probs := Parse("#method=1&ratio=abc&seed=9")
	if len(probs) != 1 || s.Method != 1 || s.Ratio != 0.5 || s.Seed != 9 {
		t.Fatalf("%+v %v", s, probs)
	}
	// A refused combination (kernels with method 2) falls back to the defaults.
	s, probs = Parse("#method=2&kernels=true")
	if len(probs) != 1 || s.Spec() != def.Spec() {
		t.Fatalf("%+v %v", s, probs)
	}
	// offset + limit beyond the pack.
	if _, probs = Parse("#offset=900&limit=200"); len(probs) != 1 {
		t.Fatalf("%v", probs)
	}
}

func TestRunKey(t *testing.T) {
	a, _ := Parse("#method=2&ratio=0.5&layer=layer2.conv1&explain=false&ratio_hide=true")
	b, _ := Parse("#method=2&ratio=0.5")
	if a.RunKey() != b.RunKey() {
		t.Fatal("layer/explain/hide change the run key")
	}
	c, _ := Parse("#method=2&ratio=0.55")
	if a.RunKey() == c.RunKey() {
		t.Fatal("ratio does not change the run key")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("#method=2&ratio=0.5&seed=1")
	f.Add("#layer=conv1&explain=false&ratio_hide=true")
	f.Fuzz(func(t *testing.T, h string) {
		s, _ := Parse(h)
		// Whatever came in, the state is valid and round-trips.
		if err := s.check(); err != nil {
			t.Fatalf("%q: invalid state: %v", h, err)
		}
		s2, probs := Parse(s.Hash())
		if len(probs) > 0 || s2.Hash() != s.Hash() {
			t.Fatalf("%q: hash %s does not round-trip: %v", h, s.Hash(), probs)
		}
	})
}
