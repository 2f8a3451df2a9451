// Package variant declares a pruning run once: the method, the ratio, the seed and the variant's
// steps (PCA, kernel clustering, representative, BN recalibration, merging, the refit and its
// parts). The steps are one table, Steps; everything else is derived from it:
//
//   - the compact name ("fixed+pca8+bn+merge+refit", Variant.Name) and its parser (Parse),
//   - validation (Spec.Validate: what each step requires and which methods allow it),
//   - the CLI flags and their usage text (Register, on a *flag.FlagSet),
//   - the link keys (Spec.Link and its inverse ParseLink, the browser demo's URL hash),
//   - the command line that reproduces a run (Spec.Args),
//   - the fields of a JSON report (Fields, Report),
//   - the plan key (Spec.PlanKey: steps that change the clustering).
//
// Adding a step means adding one row to Steps and its field to Variant; what the step does is
// then written where it acts (prune.Apply for the clustering and building, repair.ForVariant for
// the repairs).
//
// The default pipeline, the best repair found without SGD, is Best(method): what `prune`, `sweep`
// and `finetune` run when no --variant is given. "study" is the study as published (with its two
// defects), "fixed" the defects fixed and nothing else.
//
// The package imports the standard library only, so that the browser page can link it.
package variant

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Method selects how the clusters are used.
type Method int

// The study's two methods.
const (
	Sharing Method = 1 // method 1: weight sharing in conv1, conv2 and the shortcut of every block
	Removal Method = 2 // method 2: removal of conv1's output channels in every block
)

// Methods lists the methods in order.
var Methods = []Method{Sharing, Removal}

// String returns "1" or "2", the CLI's spelling.
func (m Method) String() string { return strconv.Itoa(int(m)) }

// Title returns "weight sharing" or "channel removal" ("" for an unknown method).
func (m Method) Title() string {
	switch m {
	case Sharing:
		return "weight sharing"
	case Removal:
		return "channel removal"
	}
	return ""
}

// ParseMethod accepts "1" or "2".
func ParseMethod(s string) (Method, error) {
	switch strings.TrimSpace(s) {
	case "1":
		return Sharing, nil
	case "2":
		return Removal, nil
	}
	return 0, fmt.Errorf("unknown method %q (want 1 = weight sharing or 2 = channel removal)", s)
}

// Rep selects what replaces a cluster: its centroid or one of its members.
type Rep string

// Representatives.
const (
	RepCentroid Rep = "centroid" // the cluster mean (the study)
	RepNorm     Rep = "norm"     // the member filter with the largest L2 norm
	RepClosest  Rep = "closest"  // the member filter nearest to the centroid
)

// ParseRep accepts centroid, norm or closest ("" means centroid).
func ParseRep(s string) (Rep, error) {
	switch Rep(s) {
	case "", RepCentroid:
		return RepCentroid, nil
	case RepNorm, RepClosest:
		return Rep(s), nil
	}
	return "", fmt.Errorf("unknown representative %q (want centroid, norm or closest)", s)
}

// DefaultCalib is the number of calibration train images that a "bn" or "refit" step written
// without a count uses, unless the caller gives another (Parse's calib).
const DefaultCalib = 512

// BestCalib is the number of calibration train images of Best's repairs, where accuracy stops
// rising for its cost: method 2 on the study checkpoint, first 1,000 test images, r = 0.5 / 0.8:
// 512 images 80.5 / 66.3%, 1,024 81.9 / 65.2%, 2,048 82.9 / 67.9%, 4,096 83.3 / 67.9% at twice
// the repair time (core/repair TestStudyCalibCurve).
const BestCalib = 2048

// The base of every name: the study as published, or its two defects fixed.
const (
	Study = "study"
	Fixed = "fixed"
	// BestName names Best(method) in Resolve and on the CLI (--variant best, the default).
	BestName = "best"
)

// bestNames are the best pipelines found without SGD (README, "Pruning the study checkpoint"):
// method 2's steps were chosen on held-out train images; method 1 has no merge (nothing is removed)
// and no select or short (method-2 steps).
var bestNames = map[Method]string{
	Sharing: "fixed+pca8+bn+refit+comp+fc",
	Removal: "fixed+pca8+bn+merge+refit+select+c1+comp+short+relu+fc",
}

