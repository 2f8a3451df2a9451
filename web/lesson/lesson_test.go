package lesson

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/state"
)

// TestTablesComplete lists every key a language lacks (or has that English has not).
func TestTablesComplete(t *testing.T) {
	for l, keys := range Missing() {
		t.Errorf("%s: %d keys out of step with English:\n\t%s", l, len(keys), strings.Join(keys, "\n\t"))
	}
	for _, l := range Langs {
		for k, v := range Texts[l] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", l, k)
			}
		}
	}
}

// TestMissingFinds checks that Missing reports a removed and an added key.
func TestMissingFinds(t *testing.T) {
	ru := Texts[RU]
	defer func() { Texts[RU] = ru }()
	c := map[string]string{"no.such.key": "x"}
	for k, v := range ru {
		if k != "heal.stop" {
			c[k] = v
		}
	}
	Texts[RU] = c
	got := Missing()[RU]
	if !slices.Equal(got, []string{"extra no.such.key", "missing heal.stop"}) {
		t.Errorf("Missing: %q", got)
	}
}

// TestEveryStepAndPreset: the variant table's rows and the presets have their texts (a step added
// to core/variant shows up here as a missing translation).
func TestEveryStepAndPreset(t *testing.T) {
	for _, s := range variant.Steps {
		for _, k := range []string{"step." + s.Key + ".label", "step." + s.Key + ".help"} {
			if Texts[EN][k] == "" {
				t.Errorf("English lacks %s", k)
			}
		}
		if T(EN, "step."+s.Key+".label") != s.Label {
			t.Errorf("English %s is not core/variant's label", s.Key)
		}
	}
	for _, p := range variant.Presets {
		if T(EN, "preset."+p.Key+".label") != p.Label || T(EN, "preset."+p.Key+".help") != p.Help {
			t.Errorf("English preset %s is not core/variant's", p.Key)
		}
	}
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestPlaceholders: every translation has the placeholders of its English text.
func TestPlaceholders(t *testing.T) {
	for k, en := range Texts[EN] {
		want := placeholder.FindAllString(en, -1)
		slices.Sort(want)
		for _, l := range Langs[1:] {
			got := placeholder.FindAllString(Texts[l][k], -1)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: placeholders %v, English has %v", l, k, got, want)
			}
		}
	}
}

// untranslated are the keys whose Russian text may equal the English one (formats' names).
var untranslated = map[string]bool{"export.safetensors": true, "export.onnx": true}

// TestRussianIsRussian lists the Russian texts left in English: equal to the English text, or
// without a Cyrillic letter.
func TestRussianIsRussian(t *testing.T) {
	var bad []string
	for k, ru := range Texts[RU] {
		if untranslated[k] {
			continue
		}
		cyr := strings.IndexFunc(ru, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
		if ru == Texts[EN][k] || !cyr {
			bad = append(bad, k+": "+ru)
		}
	}
	slices.Sort(bad)
	if len(bad) > 0 {
		t.Errorf("%d Russian texts not translated:\n\t%s", len(bad), strings.Join(bad, "\n\t"))
	}
}

// TestStepsParse: each step's hash parses with web/state without a problem into exactly the step's
// settings, and its link adds lesson=N and lang.
func TestStepsParse(t *testing.T) {
	if len(Steps) < 6 || len(Steps) > 8 {
		t.Fatalf("%d steps, want 6 to 8", len(Steps))
	}
	seen := map[string]bool{}
	for i := range Steps {
		s := &Steps[i]
		if seen[s.Key] || s.View == "" {
			t.Errorf("step %d: key %q repeated or no view", i+1, s.Key)
		}
		seen[s.Key] = true
		for _, l := range Langs {
			if _, ok := Texts[l]["lesson."+s.Key+".title"]; !ok {
				t.Errorf("%s: step %s has no title", l, s.Key)
			}
			if _, ok := Texts[l]["lesson."+s.Key+".text"]; !ok {
				t.Errorf("%s: step %s has no text", l, s.Key)
			}
		}
		st, probs := state.Parse(s.Hash())
		if len(probs) > 0 {
			t.Errorf("step %d (%s): %s: %v", i+1, s.Key, s.Hash(), probs)
			continue
		}
		if st.Spec != s.Spec() || st.Layer != s.Layer {
			t.Errorf("step %d: parsed %+v, want %+v", i+1, st.Spec, s.Spec())
		}
		want, _ := url.ParseQuery(strings.TrimPrefix(s.Hash(), "#"))
		got, _ := url.ParseQuery(strings.TrimPrefix(st.Hash(), "#"))
		for k, v := range want {
			if got.Get(k) != v[0] {
				t.Errorf("step %d: %s=%s comes back as %q", i+1, k, v[0], got.Get(k))
			}
		}
		link := Link(i+1, RU)
		q, err := url.ParseQuery(strings.TrimPrefix(link, "#"))
		if err != nil || q.Get(KeyLesson) != strings.TrimPrefix(strings.Split(link, "&")[0], "#lesson=") || q.Get(KeyLang) != "ru" {
			t.Errorf("Link(%d, ru) = %s", i+1, link)
		}
		if n, err := ParseStep(q.Get(KeyLesson)); err != nil || n != i+1 {
			t.Errorf("ParseStep of step %d's link: %d, %v", i+1, n, err)
		}
	}
	if Steps[4].Spec().Variant != (variant.Variant{Study: true}) || Steps[4].Ratio != 0.8 {
		t.Error("the collapse step is not r = 0.8 as published")
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"0", "9", "-1", "x", "", "1.5"} {
		if _, err := ParseStep(bad); err == nil {
			t.Errorf("ParseStep(%q): no error", bad)
		}
	}
	for in, want := range map[string]Lang{"ru": RU, "RU-ru": RU, "en-GB": EN, " en ": EN} {
		if l, ok := ParseLang(in); !ok || l != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, l, ok)
		}
	}
	if _, ok := ParseLang("de"); ok {
		t.Error("ParseLang(de) accepted")
	}
	if FromBrowser("de-DE", "ru-RU", "en") != RU || FromBrowser("fr") != EN || FromBrowser() != EN {
		t.Error("FromBrowser")
	}
	if got := Format(RU, "lesson.of", "n", "2", "total", "8"); got != "Шаг 2 из 8" {
		t.Errorf("Format: %q", got)
	}
	if T(RU, "no.such.key") != "no.such.key" {
		t.Error("T of an unknown key")
	}
}
