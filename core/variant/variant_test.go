package variant

import (
	"bytes"
	"flag"
	"math"
	"strings"
	"testing"
)

// on returns v with step s switched on (its On value, or DefaultCalib, or its last choice) and
// every step it requires, recursively.
func on(v Variant, s *Step) Variant {
	for _, r := range s.Requires {
		req, ok := Lookup(r)
		if !ok {
			panic("unknown requirement " + r)
		}
		v = on(v, req)
	}
	switch s.Kind {
	case Bool:
		s.Set(&v, 1)
	case Count:
		s.Set(&v, DefaultCalib)
	case Dim:
		s.Set(&v, s.On)
	case Choice:
		s.Set(&v, len(s.Choices)-1)
	}
	return v
}

// Every row of the table shows up in the parser, the name, the flags and their usage text, the link
// round trip, the command line, the report and validation; adding a row needs no other edit.
func TestEveryStep(t *testing.T) {
	keys := map[string]bool{KeyMethod: true, KeyRatio: true, KeySeed: true, KeyVariant: true}
	for i := range Steps {
		s := &Steps[i]
		if keys[s.Key] {
			t.Fatalf("key %q used twice", s.Key)
		}
		keys[s.Key] = true
		if s.Help == "" || s.Label == "" {
			t.Errorf("%s: no help or label", s.Key)
		}
		if s.Kind == Choice && len(s.Choices) < 2 || s.Kind != Choice && s.Token == "" || s.Kind == Dim && s.On < 1 {
			t.Errorf("%s: malformed row", s.Key)
		}
		m := Removal
		if !s.Allows(m) {
			m = Sharing
		}
		v := on(Variant{}, s)
		if !s.Enabled(v) || s.Get(v) == s.Get(Variant{}) {
			t.Fatalf("%s: Set/Get do not reach the field", s.Key)
		}
		sp := Spec{Method: m, Ratio: 0.5, Seed: 3, Variant: v}
		if err := sp.Validate(); err != nil {
			t.Fatalf("%s: %v", s.Key, err)
		}
		// The name names it, and parses back.
		name := v.Name()
		tok := s.Token
		if s.Kind == Choice {
			tok = s.Choices[len(s.Choices)-1]
		}
		if !strings.Contains("+"+name+"+", "+"+tok) {
			t.Errorf("%s: name %q lacks %q", s.Key, name, tok)
		}
		if back, err := Parse(name, DefaultCalib); err != nil || back != v {
			t.Errorf("%s: Parse(%q) = %+v, %v; want %+v", s.Key, name, back, err, v)
		}
		// Without its requirements it is refused; with a method that does not allow it too.
		alone := on(Variant{}, s)
		for _, r := range s.Requires {
			req, _ := Lookup(r)
			req.Set(&alone, 0)
			if err := (&Spec{Method: m, Ratio: 0.5, Variant: alone}).Validate(); err == nil || !strings.Contains(err.Error(), "add "+req.Token) {
				t.Errorf("%s without %s: %v", s.Key, r, err)
			}
		}
		for _, other := range Methods {
			if !s.Allows(other) {
				if err := (&Spec{Method: other, Ratio: 0.5, Variant: v}).Validate(); err == nil {
					t.Errorf("%s accepted with method %d", s.Key, other)
				}
			}
		}
		// The link carries it and reads back.
		link := sp.Link([2]string{"limit", "100"})
		if !strings.Contains(link, "&"+s.Key+"="+s.Format(v)) {
			t.Errorf("%s: link %s", s.Key, link)
		}
		back, extra, err := ParseLink(link)
		if err != nil || back != sp || len(extra) != 1 || extra[0] != [2]string{"limit", "100"} {
			t.Errorf("%s: ParseLink(%s) = %+v %v %v", s.Key, link, back, extra, err)
		}
		// The flags: usage text, and a command line that gives the same variant.
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var out bytes.Buffer
		fs.SetOutput(&out)
		f := Register(fs)
		fs.PrintDefaults()
		if !strings.Contains(FlagSyntax(), "[--"+s.Key) {
			t.Errorf("%s: not in the usage line %s", s.Key, FlagSyntax())
		}
		if !strings.Contains(out.String(), "-"+s.Key) || !strings.Contains(out.String(), s.Help) {
			t.Errorf("%s: usage text lacks the flag or its help:\n%s", s.Key, out.String())
		}
		args := sp.Args()
		if err := fs.Parse(args[6:]); err != nil { // --variant NAME and the counts
			t.Fatalf("%s: %v: %v", s.Key, args, err)
		}
		if got, err := f.Variant(m, 1); err != nil || got != v {
			t.Errorf("%s: flags %v give %+v, %v; want %+v", s.Key, args, got, err, v)
		}
		fs = flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(&out)
		f = Register(fs)
		var flagArgs []string
		for _, st := range Fields(v) {
			step, _ := Lookup(st.Key)
			if step.Enabled(v) {
				flagArgs = append(flagArgs, "--"+st.Key+"="+step.Format(v))
			}
		}
		if err := fs.Parse(append([]string{"--variant", Fixed}, flagArgs...)); err != nil {
			t.Fatalf("%s: %v", s.Key, err)
		}
		if got, err := f.Variant(m, 1); err != nil || got != v {
			t.Errorf("%s: flags %v give %+v, %v; want %+v", s.Key, flagArgs, got, err, v)
		}
		// The report.
		if r := Report(v); r[s.Key] != s.Value(v) || r[s.Key] == Report(Variant{})[s.Key] {
			t.Errorf("%s: report %v", s.Key, r)
		}
		// The plan key follows Clusters.
		other := sp
		other.Variant = Variant{}
		if (sp.PlanKey() != other.PlanKey()) != s.Clusters {
			t.Errorf("%s: plan key %q vs %q, Clusters %v", s.Key, sp.PlanKey(), other.PlanKey(), s.Clusters)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, name string
		want     Variant
		err      bool
	}{
		{in: "study", name: "study", want: Variant{Study: true}},
		{in: "fixed", name: "fixed", want: Variant{}},
		{in: "fixed+bn", name: "fixed+bn", want: Variant{Recal: DefaultCalib}},
		{in: "fixed+refit+merge+bn", name: "fixed+bn+merge+refit", want: Variant{Recal: DefaultCalib, Merge: true, Refit: DefaultCalib}},
		{in: "fixed+bn1024+refit64", name: "fixed+bn+refit", want: Variant{Recal: 1024, Refit: 64}},
		{in: "fixed+pca8+kernels+norm", name: "fixed+pca8+kernels+norm", want: Variant{PCA: 8, Kernels: true, Rep: RepNorm}},
		{in: "study+closest+bn", name: "study+closest+bn", want: Variant{Study: true, Rep: RepClosest, Recal: DefaultCalib}},
		{in: "fixed+centroid", name: "fixed", want: Variant{}},
		{in: "fixed+c1+refit+relu+comp", name: "fixed+refit+c1+comp+relu", want: Variant{Refit: DefaultCalib, Comp: true, ReLU: true, Conv1: true}},
		{in: "fixed+pca8+bn+merge+refit+short+select+c1+comp+relu+fc", name: "fixed+pca8+bn+merge+refit+select+c1+comp+short+relu+fc",
			want: Variant{PCA: 8, Recal: DefaultCalib, Merge: true, Refit: DefaultCalib, Select: true, Conv1: true, Comp: true, Short: true, ReLU: true, FC: true}},
		{in: "fixed+select+select", err: true},
		{in: "fixed+norm+closest", err: true},
		{in: "bn", err: true},
		{in: "best", err: true}, // Resolve's, not Parse's
		{in: "fixed+bn+bn1024", err: true},
		{in: "fixed+pca", err: true},
		{in: "fixed+pca0", err: true},
		{in: "fixed+bn0", err: true},
		{in: "fixed+bn99999999999999999999", err: true},
		{in: "fixed+merge8", err: true},
		{in: "fixed+magic", err: true},
		{in: "", err: true},
	} {
		v, err := Parse(tc.in, 0)
		if tc.err {
			if err == nil {
				t.Errorf("Parse(%q) = %+v, want an error", tc.in, v)
			}
			continue
		}
		if err != nil || v != tc.want || v.Name() != tc.name {
			t.Errorf("Parse(%q) = %+v named %q, %v; want %+v named %q", tc.in, v, v.Name(), err, tc.want, tc.name)
		}
	}
}

func TestBest(t *testing.T) {
	for _, m := range Methods {
		b := Best(m)
		if b.Recal != BestCalib || b.Refit != BestCalib || b.Study {
			t.Errorf("method %d: %+v", m, b)
		}
		if err := (&Spec{Method: m, Ratio: 0.5, Variant: b}).Validate(); err != nil {
			t.Errorf("method %d: %v", m, err)
		}
		for _, name := range []string{"", "best", " best "} {
			if v, err := Resolve(name, m, 0); err != nil || v != b {
				t.Errorf("Resolve(%q, %d) = %+v, %v", name, m, v, err)
			}
		}
		if v, _ := Resolve("study", m, 0); v != (Variant{Study: true}) {
			t.Errorf("Resolve(study) = %+v", v)
		}
		if v, _ := Resolve("fixed", m, 0); v != (Variant{}) {
			t.Errorf("Resolve(fixed) = %+v", v)
		}
	}
	if Best(Removal).Name() != "fixed+pca8+bn+merge+refit+select+c1+comp+short+relu+fc" {
		t.Errorf("method 2's best is %s", Best(Removal).Name())
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		s   Spec
		err string
	}{
		{Spec{Method: Sharing, Ratio: 0.5}, ""},
		{Spec{Method: Removal, Ratio: 0}, ""},
		{Spec{Method: 3, Ratio: 0.5}, "unknown method"},
		{Spec{Method: Sharing, Ratio: 1}, "outside [0, 1)"},
		{Spec{Method: Sharing, Ratio: -1}, "outside [0, 1)"},
		{Spec{Method: Sharing, Ratio: math.NaN()}, "outside [0, 1)"},
		{Spec{Method: Sharing, Ratio: math.Inf(1)}, "outside [0, 1)"},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Kernels: true}}, "method 1"},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Rep: "best"}}, "representative"},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Refit: -1}}, "negative"},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Comp: true}}, "add refit"},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Refit: 8, ReLU: true}}, "add comp"},
		{Spec{Method: Sharing, Ratio: 0.5, Variant: Variant{Refit: 8, Select: true}}, "method 2"},
		{Spec{Method: Sharing, Ratio: 0.5, Variant: Variant{Merge: true}}, ""},
		{Spec{Method: Removal, Ratio: 0.5, Variant: Variant{Refit: 8, Select: true, Comp: true, Short: true}}, ""},
	} {
		err := tc.s.Validate()
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%+v: error %v, want %q", tc.s, err, tc.err)
		}
	}
}