// Best returns the default variant of method m: the best repair found without SGD, calibrated on
// BestCalib train images. It is the one place that default is written.
func Best(m Method) Variant {
	name, ok := bestNames[m]
	if !ok {
		return Variant{}
	}
	v, err := Parse(name, BestCalib)
	if err != nil {
		panic("variant: bad best name: " + err.Error())
	}
	return v
}

// Resolve returns the variant a CLI's --variant value names for method m: Best(m) for "" or
// "best", else Parse(name, calib), else a rung of the repair ladder by its key (Presets: bn, merge,
// refit — names Parse does not take — with calib calibration images).
func Resolve(name string, m Method, calib int) (Variant, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == BestName {
		return Best(m), nil
	}
	v, err := Parse(name, calib)
	if err != nil {
		if p, ok := LookupPreset(name); ok {
			return p.Variant(m, calib), nil
		}
	}
	return v, err
}

// Variant is everything about a pruning run except the method, ratio and seed: the base (study or
// fixed) and one field per row of Steps.
type Variant struct {
	Study   bool // keep the study's two defects (random conv biases in method 1, lost bn1 statistics in method 2)
	PCA     int  // pca: cluster in the space of the first PCA components (0 = no PCA)
	Kernels bool // kernels: method 1 clusters individual K×K kernels instead of whole filters
	Rep     Rep  // norm/closest: what replaces a cluster ("" = centroid)
	Recal   int  // bn: recompute every BN's statistics from this many train images (0 = off)
	Merge   bool // merge: method 2, W2[:,rep] += Σ W2[:,m] over the removed members m of rep's cluster
	Refit   int  // refit: refit every block's conv2 by least squares on this many train images (0 = off)
	Select  bool // select: method 2, choose each cluster's kept channel (centroid or member) by reconstruction of conv2's output
	Conv1   bool // c1: the refit also refits every block's conv1 against the original network's block input
	Comp    bool // comp: the refit targets the original block's output (conv2 + shortcut), not its conv2 output
	Short   bool // short: method 2, the compensated refit also refits the 1×1 projection shortcuts
	ReLU    bool // relu: the compensated refit counts outputs that both networks' final ReLU zeroes as exact
	FC      bool // fc: the refit also refits the linear layer to the original network's logits
}

// Kind is the kind of value a step holds.
type Kind int

// Step kinds.
const (
	Bool   Kind = iota // on or off; the token alone in names ("merge")
	Count              // a count of calibration train images, 0 = off; "bn" (the default count) or "bn1024" in names
	Dim                // a dimension, 0 = off; required in names ("pca8")
	Choice             // one of Choices; the choice itself is the token ("norm"); Choices[0] is the default, never named
)

func (k Kind) String() string {
	return [...]string{"bool", "count", "dimension", "choice"}[k]
}

// Step is one row of the table: a step of a variant.
type Step struct {
	Token    string   // its token in names (Bool, Count, Dim); a Choice's tokens are its Choices
	Key      string   // its CLI flag, link key and JSON report key
	Kind     Kind     // the kind of its value
	Choices  []string // Choice: the values, the first the default
	On       int      // Dim: the value a toggle switches on (pca → 8); Count: 0, the caller's calibration count
	Requires []string // keys of the steps that must be on too
	Methods  []Method // the methods that allow it (nil = both)
	Clusters bool     // it changes the K-Means clustering (part of Spec.PlanKey)
	Label    string   // a short label (the page's toggle)
	Help     string   // what it does, one line (CLI usage, the page's explanation)

	boolField func(*Variant) *bool
	intField  func(*Variant) *int
	repField  func(*Variant) *Rep
}

