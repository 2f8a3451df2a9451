package variant

import (
	"flag"
	"fmt"
	"strings"
)

// Flags are a command's --variant flag and one flag per step, registered by Register.
type Flags struct {
	name string
	set  map[string]string // step flags given on the command line, by key
}

// VariantUsage is the usage text of --variant.
func VariantUsage() string {
	return fmt.Sprintf("the pruning variant `NAME`: %s (the default: the best repair found without SGD, on %d calibration train images; method 1 %s, method 2 %s), "+
		"%s (the study as published, with its two defects), %s (the defects fixed and nothing else), a rung of the repair ladder (%s), or a name: %s. The step flags override it",
		BestName, BestCalib, bestNames[Sharing], bestNames[Removal], Study, Fixed, strings.Join(PresetKeys(), ", "), NameSyntax())
}

// Usage returns the usage text of step s's flag: its help, how names write it, what it requires
// and the methods that allow it.
func (s *Step) Usage() string {
	var b strings.Builder
	b.WriteString(s.Help)
	switch s.Kind {
	case Count:
		b.WriteString(" (`N` images, 0 = off")
	case Dim:
		b.WriteString(" (`D` dimensions, 0 = off")
	case Choice:
		b.WriteString(" (`" + strings.Join(s.Choices, "|") + "`, default " + s.Choices[0])
	default:
		b.WriteString(" (")
	}
	if s.Kind != Bool {
		b.WriteString("; ")
	}
	b.WriteString("step " + s.Syntax())
	if len(s.Requires) > 0 {
		b.WriteString("; requires " + strings.Join(s.Requires, ", "))
	}
	if s.Methods != nil {
		var ms []string
		for _, m := range s.Methods {
			ms = append(ms, m.String())
		}
		b.WriteString("; method " + strings.Join(ms, ", ") + " only")
	}
	b.WriteString(")")
	return b.String()
}

// FlagSyntax returns the step flags for a usage line: "[--pca D] [--kernels] [--rep centroid|norm|closest] [--recal N] …".
func FlagSyntax() string {
	var parts []string
	for i := range Steps {
		s := &Steps[i]
		switch s.Kind {
		case Bool:
			parts = append(parts, "[--"+s.Key+"]")
		case Count:
			parts = append(parts, "[--"+s.Key+" N]")
		case Dim:
			parts = append(parts, "[--"+s.Key+" D]")
		case Choice:
			parts = append(parts, "[--"+s.Key+" "+strings.Join(s.Choices, "|")+"]")
		}
	}
	return strings.Join(parts, " ")
}

// Register adds --variant and one flag per step (named by its Key) to fs.
func Register(fs *flag.FlagSet) *Flags {
	f := &Flags{set: map[string]string{}}
	fs.StringVar(&f.name, "variant", "", VariantUsage())
	for i := range Steps {
		s := &Steps[i]
		fs.Var(&stepFlag{f: f, s: s}, s.Key, s.Usage())
	}
	return f
}

// Name returns the --variant value ("" when not given).
func (f *Flags) Name() string { return f.name }

// Given returns the keys of the step flags given on the command line, in the table's order.
func (f *Flags) Given() []string {
	var keys []string
	for i := range Steps {
		if _, ok := f.set[Steps[i].Key]; ok {
			keys = append(keys, Steps[i].Key)
		}
	}
	return keys
}

// Variant returns the variant the flags describe for method m: Resolve(--variant, m, calib), then
// every step flag given on the command line, in the table's order. It does not validate the
// combination (Spec.Validate does).
func (f *Flags) Variant(m Method, calib int) (Variant, error) {
	v, err := Resolve(f.name, m, calib)
	if err != nil {
		return v, err
	}
	for i := range Steps {
		s := &Steps[i]
		if text, ok := f.set[s.Key]; ok {
			if err := s.Parse(&v, text); err != nil {
				return v, fmt.Errorf("--%w", err)
			}
		}
	}
	return v, nil
}

// stepFlag is one step's flag.Value: it records the text (checked) for Flags.Variant.
type stepFlag struct {
	f *Flags
	s *Step
}

func (sf *stepFlag) String() string {
	if sf == nil || sf.f == nil {
		return ""
	}
	return sf.f.set[sf.s.Key]
}

func (sf *stepFlag) Set(text string) error {
	var v Variant
	if err := sf.s.Parse(&v, text); err != nil {
		return err
	}
	sf.f.set[sf.s.Key] = text
	return nil
}

// IsBoolFlag lets a Bool step's flag be given alone (--merge).
func (sf *stepFlag) IsBoolFlag() bool { return sf.s.Kind == Bool }
