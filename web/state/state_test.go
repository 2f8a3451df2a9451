package state

import (
	"regexp"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
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

// The CLI's link (variant.Spec.Link with split, offset and limit) opens the same run, the demo's
// hash starts with exactly the CLI's keys in the CLI's order, and the page's command line
// reproduces it (variant.Spec.Args).
func TestCLILink(t *testing.T) {
	for _, tc := range []struct {
		spec variant.Spec
		cli  string
	}{
		{variant.Spec{Method: variant.Removal, Ratio: 0.35, Seed: 7, Variant: variant.Variant{Study: true, PCA: 8, Rep: variant.RepNorm, Recal: 512, Merge: true, Refit: 256, Comp: true, ReLU: true, FC: true}},
			"--method 2 --ratio 0.35 --seed 7 --variant study+pca8+norm+bn+merge+refit+comp+relu+fc --recal 512 --refit 256 --limit 200"},
		{variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1, Variant: variant.Variant{PCA: 8, Recal: 512, Merge: true, Refit: 512,
			Comp: true, ReLU: true, FC: true, Conv1: true, Select: true, Short: true}},
			"--recal 512 --refit 512 --limit 200"},
	} {
		link := tc.spec.Link([2]string{"split", "test"}, [2]string{"offset", "0"}, [2]string{"limit", "200"})
		s, probs := Parse(link)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", link, probs)
		}
		if s.Spec != tc.spec {
			t.Fatalf("spec %+v, want %+v", s.Spec, tc.spec)
		}
		if s.Limit != 200 {
			t.Fatalf("limit %d", s.Limit)
		}
		if !strings.HasPrefix(s.Hash(), link) {
			t.Fatalf("hash %s does not extend the CLI link %s", s.Hash(), link)
		}
		cli := s.CLI("w.safetensors")
		if !strings.Contains(cli, tc.cli) || !strings.Contains(cli, " --variant "+tc.spec.Variant.Name()+" ") {
			t.Fatalf("CLI %q", cli)
		}
	}
}

// Every step of core/variant's table is a setting: a link key with the step's default, label and
// help, hideable, parsed and written back (adding a step adds it here without other edits).
func TestStepsAreFields(t *testing.T) {
	for i := range variant.Steps {
		st := &variant.Steps[i]
		f, ok := FieldByKey(st.Key)
		if !ok || f.Step != st || f.Default != st.Default() || f.Label != st.Label || f.Help != st.Help || !f.Hideable {
			t.Fatalf("step %s: field %+v", st.Key, f)
		}
		if d := Default(); !strings.Contains(d.Hash(), "&"+st.Key+"="+st.Default()) {
			t.Errorf("the default hash lacks %s=%s", st.Key, st.Default())
		}
	}
	if _, probs := Parse("#method=1&ratio=0.5&refit=256&select=true"); len(probs) == 0 {
		t.Error("select with method 1 accepted")
	}
	if _, probs := Parse("#refit=513"); len(probs) == 0 {
		t.Error("more calibration images than the demo ships accepted")
	}
}

func TestTestHash(t *testing.T) {
	s, probs := Parse("#method=2&ratio=0.5&seed=1")
	if len(probs) > 0 || s.Method != 2 || s.Ratio != 0.5 || s.Seed != 1 || s.Variant.Study || s.Limit != 1000 {
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
		if h != "#method=1&kernels=true&method=2" && s.Spec != def.Spec {
			t.Errorf("%.60q: spec %+v, want the default", h, s.Spec)
		}
	}
	// A bad value keeps the other settings.
	s, probs := Parse("#method=1&ratio=abc&seed=9")
	if len(probs) != 1 || s.Method != 1 || s.Ratio != 0.5 || s.Seed != 9 {
		t.Fatalf("%+v %v", s, probs)
	}
	// A refused combination (kernels with method 2) falls back to the defaults.
	s, probs = Parse("#method=2&kernels=true")
	if len(probs) != 1 || s.Spec != def.Spec {
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

// layerName is the regular expression it documents, written out: both agree on the names of
// both variants and on near misses.
func TestLayerName(t *testing.T) {
	re := regexp.MustCompile(`^(conv1|layer[1-9](\.[0-2])?\.(conv[12]|skipper\.0|shortcut\.0))$`)
	names := []string{"conv1", "conv2", "layer1.conv1", "layer4.conv2", "layer4.skipper.0", "layer2.0.shortcut.0",
		"layer3.2.conv1", "layer3.3.conv1", "layer0.conv1", "layer10.conv1", "layer1.conv3", "layer1.", "layer1",
		"layer", "", "layer1.0.", "layer1.0conv1", "layer1..conv1", "layer1.skipper.1", "xlayer1.conv1",
		"layer1.conv1 ", "layer1.2.skipper.0", "conv1.conv1", "layer9.1.shortcut.0"}
	for _, n := range names {
		if got, want := layerName(n), re.MatchString(n); got != want {
			t.Errorf("layerName(%q) = %v, the expression says %v", n, got, want)
		}
	}
}