// Steps is the table of steps, in the order of names, links, flags and reports.
var Steps = []Step{
	{Token: "pca", Key: "pca", Kind: Dim, On: 8, Clusters: true, Label: "PCA dimensions",
		Help:     "cluster the filters in the space of their first D principal components",
		intField: func(v *Variant) *int { return &v.PCA }},
	{Token: "kernels", Key: "kernels", Kind: Bool, Methods: []Method{Sharing}, Clusters: true, Label: "Kernel-level clusters",
		Help:      "cluster single 3×3 kernels instead of whole filters (smaller model, no speed-up)",
		boolField: func(v *Variant) *bool { return &v.Kernels }},
	{Key: "rep", Kind: Choice, Choices: []string{string(RepCentroid), string(RepNorm), string(RepClosest)}, Label: "Representative",
		Help:     "what replaces a cluster: its centroid, the member with the largest norm, or the member closest to the centroid",
		repField: func(v *Variant) *Rep { return &v.Rep }},
	{Token: "bn", Key: "recal", Kind: Count, Label: "Adaptive BN images",
		Help:     "adaptive BN: recompute every BatchNorm's statistics from the first N calibration train images",
		intField: func(v *Variant) *int { return &v.Recal }},
	{Token: "merge", Key: "merge", Kind: Bool, Label: "Merge removed channels",
		Help:      "method 2: fold each removed channel's conv2 weights into its cluster's kept channel (method 1 removes none: no effect)",
		boolField: func(v *Variant) *bool { return &v.Merge }},
	{Token: "refit", Key: "refit", Kind: Count, Label: "Least-squares refit images",
		Help:     "least-squares refit of every block's conv2 on the first N calibration train images",
		intField: func(v *Variant) *int { return &v.Refit }},
	{Token: "select", Key: "select", Kind: Bool, Requires: []string{"refit"}, Methods: []Method{Removal}, Label: "Choose the kept channels by least squares",
		Help:      "each cluster keeps the candidate (centroid or member) whose channel best rebuilds conv2's output",
		boolField: func(v *Variant) *bool { return &v.Select }},
	{Token: "c1", Key: "c1", Kind: Bool, Requires: []string{"refit"}, Label: "Refit conv1 too",
		Help:      "the refit also refits every block's conv1 to the original network's conv1 output",
		boolField: func(v *Variant) *bool { return &v.Conv1 }},
	{Token: "comp", Key: "comp", Kind: Bool, Requires: []string{"refit"}, Label: "Refit compensates the shortcut",
		Help:      "the refit targets each block's output (conv2 + shortcut), cancelling the error the pruned prefix left in the shortcut",
		boolField: func(v *Variant) *bool { return &v.Comp }},
	{Token: "short", Key: "short", Kind: Bool, Requires: []string{"comp"}, Methods: []Method{Removal}, Label: "Refit the projection shortcuts",
		Help:      "the compensating refit also refits the 1×1 projection shortcuts, jointly with conv2",
		boolField: func(v *Variant) *bool { return &v.Short }},
	{Token: "relu", Key: "relu", Kind: Bool, Requires: []string{"comp"}, Label: "Compensation is ReLU-aware",
		Help:      "the compensating refit counts outputs that both networks' final ReLU zeroes as exact",
		boolField: func(v *Variant) *bool { return &v.ReLU }},
	{Token: "fc", Key: "fc", Kind: Bool, Requires: []string{"refit"}, Label: "Refit the linear layer",
		Help:      "the refit also refits the final linear layer to the original network's logits",
		boolField: func(v *Variant) *bool { return &v.FC }},
}

// Lookup returns the step whose Key is key.
func Lookup(key string) (*Step, bool) {
	for i := range Steps {
		if Steps[i].Key == key {
			return &Steps[i], true
		}
	}
	return nil, false
}

// Get returns the step's value in v as a number: 0 or 1 (Bool), the count or dimension, or the
// index into Choices (0, the default, when unset or unknown).
func (s *Step) Get(v Variant) int {
	switch {
	case s.boolField != nil:
		if *s.boolField(&v) {
			return 1
		}
		return 0
	case s.intField != nil:
		return *s.intField(&v)
	case s.repField != nil:
		r := string(*s.repField(&v))
		for i, c := range s.Choices {
			if c == r {
				return i
			}
		}
	}
	return 0
}

