// Package state is the browser demo's shareable state: every setting lives in the URL hash.
//
// The settings are declared once, in Fields (like TensorFlow Playground's state.ts): each entry has
// the key, the default, a parser that validates and stores the value into a State, and a formatter.
// Parse, Hash and the defaults are all derived from that one table, so a setting added there is
// automatically read from links, written into them and reset by a malformed link. The pruning
// settings are not written here at all: method, ratio, seed, variant and one Field per row of
// core/variant's table of steps (variant.Steps), so a step added there is a link key, a page
// toggle and a command-line flag here without other edits.
//
// The pruning keys and their order are those of the CLI's link (variant.Spec.Link plus split,
// offset, limit), so `resnetprune prune … --json`'s "link" opens the same run in the browser. The
// demo adds layer (the layer shown), explain (false hides the explanatory texts) and, for every
// control, NAME_hide=true, which hides it (for classrooms).
//
// The package imports the standard library and core/variant only: the page's program (wasm/app)
// links it without the engine.
package state

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// Limits of the data that the site ships (the sample pack).
const (
	TestImages  = 1000 // first test images in the pack
	CalibImages = 512  // first train images in the pack (BN recalibration and refit)
	MaxRatio    = 0.9
	MaxPCA      = 576       // the widest filter's dimension (64 × 3 × 3)
	MaxHashLen  = 4096      // longer hashes are refused as a whole
	KeyVariant  = "variant" // study or fixed: the variant's base
)

// State is every setting of the demo: the pruning run (core/variant's Spec, whose fields it
// promotes: s.Method, s.Ratio, s.Seed, s.Variant) and what the page shows.
type State struct {
	variant.Spec
	Split   string // only "test" is shipped
	Offset  int    // first test image
	Limit   int    // evaluated test images
	Layer   string // the layer shown in the filter grid and cluster view
	Explain bool   // show the explanatory texts
	Hide    map[string]bool
}

// Field is one setting: its hash key, its default (as it appears in a link), its parser and its
// formatter. Label and Help describe the control; Step is the variant step it stores (nil for the
// other settings).
type Field struct {
	Key      string
	Default  string
	Label    string
	Help     string
	Hideable bool // NAME_hide=true hides its control
	Step     *variant.Step
	parse    func(s *State, v string) error
	format   func(s *State) string
}

// Fields declares every setting, in the order links list them.
var Fields = fields()

func fields() []Field {
	fs := []Field{
		{Key: variant.KeyMethod, Default: "2", Label: "Method", Hideable: true,
			parse: func(s *State, v string) error {
				m, err := variant.ParseMethod(v)
				if err != nil {
					return fmt.Errorf("want 1 or 2")
				}
				s.Method = m
				return nil
			},
			format: func(s *State) string { return s.Method.String() }},
		number(variant.KeyRatio, "0.5", "Compression ratio", 0, MaxRatio, func(s *State) *float64 { return &s.Ratio }),
		unsigned(variant.KeySeed, "1", "K-Means seed", func(s *State) *uint64 { return &s.Seed }),
		{Key: KeyVariant, Default: variant.Fixed, Label: "Study-exact", Hideable: true,
			Help: "keep the study's two defects (random conv biases in method 1, lost bn1 statistics in method 2)",
			parse: func(s *State, v string) error {
				switch v {
				case variant.Study:
					s.Variant.Study = true
				case variant.Fixed:
					s.Variant.Study = false
				default:
					return fmt.Errorf("want %s or %s", variant.Study, variant.Fixed)
				}
				return nil
			},
			format: func(s *State) string {
				if s.Variant.Study {
					return variant.Study
				}
				return variant.Fixed
			}},
	}
	for i := range variant.Steps {
		fs = append(fs, stepField(&variant.Steps[i]))
	}
	return append(fs,
		enum("split", "test", "Split", []string{"test"}, func(s *State) *string { return &s.Split }),
		integer("offset", "0", "First image", 0, TestImages-1, func(s *State) *int { return &s.Offset }),
		integer("limit", "1000", "Evaluation images", 1, TestImages, func(s *State) *int { return &s.Limit }),
		Field{Key: "layer", Default: "layer1.conv1", Label: "Layer", Hideable: true,
			parse: func(s *State, v string) error {
				if !layerName(v) {
					return fmt.Errorf("not a layer name")
				}
				s.Layer = v
				return nil
			},
			format: func(s *State) string { return s.Layer }},
		boolean("explain", "true", "Explanations", func(s *State) *bool { return &s.Explain }),
	)
}

