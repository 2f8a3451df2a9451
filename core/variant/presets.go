package variant

import (
	"fmt"
	"strings"
)

// Preset is one rung of the repair ladder: a named variant that the page offers instead of the
// individual steps. Every preset but the first and the last is the one before it plus one step
// of the table (Adds), so that the ladder shows what each repair adds; Best is Best(method).
type Preset struct {
	Key   string // its link value and CLI spelling: study, fixed, bn, merge, refit, best
	Label string // the page's button and the ladder's bar
	Adds  string // Key of the step of Steps it switches on over the preset before it ("" for study, fixed, best)
	Help  string // one line: what it is
}

// Presets is the repair ladder, in order.
var Presets = []Preset{
	{Key: Study, Label: "As published", Help: "the study's code as published, with its two defects"},
	{Key: Fixed, Label: "Defects fixed", Help: "the two defects fixed (method 1's random conv biases, method 2's lost bn1 statistics), no repair"},
	{Key: "bn", Label: "+ BN recalibration", Adds: "recal", Help: "then every BatchNorm's statistics recomputed on calibration train images"},
	{Key: "merge", Label: "+ merge", Adds: "merge", Help: "then each removed channel's conv2 weights folded into its cluster's kept channel (method 2)"},
	{Key: "refit", Label: "+ least squares", Adds: "refit", Help: "then every block's conv2 refitted by least squares to the original network's output"},
	{Key: BestName, Label: "Best", Help: "the best repair found without SGD (every refit step, PCA-8 clustering)"},
}

// LookupPreset returns the preset whose Key is key.
func LookupPreset(key string) (*Preset, bool) {
	for i := range Presets {
		if Presets[i].Key == key {
			return &Presets[i], true
		}
	}
	return nil, false
}

// PresetKeys returns the presets' keys in order ("study, fixed, …" in messages).
func PresetKeys() []string {
	keys := make([]string, len(Presets))
	for i, p := range Presets {
		keys[i] = p.Key
	}
	return keys
}

// ParsePreset is LookupPreset with an error that lists the presets.
func ParsePreset(key string) (*Preset, error) {
	if p, ok := LookupPreset(strings.TrimSpace(key)); ok {
		return p, nil
	}
	return nil, fmt.Errorf("unknown preset %q (want one of %s)", key, strings.Join(PresetKeys(), ", "))
}

// Variant returns the preset's variant for method m, its count steps on calib calibration train
// images (DefaultCalib when calib ≤ 0); Best is Best(m), on BestCalib images whatever calib.
func (p *Preset) Variant(m Method, calib int) Variant {
	if calib <= 0 {
		calib = DefaultCalib
	}
	if p.Key == BestName {
		return Best(m)
	}
	v := Variant{Study: true}
	for i := range Presets {
		q := &Presets[i]
		if q.Key == Fixed {
			v.Study = false
		}
		if q.Adds != "" {
			s, ok := Lookup(q.Adds)
			if !ok {
				panic("variant: preset " + q.Key + " adds unknown step " + q.Adds)
			}
			n := 1
			switch s.Kind {
			case Count:
				n = calib
			case Dim:
				n = s.On
			}
			s.Set(&v, n)
		}
		if q == p {
			return v
		}
	}
	panic("variant: preset " + p.Key + " is not in Presets")
}

// PresetOf returns the preset whose variant for method m and calib is v, if any (the page
// highlights it; a variant set step by step may match none).
func PresetOf(v Variant, m Method, calib int) (*Preset, bool) {
	for i := range Presets {
		if Presets[i].Variant(m, calib) == v {
			return &Presets[i], true
		}
	}
	return nil, false
}

// Ladder returns the Spec of every preset for method m, ratio r and seed, in the order of Presets.
func Ladder(m Method, r float64, seed uint64, calib int) []Spec {
	specs := make([]Spec, len(Presets))
	for i := range Presets {
		specs[i] = Spec{Method: m, Ratio: r, Seed: seed, Variant: Presets[i].Variant(m, calib)}
	}
	return specs
}