// Set stores n (as Get returns it) into v; a Choice's 0 stores "" (the default).
func (s *Step) Set(v *Variant, n int) {
	switch {
	case s.boolField != nil:
		*s.boolField(v) = n != 0
	case s.intField != nil:
		*s.intField(v) = n
	case s.repField != nil:
		if n <= 0 || n >= len(s.Choices) {
			*s.repField(v) = ""
		} else {
			*s.repField(v) = Rep(s.Choices[n])
		}
	}
}

// Enabled reports whether the step is on in v (a Choice: not at its default).
func (s *Step) Enabled(v Variant) bool { return s.Get(v) != 0 }

// Allows reports whether method m allows the step.
func (s *Step) Allows(m Method) bool {
	if s.Methods == nil {
		return true
	}
	for _, a := range s.Methods {
		if a == m {
			return true
		}
	}
	return false
}

// Format returns the step's value in v as links and flags write it: "true"/"false", a number, or
// the choice ("centroid" by default).
func (s *Step) Format(v Variant) string {
	n := s.Get(v)
	switch s.Kind {
	case Bool:
		return strconv.FormatBool(n != 0)
	case Choice:
		return s.Choices[n]
	}
	return strconv.Itoa(n)
}

// Default returns the value, as Format writes it, of a variant without the step.
func (s *Step) Default() string { return s.Format(Variant{}) }

// Value returns the step's value in v as a JSON report holds it: a bool, an int or a string.
func (s *Step) Value(v Variant) any {
	switch s.Kind {
	case Bool:
		return s.Get(v) != 0
	case Choice:
		return s.Format(v)
	}
	return s.Get(v)
}

// Parse reads text as Format writes it (a flag's or a link's value) into v.
func (s *Step) Parse(v *Variant, text string) error {
	switch s.Kind {
	case Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("%s: %q is not true or false", s.Key, text)
		}
		s.Set(v, map[bool]int{false: 0, true: 1}[b])
	case Count, Dim:
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			return fmt.Errorf("%s: %q is not a count ≥ 0", s.Key, text)
		}
		s.Set(v, n)
	case Choice:
		for i, c := range s.Choices {
			if c == text {
				s.Set(v, i)
				return nil
			}
		}
		return fmt.Errorf("%s: %q is not one of %s", s.Key, text, strings.Join(s.Choices, ", "))
	}
	return nil
}

// Syntax returns how the step is written in names: "pcaD", "kernels", "norm|closest", "bn[N]".
func (s *Step) Syntax() string {
	switch s.Kind {
	case Dim:
		return s.Token + "D"
	case Count:
		return s.Token + "[N]"
	case Choice:
		return strings.Join(s.Choices[1:], "|")
	}
	return s.Token
}

// Name returns the variant's compact name: the base, then every step that is on, in the table's
// order, e.g. "fixed+pca8+norm+bn+merge+refit". Calibration counts are not part of the name (see
// Spec.Link, Spec.Args).
func (v Variant) Name() string {
	parts := []string{Fixed}
	if v.Study {
		parts[0] = Study
	}
	for i := range Steps {
		s := &Steps[i]
		n := s.Get(v)
		if n == 0 {
			continue
		}
		switch s.Kind {
		case Dim:
			parts = append(parts, s.Token+strconv.Itoa(n))
		case Choice:
			parts = append(parts, s.Choices[n])
		default:
			parts = append(parts, s.Token)
		}
	}
	return strings.Join(parts, "+")
}

// NameSyntax describes the names Parse reads, derived from Steps.
func NameSyntax() string {
	var toks []string
	for i := range Steps {
		toks = append(toks, Steps[i].Syntax())
	}
	return Study + "|" + Fixed + " followed by +STEP, STEP one of " + strings.Join(toks, ", ")
}

// Parse reads a compact name such as "fixed+bn+merge+refit" (steps in any order). Count steps
// written without a number ("bn", "refit") use calib train images (DefaultCalib when calib ≤ 0);
// "bn1024" gives its own.
func Parse(name string, calib int) (Variant, error) {
	if calib <= 0 {
		calib = DefaultCalib
	}
	parts := strings.Split(strings.TrimSpace(name), "+")
	var v Variant
	switch parts[0] {
	case Study:
		v.Study = true
	case Fixed:
	default:
		return v, fmt.Errorf("variant %q must start with %s or %s", name, Study, Fixed)
	}
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		s, n, err := parseToken(p, calib)
		if err != nil {
			return v, fmt.Errorf("variant %q: %w", name, err)
		}
		if seen[s.Key] {
			return v, fmt.Errorf("variant %q repeats step %q", name, s.Key)
		}
		seen[s.Key] = true
		s.Set(&v, n)
	}
	return v, nil
}