// stepField is the Field of one variant step: its key, value syntax, label and help are the
// step's; counts of calibration images are limited to the images the site ships.
func stepField(st *variant.Step) Field {
	return Field{Key: st.Key, Default: st.Default(), Label: st.Label, Help: st.Help, Hideable: true, Step: st,
		parse: func(s *State, text string) error {
			v := s.Variant
			if err := st.Parse(&v, text); err != nil {
				return fmt.Errorf("want %s", st.Syntax())
			}
			switch n := st.Get(v); {
			case st.Kind == variant.Count && n > CalibImages:
				return fmt.Errorf("outside 0…%d (the calibration images the demo ships)", CalibImages)
			case st.Kind == variant.Dim && n > MaxPCA:
				return fmt.Errorf("outside 0…%d", MaxPCA)
			}
			s.Variant = v
			return nil
		},
		format: func(s *State) string { return st.Format(s.Variant) }}
}

// layerName accepts the names of ResNet20's convolutions in both variants (conv1, layer4.conv2,
// layer4.skipper.0, layer2.0.shortcut.0, …); whether the loaded model has it is checked later.
// It matches ^(conv1|layer[1-9](\.[0-2])?\.(conv[12]|skipper\.0|shortcut\.0))$, written out so
// that the page's program does not link package regexp.
func layerName(s string) bool {
	if s == "conv1" {
		return true
	}
	rest, ok := strings.CutPrefix(s, "layer")
	if !ok || len(rest) < 2 || rest[0] < '1' || rest[0] > '9' {
		return false
	}
	rest = rest[1:]
	if len(rest) >= 2 && rest[0] == '.' && rest[1] >= '0' && rest[1] <= '2' {
		rest = rest[2:]
	}
	switch rest {
	case ".conv1", ".conv2", ".skipper.0", ".shortcut.0":
		return true
	}
	return false
}

// HideSuffix marks a control hidden: "ratio_hide=true".
const HideSuffix = "_hide"

// Default returns the state every Field's default gives.
func Default() State {
	var s State
	for _, f := range Fields {
		if err := f.parse(&s, f.Default); err != nil {
			panic("state: default of " + f.Key + ": " + err.Error())
		}
	}
	s.Hide = map[string]bool{}
	return s
}

// Field returns the Field with key k.
func FieldByKey(k string) (Field, bool) {
	for _, f := range Fields {
		if f.Key == k {
			return f, true
		}
	}
	return Field{}, false
}

// Problem is one thing Parse could not use; the notice lists them (as text, never markup).
type Problem struct {
	Key, Value, Reason string
}

func (p Problem) String() string {
	if p.Key == "" {
		return p.Reason
	}
	v := p.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("%s=%q: %s", p.Key, v, p.Reason)
}

// Parse reads a URL hash ("#method=2&ratio=0.5…", with or without '#'). Keys it does not know,
// values that do not parse or are out of range, repeated keys and combinations the pruning refuses
// are reported as Problems and those settings keep their defaults; a hash that is not a query
// string at all, or is too long, gives the defaults with one Problem. Parse never fails.
func Parse(hash string) (State, []Problem) {
	s := Default()
	hash = strings.TrimPrefix(hash, "#")
	if hash == "" {
		return s, nil
	}
	if len(hash) > MaxHashLen {
		return s, []Problem{{Reason: fmt.Sprintf("the link's settings are %d characters long (at most %d): using the defaults", len(hash), MaxHashLen)}}
	}
	var probs []Problem
	seen := map[string]bool{}
	for _, part := range strings.Split(hash, "&") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if !ok || err1 != nil || err2 != nil {
			probs = append(probs, Problem{Key: clip(k), Value: v, Reason: "not a key=value pair"})
			continue
		}
		if seen[key] {
			probs = append(probs, Problem{Key: clip(key), Value: val, Reason: "given twice, the first one is used"})
			continue
		}
		seen[key] = true
		if base, ok := strings.CutSuffix(key, HideSuffix); ok {
			f, known := FieldByKey(base)
			switch {
			case !known || !f.Hideable:
				probs = append(probs, Problem{Key: clip(key), Value: val, Reason: "no such control"})
			case val == "true":
				s.Hide[base] = true
			case val == "false":
			default:
				probs = append(probs, Problem{Key: key, Value: val, Reason: "want true or false"})
			}
			continue
		}
		f, known := FieldByKey(key)
		if !known {
			probs = append(probs, Problem{Key: clip(key), Value: val, Reason: "unknown setting"})
			continue
		}
		before := s
		if err := f.parse(&s, val); err != nil {
			s = before
			probs = append(probs, Problem{Key: key, Value: val, Reason: err.Error() + "; using " + f.Default})
		}
	}
	if err := s.check(); err != nil {
		probs = append(probs, Problem{Reason: err.Error() + ": using the default settings"})
		hide, explain := s.Hide, s.Explain
		s = Default()
		s.Hide, s.Explain = hide, explain
	}
	return s, probs
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// check rejects combinations: what variant.Spec.Validate refuses, and images beyond the pack.
func (s *State) check() error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Offset+s.Limit > TestImages {
		return fmt.Errorf("offset %d + limit %d is beyond the %d test images the demo ships", s.Offset, s.Limit, TestImages)
	}
	return nil
}

