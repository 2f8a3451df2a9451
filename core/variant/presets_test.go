package variant

import (
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	want := map[string]string{Study: "study", Fixed: "fixed", "bn": "fixed+bn", "merge": "fixed+bn+merge", "refit": "fixed+bn+merge+refit"}
	for _, m := range Methods {
		for _, calib := range []int{0, 200, 1024} {
			var prev Variant
			for i := range Presets {
				p := &Presets[i]
				v := p.Variant(m, calib)
				sp := Spec{Method: m, Ratio: 0.5, Variant: v}
				if err := sp.Validate(); err != nil {
					t.Errorf("method %d, %s: %v", m, p.Key, err)
				}
				name, ok := want[p.Key]
				switch {
				case p.Key == BestName:
					if v != Best(m) {
						t.Errorf("method %d: best is %s, not Best", m, v.Name())
					}
				case !ok:
					t.Errorf("preset %s: no expected name in this test", p.Key)
				default:
					w, err := Parse(name, calib)
					if err != nil || v != w {
						t.Errorf("method %d calib %d, %s: %+v, want %s = %+v (%v)", m, calib, p.Key, v, name, w, err)
					}
				}
				if i > 0 && v == prev {
					t.Errorf("method %d, %s: same variant as the preset before", m, p.Key)
				}
				if got, ok := PresetOf(v, m, calib); !ok || got != p {
					t.Errorf("PresetOf(%s) = %v", v.Name(), got)
				}
				prev = v
			}
		}
	}
}

func TestPresetTable(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Presets {
		if seen[p.Key] || p.Label == "" || p.Help == "" {
			t.Errorf("preset %q: repeated key, or no label or help", p.Key)
		}
		seen[p.Key] = true
		if p.Adds != "" {
			if _, ok := Lookup(p.Adds); !ok {
				t.Errorf("preset %s adds unknown step %q", p.Key, p.Adds)
			}
		}
	}
	if Presets[0].Key != Study || Presets[len(Presets)-1].Key != BestName {
		t.Error("the ladder must go from study to best")
	}
	if p, err := ParsePreset(" merge "); err != nil || p.Key != "merge" {
		t.Errorf("ParsePreset(merge): %v, %v", p, err)
	}
	if _, err := ParsePreset("fast"); err == nil || !strings.Contains(err.Error(), "study, fixed, bn, merge, refit, best") {
		t.Errorf("ParsePreset(fast): %v", err)
	}
	if _, ok := PresetOf(Variant{PCA: 8}, Removal, 0); ok {
		t.Error("fixed+pca8 matched a preset")
	}
	specs := Ladder(Removal, 0.8, 3, 512)
	if len(specs) != len(Presets) || specs[2].Variant.Recal != 512 || specs[5].Variant != Best(Removal) || specs[1].Ratio != 0.8 || specs[4].Seed != 3 {
		t.Errorf("Ladder: %+v", specs)
	}
}

// TestResolvePresets: --variant takes a ladder rung's key where Parse takes no such name, and the
// rung's variant is what Preset.Variant gives; names Parse takes keep their meaning.
func TestResolvePresets(t *testing.T) {
	for _, m := range []Method{Sharing, Removal} {
		for i := range Presets {
			p := &Presets[i]
			got, err := Resolve(p.Key, m, 512)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", p.Key, err)
			}
			if want := p.Variant(m, 512); got != want {
				t.Errorf("method %v: Resolve(%q) = %s, want %s", m, p.Key, got.Name(), want.Name())
			}
		}
	}
	if _, err := Resolve("nonsense", Removal, 512); err == nil {
		t.Error("Resolve(nonsense) accepted")
	}
}