// parseToken finds the step token p names and its value.
func parseToken(p string, calib int) (*Step, int, error) {
	for i := range Steps {
		s := &Steps[i]
		switch s.Kind {
		case Bool:
			if p == s.Token {
				return s, 1, nil
			}
		case Choice:
			for j, c := range s.Choices {
				if p == c {
					return s, j, nil
				}
			}
		case Count, Dim:
			rest, ok := strings.CutPrefix(p, s.Token)
			if !ok || strings.TrimLeft(rest, "0123456789") != "" {
				continue
			}
			if rest == "" && s.Kind == Count {
				return s, calib, nil
			}
			n, err := strconv.Atoi(rest)
			if err != nil || n < 1 {
				what := "a count"
				if s.Kind == Dim {
					what = "a dimension"
				}
				return nil, 0, fmt.Errorf("step %q needs %s ≥ 1, e.g. %s%d", p, what, s.Token, max(s.On, 8))
			}
			return s, n, nil
		}
	}
	return nil, 0, fmt.Errorf("unknown step %q (%s)", p, NameSyntax())
}

// Spec is one complete pruning run: method, ratio, seed and variant.
type Spec struct {
	Method  Method
	Ratio   float64 // fraction of filters to remove, 0 ≤ r < 1
	Seed    uint64  // K-Means (and the study's random biases) seed
	Variant Variant
}

// Validate checks the method, the ratio and every step: its value, the steps it requires and the
// methods that allow it.
func (s *Spec) Validate() error {
	if s.Method != Sharing && s.Method != Removal {
		return fmt.Errorf("unknown method %d (want 1 = weight sharing or 2 = channel removal)", int(s.Method))
	}
	if math.IsNaN(s.Ratio) || s.Ratio < 0 || s.Ratio >= 1 {
		return fmt.Errorf("ratio %v outside [0, 1): it is the fraction of filters removed", s.Ratio)
	}
	v := s.Variant
	if _, err := ParseRep(string(v.Rep)); err != nil {
		return err
	}
	for i := range Steps {
		st := &Steps[i]
		n := st.Get(v)
		if n < 0 {
			return fmt.Errorf("%s must not be negative (got %d)", st.Key, n)
		}
		if n == 0 {
			continue
		}
		for _, r := range st.Requires {
			req, _ := Lookup(r)
			if !req.Enabled(v) {
				return fmt.Errorf("%s is a part of %s: add %s", st.Key, r, req.Token)
			}
		}
		if !st.Allows(s.Method) {
			var ms []string
			for _, m := range st.Methods {
				ms = append(ms, fmt.Sprintf("method %d (%s)", m, m.Title()))
			}
			return fmt.Errorf("%s is a step of %s only, not of method %d", st.Key, strings.Join(ms, " and "), s.Method)
		}
	}
	return nil
}

// PlanKey returns a string that is equal for two Specs exactly when they cluster alike (the same
// method, ratio, seed and Clusters steps), so that they can share one clustering.
func (s *Spec) PlanKey() string {
	key := fmt.Sprintf("m%d r%v s%d", s.Method, s.Ratio, s.Seed)
	for i := range Steps {
		if st := &Steps[i]; st.Clusters {
			key += " " + st.Key + "=" + st.Format(s.Variant)
		}
	}
	return key
}

// Link keys besides the steps' Keys.
const (
	KeyMethod  = "method"
	KeyRatio   = "ratio"
	KeySeed    = "seed"
	KeyVariant = "variant" // study or fixed
)