func TestLink(t *testing.T) {
	s := Spec{Method: Removal, Ratio: 0.5, Seed: 1, Variant: Variant{Recal: 512, Merge: true, Refit: 512, Select: true}}
	want := "#method=2&ratio=0.5&seed=1&variant=fixed&pca=0&kernels=false&rep=centroid&recal=512&merge=true&refit=512" +
		"&select=true&c1=false&comp=false&short=false&relu=false&fc=false&limit=1000"
	if got := s.Link([2]string{"limit", "1000"}); got != want {
		t.Errorf("Link = %s\nwant   %s", got, want)
	}
	// Links written before c1, select and short were keys (their order, without them) still open.
	old := "#method=2&ratio=0.35&seed=7&variant=study&pca=8&kernels=false&rep=norm&recal=512&merge=true&refit=256&comp=true&relu=true&fc=true&split=test&offset=0&limit=200"
	got, extra, err := ParseLink(old)
	wantSpec := Spec{Method: Removal, Ratio: 0.35, Seed: 7, Variant: Variant{Study: true, PCA: 8, Rep: RepNorm, Recal: 512, Merge: true, Refit: 256, Comp: true, ReLU: true, FC: true}}
	if err != nil || got != wantSpec || len(extra) != 3 || extra[2] != [2]string{"limit", "200"} {
		t.Errorf("ParseLink(old) = %+v %v %v", got, extra, err)
	}
	// ... as do the optional keys of those links.
	if got, _, err := ParseLink("method=2&ratio=0.5&refit=512&comp=true&select=true&short=true"); err != nil || !got.Variant.Select || !got.Variant.Short {
		t.Errorf("optional keys: %+v %v", got, err)
	}
	for _, bad := range []string{"", "#ratio=0.5", "#method=2", "#method=3&ratio=0.5", "#method=2&ratio=x", "#method=2&ratio=0.5&merge=maybe",
		"#method=2&ratio=0.5&rep=best", "#method=2&ratio=0.5&variant=best", "#method=2&ratio=0.5&recal=-1", "#method=2&ratio=0.5&ratio=0.6",
		"#method=1&ratio=0.5&refit=8&select=true", "#method=2&ratio=0.5&comp=true", "#method=2&ratio=%zz"} {
		if sp, _, err := ParseLink(bad); err == nil {
			t.Errorf("ParseLink(%q) = %+v, want an error", bad, sp)
		}
	}
}