// Hash returns the state as a URL hash: every Field in declaration order, then the hidden
// controls' NAME_hide=true in declaration order.
func (s *State) Hash() string {
	var b strings.Builder
	for _, f := range Fields {
		v := f.format(s)
		if b.Len() == 0 {
			b.WriteByte('#')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.Key) + "=" + url.QueryEscape(v))
	}
	for _, f := range Fields {
		if s.Hide[f.Key] {
			b.WriteString("&" + f.Key + HideSuffix + "=true")
		}
	}
	return b.String()
}

// RunKey is equal for two states exactly when they give the same pruned network and evaluation
// (the layer shown, explain and hidden controls do not matter).
func (s *State) RunKey() string {
	t := *s
	t.Layer, t.Explain, t.Hide = "", true, nil
	return t.Hash()
}

// CLI returns the command line that reproduces the state's run with the weights file weights
// (the binary as `make build` writes it), every argument quoted for a POSIX shell (ShellJoin):
// the weights name comes from a link or an uploaded file's name, and pasting the line must run
// resnetprune and nothing else.
func (s *State) CLI(weights string) string {
	args := append([]string{"bin/resnetprune", "prune"}, s.CLIArgs()...)
	return ShellJoin(append(args, "--weights", weights)...)
}

// CLIArgs are resnetprune prune's flags for the state's run (variant.Spec.Args, then the images),
// one argument per element.
func (s *State) CLIArgs() []string {
	args := s.Args()
	if s.Offset > 0 {
		args = append(args, "--offset", strconv.Itoa(s.Offset))
	}
	return append(args, "--limit", strconv.Itoa(s.Limit))
}

// Field constructors: each binds a key to one State field through an accessor.

func integer(key, def, label string, lo, hi int, p func(*State) *int) Field {
	return Field{Key: key, Default: def, Label: label, Hideable: true,
		parse: func(s *State, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("not an integer")
			}
			if n < lo || n > hi {
				return fmt.Errorf("outside %d…%d", lo, hi)
			}
			*p(s) = n
			return nil
		},
		format: func(s *State) string { return strconv.Itoa(*p(s)) }}
}

func unsigned(key, def, label string, p func(*State) *uint64) Field {
	return Field{Key: key, Default: def, Label: label, Hideable: true,
		parse: func(s *State, v string) error {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return fmt.Errorf("not a non-negative integer")
			}
			*p(s) = n
			return nil
		},
		format: func(s *State) string { return strconv.FormatUint(*p(s), 10) }}
}

func number(key, def, label string, lo, hi float64, p func(*State) *float64) Field {
	return Field{Key: key, Default: def, Label: label, Hideable: true,
		parse: func(s *State, v string) error {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("not a number")
			}
			if x < lo || x > hi {
				return fmt.Errorf("outside %v…%v", lo, hi)
			}
			*p(s) = x
			return nil
		},
		format: func(s *State) string { return strconv.FormatFloat(*p(s), 'g', -1, 64) }}
}

func boolean(key, def, label string, p func(*State) *bool) Field {
	return Field{Key: key, Default: def, Label: label, Hideable: key != "explain",
		parse: func(s *State, v string) error {
			switch v {
			case "true":
				*p(s) = true
			case "false":
				*p(s) = false
			default:
				return fmt.Errorf("want true or false")
			}
			return nil
		},
		format: func(s *State) string { return strconv.FormatBool(*p(s)) }}
}

func enum(key, def, label string, values []string, p func(*State) *string) Field {
	return Field{Key: key, Default: def, Label: label, Hideable: true,
		parse: func(s *State, v string) error {
			for _, ok := range values {
				if v == ok {
					*p(s) = v
					return nil
				}
			}
			return fmt.Errorf("want one of %s", strings.Join(values, ", "))
		},
		format: func(s *State) string { return *p(s) }}
}