// Link returns a URL fragment with every setting as key=value, keys named as the CLI's flags:
// method, ratio, seed, variant (study or fixed), then every step in the table's order, e.g.
// "#method=2&ratio=0.5&seed=1&variant=fixed&pca=0&kernels=false&rep=centroid&recal=512&merge=true&refit=512&select=false&…".
// extra settings (for example the evaluated images) are appended in the given order.
func (s *Spec) Link(extra ...[2]string) string {
	base := Fixed
	if s.Variant.Study {
		base = Study
	}
	kv := [][2]string{
		{KeyMethod, s.Method.String()},
		{KeyRatio, strconv.FormatFloat(s.Ratio, 'g', -1, 64)},
		{KeySeed, strconv.FormatUint(s.Seed, 10)},
		{KeyVariant, base},
	}
	for i := range Steps {
		kv = append(kv, [2]string{Steps[i].Key, Steps[i].Format(s.Variant)})
	}
	kv = append(kv, extra...)
	var b strings.Builder
	for i, p := range kv {
		if i == 0 {
			b.WriteByte('#')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1]))
	}
	return b.String()
}

// ParseLink is the inverse of Link: it reads a URL fragment (with or without the leading '#') into a
// Spec and returns the keys it does not know (Link's extra) in their order. method and ratio are
// required; a step whose key is absent is off (older links lack the newer keys). A repeated key, a
// bad value or an invalid Spec is an error.
func ParseLink(fragment string) (Spec, [][2]string, error) {
	var sp Spec
	var extra [][2]string
	seen := map[string]bool{}
	for _, kv := range strings.Split(strings.TrimPrefix(fragment, "#"), "&") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			return sp, nil, fmt.Errorf("link: %q is not URL-encoded", kv)
		}
		if seen[key] {
			return sp, nil, fmt.Errorf("link: key %q repeated", key)
		}
		seen[key] = true
		var err error
		switch key {
		case KeyMethod:
			sp.Method, err = ParseMethod(value)
		case KeyRatio:
			sp.Ratio, err = strconv.ParseFloat(value, 64)
		case KeySeed:
			sp.Seed, err = strconv.ParseUint(value, 10, 64)
		case KeyVariant:
			switch value {
			case Study:
				sp.Variant.Study = true
			case Fixed:
				sp.Variant.Study = false
			default:
				err = fmt.Errorf("want %s or %s", Study, Fixed)
			}
		default:
			st, ok := Lookup(key)
			if !ok {
				extra = append(extra, [2]string{key, value})
				continue
			}
			err = st.Parse(&sp.Variant, value)
		}
		if err != nil {
			return sp, nil, fmt.Errorf("link: %s=%s: %w", key, value, err)
		}
	}
	if !seen[KeyMethod] || !seen[KeyRatio] {
		return sp, nil, fmt.Errorf("link: method and ratio are required")
	}
	if err := sp.Validate(); err != nil {
		return sp, nil, fmt.Errorf("link: %w", err)
	}
	return sp, extra, nil
}

// Args returns the CLI arguments that reproduce the run: --method, --ratio, --seed, --variant NAME
// and the count flags (calibration images) of the steps that are on, e.g.
// ["--method", "2", "--ratio", "0.5", "--seed", "1", "--variant", "fixed+bn+refit", "--recal", "512", "--refit", "512"].
func (s *Spec) Args() []string {
	args := []string{"--" + KeyMethod, s.Method.String(), "--" + KeyRatio, strconv.FormatFloat(s.Ratio, 'g', -1, 64),
		"--" + KeySeed, strconv.FormatUint(s.Seed, 10), "--" + KeyVariant, s.Variant.Name()}
	for i := range Steps {
		if st := &Steps[i]; st.Kind == Count && st.Enabled(s.Variant) {
			args = append(args, "--"+st.Key, st.Format(s.Variant))
		}
	}
	return args
}

// Field is one step's value in a report.
type Field struct {
	Key   string
	Value any // bool, int or string (Step.Value)
}

// Fields returns every step's value in v, in the table's order (the JSON report's step fields).
func Fields(v Variant) []Field {
	out := make([]Field, len(Steps))
	for i := range Steps {
		out[i] = Field{Steps[i].Key, Steps[i].Value(v)}
	}
	return out
}

// Report returns Fields as a map, for a JSON report.
func Report(v Variant) map[string]any {
	m := map[string]any{}
	for _, f := range Fields(v) {
		m[f.Key] = f.Value
	}
	return m
}
