// Package lesson is the browser demo's guided lesson and its texts: the steps that tell the study
// (lesson=N in the URL hash), each setting the controls (a web/state hash), naming the view it
// highlights and giving a title and a short text; and one table per language of every text on the
// page (English and Russian, chosen by lang=en|ru, by default from the browser's languages).
//
// The English labels and help of the pruning steps and presets are core/variant's (Steps,
// Presets): they are written there once and copied into the English table; every other language
// translates them under the same keys (step.KEY.label, step.KEY.help, preset.KEY.label,
// preset.KEY.help). Texts may hold placeholders in braces ({name}), which Format fills.
//
// The package imports the standard library, core/variant and web/state only, so that the page's
// program can link it without the engine.
package lesson

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
)

// Hash keys the lesson adds to the page's settings.
const (
	KeyLesson = "lesson" // lesson=N: step N (1-based) of Steps
	KeyLang   = "lang"   // lang=en|ru
)

// View is the part of the page a step scrolls to and highlights: the id of its section in the
// page (web/ui).
type View string

// The views a lesson step can highlight.
const (
	ViewFilters  View = "filters"  // the filter grid of the layer shown
	ViewKMeans   View = "kmeans"   // the K-Means animation
	ViewDiagram  View = "diagram"  // the block diagram (removed channels in red)
	ViewAccuracy View = "accuracy" // accuracy and speed
	ViewLadder   View = "ladder"   // the repair ladder
	ViewFinetune View = "finetune" // the fine-tuning curves and "Fine-tune here"
)

// Step is one step of the lesson.
type Step struct {
	Key    string         // its texts are lesson.KEY.title and lesson.KEY.text
	Method variant.Method // the run it sets up
	Ratio  float64
	Preset string // a variant.Presets key; its count steps on state.CalibImages images (what the site ships)
	Layer  string // the layer shown
	View   View
}

// Steps is the lesson, in order.
var Steps = []Step{
	{Key: "filter", Method: variant.Removal, Ratio: 0.5, Preset: variant.Fixed, Layer: "layer1.conv1", View: ViewFilters},
	{Key: "kmeans", Method: variant.Removal, Ratio: 0.5, Preset: variant.Fixed, Layer: "layer1.conv1", View: ViewKMeans},
	{Key: "sharing", Method: variant.Sharing, Ratio: 0.5, Preset: variant.Fixed, Layer: "layer1.conv1", View: ViewFilters},
	{Key: "removal", Method: variant.Removal, Ratio: 0.5, Preset: variant.Fixed, Layer: "layer1.conv1", View: ViewDiagram},
	{Key: "collapse", Method: variant.Removal, Ratio: 0.8, Preset: variant.Study, Layer: "layer1.conv1", View: ViewAccuracy},
	{Key: "defects", Method: variant.Removal, Ratio: 0.8, Preset: variant.Fixed, Layer: "layer1.conv1", View: ViewAccuracy},
	{Key: "ladder", Method: variant.Removal, Ratio: 0.8, Preset: "refit", Layer: "layer1.conv1", View: ViewLadder},
	{Key: "finetune", Method: variant.Removal, Ratio: 0.8, Preset: "refit", Layer: "layer1.conv1", View: ViewFinetune},
}

// Spec returns the pruning run the step sets up (seed 1).
func (s *Step) Spec() variant.Spec {
	p, ok := variant.LookupPreset(s.Preset)
	if !ok {
		panic("lesson: step " + s.Key + " names unknown preset " + s.Preset)
	}
	return variant.Spec{Method: s.Method, Ratio: s.Ratio, Seed: 1, Variant: p.Variant(s.Method, state.CalibImages)}
}

// Hash returns the step's settings as a web/state hash (every pruning setting, then the layer), without
// lesson=N; Link adds it.
func (s *Step) Hash() string {
	sp := s.Spec()
	return sp.Link([2]string{"layer", s.Layer})
}

// Link returns the hash that opens step n (1-based) of the lesson in language lang ("" = the
// browser's): lesson=N, lang if given, then the step's settings.
func Link(n int, lang Lang) string {
	h := "#" + KeyLesson + "=" + strconv.Itoa(n)
	if lang != "" {
		h += "&" + KeyLang + "=" + string(lang)
	}
	return h + "&" + strings.TrimPrefix(Steps[n-1].Hash(), "#")
}

// ParseStep reads lesson=N's value: a step number from 1 to len(Steps).
func ParseStep(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > len(Steps) {
		return 0, fmt.Errorf("lesson: want a step from 1 to %d, not %q", len(Steps), v)
	}
	return n, nil
}

// Title returns the step's title in lang.
func (s *Step) Title(lang Lang) string { return T(lang, "lesson."+s.Key+".title") }

// Text returns the step's text in lang.
func (s *Step) Text(lang Lang) string { return T(lang, "lesson."+s.Key+".text") }

// Lang is a language of the page's texts.
type Lang string

// The languages of the page.
const (
	EN Lang = "en"
	RU Lang = "ru" // the study was written in Russian
)

// Langs lists the languages, the default first.
var Langs = []Lang{EN, RU}

// Texts holds one table per language: key → text.
var Texts = map[Lang]map[string]string{EN: english(), RU: russian}

// ParseLang reads lang=…'s value or a browser language tag ("ru", "ru-RU", "EN-gb").
func ParseLang(s string) (Lang, bool) {
	tag, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	for _, l := range Langs {
		if string(l) == tag {
			return l, true
		}
	}
	return "", false
}

// FromBrowser returns the first of the browser's languages (navigator.languages, in order of
// preference) that the page speaks, else English.
func FromBrowser(tags ...string) Lang {
	for _, t := range tags {
		if l, ok := ParseLang(t); ok {
			return l
		}
	}
	return EN
}

// T returns the text key in lang, falling back to English (the tests keep every table complete),
// then to the key itself.
func T(lang Lang, key string) string {
	if s, ok := Texts[lang][key]; ok {
		return s
	}
	if s, ok := Texts[EN][key]; ok {
		return s
	}
	return key
}

// Format returns T(lang, key) with each {name} replaced by its value: args are name, value pairs.
func Format(lang Lang, key string, args ...string) string {
	s := T(lang, key)
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Missing returns, for every language but English, the English keys it lacks and the keys it has
// that English does not, sorted; an empty map when every table is complete.
func Missing() map[Lang][]string {
	out := map[Lang][]string{}
	en := Texts[EN]
	for _, l := range Langs[1:] {
		t := Texts[l]
		var miss []string
		for k := range en {
			if _, ok := t[k]; !ok {
				miss = append(miss, "missing "+k)
			}
		}
		for k := range t {
			if _, ok := en[k]; !ok {
				miss = append(miss, "extra "+k)
			}
		}
		if len(miss) > 0 {
			slices.Sort(miss)
			out[l] = miss
		}
	}
	return out
}

// english returns the English table: the page's texts, then the variant steps' and presets' labels
// and help from core/variant.
func english() map[string]string {
	t := map[string]string{}
	for k, v := range englishPage {
		t[k] = v
	}
	for _, s := range variant.Steps {
		t["step."+s.Key+".label"] = s.Label
		t["step."+s.Key+".help"] = s.Help
	}
	for _, p := range variant.Presets {
		t["preset."+p.Key+".label"] = p.Label
		t["preset."+p.Key+".help"] = p.Help
	}
	return t
}