func TestFlags(t *testing.T) {
	parse := func(args ...string) (Variant, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(&bytes.Buffer{})
		f := Register(fs)
		if err := fs.Parse(args); err != nil {
			return Variant{}, err
		}
		return f.Variant(Removal, 0)
	}
	if v, err := parse(); err != nil || v != Best(Removal) {
		t.Errorf("no flags: %+v %v", v, err)
	}
	if v, err := parse("--variant", "fixed+bn+refit", "--refit", "64", "--merge", "--rep", "norm"); err != nil ||
		v != (Variant{Recal: DefaultCalib, Refit: 64, Merge: true, Rep: RepNorm}) {
		t.Errorf("overrides: %+v %v", v, err)
	}
	if v, err := parse("--fc=false", "--pca", "0"); err != nil || v.FC || v.PCA != 0 || !v.Select {
		t.Errorf("switching best's steps off: %+v %v", v, err)
	}
	for _, bad := range [][]string{{"--recal", "-1"}, {"--rep", "best"}, {"--merge=maybe"}, {"--pca", "x"}, {"--variant", "fixed+magic"}} {
		if v, err := parse(bad...); err == nil {
			t.Errorf("%v accepted: %+v", bad, v)
		}
	}
	if !strings.Contains(VariantUsage(), Best(Removal).Name()) || !strings.Contains(VariantUsage(), Best(Sharing).Name()) {
		t.Errorf("--variant's usage does not name the defaults: %s", VariantUsage())
	}
}
